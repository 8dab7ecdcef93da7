// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The workload's life cycle: fork grows the task set in the kernel as it
 * happens (so a child that lives a microsecond is still caught), exec
 * renames, exit ends it.
 */
#include "waits.bpf.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_tid = child->pid;
	struct ct_fork *e;

	if (!in_workload(parent))
		return 0;
	if (!trace_all) {
		__u8 *m = membership(child_tid);

		if (m)
			*m = CT_MEMBER;
		else
			count_drop();	/* a tid past pid_max as it was at start: unseen */
	}
	if (child->tgid == parent->tgid && child->clear_child_tid) {
		__u64 word = (__u64)child->clear_child_tid;

		bpf_map_update_elem(&exit_words, &child_tid, &word, BPF_ANY);
	}
	e = reserve(sizeof(*e), CT_EV_FORK, parent->pid);
	if (!e)
		return 0;
	e->parent_tgid = parent->tgid;
	e->child_tid = child_tid;
	e->child_tgid = child->tgid;
	e->pad = 0;
	read_comm(e->comm, child);
	submit(e);
	return 0;
}

/*
 * A thread other than the leader exec'd and took the leader's tid (the
 * leader, gone, has left the set): membership and this CPU's note follow.
 * False when the thread was not workload.
 */
static __always_inline bool follow_new_tid(__u32 old_tid, __u32 new_tid)
{
	struct ct_cpu_state *c = this_cpu_state();
	__u8 *old = membership(old_tid), *new = membership(new_tid);

	if (c && c->tid == old_tid)
		c->tid = new_tid;
	if (trace_all)
		return true;
	if (!old || *old != CT_MEMBER)
		return false;
	*old = 0;
	if (new)
		*new = CT_MEMBER;
	return true;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct ct_exec *e;

	if (old_pid != p->pid && !follow_new_tid(old_pid, p->pid))
		return 0;
	if (!in_workload(p))
		return 0;
	e = reserve(sizeof(*e), CT_EV_EXEC, p->pid);
	if (!e)
		return 0;
	e->tgid = p->tgid;
	e->old_tid = old_pid;
	read_comm(e->comm, p);
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename),
				  BPF_CORE_READ(bprm, filename));
	submit(e);
	return 0;
}

/* It is no longer workload; its tid is marked until it is freed (or reused by a fork). */
static __always_inline void leave_workload(__u32 tid)
{
	__u8 *m = trace_all ? NULL : membership(tid);

	if (m)
		*m = CT_EXITED;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p)
{
	__u32 tid = p->pid;
	struct ct_exit *e;

	if (!in_workload(p))
		return 0;
	e = reserve(sizeof(*e), CT_EV_EXIT, tid);
	if (e) {
		e->tgid = p->tgid;
		e->exit_code = p->exit_code;
		read_comm(e->comm, p);
		e->prio = p->prio;
		e->pad = 0;
		submit(e);
	}
	leave_workload(tid);
	bpf_map_delete_elem(&exit_words, &tid);
	return 0;
}

/*
 * The kernel lets go of a task (after it was reaped, from an RCU callback
 * on any CPU): what Perfetto ends a thread's row on.
 */
SEC("tp_btf/sched_process_free")
int BPF_PROG(on_free, struct task_struct *p)
{
	__u32 tid = p->pid;
	__u8 *m = trace_all ? NULL : membership(tid);
	struct ct_free *e;

	if (trace_all ? !in_workload(p) : !m || *m != CT_EXITED)
		return 0;
	if (m)
		*m = 0;
	e = reserve(sizeof(*e), CT_EV_FREE, tid);
	if (!e)
		return 0;
	e->tgid = p->tgid;
	e->prio = p->prio;
	submit(e);
	return 0;
}
