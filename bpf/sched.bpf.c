// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Scheduler probes: context switches on every CPU (so per-core lanes show
 * what else ran, and idle), and wakeups and migrations of the workload.
 */
#include "waits.bpf.h"

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
 * switch record (its start to be carried to wherever the call ends, and
 * what it waits on); any other is read from prev's saved registers.  Done
 * before the record is reserved, so the reservation is never carried
 * across a branch: older verifiers (6.1) cannot follow a nullable record
 * through one.
 */
struct blocked_call {
	__s32 nr;
	__u32 arg;
	__u64 enter_ts;
};

/*
 * What a call the note did not see begin waits on: only an epoll fd or a
 * futex's word can be told from registers (a poll set is in user memory).
 */
static __always_inline __u32 arg_from_regs(struct task_struct *t, __s32 nr)
{
	struct pt_regs *regs;

	if (!(is_epoll_wait(nr) || nr == NR_FUTEX) || !(regs = task_regs(t)))
		return 0;
	return wait_arg(t, regs, nr);
}

static __always_inline struct blocked_call forget_cpu_task(struct task_struct *prev, bool blocked)
{
	struct ct_cpu_state *c = this_cpu_state();
	struct blocked_call call = { .nr = -1, .arg = 0, .enter_ts = 0 };

	if (c) {
		if (c->tid == (__u32)prev->pid && c->sys_enter_ts) {
			call.enter_ts = c->sys_enter_ts;
			call.nr = c->sys_nr;
			call.arg = c->sys_ring ? ring_arg(c->sys_ring) : c->sys_arg;
		}
		c->tid = 0;
		c->sys_enter_ts = 0;
		/*
		 * The depths are the CPU's, not a task's: a CPU switches tasks
		 * inside no hard interrupt or timer callback, except in
		 * PREEMPT_RT's threads, where what the next task wakes is its
		 * own doing.  Depths left over end here (irq.bpf.c restarts
		 * them once the probes are attached, too).
		 */
		c->hardirq = 0;
		c->hrtimer = 0;
	}
	if (!call.enter_ts) {
		call.nr = syscall_in_progress(prev);
		if (blocked)
			call.arg = arg_from_regs(prev, call.nr);
	}
	return call;
}

static __always_inline int record_switch(bool preempt, struct task_struct *prev,
					 struct task_struct *next, __u32 prev_state)
{
	struct blocked_call call;
	struct ct_switch *e;

	flush_sys_batch();	/* prev's calls go out ahead of its switch */
	call = forget_cpu_task(prev, prev_state && !preempt);
	e = reserve(sizeof(*e), CT_EV_SWITCH, prev->pid);
	if (!e)
		return 0;
	e->prev_tgid = prev->tgid;
	/* With exit_state, as the tracepoint's own report does: a dying task is a zombie, or dead. */
	e->prev_state = ((prev_state | prev->exit_state) << 1) | (preempt ? CT_STATE_PREEMPTED : 0);
	e->prev_syscall = call.nr;
	e->prev_sys_enter_ts = call.enter_ts;
	e->prev_arg = call.arg;
	e->next_tid = next->pid;
	e->next_tgid = next->tgid;
	/* The scheduler has just updated prev's runtime: what rusage sums. */
	e->prev_runtime = prev->se.sum_exec_runtime;
	e->next_runtime = next->se.sum_exec_runtime;
	read_comm(e->prev_comm, prev);
	read_comm(e->next_comm, next);
	e->prev_prio = prev->prio;
	e->next_prio = next->prio;
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

/* Who is waking a task: an interrupt this CPU is serving, else the task on it. */
static __always_inline __u32 waker_class(void)
{
	struct ct_cpu_state *c = this_cpu_state();

	if (!c)
		return CT_WAKER_TASK;
	irq_depths_since_attach(c);
	if (c->hrtimer)
		return CT_WAKER_TIMER;
	if (c->hardirq)
		return CT_WAKER_HARDIRQ;
	switch (c->softirq) {
	case 0: return CT_WAKER_TASK;
	case 1 + 1: case 8 + 1: return CT_WAKER_TIMER;		/* TIMER, HRTIMER */
	case 2 + 1: case 3 + 1: return CT_WAKER_NET;		/* NET_TX, NET_RX */
	case 4 + 1: case 5 + 1: return CT_WAKER_BLOCK;		/* BLOCK, IRQ_POLL */
	default: return CT_WAKER_SOFTIRQ;
	}
}

static __always_inline int emit_wakeup(struct task_struct *p, __u16 kind)
{
	struct ct_wakeup *e;
	__u32 class;

	if (!in_workload(p))
		return 0;
	class = kind == CT_EV_WAKING ? waker_class() : CT_WAKER_TASK;
	e = reserve(sizeof(*e), kind, p->pid);
	if (!e)
		return 0;
	e->tgid = p->tgid;
	e->target_cpu = task_cpu(p);
	/* Current here: the waker, or the task an interrupt cut into (what ftrace names). */
	e->waker_tid = (__u32)bpf_get_current_pid_tgid();
	e->waker_class = class;
	e->prio = p->prio;
	e->pad = 0;
	submit(e);
	return 0;
}

/*
 * In the waker's context, before the task is placed: who woke it, and when
 * it became runnable (as Perfetto counts it), the wakeup's delivery
 * included.  sched_wakeup, which often runs on the target CPU, sees
 * neither.
 */
SEC("tp_btf/sched_waking")
int BPF_PROG(on_waking, struct task_struct *p)
{
	return emit_wakeup(p, CT_EV_WAKING);
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
