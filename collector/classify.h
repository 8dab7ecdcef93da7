/* Why a thread is off the CPU: the one table that maps syscalls and task states to reasons. */
#ifndef CTRACE_CLASSIFY_H
#define CTRACE_CLASSIFY_H

#include <stdbool.h>
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
	CT_ST_IDLE,		/* waiting, with nothing in progress (progress.h) */
	CT_ST_UNKNOWN,		/* not known: the switch that changed it was missed */
	CT_ST_COUNT,
	CT_ST_NONE = CT_ST_COUNT,	/* not alive, or not yet seen */
};

/* Syscalls that wait on several things at once (progress.h), and close. */
enum ct_wait_call {
	CT_CALL_OTHER,
	CT_CALL_POLL,		/* poll, ppoll, select, pselect6: arg counts sockets */
	CT_CALL_EPOLL,		/* epoll_wait, epoll_pwait, epoll_pwait2: arg is the epoll fd */
	CT_CALL_URING,		/* io_uring_enter: arg counts requests in flight */
	CT_CALL_CLOSE,		/* close: arg is the fd */
	CT_CALL_SIGNAL,		/* pause, rt_sigsuspend: until a signal, however long */
};

const char *ct_state_name(enum ct_state s);
enum ct_wait_call ct_wait_call(int32_t syscall);
/* The blocked reason of a task that left the CPU in raw state `state` inside `syscall` (-1: none). */
enum ct_state ct_classify_block(uint32_t state, int32_t syscall);
/*
 * Waits on the world outside the program, or on time: disk, net, poll,
 * pipe, sleep, other.  Not lock, child, idle: those wait on the program
 * itself.  (What counts as in progress is progress.h's.)
 */
static inline bool ct_state_is_io_wait(enum ct_state s)
{
	return s >= CT_ST_DISK && s < CT_ST_IDLE && s != CT_ST_LOCK && s != CT_ST_CHILD;
}

#endif
