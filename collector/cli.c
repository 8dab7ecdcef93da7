/* The helpers every subcommand shares: messages, sizes, trace arguments, reading a trace. */
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "replay.h"
#include "xalloc.h"

void ct_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("ctrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *ct_fmt_bytes(uint64_t bytes, char *buf, unsigned len)
{
	static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)bytes;
	unsigned u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

int ct_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': v <<= 10; end++; break;
	case 'M': v <<= 20; end++; break;
	case 'G': v <<= 30; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int ct_one_trace_arg(int key, char *arg, struct argp_state *state, const char **path)
{
	if (key == ARGP_KEY_ARG) {
		if (*path)
			argp_error(state, "one trace at a time");
		*path = arg;
		return 1;
	}
	if (key == ARGP_KEY_END) {
		if (!*path)
			argp_error(state, "which trace? (%s FILE)", state->name);
		return 1;
	}
	return 0;
}

char *ct_derived_path(const char *trace, const char *suffix)
{
	size_t len = strlen(trace);
	char *out = ct_xrealloc(NULL, len + strlen(suffix) + 1);

	memcpy(out, trace, len + 1);
	if (len > 4 && !strcmp(out + len - 4, ".ctr"))
		out[len - 4] = 0;
	strcat(out, suffix);
	return out;
}

/* The command's answer to running out of memory (xalloc.h): say so, and stop. */
void ct_out_of_memory(size_t bytes)
{
	ct_warn("out of memory (allocating %zu bytes)", bytes);
	exit(1);
}

int ct_cli_replay(const char *path, struct ct_model *m, const struct ct_replay_pass *passes,
		  size_t npasses, struct ct_trace_info *info)
{
	struct ct_trace_info own;
	char err[1024] = "";

	if (ct_replay(path, m, passes, npasses, info ? info : &own, err, sizeof(err))) {
		if (err[0])
			ct_warn("%s", err);
		return -1;
	}
	if ((info ? info : &own)->incomplete)
		ct_warn("warning: %s: the recording was not finalized (killed?); "
			"reading up to its last complete block", path);
	if (!info)
		ct_trace_info_free(&own);
	return 0;
}
