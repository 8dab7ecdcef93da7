// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Syscall entry and exit of the workload only. */
#include "common.bpf.h"

static __always_inline int emit_sys(__u16 kind, long nr, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct ct_sys *e;

	if (!trace_syscalls || !in_workload((__u32)id, id >> 32))
		return 0;
	e = reserve(sizeof(*e), kind, (__u32)id);
	if (!e)
		return 0;
	e->nr = nr;
	e->pad = 0;
	e->ret = ret;
	submit(e);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	return emit_sys(CT_EV_SYS_ENTER, id, 0);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	return emit_sys(CT_EV_SYS_EXIT, BPF_CORE_READ(regs, orig_ax), ret);
}
