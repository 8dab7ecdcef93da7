/*
 * A Perfetto trace from a ctrace trace, written straight from the replay.
 * Packets: a clock snapshot (the trace clock is BOOTTIME, Perfetto's
 * default for ftrace), system info (the kernel release decides how Perfetto
 * decodes prev_state), ftrace bundles per CPU, and the process tree
 * (export_pftree.c).  Switches and wakings go in the bundle's compact sched
 * columns, as traced_probes writes them; the other events are ftrace events
 * of their own.  Protobuf's wire format is written by hand (protowire.h):
 * the schema is fixed, and a library's per-message structures and sizing
 * pass cost more than the whole replay.
 *
 * Compact sched leaves out what Perfetto infers, so it is only used where
 * the inference holds:
 *
 *   cpu 1:  switch A->B   switch B->C   waking X    switch C->D
 *           (full)        (compact:     (compact:   (compact)
 *                         prev = B)     waker = C)
 *
 * A switch is compact when its prev is the last next this CPU was given
 * (a drop breaks the chain: the next switch is written in full); a waking
 * is compact when the task Perfetto believes is on the waker's CPU is the
 * one the kernel would name as current.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "export_pf.h"
#include "outfile.h"
#include "protowire.h"
#include "replay.h"
#include "text.h"

#define BUNDLE_EVENTS 4096	/* events per bundle: bounds memory per CPU */
#define INTERN_MAX 256		/* names per bundle */
#define INTERN_SLOTS 512
#define RECENT_SLOTS 64

/* FtraceEvent's fields, and the events' own (Perfetto's ftrace_event.proto, sched.proto...). */
enum {
	FE_TIMESTAMP = 1, FE_PID = 2, FE_SCHED_SWITCH = 4, FE_SCHED_WAKING = 20,
	FE_SCHED_WAKEUP_NEW = 114, FE_TASK_NEWTASK = 235, FE_TASK_RENAME = 236,
	FE_SCHED_PROCESS_EXEC = 237, FE_SCHED_PROCESS_EXIT = 238, FE_SCHED_PROCESS_FREE = 240, FE_SYS_ENTER = 329,
	FE_SYS_EXIT = 330,
};
enum { BUNDLE_CPU = 1, BUNDLE_EVENT = 2, BUNDLE_LOST = 3, BUNDLE_COMPACT = 4 };
enum { SW_TS, SW_STATE, SW_PID, SW_PRIO, SW_COMM, WK_TS, WK_PID, WK_CPU, WK_PRIO, WK_COMM, WK_FLAGS, NCOLS };
/* CompactSched's field for each column; the intern table is field 5. */
static const uint8_t col_field[NCOLS] = { 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12 };
#define COMPACT_INTERN 5
#define CLONE_THREAD_FLAG 0x00010000u
#define DEFAULT_PRIO 120	/* nice 0's: the idle tasks', and any before 1.3 traces said */

struct bundle {
	struct ct_buf events;		/* encoded FtraceEvent entries */
	struct ct_buf col[NCOLS];	/* compact sched, packed */
	struct ct_buf names;		/* the intern table, encoded */
	uint64_t last_sw, last_wk;	/* delta bases */
	uint32_t n;			/* events of any form */
	uint32_t nsw, nwk, nnames;
	uint32_t slot_hash[INTERN_SLOTS];
	uint16_t slot_idx[INTERN_SLOTS];	/* index + 1; 0 empty */
	uint32_t *name_off;		/* offset of each interned name in names */
	struct { uint32_t tid, gen, idx; } recent[RECENT_SLOTS];	/* a task's interned name, idx + 1 */
	bool lost;
	int64_t on_cpu;			/* Perfetto's idea of who runs here: the last next written; -1 none */
	int32_t on_cpu_prio;		/* and its priority, as written then */
	uint32_t current;		/* who runs here, as the trace says */
	char swapper[24];
};

/* ---- buffers and packets ---- */

