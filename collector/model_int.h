/* What model.c, model_cpus.c, model_locks.c and model_loops.c share: the model's own bookkeeping, not its users'. */
#ifndef CTRACE_MODEL_INT_H
#define CTRACE_MODEL_INT_H

#include "model.h"

static inline uint64_t ct_span(uint64_t start, uint64_t end)
{
	return end > start ? end - start : 0;
}

/* Time t spent in state s (standing for ops operations) over [start, end): counted, and told to the sink. */
void ct_model_account(struct ct_model *m, struct ct_thread *t, enum ct_state s, uint32_t ops,
		      int32_t syscall, uint64_t start, uint64_t end);

/* t is in state s from ts, standing for ops operations; the interval it leaves is accounted. */
void ct_model_set_state(struct ct_model *m, struct ct_thread *t, enum ct_state s, uint32_t ops,
			uint64_t ts);

/* Mark tid's process as workload (from a workload-only event on cpu) and tid with it (model.c). */
struct ct_thread *ct_model_workload_thread(struct ct_model *m, uint32_t tid, uint16_t cpu, uint64_t ts,
					   enum ct_state initial);

/* model_loops.c: what poll-like waits stand for. */
void ct_loop_on_syscall(struct ct_model *m, const struct ct_event *e);
void ct_loop_on_epoll(struct ct_model *m, const struct ct_event *e);
/* The thread's event loop is now what this poll-like call (arg) waits on. */
void ct_loop_set(struct ct_model *m, struct ct_thread *t, enum ct_wait_call call, uint32_t arg);
/* A new interval, in the same state, when what the thread stands for changed. */
void ct_loop_restate(struct ct_model *m, struct ct_thread *t, uint64_t ts);
/* t blocked in a poll-like call: the state it is in (poll, or idle waiting on nothing forever). */
enum ct_state ct_loop_poll_wait(struct ct_model *m, struct ct_thread *t, int32_t syscall, uint32_t arg);
/* An epoll set of tgid changed (epfd; -1: any): the threads whose loop it is stand for its new size. */
void ct_loop_epoll_changed(struct ct_model *m, uint32_t tgid, int32_t epfd, uint64_t ts);

/* model_locks.c: lock waits, from their start to the moment their meaning is settled. */
/* t blocks on a lock at ts: the state it is in from now (CT_ST_LOCK while unsettled, or CT_ST_IDLE). */
enum ct_state ct_locks_begin(struct ct_model *m, struct ct_thread *t, int32_t syscall, uint64_t ts);
/* t's unsettled lock wait ends at ts (woken by t->waker if t->woken_at == ts). */
void ct_locks_end(struct ct_model *m, struct ct_thread *t, uint64_t ts);
/* Time is ts: settle what can be settled by now (per event: nothing, nearly always). */
void ct_locks_settle_due(struct ct_model *m, uint64_t ts);
static inline void ct_locks_tick(struct ct_model *m, uint64_t ts)
{
	if (ts >= m->next_deadline)
		ct_locks_settle_due(m, ts);
}
/* Thread tid exited at ts: the waits it ended just before were joins. */
void ct_locks_exited(struct ct_model *m, uint32_t tid, uint64_t ts);
/* The end of the trace: settle everything. */
void ct_locks_finish(struct ct_model *m);
/* The oldest instant an unsettled wait may still change, or UINT64_MAX. */
uint64_t ct_locks_frontier(const struct ct_model *m);

/* Child processes alive, by process (model_children.c): forks and exits, in focus or not. */
void ct_children_event(struct ct_model *m, const struct ct_event *e);
bool ct_children_alive(const struct ct_model *m, uint32_t tgid);

/* A wait for a CPU of lat ns: the run-queue latency histogram (model_query.c). */
void ct_model_note_runq(struct ct_model *m, uint64_t lat);

/* Levels integrated up to ts; nothing to do, most times it is called. */
void ct_model_count_levels(struct ct_model *m, uint64_t ts);
static inline void ct_model_advance(struct ct_model *m, uint64_t ts)
{
	if (m->w_first && ts > m->level_since && !m->intervals_only)
		ct_model_count_levels(m, ts);
}

/* model_steal.c: time the host stole, and whether the work waited on the outside world through it. */
/* t woken by waker, a thread of the model (NULL: an interrupt, or unknown). */
void ct_steal_wakeup(struct ct_model *m, struct ct_thread *t, const struct ct_thread *waker);
/* A slice of t, which has a feeder, ends at ts: slice ns by the clock, cpu_ns < slice by the kernel's. */
void ct_steal_slice(struct ct_model *m, const struct ct_thread *t, uint64_t slice, uint64_t cpu_ns,
		    uint64_t ts);
/* How long t has waited on the outside world, as of ts. */
static inline uint64_t ct_outside_ns_at(const struct ct_thread *t, uint64_t ts)
{
	return t->outside_ns + (t->counted_outside ? ct_span(t->since, ts) : 0);
}
/*
 * Before t moves to state `to` at ts (t->since still the old state's):
 * whether it now waits on the outside world (timed sleeps pace nothing),
 * and, going on a CPU, how long its feeder has so far.
 */
static inline void ct_steal_move(struct ct_model *m, struct ct_thread *t, enum ct_state to, uint64_t ts)
{
	t->outside_ns = ct_outside_ns_at(t, ts);
	t->counted_outside = t->woken_outside && ct_state_is_io_wait(to) && to != CT_ST_SLEEP;
	if (to == CT_ST_RUNNING && t->feeder >= 0)
		t->feeder_mark = ct_outside_ns_at(&m->threads[t->feeder], ts);
}

/* model_cpus.c: who is on each CPU. */
/*
 * cpu goes from prev (NULL: idle) to next at ts; the slice prev ran ends
 * with end_state, the kernel's account of it cpu_ns (0: unknown).
 */
void ct_cpu_switch(struct ct_model *m, uint16_t cpu, struct ct_thread *prev, struct ct_thread *next,
		   uint64_t ts, uint32_t end_state, uint64_t cpu_ns);
/*
 * A switch's prev_runtime as the kernel's account of a slice of wall ns:
 * 0 when unknown or implausible.  The account excludes time the hypervisor
 * stole and starts when the task was picked, a little before the switch
 * event, so it may exceed the wall clock a little, not by double.
 */
static inline uint64_t ct_slice_cpu_ns(uint64_t prev_runtime, uint64_t wall)
{
	return prev_runtime <= 2 * wall + 1000000 ? prev_runtime : 0;
}
/* A switch whose prev is not what the model has on its CPU: when prev went on it. */
uint64_t ct_repair_missed_switch(struct ct_model *m, const struct ct_event *e, struct ct_thread *prev);
/* t goes on cpu while the model has it running on another: that one gives it up. */
void ct_repair_double_run(struct ct_model *m, struct ct_thread *t, uint16_t cpu, uint64_t ts);
/* t joins as running from an event on cpu: it is there. */
void ct_occupy(struct ct_model *m, struct ct_thread *t, uint16_t cpu, uint64_t ts);

#endif
