/*
 * Which processes have child processes alive: a shell's `wait` for its
 * background jobs (dash: sigsuspend until SIGCHLD) and a supervisor's
 * pause() wait for children as wait4 does, and count as waiting for them
 * (CT_ST_CHILD), not as a sleep in progress.  Kept for every process,
 * before a model in focus narrows its events: the children's exits are
 * other processes' events.
 */
#include "model_int.h"

/* The process the task tid belongs to, if the model has seen it; 0 if not. */
static uint32_t process_of(const struct ct_model *m, uint32_t tid)
{
	const struct ct_thread *t = ct_model_thread(m, tid);

	return t ? t->tgid : 0;
}

void ct_children_event(struct ct_model *m, const struct ct_event *e)
{
	if (e->kind == CT_EV_FORK) {
		uint32_t parent = process_of(m, e->tid);

		/* A new process (a thread shares its creator's), of a known parent. */
		if (!parent || e->fork.child_tid != e->fork.child_tgid || e->fork.child_tgid == parent)
			return;
		uint32_t *n = ct_tidmap_put(&m->kids, parent);

		*n = *n == CT_TIDMAP_NONE ? 1 : *n + 1;
		*ct_tidmap_put(&m->parent_of, e->fork.child_tgid) = parent;
	} else if (e->kind == CT_EV_EXIT) {
		uint32_t *parent = ct_tidmap_get(&m->parent_of, e->tid);
		uint32_t *n = parent ? ct_tidmap_get(&m->kids, *parent) : NULL;

		if (n && *n)	/* its leader's exit: the process is gone, or going */
			--*n;
		if (parent)
			ct_tidmap_del(&m->parent_of, e->tid);
	}
}

bool ct_children_alive(const struct ct_model *m, uint32_t tgid)
{
	const uint32_t *n = ct_tidmap_get(&m->kids, tgid);

	return n && *n;
}