static void flush_bundle(struct pf *p, uint32_t cpu)
{
	struct bundle *b = &p->cpus[cpu];
	struct ct_buf *o = &p->out;

	if (!b->n && !b->lost)
		return;
	size_t pkt = ct_pf_packet_open(p, 0), fb = pw_open(o, PF_PACKET_FTRACE);

	pw_uint(o, BUNDLE_CPU, cpu);
	ct_buf_put(o, b->events.p, b->events.len);
	if (b->nsw || b->nwk) {
		size_t cs = pw_open(o, BUNDLE_COMPACT);

		ct_buf_put(o, b->names.p, b->names.len);
		for (int c = 0; c < NCOLS; c++)
			if (b->col[c].len)
				pw_bytes(o, col_field[c], b->col[c].p, b->col[c].len);
		pw_close(o, cs);
	}
	if (b->lost)
		pw_uint(o, BUNDLE_LOST, 1);
	pw_close(o, fb);
	ct_pf_packet_close(p, pkt);
	b->events.len = b->names.len = 0;
	for (int c = 0; c < NCOLS; c++)
		b->col[c].len = 0;
	b->n = b->nsw = b->nwk = b->nnames = 0;
	b->last_sw = b->last_wk = 0;
	memset(b->slot_idx, 0, sizeof(b->slot_idx));
	memset(b->recent, 0, sizeof(b->recent));
	b->lost = false;
}

static struct bundle *bundle_of(struct pf *p, uint32_t cpu)
{
	struct bundle *b = &p->cpus[cpu];

	if (b->n >= BUNDLE_EVENTS || b->nnames >= INTERN_MAX)
		flush_bundle(p, cpu);
	b->n++;
	return b;
}

/* A name's index in the bundle's intern table, added when new. */
static uint32_t intern(struct bundle *b, const char *s)
{
	size_t len = strlen(s);
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	for (uint32_t i = h % INTERN_SLOTS;; i = (i + 1) % INTERN_SLOTS) {
		if (!b->slot_idx[i]) {
			uint32_t idx = b->nnames++;

			b->slot_idx[i] = (uint16_t)(idx + 1);
			b->slot_hash[i] = h;
			b->name_off[idx] = (uint32_t)b->names.len;
			pw_bytes(&b->names, COMPACT_INTERN, s, len);
			return idx;
		}
		if (b->slot_hash[i] == h) {
			uint32_t idx = b->slot_idx[i] - 1u;
			const uint8_t *at = b->names.p + b->name_off[idx] + 1;	/* past the key */
			uint8_t n = *at++;	/* names are < 128 bytes: one length byte */

			if (n == len && !memcmp(at, s, len))
				return idx;
		}
	}
}

/* ---- names and tasks ---- */

/* A new entry for tid, which ids and the cache name from now on; NULL when out of memory. */
static struct pf_task *new_task(struct pf *p, uint32_t tid, uint32_t *id)
{
	if (p->ntasks == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct pf_task *tasks = realloc(p->tasks, cap * sizeof(*tasks));

		if (!tasks) {
			p->failed = ENOMEM;
			return NULL;
		}
		p->tasks = tasks;
		p->cap = cap;
	}
	struct pf_task *k = &p->tasks[p->ntasks];

	memset(k, 0, sizeof(*k));
	k->tid = k->tgid = tid;
	k->prio = DEFAULT_PRIO;
	*id = (uint32_t)p->ntasks++;
	p->cache_tid[tid % PF_TASK_CACHE] = tid;
	p->cache_id[tid % PF_TASK_CACHE] = *id;
	return k;
}

