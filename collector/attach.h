/* -p: the running process tree under a PID, found in /proc and added to the task set. */
#ifndef CTRACE_ATTACH_H
#define CTRACE_ATTACH_H

#include <sys/types.h>

struct ct_probes;

/* Every thread of root and of its descendants: the count added, -1 without /proc. */
int ct_attach_tree(struct ct_probes *p, pid_t root);

#endif
