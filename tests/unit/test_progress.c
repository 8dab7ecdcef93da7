/*
 * Concurrency as work in progress (progress.h), exactly, on synthetic
 * traces: joins and parked threads are idle, contention is not, event
 * loops stand for their operations, and outside contention is told apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "levels.h"
#include "loops.h"
#include "progress.h"
#include "replay.h"
#include "synth.h"
#include "model_check.h"
#include "verdict.h"

enum { POLL = 7, CLOSE = 3, FUTEX = 202, EPOLL_WAIT = 232 };
#define S CT_TASK_INTERRUPTIBLE
#define MS(t) ((t) * 1000)	/* synthetic times are in us */

#define FORMAT_1_0_TRACE "tests/unit/data/format-1.0-io_epoll.ctr"

static bool near(double a, double b)
{
	return a > b - 1e-9 && a < b + 1e-9;
}

/*
 * main (100) starts a worker (101) and joins it: the worker computes 40 ms,
 * wakes main and exits.  main ran 10 ms first, so it was hungry; still, a
 * wait ended by a thread that exits at once is a join: idle throughout.
 */
static void a_join_is_idle(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "join"), 2, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 100, 100, "main");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_fork(w, MS(10), 0, 100, 101, 100);
	synth_block(w, MS(10), 0, 100, S, FUTEX, 0);	/* joins */
	synth_switch(w, MS(10), 1, 0, 101, 0, 0, -1);
	synth_waking(w, MS(50), 1, 100, 101, CT_WAKER_TASK);	/* clear_child_tid */
	synth_exit(w, MS(50) + 20, 1, 101);
	synth_switch(w, MS(50) + 30, 1, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, MS(51), 0, 0, 100, 0, 0, -1);
	synth_switch(w, MS(52), 0, 100, 0, CT_TASK_DEAD, 0, 231);
	synth_finish(w, 2);
	load(path, &m);

	const struct ct_thread *main = find(&m, 100);

	assert_true(main->state_ns[CT_ST_IDLE] == US(MS(40)));
	assert_true(main->state_ns[CT_ST_LOCK] == 0);
	/* In progress: main 10 ms running + 1 ms runnable + 1 ms running; the worker 40 ms. */
	assert_true(m.conc.threads_ns == US(MS(12) + MS(40) + 30));
	/* Woken, main is runnable while the worker finishes its exit: 2 for 30 us. */
	assert_int_equal(m.conc.peak_threads, 2);
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * The same join, long: main waits 1.5 s, far past the most a hungry wait
 * contends, and the worker exits at once after waking it: still a join,
 * idle throughout, concurrency 1 (the worker) while it lasts.
 */
static void a_long_join_is_idle(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "longjoin"), 2, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 100, 100, "main");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_fork(w, MS(100), 0, 100, 101, 100);
	synth_block(w, MS(100), 0, 100, S, FUTEX, 0);
	synth_switch(w, MS(100), 1, 0, 101, 0, 0, -1);
	synth_waking(w, MS(1600), 1, 100, 101, CT_WAKER_TASK);
	synth_exit(w, MS(1600) + 20, 1, 101);
	synth_switch(w, MS(1600) + 30, 1, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, MS(1601), 0, 0, 100, 0, 0, -1);
	synth_switch(w, MS(1602), 0, 100, 0, CT_TASK_DEAD, 0, 231);
	synth_finish(w, 2);
	load(path, &m);

	const struct ct_thread *main = find(&m, 100);

	assert_true(main->state_ns[CT_ST_IDLE] == US(MS(1500)));
	assert_true(main->state_ns[CT_ST_LOCK] == 0);
	assert_int_equal(m.conc.peak_threads, 2);	/* main runnable as the worker exits */
	assert_true(m.conc.threads_ns == US(MS(100) + MS(1500) + 30 + MS(2)));
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * main waits 400 ms on its worker's exit word (the probes' CT_ARG_JOIN):
 * idle from the start, though it was hungry, the wait is long, and the
 * worker lives on for a while after waking it.
 */
static void a_wait_on_an_exit_word_is_idle(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "joinword"), 2, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 100, 100, "main");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_fork(w, MS(100), 0, 100, 101, 100);
	synth_block(w, MS(100), 0, 100, S, FUTEX, CT_ARG_JOIN);
	synth_switch(w, MS(100), 1, 0, 101, 0, 0, -1);
	synth_waking(w, MS(500), 1, 100, 101, CT_WAKER_TASK);
	synth_switch(w, MS(500), 0, 0, 100, 0, 0, -1);
	synth_switch(w, MS(600), 1, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, MS(600), 0, 100, 0, CT_TASK_DEAD, 0, 231);
	synth_finish(w, 2);
	load(path, &m);

	const struct ct_thread *main = find(&m, 100);

	assert_true(main->state_ns[CT_ST_IDLE] == US(MS(400)));
	assert_true(main->state_ns[CT_ST_LOCK] == 0);
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * Two threads taking turns under one lock, 5 ms each, each woken by the
 * other: both hungry, both always in progress.  Serialized, concurrency 2,
 * parallelism 1.
 */
