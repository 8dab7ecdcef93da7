/*
 * Streams a .ctr trace, one event at a time, validating everything: a
 * truncated or corrupt file yields "FILE: what at offset N", never a crash.
 */
#ifndef CTRACE_READER_H
#define CTRACE_READER_H

#include "trace.h"

struct ct_reader;

/* NULL with the reason in err when the file cannot be opened or its header is bad. */
struct ct_reader *ctr_open(const char *path, char *err, size_t errlen);
/* 1: *ev filled; 0: end of events; -1: error (see ctr_error). */
int ctr_next(struct ct_reader *r, struct ct_event *ev);
/*
 * Up to max events into ev[], *n of them: 1 when max were (more may
 * follow); 0: the events ended after them; -1: an error after them.
 */
int ctr_next_batch(struct ct_reader *r, struct ct_event *ev, size_t max, size_t *n);
const struct ct_meta *ctr_meta(const struct ct_reader *r);
/* The closing summary; NULL for a recording that was never finalized. */
const struct ct_summary *ctr_summary(const struct ct_reader *r);
/* True when the recording was cut off (not finalized): events end early. */
bool ctr_incomplete(const struct ct_reader *r);
const char *ctr_error(const struct ct_reader *r);
const char *ctr_path(const struct ct_reader *r);
void ctr_close(struct ct_reader *r);

#endif
