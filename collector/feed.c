/*
 * One reader thread fills batches of events in a ring; the caller empties
 * them in order.  The reader stops at the end of the trace, at its first
 * error (the batch carries ctr_next's result), or when told to.
 *
 *   reader:  [batch 0 full][batch 1 full][batch 2 filling][batch 3 free]
 *   caller:   ^ reading
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "feed.h"

#define FEED_BATCH 2048
#define FEED_BATCHES 4

struct batch {
	struct ct_event ev[FEED_BATCH];
	size_t n;
	int rc;		/* after the events: 1 more follow, 0 the end, -1 an error */
};

struct ct_feed {
	struct ct_reader *r;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	unsigned head, tail;	/* batches taken, batches filled */
	bool stop;
	bool holding;		/* the caller is reading the batch at head */
	size_t pos;		/* in it */
	struct batch b[FEED_BATCHES];
};

static void *read_ahead(void *arg)
{
	struct ct_feed *f = arg;

	for (;;) {
		pthread_mutex_lock(&f->mu);
		while (f->tail - f->head == FEED_BATCHES && !f->stop)
			pthread_cond_wait(&f->changed, &f->mu);
		bool stop = f->stop;

		pthread_mutex_unlock(&f->mu);
		if (stop)
			return NULL;
		struct batch *b = &f->b[f->tail % FEED_BATCHES];
		int rc = 1;

		for (b->n = 0; b->n < FEED_BATCH && (rc = ctr_next(f->r, &b->ev[b->n])) == 1; b->n++)
			;
		b->rc = rc;
		pthread_mutex_lock(&f->mu);
		f->tail++;
		pthread_cond_broadcast(&f->changed);
		pthread_mutex_unlock(&f->mu);
		if (rc != 1)
			return NULL;
	}
}

struct ct_feed *ct_feed_start(struct ct_reader *r)
{
	struct ct_feed *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->r = r;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->changed, NULL);
	if (pthread_create(&f->thread, NULL, read_ahead, f)) {
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->changed);
		free(f);
		return NULL;
	}
	return f;
}

int ct_feed_next(struct ct_feed *f, const struct ct_event **ev)
{
	for (;;) {
		if (f->holding) {
			const struct batch *b = &f->b[f->head % FEED_BATCHES];

			if (f->pos < b->n) {
				*ev = &b->ev[f->pos++];
				return 1;
			}
			if (b->rc != 1)
				return b->rc;	/* the end, or the error: it stays */
			pthread_mutex_lock(&f->mu);
			f->head++;
			pthread_cond_broadcast(&f->changed);
			pthread_mutex_unlock(&f->mu);
			f->holding = false;
			f->pos = 0;
		}
		pthread_mutex_lock(&f->mu);
		while (f->head == f->tail)
			pthread_cond_wait(&f->changed, &f->mu);
		pthread_mutex_unlock(&f->mu);
		f->holding = true;
	}
}

void ct_feed_stop(struct ct_feed *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = true;
	pthread_cond_broadcast(&f->changed);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->changed);
	free(f);
}
