/*
 * -p and -a begin with tasks already running, runnable or blocked.  Until
 * one of them has an event, the probes say nothing of it; this says what
 * each was doing as recording began, from /proc (stat: the state letter and
 * the CPU it last ran on; syscall: the call it is blocked in).  The probes
 * are attached first, so a task that changes state after its snapshot has
 * an event to say so, and the model takes an event over a snapshot.
 * /proc cannot tell running from runnable (both R): the first switch on the
 * task's CPU does.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "intake.h"
#include "snapshot.h"
#include "trace.h"

/* The state letter of /proc/PID/stat as the kernel's task state bits. */
static uint32_t state_bits(char c)
{
	switch (c) {
	case 'S': return CT_TASK_INTERRUPTIBLE;
	case 'D': return CT_TASK_UNINTERRUPTIBLE;
	case 'I': return CT_TASK_IDLE;
	case 'T': return CT_TASK_STOPPED;
	case 't': return CT_TASK_TRACED;
	case 'P': return CT_TASK_PARKED;
	case 'Z': return CT_EXIT_ZOMBIE;	/* exited, not yet reaped: it runs no more */
	case 'X': return CT_EXIT_DEAD;
	default: return 0;	/* R, and anything unknown: running or runnable */
	}
}

#define PF_KTHREAD 0x00200000u	/* stat's flags: a kernel thread, which makes no syscalls */

/* The syscall a blocked thread is in, -1 when none or not readable. */
static int32_t read_syscall(const char *dir)
{
	char path[96], buf[64];

	snprintf(path, sizeof(path), "%s/syscall", dir);
	if (ct_proc_line(path, buf, sizeof(buf)) || buf[0] < '0' || buf[0] > '9')
		return -1;	/* "running", and "-1": not in a syscall */
	return (int32_t)atoi(buf);
}

struct walk {
	struct ct_intake *in;
	uint32_t ncpus;
	uint64_t now;
};

static int snapshot_thread(void *ctx, pid_t pid, uint32_t tid)
{
	const struct walk *w = ctx;
	struct ct_start_state r = { .h = { .ts = w->now, .kind = CT_EV_START_STATE, .tid = tid } };
	struct ct_proc_stat st;
	char dir[64], path[80];

	snprintf(dir, sizeof(dir), "/proc/%d/task/%u", pid, tid);
	snprintf(path, sizeof(path), "%s/stat", dir);
	if (ct_proc_stat(path, &st))
		return 0;	/* gone since the walk began */
	memcpy(r.comm, st.comm, sizeof(r.comm));
	r.h.cpu = (uint16_t)(st.cpu >= 0 && (uint32_t)st.cpu < w->ncpus ? st.cpu : 0);
	r.tgid = (uint32_t)pid;
	r.ppid = st.ppid > 0 ? (uint32_t)st.ppid : 0;
	r.state = state_bits(st.state);
	/* A kernel thread's syscall file reads as read(0, ...): it is in none. */
	r.syscall = r.state && !(st.flags & PF_KTHREAD) ? read_syscall(dir) : -1;
	return cti_add(w->in, &r, sizeof(r)) == 1;
}

int ct_snapshot_tasks(struct ct_intake *in, pid_t root, uint32_t ncpus, uint64_t now)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	pid_t self = getpid();
	struct walk w = { in, ncpus, now };
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name);

		if (pid > 0 && pid != self && (!root || ct_descends_from(pid, root)))
			n += ct_each_thread(pid, snapshot_thread, &w);
	}
	closedir(d);
	return n;
}
