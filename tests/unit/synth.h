/*
 * Synthetic traces for unit tests, written through the real writer API.
 * Each helper appends one event; times are in microseconds for legibility.
 */
#ifndef CTRACE_TEST_SYNTH_H
#define CTRACE_TEST_SYNTH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writer.h"

#define US(t) ((uint64_t)(t) * 1000ull)
#define SYNTH_T0 1000000000ull	/* boot clock at "start" */
/* Synthetic switches carry no kernel CPU account: the model uses wall time. */
#define SYNTH_NO_RUNTIME 0

/* A trace with these options (enum ct_option): CT_OPT_WAITS for one that says what waits are on. */
static inline struct ct_writer *synth_open_opts(const char *path, uint32_t ncpus, uint32_t options)
{
	struct ct_meta m = {0};
	char err[256];
	char *argv[] = { "synthetic", "--test", NULL };

	strcpy(m.version, "test");
	strcpy(m.kernel, "6.1.0-test");
	strcpy(m.hostname, "synth");
	strcpy(m.machine, "x86_64");
	m.ncpus = ncpus;
	m.root_pid = 100;
	m.root_ppid = 1;
	m.options = options;
	m.boot_ns = SYNTH_T0;
	m.mono_ns = SYNTH_T0 - 5;
	m.real_ns = 1700000000000000000ull;
	ct_meta_set_argv(&m, 2, argv);
	m.topo = calloc(ncpus, sizeof(*m.topo));
	for (uint32_t i = 0; i < ncpus; i++)
		m.topo[i] = (struct ct_cpu){ i, 0, (int32_t)i, 0, 0 };
	m.ntopo = ncpus;
	struct ct_writer *w = ctw_open(path, &m, err, sizeof(err));

	if (!w)
		fprintf(stderr, "synth_open: %s\n", err);
	ct_meta_free(&m);
	return w;
}

/* A trace as ctrace 0.1 wrote them: syscalls, nothing on what waits are on. */
static inline struct ct_writer *synth_open(const char *path, uint32_t ncpus)
{
	return synth_open_opts(path, ncpus, CT_OPT_SYSCALLS);
}

static inline struct ct_event synth_ev(uint64_t t_us, uint16_t kind, uint16_t cpu, uint32_t tid)
{
	struct ct_event e;

	memset(&e, 0, sizeof(e));
	e.ts = SYNTH_T0 + US(t_us);
	e.kind = kind;
	e.cpu = cpu;
	e.tid = tid;
	return e;
}

static inline int synth_task(struct ct_writer *w, uint64_t t, uint32_t tid, uint32_t tgid,
			     const char *comm)
{
	struct ct_event e = synth_ev(t, CT_EV_TASK, 0, tid);

	e.task.tgid = tgid;
	snprintf(e.task.comm, sizeof(e.task.comm), "%s", comm);
	return ctw_event(w, &e);
}

/* state: 0 running (preempted when preempt), else CT_TASK_* bits. */
static inline int synth_switch(struct ct_writer *w, uint64_t t, uint16_t cpu, uint32_t prev,
			       uint32_t next, uint32_t state, int preempt, int32_t syscall)
{
	struct ct_event e = synth_ev(t, CT_EV_SWITCH, cpu, prev);

	e.sw.next_tid = next;
	e.sw.prev_state = (state << 1) | (preempt ? CT_STATE_PREEMPTED : 0);
	e.sw.prev_syscall = syscall;
	e.sw.prev_runtime = SYNTH_NO_RUNTIME;
	return ctw_event(w, &e);
}

/* A switch whose prev ran ran_us by the kernel's account (prev_runtime). */
static inline int synth_switch_ran(struct ct_writer *w, uint64_t t, uint16_t cpu, uint32_t prev,
				   uint32_t next, uint32_t state, int32_t syscall, uint64_t ran_us)
{
	struct ct_event e = synth_ev(t, CT_EV_SWITCH, cpu, prev);

	e.sw.next_tid = next;
	e.sw.prev_state = state << 1;
	e.sw.prev_syscall = syscall;
	e.sw.prev_runtime = US(ran_us);
	return ctw_event(w, &e);
}

