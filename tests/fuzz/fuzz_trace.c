/*
 * libFuzzer target: any bytes, read as a trace file and replayed through
 * the model, the verdict and the timeline.  Nothing may crash, leak or
 * trip a sanitizer; errors must come back as errors naming the offset.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay.h"
#include "timeline.h"
#include "verdict.h"

static char path[64];

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
	ct_tl_free(&tl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	struct ct_trace_info info;
	struct ct_model m;
	struct ct_verdict v;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/ctrace-fuzz-%d.ctr", (int)getpid());
	if (!(f = fopen(path, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (ct_replay(path, &m, NULL, 0, &info, err, sizeof(err))) {
		if (!strstr(err, "at offset") && !strstr(err, path))
			abort();	/* every error names the file, and where it can, the offset */
		return 0;
	}
	ct_verdict(&m, &v);
	check_lifetimes(&m);
	draw(&m, &info.meta);
	ct_model_free(&m);
	ct_trace_info_free(&info);
	return 0;
}
