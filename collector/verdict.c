#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "verdict.h"

static const char *const bound_names[] = {
	[CT_BOUND_CPU] = "cpu-bound", [CT_BOUND_IO] = "io-bound", [CT_BOUND_MIXED] = "mixed",
};

static const char *const shape_names[] = {
	[CT_SHAPE_SINGLE] = "single", [CT_SHAPE_PARALLEL] = "parallel",
	[CT_SHAPE_SERIALIZED] = "serialized", [CT_SHAPE_OVERSUBSCRIBED] = "oversubscribed",
	[CT_SHAPE_SEQUENTIAL] = "sequential", [CT_SHAPE_THREADED] = "threaded",
	[CT_SHAPE_EVENT_LOOP] = "event-loop",
};

const char *ct_bound_name(enum ct_bound b)
{
	return (unsigned)b < sizeof(bound_names) / sizeof(bound_names[0]) ? bound_names[b] : "?";
}

const char *ct_shape_name(enum ct_shape s)
{
	return (unsigned)s < sizeof(shape_names) / sizeof(shape_names[0]) ? shape_names[s] : "?";
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

/* The syscall in which most time was spent blocked for this reason (any call can wait on disk). */
static const char *top_syscall(const struct ct_model *m, enum ct_state reason)
{
	uint64_t best = 0;
	int nr = -1;

	for (int i = 0; i < m->nsys - 1; i++) {
		if (reason != CT_ST_DISK && ct_classify_block(CT_TASK_INTERRUPTIBLE, i) != reason)
			continue;
		uint64_t ns = reason == CT_ST_DISK ? m->sys[i].disk_ns : m->sys[i].blocked_ns;

		if (ns > best) {
			best = ns;
			nr = i;
		}
	}
	const char *name = nr >= 0 ? ct_syscall_name(nr) : NULL;

	return name ? name : ct_state_name(reason);
}

static enum ct_state largest_wait(const struct ct_verdict *v)
{
	enum ct_state best = CT_ST_OTHER;

	for (int s = CT_ST_DISK; s < CT_ST_COUNT; s++)
		if (ct_state_is_io_wait((enum ct_state)s) && v->state_share[s] > v->state_share[best])
			best = (enum ct_state)s;
	return best;
}

/* Share of all poll time spent by the thread that polled most. */
static double poll_concentration(const struct ct_model *m)
{
	uint64_t total = 0, top = 0;

	for (size_t i = 0; i < m->nthreads; i++) {
		uint64_t p = m->threads[i].workload ? m->threads[i].state_ns[CT_ST_POLL] : 0;

		total += p;
		if (p > top)
			top = p;
	}
	return ratio((double)top, (double)total);
}

/* The busiest event loop (the most operations x time): its mean operations while it stood for any. */
static double loop_ops(const struct ct_model *m)
{
	const struct ct_thread *best = NULL;

	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];

		if (t->workload && t->ops_ns && (!best || t->ops_ns > best->ops_ns))
			best = t;
	}
	return best ? ratio((double)best->ops_ns, (double)best->loop_ns) : 0;
}

/* Threads that were event loops themselves: >= CT_EVENT_LOOP_OPS operations on average while they stood for any. */
static uint32_t event_loops(const struct ct_model *m)
{
	uint32_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];

		n += t->workload && t->loop_ns && ratio((double)t->ops_ns, (double)t->loop_ns) >= CT_EVENT_LOOP_OPS;
	}
	return n;
}

/*
 * Time t wanted a CPU: running, runnable, or contending for a lock (a
 * thread an unfair lock starves runs little, yet wants to run throughout).
 */
static uint64_t wanted_cpu_ns(const struct ct_thread *t)
{
	return t->state_ns[CT_ST_RUNNING] + t->state_ns[CT_ST_RUNNABLE] + t->state_ns[CT_ST_LOCK];
}

