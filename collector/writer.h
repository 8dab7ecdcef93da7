/* Writes a .ctr trace: the recorder's output and the tests' synthetic traces. */
#ifndef CTRACE_WRITER_H
#define CTRACE_WRITER_H

#include "trace.h"

struct ct_writer;

/*
 * Create path and write the header, META and TOPO.  The file is marked
 * incomplete until ctw_finish.  On failure returns NULL with a message
 * naming the file in err.
 */
struct ct_writer *ctw_open(const char *path, const struct ct_meta *meta,
			   char *err, size_t errlen);
/*
 * Append one event.  Events must come in non-decreasing ts order and name
 * CPUs below meta->ncpus; anything else is a caller bug and is refused.
 */
int ctw_event(struct ct_writer *w, const struct ct_event *ev);
/*
 * Keep the finished file within bytes: the first event that would take it
 * past is left out, and every one after it (ctw_full says so), so the file
 * holds the trace up to that instant.
 */
void ctw_set_limit(struct ct_writer *w, uint64_t bytes);
bool ctw_full(const struct ct_writer *w);
/* Write the events so far as a block now, so a killed recorder loses little. */
int ctw_flush(struct ct_writer *w);
/* The recorded command's end, as wait4 reported it: goes into the summary. */
void ctw_set_command(struct ct_writer *w, int32_t status, uint64_t cpu_ns, uint64_t wall_ns);
/* Flush, write the summary (drops per CPU, reordered count) and finalize. */
int ctw_finish(struct ct_writer *w, const uint64_t *drops, uint32_t ndrops,
	       uint64_t reordered);
/* Give up: close and remove the file. */
void ctw_abort(struct ct_writer *w);
void ctw_free(struct ct_writer *w);

uint64_t ctw_bytes(const struct ct_writer *w);
uint64_t ctw_events(const struct ct_writer *w);
const char *ctw_error(const struct ct_writer *w);

#endif
