/* The .ctr format: varints, writer/reader round trip, and bad files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "format.h"
#include "reader.h"
#include "synth.h"
#include "varint.h"

static void varint_edges(void **state)
{
	static const uint64_t vals[] = { 0, 1, 127, 128, 255, 16383, 16384, UINT32_MAX,
					 1ull << 35, (1ull << 63) - 1, 1ull << 63, UINT64_MAX };
	uint8_t buf[CT_VARINT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		size_t n = ct_put_varint(buf, vals[i]);
		const uint8_t *p = buf;
		uint64_t out;

		assert_true(n >= 1 && n <= CT_VARINT_MAX);
		assert_int_equal(ct_get_varint(&p, buf + n, &out), 0);
		assert_true(out == vals[i]);
		assert_ptr_equal(p, buf + n);
		/* Every shorter slice is a truncation and must be refused. */
		for (size_t cut = 0; cut < n; cut++) {
			p = buf;
			assert_int_equal(ct_get_varint(&p, buf + cut, &out), -1);
		}
	}
	assert_int_equal(ct_put_varint(buf, 127), 1);
	assert_int_equal(ct_put_varint(buf, 128), 2);
	assert_int_equal(ct_put_varint(buf, UINT64_MAX), 10);
}

static void varint_overlong_refused(void **state)
{
	/* 11 continuation bytes, and a 10th byte carrying bits above 64. */
	uint8_t eleven[11] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
	uint8_t big[10] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 };
	const uint8_t *p = eleven;
	uint64_t out;

	(void)state;
	assert_int_equal(ct_get_varint(&p, eleven + sizeof(eleven), &out), -1);
	p = big;
	assert_int_equal(ct_get_varint(&p, big + sizeof(big), &out), -1);
}

static void zigzag_edges(void **state)
{
	static const int64_t vals[] = { 0, -1, 1, -2, INT32_MIN, INT32_MAX, INT64_MIN, INT64_MAX };

	(void)state;
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		assert_true(ct_unzigzag(ct_zigzag(vals[i])) == vals[i]);
	assert_true(ct_zigzag(-1) == 1);
	assert_true(ct_zigzag(1) == 2);
}

/* One event of every kind, with values at the edges of their fields. */
static int write_every_kind(struct ct_writer *w)
{
	struct ct_event e;
	int rc = 0;

	rc |= synth_task(w, 0, 100, 100, "main-thread");
	rc |= synth_switch(w, 1, 0, 0, 100, 0, 0, -1);
	rc |= synth_switch(w, 2, 1, 100, 0, CT_TASK_INTERRUPTIBLE, 0, 202);
	rc |= synth_switch(w, 2, 1, 4000000, 0, 0, 1, INT32_MAX);
	rc |= synth_wakeup(w, 3, 1, 100, 0, 7);
	e = synth_ev(4, CT_EV_WAKEUP_NEW, 0, 101);
	e.wake.target_cpu = 1;
	rc |= ctw_event(w, &e);
	e = synth_ev(5, CT_EV_MIGRATE, 0, 101);
	e.migrate.orig_cpu = 0;
	e.migrate.dest_cpu = 1;
	rc |= ctw_event(w, &e);
	rc |= synth_fork(w, 6, 0, 100, 101, 100);
	e = synth_ev(7, CT_EV_EXEC, 1, 102);
	e.exec.tgid = 102;
	e.exec.old_tid = 102;
	memset(e.exec.filename, 'x', CT_PATH_LEN - 1);
	rc |= ctw_event(w, &e);
	rc |= synth_sys(w, 8, 9, 1, 102, 0, 0);
	e = synth_ev(1000000000, CT_EV_SYSCALL, 1, 102);	/* entered on CPU 0, ended on 1 */
	e.sys.ret = INT64_MIN;
	e.sys.dur = US(1000000000 - 8);
	e.sys.enter_cpu = 0;
	rc |= ctw_event(w, &e);
	e = synth_ev(1000000001, CT_EV_EXIT, 1, 102);
	e.exit.code = -9;
	rc |= ctw_event(w, &e);
	e = synth_ev(1000000001, CT_EV_LOST, 1, 0);
	e.lost.count = UINT64_MAX;
	rc |= ctw_event(w, &e);
	e = synth_ev(1000000002, CT_EV_START_STATE, 1, 103);
	e.start.tgid = 100;
	e.start.state = CT_TASK_UNINTERRUPTIBLE;
	e.start.syscall = 0;
	rc |= ctw_event(w, &e);
	e = synth_ev(1000000003, CT_EV_PRIO, 0, 103);
	e.prio.prio = CT_PRIO_MAX;
	rc |= ctw_event(w, &e);
	e = synth_ev(1000000004, CT_EV_FREE, 1, 103);
	e.free.tgid = 100;
	rc |= ctw_event(w, &e);
	e = synth_ev(1000000005, CT_EV_PARENT, 1, 100);
	e.parent.ppid = 1;
	rc |= ctw_event(w, &e);
	return rc;
}

