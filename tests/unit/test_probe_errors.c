/*
 * What `ctrace record` says when the kernel refuses its probes, fed with
 * libbpf's own words: the 6.1 verifier's refusal of a ring-buffer record
 * carried across a branch, captured from Debian's 6.1 kernel under qemu.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libbpf_log.h"

#define FIXTURE "tests/unit/data/libbpf-6.1-refusal.txt"

/* Feed the fixture as libbpf printed it: each message starts with "libbpf: ". */
static void feed_fixture(void)
{
	FILE *f = fopen(FIXTURE, "r");
	char *all, *msg, *next;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	all = calloc(1, (size_t)n + 1);
	assert_non_null(all);
	assert_int_equal(fread(all, 1, (size_t)n, f), n);
	fclose(f);
	for (msg = all; *msg; msg = next) {
		next = strstr(msg + 1, "\nlibbpf: ");
		next = next ? next + 1 : msg + strlen(msg);
		char saved = *next;

		*next = 0;
		ct_libbpf_log_note(msg);
		*next = saved;
	}
	free(all);
}

static void names_the_program_and_the_verifiers_reason(void **state)
{
	char msg[2048];

	(void)state;
	ct_libbpf_log_reset();
	feed_fixture();
	ct_libbpf_explain(-EINVAL, "6.1.0-56-cloud-amd64", msg, sizeof(msg));
	assert_non_null(strstr(msg, "kernel 6.1.0-56-cloud-amd64 refused ctrace's BPF program 'on_switch' (Invalid argument)"));
	assert_non_null(strstr(msg, "the verifier's last words:"));
	/* The reason is the last line shown, the statistics after it are not. */
	assert_non_null(strstr(msg, "\n    Unreleased reference id=5 alloc_insn=61\n"));
	assert_null(strstr(msg, "processed "));
	assert_non_null(strstr(msg, "tested on Linux 6.1 and newer"));
	assert_null(strstr(msg, "5.15"));
	/* Register dumps are cut, so the message stays readable. */
	for (const char *l = msg; l; l = strchr(l + 1, '\n'))
		assert_true(strcspn(l + 1, "\n") <= 160);
}

static void an_attach_failure_names_the_program(void **state)
{
	char msg[2048];

	(void)state;
	ct_libbpf_log_reset();
	ct_libbpf_log_note("libbpf: prog 'on_timer': failed to attach: No such file or directory\n");
	ct_libbpf_log_note("libbpf: failed to auto-attach program 'on_timer': -2\n");
	ct_libbpf_explain(-ENOENT, "6.1.0", msg, sizeof(msg));
	assert_non_null(strstr(msg, "refused ctrace's BPF program 'on_timer' (No such file or directory); libbpf said:"));
	assert_non_null(strstr(msg, "\n    failed to auto-attach program 'on_timer': -2"));
}

static void without_a_program_libbpfs_last_warning(void **state)
{
	char msg[2048];

	(void)state;
	ct_libbpf_log_reset();
	ct_libbpf_log_note("libbpf: map 'events': failed to create: Invalid argument(-22)\n");
	ct_libbpf_explain(-EINVAL, "5.4.0", msg, sizeof(msg));
	assert_non_null(strstr(msg, "loading the BPF probes failed on kernel 5.4.0 (Invalid argument); "
				    "libbpf said: map 'events': failed to create"));
	assert_non_null(strstr(msg, "tested on Linux 6.1 and newer"));
}

static void permissions_are_not_a_kernel_problem(void **state)
{
	char msg[2048];

	(void)state;
	ct_libbpf_log_reset();
	ct_libbpf_explain(-EPERM, "6.1.0", msg, sizeof(msg));
	assert_non_null(strstr(msg, "CAP_BPF"));
	assert_null(strstr(msg, "tested on"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_the_program_and_the_verifiers_reason),
		cmocka_unit_test(an_attach_failure_names_the_program),
		cmocka_unit_test(without_a_program_libbpfs_last_warning),
		cmocka_unit_test(permissions_are_not_a_kernel_problem),
	};

	return cmocka_run_group_tests_name("probe errors", tests, NULL, NULL);
}
