/*
 * Replays events into thread states.  The rules:
 *  - The workload is the recorded command's processes (root pid, and every
 *    process forked inside it), or every task under -a.  Events only the
 *    workload produces (wakeups, migrations, forks, execs, exits, syscalls)
 *    also mark their task's process, which catches -p's older children.
 *  - A switch moves prev to runnable (preempted or yielded while runnable),
 *    to a blocked reason (ct_classify_block), or to its end (dead states);
 *    and next to running.  A wakeup moves a blocked thread to runnable.
 *  - A thread first seen running was running since its CPU's first event;
 *    one first seen otherwise starts there.  Missed events (drops) only ever
 *    shorten intervals: every duration is max(0, end - start).
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xalloc.h"

void ct_model_init(struct ct_model *m, const struct ct_meta *meta)
{
	memset(m, 0, sizeof(*m));
	m->ncpus = meta->ncpus;
	m->root_pid = meta->root_pid;
	m->options = meta->options;
	m->cpus = ct_xrealloc(NULL, m->ncpus * sizeof(*m->cpus));
	for (uint32_t i = 0; i < m->ncpus; i++)
		m->cpus[i] = (struct ct_cpu_use){ .thread = -1, .since = UINT64_MAX };
	m->max_level = m->ncpus;
	m->par_ns = ct_xrealloc(NULL, (m->max_level + 1) * sizeof(*m->par_ns));
	memset(m->par_ns, 0, (m->max_level + 1) * sizeof(*m->par_ns));
	m->nsys = ct_syscall_count() + 1;
	m->sys = ct_xrealloc(NULL, (size_t)m->nsys * sizeof(*m->sys));
	memset(m->sys, 0, (size_t)m->nsys * sizeof(*m->sys));
	if (m->root_pid && !(m->options & CT_OPT_ALL))
		*ct_tidmap_put(&m->wl_tgids, m->root_pid) = 1;
}

void ct_model_free(struct ct_model *m)
{
	ct_tidmap_free(&m->ids);
	ct_tidmap_free(&m->wl_tgids);
	free(m->threads);
	free(m->cpus);
	free(m->par_ns);
	free(m->sys);
	memset(m, 0, sizeof(*m));
}

static uint64_t span(uint64_t start, uint64_t end)
{
	return end > start ? end - start : 0;
}

/* ---- levels: how many threads run, are in flight, alive, waiting ---- */

static void advance_levels(struct ct_model *m, uint64_t ts)
{
	if (!m->w_first || ts <= m->level_since)
		return;
	uint64_t d = ts - m->level_since;

	m->par_ns[m->running < m->max_level ? m->running : m->max_level] += d;
	m->inflight_ns += d * m->inflight;
	m->alive_ns += d * m->alive;
	if (m->waiting >= 1)
		m->waiting_any_ns += d;
	if (m->waiting >= 2)
		m->waiting_multi_ns += d;
	if (m->busy >= 1)
		m->busy_any_ns += d;
	m->level_since = ts;
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

static void count_state(struct ct_model *m, enum ct_state s, int delta)
{
	if (s == CT_ST_NONE)
		return;
	if (s == CT_ST_RUNNING)
		m->running += (uint32_t)delta;
	if (s <= CT_ST_RUNNABLE)
		m->busy += (uint32_t)delta;
	if (!ct_state_is_idle(s))
		m->inflight += (uint32_t)delta;
	if (s >= CT_ST_DISK && !ct_state_is_neutral(s))
		m->waiting += (uint32_t)delta;
	grow_levels(m);
	if (m->running > m->running_peak)
		m->running_peak = m->running;
	if (m->inflight > m->inflight_peak)
		m->inflight_peak = m->inflight;
}

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
	*ct_tidmap_put(&m->ids, tid) = (uint32_t)m->nthreads++;
	return t;
}

/* The live thread with this tid; a dead one's tid reused starts afresh. */
static struct ct_thread *thread(struct ct_model *m, uint32_t tid)
{
	uint32_t *i = ct_tidmap_get(&m->ids, tid);

	if (i && !m->threads[*i].dead)
		return &m->threads[*i];
	return new_thread(m, tid);
}

static bool workload_tgid(const struct ct_model *m, uint32_t tgid)
{
	return ct_tidmap_get(&m->wl_tgids, tgid) != NULL;
}

