/* The recorder's intake: time order restored, names written once, late records clamped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "intake.h"
#include "reader.h"
#include "synth.h"

static struct ct_switch sw(uint64_t ts, uint16_t cpu, uint32_t prev, const char *pcomm,
			   uint32_t next, const char *ncomm)
{
	struct ct_switch s;

	memset(&s, 0, sizeof(s));
	s.h = (struct ct_hdr){ ts, CT_EV_SWITCH, cpu, prev };
	s.prev_tgid = prev;
	s.prev_state = CT_TASK_INTERRUPTIBLE << 1;
	s.prev_syscall = -1;
	s.next_tid = next;
	s.next_tgid = next;
	snprintf(s.prev_comm, sizeof(s.prev_comm), "%s", pcomm);
	snprintf(s.next_comm, sizeof(s.next_comm), "%s", ncomm);
	return s;
}

static int count_kind(const char *path, uint16_t kind, uint64_t *last_ts, int *ordered)
{
	char err[256];
	struct ct_reader *r = ctr_open(path, err, sizeof(err));
	struct ct_event e;
	int n = 0;
	uint64_t prev = 0;

	assert_non_null(r);
	*ordered = 1;
	while (ctr_next(r, &e) == 1) {
		if (e.ts < prev)
			*ordered = 0;
		prev = e.ts;
		if (e.kind == kind)
			n++;
	}
	*last_ts = prev;
	ctr_close(r);
	return n;
}

static void restores_order_and_interns_names(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "intake");
	struct ct_writer *w = synth_open(path, 2);
	struct ct_intake *in = cti_new(w);
	/* Arrival order is not time order. */
	struct ct_switch recs[] = {
		sw(3000, 1, 10, "a", 11, "b"),
		sw(1000, 0, 0, "swapper", 10, "a"),
		sw(2000, 0, 10, "a", 0, "swapper"),
		sw(4000, 1, 11, "b", 10, "a"),
		sw(5000, 1, 10, "renamed", 0, "swapper"),
	};
	uint64_t last;
	int ordered;

	(void)state;
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
		assert_int_equal(cti_add(in, &recs[i], sizeof(recs[i])), 1);
	assert_int_equal(cti_flush(in, true), 0);
	assert_int_equal(cti_reordered(in), 0);
	cti_free(in);
	assert_int_equal(synth_finish(w, 2), 0);
	assert_int_equal(count_kind(path, CT_EV_SWITCH, &last, &ordered), 5);
	assert_true(ordered);
	/* a, b, then a's rename: three TASK events, idle never. */
	assert_int_equal(count_kind(path, CT_EV_TASK, &last, &ordered), 3);
	unlink(path);
}

static void late_record_is_clamped_and_counted(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "late");
	struct ct_writer *w = synth_open(path, 1);
	struct ct_intake *in = cti_new(w);
	struct ct_switch early = sw(100000000, 0, 10, "a", 0, "swapper");
	struct ct_switch later = sw(200000000, 0, 0, "swapper", 10, "a");
	struct ct_switch late = sw(50000000, 0, 10, "a", 0, "swapper");
	uint64_t last;
	int ordered;

	(void)state;
	cti_add(in, &early, sizeof(early));
	cti_add(in, &later, sizeof(later));
	assert_int_equal(cti_flush(in, false), 0);	/* writes early; holds later back */
	cti_add(in, &late, sizeof(late));
	assert_int_equal(cti_flush(in, true), 0);
	assert_int_equal(cti_reordered(in), 1);
	cti_free(in);
	assert_int_equal(synth_finish(w, 1), 0);
	assert_int_equal(count_kind(path, CT_EV_SWITCH, &last, &ordered), 3);
	assert_true(ordered);
	assert_true(last == 200000000);
	unlink(path);
}

