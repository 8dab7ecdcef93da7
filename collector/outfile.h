/*
 * Files written on a thread of their own: the caller fills a buffer and
 * hands it over whole with the file it is for, getting an emptied one
 * back, while the thread writes the full ones in order.  The kernel's
 * copy into the page cache (a sixth of a Perfetto export's time, a fifth
 * of a CSV export's) then runs beside the encoding.  Memory is the
 * buffers in flight, whatever is written through them.
 *
 *   caller:  fill [buf] -> put -> fill [buf] -> put ...         -> finish
 *   thread:                 write ----------> write ...             (joined)
 */
#ifndef CTRACE_OUTFILE_H
#define CTRACE_OUTFILE_H

#include <stdio.h>

#include "outbuf.h"

struct ct_outfile;

/*
 * The writing thread; where none can start, puts write at once, on the
 * caller's.  NULL when out of memory.
 */
struct ct_outfile *ct_outfile_start(void);
/*
 * b's bytes are written to f (in order; f stays the caller's, to close
 * after finishing); b is now an empty buffer.  After a failed write they
 * are dropped: ct_outfile_error() says why.
 */
void ct_outfile_put(struct ct_outfile *o, FILE *f, struct ct_buf *b);
/* errno of the first write that failed, 0 if none so far; *which, when asked, its file. */
int ct_outfile_error(struct ct_outfile *o, FILE **which);
/* Everything put is written (or dropped after a failure); o freed.  ct_outfile_error's answer. */
int ct_outfile_finish(struct ct_outfile *o, FILE **which);

#endif
