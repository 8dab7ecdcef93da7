/*
 * What both fuzz targets ask of every trace that reads: the verdict, the
 * report and the timeline compute without tripping a sanitizer, and the
 * model's numbers are possible.
 */
#ifndef CTRACE_FUZZ_CHECK_H
#define CTRACE_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "replay.h"
#include "report.h"
#include "timeline.h"

/*
 * What holds of every model, however the events were mangled: never more
 * workload threads running than CPUs (one task per CPU, repairs included),
 * and each thread's states summing to its lifetime.  (On-CPU time within
 * wall x CPUs, which ct_model_check also asks, holds on real traces and in
 * the unit tests; retroactive slice starts in mangled ones can break it.)
 */
static void check_invariants(const struct ct_model *m)
{
	if (m->running_peak > m->ncpus) {
		fprintf(stderr, "%u workload threads running at once on %u CPUs\n", m->running_peak, m->ncpus);
		abort();
	}
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];
		uint64_t sum = 0;

		for (int s = 0; s < CT_ST_COUNT; s++)
			sum += t->state_ns[s];
		if (t->workload && t->last >= t->first && sum != t->last - t->first) {
			fprintf(stderr, "thread %u: states sum to %llu over a life of %llu\n", t->tid,
				(unsigned long long)sum, (unsigned long long)(t->last - t->first));
			abort();
		}
	}
}

static void draw(const struct ct_model *m, const struct ct_meta *meta)
{
	struct ct_timeline tl;

	if (m->w_last <= m->w_first || ct_tl_init(&tl, m, meta, m->w_first, m->w_last, 64, 4))
		return;
	for (uint32_t l = 0; l < tl.ncpu_lanes; l++)
		for (uint32_t c = 0; c < tl.width; c++)
			(void)ct_tl_cpu_cell(&tl, l, c);
	for (uint32_t l = 0; l < tl.nthr_lanes; l++)
		for (uint32_t c = 0; c < tl.width; c++)
			(void)ct_tl_thread_cell(&tl, l, c);
	ct_tl_free(&tl);
}

/*
 * A scratch trace path, on tmpfs where there is one: ext4 flushes a file
 * truncated and rewritten at every close, which made each run wait on the disk.
 */
static const char *scratch_path(char *buf, size_t len, const char *tag)
{
	const char *dir = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";

	snprintf(buf, len, "%s/ctrace-fuzz-%s-%d.ctr", dir, tag, (int)getpid());
	return buf;
}

/* Everything the commands compute from a replayed trace. */
/*
 * path: the trace m was replayed from, read again to judge its processes
 * one by one, in readings side by side (threads) or one.
 */
static void check_replayed(const struct ct_model *m, const struct ct_trace_info *info, const char *path,
			   size_t readings)
{
	struct ct_report r;
	char err[512];

	ct_report_build(&r, m, &info->meta, &info->summary);
	if (ct_report_judge_processes(&r, path, readings, err, sizeof(err))) {
		fprintf(stderr, "a trace that read once did not read again: %s\n", err);
		abort();
	}
	ct_report_free(&r);
	check_invariants(m);
	draw(m, &info->meta);
}

#endif
