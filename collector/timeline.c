#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "timeline.h"
#include "xalloc.h"

struct cpu_key {
	int64_t package, core, smt;
	uint32_t cpu;
};

static int cmp_cpu_key(const void *a, const void *b)
{
	const struct cpu_key *x = a, *y = b;

	if (x->package != y->package)
		return x->package < y->package ? -1 : 1;
	if (x->core != y->core)
		return x->core < y->core ? -1 : 1;
	if (x->smt != y->smt)
		return x->smt < y->smt ? -1 : 1;
	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

void ct_tl_order_cpus(const struct ct_cpu *topo, uint32_t ntopo, uint32_t ncpus, uint32_t *order)
{
	struct cpu_key *k = ct_xcalloc(ncpus, sizeof(*k));

	for (uint32_t c = 0; c < ncpus; c++)	/* unknown CPUs sort last, by id */
		k[c] = (struct cpu_key){ INT32_MAX, c, 0, c };
	for (uint32_t i = 0; i < ntopo; i++) {
		uint32_t c = topo[i].cpu;

		if (c < ncpus)
			k[c] = (struct cpu_key){ topo[i].package, topo[i].core, topo[i].smt, c };
	}
	qsort(k, ncpus, sizeof(*k), cmp_cpu_key);
	for (uint32_t i = 0; i < ncpus; i++)
		order[i] = k[i].cpu;
	free(k);
}

/* In progress itself, or standing for operations in flight (an event loop's waits), for little of its life. */
static bool mostly_idle(const struct ct_thread *t)
{
	uint64_t life = t->last > t->first ? t->last - t->first : 0;

	return life && (double)(t->progress_ns + t->loop_ns) <= CT_TL_IDLE_SHARE * (double)life;
}

/*
 * Active threads, largest CPU user first, one lane each up to the limit
 * (the rest share the last of theirs); mostly idle ones share a lane at the
 * bottom when there are two or more.
 */
static void assign_thread_lanes(struct ct_timeline *tl, const struct ct_model *ranked, uint32_t max_lanes)
{
	size_t n, nidle = 0, *idx = ct_model_ranked_threads(ranked, &n);
	size_t *active = ct_xcalloc(n + 1, sizeof(*active)), nact = 0;

	for (size_t i = 0; i < n; i++)
		nidle += mostly_idle(&ranked->threads[idx[i]]);
	if (nidle < 2 || max_lanes < 2)
		nidle = 0;	/* one idle thread gets a lane of its own */
	for (size_t i = 0; i < n; i++)
		if (!nidle || !mostly_idle(&ranked->threads[idx[i]]))
			active[nact++] = idx[i];
	uint32_t room = max_lanes - (nidle ? 1 : 0);
	uint32_t alanes = nact > room ? room : (uint32_t)nact;

	tl->nthreads = ranked->nthreads;
	tl->lane_of_thread = ct_xcalloc(tl->nthreads, sizeof(*tl->lane_of_thread));
	for (size_t i = 0; i < tl->nthreads; i++)
		tl->lane_of_thread[i] = -1;
	tl->nthr_lanes = alanes + (nidle ? 1 : 0);
	tl->thread_of_lane = ct_xcalloc(tl->nthr_lanes, sizeof(*tl->thread_of_lane));
	tl->merged = nact > alanes ? (uint32_t)(nact - alanes + 1) : 0;
	tl->more_lane = tl->merged ? (int32_t)alanes - 1 : -1;
	tl->idle_merged = (uint32_t)nidle;
	tl->idle_lane = nidle ? (int32_t)alanes : -1;
	for (size_t i = 0; i < nact; i++) {
		uint32_t lane = i < alanes ? (uint32_t)i : alanes - 1;

		tl->lane_of_thread[active[i]] = (int32_t)lane;
		if (i < alanes)
			tl->thread_of_lane[lane] = active[i];
	}
	for (size_t i = 0, first = 1; nidle && i < n; i++)
		if (mostly_idle(&ranked->threads[idx[i]])) {
			tl->lane_of_thread[idx[i]] = tl->idle_lane;
			if (first--)
				tl->thread_of_lane[tl->idle_lane] = idx[i];
		}
	free(active);
	free(idx);
}

static int by_cpu_desc(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;	/* {cpu_ns, tgid, naming thread} */

	return x[0] != y[0] ? (x[0] < y[0] ? 1 : -1) : (x[1] > y[1]) - (x[1] < y[1]);
}

/* -a: the largest CPU users among processes get a colour each, in that order. */
static void assign_process_colours(struct ct_timeline *tl, const struct ct_model *ranked)
{
	struct ct_tidmap at = { 0 };	/* tgid -> its row, then its category */
	uint64_t (*procs)[3] = ct_xcalloc(ranked->nthreads + 1, sizeof(*procs));
	size_t n = 0;

	for (size_t i = 0; i < ranked->nthreads; i++) {
		const struct ct_thread *t = &ranked->threads[i];

		if (!t->workload)
			continue;
		uint32_t *row = ct_tidmap_put(&at, t->tgid);

		if (*row == CT_TIDMAP_NONE) {
			procs[n][1] = t->tgid;
			procs[n][2] = i;
			*row = (uint32_t)n++;
		}
		procs[*row][0] += t->cpu_ns;
		if (t->tid == t->tgid)
			procs[*row][2] = i;	/* named by its main thread */
	}
	qsort(procs, n, sizeof(*procs), by_cpu_desc);
	tl->nprocs = n < CT_TL_MAX_PROCS ? (uint32_t)n : CT_TL_MAX_PROCS;
	tl->proc_thread = ct_xcalloc(tl->nprocs + 1, sizeof(*tl->proc_thread));
	for (size_t k = 0; k < n; k++) {
		*ct_tidmap_put(&at, (uint32_t)procs[k][1]) = k < tl->nprocs ? CT_TL_THREAD0 + (uint32_t)k : CT_TL_OTHER;
		if (k < tl->nprocs)
			tl->proc_thread[k] = (size_t)procs[k][2];
	}
	for (size_t i = 0; i < ranked->nthreads; i++) {
		const struct ct_thread *t = &ranked->threads[i];

		tl->cat_of_thread[i] = t->workload ? (int32_t)*ct_tidmap_get(&at, t->tgid) : CT_TL_OTHER;
	}
	tl->ncat = CT_TL_THREAD0 + tl->nprocs;
	ct_tidmap_free(&at);
	free(procs);
}

/* CPU lanes coloured by thread (by the lane each has) or, under -a, by process. */
static void assign_cpu_colours(struct ct_timeline *tl, const struct ct_model *ranked, bool by_process)
{
	tl->cat_of_thread = ct_xcalloc(ranked->nthreads + 1, sizeof(*tl->cat_of_thread));
	if (by_process) {
		assign_process_colours(tl, ranked);
		return;
	}
	for (size_t i = 0; i < ranked->nthreads; i++)
		tl->cat_of_thread[i] = ranked->threads[i].workload && tl->lane_of_thread[i] >= 0
				       ? CT_TL_THREAD0 + tl->lane_of_thread[i] : CT_TL_OTHER;
	tl->ncat = CT_TL_THREAD0 + tl->nthr_lanes;
}

int ct_tl_init(struct ct_timeline *tl, const struct ct_model *ranked, const struct ct_meta *meta,
	       uint64_t t0, uint64_t t1, uint32_t width, uint32_t max_lanes)
{
	memset(tl, 0, sizeof(*tl));
	if (t1 <= t0 || width == 0 || max_lanes == 0)
		return -1;
	tl->t0 = t0;
	tl->t1 = t1;
	tl->width = width;
	tl->ncpu_lanes = ranked->ncpus;
	tl->cpu_of_lane = ct_xcalloc(tl->ncpu_lanes, sizeof(*tl->cpu_of_lane));
	tl->lane_of_cpu = ct_xcalloc(tl->ncpu_lanes, sizeof(*tl->lane_of_cpu));
	ct_tl_order_cpus(meta->topo, meta->ntopo, ranked->ncpus, tl->cpu_of_lane);
	for (uint32_t l = 0; l < tl->ncpu_lanes; l++)
		tl->lane_of_cpu[tl->cpu_of_lane[l]] = (int32_t)l;

	assign_thread_lanes(tl, ranked, max_lanes);
	assign_cpu_colours(tl, ranked, meta->options & CT_OPT_ALL);
	tl->thr = ct_xcalloc((size_t)tl->nthr_lanes * width * CT_ST_COUNT, sizeof(*tl->thr));
	tl->cpu = ct_xcalloc((size_t)tl->ncpu_lanes * width * tl->ncat, sizeof(*tl->cpu));
	tl->run = ct_xcalloc(width, sizeof(*tl->run));
	tl->progress = ct_xcalloc(width, sizeof(*tl->progress));
	tl->ops = ct_xcalloc(width, sizeof(*tl->ops));
	return 0;
}

void ct_tl_free(struct ct_timeline *tl)
{
	free(tl->cpu_of_lane);
	free(tl->lane_of_cpu);
	free(tl->lane_of_thread);
	free(tl->cat_of_thread);
	free(tl->proc_thread);
	free(tl->thread_of_lane);
	free(tl->thr);
	free(tl->cpu);
	free(tl->run);
	free(tl->progress);
	free(tl->ops);
	memset(tl, 0, sizeof(*tl));
}

/* Column boundaries: column c covers [t0 + c*span/width, t0 + (c+1)*span/width). */
static uint64_t col_start(const struct ct_timeline *tl, uint32_t c)
{
	return tl->t0 + (uint64_t)((unsigned __int128)(tl->t1 - tl->t0) * c / tl->width);
}

static uint32_t col_of(const struct ct_timeline *tl, uint64_t t)
{
	uint64_t c = (uint64_t)((unsigned __int128)(t - tl->t0) * tl->width / (tl->t1 - tl->t0));

	while (c + 1 < tl->width && col_start(tl, (uint32_t)c + 1) <= t)
		c++;
	while (c > 0 && col_start(tl, (uint32_t)c) > t)
		c--;
	return c < tl->width ? (uint32_t)c : tl->width - 1;
}

/*
 * Spread [start, end), weight times over, over the columns it covers,
 * adding to cells[col * stride + k].  Clipped to the range shown.
 */
static void spread(const struct ct_timeline *tl, uint64_t *cells, size_t stride, size_t k,
		   uint64_t start, uint64_t end, uint64_t weight)
{
	if (start < tl->t0)
		start = tl->t0;
	if (end > tl->t1)
		end = tl->t1;
	if (end <= start)
		return;
	for (uint32_t c = col_of(tl, start); c < tl->width; c++) {
		uint64_t cs = col_start(tl, c), ce = c + 1 < tl->width ? col_start(tl, c + 1) : tl->t1;
		uint64_t a = start > cs ? start : cs, b = end < ce ? end : ce;

		if (cs >= end)
			break;
		if (b > a)
			cells[(size_t)c * stride + k] += (b - a) * weight;
	}
}

static int32_t lane_of(const struct ct_timeline *tl, const struct ct_thread *t)
{
	size_t i = (size_t)(t - tl->model->threads);

	return i < tl->nthreads ? tl->lane_of_thread[i] : -1;
}

static int32_t cat_of(const struct ct_timeline *tl, const struct ct_thread *t)
{
	size_t i = (size_t)(t - tl->model->threads);

	return i < tl->nthreads ? tl->cat_of_thread[i] : CT_TL_OTHER;
}

static void on_state(void *ctx, const struct ct_thread *t, enum ct_state s, uint32_t ops, int32_t cpu,
		     uint64_t start, uint64_t end)
{
	struct ct_timeline *tl = ctx;
	int32_t lane = lane_of(tl, t);

	(void)cpu;
	if (s >= CT_ST_COUNT)
		return;
	if (s == CT_ST_RUNNING)
		spread(tl, tl->run, 1, 0, start, end, 1);
	if (ct_progress_threads(s, ops))
		spread(tl, tl->progress, 1, 0, start, end, 1);
	if (ct_progress_ops(s, ops))
		spread(tl, tl->ops, 1, 0, start, end, ct_progress_ops(s, ops));
	if (lane >= 0)
		spread(tl, tl->thr + (size_t)lane * tl->width * CT_ST_COUNT, CT_ST_COUNT, s, start, end, 1);
}

static void on_slice(void *ctx, uint32_t cpu, const struct ct_thread *t, uint64_t start, uint64_t end,
		     uint32_t end_state, uint64_t cpu_ns)
{
	struct ct_timeline *tl = ctx;
	size_t cat = CT_TL_IDLE;

	(void)end_state;
	(void)cpu_ns;
	if (cpu >= tl->ncpu_lanes)
		return;
	if (t)
		cat = (size_t)cat_of(tl, t);
	spread(tl, tl->cpu + (size_t)tl->lane_of_cpu[cpu] * tl->width * tl->ncat, tl->ncat, cat,
	       start, end, 1);
}

struct ct_model_sink ct_tl_sink(struct ct_timeline *tl)
{
	return (struct ct_model_sink){ tl, on_state, on_slice };
}

int ct_tl_thread_cell(const struct ct_timeline *tl, uint32_t lane, uint32_t col)
{
	const uint64_t *c = tl->thr + ((size_t)lane * tl->width + col) * CT_ST_COUNT;
	int best = CT_TL_BLANK;

	for (int s = 0; s < CT_ST_COUNT; s++)
		if (c[s] && (best < 0 || c[s] > c[best]))
			best = s;
	return best;
}

bool ct_tl_thread_ran(const struct ct_timeline *tl, uint32_t lane, uint32_t col)
{
	return tl->thr[((size_t)lane * tl->width + col) * CT_ST_COUNT + CT_ST_RUNNING] != 0;
}

int ct_tl_cpu_cell(const struct ct_timeline *tl, uint32_t lane, uint32_t col)
{
	const uint64_t *c = tl->cpu + ((size_t)lane * tl->width + col) * tl->ncat;
	int best = CT_TL_BLANK;

	for (uint32_t k = CT_TL_THREAD0; k < tl->ncat; k++)
		if (c[k] && (best < 0 || c[k] > c[best]))
			best = (int)k;
	if (best >= 0)
		return best;
	if (c[CT_TL_OTHER])
		return CT_TL_OTHER;
	return c[CT_TL_IDLE] ? CT_TL_IDLE : CT_TL_BLANK;
}

double ct_tl_level(const struct ct_timeline *tl, const uint64_t *curve, uint32_t col)
{
	uint64_t cs = col_start(tl, col), ce = col + 1 < tl->width ? col_start(tl, col + 1) : tl->t1;

	return ce > cs ? (double)curve[col] / (double)(ce - cs) : 0;
}