static void set_state(struct ct_model *m, struct ct_thread *t, enum ct_state s, uint64_t ts)
{
	if (!t->workload)
		return;
	advance_levels(m, ts);
	if (t->state != CT_ST_NONE) {
		uint64_t d = span(t->since, ts);

		t->state_ns[t->state] += d;
		if (t->state >= CT_ST_DISK && t->blocked_syscall >= 0 && t->blocked_syscall < m->nsys)
			m->sys[t->blocked_syscall].blocked_ns += d;
		if (m->sink.thread_state && d)
			m->sink.thread_state(m->sink.ctx, t, t->state, t->cpu, t->since, ts);
	}
	count_state(m, t->state, -1);
	count_state(m, s, +1);
	t->state = s;
	t->since = ts > t->since ? ts : t->since;
	if (s < CT_ST_DISK)
		t->blocked_syscall = -1;
	if (ts > m->w_last)
		m->w_last = ts;
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
	}
	advance_levels(m, ts);
	m->alive++;
	if (m->alive > m->alive_peak)
		m->alive_peak = m->alive;
	t->first = ts;
	t->since = ts;
	t->state = CT_ST_NONE;
	set_state(m, t, s, ts);
}

static void die(struct ct_model *m, struct ct_thread *t, uint64_t ts)
{
	if (!t->workload || t->dead)
		return;
	set_state(m, t, CT_ST_NONE, ts);
	m->alive--;
	t->dead = true;
	t->last = ts;
}

/* Mark t's process as workload (from a workload-only event) and t with it. */
static struct ct_thread *workload_thread(struct ct_model *m, uint32_t tid, uint64_t ts,
					 enum ct_state initial)
{
	struct ct_thread *t = thread(m, tid);

	*ct_tidmap_put(&m->wl_tgids, t->tgid) = 1;
	join(m, t, ts, initial);
	return t;
}

/* ---- CPUs ---- */

static void cpu_switch(struct ct_model *m, uint16_t cpu, struct ct_thread *prev,
		       struct ct_thread *next, uint64_t ts, uint32_t end_state)
{
	struct ct_cpu_use *c = &m->cpus[cpu];
	uint64_t start = c->since == UINT64_MAX ? m->t_first : c->since;
	uint64_t d = span(start, ts);
	const struct ct_thread *was = prev;

