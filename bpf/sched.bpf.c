// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Scheduler probes: context switches on every CPU (so per-core lanes show
 * what else ran, and idle), and wakeups and migrations of the workload.
 */
#include "common.bpf.h"
#include "core_fixes.bpf.h"

const volatile __u32 self_tgid = 0;
const volatile bool trace_all = false;
__u32 membership_gen = 0;

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * The syscall a task is blocked in, from the registers it saved on entry:
 * orig_ax holds the number inside a syscall and -1 outside.  This lets the
 * model name a blocked reason even when syscall events are off.
 */
#define PF_KTHREAD 0x00200000	/* kernel threads have no syscall frame */

static __always_inline __s32 syscall_in_progress(struct task_struct *t)
{
	struct pt_regs *regs;

	if (t->flags & PF_KTHREAD)
		return -1;
	regs = task_regs(t);
	if (!regs)
		return -1;
	return (__s32)regs->orig_ax;
}

/*
 * prev leaves the CPU: this CPU's note of it is voided for whoever comes
 * next.  A syscall it is inside and the note saw begin is handed to the
 * switch record (its start to be carried to wherever the call ends); any
 * other is read from prev's saved registers.  Done before the record is
 * reserved, so the reservation is never carried across a branch: older
 * verifiers (6.1) cannot follow a nullable record through one.
 */
struct blocked_call {
	__s32 nr;
	__u64 enter_ts;
};

static __always_inline struct blocked_call forget_cpu_task(struct task_struct *prev)
{
	struct ct_cpu_state *c = this_cpu_state();
	struct blocked_call call = { .nr = -1, .enter_ts = 0 };

	if (c) {
		if (c->tid == (__u32)prev->pid && c->sys_enter_ts) {
			call.enter_ts = c->sys_enter_ts;
			call.nr = c->sys_nr;
		}
		c->tid = 0;
		c->sys_enter_ts = 0;
	}
	if (!call.enter_ts)
		call.nr = syscall_in_progress(prev);
	return call;
}

static __always_inline int record_switch(bool preempt, struct task_struct *prev,
					 struct task_struct *next, __u32 prev_state)
{
	struct blocked_call call;
	struct ct_switch *e;

	flush_sys_batch();	/* prev's calls go out ahead of its switch */
	call = forget_cpu_task(prev);
	e = reserve(sizeof(*e), CT_EV_SWITCH, prev->pid);
	if (!e)
		return 0;
	e->prev_tgid = prev->tgid;
	e->prev_state = (prev_state << 1) | (preempt ? CT_STATE_PREEMPTED : 0);
	e->prev_syscall = call.nr;
	e->prev_sys_enter_ts = call.enter_ts;
	e->next_tid = next->pid;
	e->next_tgid = next->tgid;
	e->pad = 0;
	/* The scheduler has just updated prev's runtime: what rusage sums. */
	e->prev_runtime = prev->se.sum_exec_runtime;
	e->next_runtime = next->se.sum_exec_runtime;
	read_comm(e->prev_comm, prev);
	read_comm(e->next_comm, next);
	submit(e);
	return 0;
}

/*
 * Two variants, one loaded (the recorder asks the kernel's BTF which):
 * since 5.18 the tracepoint passes prev's state as __schedule() saw it;
 * before, it must be read from prev, where a racing wakeup may already
 * have made it runnable again.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	return record_switch(preempt, prev, next, prev_state);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch_task_state, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	return record_switch(preempt, prev, next, task_state(prev));
}

static __always_inline int emit_wakeup(struct task_struct *p, __u16 kind)
{
	struct ct_wakeup *e;

	if (!in_workload(p))
		return 0;
	e = reserve(sizeof(*e), kind, p->pid);
	if (!e)
		return 0;
	e->tgid = p->tgid;
	e->target_cpu = task_cpu(p);
	e->waker_tid = (__u32)bpf_get_current_pid_tgid();
	e->pad = 0;
	submit(e);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *p)
{
	return emit_wakeup(p, CT_EV_WAKEUP);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(on_wakeup_new, struct task_struct *p)
{
	return emit_wakeup(p, CT_EV_WAKEUP_NEW);
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(on_migrate, struct task_struct *p, int dest_cpu)
{
	struct ct_migrate *e;

	if (!in_workload(p))
		return 0;
	e = reserve(sizeof(*e), CT_EV_MIGRATE, p->pid);
	if (!e)
		return 0;
	e->tgid = p->tgid;
	e->orig_cpu = task_cpu(p);
	e->dest_cpu = dest_cpu;
	e->pad = 0;
	submit(e);
	return 0;
}
