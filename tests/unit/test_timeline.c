/* Lane layout and pixel aggregation of the timeline, exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "model.h"
#include "replay.h"
#include "synth.h"
#include "timeline.h"
#include "topo.h"

enum { NANOSLEEP = 35, FUTEX = 202, EPOLL_WAIT = 232 };
#define MS(t) ((t) * 1000)	/* synthetic times are in us */

/* 2 packages x 8 cores x 2 PUs, numbered like many x86 servers: cpu c and c+16 are siblings. */
static void server_topology(struct ct_cpu *t)
{
	for (uint32_t cpu = 0; cpu < 32; cpu++) {
		uint32_t core = cpu % 16;

		t[cpu] = (struct ct_cpu){ cpu, (int32_t)(core / 8), (int32_t)core, cpu >= 16, (int32_t)(core / 8) };
	}
}

static void lanes_group_smt_siblings_by_core_and_package(void **state)
{
	struct ct_cpu topo[32];
	uint32_t order[32];

	(void)state;
	server_topology(topo);
	ct_tl_order_cpus(topo, 32, 32, order);
	for (uint32_t lane = 0; lane < 32; lane++) {
		uint32_t core = lane / 2;

		assert_int_equal(order[lane], core + (lane % 2 ? 16 : 0));
	}
	/* A CPU the topology does not list goes last. */
	ct_tl_order_cpus(topo + 1, 31, 32, order);
	assert_int_equal(order[31], 0);
}

static void synthetic_hwloc_topology(void **state)
{
	struct ct_meta m = {0};
	uint32_t order[32];
	char err[256];

	(void)state;
	assert_int_equal(ct_topo_load(&m, "pack:2 core:8 pu:2", err, sizeof(err)), 0);
	assert_int_equal(m.ntopo, 32);
	assert_int_equal(m.ncpus, 32);
	ct_tl_order_cpus(m.topo, m.ntopo, m.ncpus, order);
	for (uint32_t lane = 0; lane < 32; lane++) {
		const struct ct_cpu *c = NULL;

		for (uint32_t i = 0; i < m.ntopo; i++)
			if (m.topo[i].cpu == order[lane])
				c = &m.topo[i];
		assert_non_null(c);
		assert_int_equal(c->package, lane / 16);
		assert_int_equal(c->core, lane / 2);
		assert_int_equal(c->smt, lane % 2);
	}
	ct_meta_free(&m);
	assert_int_equal(ct_topo_load(&m, "nonsense:x", err, sizeof(err)), -1);
	ct_meta_free(&m);
}

/* Two passes, as ctrace plot does them. */
static void rasterize(const char *path, struct ct_timeline *tl, struct ct_model *ranked,
		      uint64_t from_us, uint64_t to_us, uint32_t width, uint32_t max_lanes)
{
	char err[256];
	struct ct_trace_info info;
	struct ct_replay_pass raster = {0};
	struct ct_model m;

	assert_int_equal(ct_replay(path, ranked, NULL, 0, &info, err, sizeof(err)), 0);
	assert_int_equal(ct_tl_init(tl, ranked, &info.meta, SYNTH_T0 + US(from_us),
				    SYNTH_T0 + US(to_us), width, max_lanes), 0);
	raster.sink = ct_tl_sink(tl);
	tl->model = &m;
	assert_int_equal(ct_replay(path, &m, &raster, 1, NULL, err, sizeof(err)), 0);
	ct_model_free(&m);
	ct_trace_info_free(&info);
	tl->model = NULL;
}

