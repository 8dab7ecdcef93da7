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

/* tid -> 1: the workload.  Seeded by the recorder, grown by fork. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 16);
	__type(key, __u32);
	__type(value, __u8);
} tasks SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps") __weak;

/* Configuration, set by the recorder through the skeleton's rodata. */
extern const volatile __u32 self_tgid;		/* the recorder: never traced */
extern const volatile bool trace_all;		/* -a: every task is workload */
extern const volatile bool trace_syscalls;
extern const volatile __u64 wakeup_bytes;	/* wake the consumer past this fill */

static __always_inline bool in_workload(__u32 tid, __u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if (trace_all)
		return tid != 0;
	return bpf_map_lookup_elem(&tasks, &tid) != NULL;
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
 * Never wake the consumer per event: it polls on a timer, and is woken early
 * only when the buffer fills past wakeup_bytes.
 */
static __always_inline void submit(void *rec)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(rec, flags);
}

static __always_inline void read_comm(char *dst, struct task_struct *t)
{
	BPF_CORE_READ_STR_INTO((char (*)[CT_COMM_LEN])dst, t, comm);
}

#endif
