/*
 * The figure's data, before any drawing: which lane shows which CPU or
 * thread, and what each pixel column of each lane shows.  Pure and
 * streaming: the model's sink feeds it, memory is lanes x columns.
 */
#ifndef CTRACE_TIMELINE_H
#define CTRACE_TIMELINE_H

#include "model.h"

#define CT_TL_IDLE 0		/* CPU-lane categories: idle, */
#define CT_TL_OTHER 1		/* another process, */
#define CT_TL_THREAD0 2		/* or the thread of lane (cat - 2), or under -a the process of colour (cat - 2) */
#define CT_TL_MAX_PROCS 10	/* -a: processes with a colour of their own; the rest are "other" */
#define CT_TL_BLANK (-1)	/* a column with nothing to show */

struct ct_timeline {
	uint64_t t0, t1;		/* time shown, ns on the trace clock */
	uint32_t width;			/* pixel columns */
	const struct ct_model *model;	/* the pass feeding the sink */

	uint32_t ncpu_lanes;
	uint32_t *cpu_of_lane;		/* topology order: package, core, SMT */
	int32_t *lane_of_cpu;

	uint32_t nthr_lanes;
	uint32_t merged;		/* active threads past the limit, in lane more_lane */
	uint32_t idle_merged;		/* mostly idle threads, all in lane idle_lane */
	int32_t more_lane, idle_lane;	/* -1 when there is none */
	size_t nthreads;		/* size of lane_of_thread */
	int32_t *lane_of_thread;	/* model thread index -> lane, -1 none */
	size_t *thread_of_lane;		/* lane -> model thread index (first of a merged lane) */

	/*
	 * What colours a CPU lane.  Threads, by their lane's colour; under -a,
	 * where the whole machine is the workload and its threads too many to
	 * tell apart, processes: the largest CPU users, each a colour.
	 */
	uint32_t ncat;			/* CPU-lane categories: 2 + nthr_lanes, or 2 + nprocs */
	int32_t *cat_of_thread;		/* model thread index -> category */
	uint32_t nprocs;		/* -a: processes with a colour; 0 when colours are threads' */
	size_t *proc_thread;		/* -a: colour -> the model thread naming its process */
	uint64_t *thr;			/* [lane][col][state] ns */
	uint64_t *cpu;			/* [lane][col][cat] ns */
	/* The curves, per column: thread-ns running, thread-ns in progress, operation-ns. */
	uint64_t *run, *progress, *ops;
};

/* CPU lane order from the topology; CPUs it does not list follow by id. */
void ct_tl_order_cpus(const struct ct_cpu *topo, uint32_t ntopo, uint32_t ncpus, uint32_t *order);

/*
 * Lanes from a finished first pass: threads ranked by CPU time, at most
 * max_lanes.  Threads in progress (themselves, or as an event loop's
 * operations) for at most CT_TL_IDLE_SHARE of their lives (parked runtime
 * threads, say) share one lane at the bottom; active threads past the
 * limit share the lane above it.  -1 on a bad range or width.
 */
#define CT_TL_IDLE_SHARE 0.05
int ct_tl_init(struct ct_timeline *tl, const struct ct_model *ranked, const struct ct_meta *meta,
	       uint64_t t0, uint64_t t1, uint32_t width, uint32_t max_lanes);
/* The sink to give the second pass's model (ctx = the timeline). */
struct ct_model_sink ct_tl_sink(struct ct_timeline *tl);
void ct_tl_free(struct ct_timeline *tl);

/* What a column shows: the state that took most of it. */
int ct_tl_thread_cell(const struct ct_timeline *tl, uint32_t lane, uint32_t col);
/*
 * Whether the thread ran at all in the column: drawn as a strip over a
 * column whose main state is another, so a 1 us run stays visible at any
 * zoom without making a mostly waiting thread look busy.
 */
bool ct_tl_thread_ran(const struct ct_timeline *tl, uint32_t lane, uint32_t col);
/* The workload thread lane that ran most of it, else other, else idle. */
int ct_tl_cpu_cell(const struct ct_timeline *tl, uint32_t lane, uint32_t col);
/* Mean threads running, threads in progress, or operations in a column. */
double ct_tl_level(const struct ct_timeline *tl, const uint64_t *curve, uint32_t col);

#endif
