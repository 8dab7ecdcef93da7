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

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;
	pid_t ppid = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		char *p = strrchr(buf, ')');	/* comm may hold spaces and parens */

		if (p && sscanf(p + 1, " %*c %d", &ppid) != 1)
			ppid = -1;
	}
	fclose(f);
	return ppid;
}

static bool descends_from(pid_t pid, pid_t root)
{
	for (int depth = 0; pid > 1 && depth < 4096; depth++) {
		if (pid == root)
			return true;
		pid = parent_of(pid);
	}
	return pid == root;
}

static int track_threads(struct ct_probes *p, pid_t pid)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !ct_probes_track(p, (uint32_t)atoi(de->d_name)))
			n++;
	closedir(d);
	return n;
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

		if (pid > 0 && descends_from(pid, root))
			n += track_threads(p, pid);
	}
	closedir(d);
	return n;
}
