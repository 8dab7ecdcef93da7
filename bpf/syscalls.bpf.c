// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Syscalls of the workload only.  Entry just notes the time in the task's
 * storage; exit emits one record for the whole call.
 */
#include "common.bpf.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct ct_task_state *st = workload_state(bpf_get_current_task_btf());

	if (!st)
		return 0;
	st->sys_enter_ts = bpf_ktime_get_boot_ns();
	st->sys_nr = id;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct ct_task_state *st = workload_state(t);
	struct ct_syscall *e;

	/* A call entered before recording began has no start: skip it. */
	if (!st || !st->sys_enter_ts)
		return 0;
	e = reserve(sizeof(*e), CT_EV_SYSCALL, t->pid);
	if (e) {
		e->nr = st->sys_nr;
		e->pad = 0;
		e->ret = ret;
		e->enter_ts = st->sys_enter_ts;
		submit(e);
	}
	st->sys_enter_ts = 0;
	return 0;
}
