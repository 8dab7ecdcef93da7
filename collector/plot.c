/*
 * ctrace plot: a PNG (or SVG) timeline per recording, or several stacked on
 * one time scale.  Two passes over each trace: the first ranks the threads
 * and finds the time range, the second rasterizes the model's intervals
 * straight into pixel columns.  gnuplot draws; everything taken from a
 * trace reaches it only inside data files.
 */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "model.h"
#include "replay.h"
#include "text.h"
#include "timeline.h"
#include "verdict.h"
#include "xalloc.h"

extern const char ct_timeline_gp[];

#define MAX_TRACES 16

struct plot_opts {
	const char *out;
	uint32_t width, height, max_threads;
	double from, to;	/* seconds from the workload's start; NAN = whole */
	bool svg;
	const char *paths[MAX_TRACES];
	int n;
};

enum { OPT_FROM = 256, OPT_TO, OPT_WIDTH, OPT_HEIGHT, OPT_SVG, OPT_MAX_THREADS };

static const struct argp_option options[] = {
	{ "output", 'o', "FILE", 0, "Write the figure here (default: next to the first trace, .png or .svg)", 0 },
	{ "width", OPT_WIDTH, "PX", 0, "Figure width in pixels (default 1600)", 0 },
	{ "height", OPT_HEIGHT, "PX", 0, "Figure height in pixels (default: fits the lanes, at least 600)", 0 },
	{ "from", OPT_FROM, "SECONDS", 0, "Start of the zoom, seconds after the workload started", 0 },
	{ "to", OPT_TO, "SECONDS", 0, "End of the zoom, seconds after the workload started", 0 },
	{ "svg", OPT_SVG, NULL, 0, "Vector output (SVG) instead of PNG", 0 },
	{ "max-threads", OPT_MAX_THREADS, "N", 0, "Thread lanes before the rest are merged into one (default 24)", 0 },
	{ 0 }
};

static uint32_t parse_px(struct argp_state *state, const char *arg, uint32_t lo, uint32_t hi, const char *what)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*end || end == arg || v < lo || v > hi)
		argp_error(state, "invalid %s '%s' (%u to %u)", what, arg, lo, hi);
	return (uint32_t)v;
}

