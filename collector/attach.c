/*
 * -p: a running tree, found by walking /proc.  The probes are attached
 * first, so a thread born during the walk is caught by fork; the recorder
 * walks twice to catch one born just before.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "probes.h"

int ct_proc_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int rc = f && fgets(buf, (int)len, f) ? 0 : -1;

	if (f)
		fclose(f);
	return rc;
}

int ct_proc_stat(const char *path, struct ct_proc_stat *st)
{
	char buf[1024];

	if (ct_proc_line(path, buf, sizeof(buf)))
		return -1;
	char *open = strchr(buf, '('), *close = strrchr(buf, ')');	/* comm may hold parens */

	if (!open || !close || close < open || close[1] != ' ')
		return -1;
	size_t len = (size_t)(close - open - 1);

	snprintf(st->comm, sizeof(st->comm), "%.*s", (int)(len < sizeof(st->comm) ? len : sizeof(st->comm) - 1),
		 open + 1);
	st->state = close[2];
	st->ppid = -1;
	st->flags = 0;
	st->cpu = 0;
	/* Fields after comm: 3 the state, 4 the parent, 9 the flags, 39 the CPU it last ran on. */
	char *p = close + 2;

	for (int field = 3; p && field < 39; field++) {
		if ((p = strchr(p, ' ')))
			p++;
		if (p && field + 1 == 4)
			st->ppid = atoi(p);
		else if (p && field + 1 == 9)
			st->flags = (unsigned)strtoul(p, NULL, 10);
	}
	if (p)
		st->cpu = atoi(p);
	return 0;
}

static pid_t parent_of(pid_t pid)
{
	char path[64];
	struct ct_proc_stat st;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	return ct_proc_stat(path, &st) ? -1 : st.ppid;
}

bool ct_descends_from(pid_t pid, pid_t root)
{
	for (int depth = 0; pid > 1 && depth < 4096; depth++) {
		if (pid == root)
			return true;
		pid = parent_of(pid);
	}
	return pid == root;
}

int ct_each_thread(pid_t pid, int (*fn)(void *ctx, pid_t pid, uint32_t tid), void *ctx)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			n += fn(ctx, pid, (uint32_t)atoi(de->d_name));
	closedir(d);
	return n;
}

static int track_one(void *probes, pid_t pid, uint32_t tid)
{
	(void)pid;
	return !ct_probes_track(probes, tid);
}

static int track_threads(struct ct_probes *p, pid_t pid)
{
	return ct_each_thread(pid, track_one, p);
}

int ct_attach_tree(struct ct_probes *p, pid_t root)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name);

		if (pid > 0 && ct_descends_from(pid, root))
			n += track_threads(p, pid);
	}
	closedir(d);
	return n;
}