/* Past the cache: the tid map, and a new entry for a tid not seen before. */
static __attribute__((noinline)) struct pf_task *task_lookup(struct pf *p, uint32_t tid)
{
	uint32_t slot = tid % PF_TASK_CACHE;
	uint32_t *id = ct_tidmap_put(&p->ids, tid);

	if (*id != CT_TIDMAP_NONE) {
		p->cache_tid[slot] = tid;
		p->cache_id[slot] = *id;
		return &p->tasks[*id];
	}
	struct pf_task *k = new_task(p, tid, id);

	if (!k)
		ct_tidmap_del(&p->ids, tid);
	return k;
}

/* The task tid, noted the first time the trace mentions it. */
static inline struct pf_task *task_at(struct pf *p, uint32_t tid)
{
	uint32_t slot = tid % PF_TASK_CACHE;

	if (p->cache_tid[slot] == tid && tid)	/* most events are about a few busy tasks */
		return &p->tasks[p->cache_id[slot]];
	return task_lookup(p, tid);
}

/*
 * A task forked as tid: a new entry even when the tid was seen before, as
 * another task's (the kernel reuses tids); the older one keeps its own.
 */
static struct pf_task *forked_task(struct pf *p, uint32_t tid)
{
	uint32_t *id = ct_tidmap_put(&p->ids, tid);
	uint32_t old = *id;
	struct pf_task *k = new_task(p, tid, id);

	if (!k && old == CT_TIDMAP_NONE)
		ct_tidmap_del(&p->ids, tid);
	else if (!k)
		*id = old;
	return k;
}

static void set_name(struct pf *p, struct pf_task *k, const char *name)
{
	if (!strncmp(k->name, name, CT_COMM_LEN))
		return;
	memset(k->name, 0, sizeof(k->name));
	strncpy(k->name, name, CT_COMM_LEN - 1);
	if (!k->first_name[0])
		memcpy(k->first_name, k->name, sizeof(k->name));
	k->safe_stale = true;
	k->name_gen = ++p->names;	/* unique: a reused tid's new task is not its old one */
}

static int32_t prio_of(struct pf *p, uint32_t tid)
{
	struct pf_task *k = tid ? task_at(p, tid) : NULL;

	return k ? k->prio : DEFAULT_PRIO;
}

/* What ftrace calls tid: its name made safe, or swapper/N for the idle task. */
static const char *comm_of(struct pf *p, uint32_t tid, uint32_t cpu)
{
	if (!tid)
		return p->cpus[cpu].swapper;
	struct pf_task *k = task_at(p, tid);

	if (!k)
		return "";
	if (k->safe_stale) {
		ct_text(k->name, CT_TEXT_TERMINAL, k->safe, sizeof(k->safe));
		k->safe_stale = false;
	}
	return k->safe;
}

/* tid's name in the bundle's intern table: a switch storm names the same few tasks over and over. */
static uint32_t intern_task(struct pf *p, struct bundle *b, uint32_t tid, uint32_t cpu)
{
	struct pf_task *k = tid ? task_at(p, tid) : NULL;
	uint32_t gen = k ? k->name_gen : 0, slot = tid % RECENT_SLOTS;

	if (b->recent[slot].idx && b->recent[slot].tid == tid && b->recent[slot].gen == gen)
		return b->recent[slot].idx - 1;
	uint32_t idx = intern(b, comm_of(p, tid, cpu));

	b->recent[slot].tid = tid;
	b->recent[slot].gen = gen;
	b->recent[slot].idx = idx + 1;
	return idx;
}

/* ---- events ---- */

/* Open an ftrace event of kind in a bundle's list; close both with ev_close(). */
static size_t ev_open(struct ct_buf *b, uint64_t ts, uint32_t pid, uint32_t kind, size_t *outer)
{
	*outer = pw_open_short(b, BUNDLE_EVENT);
	pw_uint(b, FE_TIMESTAMP, ts);
	pw_uint(b, FE_PID, pid);
	return pw_open_short(b, kind);
}

static void ev_close(struct ct_buf *b, size_t inner, size_t outer)
{
	pw_close_short(b, inner);
	pw_close_short(b, outer);
}

