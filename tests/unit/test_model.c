/* The model and the verdict, exactly, on synthetic traces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "model.h"
#include "replay.h"
#include "synth.h"
#include "model_check.h"
#include "report.h"
#include "verdict.h"

enum { READ = 0, NANOSLEEP = 35, GETPID = 39, RECVFROM = 45, WAIT4 = 61, RT_SIGSUSPEND = 130, FUTEX = 202,
       EPOLL_WAIT = 232 };
#define S CT_TASK_INTERRUPTIBLE
#define D CT_TASK_UNINTERRUPTIBLE

/* Block `tid` on cpu at t in (state, syscall), wake at w, back on at r. */
static void block(struct ct_writer *w, uint16_t cpu, uint32_t tid, uint64_t t, uint32_t state,
		  int32_t sys, uint64_t wake, uint64_t run)
{
	synth_switch(w, t, cpu, tid, 0, state, 0, sys);
	synth_wakeup(w, wake, cpu, tid, cpu, 0);
	synth_switch(w, run, cpu, 0, tid, 0, 0, -1);
}

static void every_state_and_reason(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "states");
	struct ct_writer *w = synth_open(path, 2);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 100, 100, "main");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	block(w, 0, 100, 100, S, READ, 200, 250);	/* pipe 100, runnable 50 */
	block(w, 0, 100, 300, S, FUTEX, 400, 400);	/* idle: it has barely run (progress.h) */
	block(w, 0, 100, 500, D, READ, 600, 600);	/* disk: uninterruptible */
	block(w, 0, 100, 700, S, RECVFROM, 800, 800);	/* net */
	block(w, 0, 100, 900, S, EPOLL_WAIT, 1000, 1000);	/* poll */
	block(w, 0, 100, 1100, S, NANOSLEEP, 1200, 1200);	/* sleep */
	block(w, 0, 100, 1300, S, WAIT4, 1400, 1400);	/* child */
	block(w, 0, 100, 1500, S, GETPID, 1600, 1600);	/* other */
	synth_switch(w, 1700, 0, 100, 0, 0, 1, -1);	/* preempted: runnable */
	synth_switch(w, 1750, 0, 0, 100, 0, 0, -1);
	synth_exit(w, 1790, 0, 100);
	synth_switch(w, 1800, 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 2);
	load(path, &m);

	const struct ct_thread *t = find(&m, 100);

	assert_true(t->state_ns[CT_ST_RUNNING] == US(900));
	assert_true(t->state_ns[CT_ST_RUNNABLE] == US(100));
	/* Contention needs a hungry thread: test_progress.c has those; nothing was missed. */
	for (int s = CT_ST_DISK; s < CT_ST_COUNT; s++)
		if (t->state_ns[s] != (s == CT_ST_LOCK || s == CT_ST_UNKNOWN ? 0 : US(100)))
			fail_msg("%s: %llu ns", ct_state_name((enum ct_state)s),
				 (unsigned long long)t->state_ns[s]);
	assert_true(t->dead);
	assert_true(m.w_last - m.w_first == US(1800));
	assert_int_equal(m.runq_count, 9);	/* 8 wakeups and a preemption, each a run-queue wait */
	assert_true(m.runq_max == US(50));
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * The kernel's stream misses a switch: a runs on cpu0, then a switch says b
 * (which ran 40 us) leaves it.  One task per CPU: a ran until b's slice
 * began, and is unknown until it is woken; the repair is counted.
 */
static void a_missed_switch_out_is_repaired(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "missed"), 1, CT_OPT_ALL | CT_OPT_SYSCALLS);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 101, 100, "a");
	synth_task(w, 0, 102, 100, "b");
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	synth_switch_ran(w, 100, 0, 102, 0, S, READ, 40);	/* a -> b at 60 was missed */
	synth_wakeup(w, 200, 0, 101, 0, 0);
	synth_switch(w, 210, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 300, 0, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 1);
	load(path, &m);

	const struct ct_thread *a = find(&m, 101), *b = find(&m, 102);

	assert_int_equal(m.repaired, 1);
	assert_true(a->state_ns[CT_ST_RUNNING] == US(60 + 90));
	assert_true(a->state_ns[CT_ST_UNKNOWN] == US(140));
	assert_true(a->state_ns[CT_ST_RUNNABLE] == US(10));
	assert_true(b->state_ns[CT_ST_RUNNING] == US(40));
	assert_int_equal(m.running_peak, 1);
	assert_true(m.cpus[0].workload_ns == US(60 + 40 + 90));
	assert_true(m.cpus[0].idle_ns == US(110));
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * -p: what the tasks were doing when recording began.  101 was blocked in
 * read and has no event for 500 us: pipe from the first instant.  102 was
 * running (R) and its CPU's first switch says so.  103, of another
 * process, is not the workload.  104 had exited (a zombie, not reaped
 * yet): nothing of it is in progress.
 */
static void start_states_date_from_the_first_instant(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open(synth_path(path, "start"), 2);
	struct ct_event e;
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 101, 100, "reader");
	synth_task(w, 0, 102, 100, "worker");
	synth_switch(w, 0, 1, 7, 0, S, 0, -1);	/* the trace starts with another task's switch */
	for (uint32_t tid = 101; tid <= 104; tid++) {
		e = synth_ev(10, CT_EV_START_STATE, tid == 102 ? 0 : 1, tid);
		e.start.tgid = tid == 103 ? 200 : 100;
		e.start.state = tid == 102 ? 0 : tid == 104 ? CT_EXIT_ZOMBIE : CT_TASK_INTERRUPTIBLE;
		e.start.syscall = tid == 102 || tid == 104 ? -1 : READ;
		ctw_event(w, &e);
	}
	synth_switch(w, 300, 0, 102, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, 500, 1, 0, 0, 0, 0, -1);
	synth_finish(w, 2);
	load(path, &m);

	const struct ct_thread *r = find(&m, 101), *k = find(&m, 102);

	assert_true(r->state_ns[CT_ST_PIPE] == US(500));
	assert_true(k->state_ns[CT_ST_RUNNING] == US(300));
	const struct ct_thread *o = ct_model_thread(&m, 103);

	assert_true(!o || !o->workload);
	const struct ct_thread *z = ct_model_thread(&m, 104);

	assert_true(!z || !z->workload);
	assert_consistent(&m);
	ct_model_free(&m);
}

