/*
 * CPU-bound work split across POSIX threads: with N threads on N cores the
 * threads run at the same time, so parallelism approaches N.
 *   cpu_threads [-t THREADS] [-w WORK]   (WORK: millions of iterations per thread)
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long work = 200;

static void *spin(void *arg)
{
	char name[16];
	volatile uint64_t x = 0;

	snprintf(name, sizeof(name), "worker-%ld", (long)(intptr_t)arg);
	pthread_setname_np(pthread_self(), name);
	for (long i = 0; i < work * 1000000L; i++)
		x += (uint64_t)i * 2654435761u;
	return NULL;
}

int main(int argc, char **argv)
{
	long threads = 2;
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
	pthread_t *t = calloc((size_t)threads, sizeof(*t));

	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, spin, (void *)(intptr_t)i);
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("cpu_threads: %ld threads x %ld M iterations: CPU-bound and parallel\n", threads, work);
	free(t);
	return 0;
}
