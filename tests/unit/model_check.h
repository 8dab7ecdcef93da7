/*
 * Checks the model tests share (cmocka, included after it): a synthetic
 * trace replayed into a model, its workload threads looked up, and the
 * invariant every model keeps.
 */
#ifndef CTRACE_TEST_MODEL_CHECK_H
#define CTRACE_TEST_MODEL_CHECK_H

#include <unistd.h>

#include "model.h"
#include "replay.h"

/* Replay the trace at path into m, without error, and remove the file. */
static inline void load(const char *path, struct ct_model *m)
{
	char err[256] = "";

	assert_int_equal(ct_replay(path, m, NULL, 0, NULL, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	unlink(path);
}

static inline const struct ct_thread *find(const struct ct_model *m, uint32_t tid)
{
	for (size_t i = 0; i < m->nthreads; i++)
		if (m->threads[i].tid == tid && m->threads[i].workload)
			return &m->threads[i];
	fail_msg("no workload thread %u", tid);
	return NULL;
}

/* Every workload thread's states add up to its life: nothing lost, nothing negative. */
static inline void assert_consistent(const struct ct_model *m)
{
	char why[256];

	if (ct_model_check(m, why, sizeof(why)))
		fail_msg("invariant broken: %s", why);
}

#endif