static void emit_switch(struct pf *p, const struct ct_event *e)
{
	struct bundle *b = bundle_of(p, e->cpu);
	int64_t state = ct_report_state(e->sw.prev_state);

	/* Perfetto takes prev's priority from its switch-in: a change since needs the full event. */
	if (b->on_cpu == (int64_t)e->tid && b->on_cpu_prio == prio_of(p, e->tid)) {
		pw_elem(&b->col[SW_TS], e->ts - b->last_sw);
		pw_elem(&b->col[SW_STATE], (uint64_t)state);
		pw_elem(&b->col[SW_PID], e->sw.next_tid);
		pw_elem(&b->col[SW_PRIO], (uint64_t)prio_of(p, e->sw.next_tid));
		pw_elem(&b->col[SW_COMM], intern_task(p, b, e->sw.next_tid, e->cpu));
		b->last_sw = e->ts;
		b->nsw++;
	} else {
		size_t outer, in = ev_open(&b->events, e->ts, e->tid, FE_SCHED_SWITCH, &outer);

		pw_str(&b->events, 1, comm_of(p, e->tid, e->cpu));
		pw_int(&b->events, 2, e->tid);
		pw_int(&b->events, 3, prio_of(p, e->tid));
		pw_int(&b->events, 4, state);
		pw_str(&b->events, 5, comm_of(p, e->sw.next_tid, e->cpu));
		pw_int(&b->events, 6, e->sw.next_tid);
		pw_int(&b->events, 7, prio_of(p, e->sw.next_tid));
		ev_close(&b->events, in, outer);
	}
	b->on_cpu = e->sw.next_tid;
	b->on_cpu_prio = prio_of(p, e->sw.next_tid);
	p->st.switches++;
}

/* sched_waking and sched_wakeup_new share their fields. */
static void full_wake(struct bundle *b, const struct ct_event *e, uint32_t pid, uint32_t kind,
		      const char *comm, int32_t prio)
{
	size_t outer, in = ev_open(&b->events, e->ts, pid, kind, &outer);

	pw_str(&b->events, 1, comm);
	pw_int(&b->events, 2, e->tid);
	pw_int(&b->events, 3, prio);
	pw_int(&b->events, 4, 1);	/* success */
	pw_int(&b->events, 5, e->wake.target_cpu);
	ev_close(&b->events, in, outer);
}

/*
 * sched_waking on the waker's CPU at the waking instant: ftrace's pid is
 * the task current there (the waker, or the task an interrupt cut into).
 * Traces before format 1.1 have only the wakeup, on the wakee's side.
 */
static void emit_waking(struct pf *p, const struct ct_event *e, uint32_t current)
{
	struct bundle *b = bundle_of(p, e->cpu);

	if (b->on_cpu == (int64_t)current) {
		pw_elem(&b->col[WK_TS], e->ts - b->last_wk);
		pw_elem(&b->col[WK_PID], e->tid);
		pw_elem(&b->col[WK_CPU], e->wake.target_cpu);
		pw_elem(&b->col[WK_PRIO], (uint64_t)prio_of(p, e->tid));
		pw_elem(&b->col[WK_COMM], intern_task(p, b, e->tid, e->cpu));
		pw_elem(&b->col[WK_FLAGS], 0);
		b->last_wk = e->ts;
		b->nwk++;
		return;
	}
	full_wake(b, e, current, FE_SCHED_WAKING, comm_of(p, e->tid, e->cpu), prio_of(p, e->tid));
}

static void emit_wakeup_new(struct pf *p, const struct ct_event *e)
{
	full_wake(bundle_of(p, e->cpu), e, e->wake.waker_tid, FE_SCHED_WAKEUP_NEW, comm_of(p, e->tid, e->cpu),
		  prio_of(p, e->tid));
}