/* Others held the CPUs, or the host did (it took that share of the workload's time on a CPU). */
static bool machine_busy(const struct ct_verdict *v)
{
	return v->others_cpu_share >= CT_BUSY_MACHINE_MIN || 1 - v->kernel_share >= CT_BUSY_MACHINE_MIN;
}

static enum ct_shape cpu_shape(const struct ct_model *m, const struct ct_verdict *v, double *lock_share)
{
	double running = (double)ct_model_total_ns(m, CT_ST_RUNNING);
	double runnable = (double)ct_model_total_ns(m, CT_ST_RUNNABLE);
	double lock = (double)ct_model_total_ns(m, CT_ST_LOCK);
	double busy_ns = running + runnable;
	/* Waits for CPUs other processes held are the machine's, not the program's demand. */
	double own_runnable = runnable > (double)m->others_wait_ns ? runnable - (double)m->others_wait_ns : 0;

	/* What ran, by the kernel's account: time the hypervisor stole is in the clock's running, not the program's work. */
	*lock_share = ratio(lock, running * v->kernel_share + own_runnable + lock);
	if (ratio((double)m->own_excess_ns, busy_ns) >= CT_OVERSUBSCRIBED_MIN)
		return CT_SHAPE_OVERSUBSCRIBED;
	/*
	 * Before parallelism, measured or wanted: threads that spin a while
	 * before they block on a lock (a JVM's monitors) run on a second CPU
	 * without getting further, and threads preempted while holding it on a
	 * busy machine want CPUs the lock would not let them use.  There, a
	 * waiter's lock waits turn into waits for a CPU (woken by the holder
	 * into a queue other processes keep long): half the contention counts.
	 */
	double need = machine_busy(v) ? CT_SERIALIZED_MIN / 2 : CT_SERIALIZED_MIN;

	if (v->hungry >= 2 && *lock_share >= need && v->parallelism < CT_SERIALIZED_PAR_MAX)
		return CT_SHAPE_SERIALIZED;
	if (v->parallelism >= CT_PARALLEL_MIN || v->wanted >= CT_PARALLEL_MIN)
		return CT_SHAPE_PARALLEL;
	return CT_SHAPE_SINGLE;
}

/* Share of the waiting time during which 2 or more threads waited at once. */
static double waits_overlap(const struct ct_model *m)
{
	return ratio((double)m->waiting_multi_ns, (double)m->waiting_any_ns);
}

static enum ct_shape io_shape(const struct ct_model *m, const struct ct_verdict *v)
{
	if (m->ops_known ? v->loop_ops >= CT_EVENT_LOOP_OPS
			 : largest_wait(v) == CT_ST_POLL && poll_concentration(m) >= CT_EVENT_LOOP_MIN)
		return CT_SHAPE_EVENT_LOOP;
	if (waits_overlap(m) >= CT_THREADED_MIN)
		return CT_SHAPE_THREADED;
	return CT_SHAPE_SEQUENTIAL;
}

/* Share of all CPU time that went to processes outside the workload. */
static double others_share(const struct ct_model *m)
{
	double other = 0, all = 0;

	for (uint32_t c = 0; c < m->ncpus; c++) {
		other += (double)m->cpus[c].other_ns;
		all += (double)(m->cpus[c].other_ns + m->cpus[c].workload_ns + m->cpus[c].idle_ns);
	}
	return ratio(other, all);
}

/* The workload thread that ran the most, and its share of all the workload's running. */
static const struct ct_thread *top_runner(const struct ct_model *m, double *share)
{
	const struct ct_thread *top = NULL;
	uint64_t all = 0;

	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];

		if (!t->workload)
			continue;
		all += t->state_ns[CT_ST_RUNNING];
		if (!top || t->state_ns[CT_ST_RUNNING] > top->state_ns[CT_ST_RUNNING])
			top = t;
	}
	*share = top ? ratio((double)top->state_ns[CT_ST_RUNNING], (double)all) : 0;
	return top;
}

