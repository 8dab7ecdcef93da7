/*
 * Tidy CSV for pandas and DuckDB: one row per CPU slice, thread state
 * interval and syscall, plus the threads and CPUs.  RFC 4180 quoting;
 * times are CLOCK_BOOTTIME ns, as in Perfetto.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_rows.h"
#include "export.h"
#include "handoff.h"
#include "outfile.h"
#include "model.h"
#include "replay.h"
#include "text.h"

static const char *const names[CSV_NFILES] = {
	"sched_slices.csv", "thread_states.csv", "syscalls.csv", "threads.csv", "cpus.csv",
};
static const char *const headers[CSV_NFILES] = {
	"cpu,tid,pid,comm,start_ns,dur_ns,end_state,cpu_ns",
	"tid,state,reason,start_ns,dur_ns,cpu",
	"tid,name,start_ns,dur_ns,ret",
	"tid,pid,name,workload,first_ns,last_ns,cpu_ns,running_ns,runnable_ns,blocked_ns,migrations",
	"cpu,package,core,smt,node,workload_ns,other_ns,idle_ns",
};

#define FLUSH_AT (64u << 10)	/* small enough to stay in cache until written */
#define SLOT_ROWS 4096		/* rows handed to the writing thread at a time */
#define SLOTS 4

struct slot {
	size_t n;
	struct csv_row row[SLOT_ROWS];
};

/* What the slices say of a task the model does not follow (not the workload's). */
struct seen {
	uint64_t first, last, running_ns;
};

/*
 *   replay thread:  model -> sinks -> rows -> [slot][slot]...
 *   writing thread:                           -> text -> tables' buffers
 *   output thread (outfile.h):                                    -> files
 * The tables of threads and CPUs are written by the replay thread once the
 * other two have finished.
 */
struct csv {
	const char *dir;
	FILE *f[CSV_NFILES];
	struct ct_buf b[CSV_NFILES];	/* rows on their way to f */
	char tmp[CSV_NFILES][4096];
	uint64_t rows;
	const struct ct_model *m;
	struct seen *seen;		/* by the model's thread index */
	size_t nseen;
	struct ct_handoff *slots;
	struct slot *filling;		/* the replay's; NULL when none yet */
	struct csv_row spare;		/* where rows go once the writer has stopped */
	pthread_t writer;
	bool writing;			/* the writer was started and not yet joined */
	struct ct_outfile *out;		/* writes the tables' full buffers; NULL until opened */
	atomic_int failed;		/* errno: out of memory, a write that failed */
	int failed_table;		/* the table whose write failed, -1 for none */
	int failed_err;			/* and why */
	char err[4200];			/* why opening a table failed */
};

static void fail(struct csv *c, int err)
{
	int none = 0;

	atomic_compare_exchange_strong(&c->failed, &none, err);
}

/* The table whose write failed, by its file; -1 if none. */
static int table_of(const struct csv *c, const FILE *f)
{
	for (int t = 0; t < CSV_NFILES; t++)
		if (f && c->f[t] == f)
			return t;
	return -1;
}

static void table_failed(struct csv *c, int table, int err)
{
	if (table < 0 || c->failed_table >= 0)
		return;
	c->failed_table = table;
	c->failed_err = err;
	fail(c, err);
}

/* A table's full buffer on its way to the file. */
static void flush_table(struct csv *c, int t)
{
	FILE *which;
	int err;

	ct_outfile_put(c->out, c->f[t], &c->b[t]);
	if ((err = ct_outfile_error(c->out, &which)))
		table_failed(c, table_of(c, which), err);
}

/* The output thread done with every buffer: joined, its failure noted. */
static void finish_output(struct csv *c)
{
	FILE *which;
	int err;

	if (!c->out)
		return;
	err = ct_outfile_finish(c->out, &which);
	c->out = NULL;
	if (err)
		table_failed(c, table_of(c, which), err);
}

