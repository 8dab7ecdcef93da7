/*
 * Time the host stole, and what the program would have been doing instead.
 *
 * A vCPU the host stops mid-slice leaves its thread "running" by the clock
 * while it computes nothing; the kernel's account of the slice (the
 * switch's prev_runtime) says how much.  Stolen time is neither the
 * program's computing nor its waiting, except where the thread's work was
 * fed by a thread waiting on the outside world: there the outside world
 * set the pace, and with the CPU back sooner the program would have been
 * waiting all the same.
 *
 *   fetcher   [--- waits on the network ---)[--- waits on the network ---)
 *                                          | hands on an item
 *   worker                                  |==run==|·stolen·|==run==|
 *             the stolen part counts as waiting, not as busy (verdict.h)
 *
 * The feeder is the workload thread that last woke the worker
 * (sched_waking's waker; traces without it have no feeders).  Its waits
 * are on the outside world when an interrupt or another process (a reply,
 * a disk) ended its own last wait, not a thread of the workload (a pool's
 * result pipe); timed sleeps are never: a periodic sleeper paces nothing.
 * A thread computing on its own, beside threads that wait on the network,
 * has no feeder: its stolen time stays neither.  The steal is taken as
 * spread evenly over its slice.
 */
#include "model_int.h"

void ct_steal_wakeup(struct ct_model *m, struct ct_thread *t, const struct ct_thread *waker)
{
	bool inside = waker && waker->workload;

	t->woken_outside = !inside;
	t->feeder = inside && waker != t ? (int32_t)(waker - m->threads) : -1;
}

void ct_steal_slice(struct ct_model *m, const struct ct_thread *t, uint64_t slice, uint64_t cpu_ns,
		    uint64_t ts)
{
	uint64_t stolen = slice - cpu_ns;
	uint64_t fed = ct_span(t->feeder_mark, ct_outside_ns_at(&m->threads[t->feeder], ts));

	if (fed > slice)	/* the slice began before the model saw it */
		fed = slice;
	m->stolen_outside_ns += (uint64_t)((double)stolen * (double)fed / (double)slice);
}