static void emit_fork(struct pf *p, const struct ct_event *e)
{
	struct bundle *b = bundle_of(p, e->cpu);
	bool thread = e->fork.child_tgid != e->fork.child_tid;
	size_t outer, in = ev_open(&b->events, e->ts, e->tid, FE_TASK_NEWTASK, &outer);
	struct pf_task *child = forked_task(p, e->fork.child_tid);
	size_t ci = child ? (size_t)(child - p->tasks) : 0;
	struct pf_task *parent = task_at(p, e->tid);	/* may move the tasks: the child by index */

	child = child ? &p->tasks[ci] : NULL;

	pw_int(&b->events, 1, e->fork.child_tid);
	pw_str(&b->events, 2, comm_of(p, e->tid, e->cpu));
	pw_uint(&b->events, 3, thread ? CLONE_THREAD_FLAG : 0);
	ev_close(&b->events, in, outer);
	if (child && parent) {	/* named after its parent until it is told otherwise */
		child->born = child->described = e->ts;
		child->tgid = e->fork.child_tgid;
		child->ppid = thread ? 0 : parent->tgid;
		set_name(p, child, parent->name);
	}
}

static void emit_rename(struct pf *p, const struct ct_event *e, const char *old)
{
	struct bundle *b = bundle_of(p, e->cpu);
	size_t outer, in = ev_open(&b->events, e->ts, e->tid, FE_TASK_RENAME, &outer);
	char safe[CT_TEXT_MAX(CT_COMM_LEN)];

	pw_int(&b->events, 1, e->tid);
	pw_str(&b->events, 2, ct_text(old, CT_TEXT_TERMINAL, safe, sizeof(safe)));
	pw_str(&b->events, 3, ct_text(e->task.comm, CT_TEXT_TERMINAL, safe, sizeof(safe)));
	ev_close(&b->events, in, outer);
}

static void emit_exec(struct pf *p, const struct ct_event *e)
{
	struct bundle *b = bundle_of(p, e->cpu);
	size_t outer, in = ev_open(&b->events, e->ts, e->tid, FE_SCHED_PROCESS_EXEC, &outer);
	char safe[CT_TEXT_MAX(CT_PATH_LEN)];
	struct pf_task *k = task_at(p, e->tid);

	pw_str(&b->events, 1, ct_text(e->exec.filename, CT_TEXT_TERMINAL, safe, sizeof(safe)));
	pw_int(&b->events, 2, e->tid);
	pw_int(&b->events, 3, e->exec.old_tid);
	ev_close(&b->events, in, outer);
	if (k)
		k->described = e->ts;	/* its tree entry tells the new name */
}

static void emit_exit(struct pf *p, const struct ct_event *e)
{
	struct bundle *b = bundle_of(p, e->cpu);
	size_t outer, in = ev_open(&b->events, e->ts, e->tid, FE_SCHED_PROCESS_EXIT, &outer);
	struct pf_task *k = task_at(p, e->tid);

	pw_str(&b->events, 1, comm_of(p, e->tid, e->cpu));
	pw_int(&b->events, 2, e->tid);
	pw_int(&b->events, 3, k ? k->tgid : e->tid);
	pw_int(&b->events, 4, prio_of(p, e->tid));
	ev_close(&b->events, in, outer);
}

/* The kernel let go of it: where Perfetto ends its thread. */
static void emit_free(struct pf *p, const struct ct_event *e)
{
	struct bundle *b = bundle_of(p, e->cpu);
	size_t outer, in = ev_open(&b->events, e->ts, p->cpus[e->cpu].current, FE_SCHED_PROCESS_FREE, &outer);

	pw_str(&b->events, 1, comm_of(p, e->tid, e->cpu));
	pw_int(&b->events, 2, e->tid);
	pw_int(&b->events, 3, prio_of(p, e->tid));
	ev_close(&b->events, in, outer);
}

/*
 * sys_enter or sys_exit: the workload's calls are most of a trace's
 * events.  Both lengths are at most 45, one byte each, filled in last.
 */