static double parse_secs(struct argp_state *state, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (*end || end == arg || !(v >= 0) || !isfinite(v))
		argp_error(state, "invalid time '%s' (seconds, >= 0)", arg);
	return v;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct plot_opts *o = state->input;

	switch (key) {
	case 'o': o->out = arg; break;
	case OPT_WIDTH: o->width = parse_px(state, arg, 400, 20000, "width"); break;
	case OPT_HEIGHT: o->height = parse_px(state, arg, 200, 20000, "height"); break;
	case OPT_MAX_THREADS: o->max_threads = parse_px(state, arg, 1, 1000, "thread count"); break;
	case OPT_FROM: o->from = parse_secs(state, arg); break;
	case OPT_TO: o->to = parse_secs(state, arg); break;
	case OPT_SVG: o->svg = true; break;
	case ARGP_KEY_ARG:
		if (o->n == MAX_TRACES)
			argp_error(state, "at most %d traces in one figure", MAX_TRACES);
		o->paths[o->n++] = arg;
		break;
	case ARGP_KEY_END:
		if (!o->n)
			argp_error(state, "which trace? (ctrace plot FILE...)");
		if (!isnan(o->from) && !isnan(o->to) && o->to <= o->from)
			argp_error(state, "--to must be after --from");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, "FILE...",
	"Draw a trace as a timeline: one lane per CPU (grouped by package and core) "
	"coloured by the thread that ran there, one lane per thread coloured by its "
	"state, and the number of threads running and in flight over time.  Several "
	"traces are stacked on one time scale, each with its verdict.  Needs gnuplot.",
	NULL, NULL, NULL
};

/* ---- colours ---- */

static const uint32_t state_rgb[CT_ST_COUNT] = {
	0x2ca02c, 0xffbf00, 0x8c564b, 0x1f77b4, 0x17becf, 0x9467bd, 0xd62728, 0xc7c7c7, 0xe377c2, 0x7f7f7f,
};

/* Thread identities: distinct from one another, readable on white. */
static const uint32_t thread_rgb[] = {
	0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759, 0x76b7b2, 0xedc948, 0xb07aa1, 0xff9da7,
	0x9c755f, 0x2f4b7c, 0xa05195, 0x665191, 0x003f5c, 0xd45087, 0xf95d6a, 0xff7c43,
	0x7a5195, 0x488f31, 0xde425b, 0x58508d, 0xbc5090, 0x00876c, 0x8c8c00, 0x6a3d9a,
};
#define OTHER_RGB 0xbdbdbd
#define NTHREAD_RGB (sizeof(thread_rgb) / sizeof(thread_rgb[0]))

static uint32_t cat_rgb(int cat)
{
	if (cat == CT_TL_OTHER)
		return OTHER_RGB;
	return thread_rgb[(cat - CT_TL_THREAD0) % NTHREAD_RGB];
}

/* ---- safe text: data files are tab-separated, one record a line (text.h) ---- */

static void put_text(FILE *f, const char *s)
{
	ct_text_put(f, s, CT_TEXT_DATA);
}

/* ---- one recording ---- */

struct trace_fig {
	const char *path;
	struct ct_meta meta;
	struct ct_model ranked;		/* pass 1 */
	struct ct_verdict verdict;
	uint64_t dropped;
	uint64_t start, end;		/* the workload's lifetime */
	struct ct_timeline tl;
	/* Layout, in pixels from the top. */
	uint32_t title_h, cpu_h, thr_h, cur_h;
};

static const char *unit_for(double span_s, double *scale)
{
	if (span_s >= 2) {
		*scale = 1;
		return "s";
	}
	if (span_s >= 0.002) {
		*scale = 1e3;
		return "ms";
	}
	*scale = 1e6;
	return "us";
}

static int load_pass1(struct trace_fig *t)
{
	struct ct_trace_info info;

	if (ct_cli_replay(t->path, &t->ranked, NULL, 0, &info))
		return -1;
	t->meta = info.meta;	/* kept: freed with the figure */
	info.meta = (struct ct_meta){0};
	t->dropped = info.summary.dropped;
	ct_trace_info_free(&info);
	ct_verdict(&t->ranked, &t->verdict);
	t->start = t->ranked.w_first;
	t->end = t->ranked.w_last;
	if (!t->start || t->end <= t->start) {
		ct_warn("%s: the workload never ran: nothing to plot", t->path);
		return -1;
	}
	return 0;
}

static int load_pass2(struct trace_fig *t, uint64_t t0, uint64_t t1, uint32_t cols, uint32_t max_threads)
{
	struct ct_model m;
	struct ct_replay_pass raster = {0};
	char err[1024];

	if (ct_tl_init(&t->tl, &t->ranked, &t->meta, t0, t1, cols, max_threads))
		return -1;
	raster.sink = ct_tl_sink(&t->tl);
	/* The sink needs the live model to map threads to lanes. */
	t->tl.model = &m;
	if (ct_replay(t->path, &m, &raster, 1, NULL, err, sizeof(err))) {
		ct_warn("%s", err);
		return -1;
	}
	ct_model_free(&m);
	t->tl.model = NULL;
	return 0;
}

static FILE *open_data(const char *dir, int i, const char *ext)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%d.%s", dir, i, ext);
	FILE *f = fopen(path, "w");

	if (!f)
		ct_warn("%s: %s", path, strerror(errno));
	return f;
}

enum lane_layer { CPU_CELLS, THREAD_CELLS, THREAD_RAN };

static int cell_of(const struct ct_timeline *tl, enum lane_layer layer, uint32_t lane, uint32_t col)
{
	switch (layer) {
	case CPU_CELLS:
		return ct_tl_cpu_cell(tl, lane, col);
	case THREAD_CELLS:
		return ct_tl_thread_cell(tl, lane, col);
	default:	/* a strip where it ran under another main state */
		return ct_tl_thread_ran(tl, lane, col) && ct_tl_thread_cell(tl, lane, col) != CT_ST_RUNNING
		       ? CT_ST_RUNNING : CT_TL_BLANK;
	}
}

