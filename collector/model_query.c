/* Numbers derived from a finished model: what the report, verdict and figures ask of it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_int.h"
#include "xalloc.h"

const struct ct_thread *ct_model_thread(const struct ct_model *m, uint32_t tid)
{
	const uint32_t *i = ct_tidmap_get(&m->ids, tid);

	return i ? &m->threads[*i] : NULL;
}

double ct_model_wall_s(const struct ct_model *m)
{
	return (double)ct_span(m->w_first, m->w_last) / 1e9;
}

double ct_model_concurrency(const struct ct_model *m, double *threads, double *ops)
{
	double wall = (double)ct_span(m->w_first, m->w_last);
	double th = wall > 0 ? (double)m->conc.threads_ns / wall : 0;
	double op = wall > 0 ? (double)m->conc.ops_ns / wall : 0;

	if (threads)
		*threads = th;
	if (ops)
		*ops = op;
	return th + op;
}

uint64_t ct_model_total_ns(const struct ct_model *m, enum ct_state s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].workload)
			n += m->threads[i].state_ns[s];
	return n;
}

uint64_t ct_thread_blocked_ns(const struct ct_thread *t)
{
	uint64_t n = 0;

	for (int s = CT_ST_DISK; s < CT_ST_UNKNOWN; s++)
		n += t->state_ns[s];
	return n;
}

uint64_t ct_model_runq_percentile(const struct ct_model *m, double p)
{
	if (!m->runq_count)
		return 0;
	uint64_t want = (uint64_t)(p * (double)m->runq_count + 0.5), seen = 0;

	if (want < 1)
		want = 1;
	for (unsigned b = 0; b < CT_RUNQ_BUCKETS; b++) {
		seen += m->runq[b];
		if (seen >= want) {
			if (b < 16)
				return b;
			unsigned oct = b / 16 + 3, sub = b % 16;
			uint64_t lo = (16ull + sub) << (oct - 4), width = 1ull << (oct - 4);
			uint64_t mid = lo + width / 2;

			return mid < m->runq_max ? mid : m->runq_max;
		}
	}
	return m->runq_max;
}

uint32_t ct_model_processes(const struct ct_model *m)
{
	struct ct_tidmap seen = {0};
	uint32_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++) {
		uint32_t *v;

		if (!m->threads[i].workload)
			continue;
		v = ct_tidmap_put(&seen, m->threads[i].tgid);
		if (*v == CT_TIDMAP_NONE) {
			*v = 1;
			n++;
		}
	}
	ct_tidmap_free(&seen);
	return n;
}

uint64_t ct_model_cpu_ns(const struct ct_model *m)
{
	uint64_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].workload)
			n += m->threads[i].cpu_ns;
	return n;
}

static int by_cpu_desc(const void *a, const void *b, void *ctx)
{
	const struct ct_model *m = ctx;
	const struct ct_thread *x = &m->threads[*(const size_t *)a];
	const struct ct_thread *y = &m->threads[*(const size_t *)b];
	uint64_t lx = x->last - x->first, ly = y->last - y->first;

	if (x->cpu_ns != y->cpu_ns)
		return x->cpu_ns < y->cpu_ns ? 1 : -1;
	if (lx != ly)
		return lx < ly ? 1 : -1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

size_t *ct_model_ranked_threads(const struct ct_model *m, size_t *n)
{
	size_t *idx = ct_xrealloc(NULL, (m->nthreads + 1) * sizeof(*idx));

	*n = 0;
	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].workload)
			idx[(*n)++] = i;
	qsort_r(idx, *n, sizeof(*idx), by_cpu_desc, (void *)m);
	return idx;
}

uint32_t ct_model_workload_threads(const struct ct_model *m)
{
	uint32_t n = 0;

	for (size_t i = 0; i < m->nthreads; i++)
		n += m->threads[i].workload;
	return n;
}

/* A wait for a CPU of lat ns, into the log-spaced histogram the percentiles read. */
void ct_model_note_runq(struct ct_model *m, uint64_t lat)
{
	unsigned b = (unsigned)lat;

	if (lat >= 16) {	/* 16 log-spaced buckets per octave: within 4% */
		unsigned oct = 63 - (unsigned)__builtin_clzll(lat);

		b = (oct - 3) * 16 + (unsigned)((lat >> (oct - 4)) & 15);
	}
	m->runq[b < CT_RUNQ_BUCKETS ? b : CT_RUNQ_BUCKETS - 1]++;
	m->runq_count++;
	if (lat > m->runq_max)
		m->runq_max = lat;
}

int ct_model_check(const struct ct_model *m, char *why, size_t len)
{
	uint64_t wall = ct_span(m->w_first, m->w_last), on_cpu = ct_model_total_ns(m, CT_ST_RUNNING);

	if (m->running_peak > m->ncpus) {
		snprintf(why, len, "%u workload threads running at once on %u CPUs", m->running_peak, m->ncpus);
		return -1;
	}
	if (on_cpu > wall * m->ncpus) {
		snprintf(why, len, "%.6f s on CPU over %.6f s wall on %u CPUs", (double)on_cpu / 1e9,
			 (double)wall / 1e9, m->ncpus);
		return -1;
	}
	uint64_t levels = 0;

	for (uint32_t i = 0; m->par_ns && i <= m->max_level; i++)
		levels += m->par_ns[i];
	if (levels > wall) {
		snprintf(why, len, "levels count %" PRIu64 " ns of a %" PRIu64 " ns wall", levels, wall);
		return -1;
	}
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];
		uint64_t sum = 0;

		if (!t->workload)
			continue;
		for (int s = 0; s < CT_ST_COUNT; s++)
			sum += t->state_ns[s];
		if (t->last < t->first || sum != t->last - t->first) {
			snprintf(why, len, "thread %u: states sum to %" PRIu64 " ns over a life of %" PRIu64 " ns",
				 t->tid, sum, ct_span(t->first, t->last));
			return -1;
		}
	}
	return 0;
}
