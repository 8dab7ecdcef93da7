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
	CT_EV_KIND_MAX = 11,
};

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
	__u32 pad;
	__u64 prev_runtime;	/* prev's total CPU time as the kernel accounts it (no steal) */
	__u64 next_runtime;	/* next's, as it goes on the CPU: the baseline of its slice */
	__u64 prev_sys_enter_ts;	/* start of the syscall prev is inside, if it began on this CPU; else 0 */
	char prev_comm[CT_COMM_LEN];
	char next_comm[CT_COMM_LEN];
};

struct ct_wakeup {
	struct ct_hdr h;	/* tid = woken task, cpu = waker's cpu */
	__u32 tgid;
	__u32 target_cpu;
	__u32 waker_tid;
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
};

/*
 * One record per syscall, at its exit: half the ring-buffer traffic of an
 * enter/exit pair.  What a task is blocked in is known from sched_switch.
 */
struct ct_syscall {
	struct ct_hdr h;	/* ts = exit */
	__s32 nr;
	__u32 pad;
	__s64 ret;
	__u64 enter_ts;		/* 0: the call was switched out; see its task's last switch */
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
_Static_assert(sizeof(struct ct_switch) == 96, "ct_switch layout");
_Static_assert(sizeof(struct ct_wakeup) == 32, "ct_wakeup layout");
_Static_assert(sizeof(struct ct_migrate) == 32, "ct_migrate layout");
_Static_assert(sizeof(struct ct_fork) == 48, "ct_fork layout");
_Static_assert(sizeof(struct ct_exec) == 168, "ct_exec layout");
_Static_assert(sizeof(struct ct_exit) == 40, "ct_exit layout");
_Static_assert(sizeof(struct ct_syscall) == 40, "ct_syscall layout");
_Static_assert(sizeof(struct ct_sys_batch) == 8 + 40 * CT_SYS_BATCH, "ct_sys_batch layout");

#endif
