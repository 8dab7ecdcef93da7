/*
 * Replays events into thread states.  The rules:
 *  - The workload is the recorded command's processes (root pid, and every
 *    process forked inside it), every task under -a, or one process in
 *    focus (model_setup.c).  Events only the workload produces (wakeups,
 *    migrations, forks, execs, exits, syscalls) also mark their task's
 *    process, which catches -p's older children.
 *  - A switch moves prev to runnable (preempted or yielded while runnable),
 *    to a blocked reason (ct_classify_block), or to its end (dead states);
 *    and next to running.  A wakeup moves a blocked thread to runnable.
 *  - What each state stands for in concurrency is progress.h's: a poll-like
 *    wait stands for its operations (model_loops.c, with the epoll sets
 *    loops.c keeps), a lock wait is contention or idle once model_locks.c
 *    has settled it.
 *  - A thread first seen running was running since its CPU's first event;
 *    one first seen otherwise starts there.  Missed events (drops) only ever
 *    shorten intervals: every duration is max(0, end - start).
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "progress.h"
#include "xalloc.h"

/* ---- threads ---- */

static struct ct_thread *new_thread(struct ct_model *m, uint32_t tid)
{
	if (m->nthreads == m->threads_cap) {
		m->threads_cap = m->threads_cap ? 2 * m->threads_cap : 64;
		m->threads = ct_xrealloc(m->threads, m->threads_cap * sizeof(*m->threads));
	}
	struct ct_thread *t = &m->threads[m->nthreads];

	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->tgid = tid;
	t->state = CT_ST_NONE;
	t->cpu = -1;
	t->blocked_syscall = -1;
	t->loop_epfd = -1;
	t->feeder = -1;
	*ct_tidmap_put(&m->ids, tid) = (uint32_t)m->nthreads;
	m->recent[tid % CT_MODEL_RECENT] = (struct ct_tid_index){ tid, (uint32_t)m->nthreads++ };
	return t;
}

/* The live thread with this tid, NULL if none: the table of the last found per tid missed. */
static __attribute__((noinline)) struct ct_thread *known_slow(struct ct_model *m, uint32_t tid)
{
	const uint32_t *i = ct_tidmap_get(&m->ids, tid);

	if (!i || m->threads[*i].dead)
		return NULL;
	m->recent[tid % CT_MODEL_RECENT] = (struct ct_tid_index){ tid, *i };
	return &m->threads[*i];
}

/* The live thread with this tid, NULL if there is none. */
static inline struct ct_thread *known(struct ct_model *m, uint32_t tid)
{
	const struct ct_tid_index *r = &m->recent[tid % CT_MODEL_RECENT];

	if (r->tid == tid && tid && !m->threads[r->index].dead)	/* tid 0 marks an empty entry */
		return &m->threads[r->index];
	return known_slow(m, tid);
}

/*
 * The live thread with this tid, new if unknown (a dead one's tid reused
 * starts afresh); *was_known says whether it was known already.
 */
static inline struct ct_thread *lookup(struct ct_model *m, uint32_t tid, bool *was_known)
{
	struct ct_thread *t = known(m, tid);

	*was_known = t != NULL;
	return t ? t : new_thread(m, tid);
}

static struct ct_thread *thread(struct ct_model *m, uint32_t tid)
{
	bool known;

	return lookup(m, tid, &known);
}

static bool workload_tgid(const struct ct_model *m, uint32_t tgid)
{
	return ct_tidmap_get(&m->wl_tgids, tgid) != NULL;
}

/* -a's workload is every task but the recorder's. */
static bool whole_machine(const struct ct_model *m, const struct ct_thread *t)
{
	return (m->options & CT_OPT_ALL) && (!m->recorder_pid || t->tgid != m->recorder_pid);
}

