/*
 * A trace as every stage sees it: decoded events, the recording's metadata
 * and its closing summary.  The reader produces these, the writer consumes
 * them; nothing here knows about the on-disk encoding.
 */
#ifndef CTRACE_TRACE_H
#define CTRACE_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "../bpf/events.h"

struct ct_event {
	uint64_t ts;		/* CLOCK_BOOTTIME ns */
	uint16_t kind;		/* enum ct_kind */
	uint16_t cpu;
	uint32_t tid;		/* switch: prev; fork: parent; task: subject */
	union {
		/* prev_runtime: CPU time prev got since its previous switch-out, as the
		 * kernel accounts it (steal excluded); 0 when unknown. */
		/* arg: what prev_syscall waits on (events.h, CT_ARG_*), 0 if nothing known. */
		struct { uint32_t next_tid, prev_state; int32_t prev_syscall; uint32_t arg; uint64_t prev_runtime; } sw;
		/* waker_class: enum ct_waker_class (always CT_WAKER_TASK for WAKEUP, WAKEUP_NEW). */
		struct { uint32_t target_cpu, waker_tid, waker_class; } wake;
		struct { uint32_t orig_cpu, dest_cpu; } migrate;
		struct { uint32_t child_tid, child_tgid; } fork;
		struct { uint32_t tgid, old_tid; char filename[CT_PATH_LEN]; } exec;
		struct { int32_t code; } exit;
		/* entered at ts - dur, on enter_cpu */
		struct { int32_t nr; uint32_t arg; int64_t ret; uint64_t dur; uint16_t enter_cpu; } sys;
		struct { uint32_t tgid; int32_t epfd, fd; uint16_t op, fd_class; } epoll;
		struct { uint32_t tgid; char comm[CT_COMM_LEN]; } task;
		struct { uint64_t count; } lost;
		/* state: CT_TASK_* bits, 0 running or runnable; syscall -1: none or not known. */
		struct { uint32_t tgid, state; int32_t syscall; } start;
		struct { int32_t prio; } prio;	/* the kernel's: 0-99 real-time, 100-139 nice -20..19 */
		struct { uint32_t tgid; } free;
		struct { uint32_t ppid; } parent;
	};
};

/* Where a logical CPU sits in the machine, as hwloc saw it at record time. */
struct ct_cpu {
	uint32_t cpu;		/* OS index, as in events */
	int32_t package;	/* -1 when unknown */
	int32_t core;		/* core's logical index, machine-wide */
	int32_t smt;		/* PU's rank within its core */
	int32_t node;		/* NUMA node, -1 when unknown */
};

enum ct_option {
	CT_OPT_SYSCALLS = 1u << 0,	/* syscall events were recorded */
	CT_OPT_ALL = 1u << 1,		/* -a: the whole system is the workload */
	CT_OPT_ATTACHED = 1u << 2,	/* -p: attached to a running process */
	CT_OPT_WAITS = 1u << 3,		/* what waits are on: wakers, epoll sets, poll and ring sizes (1.1) */
};

struct ct_meta {
	char version[32];	/* ctrace's */
	char kernel[65];	/* utsname release */
	char hostname[65];
	char machine[65];
	char probes[200];	/* which probe variants this kernel needed ("" before 0.2) */
	uint32_t ncpus;		/* CPU ids in events are below this */
	uint32_t root_pid;	/* the command, or -p's target; 0 for -a */
	uint32_t root_ppid;	/* its parent; 0 when unknown (-a, traces before 0.2) */
	uint32_t recorder_pid;	/* ctrace's own process as the probes see it; 0 unknown */
	uint32_t options;	/* enum ct_option */
	uint64_t boot_ns, mono_ns, real_ns;	/* one instant on three clocks */
	uint32_t argc;
	char **argv;		/* the recorded command, NULL-terminated */
	uint32_t ntopo;
	struct ct_cpu *topo;
};