/*
 * How far its own threads outnumbered the CPUs: for how long, how many
 * wanted one then, and the share of their CPU-hungry time spent waiting
 * for CPUs the workload itself held (a wait for another process's CPU is
 * the Contention line's, a wake-up's delivery to an idle CPU neither).
 */
static void oversubscribed(const struct ct_model *m, const struct ct_verdict *v, char *out, size_t len)
{
	double hungry = (double)(ct_model_total_ns(m, CT_ST_RUNNING) + ct_model_total_ns(m, CT_ST_RUNNABLE));

	snprintf(out, len, "Its threads wanting a CPU outnumbered the %u CPU%s for %.0f%% of the time, %.1f at "
		 "once on average then: %.0f%% of their CPU-hungry time was spent runnable, waiting for CPUs its "
		 "own threads held (run-queue p99 %.2f ms); parallelism %.2f.", m->ncpus, m->ncpus == 1 ? "" : "s",
		 100 * ratio((double)m->over_ns / 1e9, ct_model_wall_s(m)), m->ncpus + ratio((double)m->own_excess_ns, (double)m->over_ns),
		 100 * ratio((double)m->own_excess_ns, hungry), (double)ct_model_runq_percentile(m, 0.99) / 1e6,
		 v->parallelism);
}

/*
 * Lock waiters starved by one thread that runs throughout, and a pool's
 * workers handed short tasks by one thread that runs throughout, look the
 * same to the scheduler: woken by it, running a moment, blocking in futex
 * again.  Said where it could be either.
 */
static void serialized_by_one(const struct ct_model *m, char *out, size_t len)
{
	double share;
	const struct ct_thread *top = top_runner(m, &share);
	size_t used = strlen(out);

	if (top && share >= CT_ONE_RUNNER_MIN)
		snprintf(out + used, len - used, " One thread (tid %" PRIu32 ") ran %.0f%% of the CPU time: "
			 "if the others are a pool it hands short tasks (a runtime's helpers) rather than "
			 "threads kept off its lock, the work is single-threaded at heart.", top->tid, 100 * share);
}