/* A thread joins the workload, alive from ts in state s. */
static void join(struct ct_model *m, struct ct_thread *t, uint64_t ts, enum ct_state s)
{
	if (t->workload)
		return;
	t->workload = true;
	if (!m->w_first) {
		m->w_first = ts;
		m->level_since = ts;
		ct_levels_start(&m->conc, ts);
	} else if (ts < m->w_first) {
		m->w_first = ts;	/* found on a CPU since before the first to join: the wall starts there */
	}
	ct_model_advance(m, ts);
	m->alive++;
	if (m->alive > m->alive_peak)
		m->alive_peak = m->alive;
	t->first = ts;
	t->since = ts;
	t->hunger_at = ts;
	t->hunger = 0;		/* earned by running: a thread that parks at once was never hungry */
	t->state = CT_ST_NONE;
	/* A CPU it is on was counted as another process's. */
	for (uint32_t c = 0; c < m->ncpus; c++)
		if (m->cpus[c].thread == (int32_t)(t - m->threads) && m->cpus[c].other) {
			m->cpus[c].other = false;
			m->others--;
		}
	ct_model_set_state(m, t, s, 0, ts);
}

static void die(struct ct_model *m, struct ct_thread *t, uint64_t ts)
{
	if (!t->workload || t->dead)
		return;
	ct_model_set_state(m, t, CT_ST_NONE, 0, ts);
	m->alive--;
	t->dead = true;
	t->last = ts;
}

/*
 * Mark t's process as workload (from a workload-only event on cpu) and t
 * with it; joining as running, it is on that CPU.
 */
struct ct_thread *ct_model_workload_thread(struct ct_model *m, uint32_t tid, uint16_t cpu, uint64_t ts,
					   enum ct_state initial)
{
	struct ct_thread *t = thread(m, tid);
	bool was = t->workload;

	if (t->marked_tgid != t->tgid) {	/* once per process it is in, not per event */
		*ct_tidmap_put(&m->wl_tgids, t->tgid) = 1;
		t->marked_tgid = t->tgid;
	}
	if (!was && initial == CT_ST_RUNNING)
		ct_occupy(m, t, cpu, ts);	/* first, so that two never run there at once */
	join(m, t, ts, initial);
	return t;
}

/* ---- events ---- */

static enum ct_state after_switch_out(uint32_t stored, int32_t syscall, bool *dead)
{
	uint32_t st = ct_prev_state(stored);

	*dead = ct_task_gone(stored);
	if (st == 0 || ct_preempted(stored))
		return CT_ST_RUNNABLE;
	return ct_classify_block(st, syscall);
}

static void switch_out(struct ct_model *m, struct ct_thread *prev, const struct ct_event *e,
		       uint64_t on_cpu_since)
{
	bool dead;
	uint32_t ops = 0;

	if (!prev->workload && whole_machine(m, prev))
		join(m, prev, on_cpu_since, CT_ST_RUNNING);
	if (!prev->workload)
		return;
	if (prev->state != CT_ST_RUNNING)	/* its switch-in was missed or predates the trace */
		ct_model_set_state(m, prev, CT_ST_RUNNING, 0, on_cpu_since);
	/* Unknown (0) or implausible accounts of the slice fall back to the wall clock. */
	uint64_t slice = ct_span(prev->since, e->ts), rt = ct_slice_cpu_ns(e->sw.prev_runtime, slice);

	prev->cpu_ns += rt ? rt : slice;
	if (rt && rt < slice && prev->feeder >= 0 && !m->intervals_only)
		ct_steal_slice(m, prev, slice, rt, e->ts);
	enum ct_state s = after_switch_out(e->sw.prev_state, e->sw.prev_syscall, &dead);

	prev->cpu = e->cpu;
	if (dead) {
		die(m, prev, e->ts);
		return;
	}
	if (s == CT_ST_POLL) {
		s = ct_loop_poll_wait(m, prev, e->sw.prev_syscall, e->sw.arg);
		ops = s == CT_ST_POLL ? prev->loop_ops : 0;
	} else if (s >= CT_ST_DISK) {
		prev->loop_ops = 0;	/* blocked on something else: no longer its loop */
		prev->loop_epfd = -1;
	} else {
		ops = prev->loop_ops;	/* runnable: preempted, its operations still in flight */
	}
	if (s == CT_ST_SLEEP && ct_wait_call(e->sw.prev_syscall) == CT_CALL_SIGNAL &&
	    ct_children_alive(m, prev->tgid))
		s = CT_ST_CHILD;	/* until SIGCHLD: a shell's wait for its background jobs */
	if (s == CT_ST_LOCK && (e->sw.arg & CT_ARG_JOIN)) {
		s = CT_ST_IDLE;		/* pthread_join: waiting for a thread to finish */
	} else if (s == CT_ST_LOCK) {
		/* Hunger as of now, after the slice it just ran. */
		prev->hunger = ct_hunger_after(prev->hunger, ct_span(prev->hunger_at, e->ts), CT_ST_RUNNING);
		prev->hunger_at = e->ts;
		s = ct_locks_begin(m, prev, e->sw.prev_syscall, e->ts);
	}
	ct_model_set_state(m, prev, s, ops, e->ts);
	if (s >= CT_ST_DISK)
		prev->blocked_syscall = e->sw.prev_syscall;
}

