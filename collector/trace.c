/* Names and ownership helpers for the trace types. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

static const char *const kind_names[CT_EV_KIND_MAX] = {
	[CT_EV_SWITCH] = "sched_switch",
	[CT_EV_WAKEUP] = "sched_wakeup",
	[CT_EV_WAKEUP_NEW] = "sched_wakeup_new",
	[CT_EV_MIGRATE] = "sched_migrate_task",
	[CT_EV_FORK] = "sched_process_fork",
	[CT_EV_EXEC] = "sched_process_exec",
	[CT_EV_EXIT] = "sched_process_exit",
	[CT_EV_SYSCALL] = "syscall",
	[CT_EV_TASK] = "task",
	[CT_EV_LOST] = "lost",
};

const char *ct_kind_name(unsigned kind)
{
	if (kind < CT_EV_KIND_MAX && kind_names[kind])
		return kind_names[kind];
	return "unknown";
}

const char *ct_state_str(uint32_t stored)
{
	uint32_t st = ct_prev_state(stored);

	if (ct_preempted(stored))
		return "R+";
	if (st == 0)
		return "R";
	if (st & (CT_TASK_DEAD | CT_EXIT_DEAD))
		return "X";
	if (st & CT_EXIT_ZOMBIE)
		return "Z";
	if (st & CT_TASK_PARKED)
		return "P";
	if (st & CT_TASK_INTERRUPTIBLE)
		return "S";
	if (st & CT_TASK_UNINTERRUPTIBLE)
		return (st & CT_TASK_NOLOAD) ? "I" : "D";
	if (st & CT_TASK_STOPPED)
		return "T";
	if (st & CT_TASK_TRACED)
		return "t";
	return "?";
}

/* Generated at build time from the kernel's x86_64 unistd table. */
extern const char *const ct_syscall_names[];
extern const int ct_syscall_names_len;

const char *ct_syscall_name(int nr)
{
	if (nr < 0 || nr >= ct_syscall_names_len)
		return NULL;
	return ct_syscall_names[nr];
}

int ct_syscall_count(void)
{
	return ct_syscall_names_len;
}

const struct ct_cpu *ct_cpu_topo(const struct ct_meta *m, uint32_t cpu)
{
	for (uint32_t i = 0; i < m->ntopo; i++)
		if (m->topo[i].cpu == cpu)
			return &m->topo[i];
	return NULL;
}

FILE *ct_create_new(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (fd >= 0 && !f)
		close(fd);
	return f;
}

void ct_meta_free(struct ct_meta *m)
{
	for (uint32_t i = 0; i < m->argc; i++)
		free(m->argv[i]);
	free(m->argv);
	free(m->topo);
	m->argv = NULL;
	m->topo = NULL;
	m->argc = m->ntopo = 0;
}

void ct_summary_free(struct ct_summary *s)
{
	free(s->drops);
	s->drops = NULL;
	s->ndrops = 0;
}

int ct_meta_set_argv(struct ct_meta *m, int argc, char *const argv[])
{
	m->argv = calloc((size_t)argc + 1, sizeof(*m->argv));
	if (!m->argv)
		return -1;
	for (int i = 0; i < argc; i++)
		if (!(m->argv[i] = strdup(argv[i])))
			return -1;
	m->argc = (uint32_t)argc;
	return 0;
}
