/*
 * Fixed slots handed from one thread to another, in order: a producer
 * fills one while a consumer empties an earlier one, and either waits when
 * the other is a whole ring behind.  Memory is the slots, however much
 * passes through them.
 *
 *   producer:  [slot 0 filled][slot 1 filled][slot 2 filling][slot 3 free]
 *   consumer:   ^ taken
 */
#ifndef CTRACE_HANDOFF_H
#define CTRACE_HANDOFF_H

#include <stddef.h>

struct ct_handoff;

/* nslots slots of slot_size bytes each, zeroed; NULL when out of memory. */
struct ct_handoff *ct_handoff_new(unsigned nslots, size_t slot_size);
void ct_handoff_free(struct ct_handoff *h);
/* Slot i (of nslots), for what slots hold beyond their bytes: only while no thread uses h. */
void *ct_handoff_at(struct ct_handoff *h, unsigned i);

/* Producer: the slot to fill next, once one is free; NULL once cancelled. */
void *ct_handoff_slot(struct ct_handoff *h);
/* Producer: that slot is filled; the consumer may take it. */
void ct_handoff_publish(struct ct_handoff *h);
/*
 * Producer: no slot follows the last one published.  A waiting consumer is
 * woken once half the ring is filled, or at this: a producer that stops
 * publishing for good says so here.
 */
void ct_handoff_close(struct ct_handoff *h);

/* Consumer: the next filled slot, once there is one; NULL when closed and all taken, or cancelled. */
void *ct_handoff_take(struct ct_handoff *h);
/* Consumer: done with the slot taken; the producer may fill it again. */
void ct_handoff_release(struct ct_handoff *h);

/* Either side: stop both; every wait returns NULL from now on. */
void ct_handoff_cancel(struct ct_handoff *h);

#endif