static void sys_event(struct ct_buf *b, uint64_t ts, uint32_t pid, uint32_t kind, int64_t nr,
		      const int64_t *ret)
{
	if (!ct_buf_room(b, 48))
		return;
	uint8_t *p = b->p + b->len, *outer, *inner;

	*p++ = BUNDLE_EVENT << 3 | PW_LEN;
	outer = p++;
	*p++ = FE_TIMESTAMP << 3 | PW_VARINT;
	p = pw_put_varint(p, ts);
	*p++ = FE_PID << 3 | PW_VARINT;
	p = pw_put_varint(p, pid);
	p = pw_put_varint(p, (uint64_t)kind << 3 | PW_LEN);
	inner = p++;
	*p++ = 1 << 3 | PW_VARINT;	/* id */
	p = pw_put_varint(p, (uint64_t)nr);
	if (ret) {
		*p++ = 2 << 3 | PW_VARINT;
		p = pw_put_varint(p, (uint64_t)*ret);
	}
	*inner = (uint8_t)(p - inner - 1);
	*outer = (uint8_t)(p - outer - 1);
	b->len = (size_t)(p - b->p);
}

/* One ctrace record per syscall becomes ftrace's pair: the entry where and when it began, the exit here. */
static void emit_syscall(struct pf *p, const struct ct_event *e)
{
	struct bundle *b = bundle_of(p, e->sys.enter_cpu < p->ncpus ? e->sys.enter_cpu : e->cpu);

	sys_event(&b->events, e->ts - e->sys.dur, e->tid, FE_SYS_ENTER, e->sys.nr, NULL);
	b = bundle_of(p, e->cpu);
	sys_event(&b->events, e->ts, e->tid, FE_SYS_EXIT, e->sys.nr, &e->sys.ret);
}

static void lost(struct pf *p, uint32_t cpu)
{
	p->cpus[cpu].lost = true;
	for (uint32_t c = 0; c < p->ncpus; c++)	/* who runs where is no longer known */
		p->cpus[c].on_cpu = -1;
}

/* A task named (or renamed) by the recorder; ftrace says task_rename when the name changes. */
static void on_task(struct pf *p, const struct ct_event *e)
{
	struct pf_task *k = task_at(p, e->tid);

	if (!k)
		return;
	if (k->name[0] && strncmp(k->name, e->task.comm, CT_COMM_LEN))
		emit_rename(p, e, k->name);
	k->tgid = e->task.tgid;
	set_name(p, k, e->task.comm);
}

static void emit(struct pf *p, const struct ct_event *e)
{
	struct pf_task *k;

	switch (e->kind) {
	case CT_EV_SWITCH:
		emit_switch(p, e);
		p->cpus[e->cpu].current = e->sw.next_tid;
		break;
	case CT_EV_WAKING:	/* the task current there: the waker, or whoever an interrupt cut into */
		emit_waking(p, e, e->wake.waker_tid ? e->wake.waker_tid : p->cpus[e->cpu].current);
		break;
	case CT_EV_WAKEUP:
		if (!p->has_waking)
			emit_waking(p, e, e->wake.waker_tid);
		break;
	case CT_EV_WAKEUP_NEW: emit_wakeup_new(p, e); break;
	case CT_EV_FORK: emit_fork(p, e); break;
	case CT_EV_EXEC: emit_exec(p, e); break;
	case CT_EV_EXIT: emit_exit(p, e); break;
	case CT_EV_SYSCALL: emit_syscall(p, e); break;
	case CT_EV_TASK: on_task(p, e); break;
	case CT_EV_START_STATE:
		if ((k = task_at(p, e->tid)))
			k->tgid = e->start.tgid;
		break;
	case CT_EV_FREE: emit_free(p, e); break;
	case CT_EV_PRIO:
		if ((k = task_at(p, e->tid)))
			k->prio = e->prio.prio;
		break;
	case CT_EV_PARENT:
		if ((k = task_at(p, e->tid)))
			k->ppid = e->parent.ppid;
		break;
	case CT_EV_LOST: lost(p, e->cpu); break;
	default: break;
	}
}