static void roundtrip_every_kind(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "kinds");
	struct ct_writer *w = synth_open(path, 2);
	uint64_t drops[2] = { 3, 4 };
	char err[256];
	struct ct_event e;

	(void)state;
	assert_non_null(w);
	assert_int_equal(write_every_kind(w), 0);
	ctw_set_command(w, 130, 123456789, 987654321);
	assert_int_equal(ctw_finish(w, drops, 2, 5), 0);
	ctw_free(w);

	struct ct_reader *r = ctr_open(path, err, sizeof(err));

	assert_non_null(r);
	const struct ct_meta *m = ctr_meta(r);

	assert_string_equal(m->kernel, "6.1.0-test");
	assert_int_equal(m->ncpus, 2);
	assert_int_equal(m->argc, 2);
	assert_int_equal(m->root_ppid, 1);
	assert_string_equal(m->argv[1], "--test");
	assert_int_equal(m->ntopo, 2);
	assert_int_equal(m->topo[1].core, 1);
	assert_true(m->real_ns == 1700000000000000000ull);
	const struct ct_summary *s = ctr_summary(r);

	assert_non_null(s);
	assert_int_equal(s->events, 17);
	assert_int_equal(s->dropped, 7);
	assert_int_equal(s->reordered, 5);
	assert_true(s->has_command);
	assert_int_equal(s->command_status, 130);
	assert_true(s->command_cpu_ns == 123456789 && s->command_wall_ns == 987654321);
	assert_int_equal(s->per_kind[CT_EV_SWITCH], 3);
	assert_false(ctr_incomplete(r));

	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_TASK);
	assert_string_equal(e.task.comm, "main-thread");
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_SWITCH);
	assert_int_equal(e.sw.prev_syscall, 202);
	assert_string_equal(ct_state_str(e.sw.prev_state), "S");
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.tid, 4000000);
	assert_int_equal(e.sw.prev_syscall, INT32_MAX);
	assert_string_equal(ct_state_str(e.sw.prev_state), "R+");
	for (int i = 0; i < 4; i++)
		assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_FORK);
	assert_int_equal(e.fork.child_tid, 101);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_EXEC);
	assert_int_equal(strlen(e.exec.filename), CT_PATH_LEN - 1);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_SYSCALL);
	assert_true(e.sys.ret == INT64_MIN);
	assert_true(e.sys.dur == US(1000000000 - 8));
	assert_int_equal(e.sys.enter_cpu, 0);
	assert_int_equal(e.cpu, 1);
	assert_true(e.ts == SYNTH_T0 + US(1000000000));
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.exit.code, -9);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_true(e.lost.count == UINT64_MAX);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_START_STATE);
	assert_int_equal(e.start.tgid, 100);
	assert_int_equal(e.start.state, CT_TASK_UNINTERRUPTIBLE);
	assert_int_equal(e.start.syscall, 0);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_PRIO);
	assert_int_equal(e.prio.prio, CT_PRIO_MAX);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_FREE);
	assert_int_equal(e.tid, 103);
	assert_int_equal(e.free.tgid, 100);
	assert_int_equal(ctr_next(r, &e), 1);
	assert_int_equal(e.kind, CT_EV_PARENT);
	assert_int_equal(e.parent.ppid, 1);
	assert_int_equal(ctr_next(r, &e), 0);
	ctr_close(r);
	unlink(path);
}

