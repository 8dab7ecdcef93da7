/*
 * Each of a report's largest processes judged by itself.  One more reading
 * of the trace feeds a model per process, focused on it: every switch (who
 * held each CPU), every task's name and start, and the process's own
 * events (its birth among them); the events of other processes are theirs
 * alone.  Each model's verdict is then that process's, as if it had been
 * recorded with -p.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "report.h"
#include "tidmap.h"
#include "xalloc.h"

struct judge {
	size_t n;
	struct ct_model *models;
	uint32_t *tgids;
	struct ct_tidmap tgid_of;	/* tid -> tgid, as the trace's task records say */
	bool begun;
};

static int begin(void *ctx, const struct ct_meta *meta, const struct ct_model *unused)
{
	struct judge *j = ctx;

	(void)unused;
	for (size_t i = 0; i < j->n; i++) {
		ct_model_init(&j->models[i], meta);
		ct_model_focus(&j->models[i], j->tgids[i]);
	}
	j->begun = true;
	return 0;
}

/* What every model needs: who held each CPU, each task's name and start, the drops. */
static bool for_every_model(const struct ct_event *e)
{
	return e->kind == CT_EV_SWITCH || e->kind == CT_EV_TASK || e->kind == CT_EV_START_STATE ||
	       e->kind == CT_EV_LOST;
}

static void learn_tgid(struct judge *j, const struct ct_event *e)
{
	if (e->kind == CT_EV_TASK)
		*ct_tidmap_put(&j->tgid_of, e->tid) = e->task.tgid;
	else if (e->kind == CT_EV_START_STATE)
		*ct_tidmap_put(&j->tgid_of, e->tid) = e->start.tgid;
	else if (e->kind == CT_EV_FORK)
		*ct_tidmap_put(&j->tgid_of, e->fork.child_tid) = e->fork.child_tgid;
}

static void after(void *ctx, const struct ct_model *unused, const struct ct_event *e)
{
	struct judge *j = ctx;
	bool all = for_every_model(e);
	const uint32_t *tgid = all ? NULL : ct_tidmap_get(&j->tgid_of, e->tid);

	(void)unused;
	for (size_t i = 0; i < j->n; i++)
		if (all || (tgid && *tgid == j->tgids[i]) ||
		    (e->kind == CT_EV_FORK && e->fork.child_tgid == j->tgids[i]))	/* its birth */
			ct_model_event(&j->models[i], e);
	learn_tgid(j, e);	/* after: a fork is its parent's event */
}

int ct_report_judge_processes(struct ct_report *r, const char *path, char *err, size_t errlen)
{
	struct judge j = { .n = r->nprocs < CT_REPORT_JUDGED ? r->nprocs : CT_REPORT_JUDGED };
	struct ct_replay_pass pass = { .ctx = &j, .begin = begin, .after = after };

	if (r->nprocs == 1) {	/* the report's own verdict is the process's */
		r->procs[0].judged = true;
		r->procs[0].kind = r->v.kind;
		r->procs[0].shape = r->v.shape;
	}
	if (r->nprocs < 2)
		return 0;
	j.models = ct_xcalloc(j.n, sizeof(*j.models));
	j.tgids = ct_xcalloc(j.n, sizeof(*j.tgids));
	for (size_t i = 0; i < j.n; i++)
		j.tgids[i] = r->procs[i].pid;
	int rc = ct_replay(path, NULL, &pass, 1, NULL, err, errlen);

	for (size_t i = 0; j.begun && i < j.n; i++) {
		struct ct_verdict v;

		if (!rc) {
			char why[200];

			ct_model_finish(&j.models[i]);
			if (!r->broken[0] && ct_model_check(&j.models[i], why, sizeof(why)))
				snprintf(r->broken, sizeof(r->broken), "judging process %u alone: %s", j.tgids[i], why);
			ct_verdict(&j.models[i], &v);
			r->procs[i].judged = true;
			r->procs[i].kind = v.kind;
			r->procs[i].shape = v.shape;
		}
		ct_model_free(&j.models[i]);
	}
	ct_tidmap_free(&j.tgid_of);
	free(j.models);
	free(j.tgids);
	return rc;
}
