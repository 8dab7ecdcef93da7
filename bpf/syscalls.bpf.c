// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Syscalls of the workload only.  Entry just notes the time on this CPU;
 * exit emits one record for the whole call.  A call that blocks loses its
 * note at the switch, which writes the start into the switch record; its
 * exit record then says 0 and the recorder takes the start from there.
 */
#include "common.bpf.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct ct_cpu_state *c = this_cpu_state();

	if (c && current_in_workload(c))
		c->sys_enter_ts = bpf_ktime_get_boot_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	struct ct_cpu_state *c = this_cpu_state();
	struct ct_syscall *e;

	if (!c || !current_in_workload(c))
		return 0;
	e = reserve(sizeof(*e), CT_EV_SYSCALL, c->tid);
	if (e) {
		e->nr = regs->orig_ax;	/* the number, as the kernel keeps it for the whole call */
		e->pad = 0;
		e->ret = ret;
		e->enter_ts = c->sys_enter_ts;
		submit(e);
	}
	c->sys_enter_ts = 0;
	return 0;
}