/* Runs of equal cells in a lane become one rectangle each, between y0 and y1 within the lane. */
static void write_lane(FILE *f, const struct ct_timeline *tl, uint32_t lane, enum lane_layer layer,
		       double x0, double dx, double y0, double y1)
{
	for (uint32_t c = 0; c < tl->width;) {
		int cell = cell_of(tl, layer, lane, c);
		uint32_t e = c + 1;

		while (e < tl->width && cell_of(tl, layer, lane, e) == cell)
			e++;
		if (cell != CT_TL_BLANK && !(layer == CPU_CELLS && cell == CT_TL_IDLE))
			fprintf(f, "%.9g\t%.9g\t%.3f\t%.3f\t%u\n", x0 + dx * c, x0 + dx * e, lane + y0,
				lane + y1, layer == CPU_CELLS ? cat_rgb(cell) : state_rgb[cell]);
		c = e;
	}
}

static int write_cpu_band(const char *dir, int i, const struct trace_fig *t, double x0, double x1,
			  double dx)
{
	const struct ct_timeline *tl = &t->tl;
	FILE *r = open_data(dir, i, "cpu"), *s = open_data(dir, i, "cpusep"), *l = open_data(dir, i, "cpulab");
	FILE *k = open_data(dir, i, "cpukey");

	if (!r || !s || !l || !k)
		return -1;
	fputs("# empty\n", s);
	for (uint32_t lane = 0; lane < tl->ncpu_lanes; lane++) {
		uint32_t cpu = tl->cpu_of_lane[lane];
		const struct ct_cpu *c = ct_cpu_topo(&t->meta, cpu), *prev = lane ? ct_cpu_topo(&t->meta, tl->cpu_of_lane[lane - 1]) : NULL;

		write_lane(r, tl, lane, CPU_CELLS, x0, dx, 0.08, 0.92);
		if (c)
			fprintf(l, "%.1f\tcpu%u  p%d c%d\n", lane + 0.5, cpu, c->package, c->core);
		else
			fprintf(l, "%.1f\tcpu%u\n", lane + 0.5, cpu);
		/* A line between cores, a heavier one between packages. */
		if (c && prev && (prev->core != c->core || prev->package != c->package)) {
			bool pkg = prev->package != c->package;

			fprintf(s, "%.9g\t%.9g\t%.3f\t%.3f\t%u\n", x0, x1, lane - (pkg ? 0.05 : 0.02),
				lane + (pkg ? 0.05 : 0.02), pkg ? 0x444444u : 0x999999u);
		}
	}
	for (uint32_t lane = 0; lane < tl->nthr_lanes; lane++) {
		const struct ct_thread *th = &t->ranked.threads[tl->thread_of_lane[lane]];

		fprintf(k, "%u\t", cat_rgb(CT_TL_THREAD0 + (int)lane));
		if (tl->merged && lane == tl->nthr_lanes - 1)
			fprintf(k, "%u more threads\n", tl->merged);
		else {
			put_text(k, th->name[0] ? th->name : "?");
			fprintf(k, " %u\n", th->tid);
		}
	}
	fprintf(k, "%u\tother processes\n", OTHER_RGB);
	fclose(r);
	fclose(s);
	fclose(l);
	fclose(k);
	return 0;
}

static int write_thread_band(const char *dir, int i, const struct trace_fig *t, double x0, double dx)
{
	const struct ct_timeline *tl = &t->tl;
	FILE *r = open_data(dir, i, "thr"), *l = open_data(dir, i, "thrlab"), *k = open_data(dir, i, "thrkey");

	if (!r || !l || !k)
		return -1;
	fputs("# empty\n", r);
	for (uint32_t lane = 0; lane < tl->nthr_lanes; lane++) {
		const struct ct_thread *th = &t->ranked.threads[tl->thread_of_lane[lane]];

		write_lane(r, tl, lane, THREAD_CELLS, x0, dx, 0.12, 0.88);
		write_lane(r, tl, lane, THREAD_RAN, x0, dx, 0.70, 0.88);
		fprintf(l, "%.1f\t", lane + 0.5);
		if (tl->merged && lane == tl->nthr_lanes - 1)
			fprintf(l, "(%u more threads)\n", tl->merged);
		else {
			put_text(l, th->name[0] ? th->name : "?");
			fprintf(l, " %u\n", th->tid);
		}
	}
	for (int s = 0; s < CT_ST_COUNT; s++)
		fprintf(k, "%u\t%s\n", state_rgb[s], ct_state_name((enum ct_state)s));
	fclose(r);
	fclose(l);
	fclose(k);
	return 0;
}