struct ct_summary {
	uint64_t first_ts, last_ts;
	uint64_t events;
	uint64_t per_kind[CT_EV_KIND_MAX];
	uint64_t dropped;	/* sum of drops[] */
	uint32_t ndrops;
	uint64_t *drops;	/* per CPU, counted in the kernel */
	uint64_t reordered;	/* events that arrived too late and were clamped */
	/* The recorded command as the kernel saw it when it was reaped (wait4). */
	bool has_command;
	int32_t command_status;	/* exit code, or 128 + signal */
	uint64_t command_cpu_ns;	/* rusage utime + stime (waited-for children included) from its exec */
	uint64_t command_wall_ns;	/* from exec to reaping */
};

#define CT_PRIO_MAX 139

/* Raw task states as sched_switch reports them (include/linux/sched.h). */
#define CT_TASK_INTERRUPTIBLE 0x1u
#define CT_TASK_UNINTERRUPTIBLE 0x2u
#define CT_TASK_STOPPED 0x4u
#define CT_TASK_TRACED 0x8u
#define CT_EXIT_DEAD 0x10u
#define CT_EXIT_ZOMBIE 0x20u
#define CT_TASK_PARKED 0x40u
#define CT_TASK_DEAD 0x80u
#define CT_TASK_NOLOAD 0x400u
#define CT_TASK_IDLE (CT_TASK_UNINTERRUPTIBLE | CT_TASK_NOLOAD)
#define CT_TASK_RTLOCK_WAIT 0x1000u	/* PREEMPT_RT: blocked on a sleeping spinlock (5.15+) */
#define CT_TASK_FROZEN 0x8000u		/* stopped by the freezer (6.1+) */

/* sched_switch's prev_state as the kernel's trace event reports it (TASK_REPORT bits). */
#define CT_TASK_REPORT 0x7fu
#define CT_REPORT_IDLE 0x80u		/* "I" */
#define CT_REPORT_PREEMPTED 0x100u	/* TASK_REPORT_MAX: "R+" */

/* prev_state as stored: (state << 1) | preempted. */
static inline uint32_t ct_prev_state(uint32_t stored) { return stored >> 1; }
static inline bool ct_preempted(uint32_t stored) { return stored & CT_STATE_PREEMPTED; }
/*
 * Whether a task switched out in this state has exited and never runs
 * again: its last switch, in TASK_DEAD.  The exit state (zombie or dead,
 * recorded since format 1.3) is set earlier, at exit_notify(): a task
 * preempted between that and its last switch runs again, to finish dying.
 */
static inline bool ct_task_gone(uint32_t stored)
{
	return !ct_preempted(stored) && (ct_prev_state(stored) & CT_TASK_DEAD);
}
/*
 * The state as the kernel's sched_switch event reports it: one TASK_REPORT
 * bit, CT_REPORT_IDLE or CT_REPORT_PREEMPTED (__trace_sched_switch_state).
 */
uint32_t ct_report_state(uint32_t stored);
/* Its letter, as ps and perf print it: R, R+ (preempted), S, D, T, t, X, Z, P, I. */
const char *ct_state_str(uint32_t stored);

const char *ct_kind_name(unsigned kind);
/* "task", "hardirq", "timer", "net", "block", "softirq". */
const char *ct_waker_class_name(uint32_t c);
/* "socket", "listen", "self-socket", ..., "pipe", "anon", "file", "char". */
const char *ct_fd_class_name(uint32_t c);
struct ct_meta;
/* Where cpu sits in the recorded topology; NULL when hwloc did not list it. */
const struct ct_cpu *ct_cpu_topo(const struct ct_meta *m, uint32_t cpu);
const char *ct_syscall_name(int nr);	/* NULL when unknown */
/*
 * What every output calls syscall nr: its name; syscall_N for a number the
 * table has no name for; "unknown" for a number the kernel could not give
 * (-1) or beyond the table.  buf holds the made-up ones.
 */
const char *ct_syscall_label(int nr, char *buf, size_t len);
int ct_syscall_count(void);

/*
 * Create a file that must not exist yet (O_EXCL, no symlink followed), mode
 * 0644: where outputs are written before being renamed into place.
 */
FILE *ct_create_new(const char *path);

/* Deep copy/free for the owned parts of the structures. */
void ct_meta_free(struct ct_meta *m);
void ct_summary_free(struct ct_summary *s);
int ct_meta_set_argv(struct ct_meta *m, int argc, char *const argv[]);

#endif
