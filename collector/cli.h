/* What every subcommand shares: messages, number parsing, the entry points. */
#ifndef CTRACE_CLI_H
#define CTRACE_CLI_H

#include <stdint.h>

int cmd_record(int argc, char **argv);
int cmd_dump(int argc, char **argv);

/* "ctrace: <message>" on stderr. */
void ct_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Human-readable byte count: "14.2 MB". */
const char *ct_fmt_bytes(uint64_t bytes, char *buf, unsigned len);
/* "64M", "1G", "4096": -1 on garbage. */
int ct_parse_size(const char *s, uint64_t *out);

#endif
