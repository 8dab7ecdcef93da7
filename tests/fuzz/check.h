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

/* States never exceed a thread's lifetime. */
static void check_lifetimes(const struct ct_model *m)
{
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];
		uint64_t sum = 0;

		for (int s = 0; s < CT_ST_COUNT; s++)
			sum += t->state_ns[s];
		if (t->workload && t->last >= t->first && sum > t->last - t->first + 1)
			abort();
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
static void check_replayed(const struct ct_model *m, const struct ct_trace_info *info)
{
	struct ct_report r;

	ct_report_build(&r, m, &info->meta, &info->summary);
	ct_report_free(&r);
	check_lifetimes(m);
	draw(m, &info->meta);
}

#endif