static void switch_in(struct ct_model *m, struct ct_thread *next, const struct ct_event *e)
{
	if (!next->workload && whole_machine(m, next))
		join(m, next, e->ts, CT_ST_RUNNING);
	if (!next->workload)
		return;
	if (next->state == CT_ST_RUNNABLE && !m->intervals_only)
		ct_model_note_runq(m, ct_span(next->since, e->ts));
	ct_model_set_state(m, next, CT_ST_RUNNING, next->loop_ops, e->ts);
	next->cpu = e->cpu;
}

/*
 * A known thread of a workload process seen for the first time in a switch
 * joins when its state becomes known: when it went on the CPU it is
 * leaving, or now, when it is switched in.
 */
static void adopt(struct ct_model *m, struct ct_thread *t, uint64_t ts)
{
	if (!t->workload && !(m->options & CT_OPT_ALL) && workload_tgid(m, t->tgid))
		join(m, t, ts, CT_ST_NONE);
}

static void on_switch(struct ct_model *m, const struct ct_event *e)
{
	struct ct_cpu_use *c = &m->cpus[e->cpu];
	uint64_t since = c->since == UINT64_MAX ? m->t_first : c->since;
	bool pk = false, nk = false;
	/* Look both up before taking pointers: a new thread may move the array. */
	size_t pi = e->tid ? (size_t)(lookup(m, e->tid, &pk) - m->threads) : SIZE_MAX;
	size_t ni = e->sw.next_tid ? (size_t)(lookup(m, e->sw.next_tid, &nk) - m->threads) : SIZE_MAX;
	struct ct_thread *prev = pi != SIZE_MAX ? &m->threads[pi] : NULL;
	struct ct_thread *next = ni != SIZE_MAX ? &m->threads[ni] : NULL;

	if (c->since != UINT64_MAX && c->tid != e->tid && !c->unsure)
		since = ct_repair_missed_switch(m, e, prev);
	c->unsure = false;
	if (pk)
		adopt(m, prev, since);
	if (nk)
		adopt(m, next, e->ts);

	if (prev) {
		ct_repair_double_run(m, prev, e->cpu, e->ts);
		switch_out(m, prev, e, since);
	}
	if (next) {
		ct_repair_double_run(m, next, e->cpu, e->ts);
		switch_in(m, next, e);
	}
	ct_cpu_switch(m, e->cpu, prev, next, e->ts, e->sw.prev_state,
		      prev ? ct_slice_cpu_ns(e->sw.prev_runtime, ct_span(since, e->ts)) : 0);
}

static void on_wakeup(struct ct_model *m, const struct ct_event *e)
{
	struct ct_thread *t = ct_model_workload_thread(m, e->tid, e->cpu, e->ts, CT_ST_RUNNABLE);

	/* Only sched_waking names the waker reliably (sched_wakeup may run on the target CPU). */
	t->waker = e->kind == CT_EV_WAKING && e->wake.waker_class == CT_WAKER_TASK ? e->wake.waker_tid : 0;
	t->woken_at = e->ts;
	if (!m->intervals_only && e->kind == CT_EV_WAKING)
		ct_steal_wakeup(m, t, t->waker ? known(m, t->waker) : NULL);
	if (t->state != CT_ST_RUNNING && t->state != CT_ST_RUNNABLE) {
		ct_model_set_state(m, t, CT_ST_RUNNABLE, t->loop_ops, e->ts);
		t->cpu = (int32_t)e->wake.target_cpu;
	}
}