/*
 * Two processes judged each alone.  Process 100's threads 101 and 102 run
 * on both CPUs for 1000 us (its main thread leaves at once); process 200,
 * forked at 0, waits for a CPU until then, and then runs 10 us and reads a
 * pipe 90 us, ten times.  Each verdict is its own: 100 cpu-bound and
 * parallel, 200 io-bound and sequential (its first 1000 us held back by
 * the other process, not its own demand).
 */
static void processes_are_judged_each_alone(void **state)
{
	char path[SYNTH_PATH_LEN], err[256] = "";
	struct ct_writer *w = synth_open(synth_path(path, "judge"), 2);
	struct ct_trace_info info;
	struct ct_report r;
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 100, 100, "par");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_fork(w, 0, 0, 100, 101, 100);
	synth_fork(w, 0, 0, 100, 102, 100);
	synth_fork(w, 0, 0, 100, 200, 200);
	synth_task(w, 0, 101, 100, "par");
	synth_task(w, 0, 102, 100, "par");
	synth_task(w, 0, 200, 200, "reader");
	synth_switch(w, 0, 0, 100, 101, CT_TASK_DEAD, 0, 60);
	synth_switch(w, 0, 1, 0, 102, 0, 0, -1);
	synth_switch(w, 1000, 0, 101, 200, CT_TASK_DEAD, 0, 60);
	synth_switch(w, 1000, 1, 102, 0, CT_TASK_DEAD, 0, 60);
	for (uint64_t t = 1000; t < 2000; t += 100) {
		synth_switch(w, t + 10, 0, 200, 0, S, 0, READ);
		synth_wakeup(w, t + 100, 1, 200, 0, 0);
		synth_switch(w, t + 100, 0, 0, 200, 0, 0, -1);
	}
	synth_switch(w, 2010, 0, 200, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 2);
	assert_int_equal(ct_replay(path, &m, NULL, 0, &info, err, sizeof(err)), 0);
	ct_report_build(&r, &m, &info.meta, &info.summary);
	assert_int_equal(r.nprocs, 2);
	for (size_t readings = 1; readings <= 2; readings++) {	/* one reading for both, or one each */
		for (size_t i = 0; i < r.nprocs; i++)
			r.procs[i].judged = false;
		assert_int_equal(ct_report_judge_processes(&r, path, readings, err, sizeof(err)), 0);
		for (size_t i = 0; i < r.nprocs; i++) {
			const struct ct_process_stat *p = &r.procs[i];

			assert_true(p->judged);
			assert_int_equal(p->kind, p->pid == 100 ? CT_BOUND_CPU : CT_BOUND_IO);
			assert_int_equal(p->shape, p->pid == 100 ? CT_SHAPE_PARALLEL : CT_SHAPE_SEQUENTIAL);
		}
	}
	unlink(path);
	assert_string_equal(r.broken, "");
	ct_report_free(&r);
	ct_model_free(&m);
	ct_trace_info_free(&info);
}

/* a goes on cpu1 while the model has it on cpu0: cpu0 gives it up, counted once. */
static void a_task_on_two_cpus_is_repaired(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_writer *w = synth_open_opts(synth_path(path, "twice"), 2, CT_OPT_ALL);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 101, 100, "a");
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 0, 0, 0, -1);
	synth_switch(w, 50, 1, 0, 101, 0, 0, -1);	/* a's switch away from cpu0 was missed */
	synth_switch(w, 80, 0, 0, 0, 0, 0, -1);
	synth_switch(w, 100, 1, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 2);
	load(path, &m);

	assert_int_equal(m.repaired, 1);
	assert_true(find(&m, 101)->state_ns[CT_ST_RUNNING] == US(100));
	assert_true(m.cpus[0].workload_ns == US(50));
	assert_int_equal(m.running_peak, 1);
	assert_consistent(&m);
	ct_model_free(&m);
}

/* n threads of process 100 (tids 101..) each running on its own CPU for [0, len). */
static void run_threads(struct ct_writer *w, int n, uint64_t len)
{
	synth_task(w, 0, 100, 100, "main");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	for (int i = 0; i < n; i++) {
		synth_fork(w, 0, 0, 100, 101 + (uint32_t)i, 100);
		synth_task(w, 0, 101 + (uint32_t)i, 100, "worker");
	}
	synth_switch(w, 0, 0, 100, 0, S, 0, FUTEX);	/* main joins */
	for (int i = 0; i < n; i++)
		synth_switch(w, 0, (uint16_t)i, 0, 101 + (uint32_t)i, 0, 0, -1);
	for (int i = 0; i < n; i++)
		synth_switch(w, len, (uint16_t)i, 101 + (uint32_t)i, 0, CT_TASK_DEAD, 0, 60);
	synth_wakeup(w, len, 0, 100, 0, 101);
	synth_switch(w, len, 0, 0, 100, 0, 0, -1);
	synth_switch(w, len + 1, 0, 100, 0, CT_TASK_DEAD, 0, 231);
}

static void verdict_of(const char *tag, void (*build)(struct ct_writer *), uint32_t ncpus,
		       const char *kind, const char *shape, struct ct_verdict *v)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, tag);
	struct ct_writer *w = synth_open(path, ncpus);
	struct ct_model m;

	build(w);
	synth_finish(w, ncpus);
	load(path, &m);
	ct_verdict(&m, v);
	assert_consistent(&m);
	if (strcmp(ct_bound_name(v->kind), kind) || strcmp(ct_shape_name(v->shape), shape))
		fail_msg("%s: got %s/%s, want %s/%s: %s", tag, ct_bound_name(v->kind),
			 ct_shape_name(v->shape), kind, shape, v->summary);
	ct_model_free(&m);
}

