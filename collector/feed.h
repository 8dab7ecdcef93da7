/*
 * A trace's events read ahead on a second thread: decoding and checking
 * blocks (a quarter of a report's time) overlaps with whatever consumes
 * them.  Memory is a few fixed batches, whatever the trace's size.
 */
#ifndef CTRACE_FEED_H
#define CTRACE_FEED_H

#include "reader.h"

struct ct_feed;

/* Start reading r ahead; NULL when no thread could be started (read r directly then). */
struct ct_feed *ct_feed_start(struct ct_reader *r);
/*
 * As ctr_next(): 1 with *ev pointing at the event (valid until the next
 * call), 0 at the end, -1 on a bad trace (ctr_error(r) says why).
 */
int ct_feed_next(struct ct_feed *f, const struct ct_event **ev);
/* Stop reading (at any point) and free; r is the caller's again. */
void ct_feed_stop(struct ct_feed *f);

#endif
