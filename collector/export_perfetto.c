/*
 * A Perfetto trace from a ctrace trace: the UI shows real per-CPU
 * scheduling tracks and thread states from it.  Packets: a clock snapshot
 * (the trace clock is BOOTTIME, Perfetto's default for ftrace), system info
 * (the kernel release decides how Perfetto decodes prev_state), ftrace
 * bundles (one CPU each, events in time order, lost_events after drops),
 * and the process tree.  Encoding is protobuf-c's, from perfetto.proto.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "text.h"
#include "model.h"
#include "perfetto.pb-c.h"
#include "replay.h"
#include "varint.h"

#define BUNDLE_MAX 256		/* events per bundle: bounds memory per CPU */
#define SEQ_ID 1
#define CLOCK_REALTIME_ID 1
#define CLOCK_MONOTONIC_ID 3
#define CLOCK_BOOTTIME_ID 6
#define CLONE_THREAD_FLAG 0x00010000u

typedef Perfetto__Protos__FtraceEvent FtraceEvent;
typedef Perfetto__Protos__FtraceEvent__EventCase FtraceEvent__EventCase;

/* One event and everything it points to, so a bundle needs no other memory. */
struct slot {
	FtraceEvent ev;
	union {
		Perfetto__Protos__SchedSwitchFtraceEvent sw;
		Perfetto__Protos__SchedWakingFtraceEvent waking;
		Perfetto__Protos__SchedWakeupNewFtraceEvent wakeup_new;
		Perfetto__Protos__TaskNewtaskFtraceEvent newtask;
		Perfetto__Protos__TaskRenameFtraceEvent rename;
		Perfetto__Protos__SchedProcessExecFtraceEvent exec;
		Perfetto__Protos__SchedProcessExitFtraceEvent exit;
		Perfetto__Protos__SysEnterFtraceEvent sys_enter;
		Perfetto__Protos__SysExitFtraceEvent sys_exit;
	} u;
	char a[CT_TEXT_MAX(CT_PATH_LEN)], b[CT_TEXT_MAX(CT_COMM_LEN)];
	uint64_t seq;
};

struct bundle {
	struct slot *slots;
	size_t n;
	bool lost;
};

struct pf {
	FILE *f;
	const char *path;
	const struct ct_model *m;	/* the replay's, for names and processes */
	struct bundle *cpus;
	uint32_t ncpus;
	uint64_t seq;
	struct ct_export_stats st;
	struct ct_tidmap ppid;		/* child tgid -> parent tgid */
	int failed;
};

/* Protobuf strings must be UTF-8; names from the kernel need not be (text.h). */
static char *text(char *dst, size_t cap, const char *src)
{
	ct_text(src, CT_TEXT_TERMINAL, dst, cap);
	return dst;
}

static const char *name_of(const struct ct_model *m, uint32_t tid)
{
	const struct ct_thread *t = ct_model_thread(m, tid);

	return t ? t->name : "";
}

static int32_t tgid_of(const struct ct_model *m, uint32_t tid)
{
	const struct ct_thread *t = ct_model_thread(m, tid);

	return t ? (int32_t)t->tgid : (int32_t)tid;
}

