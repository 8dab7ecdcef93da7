/* Epoll sets as epoll_ctl builds them (loops.h).  A process has a handful: a list does. */
#include <stdlib.h>
#include <string.h>

#include "../bpf/events.h"
#include "loops.h"
#include "xalloc.h"

static struct ct_epoll_set *find(const struct ct_loops *l, uint32_t tgid, int32_t epfd)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->sets[i].epfd == epfd && l->sets[i].tgid == tgid)
			return &l->sets[i];
	return NULL;
}

static struct ct_epoll_set *get(struct ct_loops *l, uint32_t tgid, int32_t epfd)
{
	struct ct_epoll_set *s = find(l, tgid, epfd);

	if (s)
		return s;
	for (size_t i = 0; i < l->n; i++)
		if (l->sets[i].epfd < 0) {
			s = &l->sets[i];
			break;
		}
	if (!s) {
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 8;
			l->sets = ct_xrealloc(l->sets, l->cap * sizeof(*l->sets));
		}
		s = &l->sets[l->n++];
	}
	*s = (struct ct_epoll_set){ .tgid = tgid, .epfd = epfd };
	return s;
}

static void release(struct ct_epoll_set *s)
{
	ct_tidmap_free(&s->fds);
	*s = (struct ct_epoll_set){ .epfd = -1 };
}

/* fd leaves s (if it was there). */
static void forget_fd(struct ct_epoll_set *s, uint32_t fd)
{
	uint32_t *class = ct_tidmap_get(&s->fds, fd);

	if (!class)
		return;
	if (*class == CT_FD_SOCKET)
		s->ops--;
	ct_tidmap_del(&s->fds, fd);
}

void ct_loops_ctl(struct ct_loops *l, uint32_t tgid, int32_t epfd, int32_t op, int32_t fd,
		  uint32_t fd_class)
{
	struct ct_epoll_set *s;
	uint32_t *class;

	if (epfd < 0 || fd < 0)
		return;
	s = get(l, tgid, epfd);
	forget_fd(s, (uint32_t)fd);	/* add, mod and del all start from nothing */
	if (op == 2)
		return;
	class = ct_tidmap_put(&s->fds, (uint32_t)fd);
	*class = fd_class;
	if (fd_class == CT_FD_SOCKET)
		s->ops++;
}

void ct_loops_close(struct ct_loops *l, uint32_t tgid, int32_t fd)
{
	for (size_t i = 0; i < l->n; i++) {
		struct ct_epoll_set *s = &l->sets[i];

		if (s->epfd < 0 || s->tgid != tgid)
			continue;
		if (s->epfd == fd)
			release(s);
		else if (fd >= 0)
			forget_fd(s, (uint32_t)fd);
	}
}

void ct_loops_drop(struct ct_loops *l, uint32_t tgid)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->sets[i].epfd >= 0 && l->sets[i].tgid == tgid)
			release(&l->sets[i]);
}

uint32_t ct_loops_ops(const struct ct_loops *l, uint32_t tgid, int32_t epfd)
{
	const struct ct_epoll_set *s = find(l, tgid, epfd);

	return s ? s->ops : 0;
}

void ct_loops_free(struct ct_loops *l)
{
	for (size_t i = 0; i < l->n; i++)
		ct_tidmap_free(&l->sets[i].fds);
	free(l->sets);
	memset(l, 0, sizeof(*l));
}
