/*
 * Event loops' epoll sets, as epoll_ctl builds them: per process and epoll
 * fd, which fds are registered and what they are, so that a thread waiting
 * in epoll_wait stands for the operations in its set.  Closing an fd takes
 * it out of its process's sets (as the kernel does once the file is gone),
 * closing the epoll fd drops the set, and a process's sets go with it.
 */
#ifndef CTRACE_LOOPS_H
#define CTRACE_LOOPS_H

#include <stdint.h>
#include <stddef.h>

#include "tidmap.h"

struct ct_epoll_set {
	uint32_t tgid;
	int32_t epfd;		/* -1: a free slot */
	uint32_t ops;		/* registered fds that are operations (CT_FD_SOCKET) */
	struct ct_tidmap fds;	/* fd -> its enum ct_fd_class */
};

struct ct_loops {
	struct ct_epoll_set *sets;
	size_t n, cap;
};

/* One epoll_ctl (op 1 add, 2 del, 3 mod) by process tgid. */
void ct_loops_ctl(struct ct_loops *l, uint32_t tgid, int32_t epfd, int32_t op, int32_t fd,
		  uint32_t fd_class);
/* fd closed in tgid: out of its sets, or, an epoll fd, the set itself gone. */
void ct_loops_close(struct ct_loops *l, uint32_t tgid, int32_t fd);
/* The process is gone, or exec'd a new image: its sets with it. */
void ct_loops_drop(struct ct_loops *l, uint32_t tgid);
/* Operations registered in tgid's epoll set epfd (0 for a set never seen). */
uint32_t ct_loops_ops(const struct ct_loops *l, uint32_t tgid, int32_t epfd);
void ct_loops_free(struct ct_loops *l);

#endif
