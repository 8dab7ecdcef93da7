/* Concurrency's step function, settled as waits are decided (levels.h). */
#include <stdlib.h>
#include <string.h>

#include "levels.h"
#include "xalloc.h"

void ct_levels_start(struct ct_levels *l, uint64_t t)
{
	if (l->segs)
		return;		/* started (at any t, 0 included) */
	l->now = t;
	l->cap = 64;
	l->segs = ct_xrealloc(NULL, l->cap * sizeof(*l->segs));
	l->segs[0] = (struct ct_level_seg){ t, 0, 0 };
	l->nsegs = 1;
}

static void fold(struct ct_levels *l, const struct ct_level_seg *s, uint64_t end)
{
	uint64_t d = end > s->start ? end - s->start : 0;
	uint32_t th = s->threads > 0 ? (uint32_t)s->threads : 0, ops = s->ops > 0 ? (uint32_t)s->ops : 0;

	l->threads_ns += d * th;
	l->ops_ns += d * ops;
	if (!d)
		return;
	if (th + ops > l->peak)
		l->peak = th + ops;
	if (th > l->peak_threads)
		l->peak_threads = th;
	if (ops > l->peak_ops)
		l->peak_ops = ops;
}

static void push(struct ct_levels *l, struct ct_level_seg s)
{
	if (l->nsegs == l->cap) {
		l->cap *= 2;
		l->segs = ct_xrealloc(l->segs, l->cap * sizeof(*l->segs));
	}
	l->segs[l->nsegs++] = s;
}

/* The last segment always holds the levels as they are now, without pending waits. */
void ct_levels_change(struct ct_levels *l, uint64_t t, int32_t dthreads, int32_t dops)
{
	struct ct_level_seg *last;

	l->threads += dthreads;
	l->ops += dops;
	if (!l->segs || (!dthreads && !dops))
		return;
	if (t < l->now)
		t = l->now;	/* never back in time */
	l->now = t;
	last = &l->segs[l->nsegs - 1];
	if (last->start == t) {		/* several changes at one instant: one segment */
		last->threads = l->threads;
		last->ops = l->ops;
	} else {
		push(l, (struct ct_level_seg){ t, l->threads, l->ops });
	}
}

/* The index of the segment holding t, splitting one there if t falls inside it. */
static size_t split_at(struct ct_levels *l, uint64_t t)
{
	size_t lo = 0, hi = l->nsegs;

	while (hi - lo > 1) {	/* the last segment starting at or before t */
		size_t mid = (lo + hi) / 2;

		if (l->segs[mid].start <= t)
			lo = mid;
		else
			hi = mid;
	}
	if (l->segs[lo].start == t || t < l->segs[lo].start)
		return lo;
	push(l, l->segs[l->nsegs - 1]);		/* grow by one, then shift right */
	memmove(&l->segs[lo + 2], &l->segs[lo + 1], (l->nsegs - 2 - lo) * sizeof(*l->segs));
	l->segs[lo + 1] = l->segs[lo];
	l->segs[lo + 1].start = t;
	return lo + 1;
}

void ct_levels_add_past(struct ct_levels *l, uint64_t from, uint64_t to)
{
	size_t a, b;

	if (!l->segs || to <= from)
		return;
	if (from < l->segs[0].start)
		from = l->segs[0].start;	/* settled time cannot change: the caller pends */
	if (to <= from)
		return;
	/* Decided at or after `to`: nothing will change before it any more. */
	if (to > l->now)
		l->now = to;
	/* Split at both ends (from first: splitting later never moves it); from
	 * `to` on the segments keep the levels they had. */
	a = split_at(l, from);
	b = split_at(l, to);
	for (size_t i = a; i < b; i++)
		l->segs[i].threads++;
}

void ct_levels_settle(struct ct_levels *l, uint64_t t)
{
	size_t keep, last;

	if (!l->segs || t <= l->segs[0].start)
		return;
	if (t > l->now)
		l->now = t;	/* nothing will change before t: the levels held until then */
	last = l->nsegs - 1;
	if (t >= l->segs[last].start) {
		/* All of it (the usual case: nothing pending): the last segment goes on from t. */
		for (size_t i = 0; i < last; i++)
			fold(l, &l->segs[i], l->segs[i + 1].start);
		fold(l, &l->segs[last], t);
		l->segs[0] = l->segs[last];
		l->segs[0].start = t;
		l->nsegs = 1;
		return;
	}
	keep = split_at(l, t);
	for (size_t i = 0; i < keep; i++)
		fold(l, &l->segs[i], l->segs[i + 1].start);
	memmove(l->segs, &l->segs[keep], (l->nsegs - keep) * sizeof(*l->segs));
	l->nsegs -= keep;
}

void ct_levels_free(struct ct_levels *l)
{
	free(l->segs);
	memset(l, 0, sizeof(*l));
}