static void build_parallel(struct ct_writer *w) { run_threads(w, 2, 100000); }

static void cpu_parallel(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("parallel", build_parallel, 2, "cpu-bound", "parallel", &v);
	assert_true(v.parallelism > 1.99 && v.parallelism <= 2.0);
	assert_non_null(strstr(v.summary, "parallel"));
}

static void build_single(struct ct_writer *w) { run_threads(w, 1, 100000); }

static void cpu_single(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("single", build_single, 2, "cpu-bound", "single", &v);
	assert_true(v.parallelism > 0.99 && v.parallelism <= 1.0);
	/* The main thread, joining, is idle: half of all thread time, none of the summary's. */
	assert_true(v.state_share[CT_ST_IDLE] > 0.49 && v.state_share[CT_ST_IDLE] < 0.51);
	assert_non_null(strstr(v.summary, "running 100% of the time its threads were not idle"));
}

/* Two threads take turns on a lock: each runs 1 ms, then waits in futex for the other. */
static void build_serialized(struct ct_writer *w)
{
	synth_task(w, 0, 101, 100, "a");
	synth_task(w, 0, 102, 100, "b");
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 102, 0, 0, -1);
	synth_switch(w, 1, 1, 102, 0, S, 0, FUTEX);	/* b waits for the lock */
	for (int i = 0; i < 100; i++) {
		uint64_t t = 1000 * (uint64_t)(i + 1);
		uint32_t run = i % 2 ? 102 : 101, other = i % 2 ? 101 : 102;
		uint16_t cr = i % 2, co = !(i % 2);

		synth_wakeup(w, t, cr, other, co, run);
		synth_switch(w, t, cr, run, 0, S, 0, FUTEX);
		synth_switch(w, t, co, 0, other, 0, 0, -1);
	}
	synth_switch(w, 101000, 0, 102, 0, CT_TASK_DEAD, 0, 60);
	synth_wakeup(w, 101000, 0, 101, 0, 102);
	synth_switch(w, 101000, 1, 0, 101, 0, 0, -1);
	synth_switch(w, 101001, 1, 101, 0, CT_TASK_DEAD, 0, 60);
}

static void cpu_serialized(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("serialized", build_serialized, 2, "cpu-bound", "serialized", &v);
	assert_true(v.parallelism > 0.98 && v.parallelism < 1.02);
	assert_non_null(strstr(v.summary, "GIL"));
	assert_non_null(strstr(v.summary, "futex"));
}

/*
 * Two threads on their own CPUs take turns holding a lock for 1 us; the
 * one waiting spins for spin_ns first (as a JVM monitor or an adaptive
 * mutex does), then blocks in futex until the holder lets go:
 *
 *   cpu0  a: |==== hold ====|spin|  futex  |==== hold ====|
 *   cpu1  b: |spin|  futex  |==== hold ====|spin|  futex  |
 */
static uint64_t spin_ns;

static void build_spinning_lock(struct ct_writer *w)
{
	synth_task(w, 0, 101, 100, "a");
	synth_task(w, 0, 102, 100, "b");
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 102, 0, 0, -1);
	for (int i = 0; i < 100; i++) {
		uint64_t t = 1000 * (uint64_t)i;
		uint32_t hold = i % 2 ? 102 : 101, wait = i % 2 ? 101 : 102;
		uint16_t ch = i % 2, cw = !(i % 2);

		synth_switch(w, t + spin_ns, cw, wait, 0, S, 0, FUTEX);
		if (i == 99)
			break;
		synth_wakeup(w, t + 1000, ch, wait, cw, hold);
		synth_switch(w, t + 1000, cw, 0, wait, 0, 0, -1);
	}
	synth_switch(w, 100000, 1, 102, 0, CT_TASK_DEAD, 0, 60);
	synth_wakeup(w, 100000, 1, 101, 0, 102);
	synth_switch(w, 100000, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 100001, 0, 101, 0, CT_TASK_DEAD, 0, 60);
}

/*
 * Two workers, each computing 550 us of every 1000 and then reading a disk
 * at the same time as the other: mixed, single on the CPU side, and the
 * summary says their waits overlapped.
 */
static void build_mixed_pool(struct ct_writer *w)
{
	synth_task(w, 0, 101, 101, "a");
	synth_task(w, 0, 102, 101, "b");
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 102, 0, 0, -1);
	for (uint64_t t = 0; t < 40000; t += 1000) {
		for (uint32_t k = 0; k < 2; k++)
			synth_switch(w, t + 550, (uint16_t)k, 101 + k, 0, D, 0, READ);
		for (uint32_t k = 0; k < 2; k++) {
			synth_wakeup(w, t + 1000, (uint16_t)k, 101 + k, k, 0);
			synth_switch(w, t + 1000, (uint16_t)k, 0, 101 + k, 0, 0, -1);
		}
	}
	synth_switch(w, 40000, 0, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, 40000, 1, 102, 0, CT_TASK_DEAD, 0, 60);
}

static void a_mixed_pool_says_its_waits_overlapped(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("mixedpool", build_mixed_pool, 2, "mixed", "single", &v);
	assert_non_null(strstr(v.summary, "Its waits overlapped: 2 or more threads waited at once for 100% of "
				       "the waiting time, mostly on disk."));
}

/*
 * A shell's wait for its background job (dash: rt_sigsuspend until
 * SIGCHLD) waits for its child, as wait4 does; once no child is alive, a
 * sigsuspend is a sleep again.
 */
