/* The CLI's own helpers: sizes, byte counts, derived output paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"

static void sizes_parse_with_units(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(ct_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(ct_parse_size("64M", &v), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(ct_parse_size("1g", &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(ct_parse_size("200KB", &v), 0);
	assert_int_equal(v, 200ull << 10);
	assert_int_equal(ct_parse_size("2kb", &v), 0);
	assert_int_equal(v, 2048);
	v = 7;
	assert_int_equal(ct_parse_size("", &v), -1);
	assert_int_equal(ct_parse_size("M", &v), -1);
	assert_int_equal(ct_parse_size("12X", &v), -1);
	assert_int_equal(ct_parse_size("12MM", &v), -1);
	assert_int_equal(ct_parse_size("99999999999999999999999", &v), -1);
	assert_int_equal(v, 7);	/* untouched on error */
}

static void bytes_read_as_people_do(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(ct_fmt_bytes(0, b, sizeof(b)), "0 B");
	assert_string_equal(ct_fmt_bytes(999, b, sizeof(b)), "999 B");
	assert_string_equal(ct_fmt_bytes(1500, b, sizeof(b)), "1.5 KB");
	assert_string_equal(ct_fmt_bytes(14200000, b, sizeof(b)), "14.2 MB");
}

static void outputs_sit_next_to_the_trace(void **state)
{
	char *p;

	(void)state;
	p = ct_derived_path("dir/run.ctr", ".png");
	assert_string_equal(p, "dir/run.png");
	free(p);
	p = ct_derived_path("trace", "-csv");
	assert_string_equal(p, "trace-csv");
	free(p);
	p = ct_derived_path(".ctr", ".png");	/* nothing before the suffix: keep it */
	assert_string_equal(p, ".ctr.png");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes_parse_with_units),
		cmocka_unit_test(bytes_read_as_people_do),
		cmocka_unit_test(outputs_sit_next_to_the_trace),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
