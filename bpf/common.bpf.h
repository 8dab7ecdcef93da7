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
 * The workload: one byte per tid, set while tid is in it.  Seeded by the
 * recorder (which maps the array and writes single bytes, so it never races
 * the probes' writes to neighbouring tids), grown by fork, cleared at exit.
 * An array lookup is a few inlined instructions, far cheaper than anything
 * keyed by the task on every event.  Sized by the recorder from pid_max,
 * 8 tids a slot.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} traced SEC(".maps") __weak;

/* A single value per CPU: lookups of it are inlined by the verifier. */
#define PER_CPU_VALUE(name, value_type)				\
	struct {						\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);	\
		__uint(max_entries, 1);				\
		__type(key, __u32);				\
		__type(value, value_type);			\
	} name SEC(".maps") __weak

PER_CPU_VALUE(drops, __u64);

/*
 * What each CPU knows of the task on it, so that a task making many
 * syscalls asks who it is once per time slice rather than twice per call.
 * sched_switch forgets it, handing a syscall in progress over to the switch
 * record; the first syscall probe after that asks again.
 */
struct ct_cpu_state {
	__u32 tid;		/* whom the rest is about; 0: not known since the last switch */
	__u32 gen;		/* membership_gen when traced was looked up */
	__u32 traced;
	__s32 sys_nr;		/* the call sys_enter_ts is about */
	__u64 sys_enter_ts;	/* tid's syscall in progress on this CPU, 0 if none */
	__u64 sys_ring;		/* io_uring_enter waiting: the ring (its ctx), else 0 */
	__u32 sys_arg;		/* what the call waits on (events.h, CT_ARG_*) */
	/* The interrupt this CPU is serving, whatever task it interrupted (irq.bpf.c). */
	__u8 hardirq;		/* nesting depth */
	__u8 softirq;		/* vector + 1, 0 outside softirqs */
	__u8 hrtimer;		/* nesting depth of timer callbacks */
	__u8 pad;
	__u32 irq_gen;		/* membership_gen when the depths were last known good */
};

PER_CPU_VALUE(oncpu, struct ct_cpu_state);

/* Configuration, set by the recorder through the skeleton's rodata. */
extern const volatile __u32 self_tgid;		/* the recorder: never traced */
extern const volatile bool trace_all;		/* -a: every task is workload */
/* Bumped by the recorder whenever it adds tasks: voids every CPU's note. */
extern __u32 membership_gen;

/* A tid's byte in the task set: 0 not traced, a member, or one that exited and is not yet freed. */
#define CT_MEMBER 1
#define CT_EXITED 2

/* tid's byte in the task set; NULL past the array (pid_max raised since). */
static __always_inline __u8 *membership(__u32 tid)
{
	__u32 slot = tid >> 3;
	__u8 *bytes = bpf_map_lookup_elem(&traced, &slot);

	return bytes ? bytes + (tid & 7) : NULL;
}

static __always_inline bool in_workload(struct task_struct *t)
{
	__u8 *m;

	if (trace_all)
		return t->tgid != self_tgid && t->pid != 0;
	m = membership(t->pid);
	return m && *m == CT_MEMBER;
}

static __always_inline struct ct_cpu_state *this_cpu_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&oncpu, &zero);
}

/*
 * Interrupt depths count from the moment every probe is attached (the
 * recorder moves membership_gen then): an entry seen before its exit probe
 * was attached would otherwise leave a depth that never comes down.
 */
static __always_inline void irq_depths_since_attach(struct ct_cpu_state *c)
{
	__u32 gen = membership_gen;

	if (c->irq_gen != gen) {
		c->irq_gen = gen;
		c->hardirq = 0;
		c->hrtimer = 0;
	}
}

/*
 * Whether the task on this CPU is workload.  Trusts this CPU's note, which
 * only sched_switch (or the recorder, through membership_gen) can make
 * stale, so the common case costs no helper call at all.
 */
static __always_inline bool current_in_workload(struct ct_cpu_state *c)
{
	__u32 gen = membership_gen;

	if (!c->tid || c->gen != gen) {
		struct task_struct *t = bpf_get_current_task_btf();

		if (c->tid != (__u32)t->pid)
			c->sys_enter_ts = 0;
		c->tid = t->pid;
		c->gen = gen;
		c->traced = in_workload(t);
	}
	return c->traced;
}

static __always_inline void count_drops(__u32 count)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&drops, &zero);

	if (n)
		*n += count;
}

static __always_inline void count_drop(void)
{
	count_drops(1);
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

/*
 * Syscall records are written into a per-CPU batch and reach the ring
 * buffer CT_SYS_BATCH at a time: one reservation instead of one per call.
 * The batch goes out when full, before every context switch on its CPU
 * (so it never outlives the time slice it describes by much), and at any
 * timer interrupt, which bounds how late a CPU-bound task's last calls
 * arrive to a tick.  The recorder takes what is left after detaching.
 */
PER_CPU_VALUE(sys_batch, struct ct_sys_batch);

#define compiler_barrier() asm volatile("" ::: "memory")

static __always_inline struct ct_sys_batch *this_cpu_batch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&sys_batch, &zero);
}

/* Called with b->busy set (or interrupts off): nothing else touches b meanwhile. */
static __always_inline void send_batch(struct ct_sys_batch *b)
{
	__u32 n = b->n;

	if (!n)
		return;
	if (n > CT_SYS_BATCH)
		n = CT_SYS_BATCH;
	if (bpf_ringbuf_output(&events, b->recs, n * sizeof(struct ct_syscall), BPF_RB_NO_WAKEUP))
		count_drops(n);
	b->n = 0;
}

/* Send this CPU's batch unless a probe it interrupted is in the middle of it. */
static __always_inline void flush_sys_batch(void)
{
	struct ct_sys_batch *b = this_cpu_batch();

	if (!b || !b->n || b->busy)
		return;
	b->busy = 1;
	compiler_barrier();
	send_batch(b);
	compiler_barrier();
	b->busy = 0;
}

/* Direct BTF loads: cheaper than a probe_read helper call per name. */
static __always_inline void read_comm(char *dst, struct task_struct *t)
{
	__u64 *d = (__u64 *)dst;

	d[0] = *(__u64 *)&t->comm[0];
	d[1] = *(__u64 *)&t->comm[8];
}

#endif