static void build_shell_wait(struct ct_writer *w)
{
	synth_task(w, 0, 100, 100, "sh");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_fork(w, 10, 0, 100, 101, 101);
	synth_task(w, 10, 101, 101, "job");
	synth_switch(w, 20, 0, 100, 101, S, 0, RT_SIGSUSPEND);	/* sh: wait */
	synth_exit(w, 1000, 0, 101);
	synth_wakeup(w, 1000, 0, 100, 0, 101);		/* SIGCHLD, from the dying job */
	synth_switch(w, 1001, 0, 101, 100, CT_TASK_DEAD, 0, 60);
	block(w, 0, 100, 1100, S, RT_SIGSUSPEND, 1600, 1600);	/* no child: a sleep */
	synth_exit(w, 1700, 0, 100);
	synth_switch(w, 1700, 0, 100, 0, CT_TASK_DEAD, 0, 60);
}

static void check_shell_wait(const struct ct_model *m)
{
	const struct ct_thread *sh = find(m, 100);

	assert_true(sh->state_ns[CT_ST_CHILD] == US(980));
	assert_true(sh->state_ns[CT_ST_SLEEP] == US(500));
	assert_consistent(m);
}

struct focused {
	struct ct_model m;
	uint32_t tgid;
};

static int focus_begin(void *ctx, const struct ct_meta *meta, const struct ct_model *unused)
{
	struct focused *f = ctx;

	(void)unused;
	ct_model_init(&f->m, meta);
	ct_model_focus(&f->m, f->tgid);
	return 0;
}

static void focus_event(void *ctx, const struct ct_model *unused, const struct ct_event *e)
{
	(void)unused;
	ct_model_event(&((struct focused *)ctx)->m, e);
}

static void a_shell_waiting_for_its_job_waits_for_a_child(void **state)
{
	char path[SYNTH_PATH_LEN], err[256] = "";
	struct ct_model m;
	struct focused f = { .tgid = 100 };
	struct ct_replay_pass pass = { .ctx = &f, .begin = focus_begin, .after = focus_event };

	(void)state;
	synth_path(path, "shwait");
	struct ct_writer *w = synth_open(path, 1);

	build_shell_wait(w);
	synth_finish(w, 1);
	/* The whole workload, and the shell judged alone (its job's exit is another process's event). */
	assert_int_equal(ct_replay(path, NULL, &pass, 1, NULL, err, sizeof(err)), 0);
	ct_model_finish(&f.m);
	check_shell_wait(&f.m);
	ct_model_free(&f.m);
	load(path, &m);
	check_shell_wait(&m);
	assert_true(find(&m, 101)->state_ns[CT_ST_RUNNING] == US(981));
	ct_model_free(&m);
}

/*
 * An unfair lock: a holds it and computes on cpu0 throughout; b, on cpu1,
 * gets it for 1.5 ms of every 20 and waits in futex the rest, woken by a.
 * b runs 7.5% of the time, yet wants to run all of it.
 */
static void build_starved(struct ct_writer *w)
{
	const uint64_t cycle = 20000, run = 1500, n = 50;	/* us */

	synth_task(w, 0, 101, 100, "a");
	synth_task(w, 0, 102, 100, "b");
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 102, 0, 0, -1);
	for (uint64_t i = 0; i < n; i++) {
		synth_switch(w, i * cycle + run, 1, 102, 0, S, 0, FUTEX);
		synth_wakeup(w, (i + 1) * cycle, 0, 102, 1, 101);
		synth_switch(w, (i + 1) * cycle, 1, 0, 102, 0, 0, -1);
	}
	synth_switch(w, n * cycle + run, 1, 102, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, n * cycle + run + 1, 0, 101, 0, CT_TASK_DEAD, 0, 60);
}

static void a_thread_starved_by_a_lock_is_serialized(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("starved", build_starved, 2, "cpu-bound", "serialized", &v);
	assert_int_equal(v.hungry, 2);
	assert_true(v.parallelism > 1.0 && v.parallelism < 1.1);
	/* a ran 1.0 s of 1.076: as a pool's dispatcher would, which the summary says */
	assert_non_null(strstr(v.summary, "One thread (tid 101) ran 93% of the CPU time"));
}

/* Spinning 0.4 us of each 1 us turn: parallelism 1.4, yet one at a time. */
static void a_spinning_lock_is_serialized(void **state)
{
	struct ct_verdict v;

	(void)state;
	spin_ns = 400;
	verdict_of("spinlock", build_spinning_lock, 2, "cpu-bound", "serialized", &v);
	assert_true(v.parallelism > 1.35 && v.parallelism < 1.45);
	assert_null(strstr(v.summary, "One thread"));	/* the lock passes between them */
}

/* Spinning 0.6 us of each turn, blocked 0.4: parallelism 1.6 is parallel. */
static void a_lock_at_parallelism_1_6_is_parallel(void **state)
{
	struct ct_verdict v;

	(void)state;
	spin_ns = 600;
	verdict_of("spinlock-par", build_spinning_lock, 2, "cpu-bound", "parallel", &v);
	assert_true(v.parallelism > 1.55 && v.parallelism < 1.65);
}

/* Three threads share one CPU, preempting each other every ms. */
static void build_oversubscribed(struct ct_writer *w)
{
	for (uint32_t i = 0; i < 3; i++) {
		synth_task(w, 0, 101 + i, 100, "spin");
		synth_wakeup(w, 0, 0, 101 + i, 0, 0);
	}
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	for (uint32_t i = 0; i < 99; i++)
		synth_switch(w, 1000 * (i + 1), 0, 101 + i % 3, 101 + (i + 1) % 3, 0, 1, -1);
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t cur = 101 + (99 + i) % 3, nxt = 101 + (100 + i) % 3;

		synth_switch(w, 100000 + i, 0, cur, i < 2 ? nxt : 0, CT_TASK_DEAD, 0, 60);
	}
}

