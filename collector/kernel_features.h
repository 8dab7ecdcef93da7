/*
 * What the running kernel offers the probes, read from its BTF before they
 * load: which program variant to load where a kernel lacks something, and
 * a line for `record -v` and the trace's metadata saying what was chosen.
 */
#ifndef CTRACE_KERNEL_FEATURES_H
#define CTRACE_KERNEL_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

/* The oldest kernel the kernel matrix (tests/kernels) boots and records on. */
#define CT_MIN_KERNEL "6.1"

/* How this kernel traces an io_uring submission, if it has io_uring at all. */
enum ct_uring_probe {
	CT_URING_NONE,
	CT_URING_SUBMIT_REQ,	/* io_uring_submit_req (5.19+) */
	CT_URING_SUBMIT_SQE,	/* io_uring_submit_sqe (5.5 to 5.18) */
};

struct ct_features {
	bool switch_state_arg;	/* sched_switch passes prev's state (5.18+) */
	bool task_regs;		/* bpf_task_pt_regs(): a blocked task's syscall (5.15+) */
	bool cpu_in_thread_info;	/* task->thread_info.cpu (5.16+), else task->cpu */
	enum ct_uring_probe io_uring;
	bool forced;		/* fallbacks chosen by CTRACE_PROBE_FALLBACKS, not by the kernel */
};

/*
 * Fill f from the kernel's BTF.  CTRACE_PROBE_FALLBACKS=1 in the environment
 * takes every fallback that can run on this kernel too, so tests prove
 * them on kernels that would not need them.  -1 with the reason in err.
 */
int ct_features_probe(struct ct_features *f, char *err, size_t errlen);
/* One line: what each choice was, e.g. for the trace's metadata. */
void ct_features_describe(const struct ct_features *f, char *buf, size_t len);

#endif