static void short_run_stays_visible_and_time_splits_exactly(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "tl");
	struct ct_writer *w = synth_open(path, 2);
	struct ct_timeline tl;
	struct ct_model ranked;

	(void)state;
	synth_task(w, 0, 100, 100, "napper");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 1, 0, 100, 0, CT_TASK_INTERRUPTIBLE, 0, NANOSLEEP);	/* ran 1 us */
	synth_wakeup(w, 900, 0, 100, 0, 0);
	synth_switch(w, 900, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 1100, 0, 100, 0, CT_TASK_INTERRUPTIBLE, 0, NANOSLEEP);	/* straddles col 0/1 */
	synth_wakeup(w, 9999, 0, 100, 0, 0);
	synth_switch(w, 9999, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 10000, 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 2);
	rasterize(path, &tl, &ranked, 0, 10000, 10, 8);	/* 1 ms columns */
	unlink(path);

	assert_int_equal(tl.nthr_lanes, 1);
	assert_int_equal(tl.merged, 0);
	/* Column 0: 1 us + 100 us running, the rest asleep: asleep, with the run marked. */
	assert_int_equal(ct_tl_thread_cell(&tl, 0, 0), CT_ST_SLEEP);
	assert_true(ct_tl_thread_ran(&tl, 0, 0));
	assert_false(ct_tl_thread_ran(&tl, 0, 5));
	const uint64_t *c0 = tl.thr, *c1 = tl.thr + CT_ST_COUNT, *c5 = tl.thr + 5 * CT_ST_COUNT;

	assert_true(c0[CT_ST_RUNNING] == US(101));
	assert_true(c1[CT_ST_RUNNING] == US(100));
	assert_true(c0[CT_ST_SLEEP] == US(899));
	/* Column 5: asleep throughout. */
	assert_int_equal(ct_tl_thread_cell(&tl, 0, 5), CT_ST_SLEEP);
	assert_true(c5[CT_ST_SLEEP] == US(1000));
	/* CPU 0's lane: the thread in columns 0, 1 and 9; idle in 5. */
	assert_int_equal(ct_tl_cpu_cell(&tl, (uint32_t)tl.lane_of_cpu[0], 0), CT_TL_THREAD0);
	assert_int_equal(ct_tl_cpu_cell(&tl, (uint32_t)tl.lane_of_cpu[0], 9), CT_TL_THREAD0);
	assert_int_equal(ct_tl_cpu_cell(&tl, (uint32_t)tl.lane_of_cpu[0], 5), CT_TL_IDLE);
	/* CPU 1 never switched: nothing to draw. */
	assert_int_equal(ct_tl_cpu_cell(&tl, (uint32_t)tl.lane_of_cpu[1], 5), CT_TL_BLANK);
	/* Levels: 101 us of 1 ms running in column 0; in progress (a timed sleep) throughout. */
	assert_true(ct_tl_level(&tl, tl.run, 0) > 0.1009 && ct_tl_level(&tl, tl.run, 0) < 0.1011);
	assert_true(ct_tl_level(&tl, tl.progress, 5) > 0.9999 && ct_tl_level(&tl, tl.progress, 5) < 1.0001);
	assert_true(ct_tl_level(&tl, tl.ops, 5) == 0);
	ct_tl_free(&tl);
	ct_model_free(&ranked);
}

static void threads_past_the_limit_share_the_last_lane(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "merge");
	struct ct_writer *w = synth_open(path, 1);
	struct ct_timeline tl;
	struct ct_model ranked;

	(void)state;
	/* Six threads; thread 100+i runs (i+1) x 100 us, one after another. */
	uint64_t t = 0;

	for (uint32_t i = 0; i < 6; i++) {
		synth_task(w, t, 100 + i, 100, "t");
		synth_switch(w, t, 0, 0, 100 + i, 0, 0, -1);
		t += 100 * (i + 1);
		synth_switch(w, t, 0, 100 + i, 0, CT_TASK_DEAD, 0, 60);
	}
	synth_finish(w, 1);
	rasterize(path, &tl, &ranked, 0, t, 21, 3);
	unlink(path);
	assert_int_equal(tl.nthr_lanes, 3);
	assert_int_equal(tl.merged, 4);
	/* Largest first: 105 then 104; the other four share lane 2. */
	assert_int_equal(ranked.threads[tl.thread_of_lane[0]].tid, 105);
	assert_int_equal(ranked.threads[tl.thread_of_lane[1]].tid, 104);
	uint64_t merged = 0;

	for (uint32_t c = 0; c < tl.width; c++)
		merged += tl.thr[(2 * tl.width + c) * CT_ST_COUNT + CT_ST_RUNNING];
	assert_true(merged == US(100 + 200 + 300 + 400));
	ct_tl_free(&tl);
	ct_model_free(&ranked);
}

/*
 * An event loop runs 1% of its life and waits in epoll_wait on three
 * sockets the rest: its waits stand for operations in flight, so it keeps
 * a lane of its own; two threads parked in futex throughout share one.
 */