static void many_blocks_keep_order_and_size(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "blocks");
	struct ct_writer *w = synth_open(path, 4);
	const uint32_t n = 300000;
	char err[256];
	struct ct_event e;
	struct stat st;

	(void)state;
	for (uint32_t i = 0; i < n; i++) {
		struct ct_event e = synth_ev(i * 3, CT_EV_SWITCH, (uint16_t)(i % 4), 1000 + i % 50);

		e.sw.next_tid = 1000 + (i + 1) % 50;
		e.sw.prev_state = i % 3 ? CT_TASK_INTERRUPTIBLE << 1 : CT_STATE_PREEMPTED;
		e.sw.prev_syscall = i % 3 ? 7 : -1;
		e.sw.prev_runtime = 2500 + i % 1000;	/* a few microseconds, like a storm's slices */
		assert_int_equal(ctw_event(w, &e), 0);
	}
	assert_int_equal(synth_finish(w, 4), 0);
	assert_int_equal(stat(path, &st), 0);
	/* Scheduler-heavy traces must stay compact: under 16 bytes an event here. */
	assert_true(st.st_size < (off_t)n * 16);

	struct ct_reader *r = ctr_open(path, err, sizeof(err));
	uint32_t i = 0;

	assert_non_null(r);
	while (ctr_next(r, &e) == 1) {
		assert_true(e.ts == SYNTH_T0 + US(i * 3ull));
		assert_int_equal(e.cpu, i % 4);
		assert_int_equal(e.sw.next_tid, 1000 + (i + 1) % 50);
		i++;
	}
	assert_int_equal(i, n);
	assert_string_equal(ctr_error(r), "");
	ctr_close(r);
	unlink(path);
}

/* --max-size's promise: the finished file never passes the limit, and holds the trace up to the cut. */
static void writer_keeps_within_limit(void **state)
{
	static const uint64_t limits[] = { 4096, 100000, 300000 };

	(void)state;
	for (size_t l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
		char path[SYNTH_PATH_LEN], err[256];

		synth_path(path, "limit");
		struct ct_writer *w = synth_open(path, 4);
		struct ct_event e;
		struct stat st;
		uint32_t i, written;

		ctw_set_limit(w, limits[l]);
		/* Switches, and now and then a name: events of more than one size cross the limit. */
		for (i = 0; i < 100000 && !ctw_full(w); i++) {
			if (i % 7 == 0) {
				assert_int_equal(synth_task(w, i, 1000 + i % 50, 1000,
							    "long-thread-nam"), 0);
				continue;
			}
			e = synth_ev(i, CT_EV_SWITCH, (uint16_t)(i % 4), 1000 + i % 50);
			e.sw.next_tid = 1000 + (i + 1) % 50;
			e.sw.prev_runtime = 2500 + i % 1000;
			assert_int_equal(ctw_event(w, &e), 0);
		}
		assert_true(ctw_full(w));
		written = (uint32_t)ctw_events(w);
		assert_true(written < i);
		/* Full stays full: a smaller event later is left out too. */
		e = synth_ev(i + 1, CT_EV_LOST, 0, 0);
		assert_int_equal(ctw_event(w, &e), 0);
		assert_int_equal(ctw_events(w), written);
		assert_int_equal(synth_finish(w, 4), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_true((uint64_t)st.st_size <= limits[l]);
		/* Not cut far short either: within one event and the summary's bound. */
		assert_true((uint64_t)st.st_size + CT_RECORD_MAX + 512 > limits[l]);

		struct ct_reader *r = ctr_open(path, err, sizeof(err));
		uint32_t n = 0;

		assert_non_null(r);
		while (ctr_next(r, &e) == 1)
			assert_true(e.ts == SYNTH_T0 + US(n++));	/* a prefix, none skipped */
		assert_int_equal(n, written);
		assert_string_equal(ctr_error(r), "");
		assert_non_null(ctr_summary(r));
		ctr_close(r);
		unlink(path);
	}
}

static void writer_refuses_time_going_back(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "back");
	struct ct_writer *w = synth_open(path, 1);
	struct ct_event e = synth_ev(5, CT_EV_LOST, 0, 0);

	(void)state;
	assert_int_equal(ctw_event(w, &e), 0);
	e.ts--;
	assert_int_equal(ctw_event(w, &e), -1);
	e = synth_ev(6, CT_EV_LOST, 1, 0);	/* cpu 1 on a 1-CPU trace */
	assert_int_equal(ctw_event(w, &e), -1);
	e = synth_ev(6, CT_EV_SYSCALL, 0, 100);	/* entered on cpu 1 of 1 */
	e.sys.enter_cpu = 1;
	assert_int_equal(ctw_event(w, &e), -1);
	ctw_abort(w);
	assert_int_equal(access(path, F_OK), -1);
}