static int write_curves(const char *dir, int i, const struct trace_fig *t, double x0, double dx)
{
	const struct ct_timeline *tl = &t->tl;
	FILE *f = open_data(dir, i, "curve");

	if (!f)
		return -1;
	/* Up to the end of this recording: a shorter one stops, rather than drop to zero. */
	uint64_t span = tl->t1 - tl->t0, have = t->end > tl->t0 ? t->end - tl->t0 : 0;
	uint32_t last = have >= span ? tl->width : (uint32_t)((double)have / (double)span * tl->width) + 1;

	if (last > tl->width)
		last = tl->width;
	for (uint32_t c = 0; c < last; c++)
		fprintf(f, "%.9g\t%.4f\t%.4f\t%.4f\n", x0 + dx * c, ct_tl_level(tl, tl->run, c),
			ct_tl_level(tl, tl->inflight, c), ct_tl_level(tl, tl->alive, c));
	if (last) {	/* close the last step */
		uint32_t c = last - 1;

		fprintf(f, "%.9g\t%.4f\t%.4f\t%.4f\n", x0 + dx * last, ct_tl_level(tl, tl->run, c),
			ct_tl_level(tl, tl->inflight, c), ct_tl_level(tl, tl->alive, c));
	} else {
		fputs("# nothing in this range\n", f);
	}
	fclose(f);
	return 0;
}

static int write_title(const char *dir, int i, const struct trace_fig *t, double ytop)
{
	FILE *f = open_data(dir, i, "title");
	const struct ct_verdict *v = &t->verdict;

	if (!f)
		return -1;
	fprintf(f, "0.01\t%.3f\t", ytop);
	for (uint32_t a = 0; a < t->meta.argc; a++) {
		if (a)
			fputc(' ', f);
		put_text(f, t->meta.argv[a]);
	}
	if (!t->meta.argc)
		fputs("(whole system)", f);
	fprintf(f, "   —   %.3f s, %u CPUs\t%u\n", ct_model_wall_s(&t->ranked), t->ranked.ncpus, 0x222222u);
	fprintf(f, "0.01\t%.3f\t%s, %s:  parallelism %.2f mean, %u peak;  concurrency %.2f mean\t%u\n",
		ytop - 0.38, ct_bound_name(v->kind), ct_shape_name(v->shape), v->parallelism,
		t->ranked.running_peak, v->concurrency, v->kind != CT_BOUND_IO ? 0xb03030u : 0x1f5fa0u);
	if (t->dropped)
		fprintf(f, "0.55\t%.3f\tWARNING: %" PRIu64 " events dropped: lanes have gaps\t%u\n",
			ytop - 0.38, t->dropped, 0xd62728u);
	fclose(f);
	return 0;
}

/* ---- layout ---- */

#define LEFT_PX 180
#define RIGHT_PX 200
#define TITLE_PX 46
#define CURVE_PX 130
#define GAP_PX 14
#define CPU_LANE_PX 18
#define THR_LANE_PX 16
#define AXIS_PX 34

static uint32_t natural_height(struct trace_fig *t)
{
	t->title_h = TITLE_PX;
	t->cpu_h = CPU_LANE_PX * t->tl.ncpu_lanes;
	if (t->cpu_h < 12 * 13)		/* room for the legend: threads + other */
		t->cpu_h = t->cpu_h > 13u * (t->tl.nthr_lanes + 1) ? t->cpu_h : 13u * (t->tl.nthr_lanes + 1);
	t->thr_h = THR_LANE_PX * (t->tl.nthr_lanes ? t->tl.nthr_lanes : 1);
	if (t->thr_h < 13 * CT_ST_COUNT)	/* room for the state legend */
		t->thr_h = 13 * CT_ST_COUNT;
	t->cur_h = CURVE_PX;
	return t->title_h + t->cpu_h + GAP_PX + t->thr_h + GAP_PX + t->cur_h + AXIS_PX + GAP_PX;
}

