/*
 * A mixed pipeline: a producer thread fetches items from the loopback delay
 * server (I/O) and hands them to CPU workers through a queue, so waiting
 * and computing overlap: neither purely I/O- nor CPU-bound.  Each item
 * costs a fixed amount of the worker's own CPU time (60% of the service's
 * latency by default), measured on its thread CPU clock, so the mixture is
 * the same on fast and slow cores.
 *   pipeline -p PORT [-n ITEMS] [-t WORKERS] [-l LATENCY_MS] [-c CPU_MS per item]
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "net.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static long queued, done_producing;
static double item_cpu_s;

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Compute until this thread has used item_cpu_s of CPU. */
static void process_item(void)
{
	volatile uint64_t x = 0;
	double until = thread_cpu_s() + item_cpu_s;

	while (thread_cpu_s() < until)
		for (long i = 0; i < 100000; i++)
			x += (uint64_t)i * 2654435761u;
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&lock);
		while (!queued && !done_producing)
			pthread_cond_wait(&ready, &lock);
		if (!queued) {
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		queued--;
		pthread_mutex_unlock(&lock);
		process_item();
	}
}

int main(int argc, char **argv)
{
	int port = 0, items = 15, c;
	long workers = 1, latency_ms = 20, cpu_ms = -1;
	char buf[64];

	while ((c = getopt(argc, argv, "p:n:t:w:")) != -1) {
		if (c == 'p')
			port = atoi(optarg);
		else if (c == 'n')
			items = atoi(optarg);
		else if (c == 't')
			workers = atol(optarg);
		else if (c == 'c')
			cpu_ms = atol(optarg);
		else if (c == 'l')
			latency_ms = atol(optarg);
		else
			return 2;
	}
	if (cpu_ms < 0)
		cpu_ms = latency_ms * 6 / 10;
	item_cpu_s = (double)cpu_ms / 1000;
	if (!port || items < 1 || workers < 1 || workers > 256 || latency_ms < 1) {
		fprintf(stderr, "usage: %s -p PORT [-n ITEMS] [-t WORKERS] [-l LATENCY_MS] [-c CPU_MS]\n",
			argv[0]);
		return 2;
	}
	pthread_t *t = calloc((size_t)workers, sizeof(*t));

	for (long i = 0; i < workers; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	int fd = connect_loopback(port);

	for (int i = 0; i < items; i++) {	/* the producer: fetch, then hand over */
		if (write(fd, "item\n", 5) != 5 || recv(fd, buf, sizeof(buf), 0) <= 0) {
			perror("pipeline");
			return 1;
		}
		pthread_mutex_lock(&lock);
		queued++;
		pthread_cond_signal(&ready);
		pthread_mutex_unlock(&lock);
	}
	pthread_mutex_lock(&lock);
	done_producing = 1;
	pthread_cond_broadcast(&ready);
	pthread_mutex_unlock(&lock);
	for (long i = 0; i < workers; i++)
		pthread_join(t[i], NULL);
	close(fd);
	printf("pipeline: %d items fetched over the network, %ld ms of CPU each on %ld worker%s: mixed\n",
	       items, cpu_ms, workers, workers == 1 ? "" : "s");
	free(t);
	return 0;
}
