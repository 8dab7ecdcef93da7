#include <stdio.h>
#include <string.h>

#include "verdict.h"

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

static const char *cpu_shape(const struct ct_verdict *v, double *lock_share)
{
	const double *s = v->state_share;
	double demand = s[CT_ST_RUNNING] + s[CT_ST_RUNNABLE];

	*lock_share = ratio(s[CT_ST_LOCK], demand + s[CT_ST_LOCK]);
	if (ratio(s[CT_ST_RUNNABLE], demand) >= 0.25)
		return "oversubscribed";
	if (v->parallelism >= 1.3)
		return "parallel";
	if (v->hungry >= 2 && *lock_share >= 0.2)
		return "serialized";
	return "single";
}

static const char *io_shape(const struct ct_model *m, const struct ct_verdict *v)
{
	if (largest_wait(v) == CT_ST_POLL && poll_concentration(m) >= 0.7)
		return "event-loop";
	if (ratio((double)m->waiting_multi_ns, (double)m->waiting_any_ns) >= 0.5)
		return "threaded";
	return "sequential";
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

	if (!strcmp(v->kind, "mixed"))
		snprintf(lead, sizeof(lead), "Mixed: something was computing %.0f%% of the time. ",
			 100 * v->computing_share);
	if (!strcmp(v->shape, "parallel"))
		snprintf(v->summary, len, "%s%u threads in %u process%s kept %.2f CPUs busy on average "
			 "(peak %u of %u CPUs); %.0f%% of thread time running: the work runs in parallel.",
			 lead, threads, procs, procs == 1 ? "" : "es", v->parallelism, m->running_peak,
			 m->ncpus, 100 * s[CT_ST_RUNNING]);
	else if (!strcmp(v->shape, "serialized"))
		snprintf(v->summary, len, "%s%u threads wanted the CPU, but parallelism stayed at %.2f on "
			 "%u CPUs; %.0f%% of their CPU-hungry time was spent waiting in %s: serialized by "
			 "a lock, such as Python's GIL.", lead, v->hungry, v->parallelism, m->ncpus,
			 100 * lock_share, top_syscall(m, CT_ST_LOCK));
	else if (!strcmp(v->shape, "oversubscribed") && others_share(m) >= 0.15)
		snprintf(v->summary, len, "%s%.0f%% of thread time was runnable but waiting for a CPU "
			 "(run-queue p99 %.2f ms) while other processes held %.0f%% of the %u CPUs: the "
			 "machine was busy; parallelism %.2f.", lead, 100 * s[CT_ST_RUNNABLE],
			 (double)ct_model_runq_percentile(m, 0.99) / 1e6, 100 * others_share(m), m->ncpus,
			 v->parallelism);
	else if (!strcmp(v->shape, "oversubscribed"))
		snprintf(v->summary, len, "%s%u threads competed for %u CPUs: %.0f%% of thread time was "
			 "runnable but waiting for a CPU (run-queue p99 %.2f ms); parallelism %.2f.",
			 lead, threads, m->ncpus, 100 * s[CT_ST_RUNNABLE],
			 (double)ct_model_runq_percentile(m, 0.99) / 1e6, v->parallelism);
	else if (!strcmp(v->shape, "single"))
		snprintf(v->summary, len, "%sOne thread at a time did the work: parallelism %.2f on %u "
			 "CPUs, %.0f%% of thread time running.", lead, v->parallelism, m->ncpus,
			 100 * s[CT_ST_RUNNING]);
	else if (!strcmp(v->shape, "event-loop"))
		snprintf(v->summary, len, "%sOne thread multiplexed its waits in %s (%.0f%% of thread "
			 "time in poll); parallelism %.2f, %.2f threads in flight on average.",
			 lead, top_syscall(m, CT_ST_POLL), 100 * s[CT_ST_POLL], v->parallelism,
			 v->concurrency);
	else if (!strcmp(v->shape, "threaded"))
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
		if (m->threads[i].workload && (double)m->threads[i].state_ns[CT_ST_RUNNING] >= 0.1 * wall)
			v->hungry++;
	v->kind = v->computing_share < 0.5 ? "io-bound"
		  : v->busy_share >= 0.75 ? "cpu-bound" : "mixed";
	if (strcmp(v->kind, "io-bound"))
		v->shape = cpu_shape(v, &lock_share);
	else
		v->shape = io_shape(m, v);
	if (wall <= 0) {
		v->kind = "io-bound";
		v->shape = "sequential";
		snprintf(v->summary, sizeof(v->summary), "The workload was never seen running: "
			 "nothing to judge.");
		return;
	}
	explain(m, v, lock_share);
}