static void *write_rows(void *arg)
{
	struct csv *c = arg;
	const struct slot *s;
	struct csv_prefixes prefixes = { 0 };	/* 24 KB on this thread's stack */

	while ((s = ct_handoff_take(c->slots))) {
		for (size_t i = 0, done = 1; i < s->n && done; i += done) {
			done = ct_csv_rows(&prefixes, c->b, &s->row[i], s->n - i, FLUSH_AT);
			c->rows += done;
			for (int t = 0; t < CSV_NFILES; t++)
				if (c->b[t].len >= FLUSH_AT)
					flush_table(c, t);
		}
		ct_handoff_release(c->slots);
		for (int t = 0; t < CSV_NFILES; t++)
			if (c->b[t].err)
				table_failed(c, t, c->b[t].err);
		if (atomic_load_explicit(&c->failed, memory_order_relaxed)) {
			ct_handoff_cancel(c->slots);	/* the replay stops at its next event */
			break;
		}
	}
	return NULL;
}

/* The next slot to fill, the last one handed to the writer; NULL when it stopped. */
static __attribute__((noinline)) struct slot *next_slot(struct csv *c)
{
	struct slot *s = c->filling;

	if (s)
		ct_handoff_publish(c->slots);
	if (!(s = c->filling = ct_handoff_slot(c->slots))) {
		fail(c, ECANCELED);	/* the writer stopped: failed() says why */
		return NULL;
	}
	s->n = 0;
	return s;
}

/* A row to fill, in the slot the writer takes next. */
static inline struct csv_row *new_row(struct csv *c, int table)
{
	struct slot *s = c->filling;

	if (__builtin_expect(!s || s->n == SLOT_ROWS, 0) && !(s = next_slot(c)))
		return &c->spare;
	struct csv_row *r = &s->row[s->n++];

	r->table = (uint8_t)table;
	return r;
}

static void on_state(void *ctx, const struct ct_thread *t, enum ct_state s, uint32_t ops, int32_t cpu,
		     uint64_t start, uint64_t end)
{
	struct csv_row *r = new_row(ctx, CSV_STATES);

	(void)ops;
	r->tid = t->tid;
	r->state = (uint8_t)s;
	r->cpu = cpu;
	r->start = start;
	r->dur = end - start;
}

static struct seen *seen_of(struct csv *c, size_t i)
{
	if (i >= c->nseen) {
		size_t n = c->nseen ? c->nseen : 64;

		while (n <= i)
			n *= 2;
		struct seen *seen = realloc(c->seen, n * sizeof(*seen));

		if (!seen) {
			fail(c, ENOMEM);
			return NULL;
		}
		memset(seen + c->nseen, 0, (n - c->nseen) * sizeof(*seen));
		c->seen = seen;
		c->nseen = n;
	}
	return &c->seen[i];
}

static void on_slice(void *ctx, uint32_t cpu, const struct ct_thread *t, uint64_t start, uint64_t end,
		     uint32_t end_state, uint64_t cpu_ns)
{
	struct csv *c = ctx;

	if (!t)
		return;	/* idle is the absence of a slice */
	/* Only another task's slices tell threads.csv what it knows of it; a workload thread's are the model's. */
	struct seen *s = t->workload ? NULL : seen_of(c, (size_t)(t - c->m->threads));

	if (s) {
		if (!s->first || start < s->first)
			s->first = start;
		if (end > s->last)
			s->last = end;
		s->running_ns += end - start;
	}
	struct csv_row *r = new_row(c, CSV_SLICES);

	r->cpu = (int32_t)cpu;
	r->tid = t->tid;
	r->tgid = t->tgid;
	memcpy(r->name, t->name, sizeof(r->name));
	r->start = start;
	r->dur = end - start;
	r->aux = end_state;
	r->extra = cpu_ns;
}

static void on_syscall(struct csv *c, const struct ct_event *e)
{
	struct csv_row *r = new_row(c, CSV_SYSCALLS);

	r->tid = e->tid;
	r->aux = (uint32_t)e->sys.nr;
	r->start = e->ts - e->sys.dur;
	r->dur = e->sys.dur;
	r->extra = (uint64_t)e->sys.ret;
}

