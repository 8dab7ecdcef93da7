/* A file written on its own thread: every byte, in order; a failed write said, the rest dropped. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "outfile.h"

/* Buffers of different sizes, each filled with its own byte, put one after another. */
static size_t put_pattern(struct ct_outfile *o, FILE *f, struct ct_buf *b, int nbufs)
{
	size_t total = 0;

	for (int i = 0; i < nbufs; i++) {
		size_t n = 1000 + (size_t)i * 7919 % 65536;

		assert_true(ct_buf_room(b, n));
		memset(b->p + b->len, 'a' + i % 26, n);
		b->len += n;
		total += n;
		ct_outfile_put(o, f, b);
		assert_int_equal(b->len, 0);	/* an emptied buffer came back */
	}
	return total;
}

static void every_byte_in_order(void **state)
{
	char path[] = "/tmp/ctrace-test-outfile-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w+");
	struct ct_buf b = { 0 };
	struct ct_outfile *o = ct_outfile_start();

	(void)state;
	assert_non_null(o);
	size_t total = put_pattern(o, f, &b, 200);

	assert_int_equal(ct_outfile_finish(o, NULL), 0);
	ct_buf_free(&b);
	fflush(f);
	rewind(f);
	for (int i = 0; i < 200; i++) {
		size_t n = 1000 + (size_t)i * 7919 % 65536;

		for (size_t k = 0; k < n; k++)
			assert_int_equal(fgetc(f), 'a' + i % 26);
		total -= n;
	}
	assert_int_equal(fgetc(f), EOF);
	assert_int_equal(total, 0);
	fclose(f);
	unlink(path);
}

/* /dev/full refuses every write: the error comes back, and putting more neither blocks nor leaks. */
static void a_failed_write_is_said(void **state)
{
	FILE *f = fopen("/dev/full", "w");
	struct ct_buf b = { 0 };
	struct ct_outfile *o;

	(void)state;
	if (!f)
		skip();
	setvbuf(f, NULL, _IONBF, 0);
	FILE *which;

	assert_non_null(o = ct_outfile_start());
	put_pattern(o, f, &b, 50);
	assert_int_equal(ct_outfile_error(o, &which), ENOSPC);	/* by now: a put waited for the first write */
	assert_ptr_equal(which, f);
	assert_int_equal(ct_outfile_finish(o, NULL), ENOSPC);
	ct_buf_free(&b);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_byte_in_order),
		cmocka_unit_test(a_failed_write_is_said),
	};

	return cmocka_run_group_tests_name("outfile", tests, NULL, NULL);
}