static inline int synth_wakeup(struct ct_writer *w, uint64_t t, uint16_t cpu, uint32_t tid,
			       uint32_t target_cpu, uint32_t waker)
{
	struct ct_event e = synth_ev(t, CT_EV_WAKEUP, cpu, tid);

	e.wake.target_cpu = target_cpu;
	e.wake.waker_tid = waker;
	return ctw_event(w, &e);
}

/* sched_waking: tid woken by waker (a tid, 0 with a class for an interrupt). */
static inline int synth_waking(struct ct_writer *w, uint64_t t, uint16_t cpu, uint32_t tid,
			       uint32_t waker, uint32_t class)
{
	struct ct_event e = synth_ev(t, CT_EV_WAKING, cpu, tid);

	e.wake.target_cpu = cpu;
	e.wake.waker_tid = waker;
	e.wake.waker_class = class;
	return ctw_event(w, &e);
}

/* prev leaves the CPU blocked in syscall, waiting on arg (events.h, CT_ARG_*). */
static inline int synth_block(struct ct_writer *w, uint64_t t, uint16_t cpu, uint32_t prev,
			      uint32_t state, int32_t syscall, uint32_t arg)
{
	struct ct_event e = synth_ev(t, CT_EV_SWITCH, cpu, prev);

	e.sw.prev_state = state << 1;
	e.sw.prev_syscall = syscall;
	e.sw.arg = arg;
	return ctw_event(w, &e);
}

static inline int synth_epoll(struct ct_writer *w, uint64_t t, uint16_t cpu, uint32_t tid, uint32_t tgid,
			      int32_t epfd, uint16_t op, int32_t fd, uint16_t fd_class)
{
	struct ct_event e = synth_ev(t, CT_EV_EPOLL, cpu, tid);

	e.epoll.tgid = tgid;
	e.epoll.epfd = epfd;
	e.epoll.op = op;
	e.epoll.fd = fd;
	e.epoll.fd_class = fd_class;
	return ctw_event(w, &e);
}

static inline int synth_fork(struct ct_writer *w, uint64_t t, uint16_t cpu, uint32_t parent,
			     uint32_t child, uint32_t child_tgid)
{
	struct ct_event e = synth_ev(t, CT_EV_FORK, cpu, parent);

	e.fork.child_tid = child;
	e.fork.child_tgid = child_tgid;
	return ctw_event(w, &e);
}

static inline int synth_exit(struct ct_writer *w, uint64_t t, uint16_t cpu, uint32_t tid)
{
	struct ct_event e = synth_ev(t, CT_EV_EXIT, cpu, tid);

	return ctw_event(w, &e);
}

/* A syscall from t_enter to t_exit (us), written at its exit like the probes do. */
static inline int synth_sys(struct ct_writer *w, uint64_t t_enter, uint64_t t_exit, uint16_t cpu,
			    uint32_t tid, int32_t nr, int64_t ret)
{
	struct ct_event e = synth_ev(t_exit, CT_EV_SYSCALL, cpu, tid);

	e.sys.nr = nr;
	e.sys.ret = ret;
	e.sys.dur = US(t_exit - t_enter);
	e.sys.enter_cpu = cpu;
	return ctw_event(w, &e);
}

static inline int synth_finish(struct ct_writer *w, uint32_t ncpus)
{
	uint64_t *drops = calloc(ncpus, sizeof(*drops));
	int rc = ctw_finish(w, drops, ncpus, 0);

	free(drops);
	ctw_free(w);
	return rc;
}

/* A scratch trace path for tag, in the caller's buffer of SYNTH_PATH_LEN bytes. */
#define SYNTH_PATH_LEN 256

static inline const char *synth_path(char *buf, const char *tag)
{
	snprintf(buf, SYNTH_PATH_LEN, "/tmp/ctrace-test-%d-%s.ctr", (int)getpid(), tag);
	return buf;
}

#endif
