// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Syscalls of the workload only.  Entry just notes the time on this CPU;
 * exit writes one record for the whole call into this CPU's batch.  A call
 * that blocks loses its note at the switch, which writes the start into the
 * switch record; its exit record then says 0 and the recorder takes the
 * start from there.
 */
#include "common.bpf.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct ct_cpu_state *c = this_cpu_state();

	if (c && current_in_workload(c)) {
		c->sys_enter_ts = bpf_ktime_get_boot_ns();
		c->sys_nr = id;
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	struct ct_cpu_state *c = this_cpu_state();
	struct ct_sys_batch *b = this_cpu_batch();
	struct ct_syscall *e;
	__u32 n;

	if (!c || !b || !current_in_workload(c))
		return 0;
	b->busy = 1;
	compiler_barrier();
	n = b->n;
	if (n >= CT_SYS_BATCH) {	/* never: a full batch is sent at once; bounds n for the verifier */
		send_batch(b);
		n = 0;
	}
	e = &b->recs[n];
	e->h.ts = bpf_ktime_get_boot_ns();
	e->h.kind = CT_EV_SYSCALL;
	e->h.cpu = bpf_get_smp_processor_id();
	e->h.tid = c->tid;
	e->nr = regs->orig_ax;	/* the number, as the kernel keeps it for the whole call */
	e->pad = 0;
	e->ret = ret;
	e->enter_ts = c->sys_enter_ts;
	b->n = n + 1;
	if (n + 1 == CT_SYS_BATCH)
		send_batch(b);
	compiler_barrier();
	b->busy = 0;
	c->sys_enter_ts = 0;
	return 0;
}

/*
 * Any timer interrupt: a CPU-bound task's last calls must not wait for its
 * next switch, which may be seconds away.
 */
SEC("tp_btf/hrtimer_expire_entry")
int BPF_PROG(on_timer, struct hrtimer *timer, ktime_t *now)
{
	flush_sys_batch();
	return 0;
}