static void cpu_oversubscribed(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("oversub", build_oversubscribed, 1, "cpu-bound", "oversubscribed", &v);
	assert_true(v.state_share[CT_ST_RUNNABLE] > 0.6);
	assert_non_null(strstr(v.summary, "outnumbered the 1 CPU for 100% of the time, 3.0 at once"));
	assert_non_null(strstr(v.summary, "67% of their CPU-hungry time was spent runnable"));
}

/*
 * Two threads share one CPU with another process's task, a ms each in
 * turn: each is runnable two thirds of the time, but while the other
 * process runs, only one of the two waits for its own sibling.
 */
static void build_oversubscribed_busy_machine(struct ct_writer *w)
{
	static const uint32_t turn[3] = { 101, 102, 7 };

	synth_task(w, 0, 101, 100, "worker");
	synth_task(w, 0, 102, 100, "worker");
	synth_task(w, 0, 7, 7, "hog");
	synth_wakeup(w, 0, 0, 102, 0, 0);
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	for (uint32_t i = 0; i < 99; i++)
		synth_switch(w, 1000 * (i + 1), 0, turn[i % 3], turn[(i + 1) % 3], 0, 1, -1);
	synth_switch(w, 100000, 0, 101, 102, CT_TASK_DEAD, 0, 60);
	synth_switch(w, 101000, 0, 102, 0, CT_TASK_DEAD, 0, 60);
}

static void oversubscribed_counts_only_its_own_threads(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("oversub-busy", build_oversubscribed_busy_machine, 1, "cpu-bound", "oversubscribed", &v);
	/* Runnable 2/3 of the hungry time, half of it for the other process's CPU. */
	assert_true(v.state_share[CT_ST_RUNNABLE] > 0.6);
	assert_non_null(strstr(v.summary, "50% of their CPU-hungry time was spent runnable"));
	assert_non_null(strstr(v.summary, "other processes held 3"));
}

/* One workload thread on one CPU, preempted by another process half of the time. */
static void build_busy_machine(struct ct_writer *w)
{
	synth_task(w, 0, 100, 100, "victim");
	synth_task(w, 0, 7, 7, "hog");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	for (uint32_t i = 0; i < 100; i++) {
		uint64_t t = 1000 * (uint64_t)i;

		synth_switch(w, t + 500, 0, 100, 7, 0, 1, -1);	/* preempted by the hog */
		synth_switch(w, t + 1000, 0, 7, 100, 0, 1, -1);
	}
	synth_switch(w, 100001, 0, 100, 0, CT_TASK_DEAD, 0, 60);
}

static void busy_machine_is_blamed_on_others(void **state)
{
	struct ct_verdict v;

	(void)state;
	/* Waiting for CPUs that other processes hold is not the program's shape: it is said apart. */
	verdict_of("busy", build_busy_machine, 1, "cpu-bound", "single", &v);
	assert_non_null(strstr(v.summary, "other processes held 50%"));
	assert_true(v.others_cpu_share > 0.49 && v.others_cpu_share < 0.51);
	assert_true(v.waiting_for_others_s > 0.049 && v.waiting_for_others_s < 0.051);
}

/*
 * A task preempted after it exited (its exit state already set, as the
 * kernel records it from exit_notify() on) runs again to finish dying: one
 * thread, whose life ends at its last switch, in TASK_DEAD.
 */
static void preempted_while_dying_is_one_thread(void **state)
{
	char path[SYNTH_PATH_LEN];
	struct ct_model m;

	(void)state;
	synth_path(path, "dying");
	struct ct_writer *w = synth_open(path, 1);

	synth_task(w, 0, 100, 100, "dying");
	synth_task(w, 0, 7, 7, "other");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_exit(w, 100, 0, 100);
	synth_switch(w, 150, 0, 100, 7, CT_EXIT_ZOMBIE, 1, 231);	/* preempted in exit_group */
	synth_switch(w, 200, 0, 7, 100, 0, 1, -1);
	synth_switch(w, 300, 0, 100, 0, CT_TASK_DEAD | CT_EXIT_ZOMBIE, 0, 231);
	synth_finish(w, 1);
	load(path, &m);
	assert_int_equal(ct_model_workload_threads(&m), 1);
	assert_int_equal(find(&m, 100)->last, SYNTH_T0 + US(300));
	assert_string_equal(ct_state_str((CT_TASK_DEAD | CT_EXIT_ZOMBIE) << 1), "Z");
	assert_string_equal(ct_state_str(CT_EXIT_ZOMBIE << 1 | CT_STATE_PREEMPTED), "R+");
	ct_model_free(&m);
}

/*
 * Two threads, one per CPU, on a VM whose host steals 40% of their time:
 * a runs all along, b waits 300 us for the lock a hands over, then runs.
 * By the clock 1.7 CPUs are busy and the lock is 15% of it; by the
 * kernel's account (steal excluded) they got 1.02 CPUs and the lock is
 * 23%: serialized, as on a machine without steal.
 */
static uint64_t stolen_lock_wait_us = 300;

static void build_stolen_lock(struct ct_writer *w)
{
	uint64_t wait = stolen_lock_wait_us;

	synth_task(w, 0, 101, 100, "a");
	synth_task(w, 0, 102, 100, "b");
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 102, 0, 0, -1);
	synth_switch(w, 1, 1, 102, 0, S, 0, FUTEX);
	for (uint32_t i = 0; i < 100; i++) {
		uint64_t t = 1000 * (uint64_t)i;
		struct ct_event e = synth_ev(t + 1000, CT_EV_SWITCH, 0, 101);

		synth_wakeup(w, t + wait, 0, 102, 1, 101);
		synth_switch(w, t + wait, 1, 0, 102, 0, 0, -1);
		synth_switch_ran(w, t + 1000, 1, 102, 0, S, FUTEX, (1000 - wait) * 6 / 10);	/* 40% stolen */
		e.sw.prev_state = CT_STATE_PREEMPTED;	/* a: 1000 us by the clock, 600 by the kernel */
		e.sw.prev_runtime = US(600);
		e.sw.next_tid = 101;
		ctw_event(w, &e);
	}
	synth_switch(w, 100001, 0, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_wakeup(w, 100001, 0, 102, 1, 101);
	synth_switch(w, 100002, 1, 0, 102, 0, 0, -1);
	synth_switch(w, 100003, 1, 102, 0, CT_TASK_DEAD, 0, 60);
}

