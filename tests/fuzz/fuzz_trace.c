/*
 * libFuzzer target: any bytes, read as a trace file and replayed through
 * the model, the verdict, the report (its processes judged one by one) and the timeline.  Nothing may crash,
 * leak or trip a sanitizer; errors must come back as errors naming the
 * offset.  Built with CT_FUZZ_NO_CRC, so a mutated event reaches the model
 * instead of failing its block's checksum.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	struct ct_trace_info info;
	struct ct_model m;
	FILE *f;

	if (!path[0])
		scratch_path(path, sizeof(path), "trace");
	if (!(f = fopen(path, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (ct_replay(path, &m, NULL, 0, &info, err, sizeof(err))) {
		if (!strstr(err, "at offset") && !strstr(err, path))
			abort();	/* every error names the file, and where it can, the offset */
		return 0;
	}
	check_replayed(&m, &info, path, 2);
	ct_model_free(&m);
	ct_trace_info_free(&info);
	return 0;
}