static void an_event_loop_is_not_folded_with_idle_threads(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "loopidle");
	struct ct_writer *w = synth_open_opts(path, 1, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_timeline tl;
	struct ct_model ranked;

	(void)state;
	for (uint32_t i = 0; i < 3; i++)
		synth_task(w, 0, 100 + i, 100, i ? "parked" : "loop");
	for (uint32_t i = 1; i < 3; i++) {
		synth_switch(w, i - 1, 0, 0, 100 + i, 0, 0, -1);
		synth_block(w, i, 0, 100 + i, CT_TASK_INTERRUPTIBLE, FUTEX, 0);
	}
	synth_switch(w, 2, 0, 0, 100, 0, 0, -1);
	for (int fd = 10; fd < 13; fd++)
		synth_epoll(w, 2, 0, 100, 100, 5, 1, fd, CT_FD_SOCKET);
	for (uint64_t i = 0; i < 10; i++) {
		synth_block(w, MS(10 * i) + 100, 0, 100, CT_TASK_INTERRUPTIBLE, EPOLL_WAIT, 5 | CT_ARG_FOREVER);
		synth_waking(w, MS(10 * i + 10), 0, 100, 0, CT_WAKER_NET);
		synth_switch(w, MS(10 * i + 10), 0, 0, 100, 0, 0, -1);
	}
	synth_switch(w, MS(100) + 100, 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 1);
	rasterize(path, &tl, &ranked, 0, MS(100) + 100, 10, 8);
	unlink(path);
	assert_int_equal(tl.nthr_lanes, 2);
	assert_int_equal(tl.idle_merged, 2);
	assert_int_equal(ranked.threads[tl.thread_of_lane[0]].tid, 100);
	assert_int_equal(tl.idle_lane, 1);
	ct_tl_free(&tl);
	ct_model_free(&ranked);
}

/*
 * -a: CPU lanes by process.  Process 200's two threads run 300 and 200 us,
 * process 100's one thread 400 us: 200 comes first (500 us), named by its
 * main thread, and both of its threads paint its colour.
 */
static void whole_system_cpu_lanes_by_process(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "procs");
	struct ct_writer *w = synth_open_opts(path, 1, CT_OPT_ALL);
	struct ct_timeline tl;
	struct ct_model ranked;
	const uint32_t tids[] = { 201, 200, 101 }, tgids[] = { 200, 200, 100 }, us[] = { 300, 200, 400 };
	uint64_t t = 0;

	(void)state;
	for (int i = 0; i < 3; i++) {
		synth_task(w, t, tids[i], tgids[i], tids[i] == tgids[i] ? "main" : "helper");
		synth_switch(w, t, 0, 0, tids[i], 0, 0, -1);
		t += us[i];
		synth_switch(w, t, 0, tids[i], 0, CT_TASK_DEAD, 0, 60);
	}
	synth_finish(w, 1);
	rasterize(path, &tl, &ranked, 0, t, 9, 8);
	unlink(path);
	assert_int_equal(tl.nprocs, 2);
	assert_int_equal(tl.ncat, CT_TL_THREAD0 + 2);
	assert_int_equal(ranked.threads[tl.proc_thread[0]].tid, 200);
	assert_int_equal(ranked.threads[tl.proc_thread[1]].tid, 101);
	uint64_t first = 0, second = 0;

	for (uint32_t c = 0; c < tl.width; c++) {
		first += tl.cpu[c * tl.ncat + CT_TL_THREAD0];
		second += tl.cpu[c * tl.ncat + CT_TL_THREAD0 + 1];
	}
	assert_true(first == US(500) && second == US(400));
	ct_tl_free(&tl);
	ct_model_free(&ranked);
}

static void bad_ranges_are_refused(void **state)
{
	struct ct_timeline tl;
	struct ct_model m;
	struct ct_meta meta = { .ncpus = 1 };

	(void)state;
	ct_model_init(&m, &meta);
	assert_int_equal(ct_tl_init(&tl, &m, &meta, 10, 10, 100, 4), -1);
	assert_int_equal(ct_tl_init(&tl, &m, &meta, 10, 20, 0, 4), -1);
	ct_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lanes_group_smt_siblings_by_core_and_package),
		cmocka_unit_test(synthetic_hwloc_topology),
		cmocka_unit_test(short_run_stays_visible_and_time_splits_exactly),
		cmocka_unit_test(threads_past_the_limit_share_the_last_lane),
		cmocka_unit_test(an_event_loop_is_not_folded_with_idle_threads),
		cmocka_unit_test(whole_system_cpu_lanes_by_process),
		cmocka_unit_test(bad_ranges_are_refused),
	};

	return cmocka_run_group_tests_name("timeline", tests, NULL, NULL);
}
