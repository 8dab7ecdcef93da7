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
 * The next events, in order: 1 with *ev pointing at *n of them (valid
 * until the next call), 0 at the end, -1 on a bad trace (ctr_error(r)
 * says why; the events before the bad one come first).
 */
int ct_feed_next(struct ct_feed *f, const struct ct_event **ev, size_t *n);
/* Stop reading (at any point) and free; r is the caller's again. */
void ct_feed_stop(struct ct_feed *f);

#endif
