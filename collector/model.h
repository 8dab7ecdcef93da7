/*
 * The model: a trace replayed into thread states, CPU occupancy and the
 * numbers that explain them.  Pure: events in, structures out, no I/O.
 * Memory grows with threads and CPUs, never with events.  Plots and
 * exports subscribe to the intervals it closes through a sink.
 */
#ifndef CTRACE_MODEL_H
#define CTRACE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "classify.h"
#include "levels.h"
#include "loops.h"
#include "tidmap.h"
#include "trace.h"

/*
 * A lock wait whose meaning is not settled yet (progress.h): it began
 * hungry at start, would stop contending at until, and, once woken at end
 * by waker, waits to see whether the waker exits (a join).
 */
struct ct_lock_wait {
	uint64_t start, until, end;	/* end 0: still waiting */
	uint32_t waker;			/* a workload thread's tid, 0 if not one */
	int32_t syscall;		/* the call it is blocked in */
};

#define CT_PENDING_MAX 2	/* lock waits a thread has unsettled at once; more settle early */

struct ct_thread {
	uint32_t tid, tgid;
	uint32_t marked_tgid;	/* the process last marked workload on its account, 0 none */
	char name[CT_COMM_LEN];
	bool workload;
	bool dead;
	enum ct_state state;	/* CT_ST_NONE until it is seen alive */
	uint64_t since;		/* start of the current state */
	int32_t cpu;		/* where it runs or last ran, -1 unknown */
	uint64_t first, last;	/* alive from, until (death or end of trace) */
	int32_t blocked_syscall;	/* the syscall it is blocked in, -1 none */
	uint64_t state_ns[CT_ST_COUNT];
	uint64_t cpu_ns;	/* CPU time as the kernel accounts it: running minus steal */
	uint64_t migrations;
	/* What it stands for in concurrency (progress.h). */
	uint32_t ops;		/* operations its current state stands for */
	uint32_t loop_ops;	/* its event loop's operations in flight (progress.h) */
	int32_t loop_epfd;	/* the epoll set its loop waits on, -1 none */
	uint64_t ops_ns;	/* operations x time over its whole life */
	uint64_t loop_ns;	/* time it stood for operations */
	uint64_t progress_ns;	/* time it was itself in progress */
	double hunger;		/* recent share of time running or runnable */
	uint64_t hunger_at;
	uint32_t waker;		/* who woke it last: a tid, 0 for an interrupt or unknown */
	uint64_t woken_at;
	/* Time the host stole (model_steal.c). */
	bool woken_outside;	/* its last wakeup came from outside the workload */
	bool counted_outside;	/* it waits on the outside world now */
	int32_t feeder;		/* the workload thread that woke it last, -1 none */
	uint64_t outside_ns;	/* time it waited on the outside world, up to since */
	uint64_t feeder_mark;	/* the feeder's outside_ns when this went on a CPU */
	uint8_t npending;
	struct ct_lock_wait pending[CT_PENDING_MAX];
};

struct ct_cpu_use {
	uint32_t tid;		/* on it now; 0 idle */
	int32_t thread;		/* index into threads of that task, -1 idle/unknown */
	uint64_t since;
	bool other;		/* another process's task is on it */
	bool unsure;		/* who is on it is not known (a missed switch): idle till the next */
	uint64_t workload_ns, other_ns, idle_ns;
};

struct ct_sys_stat {
	uint64_t count, total_ns, max_ns;
	uint64_t blocked_ns;	/* thread time blocked inside this syscall */
	uint64_t disk_ns;	/* of which in uninterruptible (disk) sleep */
};

#define CT_RUNQ_BUCKETS 1024
#define CT_END_UNKNOWN UINT32_MAX

/*
 * Called as each interval closes (a lock wait's once its meaning is
 * settled, up to CT_JOIN_WINDOW_NS later); any callback may be NULL.
 */
struct ct_model_sink {
	void *ctx;
	/* ops: the operations a poll-like wait stood for (progress.h), else 0. */
	void (*thread_state)(void *ctx, const struct ct_thread *t, enum ct_state s, uint32_t ops,
			     int32_t cpu, uint64_t start, uint64_t end);
	/*
	 * thread is NULL for idle (tid 0); end_state is the stored prev_state
	 * the slice ended with, CT_END_UNKNOWN when the trace ended first.
	 * cpu_ns is the kernel's account of the slice (what rusage sums: less
	 * than end - start by what the hypervisor stole and interrupts took),
	 * 0 when unknown.
	 */
	void (*cpu_slice)(void *ctx, uint32_t cpu, const struct ct_thread *t, uint64_t start,
			  uint64_t end, uint32_t end_state, uint64_t cpu_ns);
};

#define CT_MODEL_RECENT 64	/* most events are about a few busy threads */

struct ct_model {
	uint32_t ncpus, root_pid, options;
	uint32_t recorder_pid;		/* -a: the whole machine but ctrace itself */
	uint32_t focus;			/* a tgid: that process alone is the workload (0: none) */
	struct ct_model_sink sink;
	bool intervals_only;		/* levels not counted: nothing will read them (replay.h) */

