/*
 * A thread's change of state: the interval it leaves, accounted, and the
 * model's levels over time: how many of the workload's threads run, are
 * runnable, are alive, wait on I/O; how many CPUs other processes hold; and
 * what is in progress (progress.h).  Each is integrated at every change.
 */
#include <string.h>

#include "model_int.h"
#include "progress.h"
#include "xalloc.h"

void ct_model_count_levels(struct ct_model *m, uint64_t ts)
{
	uint64_t d = ts - m->level_since;

	m->level_since = ts;
	/* Nothing alive: past the wall's end, unless the workload comes back. */
	if (!m->alive) {
		m->unalive_ns += d;
		return;
	}
	m->par_ns[0] += m->unalive_ns;
	m->unalive_ns = 0;
	uint32_t runnable = m->busy - m->running;
	uint32_t excess = m->busy > m->ncpus ? m->busy - m->ncpus : 0;

	if (excess > runnable)
		excess = runnable;
	m->par_ns[m->running < m->max_level ? m->running : m->max_level] += d;
	m->alive_ns += d * m->alive;
	if (m->waiting >= 1)
		m->waiting_any_ns += d;
	if (m->waiting >= 2)
		m->waiting_multi_ns += d;
	if (m->busy >= 1)
		m->busy_any_ns += d;
	m->demand_ns += d * (m->busy < m->ncpus ? m->busy : m->ncpus);
	m->own_excess_ns += d * excess;
	if (excess)
		m->over_ns += d;
	m->others_wait_ns += d * (runnable - excess < m->others ? runnable - excess : m->others);
	if (!m->running && runnable > excess && m->others)
		m->held_back_ns += d;
}

static void grow_levels(struct ct_model *m)
{
	if (m->running <= m->max_level)
		return;
	uint32_t n = m->max_level * 2 + 1;

	while (n < m->running)
		n *= 2;
	m->par_ns = ct_xrealloc(m->par_ns, (n + 1) * sizeof(*m->par_ns));
	memset(m->par_ns + m->max_level + 1, 0, (n - m->max_level) * sizeof(*m->par_ns));
	m->max_level = n;
}

/* A thread enters (delta +1) or leaves (-1) state s, at ts. */
static void count_state(struct ct_model *m, enum ct_state s, int delta)
{
	if (s == CT_ST_NONE)
		return;
	if (s == CT_ST_RUNNING)
		m->running += (uint32_t)delta;
	if (s <= CT_ST_RUNNABLE)
		m->busy += (uint32_t)delta;
	if (ct_state_is_io_wait(s))
		m->waiting += (uint32_t)delta;
}

/*
 * What a thread in state s (standing for ops operations) adds to
 * concurrency now: an unsettled lock wait counts once settled
 * (model_locks.c), an idle one never.
 */
static inline void progress_now(enum ct_state s, uint32_t ops, int32_t *threads, int32_t *nops)
{
	*threads = s == CT_ST_LOCK ? 0 : ct_progress_threads(s, ops);
	*nops = (int32_t)ct_progress_ops(s, ops);
}

/* Thread t moves from state `from` to `to`: the levels it counts in follow. */
static void count_move(struct ct_model *m, struct ct_thread *t, enum ct_state to, uint32_t ops,
		       uint64_t ts)
{
	int32_t th0, op0, th1, op1;

	ct_steal_move(m, t, to, ts);
	count_state(m, t->state, -1);
	count_state(m, to, +1);
	progress_now(t->state, t->ops, &th0, &op0);
	progress_now(to, ops, &th1, &op1);
	if (th1 != th0 || op1 != op0)
		ct_levels_change(&m->conc, ts, th1 - th0, op1 - op0);
	grow_levels(m);
	if (m->running > m->running_peak)
		m->running_peak = m->running;
}

void ct_model_account(struct ct_model *m, struct ct_thread *t, enum ct_state s, uint32_t ops,
		      int32_t syscall, uint64_t start, uint64_t end)
{
	uint64_t d = ct_span(start, end);

	if (!d || s >= CT_ST_COUNT)
		return;
	t->state_ns[s] += d;
	if (ct_progress_threads(s, ops))
		t->progress_ns += d;
	if (ct_progress_ops(s, ops)) {
		t->ops_ns += d * ct_progress_ops(s, ops);
		t->loop_ns += d;
	}
	if (s == CT_ST_POLL && !ops && m->ops_known)
		m->timer_wait_ns += d;
	if (s >= CT_ST_DISK && syscall >= 0 && syscall < m->nsys) {
		m->sys[syscall].blocked_ns += d;
		if (s == CT_ST_DISK)
			m->sys[syscall].disk_ns += d;
	}
	if (m->sink.thread_state)
		m->sink.thread_state(m->sink.ctx, t, s, ct_progress_ops(s, ops), t->cpu, start, end);
}

/*
 * t changes to state s, standing for ops operations, at ts.  The interval
 * it leaves is counted now, unless it is a lock wait whose meaning is not
 * settled yet.
 */
void ct_model_set_state(struct ct_model *m, struct ct_thread *t, enum ct_state s, uint32_t ops,
			uint64_t ts)
{
	if (!t->workload || t->dead)	/* a dead task runs no more (a switch to itself as it dies) */
		return;
	ct_model_advance(m, ts);
	if (t->state != CT_ST_NONE) {
		if (t->state == CT_ST_LOCK)
			ct_locks_end(m, t, ts);
		else
			ct_model_account(m, t, t->state, t->ops, t->blocked_syscall, t->since, ts);
	}
	/* Hunger moves only where running-or-runnable starts or stops: the same, with fewer exp()s. */
	if (t->state == CT_ST_NONE || ct_hunger_feeds(t->state) != ct_hunger_feeds(s)) {
		if (t->state != CT_ST_NONE)
			t->hunger = ct_hunger_after(t->hunger, ct_span(t->hunger_at, ts), t->state);
		t->hunger_at = ts > t->hunger_at ? ts : t->hunger_at;
	}
	if (!m->intervals_only)
		count_move(m, t, s, ops, ts);
	t->state = s;
	t->ops = ops;
	t->since = ts > t->since ? ts : t->since;
	if (s < CT_ST_DISK)
		t->blocked_syscall = -1;
	if (ts > m->w_last)
		m->w_last = ts;
}
