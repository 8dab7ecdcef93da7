/*
 * One recording's part of a plot: read twice (the first pass ranks the
 * threads and finds the span, the second rasterizes the model's intervals
 * into pixel columns), laid out, and written as the data files the gnuplot
 * template draws.  Everything taken from the trace reaches gnuplot only
 * inside those files, made safe by text.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "figure.h"
#include "replay.h"
#include "text.h"

/* ---- colours ---- */

static const uint32_t state_rgb[CT_ST_COUNT] = {
	0x2ca02c, 0xffbf00, 0x8c564b, 0x1f77b4, 0x17becf, 0x9467bd, 0xd62728, 0xc7c7c7, 0xe377c2, 0x7f7f7f,
	0xdde3ec,	/* idle: as good as blank, yet there */
	0xf0e0f8,	/* unknown: a pale mauve no state shares */
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

/* ---- one recording, read twice ---- */

int ct_figure_load(struct ct_figure *t)
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

int ct_figure_rasterize(struct ct_figure *t, uint64_t t0, uint64_t t1, uint32_t cols, uint32_t max_threads)
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

static int write_cpu_band(const char *dir, int i, const struct ct_figure *t, double x0, double x1,
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
	for (uint32_t c = 0; c < tl->nprocs; c++) {	/* -a: a colour per process */
		const struct ct_thread *th = &t->ranked.threads[tl->proc_thread[c]];

		fprintf(k, "%u\t", cat_rgb(CT_TL_THREAD0 + (int)c));
		put_text(k, th->name[0] ? th->name : "?");
		fprintf(k, " (%u)\n", th->tgid);
	}
	for (uint32_t lane = 0; !tl->nprocs && lane < tl->nthr_lanes; lane++) {
		const struct ct_thread *th = &t->ranked.threads[tl->thread_of_lane[lane]];

		fprintf(k, "%u\t", cat_rgb(CT_TL_THREAD0 + (int)lane));
		if ((int32_t)lane == tl->more_lane)
			fprintf(k, "%u more threads\n", tl->merged);
		else if ((int32_t)lane == tl->idle_lane)
			fprintf(k, "%u idle threads\n", tl->idle_merged);
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

static int write_thread_band(const char *dir, int i, const struct ct_figure *t, double x0, double dx)
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
		if ((int32_t)lane == tl->more_lane)
			fprintf(l, "(%u more threads)\n", tl->merged);
		else if ((int32_t)lane == tl->idle_lane)
			fprintf(l, "(%u idle threads)\n", tl->idle_merged);
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

/* The highest the in-progress curve is drawn: its peak as the pixel columns average it. */
static double curve_peak(const struct ct_timeline *tl)
{
	double peak = 0;

	for (uint32_t c = 0; c < tl->width; c++) {
		double v = ct_tl_level(tl, tl->progress, c) + ct_tl_level(tl, tl->ops, c);

		peak = v > peak ? v : peak;
	}
	return peak;
}

static int write_curves(const char *dir, int i, const struct ct_figure *t, double x0, double dx)
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
	for (uint32_t c = 0; c <= last && last; c++) {	/* the last row closes the last step */
		uint32_t k = c < last ? c : last - 1;
		double ops = ct_tl_level(tl, tl->ops, k);

		fprintf(f, "%.9g\t%.4f\t%.4f\t%.4f\n", x0 + dx * c, ct_tl_level(tl, tl->run, k),
			ct_tl_level(tl, tl->progress, k) + ops, ops);
	}
	if (!last) {
		fputs("# nothing in this range\n", f);
	}
	fclose(f);
	return 0;
}

/* Characters of the title font a canvas W pixels wide holds, less the duration's. */
#define TITLE_CHAR_PX 8
#define TITLE_TAIL_CHARS 32

/* The command line as one safe line, cut (with an ellipsis) to max characters. */
static void put_command(FILE *f, const struct ct_meta *meta, size_t max)
{
	char *line = NULL, safe[CT_TEXT_MAX(1024)];
	size_t len = 0, n = 0;
	FILE *m = open_memstream(&line, &len);

	for (uint32_t a = 0; m && a < meta->argc; a++)
		fprintf(m, "%s%s", a ? " " : "", meta->argv[a]);
	if (!m || fclose(m)) {
		fputs("?", f);
		return;
	}
	ct_text(meta->argc ? line : "(whole system)", CT_TEXT_DATA, safe, sizeof(safe));
	free(line);
	for (char *p = safe; *p; p++)	/* count characters, not bytes */
		if ((*p & 0xc0) != 0x80 && ++n > max) {
			strcpy(p, "\xe2\x80\xa6");	/* U+2026 */
			break;
		}
	fputs(safe, f);
}

static int write_title(const char *dir, int i, const struct ct_figure *t, double ytop, double W)
{
	FILE *f = open_data(dir, i, "title");
	const struct ct_verdict *v = &t->verdict;
	double room = W / TITLE_CHAR_PX - TITLE_TAIL_CHARS;

	if (!f)
		return -1;
	fprintf(f, "0.01\t%.3f\t", ytop);
	put_command(f, &t->meta, room > 20 ? (size_t)room : 20);
	fprintf(f, "   —   %.3f s, %u CPUs\t%u\n", ct_model_wall_s(&t->ranked), t->ranked.ncpus, 0x222222u);
	fprintf(f, "0.01\t%.3f\t%s, %s:  parallelism %.2f mean, %u peak;  concurrency %.2f mean\t%u\n",
		ytop - 0.38, ct_bound_name(v->kind), ct_shape_name(v->shape), v->parallelism,
		t->ranked.running_peak, v->concurrency, v->kind != CT_BOUND_IO ? 0xb03030u : 0x1f5fa0u);
	if (t->dropped)
		fprintf(f, "0.55\t%.3f\tWARNING: %" PRIu64 " events dropped: lanes have gaps\t%u\n",
			ytop - 0.38, t->dropped, 0xd62728u);
	if (t->ranked.repaired)
		fprintf(f, "%.2f\t%.3f\t%" PRIu64 " missed switches repaired (one task per CPU)\t%u\n",
			t->dropped ? 0.78 : 0.55, ytop - 0.38, t->ranked.repaired, 0xd62728u);
	fclose(f);
	return 0;
}

/* ---- layout ---- */

#define TITLE_PX 46
#define CURVE_PX 130
#define GAP_PX 14
#define CPU_LANE_PX 18
#define THR_LANE_PX 16
#define AXIS_PX 34

uint32_t ct_figure_natural_height(struct ct_figure *t)
{
	t->title_h = TITLE_PX;
	t->cpu_h = CPU_LANE_PX * t->tl.ncpu_lanes;
	uint32_t keys = (t->tl.nprocs ? t->tl.nprocs : t->tl.nthr_lanes) + 1;	/* the legend: threads or processes, + other */

	if (t->cpu_h < 12 * 13)
		t->cpu_h = t->cpu_h > 13u * keys ? t->cpu_h : 13u * keys;
	t->thr_h = THR_LANE_PX * (t->tl.nthr_lanes ? t->tl.nthr_lanes : 1);
	if (t->thr_h < 13 * CT_ST_COUNT)	/* room for the state legend */
		t->thr_h = 13 * CT_ST_COUNT;
	t->cur_h = CURVE_PX;
	return ct_figure_height(t);
}

uint32_t ct_figure_height(const struct ct_figure *t)
{
	return t->title_h + t->cpu_h + GAP_PX + t->thr_h + GAP_PX + t->cur_h + AXIS_PX + GAP_PX;
}

void ct_figure_scale(struct ct_figure *t, double k)
{
	t->title_h = (uint32_t)(t->title_h * k);
	t->cpu_h = (uint32_t)(t->cpu_h * k);
	t->thr_h = (uint32_t)(t->thr_h * k);
	t->cur_h = (uint32_t)(t->cur_h * k);
}

static int write_vars(const char *dir, int i, const struct ct_figure *t, double *y, double H, double W,
		      double x0, double x1, const char *unit)
{
	FILE *f = open_data(dir, i, "vars");
	double py = 1.0 / H;
	uint32_t ncpus = t->ranked.ncpus;
	double peak = curve_peak(&t->tl);
	/* Concurrency drawn far above the CPUs gets an axis of its own, so parallelism stays legible. */
	bool two_axes = peak > 4 * ncpus;

	if (!f)
		return -1;
	/* Only numbers and a unit from a fixed set: nothing here comes from the trace. */
	fprintf(f, "lm = %.5f\nrm = %.5f\nx0 = %.9g\nx1 = %.9g\nunit = \"%s\"\n", CT_FIG_LEFT_PX / W,
		1 - CT_FIG_RIGHT_PX / W, x0, x1, unit);
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
	fprintf(f, "ncpu = %u\nnthr = %u\nncpus = %u\nymax = %.1f\ny2max = %.1f\ntwoaxes = %d\n",
		t->tl.ncpu_lanes, t->tl.nthr_lanes ? t->tl.nthr_lanes : 1, ncpus,
		(two_axes || peak < ncpus ? ncpus : ceil(peak)) + 0.5, ceil(peak * 1.05) + 0.5, two_axes);
	fprintf(f, "cpukeys = %u\nthrkeys = %u\n", (t->tl.nprocs ? t->tl.nprocs : t->tl.nthr_lanes) + 1, CT_ST_COUNT);
	fclose(f);
	return 0;
}

int ct_figure_write(const char *dir, int i, const struct ct_figure *t, double *y, double H, double W,
		    double x0, double x1, double dx, const char *unit)
{
	return write_title(dir, i, t, 0.72, W) || write_vars(dir, i, t, y, H, W, x0, x1, unit) ||
	       write_cpu_band(dir, i, t, x0, x1, dx) || write_thread_band(dir, i, t, x0, dx) ||
	       write_curves(dir, i, t, x0, dx) ? -1 : 0;
}

void ct_figure_free(struct ct_figure *t)
{
	ct_tl_free(&t->tl);
	ct_model_free(&t->ranked);
	ct_meta_free(&t->meta);
}