/* The last rows handed over, and the writer done with them all. */
static void finish_rows(struct csv *c)
{
	if (!c->writing)
		return;
	if (c->filling && c->filling->n)
		ct_handoff_publish(c->slots);
	c->filling = NULL;
	ct_handoff_close(c->slots);
	pthread_join(c->writer, NULL);
	c->writing = false;
	finish_output(c);
}

static void num(struct ct_buf *b, uint64_t v)
{
	ct_buf_u64(b, v);
	ct_buf_putc(b, ',');
}

static void field(struct ct_buf *b, const char *s)
{
	if (ct_buf_room(b, CSV_ROW_MAX))
		b->len = (size_t)(ct_csv_name(b->p + b->len, s) - b->p);
}

/* A row of the small tables, written whole at the end. */
static void table_row_done(struct csv *c, struct ct_buf *b)
{
	ct_buf_putc(b, '\n');
	c->rows++;
}

/*
 * A workload thread's times are the model's.  Of another task only its
 * slices are known: when it was seen on a CPU and for how long; what it
 * did off the CPUs is not, and is left empty.
 */
static void thread_row(struct csv *c, const struct ct_thread *t, size_t i)
{
	struct ct_buf *b = &c->b[CSV_THREADS];
	const struct seen *s = i < c->nseen ? &c->seen[i] : NULL;

	num(b, t->tid);
	num(b, t->tgid);
	field(b, t->name);
	ct_buf_putc(b, ',');
	num(b, t->workload);
	if (t->workload) {
		num(b, t->first);
		num(b, t->last);
		num(b, t->cpu_ns);
		num(b, t->state_ns[CT_ST_RUNNING]);
		num(b, t->state_ns[CT_ST_RUNNABLE]);
		num(b, ct_thread_blocked_ns(t));
	} else if (s && s->running_ns) {
		num(b, s->first);
		num(b, s->last);
		ct_buf_putc(b, ',');
		num(b, s->running_ns);
		ct_buf_put(b, ",,", 2);
	} else {
		ct_buf_put(b, ",,,,,,", 6);
	}
	if (t->workload)
		ct_buf_u64(b, t->migrations);
	table_row_done(c, b);
}

static void write_tables(struct csv *c, const struct ct_model *m, const struct ct_meta *meta)
{
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];

		if (t->workload || t->name[0])	/* one seen only as a number has nothing to tell */
			thread_row(c, t, i);
	}
	for (uint32_t cpu = 0; cpu < m->ncpus; cpu++) {
		const struct ct_cpu *where = ct_cpu_topo(meta, cpu);
		struct ct_buf *b = &c->b[CSV_CPUS];

		num(b, cpu);
		if (where) {
			ct_buf_i64(b, where->package);
			ct_buf_putc(b, ',');
			ct_buf_i64(b, where->core);
			ct_buf_putc(b, ',');
			ct_buf_i64(b, where->smt);
			ct_buf_putc(b, ',');
			ct_buf_i64(b, where->node);
			ct_buf_putc(b, ',');
		} else {
			ct_buf_put(b, ",,,,", 4);
		}
		num(b, m->cpus[cpu].workload_ns);
		num(b, m->cpus[cpu].other_ns);
		ct_buf_u64(b, m->cpus[cpu].idle_ns);
		table_row_done(c, b);
	}
}

/* The writer stopped where it is, and joined: its tables are the caller's again. */
static void stop_writer(struct csv *c)
{
	if (c->writing) {
		ct_handoff_cancel(c->slots);
		pthread_join(c->writer, NULL);
		c->writing = false;
	}
	finish_output(c);
}

static void discard(struct csv *c)
{
	stop_writer(c);
	ct_handoff_free(c->slots);
	c->slots = NULL;
	for (int i = 0; i < CSV_NFILES; i++) {
		if (c->f[i])
			fclose(c->f[i]);
		if (c->tmp[i][0])
			unlink(c->tmp[i]);
		c->f[i] = NULL;
		ct_buf_free(&c->b[i]);
	}
	free(c->seen);
	c->seen = NULL;
}