static void explain_shape(const struct ct_model *m, struct ct_verdict *v, double lock_share,
			  char *out, size_t len)
{
	const double *s = v->active_share;
	uint32_t threads = ct_model_workload_threads(m), procs = ct_model_processes(m);
	enum ct_state wait = largest_wait(v);

	switch (v->shape) {
	case CT_SHAPE_PARALLEL:
		if (v->parallelism < CT_PARALLEL_MIN)
			snprintf(out, len, "%u threads in %u process%s wanted %.2f CPUs on average but "
				 "got %.2f (peak %u of %u CPUs): the work is parallel, %s.",
				 threads, procs, procs == 1 ? "" : "es", v->wanted, v->parallelism,
				 m->running_peak, m->ncpus, machine_busy(v)
				 ? "the machine was not free"
				 : "but the scheduler kept it on fewer CPUs while others idled (CPU affinity, "
				   "cgroup limits or imbalance)");
		else
			snprintf(out, len, "%u threads in %u process%s kept %.2f CPUs busy on average "
				 "(peak %u of %u CPUs), running %.0f%% of the time they were not idle: the work "
				 "runs in parallel.",
				 threads, procs, procs == 1 ? "" : "es", v->parallelism, m->running_peak,
				 m->ncpus, 100 * s[CT_ST_RUNNING]);
		break;
	case CT_SHAPE_SERIALIZED:
		snprintf(out, len, "%u threads wanted the CPU, but parallelism stayed at %.2f on %u CPUs; "
			 "%.0f%% of their CPU-hungry time was spent waiting in %s: serialized by a lock "
			 "(a mutex, a monitor, Python's GIL).", v->hungry, v->parallelism, m->ncpus, 100 * lock_share,
			 top_syscall(m, CT_ST_LOCK));
		serialized_by_one(m, out, len);
		break;
	case CT_SHAPE_OVERSUBSCRIBED:
		oversubscribed(m, v, out, len);
		break;
	case CT_SHAPE_SINGLE:
		snprintf(out, len, "One thread at a time did the work: parallelism %.2f on %u CPUs, running "
			 "%.0f%% of the time its threads were not idle.", v->parallelism, m->ncpus,
			 100 * s[CT_ST_RUNNING]);
		break;
	case CT_SHAPE_EVENT_LOOP:
		if (v->loops >= 2)
			snprintf(out, len, "%u threads each multiplexed operations in %s, %.1f in flight on "
				 "average in the busiest; concurrency %.2f, parallelism %.2f.", v->loops,
				 top_syscall(m, CT_ST_POLL), v->loop_ops, v->concurrency, v->parallelism);
		else if (m->ops_known)
			snprintf(out, len, "One thread multiplexed %.1f operations in flight on average in "
				 "%s; concurrency %.2f, parallelism %.2f.", v->loop_ops,
				 top_syscall(m, CT_ST_POLL), v->concurrency, v->parallelism);
		else
			snprintf(out, len, "One thread multiplexed its waits in %s (%.0f%% of thread time "
				 "not idle in poll); parallelism %.2f.", top_syscall(m, CT_ST_POLL),
				 100 * s[CT_ST_POLL], v->parallelism);
		break;
	case CT_SHAPE_THREADED:
		snprintf(out, len, "%u threads; 2 or more waited at the same time for %.0f%% of the waiting "
			 "time, mostly on %s in %s (%.0f%% of thread time not idle); parallelism %.2f, "
			 "concurrency %.2f.", threads, 100 * waits_overlap(m),
			 ct_state_name(wait), top_syscall(m, wait), 100 * s[wait], v->parallelism,
			 v->concurrency);
		break;
	default:
		snprintf(out, len, "One wait at a time: %.0f%% of thread time not idle waiting on %s (mostly in "
			 "%s); parallelism %.2f.", 100 * s[wait], ct_state_name(wait), top_syscall(m, wait),
			 v->parallelism);
	}
}

/*
 * A mixed program is shaped by its CPU side; where its waits overlapped,
 * that is said too (the I/O side's shape), so that a worker pool waiting
 * on a disk does not read as one thing at a time.
 */
static void mixed_waits(const struct ct_model *m, const struct ct_verdict *v, char *out, size_t len)
{
	out[0] = 0;
	if (v->kind != CT_BOUND_MIXED)
		return;
	switch (io_shape(m, v)) {
	case CT_SHAPE_THREADED:
		snprintf(out, len, " Its waits overlapped: 2 or more threads waited at once for %.0f%% of the "
			 "waiting time, mostly on %s.", 100 * waits_overlap(m), ct_state_name(largest_wait(v)));
		break;
	case CT_SHAPE_EVENT_LOOP:
		if (v->loops >= 2)
			snprintf(out, len, " Its waits were multiplexed: %u threads, each an event loop, waited in %s "
				 "for %.0f%% of thread time not idle.", v->loops, top_syscall(m, CT_ST_POLL),
				 100 * v->active_share[CT_ST_POLL]);
		else
			snprintf(out, len, " Its waits were multiplexed: one thread waited in %s for %.0f%% of "
				 "thread time not idle.", top_syscall(m, CT_ST_POLL), 100 * v->active_share[CT_ST_POLL]);
		break;
	default:
		break;
	}
}

