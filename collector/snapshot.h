/* -p and -a: what each task was doing when recording began, as start_state records. */
#ifndef CTRACE_SNAPSHOT_H
#define CTRACE_SNAPSHOT_H

#include <stdint.h>
#include <sys/types.h>

struct ct_intake;

/*
 * One start_state record, stamped now (CLOCK_BOOTTIME), for every thread of
 * root's tree (every thread on the machine when root is 0), read from
 * /proc.  Returns the records added, -1 without /proc.
 */
int ct_snapshot_tasks(struct ct_intake *in, pid_t root, uint32_t ncpus, uint64_t now);

#endif
