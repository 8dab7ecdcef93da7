/*
 * Structure-aware libFuzzer target.  The input is a small program that
 * builds probe records (switches, wakeups, migrations, forks, execs, exits,
 * syscall batches, epoll_ctl, drops, with what waits are on) over a few CPUs and a dozen tids, in roughly
 * rising time with some arriving late.  They go through the recorder's own
 * intake and writer into a real trace, which is then replayed like any
 * other: every run reaches the intake, the model, the verdict, the report
 * and the timeline with events that make sense, which mutated trace bytes
 * rarely do.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "intake.h"

#define NTIDS 12
#define TID0 100

struct input {
	const uint8_t *p, *end;
	uint64_t now;		/* the trace clock, ns */
	uint32_t ncpus;
	uint32_t tgid[NTIDS];
};

static unsigned byte(struct input *in)
{
	return in->p < in->end ? *in->p++ : 0;
}

/* A task of the program, or (1 time in 8) the idle task. */
static uint32_t tid(struct input *in)
{
	unsigned b = byte(in);

	return b % 8 == 7 ? 0 : TID0 + b % NTIDS;
}

static uint32_t tgid_of(const struct input *in, uint32_t t)
{
	return t ? in->tgid[t - TID0] : 0;
}

static uint16_t cpu(struct input *in)
{
	return (uint16_t)(byte(in) % in->ncpus);
}

/* States a task leaves the CPU in, the kernel's values. */
static uint32_t state(struct input *in)
{
	static const uint32_t states[] = {
		0, CT_TASK_INTERRUPTIBLE, CT_TASK_UNINTERRUPTIBLE, CT_TASK_IDLE, CT_TASK_DEAD,
		CT_TASK_DEAD | CT_EXIT_ZOMBIE, CT_TASK_RTLOCK_WAIT, CT_TASK_STOPPED, CT_TASK_PARKED,
		CT_TASK_FROZEN | CT_TASK_INTERRUPTIBLE, 0x100 | CT_TASK_UNINTERRUPTIBLE,
	};
	unsigned b = byte(in);

	return states[b % (sizeof(states) / sizeof(states[0]))] << 1 | (b >> 7);
}

static int32_t syscall_nr(struct input *in)
{
	/*
	 * none, read, write, close, poll, getpid, recvfrom, wait4, futex,
	 * clock_nanosleep, epoll_wait, io_uring_enter, bogus
	 */
	static const int32_t nrs[] = { -1, 0, 1, 3, 7, 39, 45, 61, 202, 230, 232, 426, 9999 };

	return nrs[byte(in) % (sizeof(nrs) / sizeof(nrs[0]))];
}

/* What a wait is on: nothing, a count or an fd (small), with or without its flags. */
static uint32_t wait_arg(struct input *in)
{
	unsigned b = byte(in);

	if (b < 64)
		return 0;
	return (b % 24) | (b & 0x40 ? CT_ARG_FOREVER : 0) | (b & 0x20 ? CT_ARG_JOIN : 0);
}

/* Time moves on by 0 to ~16 ms; a record may be stamped up to ~65 us back (late). */
static uint64_t stamp(struct input *in)
{
	unsigned step = byte(in), late = byte(in);

	in->now += (uint64_t)step << (step % 17);
	return late < 200 || in->now < 65536 ? in->now : in->now - ((uint64_t)late << 8);
}

static struct ct_hdr hdr(struct input *in, uint16_t kind, uint32_t t)
{
	uint64_t ts = stamp(in);

	return (struct ct_hdr){ ts, kind, cpu(in), t };
}

static void comm(char dst[CT_COMM_LEN], uint32_t t)
{
	snprintf(dst, CT_COMM_LEN, "t%u", t);
}

static void add_switch(struct input *in, struct ct_intake *it)
{
	struct ct_switch s = { .h = hdr(in, CT_EV_SWITCH, tid(in)) };

	s.next_tid = tid(in);
	s.prev_tgid = tgid_of(in, s.h.tid);
	s.next_tgid = tgid_of(in, s.next_tid);
	s.prev_state = state(in);
	s.prev_syscall = syscall_nr(in);
	s.prev_runtime = (uint64_t)byte(in) << 16;
	s.next_runtime = s.prev_runtime / 2;
	s.prev_sys_enter_ts = byte(in) % 2 && s.h.ts > 1000 ? s.h.ts - 1000 : 0;
	s.prev_arg = wait_arg(in);
	comm(s.prev_comm, s.h.tid);
	comm(s.next_comm, s.next_tid);
	cti_add(it, &s, sizeof(s));
}

static void add_wakeup(struct input *in, struct ct_intake *it, uint16_t kind)
{
	struct ct_wakeup w = { .h = hdr(in, kind, tid(in)) };

	w.tgid = tgid_of(in, w.h.tid);
	w.target_cpu = cpu(in);
	w.waker_class = kind == CT_EV_WAKING ? byte(in) % (CT_WAKER_CLASS_MAX + 1) : 0;
	w.waker_tid = w.waker_class == CT_WAKER_TASK ? tid(in) : 0;
	cti_add(it, &w, sizeof(w));
}

static void add_migrate(struct input *in, struct ct_intake *it)
{
	struct ct_migrate m = { .h = hdr(in, CT_EV_MIGRATE, tid(in)) };

	m.tgid = tgid_of(in, m.h.tid);
	m.orig_cpu = cpu(in);
	m.dest_cpu = cpu(in);
	cti_add(it, &m, sizeof(m));
}

