/*
 * Lock waits, contention or idle (progress.h).  A wait begun hungry is
 * unsettled while it lasts (for CT_JOIN_HOLD_NS at most) and, once woken,
 * for CT_JOIN_WINDOW_NS more, in case its waker exits (a join).  Its time
 * is counted, and its contention added to concurrency, when it settles.
 */
#include <string.h>

#include "model_int.h"
#include "progress.h"
#include "xalloc.h"

static void recompute_deadline(struct ct_model *m)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < m->nunsettled; i++) {
		const struct ct_thread *t = &m->threads[m->unsettled[i]];

		for (unsigned k = 0; k < t->npending; k++) {
			const struct ct_lock_wait *w = &t->pending[k];
			uint64_t due = w->end ? w->end + CT_JOIN_WINDOW_NS : w->start + CT_JOIN_HOLD_NS;

			if (due < next)
				next = due;
		}
	}
	m->next_deadline = next;
}

uint64_t ct_locks_frontier(const struct ct_model *m)
{
	uint64_t oldest = UINT64_MAX;

	for (size_t i = 0; i < m->nunsettled; i++) {
		const struct ct_thread *t = &m->threads[m->unsettled[i]];

		if (t->npending && t->pending[0].start < oldest)
			oldest = t->pending[0].start;
	}
	return oldest;
}

static void track(struct ct_model *m, struct ct_thread *t)
{
	uint32_t idx = (uint32_t)(t - m->threads);

	for (size_t i = 0; i < m->nunsettled; i++)
		if (m->unsettled[i] == idx)
			return;
	if (m->nunsettled == m->unsettled_cap) {
		m->unsettled_cap = m->unsettled_cap ? 2 * m->unsettled_cap : 16;
		m->unsettled = ct_xrealloc(m->unsettled, m->unsettled_cap * sizeof(*m->unsettled));
	}
	m->unsettled[m->nunsettled++] = idx;
}

static void untrack(struct ct_model *m, struct ct_thread *t)
{
	uint32_t idx = (uint32_t)(t - m->threads);

	for (size_t i = 0; i < m->nunsettled; i++)
		if (m->unsettled[i] == idx) {
			m->unsettled[i] = m->unsettled[--m->nunsettled];
			return;
		}
}

/*
 * t's k-th wait is settled: a join (idle throughout), else contention up to
 * min(until, end) and idle after.  An open wait (end 0) settles once it is
 * CT_JOIN_HOLD_NS old: contention up to its `until`, and the thread idle
 * from then on.
 */
static void settle(struct ct_model *m, struct ct_thread *t, unsigned k, bool join)
{
	struct ct_lock_wait w = t->pending[k];
	uint64_t end = w.end ? w.end : w.until;
	uint64_t x = join ? w.start : (w.until < end ? w.until : end);

	ct_model_account(m, t, CT_ST_LOCK, 0, w.syscall, w.start, x);
	ct_levels_add_past(&m->conc, w.start, x);
	if (w.end) {
		ct_model_account(m, t, CT_ST_IDLE, 0, w.syscall, x, end);
	} else {	/* still waiting: idle from now on, counted when it ends */
		t->state = CT_ST_IDLE;
		t->since = w.until;
	}
	memmove(&t->pending[k], &t->pending[k + 1], (t->npending - k - 1) * sizeof(w));
	if (!--t->npending)
		untrack(m, t);
}

enum ct_state ct_locks_begin(struct ct_model *m, struct ct_thread *t, int32_t syscall, uint64_t ts)
{
	if (t->hunger < CT_HUNGER_MIN)
		return CT_ST_IDLE;	/* it has not run for a while: parked, or waiting for others */
	if (t->npending == CT_PENDING_MAX)
		settle(m, t, 0, false);
	t->pending[t->npending++] = (struct ct_lock_wait){
		.start = ts, .until = ct_hunger_lasts_until(ts, t->hunger), .syscall = syscall,
	};
	track(m, t);
	recompute_deadline(m);
	return CT_ST_LOCK;
}

static bool is_live_workload(const struct ct_model *m, uint32_t tid)
{
	const struct ct_thread *w = tid ? ct_model_thread(m, tid) : NULL;

	return w && w->workload && !w->dead;
}

void ct_locks_end(struct ct_model *m, struct ct_thread *t, uint64_t ts)
{
	struct ct_lock_wait *w = t->npending ? &t->pending[t->npending - 1] : NULL;
	uint32_t waker = t->woken_at == ts ? t->waker : 0;

	if (!w || w->end)
		return;
	w->end = ts > w->start ? ts : w->start;
	if (waker && waker != t->tid && is_live_workload(m, waker))
		w->waker = waker;	/* a join if it exits within the window */
	else
		settle(m, t, t->npending - 1, false);
	recompute_deadline(m);
}

void ct_locks_settle_due(struct ct_model *m, uint64_t ts)
{
	for (size_t i = 0; i < m->nunsettled; i++) {
		struct ct_thread *t = &m->threads[m->unsettled[i]];

		for (unsigned k = 0; k < t->npending;) {
			const struct ct_lock_wait *w = &t->pending[k];

			if (w->end ? w->end + CT_JOIN_WINDOW_NS <= ts : w->start + CT_JOIN_HOLD_NS <= ts)
				settle(m, t, k, false);
			else
				k++;
		}
		if (!t->npending)
			i--;	/* untracked: the list moved its last entry here */
	}
	recompute_deadline(m);
}

void ct_locks_exited(struct ct_model *m, uint32_t tid, uint64_t ts)
{
	for (size_t i = 0; i < m->nunsettled; i++) {
		struct ct_thread *t = &m->threads[m->unsettled[i]];

		for (unsigned k = 0; k < t->npending;) {
			const struct ct_lock_wait *w = &t->pending[k];

			if (w->end && w->waker == tid && ts <= w->end + CT_JOIN_WINDOW_NS)
				settle(m, t, k, true);
			else
				k++;
		}
		if (!t->npending)
			i--;
	}
	recompute_deadline(m);
}

void ct_locks_finish(struct ct_model *m)
{
	while (m->nunsettled) {
		struct ct_thread *t = &m->threads[m->unsettled[0]];

		settle(m, t, 0, false);
	}
	m->next_deadline = UINT64_MAX;
}
