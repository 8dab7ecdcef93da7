/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What a blocking syscall waits on, for the concurrency it stands for: the
 * sockets in a poll or select set, the epoll fd of an epoll_wait, the ring
 * of an io_uring_enter, a thread's exit in a futex.  Only sockets to the
 * outside world count as operations in flight (events.h, enum ct_fd_class).
 */
#ifndef CTRACE_WAITS_BPF_H
#define CTRACE_WAITS_BPF_H

#include "common.bpf.h"
#include "core_fixes.bpf.h"

/* x86_64 syscall numbers. */
#define NR_CLOSE 3
#define NR_POLL 7
#define NR_SELECT 23
#define NR_EPOLL_WAIT 232
#define NR_EPOLL_CTL 233
#define NR_PSELECT6 270
#define NR_PPOLL 271
#define NR_EPOLL_PWAIT 281
#define NR_FUTEX 202
#define NR_IO_URING_ENTER 426
#define NR_EPOLL_PWAIT2 441

#define FUTEX_WAIT_ 0
#define FUTEX_WAIT_BITSET_ 9
#define FUTEX_CMD_MASK_ 127	/* without FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME */

#define IORING_ENTER_GETEVENTS_FLAG 1u
#define IORING_ENTER_REGISTERED_RING_FLAG 16u

#define S_IFMT_ 00170000
#define S_IFSOCK_ 0140000
#define S_IFREG_ 0100000
#define S_IFBLK_ 0060000
#define S_IFDIR_ 0040000
#define S_IFCHR_ 0020000
#define S_IFIFO_ 0010000
#define AF_UNIX_ 1
#define AF_INET_ 2
#define AF_INET6_ 10
#define TCP_LISTEN_ 10

/* Sets larger than this are counted up to it. */
#define MAX_POLL_FDS 1024

static __always_inline bool is_poll_call(long nr)
{
	return nr == NR_POLL || nr == NR_PPOLL || nr == NR_SELECT || nr == NR_PSELECT6;
}

static __always_inline bool is_epoll_wait(long nr)
{
	return nr == NR_EPOLL_WAIT || nr == NR_EPOLL_PWAIT || nr == NR_EPOLL_PWAIT2;
}

/* Calls whose wait wait_arg can describe from their arguments alone. */
static __always_inline bool has_wait_arg(long nr)
{
	return is_poll_call(nr) || is_epoll_wait(nr) || nr == NR_FUTEX;
}

/*
 * The word the kernel clears, and wakes, when each of the workload's
 * threads exits (clear_child_tid, set by clone): pthread_join waits on it.
 * Filled at fork (tasks.bpf.c), emptied at exit.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);	/* tid */
	__type(value, __u64);	/* its clear_child_tid address */
} exit_words SEC(".maps") __weak;

/*
 * futex(uaddr, FUTEX_WAIT, tid): waiting for the word only thread tid's
 * exit changes, the wait of a join.  A mutex or condition variable word
 * may hold a value equal to some tid, but not at that thread's address.
 */
static __always_inline __u32 futex_arg(__u64 uaddr, __u64 op, __u64 val)
{
	__u32 tid = (__u32)val, cmd = (__u32)op & FUTEX_CMD_MASK_;
	__u64 *word;

	if (cmd != FUTEX_WAIT_ && cmd != FUTEX_WAIT_BITSET_)
		return 0;
	word = bpf_map_lookup_elem(&exit_words, &tid);
	return word && *word == uaddr ? CT_ARG_JOIN : 0;
}

static __always_inline struct file *fd_file(struct task_struct *t, int fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds, *f = NULL;

	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

static __always_inline __u32 socket_class(struct task_struct *t, struct file *f)
{
	struct socket *sock = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);

	if (!sk)
		return CT_FD_SOCKET_OTHER;
	if (state == TCP_LISTEN_)
		return CT_FD_LISTEN;
	if (family == AF_UNIX_) {
		/* A socketpair's ends name the process that made them. */
		struct pid *peer = BPF_CORE_READ(sk, sk_peer_pid);

		if (peer && peer == BPF_CORE_READ(t, signal, pids[PIDTYPE_TGID]))
			return CT_FD_SELF;
		return CT_FD_SOCKET;
	}
	return family == AF_INET_ || family == AF_INET6_ ? CT_FD_SOCKET : CT_FD_SOCKET_OTHER;
}

static __always_inline __u32 fd_class(struct task_struct *t, int fd)
{
	struct file *f = fd_file(t, fd);
	__u32 mode;

	if (!f)
		return CT_FD_NONE;
	mode = BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT_;
	switch (mode) {
	case S_IFSOCK_: return socket_class(t, f);
	case S_IFIFO_: return CT_FD_PIPE;
	case S_IFREG_: case S_IFDIR_: case S_IFBLK_: return CT_FD_FILE;
	case S_IFCHR_: return CT_FD_CHAR;
	case 0: return CT_FD_ANON;	/* anonymous inodes have no file type */
	default: return CT_FD_NONE;
	}
}