static void explain(const struct ct_model *m, struct ct_verdict *v, double lock_share)
{
	char shape[640], busy[200] = "", lead[160] = "", waits[200];

	if (v->kind == CT_BOUND_MIXED)
		snprintf(lead, sizeof(lead), "Mixed: something was computing %.0f%% of the time. ",
			 100 * v->computing_share);
	explain_shape(m, v, lock_share, shape, sizeof(shape));
	mixed_waits(m, v, waits, sizeof(waits));
	if (v->others_cpu_share >= CT_BUSY_MACHINE_MIN)
		snprintf(busy, sizeof(busy), " The machine was busy: other processes held %.0f%% of the "
			 "CPUs, and the workload's threads waited %.3f s for them.",
			 100 * v->others_cpu_share, v->waiting_for_others_s);
	snprintf(v->summary, sizeof(v->summary), "%s%s%s%s", lead, shape, waits, busy);
}

void ct_verdict(const struct ct_model *m, struct ct_verdict *v)
{
	double wall = (double)(m->w_last > m->w_first ? m->w_last - m->w_first : 0);
	double total = 0, lock_share = 0;

	memset(v, 0, sizeof(*v));
	for (int s = 0; s < CT_ST_UNKNOWN; s++)	/* of the time whose state is known */
		total += (double)ct_model_total_ns(m, (enum ct_state)s);
	/* Parked helpers (a runtime's, a pool's) would dilute every share the summary gives. */
	double active = total - (double)ct_model_total_ns(m, CT_ST_IDLE);

	for (int s = 0; s < CT_ST_UNKNOWN; s++) {
		double ns = (double)ct_model_total_ns(m, (enum ct_state)s);

		v->state_share[s] = ratio(ns, total);
		if (s != CT_ST_IDLE)
			v->active_share[s] = ratio(ns, active);
	}
	v->parallelism = ratio((double)ct_model_cpu_ns(m), wall);
	v->wanted = ratio((double)m->demand_ns, wall);
	v->concurrency = ct_model_concurrency(m, &v->conc_threads, &v->conc_ops);
	v->loop_ops = loop_ops(m);
	v->loops = event_loops(m);
	v->others_cpu_share = others_share(m);
	v->waiting_for_others_s = (double)m->others_wait_ns / 1e9;
	uint64_t on_cpu = ct_model_total_ns(m, CT_ST_RUNNING), cpu = ct_model_cpu_ns(m);

	/* The program's nature, not the machine's: time others held it back is neither. */
	double held = (double)(m->held_back_ns < m->busy_any_ns ? m->held_back_ns : m->busy_any_ns);

	v->held_back_share = ratio(held, wall);
	v->busy_share = ratio((double)m->busy_any_ns - held, wall - held);
	v->kernel_share = on_cpu > cpu ? ratio((double)cpu, (double)on_cpu) : 1.0;
	v->computing_share = v->busy_share * v->kernel_share;
	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].workload && (double)wanted_cpu_ns(&m->threads[i]) >= CT_HUNGRY_MIN * wall)
			v->hungry++;
	/*
	 * What the host stole (busy, not computing) is neither side, but what
	 * it stole while the network or a disk fed the work was waiting.
	 */
	v->stolen_waiting_share = on_cpu ? v->busy_share * ratio((double)m->stolen_outside_ns, (double)on_cpu) : 0;
	if (v->stolen_waiting_share > v->busy_share - v->computing_share)
		v->stolen_waiting_share = v->busy_share - v->computing_share;
	double waiting = 1 - v->busy_share + v->stolen_waiting_share;

	v->kind = v->computing_share < CT_COMPUTING_MIN * (v->computing_share + waiting) ? CT_BOUND_IO
		  : v->busy_share - v->stolen_waiting_share >= CT_CPU_BUSY_MIN ? CT_BOUND_CPU : CT_BOUND_MIXED;
	if (v->kind != CT_BOUND_IO)
		v->shape = cpu_shape(m, v, &lock_share);
	else
		v->shape = io_shape(m, v);
	if (wall <= 0) {
		v->kind = CT_BOUND_IO;
		v->shape = CT_SHAPE_SEQUENTIAL;
		snprintf(v->summary, sizeof(v->summary), "The workload was never seen running: "
			 "nothing to judge.");
		return;
	}
	explain(m, v, lock_share);
}
