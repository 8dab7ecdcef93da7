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
#include "figure.h"
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
	"coloured by the thread that ran there (by the process, for a trace of the "
	"whole system), one lane per thread coloured by its "
	"state, and parallelism and concurrency (work in progress) over time.  Several "
	"traces are stacked on one time scale, each with its verdict.  Needs gnuplot.",
	NULL, NULL, NULL
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
	struct ct_figure *t;
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
		if (ct_figure_load(&t[i]))
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
	uint32_t cols = o.width - CT_FIG_LEFT_PX - CT_FIG_RIGHT_PX;
	uint32_t H = 0;

	for (int i = 0; i < o.n; i++) {
		uint64_t t0 = t[i].start + (uint64_t)(from * 1e9), t1 = t[i].start + (uint64_t)(to * 1e9);

		if (ct_figure_rasterize(&t[i], t0, t1, cols, o.max_threads))
			goto out;
		H += ct_figure_natural_height(&t[i]);
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
		natural += ct_figure_height(&t[i]);
	double y = 1.0, k = (double)H / natural;

	for (int i = 0; i < o.n; i++) {
		double x0 = from * scale, dx = (to - from) * scale / cols;

		ct_figure_scale(&t[i], k);
		if (ct_figure_write(dir, i + 1, &t[i], &y, H, o.width, x0, to * scale, dx, unit))
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
	for (int i = 0; i < loaded; i++)
		ct_figure_free(&t[i]);
	free(t);
	free(out);
	if (!getenv("CTRACE_KEEP_PLOT_DATA"))
		nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	else
		ct_warn("plot data kept in %s", dir);
	return rc;
}
