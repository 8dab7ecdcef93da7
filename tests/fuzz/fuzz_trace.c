/*
 * libFuzzer target: any bytes, read as a trace file and replayed through
 * the model, the verdict and the timeline.  Nothing may crash, leak or
 * trip a sanitizer; errors must come back as errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "reader.h"
#include "timeline.h"
#include "verdict.h"

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct ct_event ev;
	struct ct_model m;
	struct ct_verdict v;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/ctrace-fuzz-%d.ctr", (int)getpid());
	if (!(f = fopen(path, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);

	struct ct_reader *r = ctr_open(path, err, sizeof(err));

	if (!r) {
		if (!strstr(err, "at offset") && !strstr(err, path))
			abort();	/* every error names the file */
		return 0;
	}
	const struct ct_meta *meta = ctr_meta(r);

	ct_model_init(&m, meta);
	int rc, n = 0;

	while ((rc = ctr_next(r, &ev)) > 0 && n++ < 1000000)
		ct_model_event(&m, &ev);
	if (rc < 0 && !strstr(ctr_error(r), "at offset"))
		abort();
	ct_model_finish(&m);
	ct_verdict(&m, &v);
	for (size_t i = 0; i < m.nthreads; i++) {
		const struct ct_thread *t = &m.threads[i];
		uint64_t sum = 0;

		for (int s = 0; s < CT_ST_COUNT; s++)
			sum += t->state_ns[s];
		if (t->workload && t->last >= t->first && sum > t->last - t->first + 1)
			abort();	/* states never exceed a thread's lifetime */
	}
	if (m.w_last > m.w_first) {
		struct ct_timeline tl;

		if (!ct_tl_init(&tl, &m, meta, m.w_first, m.w_last, 64, 4)) {
			for (uint32_t l = 0; l < tl.ncpu_lanes; l++)
				for (uint32_t c = 0; c < tl.width; c++)
					(void)ct_tl_cpu_cell(&tl, l, c);
			ct_tl_free(&tl);
		}
	}
	ct_model_free(&m);
	ctr_close(r);
	return 0;
}
