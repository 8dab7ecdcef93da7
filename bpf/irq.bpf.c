// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Which interrupt each CPU is serving, whatever task it interrupted: a task
 * woken from a timer, a packet or a disk completion was woken by that, not
 * by the task that happened to be on the CPU.  sched_waking reads it.
 * Depths never go below zero: the recording may begin inside a handler.
 */
#include "common.bpf.h"

/* This CPU's state, its depths counted from when every probe was attached. */
static __always_inline struct ct_cpu_state *irq_depths(void)
{
	struct ct_cpu_state *c = this_cpu_state();

	if (c)
		irq_depths_since_attach(c);
	return c;
}

SEC("tp_btf/irq_handler_entry")
int BPF_PROG(on_irq_entry, int irq, struct irqaction *action)
{
	struct ct_cpu_state *c = irq_depths();

	if (c)
		c->hardirq++;
	return 0;
}

SEC("tp_btf/irq_handler_exit")
int BPF_PROG(on_irq_exit, int irq, struct irqaction *action, int ret)
{
	struct ct_cpu_state *c = irq_depths();

	if (c && c->hardirq)
		c->hardirq--;
	return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(on_softirq_entry, unsigned int vec)
{
	struct ct_cpu_state *c = this_cpu_state();

	if (c)
		c->softirq = (__u8)(vec + 1);
	return 0;
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(on_softirq_exit, unsigned int vec)
{
	struct ct_cpu_state *c = this_cpu_state();

	if (c)
		c->softirq = 0;
	return 0;
}

/*
 * A timer callback.  Also the moment a CPU-bound task's last syscall
 * records must not wait any longer for its next switch (common.bpf.h).
 */
SEC("tp_btf/hrtimer_expire_entry")
int BPF_PROG(on_timer, struct hrtimer *timer, ktime_t *now)
{
	struct ct_cpu_state *c = irq_depths();

	if (c)
		c->hrtimer++;
	flush_sys_batch();
	return 0;
}

SEC("tp_btf/hrtimer_expire_exit")
int BPF_PROG(on_timer_exit, struct hrtimer *timer)
{
	struct ct_cpu_state *c = irq_depths();

	if (c && c->hrtimer)
		c->hrtimer--;
	return 0;
}
