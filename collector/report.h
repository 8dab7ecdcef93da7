/*
 * A report, computed once from a replayed trace: the verdict and every
 * total, share and ranking the text and JSON renderings show.  Rendering
 * (cmd_report.c) only formats what is here.
 */
#ifndef CTRACE_REPORT_H
#define CTRACE_REPORT_H

#include "model.h"
#include "verdict.h"

/* One process of the workload: its threads' sums. */
struct ct_process_stat {
	uint32_t pid, threads;
	char name[CT_COMM_LEN];		/* its main thread's, else its first thread's */
	uint64_t first, last;		/* its threads' lifetimes, together */
	uint64_t cpu_ns;		/* as the kernel accounts it */
	uint64_t progress_ns;		/* thread-ns in progress + operation-ns in flight (progress.h) */
	uint64_t state_ns[CT_ST_COUNT];
	bool judged;			/* kind and shape are its own (ct_report_judge_processes) */
	enum ct_bound kind;
	enum ct_shape shape;
};

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
	struct ct_process_stat *procs;	/* the workload's processes, largest CPU user first */
	size_t nprocs;
	char broken[256];		/* the invariant the model broke (ct_model_check), "" if none */
};

/* Everything the renderings need, from a finished model and its trace's info. */
void ct_report_build(struct ct_report *r, const struct ct_model *m, const struct ct_meta *meta,
		     const struct ct_summary *sum);
void ct_report_free(struct ct_report *r);
/* A syscall's name; "syscall_N" for one the table lacks, "unknown" for an invalid number. */
const char *ct_report_syscall(const struct ct_report *r, int nr, char *buf, size_t len);
/* The reason a thread was blocked in most, or CT_ST_NONE if it never was. */
enum ct_state ct_report_top_wait(const struct ct_thread *t);
/* The state a process's threads spent most of their time in (running included). */
enum ct_state ct_report_process_top(const struct ct_process_stat *p);
/* Its CPU time over its wall time, and its work in progress on average. */
double ct_report_process_parallelism(const struct ct_process_stat *p);
double ct_report_process_concurrency(const struct ct_process_stat *p);
/*
 * The CT_REPORT_JUDGED largest processes of a workload of several, each
 * judged by itself: the trace at path replayed once more into a model per
 * process, focused on it (as if recorded alone with -p), in nreadings
 * readings side by side (0: as many as the CPUs allow, two CPUs each).
 * -1 with the reason in err (the report stands without them).
 */
#define CT_REPORT_JUDGED 5
int ct_report_judge_processes(struct ct_report *r, const char *path, size_t nreadings, char *err,
			      size_t errlen);

#endif
