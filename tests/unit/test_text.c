/* One rule for untrusted names, checked for each output it feeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"

#define FFFD "\xef\xbf\xbd"
/* Valid UTF-8, a C0 control, DEL, a C1 control (U+009B, a terminal's CSI), bad bytes. */
#define HOSTILE "caf\xc3\xa9 \"q\" a\\b\t\n\x7f\xc2\x9b \xff\xfe\xc3 end"

static char *put(const char *s, enum ct_text_out out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	ct_text_put(f, s, out);
	fclose(f);
	return buf;
}

static void terminal_keeps_utf8_and_replaces_the_rest(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(ct_text(HOSTILE, CT_TEXT_TERMINAL, buf, sizeof(buf)),
			    "caf\xc3\xa9 \"q\" a\\b" FFFD FFFD FFFD FFFD " " FFFD FFFD FFFD " end");
	/* The same through a stream. */
	char *s = put(HOSTILE, CT_TEXT_TERMINAL);

	assert_string_equal(s, buf);
	free(s);
}

static void data_has_no_field_breaks_quotes_or_escapes(void **state)
{
	char *s = put(HOSTILE, CT_TEXT_DATA);

	(void)state;
	assert_string_equal(s, "caf\xc3\xa9 'q' a\xe2\x88\x96" "b" FFFD FFFD FFFD FFFD " " FFFD FFFD FFFD " end");
	assert_null(strpbrk(s, "\t\n\"\\"));
	free(s);
}

static void csv_quotes_as_rfc4180(void **state)
{
	char *s;

	(void)state;
	s = put("plain", CT_TEXT_CSV);
	assert_string_equal(s, "plain");
	free(s);
	s = put("a,b", CT_TEXT_CSV);
	assert_string_equal(s, "\"a,b\"");
	free(s);
	s = put(" edge", CT_TEXT_CSV);
	assert_string_equal(s, "\" edge\"");
	free(s);
	s = put(HOSTILE, CT_TEXT_CSV);
	assert_string_equal(s, "\"caf\xc3\xa9 \"\"q\"\" a\\b\t\n\x7f\xc2\x9b " FFFD FFFD FFFD " end\"");
	free(s);
}

/* The fast path: whatever it calls plain, every output writes unchanged; the rest it leaves to the rules. */
static void plain_means_unchanged(void **state)
{
	const char *names[] = { "sched-pipe", "kworker/0:1H", "a\\b", "say \"hi\"", "a,b", " edge", "tab\t",
				"caf\xc3\xa9", "\x7f", "", HOSTILE };
	const enum ct_text_out outs[] = { CT_TEXT_TERMINAL, CT_TEXT_DATA, CT_TEXT_CSV, CT_TEXT_JSON };
	int plain = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		for (size_t o = 0; o < sizeof(outs) / sizeof(outs[0]); o++) {
			char *s = put(names[i], outs[o]);

			if (ct_text_plain(names[i], outs[o])) {
				assert_string_equal(s, names[i]);
				plain++;
			}
			free(s);
		}
	assert_int_equal(plain, 16);	/* ASCII, outside JSON, where nothing is escaped or quoted */
	assert_true(ct_text_plain("kworker/0:1H", CT_TEXT_CSV));
	assert_false(ct_text_plain("a,b", CT_TEXT_CSV));
	assert_false(ct_text_plain("a\\b", CT_TEXT_DATA));
	assert_false(ct_text_plain("say \"hi\"", CT_TEXT_CSV));
	assert_false(ct_text_plain("edge ", CT_TEXT_CSV));	/* RFC 4180 keeps edge spaces only quoted */
	assert_true(ct_text_plain("a b", CT_TEXT_CSV));
	assert_true(ct_text_plain("edge ", CT_TEXT_DATA));
}

static void json_is_always_a_valid_string(void **state)
{
	char *s = put(HOSTILE, CT_TEXT_JSON);

	(void)state;
	assert_string_equal(s, "\"caf\xc3\xa9 \\\"q\\\" a\\\\b\\u0009\\u000a\\u007f\xc2\x9b \\ufffd\\ufffd\\ufffd end\"");
	free(s);
	s = put("", CT_TEXT_JSON);
	assert_string_equal(s, "\"\"");
	free(s);
}

static void a_buffer_never_cuts_a_character(void **state)
{
	char buf[6];

	(void)state;
	/* "ab" + é (2 bytes) fits in 5; the next é would need 2 more. */
	assert_string_equal(ct_text("ab\xc3\xa9\xc3\xa9", CT_TEXT_TERMINAL, buf, sizeof(buf)), "ab\xc3\xa9");
	/* A replacement takes 3 bytes: it is left out whole. */
	assert_string_equal(ct_text("abcd\xff", CT_TEXT_TERMINAL, buf, sizeof(buf)), "abcd");
}

static void utf8_validation(void **state)
{
	(void)state;
	assert_int_equal(ct_utf8_len((const unsigned char *)"a"), 1);
	assert_int_equal(ct_utf8_len((const unsigned char *)"\xc3\xa9"), 2);
	assert_int_equal(ct_utf8_len((const unsigned char *)"\xe2\x88\x96"), 3);
	assert_int_equal(ct_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80"), 4);
	assert_int_equal(ct_utf8_len((const unsigned char *)"\xc0\xaf"), 0);	/* overlong '/' */
	assert_int_equal(ct_utf8_len((const unsigned char *)"\xed\xa0\x80"), 0);	/* a surrogate */
	assert_int_equal(ct_utf8_len((const unsigned char *)"\xf4\x90\x80\x80"), 0);	/* past U+10FFFF */
	assert_int_equal(ct_utf8_len((const unsigned char *)"\xc3"), 0);	/* cut short */
}

static void widths_count_columns_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(ct_text_width("abc", 16), 16);
	assert_int_equal(ct_text_width("caf\xc3\xa9", 16), 17);
	assert_int_equal(ct_text_width(FFFD FFFD, 16), 20);
}

static void json_numbers_are_finite(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	ct_json_num(f, 0.5);
	fputc(' ', f);
	ct_json_num(f, 1.0 / 0.0);
	fputc(' ', f);
	ct_json_num(f, 0.0 / 0.0);
	fclose(f);
	assert_string_equal(buf, "0.5 0 0");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(terminal_keeps_utf8_and_replaces_the_rest),
		cmocka_unit_test(data_has_no_field_breaks_quotes_or_escapes),
		cmocka_unit_test(csv_quotes_as_rfc4180),
		cmocka_unit_test(plain_means_unchanged),
		cmocka_unit_test(json_is_always_a_valid_string),
		cmocka_unit_test(a_buffer_never_cuts_a_character),
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(widths_count_columns_not_bytes),
		cmocka_unit_test(json_numbers_are_finite),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
