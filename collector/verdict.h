/* The answer: is the workload CPU- or I/O-bound, and what shape is its concurrency? */
#ifndef CTRACE_VERDICT_H
#define CTRACE_VERDICT_H

#include "model.h"

enum ct_bound {
	CT_BOUND_CPU,		/* cpu-bound */
	CT_BOUND_IO,		/* io-bound */
	CT_BOUND_MIXED,		/* mixed */
};

enum ct_shape {
	/* Of CPU-bound (and mixed) work. */
	CT_SHAPE_SINGLE,
	CT_SHAPE_PARALLEL,
	CT_SHAPE_SERIALIZED,
	CT_SHAPE_OVERSUBSCRIBED,
	/* Of I/O-bound work. */
	CT_SHAPE_SEQUENTIAL,
	CT_SHAPE_THREADED,
	CT_SHAPE_EVENT_LOOP,
};

/* The names report, JSON and plot print: "cpu-bound", "event-loop"... */
const char *ct_bound_name(enum ct_bound b);
const char *ct_shape_name(enum ct_shape s);

/*
 * Thresholds, each a share unless it says otherwise:
 *
 * kind: two shares of the wall time in which something of the workload was
 * running or runnable.  Busy, by the clock, is when it wanted a CPU (a
 * thread the hypervisor preempted still does).  Computing is busy scaled by
 * the kernel's CPU time over on-CPU clock time: how much of that it really
 * computed (on a VM the host may do a thread's disk I/O, or run another
 * guest, while its vCPU is stopped: "running" by the clock, computing
 * nothing).  Wall time, not thread time: a helper idling in a wait while
 * workers compute does not make a program I/O-bound.  Nor the machine's
 * time: while other processes held the CPUs and none of the workload's
 * threads ran, it was held back, neither computing nor waiting on its
 * own; that time leaves both sides of the share (a disk loop beside CPU
 * hogs is still I/O-bound, and the summary says how long it waited for
 * them).  Time the host stole from a running thread (busy, not
 * computing) is not the program's either: the kind
 * compares computing with waiting (not busy), which is the same as
 * comparing it with the whole when nothing was stolen.  Except where the
 * thread's work was fed by one waiting on the outside world meanwhile
 * (model_steal.c): that stolen time was waiting, and leaves busy.
 *   cpu-bound  busy >= CT_CPU_BUSY_MIN and computing >= CT_COMPUTING_MIN
 *              of computing + waiting
 *   io-bound   computing < CT_COMPUTING_MIN of computing + waiting (it
 *              waited more than it computed)
 *   mixed      otherwise; it takes the CPU side's shape, since a mixed
 *              workload computes at least half of the time.
 */
#define CT_CPU_BUSY_MIN 0.75
#define CT_COMPUTING_MIN 0.50
/*
 * CPU shapes, in this order:
 *   oversubscribed  the workload's own runnable threads outnumbered the CPUs
 *                   (beyond what all its running and runnable threads could
 *                   use) for >= CT_OVERSUBSCRIBED_MIN of running + runnable
 *                   thread time.  Runnable time because other processes
 *                   held the CPUs is not the program's shape: it is said
 *                   as contention instead.
 *   serialized      >= 2 hungry threads (running, runnable or contending
 *                   for a lock >= CT_HUNGRY_MIN of the wall time each),
 *                   lock contention >= CT_SERIALIZED_MIN of running (the
 *                   kernel's CPU time, steal excluded) + runnable + lock (idle waits are not lock; runnable
 *                   while other processes held the CPUs is not counted;
 *                   half of it when others held >= CT_BUSY_MACHINE_MIN of
 *                   the CPUs, or the host stole that share of its time)
 *                   and parallelism < CT_SERIALIZED_PAR_MAX: mostly one at
 *                   a time, whatever a spinning lock burns on a second CPU
 *   parallel        parallelism >= CT_PARALLEL_MIN, or the CPUs the
 *                   workload wanted (running or runnable, at most all of
 *                   them) >= CT_PARALLEL_MIN: the machine was not free
 *   single          otherwise
 */
#define CT_OVERSUBSCRIBED_MIN 0.25
#define CT_PARALLEL_MIN 1.3
#define CT_HUNGRY_MIN 0.10
#define CT_SERIALIZED_MIN 0.20
#define CT_SERIALIZED_PAR_MAX 1.5
#define CT_ONE_RUNNER_MIN 0.75	/* a serialized program one thread ran this share of: said (verdict.c) */
/*
 * I/O shapes:
 *   event-loop  one thread multiplexed >= CT_EVENT_LOOP_OPS operations in
 *               flight on average while it waited in poll-like calls (for
 *               traces that do not say what waits are on: poll is the
 *               largest wait and >= CT_EVENT_LOOP_MIN of it one thread's)
 *   threaded    >= 2 threads waited on I/O at once for >= CT_THREADED_MIN
 *               of the time anything waited (idle threads do not wait)
 *   sequential  otherwise: one wait, or one operation, at a time
 */
#define CT_EVENT_LOOP_OPS 2.0
#define CT_EVENT_LOOP_MIN 0.70
#define CT_THREADED_MIN 0.50
/* The machine was busy: other processes held this share of all CPU time. */
#define CT_BUSY_MACHINE_MIN 0.15

struct ct_verdict {
	enum ct_bound kind;
	enum ct_shape shape;
	char summary[1024];
	/* The evidence. */
	double parallelism;	/* workload CPU time (as the kernel accounts it) / wall */
	double wanted;		/* mean CPUs it wanted: running or runnable, at most all */
	double concurrency;	/* mean work in progress: threads + operations (progress.h) */
	double conc_threads, conc_ops;
	double loop_ops;	/* mean operations the busiest event loop waited on */
	uint32_t loops;		/* threads that were event loops of their own */
	double others_cpu_share;	/* of all CPU time, other processes' */
	double waiting_for_others_s;	/* runnable thread time while others held the CPUs */
	double held_back_share;	/* of wall time, only runnable while other processes held the CPUs */
	double busy_share;	/* of wall time not held back, >= 1 thread running or runnable */
	double kernel_share;	/* the kernel's CPU time over on-CPU clock time: below 1 where the host stole */
	double computing_share;	/* busy, scaled by kernel_share */
	double stolen_waiting_share;	/* busy, stolen while the program waited on the outside world */
	double state_share[CT_ST_COUNT];	/* of workload thread time */
	double active_share[CT_ST_COUNT];	/* of its thread time not idle: the summary's shares */
	uint32_t hungry;	/* threads that wanted a CPU >= CT_HUNGRY_MIN of the wall time */
};

void ct_verdict(const struct ct_model *m, struct ct_verdict *v);

#endif
