// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The workload's life cycle: fork grows the task set in the kernel as it
 * happens (so a child that lives a microsecond is still caught), exec
 * renames, exit ends it.
 */
#include "common.bpf.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 child_tid = child->pid;
	struct ct_fork *e;

	if (!in_workload(parent))
		return 0;
	if (!trace_all &&
	    !bpf_task_storage_get(&traced, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		count_drop();	/* out of memory: this child goes unseen */
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

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct ct_exec *e;

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
		submit(e);
	}
	return 0;	/* its storage goes with the task */
}