static void on_fork(struct ct_model *m, const struct ct_event *e)
{
	/* In focus, a process's fork is its own; its birth is its parent's event too. */
	if (!m->focus || thread(m, e->tid)->tgid == m->focus)
		ct_model_workload_thread(m, e->tid, e->cpu, e->ts, CT_ST_RUNNING);
	if (m->focus && e->fork.child_tgid != m->focus)
		return;	/* a child process: the one in focus is judged alone */
	*ct_tidmap_put(&m->wl_tgids, e->fork.child_tgid) = 1;
	const uint32_t *old = ct_tidmap_get(&m->ids, e->fork.child_tid);

	if (old && !m->threads[*old].dead && m->threads[*old].workload) {
		m->repaired++;	/* its tid is new again: the old task's exit was missed */
		die(m, &m->threads[*old], e->ts);
	}
	struct ct_thread *c = new_thread(m, e->fork.child_tid);

	c->tgid = e->fork.child_tgid;
	join(m, c, e->ts, CT_ST_RUNNABLE);
}

static void on_task(struct ct_model *m, const struct ct_event *e)
{
	struct ct_thread *t = thread(m, e->tid);

	memcpy(t->name, e->task.comm, CT_COMM_LEN);
	t->tgid = e->task.tgid;
}

/*
 * What a task of the workload was doing when recording began (-p, -a):
 * its state from the first instant, unless one of its events came first.
 * A running task and a runnable one look alike here; the first switch on
 * its CPU tells them apart.  A lock wait is idle: nothing says it is hungry;
 * so is a sleep outside any syscall: a kernel thread waiting for work.
 */
static void on_start_state(struct ct_model *m, const struct ct_event *e)
{
	struct ct_thread *t = thread(m, e->tid);
	enum ct_state s = CT_ST_RUNNABLE;

	t->tgid = e->start.tgid;
	if (t->workload || ((m->options & CT_OPT_ALL) ? !whole_machine(m, t) : !workload_tgid(m, t->tgid)))
		return;
	if (e->start.state & (CT_EXIT_ZOMBIE | CT_EXIT_DEAD))
		return;	/* it had exited: nothing of it is in progress, nor will be */
	if (e->start.state) {
		s = ct_classify_block(e->start.state, e->start.syscall);
		if (s == CT_ST_LOCK)	/* kernel threads waiting for work are idle already (classify.c) */
			s = CT_ST_IDLE;
		else if (s == CT_ST_POLL)
			s = ct_loop_poll_wait(m, t, e->start.syscall, 0);
	}
	join(m, t, m->t_first, s);
	if (s >= CT_ST_DISK)
		t->blocked_syscall = e->start.syscall;
	t->cpu = e->cpu;
}

static void on_task_exit(struct ct_model *m, const struct ct_event *e)
{
	struct ct_thread *t = ct_model_workload_thread(m, e->tid, e->cpu, e->ts, CT_ST_RUNNING);

	ct_locks_exited(m, e->tid, e->ts);
	if (t->tid == t->tgid)
		ct_loops_drop(&m->loops, t->tgid);
}

/* Settle concurrency up to where nothing unsettled can change it. */
static void settle_levels(struct ct_model *m, uint64_t now)
{
	if (m->conc.nsegs <= 1)
		return;		/* no change since the last settle: the level simply goes on */
	uint64_t frontier = ct_locks_frontier(m);

	ct_levels_settle(&m->conc, frontier < now ? frontier : now);
}

/*
 * What a model in focus takes: every switch (who held each CPU), task
 * record, start state and drop, and its process's own events, its birth
 * among them.  The events of other processes are theirs alone.
 */
