/*
 * libbpf's messages: shown as they come with -v, and, whatever the
 * verbosity, the last program the kernel refused is remembered with the
 * verifier's last lines, so the one-line error can name both.
 */
#ifndef CTRACE_LIBBPF_LOG_H
#define CTRACE_LIBBPF_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* Route libbpf's messages here; verbose shows them all on stderr. */
void ct_libbpf_log_init(bool verbose);
/* One warning as libbpf printed it (what the print callback hands on). */
void ct_libbpf_log_note(const char *msg);
/* Forget any refusal noted so far. */
void ct_libbpf_log_reset(void);
/*
 * Why loading or attaching failed with libbpf error err (negative errno),
 * on the kernel named by release: the program the kernel refused and the
 * verifier's last words when libbpf reported them, else libbpf's last
 * warning; then the kernels ctrace is tested on and where to look next.
 */
void ct_libbpf_explain(int err, const char *release, char *msg, size_t len);

#endif
