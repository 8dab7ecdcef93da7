/*
 * CPU-bound threads that compute only while holding one lock, handing it
 * over after each slice of work as Python's GIL does: C's twin of the GIL.
 * Several threads want the CPU, yet one runs at a time.
 *   cpu_lock [-t THREADS] [-w MILLIONS per thread]
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHUNK 2000000L	/* work per hold of the lock: a few ms, like the GIL's interval */

static pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static long turn, threads = 2, chunks_left;

static void *worker(void *arg)
{
	long me = (long)(intptr_t)arg;
	volatile uint64_t x = 0;

	pthread_mutex_lock(&big_lock);
	for (;;) {
		/* A plain mutex is unfair: one thread could keep it.  Take turns. */
		while (turn != me && chunks_left > 0)
			pthread_cond_wait(&turn_changed, &big_lock);
		if (chunks_left <= 0)
			break;
		chunks_left--;
		for (long i = 0; i < CHUNK; i++)	/* the work, under the lock */
			x += (uint64_t)i * 2654435761u;
		turn = (turn + 1) % threads;
		pthread_cond_broadcast(&turn_changed);
	}
	pthread_cond_broadcast(&turn_changed);
	pthread_mutex_unlock(&big_lock);
	return NULL;
}

int main(int argc, char **argv)
{
	long work = 200;
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
	chunks_left = (threads * work * 1000000L + CHUNK - 1) / CHUNK;
	pthread_t *t = calloc((size_t)threads, sizeof(*t));

	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("cpu_lock: %ld threads taking turns under one lock: concurrent, serialized\n", threads);
	free(t);
	return 0;
}