/* Frame one packet as field 1 of Trace and append it to the file. */
static void write_packet(struct pf *p, Perfetto__Protos__TracePacket *pkt)
{
	size_t len = perfetto__protos__trace_packet__get_packed_size(pkt);
	uint8_t hdr[1 + CT_VARINT_MAX], *buf = malloc(len ? len : 1);

	if (!buf) {
		p->failed = ENOMEM;
		return;
	}
	perfetto__protos__trace_packet__pack(pkt, buf);
	hdr[0] = 0x0a;	/* field 1, length-delimited */
	size_t h = 1 + ct_put_varint(hdr + 1, len);

	if (fwrite(hdr, 1, h, p->f) != h || fwrite(buf, 1, len, p->f) != len)
		p->failed = errno ? errno : EIO;
	free(buf);
	p->st.packets++;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = *(const struct slot *const *)a, *y = *(const struct slot *const *)b;

	if (x->ev.timestamp != y->ev.timestamp)
		return x->ev.timestamp < y->ev.timestamp ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void flush_bundle(struct pf *p, uint32_t cpu)
{
	struct bundle *b = &p->cpus[cpu];
	Perfetto__Protos__TracePacket pkt = PERFETTO__PROTOS__TRACE_PACKET__INIT;
	Perfetto__Protos__FtraceEventBundle fb = PERFETTO__PROTOS__FTRACE_EVENT_BUNDLE__INIT;
	struct slot *order[BUNDLE_MAX];

	if (!b->n)
		return;
	for (size_t i = 0; i < b->n; i++)
		order[i] = &b->slots[i];
	/* A syscall's entry is written late, at its exit: sort it into place. */
	qsort(order, b->n, sizeof(order[0]), cmp_slot);
	fb.has_cpu = 1;
	fb.cpu = cpu;
	fb.n_event = b->n;
	fb.event = (FtraceEvent **)order;	/* ev is each slot's first member */
	fb.has_lost_events = b->lost;
	fb.lost_events = b->lost;
	pkt.has_trusted_packet_sequence_id = 1;
	pkt.trusted_packet_sequence_id = SEQ_ID;
	pkt.data_case = PERFETTO__PROTOS__TRACE_PACKET__DATA_FTRACE_EVENTS;
	pkt.ftrace_events = &fb;
	write_packet(p, &pkt);
	b->n = 0;
	b->lost = false;
}

static struct slot *new_slot(struct pf *p, uint32_t cpu, uint64_t ts, uint32_t pid,
			     FtraceEvent__EventCase kind)
{
	struct bundle *b = &p->cpus[cpu];

	if (b->n == BUNDLE_MAX)
		flush_bundle(p, cpu);
	struct slot *s = &b->slots[b->n++];

	memset(s, 0, sizeof(*s));
	perfetto__protos__ftrace_event__init(&s->ev);
	s->seq = p->seq++;
	s->ev.has_timestamp = s->ev.has_pid = 1;
	s->ev.timestamp = ts;
	s->ev.pid = pid;
	s->ev.event_case = kind;
	return s;
}

#define SET_I32(msg, field, v) do { (msg).has_##field = 1; (msg).field = (v); } while (0)

static void emit_switch(struct pf *p, const struct ct_event *e)
{
	struct slot *s = new_slot(p, e->cpu, e->ts, e->tid, PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SCHED_SWITCH);
	Perfetto__Protos__SchedSwitchFtraceEvent *sw = &s->u.sw;

	perfetto__protos__sched_switch_ftrace_event__init(sw);
	snprintf(s->a, sizeof(s->a), "swapper/%u", e->cpu);
	if (e->tid)
		text(s->a, sizeof(s->a), name_of(p->m, e->tid));
	snprintf(s->b, sizeof(s->b), "swapper/%u", e->cpu);
	if (e->sw.next_tid)
		text(s->b, sizeof(s->b), name_of(p->m, e->sw.next_tid));
	sw->prev_comm = s->a;
	sw->next_comm = s->b;
	SET_I32(*sw, prev_pid, (int32_t)e->tid);
	SET_I32(*sw, next_pid, (int32_t)e->sw.next_tid);
	SET_I32(*sw, prev_prio, 120);	/* not recorded: the default nice-0 priority */
	SET_I32(*sw, next_prio, 120);
	SET_I32(*sw, prev_state, ct_report_state(e->sw.prev_state));
	s->ev.sched_switch = sw;
	p->st.switches++;
}

static void emit_wakeup(struct pf *p, const struct ct_event *e)
{
	bool fresh = e->kind == CT_EV_WAKEUP_NEW;
	struct slot *s = new_slot(p, e->cpu, e->ts, e->wake.waker_tid,
				  fresh ? PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SCHED_WAKEUP_NEW
					: PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SCHED_WAKING);
	/* The two messages share their layout; each gets its own descriptor. */
	Perfetto__Protos__SchedWakingFtraceEvent *w = &s->u.waking;

	if (fresh)
		perfetto__protos__sched_wakeup_new_ftrace_event__init(&s->u.wakeup_new);
	else
		perfetto__protos__sched_waking_ftrace_event__init(w);
	w->comm = text(s->b, sizeof(s->b), name_of(p->m, e->tid));
	SET_I32(*w, pid, (int32_t)e->tid);
	SET_I32(*w, prio, 120);
	SET_I32(*w, success, 1);
	SET_I32(*w, target_cpu, (int32_t)e->wake.target_cpu);
	if (fresh)
		s->ev.sched_wakeup_new = &s->u.wakeup_new;
	else
		s->ev.sched_waking = w;
}

static void emit_fork(struct pf *p, const struct ct_event *e)
{
	struct slot *s = new_slot(p, e->cpu, e->ts, e->tid, PERFETTO__PROTOS__FTRACE_EVENT__EVENT_TASK_NEWTASK);
	Perfetto__Protos__TaskNewtaskFtraceEvent *n = &s->u.newtask;
	bool thread = e->fork.child_tgid != e->fork.child_tid;

	perfetto__protos__task_newtask_ftrace_event__init(n);
	SET_I32(*n, pid, (int32_t)e->fork.child_tid);
	n->comm = text(s->b, sizeof(s->b), name_of(p->m, e->tid));
	SET_I32(*n, clone_flags, thread ? CLONE_THREAD_FLAG : 0);
	s->ev.task_newtask = n;
	if (!thread)
		*ct_tidmap_put(&p->ppid, e->fork.child_tgid) = (uint32_t)tgid_of(p->m, e->tid);
}

static void emit_rename(struct pf *p, const struct ct_event *e, const char *old)
{
	struct slot *s = new_slot(p, e->cpu, e->ts, e->tid, PERFETTO__PROTOS__FTRACE_EVENT__EVENT_TASK_RENAME);
	Perfetto__Protos__TaskRenameFtraceEvent *r = &s->u.rename;

	perfetto__protos__task_rename_ftrace_event__init(r);
	SET_I32(*r, pid, (int32_t)e->tid);
	r->oldcomm = text(s->a, sizeof(s->a), old);
	r->newcomm = text(s->b, sizeof(s->b), e->task.comm);
	s->ev.task_rename = r;
}

static void emit_exec(struct pf *p, const struct ct_event *e)
{
	struct slot *s = new_slot(p, e->cpu, e->ts, e->tid, PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SCHED_PROCESS_EXEC);
	Perfetto__Protos__SchedProcessExecFtraceEvent *x = &s->u.exec;

	perfetto__protos__sched_process_exec_ftrace_event__init(x);
	x->filename = text(s->a, sizeof(s->a), e->exec.filename);
	SET_I32(*x, pid, (int32_t)e->tid);
	SET_I32(*x, old_pid, (int32_t)e->exec.old_tid);
	s->ev.sched_process_exec = x;
}

static void emit_exit(struct pf *p, const struct ct_event *e)
{
	struct slot *s = new_slot(p, e->cpu, e->ts, e->tid, PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SCHED_PROCESS_EXIT);
	Perfetto__Protos__SchedProcessExitFtraceEvent *x = &s->u.exit;

	perfetto__protos__sched_process_exit_ftrace_event__init(x);
	x->comm = text(s->b, sizeof(s->b), name_of(p->m, e->tid));
	SET_I32(*x, pid, (int32_t)e->tid);
	SET_I32(*x, tgid, tgid_of(p->m, e->tid));
	SET_I32(*x, prio, 120);
	s->ev.sched_process_exit = x;
}

/* One ctrace record per syscall becomes ftrace's pair: entry at ts - dur, exit at ts. */
static void emit_syscall(struct pf *p, const struct ct_event *e)
{
	struct slot *s = new_slot(p, e->cpu, e->ts - e->sys.dur, e->tid,
				  PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SYS_ENTER);

	perfetto__protos__sys_enter_ftrace_event__init(&s->u.sys_enter);
	SET_I32(s->u.sys_enter, id, e->sys.nr);
	s->ev.sys_enter = &s->u.sys_enter;
	s = new_slot(p, e->cpu, e->ts, e->tid, PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SYS_EXIT);
	perfetto__protos__sys_exit_ftrace_event__init(&s->u.sys_exit);
	SET_I32(s->u.sys_exit, id, e->sys.nr);
	SET_I32(s->u.sys_exit, ret, e->sys.ret);
	s->ev.sys_exit = &s->u.sys_exit;
}

static void emit(struct pf *p, const struct ct_event *e)
{
	switch (e->kind) {
	case CT_EV_SWITCH: emit_switch(p, e); break;
	case CT_EV_WAKEUP:
	case CT_EV_WAKEUP_NEW: emit_wakeup(p, e); break;
	case CT_EV_FORK: emit_fork(p, e); break;
	case CT_EV_EXEC: emit_exec(p, e); break;
	case CT_EV_EXIT: emit_exit(p, e); break;
	case CT_EV_SYSCALL: emit_syscall(p, e); break;
	case CT_EV_LOST: p->cpus[e->cpu].lost = true; break;
	default: break;
	}
}

static void write_preamble(struct pf *p, const struct ct_meta *meta)
{
	Perfetto__Protos__TracePacket pkt = PERFETTO__PROTOS__TRACE_PACKET__INIT;
	Perfetto__Protos__ClockSnapshot cs = PERFETTO__PROTOS__CLOCK_SNAPSHOT__INIT;
	Perfetto__Protos__ClockSnapshot__Clock clocks[3], *cp[3];
	const uint32_t ids[3] = { CLOCK_BOOTTIME_ID, CLOCK_MONOTONIC_ID, CLOCK_REALTIME_ID };
	const uint64_t ts[3] = { meta->boot_ns, meta->mono_ns, meta->real_ns };

	for (int i = 0; i < 3; i++) {
		perfetto__protos__clock_snapshot__clock__init(&clocks[i]);
		SET_I32(clocks[i], clock_id, ids[i]);
		SET_I32(clocks[i], timestamp, ts[i]);
		cp[i] = &clocks[i];
	}
	cs.n_clocks = 3;
	cs.clocks = cp;
	SET_I32(cs, primary_trace_clock, CLOCK_BOOTTIME_ID);
	SET_I32(pkt, timestamp, meta->boot_ns);
	SET_I32(pkt, trusted_packet_sequence_id, SEQ_ID);
	pkt.data_case = PERFETTO__PROTOS__TRACE_PACKET__DATA_CLOCK_SNAPSHOT;
	pkt.clock_snapshot = &cs;
	write_packet(p, &pkt);

	Perfetto__Protos__TracePacket info = PERFETTO__PROTOS__TRACE_PACKET__INIT;
	Perfetto__Protos__SystemInfo si = PERFETTO__PROTOS__SYSTEM_INFO__INIT;
	Perfetto__Protos__Utsname un = PERFETTO__PROTOS__UTSNAME__INIT;
	char release[CT_TEXT_MAX(65)], machine[CT_TEXT_MAX(65)];

	un.sysname = "Linux";
	un.release = text(release, sizeof(release), meta->kernel);
	un.machine = text(machine, sizeof(machine), meta->machine);
	si.utsname = &un;
	SET_I32(si, num_cpus, meta->ncpus);
	SET_I32(info, timestamp, meta->boot_ns);
	SET_I32(info, trusted_packet_sequence_id, SEQ_ID);
	info.data_case = PERFETTO__PROTOS__TRACE_PACKET__DATA_SYSTEM_INFO;
	info.system_info = &si;
	write_packet(p, &info);
}

/* Processes with parent and command line, threads with their last names. */
static void write_process_tree(struct pf *p, const struct ct_meta *meta)
{
	const struct ct_model *m = p->m;
	Perfetto__Protos__ProcessTree tree = PERFETTO__PROTOS__PROCESS_TREE__INIT;
	Perfetto__Protos__ProcessTree__Thread *th = calloc(m->nthreads + 1, sizeof(*th));
	Perfetto__Protos__ProcessTree__Thread **thp = calloc(m->nthreads + 1, sizeof(*thp));
	Perfetto__Protos__ProcessTree__Process *pr = calloc(m->nthreads + 1, sizeof(*pr));
	Perfetto__Protos__ProcessTree__Process **prp = calloc(m->nthreads + 1, sizeof(*prp));
	char (*names)[CT_TEXT_MAX(CT_COMM_LEN)] = calloc(m->nthreads + 1, sizeof(*names));
	char **cmd = calloc(m->nthreads + 1, sizeof(*cmd));
	char **argv = calloc(meta->argc + 1, sizeof(*argv));

	if (!th || !thp || !pr || !prp || !names || !cmd || !argv) {
		p->failed = ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < meta->argc; i++) {	/* strings must be UTF-8 too */
		size_t len = CT_TEXT_MAX(strlen(meta->argv[i]));

		if ((argv[i] = malloc(len)))
			text(argv[i], len, meta->argv[i]);
	}
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];

		if (!t->name[0] && !t->workload)
			continue;
		perfetto__protos__process_tree__thread__init(&th[tree.n_threads]);
		SET_I32(th[tree.n_threads], tid, (int32_t)t->tid);
		SET_I32(th[tree.n_threads], tgid, (int32_t)t->tgid);
		th[tree.n_threads].name = text(names[i], sizeof(names[i]), t->name);
		thp[tree.n_threads] = &th[tree.n_threads];
		tree.n_threads++;
		if (t->tid != t->tgid)
			continue;
		Perfetto__Protos__ProcessTree__Process *q = &pr[tree.n_processes];
		const uint32_t *pp = ct_tidmap_get(&p->ppid, t->tgid);

		perfetto__protos__process_tree__process__init(q);
		SET_I32(*q, pid, (int32_t)t->tgid);
		if (pp)
			SET_I32(*q, ppid, (int32_t)*pp);
		if (t->tgid == meta->root_pid && meta->argc) {
			q->n_cmdline = meta->argc;
			q->cmdline = argv;
		} else {
			cmd[i] = names[i];
			q->n_cmdline = 1;
			q->cmdline = &cmd[i];
		}
		prp[tree.n_processes++] = q;
	}
	tree.threads = thp;
	tree.processes = prp;

	Perfetto__Protos__TracePacket pkt = PERFETTO__PROTOS__TRACE_PACKET__INIT;

	SET_I32(pkt, timestamp, m->t_first ? m->t_first : meta->boot_ns);
	SET_I32(pkt, trusted_packet_sequence_id, SEQ_ID);
	pkt.data_case = PERFETTO__PROTOS__TRACE_PACKET__DATA_PROCESS_TREE;
	pkt.process_tree = &tree;
	write_packet(p, &pkt);