static int write_vars(const char *dir, int i, const struct trace_fig *t, double *y, double H, double W,
		      double x0, double x1, const char *unit)
{
	FILE *f = open_data(dir, i, "vars");
	double py = 1.0 / H;
	double ymax = t->ranked.alive_peak > t->ranked.ncpus ? t->ranked.alive_peak : t->ranked.ncpus;

	if (!f)
		return -1;
	/* Only numbers and a unit from a fixed set: nothing here comes from the trace. */
	fprintf(f, "lm = %.5f\nrm = %.5f\nx0 = %.9g\nx1 = %.9g\nunit = \"%s\"\n", LEFT_PX / W,
		1 - RIGHT_PX / W, x0, x1, unit);
	fprintf(f, "title_top = %.5f\n", *y);
	*y -= t->title_h * py;
	fprintf(f, "title_bot = %.5f\ncpu_top = %.5f\n", *y, *y);
	*y -= t->cpu_h * py;
	fprintf(f, "cpu_bot = %.5f\n", *y);
	*y -= GAP_PX * py;
	fprintf(f, "thr_top = %.5f\n", *y);
	*y -= t->thr_h * py;
	fprintf(f, "thr_bot = %.5f\n", *y);
	*y -= GAP_PX * py;
	fprintf(f, "cur_top = %.5f\n", *y);
	*y -= t->cur_h * py;
	fprintf(f, "cur_bot = %.5f\n", *y);
	*y -= (AXIS_PX + GAP_PX) * py;
	fprintf(f, "ncpu = %u\nnthr = %u\nncpus = %u\nymax = %.1f\n", t->tl.ncpu_lanes,
		t->tl.nthr_lanes ? t->tl.nthr_lanes : 1, t->ranked.ncpus, ymax + 0.5);
	fprintf(f, "cpukeys = %u\nthrkeys = %u\n", t->tl.nthr_lanes + 1, CT_ST_COUNT);
	fclose(f);
	return 0;
}

/* ---- gnuplot ---- */

static int run_gnuplot(const char *dir, int n, bool svg)
{
	char script[4096], errpath[4096], expr[4224];
	FILE *f;
	int status;

	snprintf(script, sizeof(script), "%s/timeline.gp", dir);
	snprintf(errpath, sizeof(errpath), "%s/gnuplot.err", dir);
	if (!(f = fopen(script, "w")) || fputs(ct_timeline_gp, f) < 0 || fclose(f)) {
		ct_warn("%s: %s", script, strerror(errno));
		return -1;
	}
	/* dir comes from mkdtemp: safe to quote. */
	snprintf(expr, sizeof(expr), "dir='%s'; n=%d; term='%s'", dir, n, svg ? "svg" : "png");
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			dup2(fd, STDERR_FILENO);
			dup2(fd, STDOUT_FILENO);
		}
		execlp("gnuplot", "gnuplot", "-e", expr, script, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		ct_warn("cannot run gnuplot: %s", strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		ct_warn("gnuplot is not installed: sudo apt-get install gnuplot-nox (or sudo make deps)");
		return -1;
	}
	char buf[2048] = "";

	if ((f = fopen(errpath, "r"))) {
		size_t len = fread(buf, 1, sizeof(buf) - 1, f);

		buf[len] = 0;
		fclose(f);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		ct_warn("gnuplot failed:\n%s", buf);
		return -1;
	}
	if (buf[0])	/* warnings: the figure was drawn, but say what gnuplot said */
		ct_warn("gnuplot: %s", buf);
	return 0;
}

