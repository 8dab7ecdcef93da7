/*
 * What counts as work in progress: the definition concurrency rests on.
 *
 * A thread is in progress while it runs, waits for a CPU, or is blocked in
 * the middle of its work: on I/O (disk, net, pipe), in a timed sleep (the
 * usual stand-in for a call), or contending for a lock another thread
 * holds.  It is not while it waits for its children (child), or for other
 * threads to finish or to hand it work: a join, a future's result, a pool
 * worker parked with nothing to do (idle).  A thread waiting in poll,
 * select, epoll_wait or io_uring_enter stands for the operations it waits
 * on instead: one per socket to the outside world, one per io_uring request
 * in flight; waiting on none, it is in progress if a timeout will end the
 * wait (a timer, which the kernel cannot see, may be due) and idle if not.
 * Such an event loop's operations stay in flight while its thread runs
 * between waits (handling one of them, say): running, it stands for them
 * too, until it blocks on something else.
 *
 * Lock or idle is told from the trace, never from names.  A thread blocked
 * on a lock (futex and the like) contends for it while it is hungry: its
 * share of recent time spent running or runnable (decaying with
 * CT_HUNGER_TAU_NS) is at least CT_HUNGER_MIN.  A hungry thread stays
 * contending until that share, decaying while it waits, falls below the
 * minimum, and for CT_CONTEND_MAX_NS at most: a thread that has not run for
 * a while is parked, or waiting for others to finish.  One that was not
 * hungry was idle from the start.  A wait ended by a thread that exits
 * within CT_JOIN_WINDOW_NS of waking it was a join: idle throughout (told
 * for waits up to CT_JOIN_HOLD_NS long; a longer one, while it was
 * hungry, is counted as contention, at most CT_CONTEND_MAX_NS); so is,
 * from its start, a futex wait on the word the kernel clears when a thread
 * of the process exits (pthread_join; the probes mark it CT_ARG_JOIN).
 *
 *   hunger ─┐                 contending          idle
 *           └───decays───────────────┐·····························
 *   wait    [start ──────────────────x─────────────────────── end)
 *     x = start + min(tau * ln(hunger at start / CT_HUNGER_MIN), CT_CONTEND_MAX_NS)
 */
#ifndef CTRACE_PROGRESS_H
#define CTRACE_PROGRESS_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "classify.h"

#define CT_HUNGER_TAU_NS 50000000ull	/* 50 ms */
#define CT_HUNGER_MIN 0.05
#define CT_JOIN_WINDOW_NS 10000000ull	/* 10 ms */
#define CT_CONTEND_MAX_NS 50000000ull	/* 50 ms */
#define CT_JOIN_HOLD_NS 2000000000ull	/* 2 s */

/* Whether a thread in state s stands for its event loop's operations. */
static inline bool ct_state_carries_ops(enum ct_state s)
{
	return s == CT_ST_POLL || s == CT_ST_RUNNING || s == CT_ST_RUNNABLE;
}

/* Threads an interval in state s, standing for ops operations, counts as in progress. */
static inline int ct_progress_threads(enum ct_state s, uint32_t ops)
{
	switch (s) {
	case CT_ST_CHILD: case CT_ST_IDLE: case CT_ST_UNKNOWN: case CT_ST_NONE: return 0;
	default: return ops && ct_state_carries_ops(s) ? 0 : 1;
	}
}

static inline uint32_t ct_progress_ops(enum ct_state s, uint32_t ops)
{
	return ct_state_carries_ops(s) ? ops : 0;
}

/* Whether time in state s makes a thread hungrier (running or runnable) or not. */
static inline bool ct_hunger_feeds(enum ct_state s)
{
	return s == CT_ST_RUNNING || s == CT_ST_RUNNABLE;
}

/*
 * exp(-d / tau).  Most spans between switches are microseconds, where
 * x = d / tau < 1e-3 and five terms of the series are exact to a double's
 * precision (the next term is below x^5 / 120 < 1e-17): no libm call per
 * context switch.  The terms' coefficients are constants multiplied, not
 * divisions: a chain of divisions here was most of a switch's cost.
 */
static inline double ct_hunger_keep(uint64_t d)
{
	double x = (double)d * (1.0 / (double)CT_HUNGER_TAU_NS);

	if (x < 1e-3)
		return 1 + x * (-1 + x * (1.0 / 2 + x * (-1.0 / 6 + x * (1.0 / 24 - x * (1.0 / 120)))));
	return exp(-x);
}

/* The share of recent time a thread was running or runnable, after d ns more in state s. */
static inline double ct_hunger_after(double hunger, uint64_t d, enum ct_state s)
{
	double keep = ct_hunger_keep(d);

	return hunger * keep + (ct_hunger_feeds(s) ? 1 - keep : 0);
}

/* When a wait begun hungry at start stops contending: its hunger, decaying, reaches the minimum. */
static inline uint64_t ct_hunger_lasts_until(uint64_t start, double hunger)
{
	double d = (double)CT_HUNGER_TAU_NS * log(hunger / CT_HUNGER_MIN);

	return start + (d < (double)CT_CONTEND_MAX_NS ? (uint64_t)d : CT_CONTEND_MAX_NS);
}

#endif
