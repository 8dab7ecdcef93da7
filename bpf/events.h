/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Events as the probes emit them into the ring buffer.  Shared verbatim by
 * the BPF programs and the recorder, so every field has a fixed width and
 * every enum value is explicit.  Values are only ever appended: the trace
 * file stores these kinds too.
 */
#ifndef CTRACE_EVENTS_H
#define CTRACE_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define CT_COMM_LEN 16
#define CT_PATH_LEN 128

/*
 * A new kind touches, in order (values are never reused or renumbered):
 *   bpf/events.h      the enum value and its record struct, with a size assert
 *   bpf/<concern>.bpf.c  the probe that emits it
 *   intake.c          convert_<kind>(): the record becomes a struct ct_event
 *   trace.h           its fields in struct ct_event's union; trace.c its name
 *   format.h          its encoding, documented; writer.c and reader.c encode
 *                     and decode it (the reader validates every field), and
 *                     CT_VERSION_MINOR goes up
 *   dump.c            one line for it
 *   model.c           what it does to threads and CPUs (ct_model_event)
 *   export_perfetto.c / export_csv.c   what Perfetto and CSV show of it
 *   tests/unit        test_format.c round trip; test_model.c if it changes states
 */
enum ct_kind {
	CT_EV_SWITCH = 1,
	CT_EV_WAKEUP = 2,
	CT_EV_WAKEUP_NEW = 3,
	CT_EV_MIGRATE = 4,
	CT_EV_FORK = 5,
	CT_EV_EXEC = 6,
	CT_EV_EXIT = 7,
	CT_EV_SYSCALL = 8,	/* a completed syscall, stamped at its exit */
	/* Written by the recorder, never by a probe. */
	CT_EV_TASK = 9,		/* from now on, tid belongs to tgid and is named comm */
	CT_EV_LOST = 10,	/* the kernel dropped events on cpu */
	/* Format 1.1. */
	CT_EV_WAKING = 11,	/* sched_waking, in the waker's context: who woke whom */
	CT_EV_EPOLL = 12,	/* a successful epoll_ctl: an epoll set gained, changed or lost an fd */
	/* Format 1.2. */
	CT_EV_START_STATE = 13,	/* recorder: what a task was doing when recording began (-p, -a) */
	/* Format 1.3. */
	CT_EV_PRIO = 14,	/* recorder: tid's priority from now on (first sight, and each change) */
	CT_EV_FREE = 15,	/* sched_process_free: the kernel let go of a task of the workload */
	CT_EV_PARENT = 16,	/* recorder: the parent of a process that predates the recording (-p, -a) */
	CT_EV_KIND_MAX = 17,
};

/*
 * Who woke a task (struct ct_wakeup's waker_class): a task (waker_tid), or
 * an interrupt, in which case waker_tid is the task it cut into (0 on an
 * idle CPU), which is not the waker.  Older traces have 0 there for every
 * interrupt.
 */
enum ct_waker_class {
	CT_WAKER_TASK = 0,
	CT_WAKER_HARDIRQ = 1,	/* a device interrupt (on VMs: disk completions, mostly) */
	CT_WAKER_TIMER = 2,	/* a timer expiring: a timeout or a sleep's end */
	CT_WAKER_NET = 3,	/* network softirq: a packet arrived or left */
	CT_WAKER_BLOCK = 4,	/* block softirq: a disk request completed */
	CT_WAKER_SOFTIRQ = 5,	/* any other softirq (RCU, tasklets, scheduler) */
	CT_WAKER_CLASS_MAX = 6,
};

/*
 * What an fd is, as epoll_ctl registered it or poll/select were given it.
 * Only CT_FD_SOCKET is an operation with the outside world in flight: a
 * listening socket is a door, a socket connected to its own process (a
 * socketpair) is a wake-up channel like eventfd, and a pipe's other end is
 * the program itself or another of its processes.
 */
enum ct_fd_class {
	CT_FD_NONE = 0,		/* closed, or not looked at */
	CT_FD_SOCKET = 1,	/* an inet socket, or a unix socket to another process */
	CT_FD_LISTEN = 2,
	CT_FD_SELF = 3,		/* a unix socket whose peer is this process */
	CT_FD_SOCKET_OTHER = 4,	/* netlink, packet and other families */
	CT_FD_PIPE = 5,
	CT_FD_ANON = 6,		/* eventfd, timerfd, signalfd, epoll, inotify, pidfd... */
	CT_FD_FILE = 7,		/* regular file, directory, block device */
	CT_FD_CHAR = 8,		/* terminals and other character devices */
	CT_FD_CLASS_MAX = 9,
};

/*
 * What a syscall waits on (ct_switch.prev_arg, ct_syscall.arg), by call:
 *   poll, ppoll, select, pselect6   the sockets it was given (CT_FD_SOCKET)
 *   epoll_wait, epoll_pwait(2)      the epoll fd
 *   io_uring_enter (waiting)        the ring's requests in flight
 *   close                           the fd
 *   futex (waiting)                 CT_ARG_JOIN when it waits for a thread
 *                                   of its process to exit (pthread_join:
 *                                   the word the kernel clears at its exit)
 * CT_ARG_FOREVER marks a wait with no timeout.
 */
#define CT_ARG_FOREVER (1u << 31)
#define CT_ARG_JOIN (1u << 30)
#define CT_ARG_VALUE(a) ((a) & 0x3fffffffu)