static void build_turns(struct ct_writer *w)
{
	synth_task(w, 0, 100, 100, "a");
	synth_task(w, 0, 101, 100, "b");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 101, 0, 0, -1);
	synth_block(w, 1, 1, 101, S, FUTEX, 0);	/* b waits for a */
	for (uint32_t i = 0; i < 40; i++) {
		uint32_t run = i % 2 ? 101 : 100, wait = i % 2 ? 100 : 101;
		uint16_t rc = i % 2 ? 1 : 0, wc = i % 2 ? 0 : 1;
		uint64_t t = MS(5) * (i + 1);

		synth_waking(w, t, rc, wait, run, CT_WAKER_TASK);	/* drops the lock */
		synth_switch(w, t, wc, 0, wait, 0, 0, -1);
		synth_block(w, t + 1, rc, run, S, FUTEX, 0);	/* and waits to take it again */
	}
	/* a, last to run, wakes b and both finish. */
	synth_waking(w, MS(205), 0, 101, 100, CT_WAKER_TASK);
	synth_switch(w, MS(205), 1, 0, 101, 0, 0, -1);
	synth_switch(w, MS(206), 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, MS(206), 1, 101, 0, CT_TASK_DEAD, 0, 60);
}

static void contention_is_in_progress(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "turns"), 2, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;
	struct ct_verdict v;
	double threads;

	(void)state;
	build_turns(w);
	synth_finish(w, 2);
	load(path, &m);
	ct_verdict(&m, &v);
	ct_model_concurrency(&m, &threads, NULL);
	/* The first waits come before either thread has run enough to be hungry: idle. */
	assert_true(find(&m, 100)->state_ns[CT_ST_LOCK] + find(&m, 101)->state_ns[CT_ST_LOCK] >= US(MS(180)));
	assert_true(threads > 1.85 && threads <= 2.0);
	assert_string_equal(ct_shape_name(v.shape), "serialized");
	assert_true(v.parallelism > 0.98 && v.parallelism < 1.01);
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * A thread that computed 100 ms, then waits on a lock for 1 s that nobody
 * releases early: it contends while its hunger lasts (at most
 * CT_CONTEND_MAX_NS), then it is idle.  One that never ran is idle at once.
 */
static void a_long_wait_stops_contending(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "park"), 2, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 100, 100, "busy");
	synth_task(w, 0, 101, 100, "parked");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 101, 0, 0, -1);
	synth_block(w, 10, 1, 101, S, FUTEX, 0);	/* ran 10 us: never hungry */
	synth_block(w, MS(100), 0, 100, S, FUTEX, 0);
	synth_waking(w, MS(1100), 0, 100, 0, CT_WAKER_TIMER);
	synth_waking(w, MS(1100), 1, 101, 0, CT_WAKER_TIMER);
	synth_switch(w, MS(1100), 0, 0, 100, 0, 0, -1);
	synth_switch(w, MS(1100), 1, 0, 101, 0, 0, -1);
	synth_switch(w, MS(1101), 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, MS(1101), 1, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 2);
	load(path, &m);

	const struct ct_thread *busy = find(&m, 100), *parked = find(&m, 101);

	assert_true(busy->state_ns[CT_ST_LOCK] == CT_CONTEND_MAX_NS);
	assert_true(busy->state_ns[CT_ST_IDLE] == US(MS(1000)) - CT_CONTEND_MAX_NS);
	assert_true(parked->state_ns[CT_ST_LOCK] == 0);
	assert_true(parked->state_ns[CT_ST_IDLE] == US(MS(1100) - 10));
	assert_consistent(&m);
	ct_model_free(&m);
}

static struct ct_event close_ev(uint64_t t, uint32_t tid, int32_t fd)
{
	struct ct_event e = synth_ev(t, CT_EV_SYSCALL, 0, tid);

	e.sys.nr = CLOSE;
	e.sys.arg = (uint32_t)fd;
	e.sys.dur = 1000;
	return e;
}

