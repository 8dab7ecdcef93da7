/* A report's numbers, computed once for every rendering (report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "xalloc.h"

static int by_total_desc(const void *a, const void *b, void *ctx)
{
	const struct ct_sys_stat *s = ctx;
	int x = *(const int *)a, y = *(const int *)b;

	if (s[x].total_ns != s[y].total_ns)
		return s[x].total_ns < s[y].total_ns ? 1 : -1;
	return (x > y) - (x < y);
}

static int *sorted_syscalls(const struct ct_model *m, int *n)
{
	int *v = ct_xcalloc((size_t)m->nsys, sizeof(*v));

	*n = 0;
	for (int i = 0; i < m->nsys; i++)
		if (m->sys[i].count)
			v[(*n)++] = i;
	qsort_r(v, (size_t)*n, sizeof(*v), by_total_desc, m->sys);
	return v;
}

/* The workload's threads in the order report and plot share: largest CPU user first. */
static const struct ct_thread **ranked_threads(const struct ct_model *m, size_t *n)
{
	size_t *idx = ct_model_ranked_threads(m, n);
	const struct ct_thread **v = ct_xcalloc(*n + 1, sizeof(*v));

	for (size_t i = 0; i < *n; i++)
		v[i] = &m->threads[idx[i]];
	free(idx);
	return v;
}

void ct_report_build(struct ct_report *r, const struct ct_model *m, const struct ct_meta *meta,
		     const struct ct_summary *sum)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->meta = meta;
	r->sum = sum;
	ct_verdict(m, &r->v);
	r->wall_s = ct_model_wall_s(m);
	for (int s = 0; s < CT_ST_COUNT; s++) {
		r->states_ns[s] = ct_model_total_ns(m, (enum ct_state)s);
		r->thread_ns += r->states_ns[s];
	}
	r->cpu_ns = ct_model_cpu_ns(m);
	r->on_cpu_ns = r->states_ns[CT_ST_RUNNING];
	if (sum->has_command && sum->command_wall_ns)
		r->rusage_parallelism = (double)sum->command_cpu_ns / (double)sum->command_wall_ns;
	r->threads = ranked_threads(m, &r->nthreads);
	r->syscalls = sorted_syscalls(m, &r->nsyscalls);
}

void ct_report_free(struct ct_report *r)
{
	free(r->threads);
	free(r->syscalls);
	memset(r, 0, sizeof(*r));
}

const char *ct_report_syscall(const struct ct_report *r, int nr, char *buf, size_t len)
{
	const struct ct_model *m = r->m;
	const char *name = nr < m->nsys - 1 ? ct_syscall_name(nr) : NULL;

	if (name)
		return name;
	snprintf(buf, len, nr < m->nsys - 1 ? "syscall_%d" : "unknown", nr);
	return buf;
}

enum ct_state ct_report_top_wait(const struct ct_thread *t)
{
	int top = -1;

	for (int s = CT_ST_DISK; s < CT_ST_UNKNOWN; s++)
		if (t->state_ns[s] && (top < 0 || t->state_ns[s] > t->state_ns[top]))
			top = s;
	return top < 0 ? CT_ST_NONE : (enum ct_state)top;
}
