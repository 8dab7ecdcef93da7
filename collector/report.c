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

static int by_cpu(const void *a, const void *b)
{
	const struct ct_process_stat *x = a, *y = b;

	if (x->cpu_ns != y->cpu_ns)
		return x->cpu_ns > y->cpu_ns ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The workload's threads summed by process, largest CPU user first. */
static struct ct_process_stat *process_stats(const struct ct_model *m, size_t *n)
{
	struct ct_tidmap idx = {0};
	struct ct_process_stat *p = ct_xcalloc(ct_model_processes(m) + 1, sizeof(*p));

	*n = 0;
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];
		uint32_t *k;

		if (!t->workload)
			continue;
		k = ct_tidmap_put(&idx, t->tgid);
		if (*k == CT_TIDMAP_NONE) {
			*k = (uint32_t)(*n)++;
			p[*k] = (struct ct_process_stat){ .pid = t->tgid, .first = t->first, .last = t->last };
		}
		struct ct_process_stat *s = &p[*k];

		if (!s->name[0] || t->tid == t->tgid)
			memcpy(s->name, t->name, CT_COMM_LEN);
		s->threads++;
		s->first = t->first < s->first ? t->first : s->first;
		s->last = t->last > s->last ? t->last : s->last;
		s->cpu_ns += t->cpu_ns;
		s->progress_ns += t->progress_ns + t->ops_ns;
		for (int st = 0; st < CT_ST_COUNT; st++)
			s->state_ns[st] += t->state_ns[st];
	}
	ct_tidmap_free(&idx);
	qsort(p, *n, sizeof(*p), by_cpu);
	return p;
}

enum ct_state ct_report_process_top(const struct ct_process_stat *p)
{
	int top = CT_ST_RUNNING;

	for (int s = 0; s < CT_ST_UNKNOWN; s++)
		if (p->state_ns[s] > p->state_ns[top])
			top = s;
	return (enum ct_state)top;
}

double ct_report_process_parallelism(const struct ct_process_stat *p)
{
	return p->last > p->first ? (double)p->cpu_ns / (double)(p->last - p->first) : 0;
}

double ct_report_process_concurrency(const struct ct_process_stat *p)
{
	return p->last > p->first ? (double)p->progress_ns / (double)(p->last - p->first) : 0;
}

/*
 * -a: the verdict is the machine's, all processes together; it says so,
 * and names the processes that had most of the CPU.
 */
static void machine_summary(struct ct_report *r)
{
	char tail[512] = "";
	size_t len = 0;

	for (size_t i = 0; i < r->nprocs && i < 3 && r->cpu_ns; i++) {
		double share = (double)r->procs[i].cpu_ns / (double)r->cpu_ns;

		if (share < 0.05)
			break;
		len += (size_t)snprintf(tail + len, sizeof(tail) - len, "%s%s (pid %u) %.0f%%", i ? ", " : "",
					r->procs[i].name, r->procs[i].pid, 100 * share);
		if (len >= sizeof(tail))
			break;
	}
	char was[sizeof(r->v.summary)];

	memcpy(was, r->v.summary, sizeof(was));
	int n = snprintf(r->v.summary, sizeof(r->v.summary), "The whole machine, %zu processes: %s%s%s%s",
			 r->nprocs, was, tail[0] ? " Most of the CPU went to " : "", tail, tail[0] ? "." : "");

	if (n >= (int)sizeof(r->v.summary))	/* cut short: end it as a sentence all the same */
		memcpy(r->v.summary + sizeof(r->v.summary) - 5, "...", 4);
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
	r->procs = process_stats(m, &r->nprocs);
	if (!ct_model_check(m, r->broken, sizeof(r->broken)))
		r->broken[0] = 0;
	if (meta->options & CT_OPT_ALL)
		machine_summary(r);
}

void ct_report_free(struct ct_report *r)
{
	free(r->threads);
	free(r->syscalls);
	free(r->procs);
	memset(r, 0, sizeof(*r));
}

const char *ct_report_syscall(const struct ct_report *r, int nr, char *buf, size_t len)
{
	/* The model keeps calls it has no number for in its last slot. */
	return ct_syscall_label(nr < r->m->nsys - 1 ? nr : -1, buf, len);
}

enum ct_state ct_report_top_wait(const struct ct_thread *t)
{
	int top = -1;

	for (int s = CT_ST_DISK; s < CT_ST_UNKNOWN; s++)
		if (t->state_ns[s] && (top < 0 || t->state_ns[s] > t->state_ns[top]))
			top = s;
	return top < 0 ? CT_ST_NONE : (enum ct_state)top;
}
