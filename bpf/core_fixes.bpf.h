/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reads of kernel fields that moved or vanished between the kernels ctrace
 * runs on: each is resolved by CO-RE when the probes load, so one object
 * serves them all.  Every such difference lives here, nowhere else.
 */
#ifndef CTRACE_CORE_FIXES_BPF_H
#define CTRACE_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/* Before 5.16 (and where THREAD_INFO_IN_TASK is off) a task's CPU was task->cpu. */
struct task_struct___pre516 {
	unsigned int cpu;
} __attribute__((preserve_access_index));

static __always_inline __u32 task_cpu(struct task_struct *t)
{
	if (bpf_core_field_exists(t->thread_info.cpu))
		return t->thread_info.cpu;
	return ((struct task_struct___pre516 *)t)->cpu;
}

/* Before 5.14 a task's state was task->state, a long. */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

struct task_struct___state {
	unsigned int __state;
} __attribute__((preserve_access_index));

static __always_inline __u32 task_state(struct task_struct *t)
{
	struct task_struct___state *s = (void *)t;

	if (bpf_core_field_exists(s->__state))
		return s->__state;
	return (__u32)((struct task_struct___pre514 *)t)->state;
}

/* bpf_task_pt_regs() arrived in 5.15: without it a task's saved registers are out of reach. */
static __always_inline struct pt_regs *task_regs(struct task_struct *t)
{
	if (!bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs))
		return NULL;
	return (struct pt_regs *)bpf_task_pt_regs(t);
}

#endif