/* Copy the figure next to its destination, then rename: never a half-written file. */
static int install(const char *from, const char *to)
{
	char tmp[4096];
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out;
	size_t n;
	int rc = 0;

	if (!in) {
		ct_warn("gnuplot wrote no figure (%s): %s", from, strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", to, (int)getpid());
	if (!(out = ct_create_new(tmp))) {
		ct_warn("%s: %s", to, strerror(errno));
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	fclose(in);
	if (fclose(out) || rc || rename(tmp, to)) {
		ct_warn("%s: %s", to, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb; (void)type; (void)ftw;
	return remove(p);
}

int cmd_plot(int argc, char **argv)
{
	struct plot_opts o = { .width = 1600, .max_threads = 24, .from = NAN, .to = NAN };
	struct trace_fig *t;
	char dir[] = "/tmp/ctrace-plot.XXXXXX";
	char *out = NULL;
	int rc = 1;

	argv[0] = "ctrace plot";
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	t = ct_xcalloc((size_t)o.n, sizeof(*t));
	if (!mkdtemp(dir)) {
		ct_warn("cannot create a temporary directory: %s", strerror(errno));
		free(t);
		return 1;
	}
	/* Pass 1: rank threads, find each workload's span; one time scale for all. */
	uint64_t longest = 0;
	int loaded = 0;

	for (int i = 0; i < o.n; i++, loaded++) {
		t[i].path = o.paths[i];
		if (load_pass1(&t[i]))
			goto out;
		if (t[i].end - t[i].start > longest)
			longest = t[i].end - t[i].start;
	}
	double from = isnan(o.from) ? 0 : o.from, to = isnan(o.to) ? (double)longest / 1e9 : o.to;

	if (to <= from) {
		ct_warn("--from %.3f s is past the end of the recording (%.3f s)", from, (double)longest / 1e9);
		goto out;
	}
	double scale;
	const char *unit = unit_for(to - from, &scale);
	uint32_t cols = o.width - LEFT_PX - RIGHT_PX;
	uint32_t H = 0;

	for (int i = 0; i < o.n; i++) {
		uint64_t t0 = t[i].start + (uint64_t)(from * 1e9), t1 = t[i].start + (uint64_t)(to * 1e9);

		if (load_pass2(&t[i], t0, t1, cols, o.max_threads))
			goto out;
		H += natural_height(&t[i]);
	}
	if (H < 600)
		H = 600;
	if (o.height)
		H = o.height;
	FILE *cv = NULL;
	char path[4096];

	snprintf(path, sizeof(path), "%s/canvas.vars", dir);
	if (!(cv = fopen(path, "w"))) {
		ct_warn("%s: %s", path, strerror(errno));
		goto out;
	}
	fprintf(cv, "W = %u\nH = %u\n", o.width, H);
	fclose(cv);
	/* Natural heights are scaled to the canvas. */
	uint32_t natural = 0;

	for (int i = 0; i < o.n; i++)
		natural += t[i].title_h + t[i].cpu_h + t[i].thr_h + t[i].cur_h + 2 * GAP_PX + AXIS_PX + GAP_PX;
	double y = 1.0, k = (double)H / natural;

	for (int i = 0; i < o.n; i++) {
		double x0 = from * scale, dx = (to - from) * scale / cols;

		t[i].title_h = (uint32_t)(t[i].title_h * k);
		t[i].cpu_h = (uint32_t)(t[i].cpu_h * k);
		t[i].thr_h = (uint32_t)(t[i].thr_h * k);
		t[i].cur_h = (uint32_t)(t[i].cur_h * k);
		if (write_title(dir, i + 1, &t[i], 0.72) ||
		    write_vars(dir, i + 1, &t[i], &y, H, o.width, x0, to * scale, unit) ||
		    write_cpu_band(dir, i + 1, &t[i], x0, to * scale, dx) ||
		    write_thread_band(dir, i + 1, &t[i], x0, dx) ||
		    write_curves(dir, i + 1, &t[i], x0, dx))
			goto out;
	}
	if (run_gnuplot(dir, o.n, o.svg))
		goto out;
	out = o.out ? ct_xstrdup(o.out) : ct_derived_path(o.paths[0], o.svg ? ".svg" : ".png");
	snprintf(path, sizeof(path), "%s/out.%s", dir, o.svg ? "svg" : "png");
	if (install(path, out))
		goto out;
	fprintf(stderr, "ctrace: wrote %s (%ux%u)\n", out, o.width, H);
	rc = 0;
out:
	for (int i = 0; i < loaded; i++) {
		ct_tl_free(&t[i].tl);
		ct_model_free(&t[i].ranked);
		ct_meta_free(&t[i].meta);
	}
	free(t);
	free(out);
	if (!getenv("CTRACE_KEEP_PLOT_DATA"))
		nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	else
		ct_warn("plot data kept in %s", dir);
	return rc;
}