/*
 * An event loop: an epoll set with three sockets, a listening socket, an
 * eventfd and a socketpair to itself.  Waiting on it, the thread stands for
 * its 3 operations; one deleted and one closed while it waits, 2 then 1;
 * running after the wait, handling it, still for the 1 in flight.
 */
static void an_event_loop_stands_for_its_sockets(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "loop"), 1, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;
	struct ct_verdict v;

	(void)state;
	synth_task(w, 0, 100, 100, "loop");
	synth_task(w, 0, 101, 100, "helper");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	for (int fd = 10; fd < 13; fd++)
		synth_epoll(w, 1, 0, 100, 100, 5, 1, fd, CT_FD_SOCKET);
	synth_epoll(w, 1, 0, 100, 100, 5, 1, 13, CT_FD_LISTEN);
	synth_epoll(w, 1, 0, 100, 100, 5, 1, 14, CT_FD_ANON);
	synth_epoll(w, 1, 0, 100, 100, 5, 1, 15, CT_FD_SELF);
	synth_block(w, MS(1), 0, 100, S, EPOLL_WAIT, 5 | CT_ARG_FOREVER);	/* 3 operations */
	synth_switch(w, MS(1), 0, 0, 101, 0, 0, -1);
	synth_epoll(w, MS(11), 0, 101, 100, 5, 2, 10, CT_FD_NONE);	/* 2 */
	struct ct_event e = close_ev(MS(21), 101, 11);	/* 1 */

	ctw_event(w, &e);
	synth_block(w, MS(21), 0, 101, S, FUTEX, 0);
	synth_waking(w, MS(31), 0, 100, 0, CT_WAKER_NET);
	synth_switch(w, MS(31), 0, 0, 100, 0, 0, -1);
	synth_switch(w, MS(32), 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 1);
	load(path, &m);
	ct_verdict(&m, &v);

	const struct ct_thread *loop = find(&m, 100);

	assert_true(loop->state_ns[CT_ST_POLL] == US(MS(30)));
	assert_true(loop->ops_ns == US(MS(10)) * 3 + US(MS(10)) * 2 + US(MS(10)) * 1 + US(MS(1)) * 1);
	assert_true(m.conc.ops_ns == loop->ops_ns);
	assert_int_equal(m.conc.peak_ops, 3);
	assert_true(near(v.loop_ops, 61.0 / 31));
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * Two event loops side by side (memcached's workers, nginx's): one thread
 * per CPU, each waiting in epoll_wait on its own set of three sockets, 9 ms
 * of every 10.  Both are loops; the summary says two, not one.
 */
static void two_event_loops_are_two(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "loops"), 2, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;
	struct ct_verdict v;

	(void)state;
	for (uint32_t k = 0; k < 2; k++) {
		synth_task(w, 0, 100 + k, 100, "worker");
		synth_switch(w, 0, (uint16_t)k, 0, 100 + k, 0, 0, -1);
		for (int fd = 10; fd < 13; fd++)
			synth_epoll(w, 0, (uint16_t)k, 100 + k, 100, 5 + (int32_t)k, 1, fd + 10 * (int32_t)k,
				    CT_FD_SOCKET);
	}
	for (uint64_t i = 0; i < 10; i++) {
		for (uint32_t k = 0; k < 2; k++)
			synth_block(w, MS(10 * i + 1), (uint16_t)k, 100 + k, S, EPOLL_WAIT, (5 + k) | CT_ARG_FOREVER);
		for (uint32_t k = 0; k < 2; k++) {
			synth_waking(w, MS(10 * i + 10), (uint16_t)k, 100 + k, 0, CT_WAKER_NET);
			synth_switch(w, MS(10 * i + 10), (uint16_t)k, 0, 100 + k, 0, 0, -1);
		}
	}
	for (uint32_t k = 0; k < 2; k++)
		synth_switch(w, MS(101), (uint16_t)k, 100 + k, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 2);
	load(path, &m);
	ct_verdict(&m, &v);
	assert_int_equal(v.kind, CT_BOUND_IO);
	assert_int_equal(v.shape, CT_SHAPE_EVENT_LOOP);
	assert_true(near(v.loop_ops, 3));
	if (!strstr(v.summary, "2 threads each multiplexed operations in epoll_wait, 3.0 in flight on average "
			       "in the busiest;"))
		fail_msg("%s", v.summary);
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * poll: on sockets, operations (still in flight for the 1 ms it runs after);
 * on none with a timeout, a timer (in progress); on none forever, idle.
 */
