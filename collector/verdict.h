/* The answer: is the workload CPU- or I/O-bound, and what shape is its concurrency? */
#ifndef CTRACE_VERDICT_H
#define CTRACE_VERDICT_H

#include "model.h"

struct ct_verdict {
	const char *kind;	/* cpu-bound, io-bound, mixed */
	const char *shape;	/* single/parallel/serialized/oversubscribed, sequential/threaded/event-loop */
	char summary[640];
	/* The evidence. */
	double parallelism;	/* workload CPU time (as the kernel accounts it) / wall */
	double concurrency;	/* mean threads in flight */
	double busy_share;	/* of wall time, >= 1 thread running or runnable (by the clock) */
	double computing_share;	/* the same, scaled by the kernel's CPU time over on-CPU time */
	double state_share[CT_ST_COUNT];	/* of workload thread time */
	uint32_t hungry;	/* threads that ran >= 10% of the wall time */
};

/*
 * Thresholds:
 *   kind   Two shares of the wall time in which something of the workload
 *          was running or runnable: busy, by the clock, which is when it
 *          wanted a CPU (a thread the hypervisor preempted still does), and
 *          computing, busy scaled by the kernel's CPU time over on-CPU
 *          clock time, which is how much of that it really computed (on a
 *          VM the host may do a thread's disk I/O while its vCPU is
 *          stopped: "running" by the clock, waiting in truth).
 *          cpu-bound when busy >= 75% and computing >= 50%; io-bound when
 *          computing < 50% (it waited more than it computed); mixed
 *          otherwise.
 *          (Wall time, not thread time: a helper thread idling in a wait while
 *          workers compute does not make a program I/O-bound.)
 *   cpu    oversubscribed: runnable >= 25% of running+runnable time;
 *          parallel: parallelism >= 1.3;
 *          serialized: >= 2 hungry threads and lock waits >= 20% of
 *          running+runnable+lock time;  else single.
 *   io     event-loop: poll is the largest wait and >= 70% of it is one thread's;
 *          threaded: >= 2 threads waited at once for >= 50% of the waiting time;
 *          else sequential.
 *   mixed  takes the shape of the larger part: the CPU side, since a mixed
 *          workload computes at least half of the time.
 */
void ct_verdict(const struct ct_model *m, struct ct_verdict *v);

#endif
