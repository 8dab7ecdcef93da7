/* What every subcommand shares: messages, number parsing, the entry points. */
#ifndef CTRACE_CLI_H
#define CTRACE_CLI_H

#include <stdint.h>

int cmd_record(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_topo(int argc, char **argv);
int cmd_export(int argc, char **argv);

struct ct_model;
struct ct_model_sink;
struct ct_meta;
struct ct_summary;
/*
 * Read a trace into a finished model, with copies of its metadata and
 * summary (without the per-CPU drops; dropped is set even for a cut-off
 * trace); either may be NULL.  -1 after printing why.
 */
int ct_load_model(const char *path, struct ct_model *m, const struct ct_model_sink *sink,
		  struct ct_meta *meta_out, struct ct_summary *sum_out);

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
