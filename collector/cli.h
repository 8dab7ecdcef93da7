/* What every subcommand shares: the entry points, messages, number parsing, reading a trace. */
#ifndef CTRACE_CLI_H
#define CTRACE_CLI_H

#include <stddef.h>
#include <stdint.h>

int cmd_record(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_export(int argc, char **argv);

struct ct_model;
struct ct_replay_pass;
struct ct_trace_info;
/*
 * ct_replay() for a command: the error printed when the trace is bad, a
 * warning when it was never finalized.  info may be NULL.  -1 on error.
 */
int ct_cli_replay(const char *path, struct ct_model *m, const struct ct_replay_pass *passes,
		  size_t npasses, struct ct_trace_info *info);

/* "ctrace: <message>" on stderr. */
void ct_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Human-readable byte count: "14.2 MB". */
const char *ct_fmt_bytes(uint64_t bytes, char *buf, unsigned len);
/* "64M", "1G", "4096": -1 on garbage. */
int ct_parse_size(const char *s, uint64_t *out);

struct argp_state;
/*
 * argp's end of the commands that take exactly one trace: stores the
 * argument in *path, refuses a second one, and asks for a missing one.
 * Returns 1 when key was one of those, else 0 (for ARGP_ERR_UNKNOWN).
 */
int ct_one_trace_arg(int key, char *arg, struct argp_state *state, const char **path);
/* trace without its .ctr, plus suffix ("x.ctr", ".png" -> "x.png"); malloc'd. */
char *ct_derived_path(const char *trace, const char *suffix);

#endif