static size_t small_trace(const char *path, uint8_t **bytes)
{
	struct ct_writer *w = synth_open(path, 2);
	struct stat st;

	write_every_kind(w);
	synth_finish(w, 2);
	stat(path, &st);
	*bytes = malloc((size_t)st.st_size);
	FILE *f = fopen(path, "rb");

	assert_int_equal(fread(*bytes, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	return (size_t)st.st_size;
}

static void put_file(const char *path, const uint8_t *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_int_equal(fwrite(bytes, 1, len, f), len);
	fclose(f);
}

/* -1 when the reader reported an error (with a message naming file and offset). */
static int read_all(const char *path, char *msg, size_t msglen)
{
	struct ct_event e;
	struct ct_reader *r = ctr_open(path, msg, msglen);
	int rc;

	if (!r)
		return -1;
	while ((rc = ctr_next(r, &e)) > 0)
		;
	if (rc < 0)
		snprintf(msg, msglen, "%s", ctr_error(r));
	ctr_close(r);
	return rc;
}

static void every_truncation_is_an_error(void **state)
{
	char path[SYNTH_PATH_LEN], cut[SYNTH_PATH_LEN];

	synth_path(path, "trunc-src");
	synth_path(cut, "trunc");
	uint8_t *bytes;
	size_t len = small_trace(path, &bytes);
	char msg[512];

	(void)state;
	for (size_t n = 0; n < len; n++) {
		put_file(cut, bytes, n);
		msg[0] = 0;
		assert_int_equal(read_all(cut, msg, sizeof(msg)), -1);
		assert_non_null(strstr(msg, cut));
		assert_non_null(strstr(msg, "at offset"));
	}
	put_file(cut, bytes, len);
	assert_int_equal(read_all(cut, msg, sizeof(msg)), 0);
	free(bytes);
	unlink(path);
	unlink(cut);
}

static void every_flipped_byte_is_caught(void **state)
{
	char path[SYNTH_PATH_LEN], bad[SYNTH_PATH_LEN];

	synth_path(path, "flip-src");
	synth_path(bad, "flip");
	uint8_t *bytes;
	size_t len = small_trace(path, &bytes);
	char msg[512];

	(void)state;
	/* Past the fixed header every byte is covered by a check or a CRC. */
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			bytes[i] ^= (uint8_t)(1u << bit);
			put_file(bad, bytes, len);
			int rc = read_all(bad, msg, sizeof(msg));

			if (i < CT_HEADER_LEN && (i >= 24 || (i >= 10 && i < 12)))
				assert_true(rc <= 0);	/* reserved or minor version */
			else if (rc != -1)
				fail_msg("flipping bit %d of byte %zu went unnoticed", bit, i);
			bytes[i] ^= (uint8_t)(1u << bit);
		}
	}
	free(bytes);
	unlink(path);
	unlink(bad);
}