/* sched_switch prev_state is stored as (state << 1) | preempted. */
#define CT_STATE_PREEMPTED 1u

struct ct_hdr {
	__u64 ts;	/* CLOCK_BOOTTIME, ns */
	__u16 kind;
	__u16 cpu;
	__u32 tid;	/* the task the event is about */
};

struct ct_switch {
	struct ct_hdr h;	/* tid = prev */
	__u32 prev_tgid;
	__u32 prev_state;	/* (state << 1) | preempted */
	__s32 prev_syscall;	/* syscall prev was inside, -1 if none */
	__u32 next_tid;
	__u32 next_tgid;
	__u32 prev_arg;		/* what that syscall waits on (CT_ARG_*), 0 if nothing known */
	__u64 prev_runtime;	/* prev's total CPU time as the kernel accounts it (no steal) */
	__u64 next_runtime;	/* next's, as it goes on the CPU: the baseline of its slice */
	__u64 prev_sys_enter_ts;	/* start of the syscall prev is inside, if it began on this CPU; else 0 */
	char prev_comm[CT_COMM_LEN];
	char next_comm[CT_COMM_LEN];
	__s32 prev_prio;	/* task_struct.prio, as sched_switch reports it (120: nice 0) */
	__s32 next_prio;
};

struct ct_wakeup {
	struct ct_hdr h;	/* tid = woken task, cpu = waker's cpu */
	__u32 tgid;
	__u32 target_cpu;	/* WAKING: the CPU the task last ran on, as sched_waking says */
	__u32 waker_tid;	/* the task current on the waker's CPU (see ct_waker_class) */
	__u32 waker_class;	/* enum ct_waker_class (WAKING only) */
	__s32 prio;		/* the woken task's */
	__u32 pad;
};

struct ct_migrate {
	struct ct_hdr h;
	__u32 tgid;
	__u32 orig_cpu;
	__u32 dest_cpu;
	__u32 pad;
};

struct ct_fork {
	struct ct_hdr h;	/* tid = parent */
	__u32 parent_tgid;
	__u32 child_tid;
	__u32 child_tgid;
	__u32 pad;
	char comm[CT_COMM_LEN];
};

struct ct_exec {
	struct ct_hdr h;
	__u32 tgid;
	__u32 old_tid;
	char comm[CT_COMM_LEN];
	char filename[CT_PATH_LEN];
};

struct ct_exit {
	struct ct_hdr h;
	__u32 tgid;
	__s32 exit_code;
	char comm[CT_COMM_LEN];
	__s32 prio;
	__u32 pad;
};

/* The last of a task: its tgid, so a reused tid is never confused with it. */
struct ct_free {
	struct ct_hdr h;
	__u32 tgid;
	__s32 prio;
};

/*
 * Written by the recorder as -p or -a begins, one per task it finds: what
 * the task was doing at that instant.  cpu is the CPU it last ran on.
 */
struct ct_start_state {
	struct ct_hdr h;
	__u32 tgid;
	__u32 state;		/* task state bits (trace.h CT_TASK_*), 0: running or runnable */
	__s32 syscall;		/* the syscall it is blocked in, -1 none or not known */
	__u32 ppid;		/* its process's parent, 0 unknown */
	char comm[CT_COMM_LEN];
};

/*
 * One record per syscall, at its exit: half the ring-buffer traffic of an
 * enter/exit pair.  What a task is blocked in is known from sched_switch.
 */
struct ct_syscall {
	struct ct_hdr h;	/* ts = exit */
	__s32 nr;
	__u32 arg;		/* what it waited on (CT_ARG_*), 0 if nothing known */
	__s64 ret;
	__u64 enter_ts;		/* 0: the call was switched out; see its task's last switch */
};

/* A successful epoll_ctl, at its exit. */
struct ct_epoll {
	struct ct_hdr h;
	__u32 tgid;
	__s32 epfd;
	__s32 fd;
	__u16 op;		/* EPOLL_CTL_ADD 1, DEL 2, MOD 3 */
	__u16 fd_class;		/* enum ct_fd_class, as it was registered */
};

/*
 * A CPU's syscall records not yet in the ring buffer (see common.bpf.h);
 * the recorder reads what is left of them at the end.
 */
#define CT_SYS_BATCH 16

struct ct_sys_batch {
	__u32 n;
	__u32 busy;	/* a probe is using it: an interrupt must leave it alone */
	struct ct_syscall recs[CT_SYS_BATCH];
};

_Static_assert(sizeof(struct ct_hdr) == 16, "ct_hdr layout");
_Static_assert(sizeof(struct ct_switch) == 104, "ct_switch layout");
_Static_assert(sizeof(struct ct_wakeup) == 40, "ct_wakeup layout");
_Static_assert(sizeof(struct ct_migrate) == 32, "ct_migrate layout");
_Static_assert(sizeof(struct ct_fork) == 48, "ct_fork layout");
_Static_assert(sizeof(struct ct_exec) == 168, "ct_exec layout");
_Static_assert(sizeof(struct ct_exit) == 48, "ct_exit layout");
_Static_assert(sizeof(struct ct_free) == 24, "ct_free layout");
_Static_assert(sizeof(struct ct_syscall) == 40, "ct_syscall layout");
_Static_assert(sizeof(struct ct_epoll) == 32, "ct_epoll layout");
_Static_assert(sizeof(struct ct_sys_batch) == 8 + 40 * CT_SYS_BATCH, "ct_sys_batch layout");

#endif
