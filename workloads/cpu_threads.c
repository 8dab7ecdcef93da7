/*
 * CPU-bound work shared by POSIX threads: with N threads on N cores they
 * run at the same time, so parallelism approaches N.  The threads take
 * chunks of a fixed total from a shared counter, so a core that runs
 * slower (a busy VM host) does not leave the other idle at the end.
 *   cpu_threads [-t THREADS] [-w WORK]   (WORK: millions of iterations per thread)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHUNK 1000000L

static atomic_long chunks_left;

static void *spin(void *arg)
{
	char name[16];
	volatile uint64_t x = 0;

	snprintf(name, sizeof(name), "worker-%ld", (long)(intptr_t)arg);
	pthread_setname_np(pthread_self(), name);
	while (atomic_fetch_sub(&chunks_left, 1) > 0)
		for (long i = 0; i < CHUNK; i++)
			x += (uint64_t)i * 2654435761u;
	return NULL;
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
		else {
			fprintf(stderr, "usage: %s [-t THREADS] [-w MILLIONS]\n", argv[0]);
			return 2;
		}
	}
	if (threads < 1 || threads > 4096 || work < 0) {
		fprintf(stderr, "%s: threads must be 1..4096, work >= 0\n", argv[0]);
		return 2;
	}
	atomic_store(&chunks_left, threads * work);
	pthread_t *t = calloc((size_t)threads, sizeof(*t));

	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, spin, (void *)(intptr_t)i);
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("cpu_threads: %ld threads sharing %ld M iterations: CPU-bound and parallel\n",
	       threads, threads * work);
	free(t);
	return 0;
}
