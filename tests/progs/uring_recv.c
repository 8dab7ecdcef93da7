/*
 * An io_uring event loop: N connections to the delay server, each round a
 * line sent on every one and N receives submitted at once, then reaped as
 * they complete.  While it waits in io_uring_enter, N requests are in flight.
 *   uring_recv -p PORT [-n CONNECTIONS] [-r ROUNDS]
 */
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../workloads/net.h"

#define MAX_CONN 256

static char buf[MAX_CONN][64];

static void die(const char *what, int err)
{
	fprintf(stderr, "uring_recv: %s: %s\n", what, strerror(-err));
	exit(1);
}

int main(int argc, char **argv)
{
	int port = 0, n = 32, rounds = 10, c, fds[MAX_CONN];
	struct io_uring ring;

	while ((c = getopt(argc, argv, "p:n:r:")) != -1) {
		if (c == 'p')
			port = atoi(optarg);
		else if (c == 'n')
			n = atoi(optarg);
		else if (c == 'r')
			rounds = atoi(optarg);
		else
			return 2;
	}
	if (!port || n < 1 || n > MAX_CONN) {
		fprintf(stderr, "usage: uring_recv -p PORT [-n 1..%d] [-r ROUNDS]\n", MAX_CONN);
		return 2;
	}
	int err = io_uring_queue_init(MAX_CONN, &ring, 0);

	if (err)
		die("io_uring_queue_init", err);
	for (int i = 0; i < n; i++)
		fds[i] = connect_loopback(port);
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < n; i++) {
			if (write(fds[i], "ping\n", 5) != 5)
				die("write", -1);
			io_uring_prep_recv(io_uring_get_sqe(&ring), fds[i], buf[i], sizeof(buf[i]), 0);
		}
		if ((err = io_uring_submit(&ring)) < 0)
			die("io_uring_submit", err);
		for (int done = 0; done < n; done++) {
			struct io_uring_cqe *cqe;

			if ((err = io_uring_wait_cqe(&ring, &cqe)))
				die("io_uring_wait_cqe", err);
			if (cqe->res <= 0)
				die("recv", cqe->res ? cqe->res : -1);
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
	printf("uring_recv: %d connections x %d rounds, all in flight at once in one ring\n", n, rounds);
	return 0;
}
