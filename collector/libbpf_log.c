/* libbpf's messages, and what the kernel's refusal of a program said. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_features.h"
#include "libbpf_log.h"

#define KERNEL_ENOTSUPP 524	/* the kernel's internal "not supported" */
#define REFUSAL_LINES 6		/* the verifier's reason is in its last few lines */
#define LOG_BEGIN "-- BEGIN PROG LOAD LOG --\n"
#define LOG_END "-- END PROG LOAD LOG --"

static bool verbose;

static struct {
	char prog[64];
	char log_tail[1024];
	char last_warning[256];
} refusal;

void ct_libbpf_log_reset(void)
{
	memset(&refusal, 0, sizeof(refusal));
}

/*
 * The last REFUSAL_LINES lines of log[0..end), each cut to LINE_MAX_SHOWN
 * characters: the verifier states its reason last, after register dumps
 * that can run to hundreds of characters a line.
 */
#define LINE_MAX_SHOWN 150

/* The verifier closes with statistics ("processed N insns", "stack depth"...): its reason comes before. */
static const char *before_statistics(const char *log, const char *end)
{
	static const char *const stats[] = { "processed ", "verification time ", "stack depth " };

	for (;;) {
		const char *line;
		bool stat = false;

		while (end > log && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		for (line = end; line > log && line[-1] != '\n'; line--)
			;
		for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
			stat |= !strncmp(line, stats[i], strlen(stats[i]));
		if (!stat || line == log)
			return end;
		end = line;
	}
}

static void keep_log_tail(const char *log, const char *end)
{
	const char *lines[REFUSAL_LINES + 1];
	int n = 0;
	size_t used = 0;

	end = before_statistics(log, end);
	lines[0] = end;
	for (const char *p = end; p > log && n < REFUSAL_LINES; p--)
		if (p[-1] == '\n' || p - 1 == log)
			lines[++n] = p[-1] == '\n' ? p : p - 1;
	refusal.log_tail[0] = 0;
	for (int i = n; i >= 1; i--) {
		size_t l = strcspn(lines[i], "\n");
		bool cut = l > LINE_MAX_SHOWN;

		used += (size_t)snprintf(refusal.log_tail + used, sizeof(refusal.log_tail) - used, "%.*s%s%s",
					 (int)(cut ? LINE_MAX_SHOWN : l), lines[i], cut ? "..." : "",
					 i > 1 ? "\n" : "");
		if (used >= sizeof(refusal.log_tail))
			break;
	}
}

/* Messages about one program read "libbpf: prog 'NAME': ..." in every libbpf since 0.7. */
static bool is_program_failure(const char *msg)
{
	return strstr(msg, LOG_BEGIN) || strstr(msg, "failed to load") ||
	       strstr(msg, "load failed") || strstr(msg, "failed to attach") ||
	       strstr(msg, "failed to auto-attach");
}

void ct_libbpf_log_note(const char *msg)
{
	const char *begin = strstr(msg, LOG_BEGIN);
	const char *end = begin ? strstr(begin, LOG_END) : NULL;
	char prog[64];

	if (!strncmp(msg, "libbpf: ", 8))
		msg += 8;
	if (sscanf(msg, "prog '%63[^']'", prog) == 1 && is_program_failure(msg)) {
		if (strcmp(prog, refusal.prog))
			refusal.log_tail[0] = 0;
		snprintf(refusal.prog, sizeof(refusal.prog), "%s", prog);
	}
	if (begin && end)
		keep_log_tail(begin + strlen(LOG_BEGIN), end);
	else if (!begin)
		snprintf(refusal.last_warning, sizeof(refusal.last_warning), "%.*s",
			 (int)strcspn(msg, "\n"), msg);
}

static int print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		return 0;
	if (verbose)
		fputs(msg, stderr);
	if (level == LIBBPF_WARN)
		ct_libbpf_log_note(msg);
	free(msg);
	return 0;
}

void ct_libbpf_log_init(bool show)
{
	verbose = show;
	ct_libbpf_log_reset();
	libbpf_set_print(print);
}

/* src with each line on its own, indented under ctrace's words. */
static void indent_lines(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	dst[0] = 0;
	while (*src && n + 8 < len) {
		size_t l = strcspn(src, "\n");

		n += (size_t)snprintf(dst + n, len - n, "\n    %.*s", (int)l, src);
		src += l + (src[l] == '\n');
	}
}

void ct_libbpf_explain(int err, const char *release, char *msg, size_t len)
{
	char said[1400];

	if (err == -EPERM || err == -EACCES) {
		snprintf(msg, len, "the kernel refused to load the BPF probes (%s): "
			 "ctrace needs CAP_BPF and CAP_PERFMON (run as root, outside a "
			 "restricted container); a kernel in lockdown mode also refuses",
			 strerror(-err));
		return;
	}
	if (err == -KERNEL_ENOTSUPP)
		err = -EOPNOTSUPP;
	if (refusal.prog[0]) {
		bool log = refusal.log_tail[0];

		indent_lines(said, sizeof(said), log ? refusal.log_tail : refusal.last_warning);
		snprintf(msg, len, "kernel %s refused ctrace's BPF program '%s' (%s)%s%s\n"
			 "ctrace's probes are tested on Linux %s and newer; run with -v for "
			 "libbpf's whole log", release, refusal.prog, strerror(-err),
			 log ? "; the verifier's last words:" : "; libbpf said:", said, CT_MIN_KERNEL);
		return;
	}
	snprintf(msg, len, "loading the BPF probes failed on kernel %s (%s)%s%s\n"
		 "ctrace's probes are tested on Linux %s and newer; run with -v for "
		 "libbpf's details", release, strerror(-err),
		 refusal.last_warning[0] ? "; libbpf said: " : "", refusal.last_warning, CT_MIN_KERNEL);
}
