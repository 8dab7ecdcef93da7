/* One recording's part of a plot: its passes, its layout, its gnuplot data (figure.c). */
#ifndef CTRACE_FIGURE_H
#define CTRACE_FIGURE_H

#include "model.h"
#include "timeline.h"
#include "verdict.h"

/* Margins left for lane labels and for the legends, in pixels. */
#define CT_FIG_LEFT_PX 180
#define CT_FIG_RIGHT_PX 200

struct ct_figure {
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

/* Pass 1: rank threads, judge, find the workload's span.  -1 after saying why. */
int ct_figure_load(struct ct_figure *t);
/* Pass 2: the model's intervals from t0 to t1 into cols pixel columns.  -1 after saying why. */
int ct_figure_rasterize(struct ct_figure *t, uint64_t t0, uint64_t t1, uint32_t cols,
			uint32_t max_threads);
/* The height the figure would like (sets its parts), and the height its parts now add to. */
uint32_t ct_figure_natural_height(struct ct_figure *t);
uint32_t ct_figure_height(const struct ct_figure *t);
/* Scale every part's height by k, to fit the canvas. */
void ct_figure_scale(struct ct_figure *t, double k);
/*
 * Figure i's data files in dir, placed from *y down (fractions of a W x H
 * canvas; *y is moved past it); time runs x0..x1 in unit, dx per column.
 */
int ct_figure_write(const char *dir, int i, const struct ct_figure *t, double *y, double H, double W,
		    double x0, double x1, double dx, const char *unit);
void ct_figure_free(struct ct_figure *t);

#endif