out:
	for (uint32_t i = 0; argv && i < meta->argc; i++)
		free(argv[i]);
	free(argv);
	free(cmd);
	free(names);
	free(prp);
	free(pr);
	free(thp);
	free(th);
}

/* ---- the replay pass ---- */

static int begin(void *ctx, const struct ct_meta *meta, const struct ct_model *m)
{
	struct pf *p = ctx;

	p->m = m;
	p->ncpus = meta->ncpus;
	p->cpus = calloc(p->ncpus, sizeof(*p->cpus));
	for (uint32_t c = 0; p->cpus && c < p->ncpus; c++)
		if (!(p->cpus[c].slots = calloc(BUNDLE_MAX, sizeof(struct slot))))
			p->failed = ENOMEM;
	if (!p->cpus)
		p->failed = ENOMEM;
	if (!p->failed)
		write_preamble(p, meta);
	return p->failed;
}

/* A rename is told against the name the model had before this event. */
static void before_event(void *ctx, const struct ct_model *m, const struct ct_event *e)
{
	struct pf *p = ctx;

	if (e->kind == CT_EV_TASK) {
		const char *old = name_of(m, e->tid);

		if (old[0] && strncmp(old, e->task.comm, CT_COMM_LEN))
			emit_rename(p, e, old);
	}
}