/* ---- counting a poll or select set's sockets ---- */

struct set_walk {
	struct task_struct *t;
	const void *a, *b;	/* pollfd array, or read and write fd_set bitmaps */
	__u64 wa, wb;		/* select: the bitmaps' current 64-bit words */
	__u32 ops;
};

static long count_pollfd(__u32 i, void *ctx)
{
	struct set_walk *w = ctx;
	struct pollfd pfd;

	if (bpf_probe_read_user(&pfd, sizeof(pfd), (const struct pollfd *)w->a + i))
		return 1;
	if (pfd.fd >= 0 && pfd.events && fd_class(w->t, pfd.fd) == CT_FD_SOCKET)
		w->ops++;
	return 0;
}

static long count_select_fd(__u32 fd, void *ctx)
{
	struct set_walk *w = ctx;
	__u64 bit = 1ull << (fd & 63);

	if ((fd & 63) == 0) {
		w->wa = w->wb = 0;
		if (w->a && bpf_probe_read_user(&w->wa, 8, (const __u64 *)w->a + fd / 64))
			return 1;
		if (w->b && bpf_probe_read_user(&w->wb, 8, (const __u64 *)w->b + fd / 64))
			return 1;
	}
	if (((w->wa | w->wb) & bit) && fd_class(w->t, (int)fd) == CT_FD_SOCKET)
		w->ops++;
	return 0;
}

static __always_inline __u32 clamp_fds(__u64 n)
{
	return n > MAX_POLL_FDS ? MAX_POLL_FDS : (__u32)n;
}

/* What a call about to wait waits on, from its arguments (CT_ARG_*); 0 for other calls. */
static __always_inline __u32 wait_arg(struct task_struct *t, struct pt_regs *regs, long nr)
{
	struct set_walk w = { .t = t };
	__u64 a0 = BPF_CORE_READ(regs, di), a1 = BPF_CORE_READ(regs, si), a2 = BPF_CORE_READ(regs, dx);
	__u64 a3 = BPF_CORE_READ(regs, r10), a4 = BPF_CORE_READ(regs, r8);

	switch (nr) {
	case NR_POLL:	/* poll(fds, nfds, timeout_ms) */
	case NR_PPOLL:	/* ppoll(fds, nfds, tsp, ...) */
		w.a = (const void *)a0;
		bpf_loop(clamp_fds(a1), count_pollfd, &w, 0);
		return w.ops | ((nr == NR_POLL ? (int)a2 < 0 : !a2) ? CT_ARG_FOREVER : 0);
	case NR_SELECT:		/* select(nfds, readfds, writefds, exceptfds, timeval) */
	case NR_PSELECT6:	/* pselect6(nfds, readfds, writefds, exceptfds, timespec, ...) */
		w.a = (const void *)a1;
		w.b = (const void *)a2;
		bpf_loop(clamp_fds(a0), count_select_fd, &w, 0);
		return w.ops | (!a4 ? CT_ARG_FOREVER : 0);
	case NR_EPOLL_WAIT:	/* epoll_wait(epfd, events, max, timeout_ms) */
	case NR_EPOLL_PWAIT:
		return CT_ARG_VALUE(a0) | ((int)a3 < 0 ? CT_ARG_FOREVER : 0);
	case NR_EPOLL_PWAIT2:	/* epoll_pwait2(epfd, events, max, timespec, ...) */
		return CT_ARG_VALUE(a0) | (!a3 ? CT_ARG_FOREVER : 0);
	case NR_FUTEX:		/* futex(uaddr, op, val, timeout, ...) */
		return futex_arg(a0, a1, a2);
	}
	return 0;
}

/* ---- io_uring: requests submitted and not yet completed, per ring ---- */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);	/* the ring's context */
	__type(value, __s64);
} ring_inflight SEC(".maps") __weak;

/* The ring an io_uring_enter that waits for completions waits on, else 0. */
static __always_inline __u64 waited_ring(struct task_struct *t, struct pt_regs *regs)
{
	__u64 flags = BPF_CORE_READ(regs, r10);
	struct file *f;

	if (!(flags & IORING_ENTER_GETEVENTS_FLAG) || (flags & IORING_ENTER_REGISTERED_RING_FLAG))
		return 0;
	f = fd_file(t, (int)BPF_CORE_READ(regs, di));
	return f ? (__u64)BPF_CORE_READ(f, private_data) : 0;
}

static __always_inline __u32 ring_arg(__u64 ring)
{
	__s64 *n = ring ? bpf_map_lookup_elem(&ring_inflight, &ring) : NULL;

	return (n && *n > 0 ? CT_ARG_VALUE((__u32)*n) : 0) | CT_ARG_FOREVER;
}

#endif