	if (!prev)
		c->idle_ns += d;
	else if (prev->workload)
		c->workload_ns += d;
	else
		c->other_ns += d;
	if (m->sink.cpu_slice && d)
		m->sink.cpu_slice(m->sink.ctx, cpu, was, start, ts, end_state);
	c->tid = next ? next->tid : 0;
	c->thread = next ? (int32_t)(next - m->threads) : -1;
	c->since = ts;
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

static void note_runq_latency(struct ct_model *m, uint64_t lat)
{
	unsigned b = (unsigned)lat;

	if (lat >= 16) {	/* 16 log-spaced buckets per octave: within 4% */
		unsigned oct = 63 - (unsigned)__builtin_clzll(lat);

		b = (oct - 3) * 16 + (unsigned)((lat >> (oct - 4)) & 15);
	}
	m->runq[b < CT_RUNQ_BUCKETS ? b : CT_RUNQ_BUCKETS - 1]++;
	m->runq_count++;
	if (lat > m->runq_max)
		m->runq_max = lat;
}

static void switch_out(struct ct_model *m, struct ct_thread *prev, const struct ct_event *e,
		       uint64_t on_cpu_since)
{
	bool dead;

	if (!prev->workload && (m->options & CT_OPT_ALL))
		join(m, prev, on_cpu_since, CT_ST_RUNNING);
	if (!prev->workload)
		return;
	if (prev->state != CT_ST_RUNNING)	/* its switch-in was missed or predates the trace */
		set_state(m, prev, CT_ST_RUNNING, on_cpu_since);
	/*
	 * The kernel's account of the slice excludes time the hypervisor stole,
	 * and starts when the task was picked, a little before the switch event.
	 * Unknown (0) or implausible accounts fall back to the wall clock.
	 */
	uint64_t slice = span(prev->since, e->ts), rt = e->sw.prev_runtime;

	prev->cpu_ns += rt && rt <= 2 * slice + 1000000 ? rt : slice;
	enum ct_state s = after_switch_out(e->sw.prev_state, e->sw.prev_syscall, &dead);

	prev->cpu = e->cpu;
	if (dead) {
		die(m, prev, e->ts);
		return;
	}
	set_state(m, prev, s, e->ts);
	if (s >= CT_ST_DISK)
		prev->blocked_syscall = e->sw.prev_syscall;
}

static void switch_in(struct ct_model *m, struct ct_thread *next, const struct ct_event *e)
{
	if (!next->workload && (m->options & CT_OPT_ALL))
		join(m, next, e->ts, CT_ST_RUNNING);
	if (!next->workload)
		return;
	if (next->state == CT_ST_RUNNABLE)
		note_runq_latency(m, span(next->since, e->ts));
	set_state(m, next, CT_ST_RUNNING, e->ts);
	next->cpu = e->cpu;
}

static void on_switch(struct ct_model *m, const struct ct_event *e)
{
	struct ct_cpu_use *c = &m->cpus[e->cpu];
	uint64_t since = c->since == UINT64_MAX ? m->t_first : c->since;
	/* Look both up before taking pointers: a new thread may move the array. */
	size_t pi = e->tid ? (size_t)(thread(m, e->tid) - m->threads) : SIZE_MAX;
	size_t ni = e->sw.next_tid ? (size_t)(thread(m, e->sw.next_tid) - m->threads) : SIZE_MAX;
	struct ct_thread *prev = pi != SIZE_MAX ? &m->threads[pi] : NULL;
	struct ct_thread *next = ni != SIZE_MAX ? &m->threads[ni] : NULL;

	if (prev)
		switch_out(m, prev, e, since);
	if (next)
		switch_in(m, next, e);
	cpu_switch(m, e->cpu, prev, next, e->ts, e->sw.prev_state);
}

static void on_wakeup(struct ct_model *m, const struct ct_event *e)
{
	struct ct_thread *t = workload_thread(m, e->tid, e->ts, CT_ST_RUNNABLE);

	if (t->state != CT_ST_RUNNING && t->state != CT_ST_RUNNABLE) {
		set_state(m, t, CT_ST_RUNNABLE, e->ts);
		t->cpu = (int32_t)e->wake.target_cpu;
	}
}

static void on_fork(struct ct_model *m, const struct ct_event *e)
{
	workload_thread(m, e->tid, e->ts, CT_ST_RUNNING);
	*ct_tidmap_put(&m->wl_tgids, e->fork.child_tgid) = 1;
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

static void on_syscall(struct ct_model *m, const struct ct_event *e)
{
	int nr = e->sys.nr >= 0 && e->sys.nr < m->nsys - 1 ? e->sys.nr : m->nsys - 1;
	struct ct_sys_stat *s = &m->sys[nr];

	workload_thread(m, e->tid, e->ts, CT_ST_RUNNING);
	s->count++;
	s->total_ns += e->sys.dur;
	if (e->sys.dur > s->max_ns)
		s->max_ns = e->sys.dur;
}

/*
 * A thread of a workload process seen for the first time in a switch joins
 * when its state becomes known: when it went on the CPU it is leaving, or
 * now, when it is switched in.
 */
static void adopt(struct ct_model *m, uint32_t tid, uint64_t ts)
{
	uint32_t *i = ct_tidmap_get(&m->ids, tid);

	if (!i)
		return;
	struct ct_thread *t = &m->threads[*i];

	if (!t->workload && !t->dead && workload_tgid(m, t->tgid))
		join(m, t, ts, CT_ST_NONE);
}

void ct_model_event(struct ct_model *m, const struct ct_event *e)
{
	if (!m->events++)
		m->t_first = e->ts;
	m->t_last = e->ts;
	if (e->cpu >= m->ncpus)
		return;
	switch (e->kind) {
	case CT_EV_SWITCH:
		if (!(m->options & CT_OPT_ALL)) {
			uint64_t since = m->cpus[e->cpu].since;

			adopt(m, e->tid, since == UINT64_MAX ? m->t_first : since);
			adopt(m, e->sw.next_tid, e->ts);
		}
		on_switch(m, e);
		break;
	case CT_EV_WAKEUP:
	case CT_EV_WAKEUP_NEW:
		on_wakeup(m, e);
		break;
	case CT_EV_MIGRATE: {
		struct ct_thread *t = workload_thread(m, e->tid, e->ts, CT_ST_RUNNABLE);

		t->migrations++;
		m->migrations++;
		break;
	}
	case CT_EV_FORK:
		on_fork(m, e);
		break;
	case CT_EV_EXEC:
	case CT_EV_EXIT:
		workload_thread(m, e->tid, e->ts, CT_ST_RUNNING);
		break;
	case CT_EV_SYSCALL:
		on_syscall(m, e);
		break;
	case CT_EV_TASK:
		on_task(m, e);
		break;
	case CT_EV_LOST:
		m->lost += e->lost.count;
		break;
	}
}

void ct_model_finish(struct ct_model *m)
{
	bool any_alive = false;

	for (size_t i = 0; i < m->nthreads; i++) {
		struct ct_thread *t = &m->threads[i];

		if (t->workload && !t->dead) {
			if (t->state == CT_ST_RUNNING)	/* still on a CPU: its slice, by the wall clock */
				t->cpu_ns += span(t->since, m->t_last);
			set_state(m, t, CT_ST_NONE, m->t_last);
			t->last = m->t_last;
			any_alive = true;
		}
	}
	if (any_alive)
		m->w_last = m->t_last;
	advance_levels(m, m->w_last);
	for (uint32_t c = 0; c < m->ncpus; c++) {
		struct ct_cpu_use *u = &m->cpus[c];

		if (u->since != UINT64_MAX)
			cpu_switch(m, (uint16_t)c, u->thread >= 0 ? &m->threads[u->thread] : NULL,
				   NULL, m->t_last, CT_END_UNKNOWN);
		else if (m->events)	/* never switched: idle throughout, as far as we know */
			u->idle_ns += span(m->t_first, m->t_last);
	}
}

/* ---- derived numbers ---- */

const struct ct_thread *ct_model_thread(const struct ct_model *m, uint32_t tid)
{
	const uint32_t *i = ct_tidmap_get(&m->ids, tid);

	return i ? &m->threads[*i] : NULL;
}

double ct_model_wall_s(const struct ct_model *m)
{
	return (double)span(m->w_first, m->w_last) / 1e9;
}

uint64_t ct_model_total_ns(const struct ct_model *m, enum ct_state s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].workload)
			n += m->threads[i].state_ns[s];
	return n;
}

