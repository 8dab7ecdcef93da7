/*
 * A model's life: set up from a trace's metadata (whose workload: the
 * command's processes, -p's tree, the whole machine), narrowed to one
 * process to judge it alone, and freed.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"
#include "xalloc.h"

void ct_model_init(struct ct_model *m, const struct ct_meta *meta)
{
	memset(m, 0, sizeof(*m));
	m->ncpus = meta->ncpus;
	m->root_pid = meta->root_pid;
	m->recorder_pid = meta->recorder_pid;
	m->options = meta->options;
	m->ops_known = (meta->options & CT_OPT_WAITS) && (meta->options & CT_OPT_SYSCALLS);
	m->cpus = ct_xrealloc(NULL, m->ncpus * sizeof(*m->cpus));
	for (uint32_t i = 0; i < m->ncpus; i++)
		m->cpus[i] = (struct ct_cpu_use){ .thread = -1, .since = UINT64_MAX };
	m->max_level = m->ncpus;
	m->par_ns = ct_xcalloc(m->max_level + 1, sizeof(*m->par_ns));
	m->nsys = ct_syscall_count() + 1;
	m->sys = ct_xcalloc((size_t)m->nsys, sizeof(*m->sys));
	m->next_deadline = UINT64_MAX;
	if (m->root_pid && !(m->options & CT_OPT_ALL))
		*ct_tidmap_put(&m->wl_tgids, m->root_pid) = 1;
}

void ct_model_focus(struct ct_model *m, uint32_t tgid)
{
	m->options &= ~CT_OPT_ALL;
	m->focus = tgid;
	ct_tidmap_free(&m->wl_tgids);
	*ct_tidmap_put(&m->wl_tgids, tgid) = 1;
}

void ct_model_free(struct ct_model *m)
{
	ct_tidmap_free(&m->ids);
	ct_tidmap_free(&m->wl_tgids);
	ct_tidmap_free(&m->kids);
	ct_tidmap_free(&m->parent_of);
	ct_levels_free(&m->conc);
	ct_loops_free(&m->loops);
	free(m->unsettled);
	free(m->threads);
	free(m->cpus);
	free(m->par_ns);
	free(m->sys);
	memset(m, 0, sizeof(*m));
}
