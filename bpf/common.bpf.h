/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What every probe shares: the ring buffer, the workload's task set, the
 * per-CPU drop counters, the configuration, and the one way to emit.
 * The maps are weak so that each .bpf.c can define them and the static
 * linker folds them into one.
 */
#ifndef CTRACE_COMMON_BPF_H
#define CTRACE_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "events.h"

/* Sized by the recorder before load (--buffer). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} events SEC(".maps") __weak;

/*
 * The workload: a task is in it when it has this storage.  Seeded by the
 * recorder (through pidfds), grown by fork, freed with the task.  Task
 * storage is a pointer chase from the task, far cheaper than a hash lookup
 * on every event.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ct_task_state);
} traced SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps") __weak;

/* Configuration, set by the recorder through the skeleton's rodata. */
extern const volatile __u32 self_tgid;		/* the recorder: never traced */
extern const volatile bool trace_all;		/* -a: every task is workload */

/* The task's state if it is workload (created on demand under -a), else NULL. */
static __always_inline struct ct_task_state *workload_state(struct task_struct *t)
{
	if (trace_all) {
		if (t->tgid == self_tgid || t->pid == 0)
			return NULL;
		return bpf_task_storage_get(&traced, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	}
	return bpf_task_storage_get(&traced, t, 0, 0);
}

static __always_inline bool in_workload(struct task_struct *t)
{
	if (trace_all)
		return t->tgid != self_tgid && t->pid != 0;
	return bpf_task_storage_get(&traced, t, 0, 0) != NULL;
}

static __always_inline void count_drop(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&drops, &zero);

	if (n)
		(*n)++;
}

/*
 * Reserve a record and fill its header; NULL (and a counted drop) when the
 * buffer is full.  The timestamp is taken here, after the reservation, so
 * records leave the buffer nearly in time order.
 */
static __always_inline void *reserve(__u32 size, __u16 kind, __u32 tid)
{
	struct ct_hdr *h = bpf_ringbuf_reserve(&events, size, 0);

	if (!h) {
		count_drop();
		return NULL;
	}
	h->ts = bpf_ktime_get_boot_ns();
	h->kind = kind;
	h->cpu = bpf_get_smp_processor_id();
	h->tid = tid;
	return h;
}

/*
 * Never wake the consumer: it drains on a timer, faster when the buffer
 * fills faster.  (Asking the buffer its fill level on every event would
 * cost more than the rest of the probe's bookkeeping.)
 */
static __always_inline void submit(void *rec)
{
	bpf_ringbuf_submit(rec, BPF_RB_NO_WAKEUP);
}

/* Direct BTF loads: cheaper than a probe_read helper call per name. */
static __always_inline void read_comm(char *dst, struct task_struct *t)
{
	__u64 *d = (__u64 *)dst;

	d[0] = *(__u64 *)&t->comm[0];
	d[1] = *(__u64 *)&t->comm[8];
}

#endif