/* A priority the kernel cannot have (0-139) is a bad trace, named by file and offset. */
static void bad_priority_is_named(void **state)
{
	char path[SYNTH_PATH_LEN], msg[512] = "";

	(void)state;
	synth_path(path, "prio");
	struct ct_writer *w = synth_open(path, 1);
	struct ct_event e = synth_ev(1, CT_EV_PRIO, 0, 100);

	e.prio.prio = CT_PRIO_MAX + 1;
	assert_int_equal(ctw_event(w, &e), 0);	/* the writer stores what it is given */
	assert_int_equal(synth_finish(w, 1), 0);
	assert_int_equal(read_all(path, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "bad priority 140"));
	assert_non_null(strstr(msg, "at offset"));
	unlink(path);
}

static void bad_magic_and_version_are_named(void **state)
{
	char path[SYNTH_PATH_LEN], bad[SYNTH_PATH_LEN];

	synth_path(path, "magic-src");
	synth_path(bad, "magic");
	uint8_t *bytes;
	size_t len = small_trace(path, &bytes);
	char msg[512];

	(void)state;
	bytes[1] = 'X';
	put_file(bad, bytes, len);
	assert_int_equal(read_all(bad, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "not a ctrace trace"));
	assert_non_null(strstr(msg, "at offset 0"));
	bytes[1] = 'C';
	bytes[8] = 9;
	put_file(bad, bytes, len);
	assert_int_equal(read_all(bad, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "unsupported format version 9"));
	free(bytes);
	unlink(path);
	unlink(bad);
}

static void unfinished_trace_reads_to_last_block(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "unfinished");
	struct ct_writer *w = synth_open(path, 1);
	const uint32_t n = 100000;	/* several blocks */
	char err[256];
	struct ct_event e;
	uint32_t seen = 0;

	(void)state;
	for (uint32_t i = 0; i < n; i++)
		synth_switch(w, i, 0, 5, 6, 0, 1, -1);
	ctw_free(w);	/* as if the recorder was killed: no summary, flag set */
	/* Cut the last block in half too. */
	struct stat st;

	stat(path, &st);
	assert_int_equal(truncate(path, st.st_size - 100), 0);
	struct ct_reader *r = ctr_open(path, err, sizeof(err));

	assert_non_null(r);
	assert_true(ctr_incomplete(r));
	assert_null(ctr_summary(r));
	while (ctr_next(r, &e) == 1)
		assert_int_equal(e.ts, SYNTH_T0 + US(seen++));
	assert_string_equal(ctr_error(r), "");
	assert_true(seen > 0 && seen < n);
	ctr_close(r);
	unlink(path);
}

static void missing_file_and_directory(void **state)
{
	char msg[512];

	(void)state;
	assert_int_equal(read_all("/nonexistent/x.ctr", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "/nonexistent/x.ctr: No such file"));
	assert_int_equal(read_all("/tmp", msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "not a regular file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(varint_edges),
		cmocka_unit_test(varint_overlong_refused),
		cmocka_unit_test(zigzag_edges),
		cmocka_unit_test(roundtrip_every_kind),
		cmocka_unit_test(many_blocks_keep_order_and_size),
		cmocka_unit_test(writer_keeps_within_limit),
		cmocka_unit_test(writer_refuses_time_going_back),
		cmocka_unit_test(every_truncation_is_an_error),
		cmocka_unit_test(every_flipped_byte_is_caught),
		cmocka_unit_test(bad_priority_is_named),
		cmocka_unit_test(bad_magic_and_version_are_named),
		cmocka_unit_test(unfinished_trace_reads_to_last_block),
		cmocka_unit_test(missing_file_and_directory),
	};

	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
