/*
 * Concurrency over time: how many threads and how many event-loop
 * operations are in progress at each instant, integrated into means and
 * peaks.  Most changes are known as they happen; a thread waiting on a
 * lock is known to have been in progress (contending) or idle only later,
 * from how the wait went.  So waits that may turn out to be contention are
 * pending, and the step function is kept from the oldest pending wait's
 * start, to be raised where one turns out to be; before that, everything is
 * settled.  A wait is pending for at most a bounded time (progress.h), so
 * memory follows the changes within that window, not the trace.
 *
 *   settled        oldest pending start                now
 *   ────────────────┬──────────────────────────────────┤
 *   integrated      │ segments: (start, threads, ops)  │
 */
#ifndef CTRACE_LEVELS_H
#define CTRACE_LEVELS_H

#include <stdint.h>
#include <stddef.h>

struct ct_level_seg {
	uint64_t start;
	int32_t threads, ops;
};

struct ct_levels {
	int32_t threads, ops;		/* now, without the pending waits */
	uint64_t now;			/* time of the last change */
	struct ct_level_seg *segs;	/* from the oldest pending wait's start to now; NULL: not started */
	size_t nsegs, cap;
	/* Settled results. */
	uint64_t threads_ns, ops_ns;	/* integrals: thread-ns, operation-ns */
	uint32_t peak, peak_threads, peak_ops;
};

/* Start integrating at t (the workload's first instant). */
void ct_levels_start(struct ct_levels *l, uint64_t t);
/* From t on, threads and operations in progress change by these amounts. */
void ct_levels_change(struct ct_levels *l, uint64_t t, int32_t dthreads, int32_t dops);
/* One more thread was in progress over [from, to), decided now (at or after `to`). */
void ct_levels_add_past(struct ct_levels *l, uint64_t from, uint64_t to);
/*
 * Nothing before t can change any more (t: the oldest pending wait's
 * start, or now when none is pending): settle it.  No change may come
 * before t after this.
 */
void ct_levels_settle(struct ct_levels *l, uint64_t t);
void ct_levels_free(struct ct_levels *l);

#endif
