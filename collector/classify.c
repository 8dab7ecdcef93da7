/*
 * The classification table.  A task that leaves the CPU without being
 * runnable is blocked; its reason comes from its task state and the
 * syscall it is inside:
 *
 *   reason  when
 *   ------  ----------------------------------------------------------------
 *   disk    uninterruptible sleep (D: block I/O, page-cache misses, reads of
 *           regular files), or inside fsync/fdatasync/sync/syncfs/
 *           sync_file_range/msync/io_getevents
 *   net     inside recv*, send*, accept*, connect
 *   poll    inside epoll_wait/epoll_pwait(2), poll/ppoll, select/pselect6:
 *           an event loop waiting
 *   pipe    inside read/write/readv/writev/pread/pwrite/splice/tee on a pipe
 *           or another non-disk fd (interruptible sleep)
 *   lock    inside futex/futex_waitv, flock, semop/semtimedop; or, on
 *           PREEMPT_RT, blocked on a kernel spinlock (TASK_RTLOCK_WAIT)
 *   sleep   inside nanosleep/clock_nanosleep/pause/rt_sigsuspend/
 *           rt_sigtimedwait
 *   child   inside wait4/waitid; the model also counts pause and
 *           rt_sigsuspend of a process with children alive (a shell's wait)
 *   other   anything else, or blocked outside any syscall
 *
 * Idle kernel waits (TASK_IDLE: D with NOLOAD) are not disk, nor are
 * frozen tasks (TASK_FROZEN: other), which the kernel reports as D.  Names are
 * matched against the syscall table generated from the kernel headers.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "classify.h"
#include "trace.h"

static const char *const state_names[CT_ST_COUNT] = {
	"running", "runnable", "disk", "net", "poll", "pipe", "lock", "sleep", "child", "other", "idle", "unknown",
};

static const struct {
	const char *name;
	enum ct_state reason;
} table[] = {
	{ "fsync", CT_ST_DISK }, { "fdatasync", CT_ST_DISK }, { "sync", CT_ST_DISK },
	{ "syncfs", CT_ST_DISK }, { "sync_file_range", CT_ST_DISK }, { "msync", CT_ST_DISK },
	{ "io_getevents", CT_ST_DISK }, { "io_pgetevents", CT_ST_DISK },
	{ "recvfrom", CT_ST_NET }, { "recvmsg", CT_ST_NET }, { "recvmmsg", CT_ST_NET },
	{ "sendto", CT_ST_NET }, { "sendmsg", CT_ST_NET }, { "sendmmsg", CT_ST_NET },
	{ "accept", CT_ST_NET }, { "accept4", CT_ST_NET }, { "connect", CT_ST_NET },
	{ "epoll_wait", CT_ST_POLL }, { "epoll_pwait", CT_ST_POLL }, { "epoll_pwait2", CT_ST_POLL },
	{ "poll", CT_ST_POLL }, { "ppoll", CT_ST_POLL }, { "select", CT_ST_POLL },
	{ "pselect6", CT_ST_POLL }, { "io_uring_enter", CT_ST_POLL },
	{ "read", CT_ST_PIPE }, { "write", CT_ST_PIPE }, { "readv", CT_ST_PIPE },
	{ "writev", CT_ST_PIPE }, { "pread64", CT_ST_PIPE }, { "pwrite64", CT_ST_PIPE },
	{ "preadv", CT_ST_PIPE }, { "pwritev", CT_ST_PIPE }, { "preadv2", CT_ST_PIPE },
	{ "pwritev2", CT_ST_PIPE }, { "splice", CT_ST_PIPE }, { "tee", CT_ST_PIPE },
	{ "futex", CT_ST_LOCK }, { "futex_waitv", CT_ST_LOCK }, { "flock", CT_ST_LOCK },
	{ "semop", CT_ST_LOCK }, { "semtimedop", CT_ST_LOCK },
	{ "nanosleep", CT_ST_SLEEP }, { "clock_nanosleep", CT_ST_SLEEP }, { "pause", CT_ST_SLEEP },
	{ "rt_sigsuspend", CT_ST_SLEEP }, { "rt_sigtimedwait", CT_ST_SLEEP },
	{ "wait4", CT_ST_CHILD }, { "waitid", CT_ST_CHILD },
};

static const struct {
	const char *name;
	enum ct_wait_call call;
} wait_calls[] = {
	{ "poll", CT_CALL_POLL }, { "ppoll", CT_CALL_POLL }, { "select", CT_CALL_POLL },
	{ "pselect6", CT_CALL_POLL }, { "epoll_wait", CT_CALL_EPOLL }, { "epoll_pwait", CT_CALL_EPOLL },
	{ "epoll_pwait2", CT_CALL_EPOLL }, { "io_uring_enter", CT_CALL_URING }, { "close", CT_CALL_CLOSE },
	{ "pause", CT_CALL_SIGNAL }, { "rt_sigsuspend", CT_CALL_SIGNAL },
};

#define MAX_NR 1024
static unsigned char by_nr[MAX_NR];	/* reason + 1; 0 = not in the table */
static unsigned char call_of[MAX_NR];	/* enum ct_wait_call */
static pthread_once_t built_once = PTHREAD_ONCE_INIT;	/* replays may run on several threads */
static atomic_bool built;	/* checked first: pthread_once is a call, and this runs per event */

static void build(void)
{
	int n = ct_syscall_count() < MAX_NR ? ct_syscall_count() : MAX_NR;

	for (int nr = 0; nr < n; nr++) {
		const char *name = ct_syscall_name(nr);

		for (size_t i = 0; name && i < sizeof(table) / sizeof(table[0]); i++)
			if (!strcmp(name, table[i].name))
				by_nr[nr] = (unsigned char)(table[i].reason + 1);
		for (size_t i = 0; name && i < sizeof(wait_calls) / sizeof(wait_calls[0]); i++)
			if (!strcmp(name, wait_calls[i].name))
				call_of[nr] = (unsigned char)wait_calls[i].call;
	}
	atomic_store_explicit(&built, true, memory_order_release);
}

static inline void build_once(void)
{
	if (!atomic_load_explicit(&built, memory_order_acquire))
		pthread_once(&built_once, build);
}

enum ct_wait_call ct_wait_call(int32_t syscall)
{
	build_once();
	return syscall >= 0 && syscall < MAX_NR ? (enum ct_wait_call)call_of[syscall] : CT_CALL_OTHER;
}

const char *ct_state_name(enum ct_state s)
{
	return s < CT_ST_COUNT ? state_names[s] : "none";
}

enum ct_state ct_classify_block(uint32_t state, int32_t syscall)
{
	build_once();
	if (state & CT_TASK_RTLOCK_WAIT)
		return CT_ST_LOCK;
	if (state & CT_TASK_FROZEN)
		return CT_ST_OTHER;
	/*
	 * Asleep outside any syscall, interruptibly or as TASK_IDLE: a kernel
	 * thread waiting for work (user tasks sleep inside syscalls, or in D).
	 */
	if (syscall < 0 && (!(state & CT_TASK_UNINTERRUPTIBLE) || (state & CT_TASK_NOLOAD)))
		return CT_ST_IDLE;
	if ((state & CT_TASK_UNINTERRUPTIBLE) && !(state & CT_TASK_NOLOAD))
		return CT_ST_DISK;
	if (syscall >= 0 && syscall < MAX_NR && by_nr[syscall])
		return (enum ct_state)(by_nr[syscall] - 1);
	return CT_ST_OTHER;
}

