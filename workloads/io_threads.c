/*
 * I/O-bound requests from threads: each thread makes ROUNDS round trips to
 * the loopback delay server.  With 1 thread the waits come one at a time
 * (sequential); with many they overlap (concurrent, yet parallelism stays
 * near 0: nobody computes).
 *   io_threads -p PORT [-t THREADS] [-r ROUNDS]
 */
#include <pthread.h>
#include <stdint.h>

#include "net.h"

static int port, rounds = 10;

static void *client(void *arg)
{
	int fd = connect_loopback(port);
	char buf[64];

	(void)arg;
	for (int i = 0; i < rounds; i++) {
		if (write(fd, "ping\n", 5) != 5 || recv(fd, buf, sizeof(buf), 0) <= 0) {
			perror("io_threads");
			exit(1);
		}
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = 8;
	int c;

	while ((c = getopt(argc, argv, "p:t:r:")) != -1) {
		if (c == 'p')
			port = atoi(optarg);
		else if (c == 't')
			threads = atol(optarg);
		else if (c == 'r')
			rounds = atoi(optarg);
		else
			return 2;
	}
	if (!port || threads < 1 || threads > 4096 || rounds < 1) {
		fprintf(stderr, "usage: %s -p PORT [-t THREADS] [-r ROUNDS]\n", argv[0]);
		return 2;
	}
	pthread_t *t = calloc((size_t)threads, sizeof(*t));

	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, client, (void *)(intptr_t)i);
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("io_threads: %ld threads x %d round trips: %s\n", threads, rounds,
	       threads > 1 ? "concurrent waits, no parallel work" : "one wait at a time");
	free(t);
	return 0;
}
