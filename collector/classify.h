/* Why a thread is off the CPU: the one table that maps syscalls and task states to reasons. */
#ifndef CTRACE_CLASSIFY_H
#define CTRACE_CLASSIFY_H

#include <stdint.h>

enum ct_state {
	CT_ST_RUNNING,
	CT_ST_RUNNABLE,
	CT_ST_DISK,
	CT_ST_NET,
	CT_ST_POLL,
	CT_ST_PIPE,
	CT_ST_LOCK,
	CT_ST_SLEEP,
	CT_ST_CHILD,
	CT_ST_OTHER,
	CT_ST_COUNT,
	CT_ST_NONE = CT_ST_COUNT,	/* not alive, or not yet seen */
};

const char *ct_state_name(enum ct_state s);
/* The blocked reason of a task that left the CPU in raw state `state` inside `syscall` (-1: none). */
enum ct_state ct_classify_block(uint32_t state, int32_t syscall);
/* Waits for something in the workload itself (another thread, a child): neither CPU nor I/O. */
int ct_state_is_neutral(enum ct_state s);
/* Idle waits: nothing to do (poll, sleep).  Everything else blocked is "in flight". */
int ct_state_is_idle(enum ct_state s);

#endif
