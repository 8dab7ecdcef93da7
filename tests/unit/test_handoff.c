/* Slots handed between two threads: every one, in order; a side that waits is woken when it must be. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "handoff.h"

#define SLOTS 4

struct side {
	struct ct_handoff *h;
	unsigned n;		/* slots to publish, or taken */
	unsigned sum;		/* of what the slots held, in order */
	bool out_of_order;
};

static void *consume(void *arg)
{
	struct side *s = arg;
	const unsigned *slot;

	while ((slot = ct_handoff_take(s->h))) {
		if (*slot != s->n)
			s->out_of_order = true;
		s->n++;
		ct_handoff_release(s->h);
	}
	return NULL;
}

static void *produce(void *arg)
{
	struct side *s = arg;
	unsigned *slot;

	for (unsigned i = 0; i < s->n; i++) {
		if (!(slot = ct_handoff_slot(s->h)))
			return NULL;
		*slot = i;
		ct_handoff_publish(s->h);
	}
	ct_handoff_close(s->h);
	return NULL;
}

static void pause_ms(long ms)
{
	struct timespec t = { 0, ms * 1000000 };

	nanosleep(&t, NULL);
}

static void every_slot_in_order(void **state)
{
	struct side prod = { .n = 100000 }, cons = { 0 };
	pthread_t p, c;

	(void)state;
	assert_non_null(prod.h = cons.h = ct_handoff_new(SLOTS, sizeof(unsigned)));
	alarm(20);	/* a lost wakeup hangs: the test dies instead */
	assert_int_equal(pthread_create(&c, NULL, consume, &cons), 0);
	assert_int_equal(pthread_create(&p, NULL, produce, &prod), 0);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	alarm(0);
	assert_int_equal(cons.n, 100000);
	assert_false(cons.out_of_order);
	ct_handoff_free(prod.h);
}

/*
 * A consumer asleep on an empty ring is woken only once half of it is
 * filled: one slot and then the close must still reach it.
 */
static void close_wakes_a_consumer_short_of_half(void **state)
{
	struct side cons = { 0 };
	pthread_t c;
	unsigned *slot;

	(void)state;
	assert_non_null(cons.h = ct_handoff_new(SLOTS, sizeof(unsigned)));
	alarm(10);
	assert_int_equal(pthread_create(&c, NULL, consume, &cons), 0);
	pause_ms(20);	/* the consumer waits by now */
	assert_non_null(slot = ct_handoff_slot(cons.h));
	*slot = 0;
	ct_handoff_publish(cons.h);
	ct_handoff_close(cons.h);
	pthread_join(c, NULL);
	alarm(0);
	assert_int_equal(cons.n, 1);
	ct_handoff_free(cons.h);
}

/* A producer asleep on a full ring: freed slots wake it, and so does a cancel when none are. */
static void a_full_ring_waits_for_the_consumer(void **state)
{
	struct side prod = { .n = SLOTS + 1 };
	pthread_t p;

	(void)state;
	assert_non_null(prod.h = ct_handoff_new(SLOTS, sizeof(unsigned)));
	alarm(10);
	assert_int_equal(pthread_create(&p, NULL, produce, &prod), 0);
	pause_ms(20);	/* SLOTS published; the producer waits for the next */
	for (unsigned i = 0; i < SLOTS; i++) {
		const unsigned *slot = ct_handoff_take(prod.h);

		assert_non_null(slot);
		assert_int_equal(*slot, i);
		ct_handoff_release(prod.h);
	}
	const unsigned *last = ct_handoff_take(prod.h);

	assert_non_null(last);
	assert_int_equal(*last, SLOTS);
	ct_handoff_release(prod.h);
	assert_null(ct_handoff_take(prod.h));	/* closed, all taken */
	pthread_join(p, NULL);

	prod.n = 2 * SLOTS;	/* again, with nobody to take: only the cancel ends it */
	ct_handoff_free(prod.h);
	assert_non_null(prod.h = ct_handoff_new(SLOTS, sizeof(unsigned)));
	assert_int_equal(pthread_create(&p, NULL, produce, &prod), 0);
	pause_ms(20);
	ct_handoff_cancel(prod.h);
	pthread_join(p, NULL);
	alarm(0);
	assert_null(ct_handoff_take(prod.h));
	ct_handoff_free(prod.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_slot_in_order),
		cmocka_unit_test(close_wakes_a_consumer_short_of_half),
		cmocka_unit_test(a_full_ring_waits_for_the_consumer),
	};

	return cmocka_run_group_tests_name("handoff", tests, NULL, NULL);
}
