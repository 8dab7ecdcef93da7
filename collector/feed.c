/*
 * One reader thread fills batches of events, handed to the caller in order
 * (handoff.h).  The reader stops at the end of the trace, at its first
 * error (the batch carries ctr_next_batch's result), or when told to.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "feed.h"
#include "handoff.h"

#define FEED_BATCH 2048
#define FEED_BATCHES 4

struct batch {
	size_t n;
	int rc;		/* after the events: 1 more follow, 0 the end, -1 an error */
	struct ct_event ev[FEED_BATCH];
};

struct ct_feed {
	struct ct_reader *r;
	pthread_t thread;
	struct ct_handoff *batches;
	struct batch *held;	/* the caller is reading this one */
	size_t pos;		/* in it */
};

static void *read_ahead(void *arg)
{
	struct ct_feed *f = arg;
	struct batch *b;

	while ((b = ct_handoff_slot(f->batches))) {
		int rc = ctr_next_batch(f->r, b->ev, FEED_BATCH, &b->n);

		b->rc = rc;
		ct_handoff_publish(f->batches);
		if (rc != 1) {
			ct_handoff_close(f->batches);	/* the consumer waits for no more */
			break;
		}
	}
	return NULL;
}

struct ct_feed *ct_feed_start(struct ct_reader *r)
{
	struct ct_feed *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->r = r;
	if (!(f->batches = ct_handoff_new(FEED_BATCHES, sizeof(struct batch))) ||
	    pthread_create(&f->thread, NULL, read_ahead, f)) {
		ct_handoff_free(f->batches);
		free(f);
		return NULL;
	}
	return f;
}

int ct_feed_next(struct ct_feed *f, const struct ct_event **ev, size_t *n)
{
	for (;;) {
		if (f->held) {
			if (f->pos < f->held->n) {
				*ev = &f->held->ev[f->pos];
				*n = f->held->n - f->pos;
				f->pos = f->held->n;
				return 1;
			}
			if (f->held->rc != 1)
				return f->held->rc;	/* the end, or the error: it stays */
			ct_handoff_release(f->batches);
			f->pos = 0;
		}
		if (!(f->held = ct_handoff_take(f->batches)))
			return -1;	/* cancelled: only ct_feed_stop does, after the last call */
	}
}

void ct_feed_stop(struct ct_feed *f)
{
	if (!f)
		return;
	ct_handoff_cancel(f->batches);
	pthread_join(f->thread, NULL);
	ct_handoff_free(f->batches);
	free(f);
}