	struct ct_tidmap ids;		/* tid -> index of its newest thread */
	struct ct_tid_index { uint32_t tid, index; } recent[CT_MODEL_RECENT];	/* ids' last answers, by tid % size */
	struct ct_thread *threads;
	size_t nthreads, threads_cap;
	struct ct_tidmap wl_tgids;	/* processes of the workload */
	struct ct_tidmap kids;		/* tgid -> its child processes alive (model_children.c) */
	struct ct_tidmap parent_of;	/* a child process's tgid -> its parent's */
	struct ct_cpu_use *cpus;

	uint64_t t_first, t_last;	/* all events */
	uint64_t w_first, w_last;	/* the workload's lifetime: the wall clock */
	uint64_t events, lost, migrations;
	uint64_t repaired;		/* switches whose CPU held another task in the model (missed switches) */

	/* Levels over time, integrated at each change. */
	uint64_t level_since;
	uint32_t running, busy, alive, waiting;	/* busy: running or runnable; waiting: on I/O */
	uint32_t others;		/* CPUs running another process's task */
	uint32_t max_level;		/* size of par_ns - 1 */
	uint64_t *par_ns;		/* time with exactly i workload threads running */
	uint64_t unalive_ns;		/* since the last thread died: par_ns[0]'s if one joins later */
	uint64_t alive_ns;		/* integral: thread-ns */
	uint32_t alive_peak, running_peak;
	uint64_t waiting_any_ns, waiting_multi_ns;	/* >= 1, >= 2 threads waiting on I/O */
	uint64_t busy_any_ns;		/* >= 1 thread running or runnable */
	uint64_t demand_ns;		/* integral of min(running + runnable, CPUs): CPUs wanted */
	uint64_t own_excess_ns;		/* runnable thread-ns beyond the CPUs the workload alone wanted */
	uint64_t over_ns;		/* by the clock: more threads running or runnable than CPUs */
	uint64_t others_wait_ns;	/* runnable thread-ns while other processes held CPUs */
	uint64_t held_back_ns;		/* by the clock: runnable, none running, others held CPUs */
	uint64_t timer_wait_ns;		/* thread-ns in poll-like waits on no operation, with a timeout */
	uint64_t stolen_outside_ns;	/* thread-ns the host stole while the feeders waited outside */

	/* Concurrency: threads and operations in progress (levels.h, progress.h). */
	struct ct_levels conc;
	struct ct_loops loops;
	bool ops_known;			/* the trace says what waits are on (format 1.1, syscalls) */
	uint32_t *unsettled;		/* threads with unsettled lock waits */
	size_t nunsettled, unsettled_cap;
	uint64_t next_deadline;		/* when one may settle by itself; UINT64_MAX: none */

	uint64_t runq[CT_RUNQ_BUCKETS];
	uint64_t runq_count, runq_max;
	struct ct_sys_stat *sys;
	int nsys;
};

void ct_model_init(struct ct_model *m, const struct ct_meta *meta);
/*
 * After init, before any event: the workload is process tgid alone (not
 * its children), as if recorded with -p and judged by itself.  Of other
 * processes the model then takes only what says who held each CPU.
 */
void ct_model_focus(struct ct_model *m, uint32_t tgid);
void ct_model_event(struct ct_model *m, const struct ct_event *ev);
/* Close every open interval at the end of the trace. */
void ct_model_finish(struct ct_model *m);
void ct_model_free(struct ct_model *m);

/* Mean threads and operations in progress over the wall time (progress.h). */
double ct_model_concurrency(const struct ct_model *m, double *threads, double *ops);
/* The newest thread with this tid (alive, or the last to die), NULL when never seen. */
const struct ct_thread *ct_model_thread(const struct ct_model *m, uint32_t tid);

/*
 * What must hold of any trace: at most one task running per CPU (kept by
 * construction), never more workload threads running than CPUs, on-CPU
 * time within wall time x CPUs, and each workload thread's states summing
 * to its lifetime.  0 if they hold; else -1 with what broke in why.
 */
int ct_model_check(const struct ct_model *m, char *why, size_t len);

/* Derived numbers. */
double ct_model_wall_s(const struct ct_model *m);
uint64_t ct_model_total_ns(const struct ct_model *m, enum ct_state s);	/* over workload threads */
/* Time t spent blocked, for any reason (unknown time is not blocked). */
uint64_t ct_thread_blocked_ns(const struct ct_thread *t);
uint64_t ct_model_runq_percentile(const struct ct_model *m, double p);	/* ns */
uint32_t ct_model_processes(const struct ct_model *m);
uint32_t ct_model_workload_threads(const struct ct_model *m);
/* Workload CPU time as the kernel accounts it (what rusage reports). */
uint64_t ct_model_cpu_ns(const struct ct_model *m);
/*
 * Indices of the workload's threads, largest CPU user first (then longest
 * lived, then lowest tid): the order report and plot both show.  malloc'd.
 */
size_t *ct_model_ranked_threads(const struct ct_model *m, size_t *n);

#endif
