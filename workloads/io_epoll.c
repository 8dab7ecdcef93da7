/*
 * I/O-bound, one thread: an epoll event loop keeps CONNS requests to the
 * loopback delay server in flight at once, plus a periodic timer.  As
 * concurrent as io_threads, with a single thread.
 *   io_epoll -p PORT [-c CONNS] [-r ROUNDS]
 */
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include "net.h"

int main(int argc, char **argv)
{
	int port = 0, conns = 64, rounds = 10, c;

	while ((c = getopt(argc, argv, "p:c:r:")) != -1) {
		if (c == 'p')
			port = atoi(optarg);
		else if (c == 'c')
			conns = atoi(optarg);
		else if (c == 'r')
			rounds = atoi(optarg);
		else
			return 2;
	}
	if (!port || conns < 1 || conns > 10000 || rounds < 1) {
		fprintf(stderr, "usage: %s -p PORT [-c CONNS] [-r ROUNDS]\n", argv[0]);
		return 2;
	}
	int ep = epoll_create1(EPOLL_CLOEXEC), *left = calloc((size_t)conns + 1, sizeof(int));
	int tick = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC), open = conns, ticks = 0;
	struct itimerspec its = { { 0, 5000000 }, { 0, 5000000 } };
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 0 }, evs[256];

	timerfd_settime(tick, 0, &its, NULL);
	ev.data.u64 = UINT64_MAX;
	epoll_ctl(ep, EPOLL_CTL_ADD, tick, &ev);
	int *fds = calloc((size_t)conns, sizeof(int));

	for (int i = 0; i < conns; i++) {
		fds[i] = connect_loopback(port);
		left[i] = rounds;
		ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = (uint64_t)i };
		epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
		(void)!write(fds[i], "ping\n", 5);
	}
	while (open) {
		int n = epoll_wait(ep, evs, 256, -1);

		for (int k = 0; k < n; k++) {
			char buf[64];

			if (evs[k].data.u64 == UINT64_MAX) {
				uint64_t x;

				(void)!read(tick, &x, sizeof(x));
				ticks++;
				continue;
			}
			int i = (int)evs[k].data.u64;

			if (recv(fds[i], buf, sizeof(buf), 0) <= 0 || --left[i] == 0) {
				close(fds[i]);
				open--;
			} else {
				(void)!write(fds[i], "ping\n", 5);
			}
		}
	}
	printf("io_epoll: %d connections x %d round trips on one thread (%d timer ticks): an event loop\n",
	       conns, rounds, ticks);
	free(fds);
	free(left);
	return 0;
}
