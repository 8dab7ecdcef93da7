/*
 * CPU-bound threads that compute only while holding one mutex: C's twin of
 * Python's GIL.  Several threads want the CPU, yet one runs at a time.
 *   cpu_lock [-t THREADS] [-w MILLIONS per thread]
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 200000L	/* work done per hold of the lock */

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long chunks_left;

static void *worker(void *arg)
{
	volatile uint64_t x = 0;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&big_lock);
		long left = atomic_fetch_sub(&chunks_left, 1);

		for (long i = 0; left > 0 && i < CHUNK; i++)
			x += (uint64_t)i * 2654435761u;
		pthread_mutex_unlock(&big_lock);
		if (left <= 0)
			return NULL;
		sched_yield();	/* let a waiter in, as the GIL's drop request does */
	}
}

int main(int argc, char **argv)
{
	long threads = 2, work = 200;
	int c;

	while ((c = getopt(argc, argv, "t:w:")) != -1) {
		if (c == 't')
			threads = atol(optarg);
		else if (c == 'w')
			work = atol(optarg);
		else
			return 2;
	}
	if (threads < 1 || threads > 1024 || work < 0) {
		fprintf(stderr, "usage: %s [-t THREADS] [-w MILLIONS]\n", argv[0]);
		return 2;
	}
	atomic_store(&chunks_left, threads * work * (1000000L / CHUNK));
	pthread_t *t = calloc((size_t)threads, sizeof(*t));

	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("cpu_lock: %ld threads, one lock: concurrent, serialized\n", threads);
	free(t);
	return 0;
}
