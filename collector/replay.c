/* A trace read into the model, with whatever passes ride on the same read. */
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "reader.h"
#include "replay.h"

/* The model has one sink: with several passes, each interval goes to every one. */
struct fanout {
	const struct ct_replay_pass *passes;
	size_t n;
};

static void fan_state(void *ctx, const struct ct_thread *t, enum ct_state s, uint32_t ops,
		      int32_t cpu, uint64_t start, uint64_t end)
{
	const struct fanout *f = ctx;

	for (size_t i = 0; i < f->n; i++)
		if (f->passes[i].sink.thread_state)
			f->passes[i].sink.thread_state(f->passes[i].sink.ctx, t, s, ops, cpu, start, end);
}

static void fan_slice(void *ctx, uint32_t cpu, const struct ct_thread *t, uint64_t start,
		      uint64_t end, uint32_t end_state, uint64_t cpu_ns)
{
	const struct fanout *f = ctx;

	for (size_t i = 0; i < f->n; i++)
		if (f->passes[i].sink.cpu_slice)
			f->passes[i].sink.cpu_slice(f->passes[i].sink.ctx, cpu, t, start, end, end_state, cpu_ns);
}

static void install_sink(struct ct_model *m, struct fanout *f)
{
	if (f->n == 1)
		m->sink = f->passes[0].sink;
	else if (f->n > 1)
		m->sink = (struct ct_model_sink){ f, fan_state, fan_slice };
}

static bool any_failed(const struct ct_replay_pass *passes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (passes[i].failed && passes[i].failed(passes[i].ctx))
			return true;
	return false;
}

static int copy_meta(struct ct_meta *dst, const struct ct_meta *src)
{
	*dst = *src;
	dst->argv = NULL;
	dst->argc = 0;
	dst->topo = NULL;
	dst->ntopo = 0;
	if (ct_meta_set_argv(dst, (int)src->argc, src->argv))
		return -1;
	if (src->ntopo) {
		if (!(dst->topo = malloc(src->ntopo * sizeof(*src->topo))))
			return -1;
		memcpy(dst->topo, src->topo, src->ntopo * sizeof(*src->topo));
		dst->ntopo = src->ntopo;
	}
	return 0;
}

static int fill_info(struct ct_trace_info *info, struct ct_reader *r, const struct ct_model *m)
{
	const struct ct_summary *s = ctr_summary(r);

	memset(info, 0, sizeof(*info));
	if (s)
		info->summary = *s;
	info->summary.drops = NULL;
	info->summary.ndrops = 0;
	info->summary.dropped = s ? s->dropped : m ? m->lost : 0;
	info->incomplete = ctr_incomplete(r);
	return copy_meta(&info->meta, ctr_meta(r));
}

static inline void replay_event(struct ct_model *m, const struct ct_replay_pass *passes, size_t npasses,
				const struct ct_event *ev)
{
	for (size_t i = 0; i < npasses; i++)
		if (passes[i].before)
			passes[i].before(passes[i].ctx, m, ev);
	if (m)
		ct_model_event(m, ev);
	for (size_t i = 0; i < npasses; i++)
		if (passes[i].after)
			passes[i].after(passes[i].ctx, m, ev);
}

int ct_replay(const char *path, struct ct_model *m, const struct ct_replay_pass *passes,
	      size_t npasses, struct ct_trace_info *info, char *err, size_t errlen)
{
	struct fanout fan = { passes, npasses };
	struct ct_reader *r = ctr_open(path, err, errlen);
	struct ct_event own;
	const struct ct_event *batch = &own;
	int rc = 0;

	if (!r)
		return -1;
	if (m) {
		ct_model_init(m, ctr_meta(r));
		install_sink(m, &fan);
		m->intervals_only = npasses > 0;
		for (size_t i = 0; i < npasses; i++)
			m->intervals_only &= passes[i].intervals_only;
	}
	for (size_t i = 0; i < npasses && !rc; i++)
		if (passes[i].begin && passes[i].begin(passes[i].ctx, ctr_meta(r), m))
			rc = -1;
	struct ct_feed *feed = rc ? NULL : ct_feed_start(r);
	size_t n = 1;

	/* A batch at a time; a pass that failed is noticed at the batch's end. */
	while (!rc && (rc = feed ? ct_feed_next(feed, &batch, &n) : ctr_next(r, &own)) > 0) {
		for (size_t i = 0; i < n; i++)
			replay_event(m, passes, npasses, &batch[i]);
		rc = any_failed(passes, npasses) ? -1 : 0;
	}
	ct_feed_stop(feed);	/* before the reader is touched again */
	if (rc < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s", ctr_error(r) ? ctr_error(r) : "");
		ctr_close(r);
		if (m)
			ct_model_free(m);
		return -1;
	}
	if (m)
		ct_model_finish(m);
	if (info && fill_info(info, r, m)) {
		snprintf(err, errlen, "%s: out of memory", path);
		ct_trace_info_free(info);
		ctr_close(r);
		if (m)
			ct_model_free(m);
		return -1;
	}
	ctr_close(r);
	return 0;
}

void ct_trace_info_free(struct ct_trace_info *info)
{
	ct_meta_free(&info->meta);
	ct_summary_free(&info->summary);
}
