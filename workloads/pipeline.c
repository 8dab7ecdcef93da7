/*
 * A mixed pipeline: a producer thread fetches items from the loopback delay
 * server (I/O) and hands them to CPU workers through a queue, so waiting
 * and computing overlap.  Neither purely I/O- nor CPU-bound: by default
 * each item's work is calibrated at start to take 60% of the service's
 * latency on this machine.  Where cores run at different speeds (a busy VM
 * host) the mixture still drifts from run to run: see the README.
 *   pipeline -p PORT [-n ITEMS] [-t WORKERS] [-l LATENCY_MS] [-w MILLIONS per item]
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "net.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static long queued, done_producing, work;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Millions of iterations this CPU does in `seconds`: the fastest of a few
 * short timed runs (the first is slowed by a cold start, a busy host can
 * slow any one).
 */
static long calibrate(double seconds)
{
	volatile uint64_t x = 0;
	const long n = 5000000;
	double best = 1e9;

	for (int run = 0; run < 4; run++) {
		double t0 = now_s();

		for (long i = 0; i < n; i++)
			x += (uint64_t)i * 2654435761u;
		if (now_s() - t0 < best)
			best = now_s() - t0;
	}
	return best > 0 ? (long)(seconds / (best / n) / 1e6 + 0.5) : 1;
}

static void *worker(void *arg)
{
	volatile uint64_t x = 0;

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
		for (long i = 0; i < work * 1000000L; i++)	/* process the item */
			x += (uint64_t)i * 2654435761u;
	}
}

int main(int argc, char **argv)
{
	int port = 0, items = 15, c;
	long workers = 2, latency_ms = 20;
	char buf[64];

	while ((c = getopt(argc, argv, "p:n:t:w:")) != -1) {
		if (c == 'p')
			port = atoi(optarg);
		else if (c == 'n')
			items = atoi(optarg);
		else if (c == 't')
			workers = atol(optarg);
		else if (c == 'w')
			work = atol(optarg);
		else if (c == 'l')
			latency_ms = atol(optarg);
		else
			return 2;
	}
	if (!work)
		work = calibrate(0.6 * (double)latency_ms / 1000);
	if (!port || items < 1 || workers < 1 || workers > 256 || work < 1 || latency_ms < 1) {
		fprintf(stderr, "usage: %s -p PORT [-n ITEMS] [-t WORKERS] [-l LATENCY_MS] [-w MILLIONS]\n",
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
	printf("pipeline: %d items fetched over the network and processed by %ld workers "
	       "(%ld M iterations each): mixed\n", items, workers, work);
	free(t);
	return 0;
}
