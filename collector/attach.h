/* -p: the running process tree under a PID, found in /proc and added to the task set. */
#ifndef CTRACE_ATTACH_H
#define CTRACE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ct_probes;

/* Every thread of root and of its descendants: the count added, -1 without /proc. */
int ct_attach_tree(struct ct_probes *p, pid_t root);

/* fn for each thread of pid in /proc (none when it is gone): the sum of what fn returned. */
int ct_each_thread(pid_t pid, int (*fn)(void *ctx, pid_t pid, uint32_t tid), void *ctx);

/* What /proc/.../stat says of a task. */
struct ct_proc_stat {
	char comm[16];
	char state;		/* R, S, D, I, T, t, P, Z... */
	pid_t ppid;
	unsigned flags;		/* PF_* */
	int cpu;		/* the CPU it last ran on */
};

/* A task's /proc/.../stat (path); -1 when it is gone or unreadable. */
int ct_proc_stat(const char *path, struct ct_proc_stat *st);

/* The first line of a /proc file into buf; -1 when it cannot be read. */
int ct_proc_line(const char *path, char *buf, size_t len);

/* Whether pid is root or one of its descendants (by /proc's parent links). */
bool ct_descends_from(pid_t pid, pid_t root);

#endif
