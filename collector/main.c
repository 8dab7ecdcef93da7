/* ctrace: subcommand dispatch and the helpers every subcommand shares. */
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{ "record", cmd_record, "run a command (or watch the system) under the eBPF probes" },
	{ "report", cmd_report, "the verdict: parallel or concurrent, CPU- or I/O-bound, and why" },
	{ "plot", cmd_plot, "draw the timeline: per-core and per-thread lanes, parallelism over time" },
	{ "export", cmd_export, "write a trace for Perfetto's UI, or as CSV tables" },
	{ "topo", cmd_topo, "print the CPU topology (this machine's, or a trace's) in lane order" },
	{ "dump", cmd_dump, "print a trace's header and one line per event" },
};

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
	char *out = malloc(len + strlen(suffix) + 1);

	if (!out)
		abort();
	memcpy(out, trace, len + 1);
	if (len > 4 && !strcmp(out + len - 4, ".ctr"))
		out[len - 4] = 0;
	strcat(out, suffix);
	return out;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: ctrace COMMAND [OPTION...]\n\n"
		   "Is a program concurrent or parallel, waiting on I/O or burning CPU?\n"
		   "ctrace records it with eBPF and answers with a picture, a number and a verdict.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'ctrace COMMAND --help' describes each command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ctrace %s\n", CTRACE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	ct_warn("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