static void polls_with_and_without_sockets(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "poll"), 1, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 100, 100, "p");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_block(w, MS(1), 0, 100, S, POLL, 5);		/* 5 sockets, a timeout */
	synth_waking(w, MS(11), 0, 100, 0, CT_WAKER_NET);
	synth_switch(w, MS(11), 0, 0, 100, 0, 0, -1);
	synth_block(w, MS(12), 0, 100, S, POLL, 0);		/* nothing but a timeout */
	synth_waking(w, MS(22), 0, 100, 0, CT_WAKER_TIMER);
	synth_switch(w, MS(22), 0, 0, 100, 0, 0, -1);
	synth_block(w, MS(23), 0, 100, S, POLL, CT_ARG_FOREVER);	/* nothing, forever */
	synth_waking(w, MS(33), 0, 100, 0, CT_WAKER_SOFTIRQ);
	synth_switch(w, MS(33), 0, 0, 100, 0, 0, -1);
	synth_switch(w, MS(34), 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 1);
	load(path, &m);

	const struct ct_thread *t = find(&m, 100);

	assert_true(t->ops_ns == US(MS(10)) * 5 + US(MS(1)) * 5);
	assert_true(t->state_ns[CT_ST_POLL] == US(MS(20)));
	assert_true(t->state_ns[CT_ST_IDLE] == US(MS(10)));
	assert_true(m.timer_wait_ns == US(MS(10)));
	/* running (but not when standing for its sockets), and the timer wait */
	assert_true(m.conc.threads_ns == US(MS(3) + MS(10)));
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * Two CPU-bound threads take turns on CPU 0 of 2 (tid 200 of another
 * process on CPU 1 when `busy`): parallel work that got one CPU, because the
 * machine was busy, or because the scheduler kept it on one while CPU 1
 * idled.  Either way the verdict says which.
 */
static void two_threads_on_one_cpu(bool busy, struct ct_verdict *v)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "onecpu"), 2, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;

	for (uint32_t k = 0; k < 2; k++) {
		synth_task(w, 0, 100 + k, 100, "spin");
		synth_wakeup(w, 0, 0, 100 + k, 0, 0);
	}
	if (busy)
		synth_switch(w, 0, 1, 0, 200, 0, 0, -1);
	for (uint32_t i = 0; i < 40; i++)
		synth_switch(w, MS(5) * i, 0, i ? 100 + (i - 1) % 2 : 0, 100 + i % 2, 0, 1, -1);
	synth_switch(w, MS(200), 0, 101, 100, CT_TASK_DEAD, 0, 60);
	synth_switch(w, MS(201), 0, 100, 0, CT_TASK_DEAD, 0, 60);
	if (busy)
		synth_switch(w, MS(201), 1, 200, 0, 0, 1, -1);
	synth_finish(w, 2);
	load(path, &m);
	ct_verdict(&m, v);
	assert_consistent(&m);
	ct_model_free(&m);
}

static void parallel_work_kept_on_one_cpu(void **state)
{
	struct ct_verdict v;

	(void)state;
	two_threads_on_one_cpu(false, &v);
	assert_string_equal(ct_shape_name(v.shape), "parallel");
	assert_true(v.parallelism < 1.01 && v.wanted > 1.95);
	assert_true(v.others_cpu_share == 0);
	assert_non_null(strstr(v.summary, "the scheduler kept it on fewer CPUs while others idled"));
	two_threads_on_one_cpu(true, &v);
	assert_string_equal(ct_shape_name(v.shape), "parallel");
	assert_true(v.others_cpu_share > 0.45);
	assert_non_null(strstr(v.summary, "the machine was not free"));
}

/* Three CPU-bound threads of its own on one CPU: the program oversubscribes it. */
static void own_threads_oversubscribe(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "oversub"), 1, CT_OPT_SYSCALLS | CT_OPT_WAITS);
	struct ct_model m;
	struct ct_verdict v;

	(void)state;
	for (uint32_t k = 0; k < 3; k++) {
		synth_task(w, 0, 100 + k, 100, "spin");
		synth_wakeup(w, 0, 0, 100 + k, 0, 0);
	}
	for (uint32_t i = 0; i < 30; i++)
		synth_switch(w, 1000 * (uint64_t)i, 0, i ? 100 + (i - 1) % 3 : 0, 100 + i % 3, 0, 1, -1);
	for (uint32_t k = 0; k < 3; k++)
		synth_switch(w, 30000 + k, 0, 100 + (29 + k) % 3, k < 2 ? 100 + (30 + k) % 3 : 0,
			     CT_TASK_DEAD, 0, 60);
	synth_finish(w, 1);
	load(path, &m);
	ct_verdict(&m, &v);
	assert_string_equal(ct_shape_name(v.shape), "oversubscribed");
	assert_true(v.others_cpu_share == 0);
	assert_true(m.own_excess_ns > US(50000));
	ct_model_free(&m);
}

