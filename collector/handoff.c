#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "handoff.h"

struct ct_handoff {
	pthread_mutex_t mu;
	pthread_cond_t changed;
	unsigned nslots;
	unsigned taken, filled;	/* slots released by the consumer, published by the producer */
	unsigned wake_at;	/* slots ready before a waiting side is woken */
	bool producer_waits, consumer_waits;
	bool closed, cancelled;
	size_t slot_size;
	uint8_t *slots;
};

struct ct_handoff *ct_handoff_new(unsigned nslots, size_t slot_size)
{
	struct ct_handoff *h = calloc(1, sizeof(*h));

	if (!h || !(h->slots = calloc(nslots, slot_size))) {
		free(h);
		return NULL;
	}
	h->nslots = nslots;
	h->wake_at = nslots > 1 ? nslots / 2 : 1;
	h->slot_size = slot_size;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->changed, NULL);
	return h;
}

void ct_handoff_free(struct ct_handoff *h)
{
	if (!h)
		return;
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->changed);
	free(h->slots);
	free(h);
}

static void *slot_at(struct ct_handoff *h, unsigned n)
{
	return h->slots + (size_t)(n % h->nslots) * h->slot_size;
}

void *ct_handoff_at(struct ct_handoff *h, unsigned i)
{
	return slot_at(h, i);
}

/* Wait until ready(h) or cancelled; the slot numbered at, or NULL when cancelled or not ready(h). */
static void *wait_for(struct ct_handoff *h, bool (*ready)(const struct ct_handoff *), unsigned at,
		      bool (*done)(const struct ct_handoff *), bool *waits)
{
	void *slot = NULL;

	pthread_mutex_lock(&h->mu);
	while (!ready(h) && !h->cancelled && !(done && done(h))) {
		*waits = true;
		pthread_cond_wait(&h->changed, &h->mu);
	}
	*waits = false;
	if (!h->cancelled && ready(h))
		slot = slot_at(h, at);
	pthread_mutex_unlock(&h->mu);
	return slot;
}

static bool has_free(const struct ct_handoff *h) { return h->filled - h->taken < h->nslots; }
static bool has_filled(const struct ct_handoff *h) { return h->filled != h->taken; }
static bool is_closed(const struct ct_handoff *h) { return h->closed; }

void *ct_handoff_slot(struct ct_handoff *h)
{
	return wait_for(h, has_free, h->filled, NULL, &h->producer_waits);
}

void *ct_handoff_take(struct ct_handoff *h)
{
	return wait_for(h, has_filled, h->taken, is_closed, &h->consumer_waits);
}

/*
 * A side that waits is woken once half the ring is ready for it, not at
 * every slot: a ring that runs full or empty would otherwise switch
 * threads (and, on a VM, interrupt a CPU) once per slot.  Close and cancel
 * wake both sides themselves, and no side waits after them.
 */
static void wake(struct ct_handoff *h, bool waits, unsigned ready)
{
	if (waits && ready >= h->wake_at)
		pthread_cond_broadcast(&h->changed);
}

void ct_handoff_publish(struct ct_handoff *h)
{
	pthread_mutex_lock(&h->mu);
	h->filled++;
	wake(h, h->consumer_waits, h->filled - h->taken);
	pthread_mutex_unlock(&h->mu);
}

void ct_handoff_release(struct ct_handoff *h)
{
	pthread_mutex_lock(&h->mu);
	h->taken++;
	wake(h, h->producer_waits, h->nslots - (h->filled - h->taken));
	pthread_mutex_unlock(&h->mu);
}

/* Stop under the lock and wake both sides. */
static void stop(struct ct_handoff *h, bool *flag)
{
	pthread_mutex_lock(&h->mu);
	*flag = true;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->mu);
}

void ct_handoff_close(struct ct_handoff *h) { stop(h, &h->closed); }
void ct_handoff_cancel(struct ct_handoff *h) { stop(h, &h->cancelled); }
