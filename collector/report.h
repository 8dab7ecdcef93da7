/*
 * A report, computed once from a replayed trace: the verdict and every
 * total, share and ranking the text and JSON renderings show.  Rendering
 * (cmd_report.c) only formats what is here.
 */
#ifndef CTRACE_REPORT_H
#define CTRACE_REPORT_H

#include "model.h"
#include "verdict.h"

struct ct_report {
	const struct ct_model *m;
	const struct ct_meta *meta;
	const struct ct_summary *sum;
	struct ct_verdict v;
	double wall_s;
	uint64_t states_ns[CT_ST_COUNT];	/* over workload threads */
	uint64_t thread_ns;		/* their sum */
	uint64_t cpu_ns;		/* CPU time as the kernel accounts it */
	uint64_t on_cpu_ns;		/* running, by the clock */
	double rusage_parallelism;	/* the command's own, 0 when not known */
	const struct ct_thread **threads;	/* workload threads, largest CPU user first */
	size_t nthreads;
	int *syscalls;			/* syscall numbers with calls, by total time */
	int nsyscalls;
};

/* Everything the renderings need, from a finished model and its trace's info. */
void ct_report_build(struct ct_report *r, const struct ct_model *m, const struct ct_meta *meta,
		     const struct ct_summary *sum);
void ct_report_free(struct ct_report *r);
/* A syscall's name; "syscall_N" for one the table lacks, "unknown" for an invalid number. */
const char *ct_report_syscall(const struct ct_report *r, int nr, char *buf, size_t len);
/* The reason a thread was blocked in most, or CT_ST_NONE if it never was. */
enum ct_state ct_report_top_wait(const struct ct_thread *t);

#endif
