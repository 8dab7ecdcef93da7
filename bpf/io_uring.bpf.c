// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * io_uring: the requests each of the workload's rings has in flight, so a
 * thread waiting in io_uring_enter stands for that many operations.  Two
 * variants of the submission probe, one loaded: since 5.19 the tracepoint
 * is io_uring_submit_req(req), before it was io_uring_submit_sqe(ctx, ...).
 * Completions go down whoever posts them (task, softirq or io worker).
 */
#include "waits.bpf.h"

static __always_inline void ring_add(__u64 ring, __s64 d)
{
	__s64 *n = bpf_map_lookup_elem(&ring_inflight, &ring), one = 1;

	if (n)
		__sync_fetch_and_add(n, d);
	else if (d > 0)
		bpf_map_update_elem(&ring_inflight, &ring, &one, BPF_NOEXIST);
}

static __always_inline int submitted(__u64 ring)
{
	struct task_struct *t = bpf_get_current_task_btf();

	if (ring && in_workload(t))
		ring_add(ring, 1);
	return 0;
}

SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(on_uring_submit, struct io_kiocb *req)
{
	return submitted((__u64)BPF_CORE_READ(req, ctx));
}

SEC("tp_btf/io_uring_submit_sqe")
int BPF_PROG(on_uring_submit_sqe, void *ring)
{
	return submitted((__u64)ring);
}

/* Only rings a workload task submitted to are in the map: the rest are not ours. */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(on_uring_complete, void *ring_ctx)
{
	__u64 ring = (__u64)ring_ctx;
	__s64 *n = bpf_map_lookup_elem(&ring_inflight, &ring);

	if (n && *n > 0)
		__sync_fetch_and_add(n, -1);
	return 0;
}