static void after_event(void *ctx, const struct ct_model *m, const struct ct_event *e)
{
	(void)m;
	emit(ctx, e);
}

static int failed(void *ctx)
{
	return ((struct pf *)ctx)->failed;
}

int ct_export_perfetto(const char *trace, const char *out, struct ct_export_stats *st,
		       char *err, size_t errlen)
{
	struct pf p = { .path = out };
	struct ct_replay_pass pass = { &p, begin, before_event, after_event, {0}, failed };
	struct ct_trace_info info;
	struct ct_model m;
	char tmp[4096];
	int bad;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid());
	if (!(p.f = ct_create_new(tmp))) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		return -1;
	}
	bool replayed = !ct_replay(trace, &m, &pass, 1, &info, err, errlen);

	bad = !replayed;
	for (uint32_t c = 0; !bad && c < p.ncpus; c++)
		flush_bundle(&p, c);
	if (!bad)
		write_process_tree(&p, &info.meta);
	if (p.failed) {
		snprintf(err, errlen, "%s: write failed: %s", out, strerror(p.failed));
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
	if (replayed) {
		p.st.events = m.events;
		ct_trace_info_free(&info);
		ct_model_free(&m);
	}
	if (st)
		*st = p.st;
	for (uint32_t c = 0; p.cpus && c < p.ncpus; c++)
		free(p.cpus[c].slots);
	free(p.cpus);
	ct_tidmap_free(&p.ppid);
	return bad ? -1 : 0;
}
