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

/* The syscall in which most time was spent blocked for this reason. */
static const char *top_syscall(const struct ct_model *m, enum ct_state reason)
{
	uint64_t best = 0;
	int nr = -1;

	for (int i = 0; i < m->nsys - 1; i++) {
		if (reason != CT_ST_DISK && ct_classify_block(CT_TASK_INTERRUPTIBLE, i) != reason)
			continue;
		if (m->sys[i].blocked_ns > best) {
			best = m->sys[i].blocked_ns;
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
		if (!ct_state_is_neutral((enum ct_state)s) && v->state_share[s] > v->state_share[best])
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

static enum ct_shape cpu_shape(const struct ct_verdict *v, double *lock_share)
{
	const double *s = v->state_share;
	double demand = s[CT_ST_RUNNING] + s[CT_ST_RUNNABLE];

	*lock_share = ratio(s[CT_ST_LOCK], demand + s[CT_ST_LOCK]);
	if (ratio(s[CT_ST_RUNNABLE], demand) >= CT_OVERSUBSCRIBED_MIN)
		return CT_SHAPE_OVERSUBSCRIBED;
	if (v->parallelism >= CT_PARALLEL_MIN)
		return CT_SHAPE_PARALLEL;
	if (v->hungry >= 2 && *lock_share >= CT_SERIALIZED_MIN)
		return CT_SHAPE_SERIALIZED;
	return CT_SHAPE_SINGLE;
}

static enum ct_shape io_shape(const struct ct_model *m, const struct ct_verdict *v)
{
	if (largest_wait(v) == CT_ST_POLL && poll_concentration(m) >= CT_EVENT_LOOP_MIN)
		return CT_SHAPE_EVENT_LOOP;
	if (ratio((double)m->waiting_multi_ns, (double)m->waiting_any_ns) >= CT_THREADED_MIN)
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

static void explain(const struct ct_model *m, struct ct_verdict *v, double lock_share)
{
	const double *s = v->state_share;
	uint32_t threads = ct_model_workload_threads(m), procs = ct_model_processes(m);
	enum ct_state wait = largest_wait(v);
	char lead[160] = "";
	size_t len = sizeof(v->summary);

	if (v->kind == CT_BOUND_MIXED)
		snprintf(lead, sizeof(lead), "Mixed: something was computing %.0f%% of the time. ",
			 100 * v->computing_share);
	if (v->shape == CT_SHAPE_PARALLEL)
		snprintf(v->summary, len, "%s%u threads in %u process%s kept %.2f CPUs busy on average "
			 "(peak %u of %u CPUs); %.0f%% of thread time running: the work runs in parallel.",
			 lead, threads, procs, procs == 1 ? "" : "es", v->parallelism, m->running_peak,
			 m->ncpus, 100 * s[CT_ST_RUNNING]);
	else if (v->shape == CT_SHAPE_SERIALIZED)
		snprintf(v->summary, len, "%s%u threads wanted the CPU, but parallelism stayed at %.2f on "
			 "%u CPUs; %.0f%% of their CPU-hungry time was spent waiting in %s: serialized by "
			 "a lock, such as Python's GIL.", lead, v->hungry, v->parallelism, m->ncpus,
			 100 * lock_share, top_syscall(m, CT_ST_LOCK));
	else if (v->shape == CT_SHAPE_OVERSUBSCRIBED && others_share(m) >= CT_BUSY_MACHINE_MIN)
		snprintf(v->summary, len, "%s%.0f%% of thread time was runnable but waiting for a CPU "
			 "(run-queue p99 %.2f ms) while other processes held %.0f%% of the %u CPUs: the "
			 "machine was busy; parallelism %.2f.", lead, 100 * s[CT_ST_RUNNABLE],
			 (double)ct_model_runq_percentile(m, 0.99) / 1e6, 100 * others_share(m), m->ncpus,
			 v->parallelism);
	else if (v->shape == CT_SHAPE_OVERSUBSCRIBED)
		snprintf(v->summary, len, "%s%u threads competed for %u CPUs: %.0f%% of thread time was "
			 "runnable but waiting for a CPU (run-queue p99 %.2f ms); parallelism %.2f.",
			 lead, threads, m->ncpus, 100 * s[CT_ST_RUNNABLE],
			 (double)ct_model_runq_percentile(m, 0.99) / 1e6, v->parallelism);
	else if (v->shape == CT_SHAPE_SINGLE)
		snprintf(v->summary, len, "%sOne thread at a time did the work: parallelism %.2f on %u "
			 "CPUs, %.0f%% of thread time running.", lead, v->parallelism, m->ncpus,
			 100 * s[CT_ST_RUNNING]);
	else if (v->shape == CT_SHAPE_EVENT_LOOP)
		snprintf(v->summary, len, "%sOne thread multiplexed its waits in %s (%.0f%% of thread "
			 "time in poll); parallelism %.2f, %.2f threads in flight on average.",
			 lead, top_syscall(m, CT_ST_POLL), 100 * s[CT_ST_POLL], v->parallelism,
			 v->concurrency);
	else if (v->shape == CT_SHAPE_THREADED)
		snprintf(v->summary, len, "%s%u threads waited at the same time (2 or more for %.0f%% of "
			 "the waiting time), mostly on %s in %s (%.0f%% of thread time); parallelism %.2f, "
			 "concurrency %.2f.", lead, threads,
			 100 * ratio((double)m->waiting_multi_ns, (double)m->waiting_any_ns),
			 ct_state_name(wait), top_syscall(m, wait), 100 * s[wait], v->parallelism,
			 v->concurrency);
	else
		snprintf(v->summary, len, "%sOne wait at a time: %.0f%% of thread time waiting on %s "
			 "(mostly in %s); parallelism %.2f.", lead, 100 * s[wait], ct_state_name(wait),
			 top_syscall(m, wait), v->parallelism);
}

void ct_verdict(const struct ct_model *m, struct ct_verdict *v)
{
	double wall = (double)(m->w_last > m->w_first ? m->w_last - m->w_first : 0);
	double total = 0, lock_share = 0;

	memset(v, 0, sizeof(*v));
	for (int s = 0; s < CT_ST_COUNT; s++)
		total += (double)ct_model_total_ns(m, (enum ct_state)s);
	for (int s = 0; s < CT_ST_COUNT; s++)
		v->state_share[s] = ratio((double)ct_model_total_ns(m, (enum ct_state)s), total);
	v->parallelism = ratio((double)ct_model_cpu_ns(m), wall);
	v->concurrency = ratio((double)m->inflight_ns, wall);
	uint64_t on_cpu = ct_model_total_ns(m, CT_ST_RUNNING), cpu = ct_model_cpu_ns(m);

	v->busy_share = ratio((double)m->busy_any_ns, wall);
	v->computing_share = v->busy_share * (on_cpu > cpu ? ratio((double)cpu, (double)on_cpu) : 1.0);
	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].workload &&
		    (double)m->threads[i].state_ns[CT_ST_RUNNING] >= CT_HUNGRY_MIN * wall)
			v->hungry++;
	v->kind = v->computing_share < CT_COMPUTING_MIN ? CT_BOUND_IO
		  : v->busy_share >= CT_CPU_BUSY_MIN ? CT_BOUND_CPU : CT_BOUND_MIXED;
	if (v->kind != CT_BOUND_IO)
		v->shape = cpu_shape(v, &lock_share);
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