static void lock_share_is_of_what_the_kernel_ran(void **state)
{
	struct ct_verdict v;

	(void)state;
	stolen_lock_wait_us = 300;
	verdict_of("stolen-lock", build_stolen_lock, 2, "cpu-bound", "serialized", &v);
	assert_true(v.parallelism > 1.0 && v.parallelism < 1.05);
	/*
	 * A 150 us wait is 11% of what the kernel ran: on a machine of its own
	 * too little, but a host taking 40% is a busy machine, where half the
	 * contention counts (holders lose their CPU holding the lock).
	 */
	stolen_lock_wait_us = 150;
	verdict_of("stolen-lock-busy", build_stolen_lock, 2, "cpu-bound", "serialized", &v);
	assert_non_null(strstr(v.summary, "11%"));
}

/*
 * A disk loop on one CPU beside a hog: each 1000 us it runs 20, waits 300
 * in fsync, then stays runnable 680 while the hog holds the CPU.
 */
static void build_held_back_io(struct ct_writer *w)
{
	synth_task(w, 0, 100, 100, "fsync");
	synth_task(w, 0, 7, 7, "hog");
	for (uint32_t i = 0; i < 100; i++) {
		uint64_t t = 1000 * (uint64_t)i;

		synth_switch(w, t, 0, i ? 7 : 0, 100, 0, 1, -1);
		synth_block(w, t + 20, 0, 100, D, 74, 0);
		synth_switch(w, t + 20, 0, 0, 7, 0, 0, -1);
		synth_wakeup(w, t + 320, 0, 100, 0, 0);
	}
	synth_switch(w, 100000, 0, 7, 100, 0, 1, -1);
	synth_switch(w, 100001, 0, 100, 0, CT_TASK_DEAD, 0, 60);
}

static void held_back_io_is_io(void **state)
{
	struct ct_verdict v;

	(void)state;
	/* Waits for CPUs others held are neither computing nor the program's own waiting. */
	verdict_of("held-back", build_held_back_io, 1, "io-bound", "sequential", &v);
	assert_true(v.held_back_share > 0.67 && v.held_back_share < 0.69);
	assert_true(v.busy_share > 0.05 && v.busy_share < 0.08);
	assert_non_null(strstr(v.summary, "machine was busy"));
}

/*
 * One thread, on a CPU 600 us of every 1000 by the clock, the kernel
 * counting `cpu_us` of it; the rest blocked in fsync (uninterruptible).
 */
static void stolen_cycles(struct ct_writer *w, uint64_t cpu_us)
{
	synth_task(w, 0, 100, 100, "victim");
	for (int i = 0; i < 100; i++) {
		uint64_t t = 1000 * (uint64_t)i;
		struct ct_event e = synth_ev(t + 600, CT_EV_SWITCH, 0, 100);

		synth_switch(w, t, 0, 0, 100, 0, 0, -1);
		e.sw.prev_state = D << 1;
		e.sw.prev_syscall = 74;	/* fsync */
		e.sw.prev_runtime = US(cpu_us);
		ctw_event(w, &e);
		synth_wakeup(w, t + 1000, 0, 100, 0, 0);
	}
	synth_switch(w, 100000, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 100001, 0, 100, 0, CT_TASK_DEAD, 0, 60);
}

/* "Running" 60% by the clock, computing 10%: the host did the I/O with the vCPU stopped. */
static void build_stolen_io(struct ct_writer *w) { stolen_cycles(w, 100); }

static void steal_during_io_is_io(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("stolen-io", build_stolen_io, 1, "io-bound", "sequential", &v);
	assert_true(v.busy_share > 0.59 && v.busy_share < 0.61);
	assert_true(v.computing_share > 0.09 && v.computing_share < 0.11);
}

/* Two threads busy all the time by the clock, the kernel counting `cpu_us` of every 1000. */
static void stolen_spin(struct ct_writer *w, uint64_t cpu_us)
{
	synth_task(w, 0, 101, 100, "spin");
	synth_task(w, 0, 102, 100, "spin");
	synth_switch(w, 0, 0, 0, 101, 0, 0, -1);
	synth_switch(w, 0, 1, 0, 102, 0, 0, -1);
	for (uint32_t i = 1; i <= 100; i++) {
		for (uint16_t c = 0; c < 2; c++) {
			struct ct_event e = synth_ev(1000 * (uint64_t)i, CT_EV_SWITCH, c, 101 + c);

			e.sw.prev_state = CT_STATE_PREEMPTED;	/* preempted, straight back on */
			e.sw.prev_runtime = US(cpu_us);
			e.sw.next_tid = 101 + c;
			ctw_event(w, &e);
		}
	}
	synth_switch(w, 100001, 0, 101, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, 100001, 1, 102, 0, CT_TASK_DEAD, 0, 60);
}

/* The host steals 30%: still CPU-bound. */
static void build_stolen_cpu(struct ct_writer *w) { stolen_spin(w, 700); }
/* The host steals 55%: computing 45% of the wall, waiting never; still CPU-bound. */
static void build_stolen_most_cpu(struct ct_writer *w) { stolen_spin(w, 450); }

static void steal_during_cpu_is_cpu(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("stolen-cpu", build_stolen_cpu, 2, "cpu-bound", "parallel", &v);
	assert_true(v.computing_share > 0.69 && v.computing_share < 0.71);
}

/*
 * Time the host stole is neither computing nor waiting: a program that
 * never waited is not I/O-bound however much of its time was stolen.
 */
