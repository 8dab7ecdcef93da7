#include <stdlib.h>
#include <string.h>

#include "intake.h"
#include "tidmap.h"
#include "xalloc.h"

/*
 * The ring buffer hands records out in reservation order, and each probe
 * stamps its record right after reserving, so records from different CPUs
 * are out of order by at most an interrupt's length; syscall records wait
 * in their CPU's batch for at most a timer tick (10 ms at HZ=100).  Holding
 * back the newest HOLD_NS and sorting is enough; anything later still is
 * clamped and counted.
 */
#define HOLD_NS 15000000ull

struct pending {
	uint64_t ts;
	uint64_t seq;		/* arrival order, to keep the sort stable */
	size_t off;		/* into the arena */
};

struct lost_rec {
	struct ct_hdr h;
	uint64_t count;
};

struct task_name {
	uint32_t tgid;
	char comm[CT_COMM_LEN];
	uint64_t runtime;	/* sum_exec_runtime at its last switch-out */
	uint64_t sys_enter_ts;	/* start of the syscall it was switched out in, 0 if none */
	uint16_t sys_enter_cpu;	/* and the CPU it began on: the one whose note the switch took */
	int32_t prio;		/* as last written, PRIO_UNSET before */
};

#define PRIO_UNSET INT32_MIN

struct ct_intake {
	struct ct_writer *w;
	uint8_t *arena;
	size_t arena_len, arena_cap;
	struct pending *pend;
	size_t npend, pend_cap, nsorted;
	uint64_t seq;
	uint64_t max_ts;
	uint64_t last_written;
	uint64_t reordered;
	struct ct_tidmap ids;		/* tid -> index in names */
	struct task_name *names;
	size_t nnames, names_cap;
	uint32_t *free_names;		/* slots of forgotten tasks, reused first */
	size_t nfree, free_cap;
};

struct ct_intake *cti_new(struct ct_writer *w)
{
	struct ct_intake *in = ct_xcalloc(1, sizeof(*in));

	in->w = w;
	return in;
}

void cti_free(struct ct_intake *in)
{
	if (!in)
		return;
	free(in->arena);
	free(in->pend);
	ct_tidmap_free(&in->ids);
	free(in->names);
	free(in->free_names);
	free(in);
}

uint64_t cti_reordered(const struct ct_intake *in) { return in->reordered; }
size_t cti_task_slots(const struct ct_intake *in) { return in->nnames; }

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t ncap = *cap ? *cap : 4096;

	while (ncap < need)
		ncap *= 2;
	p = ct_xrealloc(p, ncap * elem);
	*cap = ncap;
	return p;
}

static void push(struct ct_intake *in, const void *rec, size_t size, uint64_t ts)
{
	size_t off = in->arena_len;

	in->arena = grow(in->arena, &in->arena_cap, off + size, 1);
	memcpy(in->arena + off, rec, size);
	in->arena_len += (size + 7) & ~(size_t)7;
	in->arena = grow(in->arena, &in->arena_cap, in->arena_len, 1);
	in->pend = grow(in->pend, &in->pend_cap, in->npend + 1, sizeof(*in->pend));
	in->pend[in->npend++] = (struct pending){ ts, in->seq++, off };
	if (ts > in->max_ts)
		in->max_ts = ts;
}

static const size_t min_size[CT_EV_KIND_MAX] = {
	[CT_EV_SWITCH] = sizeof(struct ct_switch),
	[CT_EV_WAKEUP] = sizeof(struct ct_wakeup),
	[CT_EV_WAKEUP_NEW] = sizeof(struct ct_wakeup),
	[CT_EV_MIGRATE] = sizeof(struct ct_migrate),
	[CT_EV_FORK] = sizeof(struct ct_fork),
	[CT_EV_EXEC] = sizeof(struct ct_exec),
	[CT_EV_EXIT] = sizeof(struct ct_exit),
	[CT_EV_SYSCALL] = sizeof(struct ct_syscall),
	[CT_EV_WAKING] = sizeof(struct ct_wakeup),
	[CT_EV_EPOLL] = sizeof(struct ct_epoll),
	[CT_EV_LOST] = sizeof(struct lost_rec),
	[CT_EV_START_STATE] = sizeof(struct ct_start_state),
	[CT_EV_FREE] = sizeof(struct ct_free),
};

