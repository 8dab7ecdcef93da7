// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Programs that return at once, on the tracepoints ctrace uses: what the
 * kernel charges any eBPF tracer there before it does anything.  The
 * benchmark's floor, not part of ctrace.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_switch")
int BPF_PROG(floor_switch) { return 0; }

SEC("tp_btf/sched_wakeup")
int BPF_PROG(floor_wakeup) { return 0; }

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_sys_enter) { return 0; }

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit) { return 0; }