static void steal_of_most_cpu_time_is_cpu(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("stolen-most-cpu", build_stolen_most_cpu, 2, "cpu-bound", "parallel", &v);
	assert_true(v.computing_share > 0.44 && v.computing_share < 0.46);
}

/*
 * A fetcher waits 790 us on the network for each item, then wakes a worker
 * that runs 800 us by the clock, 600 of them by the kernel's account: the
 * host stole 200 us of every item while the fetcher waited.  Who wakes the
 * worker is woken_by: the fetcher (its work is fed by the network), or a
 * timer (it computes on its own, the fetcher beside it).
 *
 *   fetcher  |run|[------- net, woken by a packet ---------)|run|
 *   worker        |=========== 600 run + 200 stolen ====|  futex
 */
static void fed_worker(struct ct_writer *w, bool fed)
{
	synth_task(w, 0, 100, 100, "fetcher");
	synth_task(w, 0, 101, 100, "worker");
	for (uint64_t i = 0; i < 100; i++) {
		uint64_t t = 1000 * i;

		synth_waking(w, t, 0, 100, 0, CT_WAKER_NET);
		synth_switch(w, t, 0, 0, 100, 0, 0, -1);
		synth_waking(w, t + 5, fed ? 0 : 1, 101, fed ? 100 : 0, fed ? CT_WAKER_TASK : CT_WAKER_TIMER);
		synth_switch_ran(w, t + 10, 0, 100, 0, S, RECVFROM, 10);
		synth_switch(w, t + 10, 1, 0, 101, 0, 0, -1);
		synth_switch_ran(w, t + 810, 1, 101, 0, S, FUTEX, 600);
	}
	synth_switch(w, 100000, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 100001, 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, 100001, 1, 0, 101, 0, 0, -1);
	synth_switch(w, 100002, 1, 101, 0, CT_TASK_DEAD, 0, 60);
}

static void build_fed_worker(struct ct_writer *w) { fed_worker(w, true); }
static void build_lone_worker(struct ct_writer *w) { fed_worker(w, false); }

/* Stolen while the network set the pace was waiting: 60% computing, 40% waiting. */
static void steal_while_fed_by_io_is_waiting(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("stolen-fed", build_fed_worker, 2, "mixed", "single", &v);
	assert_true(v.busy_share > 0.80 && v.busy_share < 0.82);
	assert_true(v.computing_share > 0.60 && v.computing_share < 0.62);
	assert_true(v.stolen_waiting_share > 0.19 && v.stolen_waiting_share < 0.21);
}

/* The same steal from a worker nothing feeds stays the machine's: still CPU-bound. */
static void steal_beside_io_stays_neither(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("stolen-lone", build_lone_worker, 2, "cpu-bound", "single", &v);
	assert_true(v.stolen_waiting_share < 0.001);
}

/* One thread: 10 us of work, then 990 us asleep in `sys`, 100 times. */
static void waits(struct ct_writer *w, uint32_t tid, uint16_t cpu, int32_t sys, uint64_t t0)
{
	for (int i = 0; i < 100; i++) {
		uint64_t t = t0 + 1000 * (uint64_t)i;

		synth_switch(w, t, cpu, 0, tid, 0, 0, -1);
		synth_switch(w, t + 10, cpu, tid, 0, S, 0, sys);
		synth_wakeup(w, t + 1000, cpu, tid, cpu, 0);
	}
	synth_switch(w, t0 + 100000, cpu, 0, tid, 0, 0, -1);
	synth_switch(w, t0 + 100001, cpu, tid, 0, CT_TASK_DEAD, 0, 60);
}

static void build_sequential(struct ct_writer *w)
{
	synth_task(w, 0, 100, 100, "sleeper");
	waits(w, 100, 0, NANOSLEEP, 0);
}

static void io_sequential(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("sequential", build_sequential, 2, "io-bound", "sequential", &v);
	assert_true(v.parallelism < 0.02);
	assert_non_null(strstr(v.summary, "nanosleep"));
}

static void build_event_loop(struct ct_writer *w)
{
	synth_task(w, 0, 100, 100, "loop");
	waits(w, 100, 0, EPOLL_WAIT, 0);
}

static void io_event_loop(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("evloop", build_event_loop, 2, "io-bound", "event-loop", &v);
	assert_non_null(strstr(v.summary, "epoll_wait"));
}