/* Every table's temporary file, opened once the trace's header has been read, and the writer. */
static int open_tables(void *ctx, const struct ct_meta *meta, const struct ct_model *m)
{
	struct csv *c = ctx;

	(void)meta;
	c->m = m;
	for (int i = 0; i < CSV_NFILES; i++) {
		snprintf(c->tmp[i], sizeof(c->tmp[i]), "%s/.%s.tmp.%d", c->dir, names[i], (int)getpid());
		if (!(c->f[i] = ct_create_new(c->tmp[i]))) {
			snprintf(c->err, sizeof(c->err), "%s: %s", c->tmp[i], strerror(errno));
			c->tmp[i][0] = 0;
			return -1;
		}
		ct_buf_put(&c->b[i], headers[i], strlen(headers[i]));
		ct_buf_putc(&c->b[i], '\n');
	}
	if (!(c->slots = ct_handoff_new(SLOTS, sizeof(struct slot))) || !(c->out = ct_outfile_start())) {
		snprintf(c->err, sizeof(c->err), "%s", strerror(ENOMEM));
		return -1;
	}
	if ((errno = pthread_create(&c->writer, NULL, write_rows, c))) {
		snprintf(c->err, sizeof(c->err), "cannot start a thread: %s", strerror(errno));
		return -1;
	}
	c->writing = true;
	return 0;
}

static void after_event(void *ctx, const struct ct_model *m, const struct ct_event *e)
{
	(void)m;
	if (e->kind == CT_EV_SYSCALL)
		on_syscall(ctx, e);
}

static int failed(void *ctx)
{
	struct csv *c = ctx;

	return atomic_load_explicit(&c->failed, memory_order_relaxed);
}

/* Each table closed and renamed into place: whole, or not at all. */
static int install_tables(struct csv *c, char *err, size_t errlen)
{
	for (int i = 0; i < CSV_NFILES; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", c->dir, names[i]);
		ct_buf_flush(&c->b[i], c->f[i]);
		if (c->b[i].err) {
			snprintf(err, errlen, "%s: write failed: %s", path, strerror(c->b[i].err));
			return -1;
		}
		if (ferror(c->f[i]) || fclose(c->f[i])) {
			c->f[i] = NULL;
			snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
			return -1;
		}
		c->f[i] = NULL;
		if (rename(c->tmp[i], path)) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		c->tmp[i][0] = 0;
	}
	return 0;
}

/* Why the export stopped: the replay's reason, else the table whose write failed, else the writer's. */
static void failure(struct csv *c, char *err, size_t errlen)
{
	if (err[0])
		return;
	if (c->failed_table >= 0)
		snprintf(err, errlen, "%s/%s: write failed: %s", c->dir, names[c->failed_table],
			 strerror(c->failed_err));
	else if (atomic_load(&c->failed))
		snprintf(err, errlen, "%s: %s", c->dir, strerror(atomic_load(&c->failed)));
	else
		snprintf(err, errlen, "%s", c->err);
}

int ct_export_csv(const char *trace, const char *dir, struct ct_export_stats *st,
		  char *err, size_t errlen)
{
	struct csv c = { .dir = dir, .failed_table = -1 };
	struct ct_replay_pass pass = {
		.ctx = &c, .begin = open_tables, .after = after_event,
		.sink = { &c, on_state, on_slice }, .failed = failed, .intervals_only = true,
	};
	struct ct_trace_info info;
	struct ct_model m;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	err[0] = 0;
	if (ct_replay(trace, &m, &pass, 1, &info, err, errlen)) {
		stop_writer(&c);
		failure(&c, err, errlen);
		discard(&c);
		return -1;
	}
	finish_rows(&c);
	if (atomic_load(&c.failed)) {
		failure(&c, err, errlen);
		discard(&c);
		ct_trace_info_free(&info);
		ct_model_free(&m);
		return -1;
	}
	write_tables(&c, &m, &info.meta);
	int rc = install_tables(&c, err, errlen);

	discard(&c);	/* what is left: the buffers, or a half-installed set */
	if (!rc && st)
		*st = (struct ct_export_stats){ .events = m.events, .rows = c.rows };
	ct_trace_info_free(&info);
	ct_model_free(&m);
	return rc;
}
