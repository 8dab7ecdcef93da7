/*
 * Each of a report's largest processes judged by itself.  One more reading
 * of the trace feeds a model per process, focused on it (ct_model_focus:
 * each takes every switch but only its process's own events), so that its
 * verdict is that process's, as if it had been recorded with -p.  Where
 * there are cores to spare, the processes are shared among several
 * readings side by side, a thread each (a reading reads ahead on a thread
 * of its own too): on 2 CPUs one reading feeds all the models; on 8,
 * judging five processes takes about the time of one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay.h"
#include "report.h"
#include "xalloc.h"

/* One reading, and the processes it judges. */
struct judge {
	const char *path;
	size_t n;
	uint32_t tgid[CT_REPORT_JUDGED];
	struct ct_model m[CT_REPORT_JUDGED];
	bool begun;
	int rc;
	char err[256];
	pthread_t thread;
	bool threaded;
};

static int begin(void *ctx, const struct ct_meta *meta, const struct ct_model *unused)
{
	struct judge *j = ctx;

	(void)unused;
	for (size_t i = 0; i < j->n; i++) {
		ct_model_init(&j->m[i], meta);
		ct_model_focus(&j->m[i], j->tgid[i]);
	}
	j->begun = true;
	return 0;
}

static void after(void *ctx, const struct ct_model *unused, const struct ct_event *e)
{
	struct judge *j = ctx;

	(void)unused;
	for (size_t i = 0; i < j->n; i++)
		ct_model_event(&j->m[i], e);
}

static void *read_and_judge(void *arg)
{
	struct judge *j = arg;
	struct ct_replay_pass pass = { .ctx = j, .begin = begin, .after = after };

	j->rc = ct_replay(j->path, NULL, &pass, 1, NULL, j->err, sizeof(j->err));
	for (size_t i = 0; !j->rc && i < j->n; i++)
		ct_model_finish(&j->m[i]);
	return NULL;
}

static void judged(struct ct_process_stat *p, const struct ct_verdict *v)
{
	p->judged = true;
	p->kind = v->kind;
	p->shape = v->shape;
}

/* Its verdict into p; a broken invariant into the report's, if it has none. */
static void conclude(struct ct_report *r, struct ct_process_stat *p, const struct ct_model *m)
{
	struct ct_verdict v;
	char why[200];

	if (!r->broken[0] && ct_model_check(m, why, sizeof(why)))
		snprintf(r->broken, sizeof(r->broken), "judging process %u alone: %s", p->pid, why);
	ct_verdict(m, &v);
	judged(p, &v);
}

/* Readings side by side: each takes two CPUs (reading ahead, and its models). */
static size_t readings(size_t n, size_t asked)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = asked ? asked : cpus >= 4 ? (size_t)cpus / 2 : 1;

	return k < n ? k : n;
}

int ct_report_judge_processes(struct ct_report *r, const char *path, size_t nreadings, char *err,
			      size_t errlen)
{
	size_t n = r->nprocs < CT_REPORT_JUDGED ? r->nprocs : CT_REPORT_JUDGED;
	int rc = 0;

	if (r->nprocs == 1)
		judged(&r->procs[0], &r->v);	/* the report's own verdict is the process's */
	if (r->nprocs < 2)
		return 0;
	size_t k = readings(n, nreadings);
	struct judge *js = ct_xcalloc(k, sizeof(*js));

	for (size_t i = 0; i < n; i++) {	/* dealt round: the largest spread out */
		struct judge *j = &js[i % k];

		j->path = path;
		j->tgid[j->n++] = r->procs[i].pid;
	}
	for (size_t g = 0; g < k; g++)
		js[g].threaded = k > 1 && !pthread_create(&js[g].thread, NULL, read_and_judge, &js[g]);
	for (size_t g = 0; g < k; g++) {
		if (js[g].threaded)
			pthread_join(js[g].thread, NULL);
		else
			read_and_judge(&js[g]);	/* one reading, or no thread to be had */
		if (js[g].rc && !rc) {
			rc = -1;
			snprintf(err, errlen, "%s", js[g].err);
		}
	}
	for (size_t i = 0; !rc && i < n; i++)
		conclude(r, &r->procs[i], &js[i % k].m[i / k]);	/* dealt round: reading i % k, model i / k */
	for (size_t g = 0; g < k; g++) {
		for (size_t i = 0; js[g].begun && i < js[g].n; i++)
			ct_model_free(&js[g].m[i]);
	}
	free(js);
	return rc;
}