/* Two threads of one process, each waiting on the network at the same time. */
static void build_threaded(struct ct_writer *w)
{
	synth_task(w, 0, 100, 100, "client");
	synth_task(w, 0, 101, 100, "client");
	/* Interleave two wait loops in time order. */
	for (int i = 0; i < 100; i++) {
		uint64_t t = 1000 * (uint64_t)i;

		synth_switch(w, t, 0, 0, 100, 0, 0, -1);
		synth_switch(w, t + 1, 1, 0, 101, 0, 0, -1);
		synth_switch(w, t + 10, 0, 100, 0, S, 0, RECVFROM);
		synth_switch(w, t + 11, 1, 101, 0, S, 0, RECVFROM);
		synth_wakeup(w, t + 1000, 0, 100, 0, 0);
		synth_wakeup(w, t + 1000, 1, 101, 1, 0);
	}
	synth_switch(w, 100000, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 100000, 1, 0, 101, 0, 0, -1);
	synth_switch(w, 100001, 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_switch(w, 100001, 1, 101, 0, CT_TASK_DEAD, 0, 60);
}

static void io_threaded(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("threaded", build_threaded, 2, "io-bound", "threaded", &v);
	assert_non_null(strstr(v.summary, "recvfrom"));
	assert_true(v.concurrency > 1.9);
}

/* Work 60% of the time, sleep the rest: neither CPU- nor I/O-bound. */
static void build_mixed(struct ct_writer *w)
{
	synth_task(w, 0, 100, 100, "half");
	for (int i = 0; i < 100; i++) {
		uint64_t t = 1000 * (uint64_t)i;

		synth_switch(w, t, 0, 0, 100, 0, 0, -1);
		synth_switch(w, t + 600, 0, 100, 0, S, 0, NANOSLEEP);
		synth_wakeup(w, t + 1000, 0, 100, 0, 0);
	}
	synth_switch(w, 100000, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 100001, 0, 100, 0, CT_TASK_DEAD, 0, 60);
}

static void mixed_takes_larger_part(void **state)
{
	struct ct_verdict v;

	(void)state;
	verdict_of("mixed", build_mixed, 2, "mixed", "single", &v);
	assert_non_null(strstr(v.summary, "Mixed"));
}

/* A thread running before the recording began, seen first leaving its CPU. */
static void pre_existing_thread(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "pre");
	struct ct_writer *w = synth_open(path, 2);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 7, 7, "other");
	synth_switch(w, 0, 1, 0, 7, 0, 0, -1);		/* trace starts at 0 on cpu 1 */
	synth_task(w, 500, 100, 100, "old");
	synth_switch(w, 500, 0, 100, 0, S, 0, READ);	/* first sight of 100 */
	synth_wakeup(w, 700, 0, 100, 0, 7);
	synth_switch(w, 800, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 900, 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 2);
	load(path, &m);

	const struct ct_thread *t = find(&m, 100);

	assert_true(t->first == SYNTH_T0);	/* ran since the trace began */
	assert_true(t->state_ns[CT_ST_RUNNING] == US(600));
	assert_true(t->state_ns[CT_ST_PIPE] == US(200));
	assert_true(t->state_ns[CT_ST_RUNNABLE] == US(100));
	assert_true(m.cpus[1].other_ns == US(900));	/* pid 7 is not the workload */
	assert_consistent(&m);
	ct_model_free(&m);
}

/* Drops: a switch-in on another CPU without the switch-out, then a lost record. */
static void lost_events_degrade_gracefully(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "lost");
	struct ct_writer *w = synth_open(path, 2);
	struct ct_model m;
	struct ct_event e = synth_ev(300, CT_EV_LOST, 0, 0);

	(void)state;
	e.lost.count = 42;
	synth_task(w, 0, 100, 100, "hop");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	ctw_event(w, &e);
	synth_switch(w, 400, 1, 0, 100, 0, 0, -1);	/* its switch-out on cpu 0 was lost */
	synth_switch(w, 500, 1, 100, 0, S, 0, FUTEX);
	synth_wakeup(w, 600, 1, 100, 1, 0);
	synth_switch(w, 600, 1, 0, 100, 0, 0, -1);
	synth_switch(w, 700, 1, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 2);
	load(path, &m);
	assert_int_equal(m.lost, 42);
	const struct ct_thread *t = find(&m, 100);

	assert_true(t->state_ns[CT_ST_RUNNING] == US(600));
	assert_true(t->state_ns[CT_ST_IDLE] == US(100));	/* a futex wait of a thread that barely ran */
	assert_consistent(&m);
	ct_model_free(&m);
}

static void syscalls_aggregate(void **state)
{
	char path[SYNTH_PATH_LEN];

	synth_path(path, "sys");
	struct ct_writer *w = synth_open(path, 1);
	struct ct_model m;

	(void)state;
	synth_task(w, 0, 100, 100, "io");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_sys(w, 10, 20, 0, 100, READ, 5);
	synth_sys(w, 30, 60, 0, 100, READ, 5);
	synth_sys(w, 70, 71, 0, 100, GETPID, 100);
	synth_switch(w, 100, 0, 100, 0, CT_TASK_DEAD, 0, 60);
	synth_finish(w, 1);
	load(path, &m);
	assert_int_equal(m.sys[READ].count, 2);
	assert_true(m.sys[READ].total_ns == US(40));
	assert_true(m.sys[READ].max_ns == US(30));
	assert_int_equal(m.sys[GETPID].count, 1);
	ct_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_state_and_reason),
		cmocka_unit_test(a_missed_switch_out_is_repaired),
		cmocka_unit_test(a_task_on_two_cpus_is_repaired),
		cmocka_unit_test(start_states_date_from_the_first_instant),
		cmocka_unit_test(processes_are_judged_each_alone),
		cmocka_unit_test(cpu_parallel),
		cmocka_unit_test(cpu_single),
		cmocka_unit_test(cpu_serialized),
		cmocka_unit_test(a_spinning_lock_is_serialized),
		cmocka_unit_test(a_thread_starved_by_a_lock_is_serialized),
		cmocka_unit_test(a_shell_waiting_for_its_job_waits_for_a_child),
		cmocka_unit_test(a_mixed_pool_says_its_waits_overlapped),
		cmocka_unit_test(a_lock_at_parallelism_1_6_is_parallel),
		cmocka_unit_test(cpu_oversubscribed),
		cmocka_unit_test(oversubscribed_counts_only_its_own_threads),
		cmocka_unit_test(busy_machine_is_blamed_on_others),
		cmocka_unit_test(held_back_io_is_io),
		cmocka_unit_test(lock_share_is_of_what_the_kernel_ran),
		cmocka_unit_test(preempted_while_dying_is_one_thread),
		cmocka_unit_test(steal_during_io_is_io),
		cmocka_unit_test(steal_during_cpu_is_cpu),
		cmocka_unit_test(steal_of_most_cpu_time_is_cpu),
		cmocka_unit_test(steal_while_fed_by_io_is_waiting),
		cmocka_unit_test(steal_beside_io_stays_neither),
		cmocka_unit_test(io_sequential),
		cmocka_unit_test(io_event_loop),
		cmocka_unit_test(io_threaded),
		cmocka_unit_test(mixed_takes_larger_part),
		cmocka_unit_test(pre_existing_thread),
		cmocka_unit_test(lost_events_degrade_gracefully),
		cmocka_unit_test(syscalls_aggregate),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