/* ---- the replay pass: events alone, no model ---- */

static int begin(void *ctx, const struct ct_meta *meta, const struct ct_model *m)
{
	struct pf *p = ctx;

	(void)m;
	p->ncpus = meta->ncpus;
	p->has_waking = meta->options & CT_OPT_WAITS;
	if (!(p->cpus = calloc(p->ncpus, sizeof(*p->cpus))))
		return p->failed = ENOMEM;
	for (uint32_t c = 0; c < p->ncpus; c++) {
		p->cpus[c].on_cpu = -1;
		snprintf(p->cpus[c].swapper, sizeof(p->cpus[c].swapper), "swapper/%u", c);
		if (!(p->cpus[c].name_off = calloc(INTERN_MAX, sizeof(uint32_t))))
			return p->failed = ENOMEM;
	}
	ct_pf_preamble(p, meta);
	return p->failed;
}

static void on_event(void *ctx, const struct ct_model *m, const struct ct_event *e)
{
	struct pf *p = ctx;

	(void)m;
	if (!p->st.events++)
		p->t_first = e->ts;
	if (e->cpu < p->ncpus && (e->tid || e->kind == CT_EV_SWITCH || e->kind == CT_EV_LOST))
		emit(p, e);
	if (p->out.err)
		p->failed = p->out.err;
}

static int failed(void *ctx)
{
	return ((struct pf *)ctx)->failed;
}

static void free_pf(struct pf *p)
{
	for (uint32_t c = 0; p->cpus && c < p->ncpus; c++) {
		struct bundle *b = &p->cpus[c];

		ct_buf_free(&b->events);
		ct_buf_free(&b->names);
		for (int i = 0; i < NCOLS; i++)
			ct_buf_free(&b->col[i]);
		free(b->name_off);
	}
	free(p->cpus);
	free(p->tasks);
	ct_tidmap_free(&p->ids);
	ct_buf_free(&p->out);
}

int ct_export_perfetto(const char *trace, const char *out, struct ct_export_stats *st,
		       char *err, size_t errlen)
{
	struct pf p = { 0 };
	struct ct_replay_pass pass = { .ctx = &p, .begin = begin, .after = on_event, .failed = failed };
	struct ct_trace_info info;
	char tmp[4096];
	int bad;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid());
	if (!(p.f = ct_create_new(tmp))) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		return -1;
	}
	if (!(p.writer = ct_outfile_start())) {
		snprintf(err, errlen, "%s: %s", out, strerror(ENOMEM));
		fclose(p.f);
		unlink(tmp);
		return -1;
	}
	bool replayed = !ct_replay(trace, NULL, &pass, 1, &info, err, errlen);

	bad = !replayed;
	for (uint32_t c = 0; !bad && c < p.ncpus; c++)
		flush_bundle(&p, c);
	if (!bad)
		ct_pf_process_tree(&p, &info.meta);
	ct_pf_flush(&p);
	int werr = ct_outfile_finish(p.writer, NULL);

	if (werr && !p.failed)
		p.failed = werr;
	/* A replay this pass stopped says nothing: the pass knows why. */
	if ((!bad || !err[0]) && (p.failed || p.out.err)) {
		snprintf(err, errlen, "%s: write failed: %s", out, strerror(p.failed ? p.failed : p.out.err));
		bad = 1;
	}
	if (fclose(p.f) && !bad) {
		snprintf(err, errlen, "%s: write failed: %s", out, strerror(errno));
		bad = 1;
	}
	if (!bad && rename(tmp, out)) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		bad = 1;
	}
	if (bad)
		unlink(tmp);
	if (replayed)
		ct_trace_info_free(&info);
	if (st)
		*st = p.st;
	free_pf(&p);
	return bad ? -1 : 0;
}