static void add_fork(struct input *in, struct ct_intake *it)
{
	struct ct_fork f = { .h = hdr(in, CT_EV_FORK, tid(in)) };
	uint32_t child = TID0 + byte(in) % NTIDS;

	f.parent_tgid = tgid_of(in, f.h.tid);
	f.child_tid = child;
	/* A thread of the parent's process, or a process of its own. */
	in->tgid[child - TID0] = byte(in) % 2 && f.parent_tgid ? f.parent_tgid : child;
	f.child_tgid = in->tgid[child - TID0];
	comm(f.comm, child);
	cti_add(it, &f, sizeof(f));
}

static void add_exec(struct input *in, struct ct_intake *it)
{
	struct ct_exec x = { .h = hdr(in, CT_EV_EXEC, tid(in)) };

	x.tgid = tgid_of(in, x.h.tid);
	x.old_tid = byte(in) % 4 ? x.h.tid : tid(in);
	comm(x.comm, x.h.tid);
	snprintf(x.filename, sizeof(x.filename), "/bin/t%u", x.h.tid);
	cti_add(it, &x, sizeof(x));
}

static void add_exit(struct input *in, struct ct_intake *it)
{
	struct ct_exit x = { .h = hdr(in, CT_EV_EXIT, tid(in)) };

	x.tgid = tgid_of(in, x.h.tid);
	x.exit_code = (int32_t)byte(in) - 128;
	comm(x.comm, x.h.tid);
	cti_add(it, &x, sizeof(x));
}

/* What a task was doing as -p or -a began: any state bits, blocked in any call or none. */
static void add_start_state(struct input *in, struct ct_intake *it)
{
	struct ct_start_state x = { .h = hdr(in, CT_EV_START_STATE, tid(in)) };

	x.tgid = tgid_of(in, x.h.tid);
	x.state = byte(in) % 4 ? (uint32_t)byte(in) << (byte(in) % 9) : 0;
	x.syscall = (int32_t)byte(in) - 2;
	comm(x.comm, x.h.tid);
	cti_add(it, &x, sizeof(x));
}

/* An epoll set of a process changes: a socket, the loop's own fds, or a bogus op. */
static void add_epoll(struct input *in, struct ct_intake *it)
{
	struct ct_epoll e = { .h = hdr(in, CT_EV_EPOLL, tid(in)) };

	e.tgid = tgid_of(in, e.h.tid);
	e.epfd = (int32_t)(byte(in) % 4) + 3;
	e.fd = (int32_t)(byte(in) % 24);
	e.op = (uint16_t)(byte(in) % 5);
	e.fd_class = (uint16_t)(byte(in) % (CT_FD_CLASS_MAX + 1));
	cti_add(it, &e, sizeof(e));
}

/* A batch of syscall records, as a CPU's batch reaches the ring buffer. */
static void add_syscalls(struct input *in, struct ct_intake *it)
{
	struct ct_syscall recs[3];
	unsigned n = 1 + byte(in) % 3;

	for (unsigned i = 0; i < n; i++) {
		recs[i] = (struct ct_syscall){ .h = hdr(in, CT_EV_SYSCALL, tid(in)) };
		recs[i].nr = syscall_nr(in);
		recs[i].ret = (int64_t)byte(in) - 4;
		recs[i].arg = wait_arg(in);
		recs[i].enter_ts = byte(in) % 3 == 0 || recs[i].h.ts < 5000 ? 0 : recs[i].h.ts - 5000;
	}
	cti_add(it, recs, n * sizeof(recs[0]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct input in = { data, data + size, 1000000000ull, 0, {0} };
	struct ct_meta meta = {0};
	struct ct_trace_info info;
	struct ct_model m;
	uint64_t drops[4] = {0};
	char err[512];

	if (!path[0])
		scratch_path(path, sizeof(path), "events");
	for (uint32_t i = 0; i < NTIDS; i++)
		in.tgid[i] = TID0 + i;
	in.ncpus = 1 + byte(&in) % 4;
	meta.ncpus = in.ncpus;
	meta.root_pid = TID0;
	meta.options = byte(&in) & (CT_OPT_SYSCALLS | CT_OPT_ALL | CT_OPT_WAITS);
	meta.boot_ns = in.now;
	struct ct_writer *w = ctw_open(path, &meta, err, sizeof(err));

	if (!w)
		abort();
	struct ct_intake *it = cti_new(w);

	while (in.p < in.end) {
		switch (byte(&in) % 13) {
		case 0: add_switch(&in, it); break;
		case 1: add_wakeup(&in, it, CT_EV_WAKEUP); break;
		case 2: add_wakeup(&in, it, CT_EV_WAKEUP_NEW); break;
		case 9: add_wakeup(&in, it, CT_EV_WAKING); break;
		case 10: add_epoll(&in, it); break;
		case 12: add_start_state(&in, it); break;
		case 3: add_migrate(&in, it); break;
		case 4: add_fork(&in, it); break;
		case 5: add_exec(&in, it); break;
		case 6: add_exit(&in, it); break;
		case 7: add_syscalls(&in, it); break;
		case 8: cti_lost(it, cpu(&in), 1 + byte(&in), in.now); break;
		default:
			if (cti_flush(it, false))
				abort();
		}
	}
	if (cti_flush(it, true) || ctw_finish(w, drops, in.ncpus, cti_reordered(it)))
		abort();
	cti_free(it);
	ctw_free(w);
	if (ct_replay(path, &m, NULL, 0, &info, err, sizeof(err)))
		abort();	/* the writer's own trace must read back */
	check_replayed(&m, &info, path, 1);
	ct_model_free(&m);
	ct_trace_info_free(&info);
	return 0;
}
