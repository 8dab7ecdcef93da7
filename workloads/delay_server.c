/*
 * A loopback service with latency: answers each line after DELAY_MS, many
 * connections at once from one epoll loop.  The I/O workloads talk to it;
 * it runs outside the recording, like a remote service would.  With -H it
 * speaks HTTP/1.1 instead: each request (one read ending a header block)
 * gets a small keep-alive response after the delay, for curl and Node.js.
 *   delay_server [-d DELAY_MS] [-p PORT] [-H]   (prints the port it listens on)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MAX_FD 65536

static int timer_of[MAX_FD];	/* client fd -> its pending reply timer, 0 none */
static int http;		/* -H */

#define HTTP_REPLY "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n" \
		   "Connection: keep-alive\r\n\r\npong\n"
static int client_of[MAX_FD];	/* timer fd -> client */

static void arm(int ep, int client, long delay_ms)
{
	struct itimerspec its = { .it_value = { delay_ms / 1000, (delay_ms % 1000) * 1000000L } };
	int t = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = t };

	if (t < 0 || t >= MAX_FD)
		return;
	timerfd_settime(t, 0, &its, NULL);
	epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev);
	timer_of[client] = t;
	client_of[t] = client;
}

int main(int argc, char **argv)
{
	long delay = 20;
	int port = 0, c;

	while ((c = getopt(argc, argv, "d:p:H")) != -1) {
		if (c == 'd')
			delay = atol(optarg);
		else if (c == 'p')
			port = atoi(optarg);
		else if (c == 'H')
			http = 1;
		else
			return 2;
	}
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);

	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1024) ||
	    getsockname(ls, (struct sockaddr *)&a, &alen)) {
		perror("delay_server");
		return 1;
	}
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls }, evs[256];

	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	for (;;) {
		int n = epoll_wait(ep, evs, 256, -1);

		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			char buf[4096];

			if (fd == ls) {
				int cl = accept4(ls, NULL, NULL, SOCK_CLOEXEC);

				if (cl >= 0 && cl < MAX_FD) {
					ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = cl };
					epoll_ctl(ep, EPOLL_CTL_ADD, cl, &ev);
				} else if (cl >= 0) {
					close(cl);
				}
			} else if (client_of[fd]) {	/* a reply is due */
				int cl = client_of[fd];

				if (http)
					(void)!write(cl, HTTP_REPLY, sizeof(HTTP_REPLY) - 1);
				else
					(void)!write(cl, "pong\n", 5);
				close(fd);
				client_of[fd] = 0;
				timer_of[cl] = 0;
			} else {
				ssize_t r = read(fd, buf, sizeof(buf));

				if (r <= 0) {
					if (timer_of[fd]) {
						client_of[timer_of[fd]] = 0;
						close(timer_of[fd]);
						timer_of[fd] = 0;
					}
					close(fd);
				} else if (!timer_of[fd] && (!http || memmem(buf, (size_t)r, "\r\n\r\n", 4))) {
					arm(ep, fd, delay);
				}
			}
		}
		if (n < 0 && errno != EINTR)
			return 1;
	}
}
