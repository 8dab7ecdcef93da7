/*
 * The one way a trace is read into the model: open it, replay every event
 * through the model and the passes riding on it, finish, close.
 *
 *   reader ──event──> pass.before ─> model ─> pass.after
 *                                      └──interval──> pass.sink
 *
 * A pass is whatever else needs the events in the same read: an exporter
 * writing them out, a timeline rasterizing the model's intervals, an
 * analysis taking a second look.  Nothing here prints: errors come back
 * as text naming the file and offset, and the caller decides what to say.
 */
#ifndef CTRACE_REPLAY_H
#define CTRACE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* What the trace says about itself, beside its events. */
struct ct_trace_info {
	struct ct_meta meta;		/* a deep copy */
	struct ct_summary summary;	/* without the per-CPU drops; dropped is set even
					 * for a cut-off trace, from its lost records */
	bool incomplete;		/* never finalized (recorder killed?): events end early */
};

struct ct_replay_pass {
	void *ctx;
	/* Once the metadata is read, before any event; non-zero stops the replay. */
	int (*begin)(void *ctx, const struct ct_meta *meta, const struct ct_model *m);
	/* Each event, as the model is about to see it, and after. */
	void (*before)(void *ctx, const struct ct_model *m, const struct ct_event *e);
	void (*after)(void *ctx, const struct ct_model *m, const struct ct_event *e);
	/* The intervals the model closes (the sink's own ctx is used). */
	struct ct_model_sink sink;
	/* Non-zero stops the replay within a batch of events: the pass failed. */
	int (*failed)(void *ctx);
	/*
	 * It reads the model's intervals and per-thread and per-CPU totals,
	 * never its levels (parallelism, concurrency, run-queue waits): when
	 * every pass says so, the model skips counting them.
	 */
	bool intervals_only;
};

/*
 * Replay path into m (initialized here) with npasses passes (passes may be
 * NULL when npasses is 0).  m NULL: no model, the passes see the events
 * alone (and m NULL), for a pass that needs none of its states.  0 with m finished and info filled (info may be
 * NULL); -1 with the reason in err and m freed, when the trace is bad or a
 * pass stopped it (then err is empty: the pass knows why).
 */
int ct_replay(const char *path, struct ct_model *m, const struct ct_replay_pass *passes,
	      size_t npasses, struct ct_trace_info *info, char *err, size_t errlen);
void ct_trace_info_free(struct ct_trace_info *info);

#endif
