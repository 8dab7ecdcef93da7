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
	[CT_EV_START_STATE] = "start_state",
	[CT_EV_PRIO] = "prio",
	[CT_EV_FREE] = "free",
	[CT_EV_PARENT] = "parent",
	[CT_EV_WAKING] = "sched_waking",
	[CT_EV_EPOLL] = "epoll_ctl",
};

const char *ct_waker_class_name(uint32_t c)
{
	static const char *const names[CT_WAKER_CLASS_MAX] = {
		"task", "hardirq", "timer", "net", "block", "softirq",
	};

	return c < CT_WAKER_CLASS_MAX ? names[c] : "?";
}

const char *ct_fd_class_name(uint32_t c)
{
	static const char *const names[CT_FD_CLASS_MAX] = {
		"none", "socket", "listen", "self-socket", "other-socket", "pipe", "anon", "file", "char",
	};

	return c < CT_FD_CLASS_MAX ? names[c] : "?";
}

const char *ct_kind_name(unsigned kind)
{
	if (kind < CT_EV_KIND_MAX && kind_names[kind])
		return kind_names[kind];
	return "unknown";
}

static unsigned fls32(uint32_t v)
{
	return v ? 32u - (unsigned)__builtin_clz(v) : 0;
}

/*
 * As the kernel's __task_state_index(): the highest reported bit wins; an
 * idle kernel wait is I; a PREEMPT_RT lock wait and a frozen task are
 * reported as D.  The probes record the task's state, not its exit_state,
 * so a dying task (TASK_DEAD) is reported as X.
 */
uint32_t ct_report_state(uint32_t stored)
{
	uint32_t st = ct_prev_state(stored), rep;

	if (ct_preempted(stored))
		return CT_REPORT_PREEMPTED;
	if ((st & CT_TASK_DEAD) && !(st & (CT_EXIT_ZOMBIE | CT_EXIT_DEAD)))
		st |= CT_EXIT_DEAD;
	rep = st & CT_TASK_REPORT;
	if ((st & CT_TASK_IDLE) == CT_TASK_IDLE)
		rep = CT_REPORT_IDLE;
	if (st & (CT_TASK_RTLOCK_WAIT | CT_TASK_FROZEN))
		rep = CT_TASK_UNINTERRUPTIBLE;
	return rep ? 1u << (fls32(rep) - 1) : 0;
}

const char *ct_state_str(uint32_t stored)
{
	static const char *const letters[] = { "R", "S", "D", "T", "t", "X", "Z", "P", "I", "R+" };

	return letters[fls32(ct_report_state(stored))];
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

const char *ct_syscall_label(int nr, char *buf, size_t len)
{
	const char *name = ct_syscall_name(nr);

	if (name)
		return name;
	snprintf(buf, len, nr >= 0 && nr < ct_syscall_names_len ? "syscall_%d" : "unknown", nr);
	return buf;
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