/* Syscall records come in per-CPU batches: a whole number of them, nothing else. */
static int add_syscalls(struct ct_intake *in, const uint8_t *recs, size_t size)
{
	const size_t one = sizeof(struct ct_syscall);

	if (size % one)
		return -1;
	for (size_t off = 0; off < size; off += one)
		if (((const struct ct_hdr *)(recs + off))->kind != CT_EV_SYSCALL)
			return -1;
	for (size_t off = 0; off < size; off += one)
		push(in, recs + off, one, ((const struct ct_hdr *)(recs + off))->ts);
	return (int)(size / one);
}

int cti_add(struct ct_intake *in, const void *rec, size_t size)
{
	const struct ct_hdr *h = rec;

	if (size < sizeof(*h) || h->kind >= CT_EV_KIND_MAX || !min_size[h->kind] ||
	    size < min_size[h->kind])
		return -1;
	if (h->kind == CT_EV_SYSCALL)
		return add_syscalls(in, rec, size);
	push(in, rec, size, h->ts);
	return 1;
}

void cti_lost(struct ct_intake *in, uint16_t cpu, uint64_t count, uint64_t now)
{
	struct lost_rec r = { { now, CT_EV_LOST, cpu, 0 }, count };

	push(in, &r, sizeof(r), now);
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Sort the new tail into the sorted prefix.  Insertion is linear for the
 * nearly sorted input the ring buffer gives; past a budget of moves, fall
 * back to qsort.
 */
static void sort_pending(struct ct_intake *in)
{
	size_t budget = 16 * (in->npend - in->nsorted) + 64;

	for (size_t i = in->nsorted ? in->nsorted : 1; i < in->npend; i++) {
		struct pending x = in->pend[i];
		size_t j = i;

		while (j > 0 && cmp_pending(&in->pend[j - 1], &x) > 0) {
			in->pend[j] = in->pend[j - 1];
			j--;
			if (!--budget) {
				in->pend[j] = x;
				qsort(in->pend, in->npend, sizeof(*in->pend), cmp_pending);
				in->nsorted = in->npend;
				return;
			}
		}
		in->pend[j] = x;
	}
	in->nsorted = in->npend;
}

static int write_event(struct ct_intake *in, struct ct_event *ev)
{
	return ctw_event(in->w, ev);
}

/*
 * Emit a TASK event when tid is new or its tgid or name changed.  comm is
 * NULL when the record carries no name: then only a known task's new tgid
 * is worth a TASK event, and a new one waits for a record that names it.
 */
static int note_task(struct ct_intake *in, const struct ct_hdr *h, uint32_t tid,
		     uint32_t tgid, const char *comm)
{
	if (tid == 0)
		return 0;	/* the idle tasks */
	uint32_t *idx = comm ? ct_tidmap_put(&in->ids, tid) : ct_tidmap_get(&in->ids, tid);

	if (!idx)
		return 0;
	if (*idx == CT_TIDMAP_NONE) {
		if (in->nfree) {
			*idx = in->free_names[--in->nfree];
		} else {
			in->names = grow(in->names, &in->names_cap, in->nnames + 1, sizeof(*in->names));
			*idx = (uint32_t)in->nnames++;
		}
		in->names[*idx].comm[0] = 0;
		in->names[*idx].prio = PRIO_UNSET;
		in->names[*idx].runtime = 0;
		in->names[*idx].sys_enter_ts = 0;
	} else if (in->names[*idx].tgid == tgid &&
		   (!comm || !strncmp(in->names[*idx].comm, comm, CT_COMM_LEN))) {
		return 0;
	}
	struct task_name *s = &in->names[*idx];

	s->tgid = tgid;
	if (comm) {
		memcpy(s->comm, comm, CT_COMM_LEN);
		s->comm[CT_COMM_LEN - 1] = 0;
	}
	struct ct_event ev = { .ts = h->ts, .kind = CT_EV_TASK, .cpu = h->cpu, .tid = tid };

	ev.task.tgid = tgid;
	memcpy(ev.task.comm, s->comm, CT_COMM_LEN);
	return write_event(in, &ev);
}

static struct task_name *known_task(struct ct_intake *in, uint32_t tid)
{
	uint32_t *idx = tid ? ct_tidmap_get(&in->ids, tid) : NULL;

	return idx ? &in->names[*idx] : NULL;
}

/* A task's priority, written when first seen and whenever it changed: a byte or two, rarely. */
static int note_prio(struct ct_intake *in, const struct ct_hdr *h, uint32_t tid, int32_t prio)
{
	struct task_name *t = known_task(in, tid);

	if (!t || t->prio == prio || prio < 0 || prio > CT_PRIO_MAX)
		return 0;
	t->prio = prio;
	struct ct_event ev = { .ts = h->ts, .kind = CT_EV_PRIO, .cpu = h->cpu, .tid = tid };

	ev.prio.prio = prio;
	return write_event(in, &ev);
}

/*
 * The kernel's running total of prev's CPU time, turned into what it got
 * since it went on the CPU (small varints; re-picks without a switch are
 * included).  0 when unknown: a task already running when the recording
 * began has no baseline.
 */
static uint64_t runtime_delta(struct ct_intake *in, uint32_t tid, uint64_t total)
{
	struct task_name *t = known_task(in, tid);

	if (!t)
		return 0;
	uint64_t prev = t->runtime;

	t->runtime = total;
	return prev && total > prev ? total - prev : 0;
}

/* next's total as it goes on the CPU: the baseline its slice is measured from. */
static void runtime_baseline(struct ct_intake *in, uint32_t tid, uint64_t total)
{
	struct task_name *t = known_task(in, tid);

	if (t)
		t->runtime = total ? total : 1;	/* 0 means unknown */
}

/*
 * A syscall that blocked or was preempted ends with no start of its own
 * (the CPU it began on forgot it at the switch): the start travelled in
 * that switch record.  0 when unknown, as for a call begun before the
 * recording.
 */
static void park_syscall(struct ct_intake *in, uint32_t tid, uint64_t enter_ts, uint16_t cpu)
{
	struct task_name *t = enter_ts ? known_task(in, tid) : NULL;

	if (t) {
		t->sys_enter_ts = enter_ts;
		t->sys_enter_cpu = cpu;
	}
}

/* Where the call ending now began: its own note, else the one its switch took; 0 when unknown. */
static uint64_t syscall_start(struct ct_intake *in, const struct ct_syscall *s, uint16_t *cpu)
{
	struct task_name *t = known_task(in, s->h.tid);
	uint64_t parked = t ? t->sys_enter_ts : 0;

	*cpu = s->enter_ts || !t ? s->h.cpu : t->sys_enter_cpu;
	if (t)
		t->sys_enter_ts = 0;	/* this call is over, whichever start it had */
	return s->enter_ts ? s->enter_ts : parked;
}

/* A task that is gone: its slot serves the next new one, so memory follows live tasks. */
static void forget_task(struct ct_intake *in, uint32_t tid)
{
	uint32_t *idx = ct_tidmap_get(&in->ids, tid);

	if (!idx)
		return;
	in->free_names = grow(in->free_names, &in->free_cap, in->nfree + 1, sizeof(*in->free_names));
	in->free_names[in->nfree++] = *idx;
	ct_tidmap_del(&in->ids, tid);
}

/*
 * Each probe record becomes one trace event (a syscall switched out before
 * the recording began becomes none).  Tasks are named before the event
 * that first mentions them, so readers always know who a tid is.
 */
static struct ct_event event_of(const struct ct_hdr *h)
{
	return (struct ct_event){ .ts = h->ts, .kind = h->kind, .cpu = h->cpu, .tid = h->tid };
}

static int convert_switch(struct ct_intake *in, const struct ct_switch *s)
{
	const struct ct_hdr *h = &s->h;
	struct ct_event ev = event_of(h);

	if (note_task(in, h, h->tid, s->prev_tgid, s->prev_comm) ||
	    note_task(in, h, s->next_tid, s->next_tgid, s->next_comm) ||
	    note_prio(in, h, h->tid, s->prev_prio) || note_prio(in, h, s->next_tid, s->next_prio))
		return -1;
	ev.sw.next_tid = s->next_tid;
	ev.sw.prev_state = s->prev_state;
	ev.sw.prev_syscall = s->prev_syscall;
	ev.sw.arg = s->prev_arg;
	ev.sw.prev_runtime = runtime_delta(in, h->tid, s->prev_runtime);
	park_syscall(in, h->tid, s->prev_sys_enter_ts, h->cpu);
	runtime_baseline(in, s->next_tid, s->next_runtime);
	/* Its last switch-out: forget it, so a reused tid starts afresh. */
	if (h->tid && ct_task_gone(s->prev_state))
		forget_task(in, h->tid);
	return write_event(in, &ev);
}

static int convert_wakeup(struct ct_intake *in, const struct ct_wakeup *w)
{
	struct ct_event ev = event_of(&w->h);

	if (note_task(in, &w->h, w->h.tid, w->tgid, NULL) || note_prio(in, &w->h, w->h.tid, w->prio))
		return -1;
	ev.wake.target_cpu = w->target_cpu;
	ev.wake.waker_tid = w->waker_tid;
	ev.wake.waker_class = w->h.kind == CT_EV_WAKING && w->waker_class < CT_WAKER_CLASS_MAX
			      ? w->waker_class : CT_WAKER_TASK;
	return write_event(in, &ev);
}

static int convert_migrate(struct ct_intake *in, const struct ct_migrate *m)
{
	struct ct_event ev = event_of(&m->h);

	if (note_task(in, &m->h, m->h.tid, m->tgid, NULL))
		return -1;
	ev.migrate.orig_cpu = m->orig_cpu;
	ev.migrate.dest_cpu = m->dest_cpu;
	return write_event(in, &ev);
}

static int convert_fork(struct ct_intake *in, const struct ct_fork *f)
{
	struct ct_event ev = event_of(&f->h);

	ev.fork.child_tid = f->child_tid;
	ev.fork.child_tgid = f->child_tgid;
	if (note_task(in, &f->h, f->h.tid, f->parent_tgid, NULL) || write_event(in, &ev))
		return -1;
	return note_task(in, &f->h, f->child_tid, f->child_tgid, f->comm);
}

static int convert_exec(struct ct_intake *in, const struct ct_exec *x)
{
	struct ct_event ev = event_of(&x->h);

	ev.exec.tgid = x->tgid;
	ev.exec.old_tid = x->old_tid;
	memcpy(ev.exec.filename, x->filename, CT_PATH_LEN);
	ev.exec.filename[CT_PATH_LEN - 1] = 0;
	if (write_event(in, &ev))
		return -1;
	return note_task(in, &x->h, x->h.tid, x->tgid, x->comm);
}

static int convert_exit(struct ct_intake *in, const struct ct_exit *x)
{
	struct ct_event ev = event_of(&x->h);

	if (note_task(in, &x->h, x->h.tid, x->tgid, x->comm) || note_prio(in, &x->h, x->h.tid, x->prio))
		return -1;
	ev.exit.code = x->exit_code;
	return write_event(in, &ev);	/* forgotten at its last switch-out */
}

static int convert_syscall(struct ct_intake *in, const struct ct_syscall *s)
{
	struct ct_event ev = event_of(&s->h);
	uint16_t enter_cpu;
	uint64_t enter_ts = syscall_start(in, s, &enter_cpu);

	if (!enter_ts)
		return 0;	/* begun before the recording: no start to give it */
	ev.sys.nr = s->nr;
	ev.sys.arg = s->arg;
	ev.sys.ret = s->ret;
	/* A clamped exit may precede its entry's stamp: never negative. */
	ev.sys.dur = s->h.ts > enter_ts ? s->h.ts - enter_ts : 0;
	ev.sys.enter_cpu = enter_cpu;
	return write_event(in, &ev);
}

static int convert_epoll(struct ct_intake *in, const struct ct_epoll *x)
{
	struct ct_event ev = event_of(&x->h);

	if (x->op < 1 || x->op > 3)
		return 0;	/* the kernel said yes to it: never */
	if (note_task(in, &x->h, x->h.tid, x->tgid, NULL))
		return -1;
	ev.epoll.tgid = x->tgid;
	ev.epoll.epfd = x->epfd;
	ev.epoll.fd = x->fd;
	ev.epoll.op = x->op;
	ev.epoll.fd_class = x->fd_class < CT_FD_CLASS_MAX ? x->fd_class : CT_FD_NONE;
	return write_event(in, &ev);
}

static int convert_start_state(struct ct_intake *in, const struct ct_start_state *x)
{
	struct ct_event ev = event_of(&x->h);

	if (note_task(in, &x->h, x->h.tid, x->tgid, x->comm))
		return -1;
	ev.start.tgid = x->tgid;
	ev.start.state = x->state;
	ev.start.syscall = x->syscall < -1 ? -1 : x->syscall;
	if (write_event(in, &ev))
		return -1;
	if (x->h.tid != x->tgid || !x->ppid)
		return 0;
	struct ct_event parent = event_of(&x->h);	/* said once, by its leader */

	parent.kind = CT_EV_PARENT;
	parent.parent.ppid = x->ppid;
	return write_event(in, &parent);
}

static int convert(struct ct_intake *in, const struct ct_hdr *h)
{
	struct ct_event ev;

	switch (h->kind) {
	case CT_EV_SWITCH: return convert_switch(in, (const void *)h);
	case CT_EV_WAKEUP:
	case CT_EV_WAKEUP_NEW:
	case CT_EV_WAKING: return convert_wakeup(in, (const void *)h);
	case CT_EV_EPOLL: return convert_epoll(in, (const void *)h);
	case CT_EV_MIGRATE: return convert_migrate(in, (const void *)h);
	case CT_EV_FORK: return convert_fork(in, (const void *)h);
	case CT_EV_EXEC: return convert_exec(in, (const void *)h);
	case CT_EV_EXIT: return convert_exit(in, (const void *)h);
	case CT_EV_SYSCALL: return convert_syscall(in, (const void *)h);
	case CT_EV_START_STATE: return convert_start_state(in, (const void *)h);
	case CT_EV_FREE:
		ev = event_of(h);
		ev.free.tgid = ((const struct ct_free *)h)->tgid;
		return write_event(in, &ev);
	case CT_EV_LOST:
		ev = event_of(h);
		ev.lost.count = ((const struct lost_rec *)h)->count;
		return write_event(in, &ev);
	}
	return 0;
}

int cti_flush(struct ct_intake *in, bool final)
{
	uint64_t limit = final ? UINT64_MAX : (in->max_ts > HOLD_NS ? in->max_ts - HOLD_NS : 0);
	size_t i;

	sort_pending(in);
	for (i = 0; i < in->npend && in->pend[i].ts <= limit; i++) {
		struct ct_hdr *h = (struct ct_hdr *)(in->arena + in->pend[i].off);

		if (h->ts < in->last_written) {
			h->ts = in->last_written;	/* too late to place: clamp */
			in->reordered++;
		}
		in->last_written = h->ts;
		if (convert(in, h))
			return -1;
	}
	if (i == 0)
		return 0;
	/* Keep the held-back tail, compacting the arena under it. */
	size_t rest = in->npend - i, base = rest ? in->pend[i].off : in->arena_len;
	size_t lo = base;

	for (size_t k = i; k < in->npend; k++)
		if (in->pend[k].off < lo)
			lo = in->pend[k].off;
	memmove(in->arena, in->arena + lo, in->arena_len - lo);
	in->arena_len -= lo;
	for (size_t k = 0; k < rest; k++) {
		in->pend[k] = in->pend[i + k];
		in->pend[k].off -= lo;
	}
	in->npend = in->nsorted = rest;
	return 0;
}
