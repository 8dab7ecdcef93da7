/* ctrace: subcommand dispatch. */
#include <argp.h>
#include <stdio.h>
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
	argp_err_exit_status = 2;	/* a usage error, as for an unknown command (argp says 64) */
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