static bool in_focus(const struct ct_model *m, const struct ct_event *e)
{
	if (e->kind == CT_EV_SWITCH || e->kind == CT_EV_TASK || e->kind == CT_EV_START_STATE ||
	    e->kind == CT_EV_LOST || (e->kind == CT_EV_FORK && e->fork.child_tgid == m->focus))
		return true;
	const uint32_t *i = ct_tidmap_get(&m->ids, e->tid);

	return i && m->threads[*i].tgid == m->focus;
}

void ct_model_event(struct ct_model *m, const struct ct_event *e)
{
	if (m->focus && !in_focus(m, e)) {
		if (e->kind == CT_EV_EXIT)
			ct_children_event(m, e);	/* a child's exit is its own process's event */
		return;
	}
	if (!m->events++)
		m->t_first = e->ts;
	m->t_last = e->ts;
	if (e->cpu >= m->ncpus)
		return;
	/* tid 0 is each CPU's idle task: it runs, never as a thread of the workload. */
	if ((!e->tid && e->kind != CT_EV_SWITCH && e->kind != CT_EV_LOST) ||
	    (e->kind == CT_EV_FORK && !e->fork.child_tid))
		return;
	ct_locks_tick(m, e->ts);
	switch (e->kind) {
	case CT_EV_SWITCH:
		on_switch(m, e);
		break;
	case CT_EV_WAKEUP:
	case CT_EV_WAKEUP_NEW:
	case CT_EV_WAKING:
		on_wakeup(m, e);
		break;
	case CT_EV_MIGRATE: {
		struct ct_thread *t = ct_model_workload_thread(m, e->tid, e->cpu, e->ts, CT_ST_RUNNABLE);

		t->migrations++;
		m->migrations++;
		break;
	}
	case CT_EV_FORK:
		on_fork(m, e);
		ct_children_event(m, e);
		break;
	case CT_EV_EXEC: {
		struct ct_thread *t = ct_model_workload_thread(m, e->tid, e->cpu, e->ts, CT_ST_RUNNING);

		ct_loops_drop(&m->loops, t->tgid);	/* a new image: its sets were closed on exec */
		break;
	}
	case CT_EV_EXIT:
		on_task_exit(m, e);
		ct_children_event(m, e);
		break;
	case CT_EV_SYSCALL:
		ct_loop_on_syscall(m, e);
		break;
	case CT_EV_EPOLL:
		ct_loop_on_epoll(m, e);
		break;
	case CT_EV_TASK:
		on_task(m, e);
		break;
	case CT_EV_START_STATE:
		on_start_state(m, e);
		break;
	case CT_EV_LOST:
		m->lost += e->lost.count;
		break;
	}
	settle_levels(m, e->ts);
}

void ct_model_finish(struct ct_model *m)
{
	bool any_alive = false;

	for (size_t i = 0; i < m->nthreads; i++) {
		struct ct_thread *t = &m->threads[i];

		if (t->workload && !t->dead) {
			if (t->state == CT_ST_RUNNING)	/* still on a CPU: its slice, by the wall clock */
				t->cpu_ns += ct_span(t->since, m->t_last);
			ct_model_set_state(m, t, CT_ST_NONE, 0, m->t_last);
			t->last = m->t_last;
			any_alive = true;
		}
	}
	ct_locks_finish(m);
	if (any_alive)
		m->w_last = m->t_last;
	ct_model_advance(m, m->w_last);
	ct_levels_change(&m->conc, m->w_last, 0, 0);
	ct_levels_settle(&m->conc, m->w_last);
	for (uint32_t c = 0; c < m->ncpus; c++) {
		struct ct_cpu_use *u = &m->cpus[c];

		if (u->since != UINT64_MAX)
			ct_cpu_switch(m, (uint16_t)c, u->thread >= 0 ? &m->threads[u->thread] : NULL,
				   NULL, m->t_last, CT_END_UNKNOWN, 0);
		else if (m->events)	/* never switched: idle throughout, as far as we know */
			u->idle_ns += ct_span(m->t_first, m->t_last);
	}
}