uint64_t ct_model_runq_percentile(const struct ct_model *m, double p)
{
	if (!m->runq_count)
		return 0;
	uint64_t want = (uint64_t)(p * (double)m->runq_count + 0.5), seen = 0;

	if (want < 1)
		want = 1;
	for (unsigned b = 0; b < CT_RUNQ_BUCKETS; b++) {
		seen += m->runq[b];
		if (seen >= want) {
			if (b < 16)
				return b;
			unsigned oct = b / 16 + 3, sub = b % 16;
			uint64_t lo = (16ull + sub) << (oct - 4), width = 1ull << (oct - 4);
			uint64_t mid = lo + width / 2;

			return mid < m->runq_max ? mid : m->runq_max;
		}
	}
	return m->runq_max;
}

uint32_t ct_model_processes(const struct ct_model *m)
{
	struct ct_tidmap seen = {0};
	uint32_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++) {
		uint32_t *v;

		if (!m->threads[i].workload)
			continue;
		v = ct_tidmap_put(&seen, m->threads[i].tgid);
		if (*v == CT_TIDMAP_NONE) {
			*v = 1;
			n++;
		}
	}
	ct_tidmap_free(&seen);
	return n;
}

uint64_t ct_model_cpu_ns(const struct ct_model *m)
{
	uint64_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].workload)
			n += m->threads[i].cpu_ns;
	return n;
}

static int by_cpu_desc(const void *a, const void *b, void *ctx)
{
	const struct ct_model *m = ctx;
	const struct ct_thread *x = &m->threads[*(const size_t *)a];
	const struct ct_thread *y = &m->threads[*(const size_t *)b];
	uint64_t lx = x->last - x->first, ly = y->last - y->first;

	if (x->cpu_ns != y->cpu_ns)
		return x->cpu_ns < y->cpu_ns ? 1 : -1;
	if (lx != ly)
		return lx < ly ? 1 : -1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

size_t *ct_model_ranked_threads(const struct ct_model *m, size_t *n)
{
	size_t *idx = ct_xrealloc(NULL, (m->nthreads + 1) * sizeof(*idx));

	*n = 0;
	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].workload)
			idx[(*n)++] = i;
	qsort_r(idx, *n, sizeof(*idx), by_cpu_desc, (void *)m);
	return idx;
}

uint32_t ct_model_workload_threads(const struct ct_model *m)
{
	uint32_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++)
		n += m->threads[i].workload;
	return n;
}