/* A fork storm: memory must follow the tasks alive at once, not all ever seen. */
static void dead_tasks_free_their_slots(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "churn");
	struct ct_writer *w = synth_open(path, 1);
	struct ct_intake *in = cti_new(w);

	(void)state;
	for (uint32_t i = 0; i < 10000; i++) {
		struct ct_switch on = sw(10000 * (uint64_t)i + 1, 0, 0, "swapper", 1000 + i, "short");
		struct ct_switch off = sw(10000 * (uint64_t)i + 2, 0, 1000 + i, "short", 0, "swapper");

		off.prev_state = CT_TASK_DEAD << 1;
		cti_add(in, &on, sizeof(on));
		cti_add(in, &off, sizeof(off));
		if (i % 100 == 99)
			assert_int_equal(cti_flush(in, false), 0);
	}
	assert_int_equal(cti_flush(in, true), 0);
	assert_true(cti_task_slots(in) <= 2);
	cti_free(in);
	assert_int_equal(synth_finish(w, 1), 0);
	unlink(path);
}

static struct ct_syscall sys_exit(uint64_t ts, uint16_t cpu, uint32_t tid, uint64_t enter_ts)
{
	struct ct_syscall s;

	memset(&s, 0, sizeof(s));
	s.h = (struct ct_hdr){ ts, CT_EV_SYSCALL, cpu, tid };
	s.nr = 0;
	s.enter_ts = enter_ts;
	return s;
}

/*
 * A call that is switched out ends with no start of its own: it takes the
 * start its switch record carried, once; a call with no start anywhere
 * (begun before the recording) is left out rather than given a false one.
 */
static void switched_out_syscall_takes_its_start_from_the_switch(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "parked");
	struct ct_writer *w = synth_open(path, 2);
	struct ct_intake *in = cti_new(w);
	struct ct_switch on0 = sw(1000, 0, 0, "swapper", 10, "a");
	struct ct_syscall quick = sys_exit(2000, 0, 10, 1500);
	struct ct_switch off0 = sw(3000, 0, 10, "a", 0, "swapper");
	struct ct_switch on1 = sw(5000, 1, 0, "swapper", 10, "a");
	struct ct_syscall resumed = sys_exit(6000, 1, 10, 0);
	struct ct_syscall again = sys_exit(7000, 1, 10, 0);
	struct ct_syscall stranger = sys_exit(7500, 1, 11, 0);
	uint64_t durs[4];
	int n = 0;
	char err[256];
	struct ct_event e;

	(void)state;
	off0.prev_sys_enter_ts = 2500;
	cti_add(in, &on0, sizeof(on0));
	cti_add(in, &quick, sizeof(quick));
	cti_add(in, &off0, sizeof(off0));
	cti_add(in, &on1, sizeof(on1));
	cti_add(in, &resumed, sizeof(resumed));
	cti_add(in, &again, sizeof(again));
	cti_add(in, &stranger, sizeof(stranger));
	assert_int_equal(cti_flush(in, true), 0);
	cti_free(in);
	assert_int_equal(synth_finish(w, 2), 0);

	struct ct_reader *r = ctr_open(path, err, sizeof(err));

	assert_non_null(r);
	while (ctr_next(r, &e) == 1)
		if (e.kind == CT_EV_SYSCALL && n < 4)
			durs[n++] = e.sys.dur;
	ctr_close(r);
	assert_int_equal(n, 2);
	assert_int_equal(durs[0], 500);
	assert_int_equal(durs[1], 3500);	/* 6000 - 2500, across CPUs */
	unlink(path);
}

static void malformed_records_are_refused(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "malformed");
	struct ct_writer *w = synth_open(path, 1);
	struct ct_intake *in = cti_new(w);
	struct ct_switch s = sw(1, 0, 1, "a", 2, "b");

	(void)state;
	assert_int_equal(cti_add(in, &s, sizeof(s.h)), -1);	/* too short for a switch */
	s.h.kind = 99;
	assert_int_equal(cti_add(in, &s, sizeof(s)), -1);
	s.h.kind = CT_EV_TASK;		/* only the recorder writes TASK */
	assert_int_equal(cti_add(in, &s, sizeof(s)), -1);
	cti_free(in);
	ctw_abort(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(restores_order_and_interns_names),
		cmocka_unit_test(late_record_is_clamped_and_counted),
		cmocka_unit_test(dead_tasks_free_their_slots),
		cmocka_unit_test(malformed_records_are_refused),
		cmocka_unit_test(switched_out_syscall_takes_its_start_from_the_switch),
	};

	return cmocka_run_group_tests_name("intake", tests, NULL, NULL);
}