/* The step function, with contention decided after the fact. */
static void levels_settle_exactly(void **state)
{
	struct ct_levels l = {0};

	(void)state;
	ct_levels_start(&l, 100);
	ct_levels_change(&l, 100, 1, 0);	/* [100, 200): 1 thread */
	ct_levels_change(&l, 200, 0, 4);	/* [200, 300): 1 + 4 operations */
	ct_levels_change(&l, 300, -1, -4);	/* [300, 400): nothing */
	ct_levels_change(&l, 400, 2, 0);	/* [400, ...): 2 threads */
	ct_levels_add_past(&l, 150, 350);	/* a wait, contention after all */
	ct_levels_add_past(&l, 250, 260);
	ct_levels_settle(&l, 500);
	/* 1 over [100, 300), 2 over [400, 500); and the waits' 200 and 10. */
	assert_true(l.threads_ns == 200 + 200 + 200 + 10);
	assert_true(l.ops_ns == 400);
	assert_int_equal(l.peak, 1 + 1 + 1 + 4);
	assert_int_equal(l.peak_threads, 3);
	assert_int_equal(l.peak_ops, 4);
	ct_levels_free(&l);
}

static void loops_follow_epoll_ctl(void **state)
{
	struct ct_loops l = {0};

	(void)state;
	ct_loops_ctl(&l, 7, 3, 1, 10, CT_FD_SOCKET);
	ct_loops_ctl(&l, 7, 3, 1, 11, CT_FD_SOCKET);
	ct_loops_ctl(&l, 7, 3, 1, 12, CT_FD_ANON);
	ct_loops_ctl(&l, 8, 3, 1, 10, CT_FD_SOCKET);	/* another process's set 3 */
	assert_int_equal(ct_loops_ops(&l, 7, 3), 2);
	ct_loops_ctl(&l, 7, 3, 3, 11, CT_FD_PIPE);	/* modified: now a pipe */
	assert_int_equal(ct_loops_ops(&l, 7, 3), 1);
	ct_loops_close(&l, 7, 10);
	assert_int_equal(ct_loops_ops(&l, 7, 3), 0);
	assert_int_equal(ct_loops_ops(&l, 8, 3), 1);
	ct_loops_close(&l, 8, 3);	/* the epoll fd itself */
	assert_int_equal(ct_loops_ops(&l, 8, 3), 0);
	ct_loops_ctl(&l, 7, 4, 1, 20, CT_FD_SOCKET);
	ct_loops_drop(&l, 7);
	assert_int_equal(ct_loops_ops(&l, 7, 4), 0);
	ct_loops_free(&l);
}

/*
 * A real trace from before operations were recorded (format 1.0, io_epoll
 * with 16 connections through sh): it loads, says so, and its event loop
 * is one thread in progress, still judged an event loop by where it waits.
 */
static void a_format_1_0_trace_has_no_operations(void **state)
{
	struct ct_model m;
	struct ct_verdict v;
	char err[256] = "";

	(void)state;
	assert_int_equal(ct_replay(FORMAT_1_0_TRACE, &m, NULL, 0, NULL, err, sizeof(err)), 0);
	ct_verdict(&m, &v);
	assert_false(m.ops_known);
	assert_true(m.conc.ops_ns == 0 && m.conc.peak_ops == 0);
	assert_true(v.concurrency > 0.9 && v.concurrency < 1.1);
	assert_int_equal(v.kind, CT_BOUND_IO);
	assert_int_equal(v.shape, CT_SHAPE_EVENT_LOOP);
	assert_consistent(&m);
	ct_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_join_is_idle),
		cmocka_unit_test(a_long_join_is_idle),
		cmocka_unit_test(a_wait_on_an_exit_word_is_idle),
		cmocka_unit_test(contention_is_in_progress),
		cmocka_unit_test(a_long_wait_stops_contending),
		cmocka_unit_test(an_event_loop_stands_for_its_sockets),
		cmocka_unit_test(two_event_loops_are_two),
		cmocka_unit_test(polls_with_and_without_sockets),
		cmocka_unit_test(own_threads_oversubscribe),
		cmocka_unit_test(parallel_work_kept_on_one_cpu),
		cmocka_unit_test(levels_settle_exactly),
		cmocka_unit_test(loops_follow_epoll_ctl),
		cmocka_unit_test(a_format_1_0_trace_has_no_operations),
	};

	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
