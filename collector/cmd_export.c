/* ctrace export: a trace for Perfetto's UI, or as CSV tables for pandas and DuckDB. */
#include <argp.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export.h"
#include "xalloc.h"

struct export_opts {
	const char *format, *out, *path;
};

static const struct argp_option options[] = {
	{ "format", 'f', "FORMAT", 0, "perfetto (default) or csv", 0 },
	{ "output", 'o', "PATH", 0, "Output file (perfetto; default FILE.pftrace) or directory "
	  "(csv; default FILE-csv)", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct export_opts *o = state->input;

	switch (key) {
	case 'f':
		if (strcmp(arg, "perfetto") && strcmp(arg, "csv"))
			argp_error(state, "unknown format '%s' (perfetto or csv)", arg);
		o->format = arg;
		break;
	case 'o': o->out = arg; break;
	default:
		return ct_one_trace_arg(key, arg, state, &o->path) ? 0 : ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, "FILE",
	"Export a trace.  perfetto: a native Perfetto trace with per-CPU scheduling, "
	"thread states, process tree and syscalls (ui.perfetto.dev, Open trace file).  "
	"csv: sched_slices.csv, thread_states.csv, syscalls.csv, threads.csv and cpus.csv "
	"(times are CLOCK_BOOTTIME ns).",
	NULL, NULL, NULL
};

int cmd_export(int argc, char **argv)
{
	struct export_opts o = { .format = "perfetto" };
	struct ct_export_stats st;
	char err[1024];
	int rc;

	argv[0] = "ctrace export";
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	bool csv = !strcmp(o.format, "csv");
	char *out = o.out ? ct_xstrdup(o.out) : ct_derived_path(o.path, csv ? "-csv" : ".pftrace");

	rc = csv ? ct_export_csv(o.path, out, &st, err, sizeof(err))
		 : ct_export_perfetto(o.path, out, &st, err, sizeof(err));
	if (rc)
		ct_warn("%s", err);
	else if (csv)
		fprintf(stderr, "ctrace: %" PRIu64 " events -> %" PRIu64 " rows in %s/\n", st.events, st.rows, out);
	else
		fprintf(stderr, "ctrace: %" PRIu64 " events -> %" PRIu64 " packets (%" PRIu64
			" sched_switch) in %s\n", st.events, st.packets, st.switches, out);
	free(out);
	return rc ? 1 : 0;
}
