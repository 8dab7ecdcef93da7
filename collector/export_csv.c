/*
 * Tidy CSV for pandas and DuckDB: one row per CPU slice, thread state
 * interval and syscall, plus the threads and CPUs.  RFC 4180 quoting;
 * times are CLOCK_BOOTTIME ns, as in Perfetto.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "outbuf.h"
#include "text.h"
#include "model.h"
#include "replay.h"

enum { SLICES, STATES, SYSCALLS, THREADS, CPUS, NFILES };
static const char *const names[NFILES] = {
	"sched_slices.csv", "thread_states.csv", "syscalls.csv", "threads.csv", "cpus.csv",
};
static const char *const headers[NFILES] = {
	"cpu,tid,pid,comm,start_ns,dur_ns,end_state,cpu_ns",
	"tid,state,reason,start_ns,dur_ns,cpu",
	"tid,name,start_ns,dur_ns,ret",
	"tid,pid,name,workload,first_ns,last_ns,cpu_ns,running_ns,runnable_ns,blocked_ns,migrations",
	"cpu,package,core,smt,node,workload_ns,other_ns,idle_ns",
};

#define FLUSH_AT (64u << 10)	/* small enough to stay in cache until written */

/* What the slices say of a task the model does not follow (not the workload's). */
struct seen {
	uint64_t first, last, running_ns;
};

struct csv {
	const char *dir;
	FILE *f[NFILES];
	struct ct_buf b[NFILES];	/* rows on their way to f */
	char tmp[NFILES][4096];
	uint64_t rows;
	const struct ct_model *m;
	struct seen *seen;		/* by the model's thread index */
	size_t nseen;
	int failed;			/* errno: out of memory */
	char err[4200];			/* why opening a table failed */
};

static void end_row(struct csv *c, int table)
{
	ct_buf_putc(&c->b[table], '\n');
	if (c->b[table].len >= FLUSH_AT)
		ct_buf_flush(&c->b[table], c->f[table]);
	c->rows++;
}

static void num(struct ct_buf *b, uint64_t v)
{
	ct_buf_u64(b, v);
	ct_buf_putc(b, ',');
}

static void ts(struct ct_buf *b, uint64_t v)
{
	ct_buf_ts(b, v);
	ct_buf_putc(b, ',');
}

/* A name as RFC 4180 wants it (text.h); plain ones, nearly all, are copied as they are. */
static void field(struct ct_buf *b, const char *s)
{
	if (ct_text_plain(s, CT_TEXT_CSV)) {
		ct_buf_put(b, s, strlen(s));
		return;
	}
	char tmp[CT_TEXT_MAX(CT_PATH_LEN) * 2 + 3];
	FILE *f = fmemopen(tmp, sizeof(tmp), "w");

	if (!f)
		return;
	ct_text_put(f, s, CT_TEXT_CSV);
	long len = ftell(f);

	fclose(f);
	if (len > 0)
		ct_buf_put(b, tmp, (size_t)len);
}

static void on_state(void *ctx, const struct ct_thread *t, enum ct_state s, uint32_t ops, int32_t cpu,
		     uint64_t start, uint64_t end)
{
	struct csv *c = ctx;
	struct ct_buf *b = &c->b[STATES];
	const char *kind = s == CT_ST_RUNNING ? "running" : s == CT_ST_RUNNABLE ? "runnable" : "blocked";

	(void)ops;
	num(b, t->tid);
	ct_buf_put(b, kind, strlen(kind));
	ct_buf_putc(b, ',');
	if (s >= CT_ST_DISK)
		ct_buf_put(b, ct_state_name(s), strlen(ct_state_name(s)));
	ct_buf_putc(b, ',');
	ts(b, start);
	num(b, end - start);
	if (s == CT_ST_RUNNING && cpu >= 0)
		ct_buf_u64(b, (uint64_t)cpu);
	end_row(c, STATES);
}

static struct seen *seen_of(struct csv *c, size_t i)
{
	if (i >= c->nseen) {
		size_t n = c->nseen ? c->nseen : 64;

		while (n <= i)
			n *= 2;
		struct seen *seen = realloc(c->seen, n * sizeof(*seen));

		if (!seen) {
			c->failed = ENOMEM;
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
	struct ct_buf *b = &c->b[SLICES];

	if (!t)
		return;	/* idle is the absence of a slice */
	struct seen *s = seen_of(c, (size_t)(t - c->m->threads));

	if (s) {
		if (!s->first || start < s->first)
			s->first = start;
		if (end > s->last)
			s->last = end;
		s->running_ns += end - start;
	}
	num(b, cpu);
	num(b, t->tid);
	num(b, t->tgid);
	field(b, t->name);
	ct_buf_putc(b, ',');
	ts(b, start);
	num(b, end - start);
	if (end_state != CT_END_UNKNOWN) {
		const char *st = ct_state_str(end_state);

		ct_buf_put(b, st, strlen(st));
	}
	ct_buf_putc(b, ',');
	if (cpu_ns)
		ct_buf_u64(b, cpu_ns);
	end_row(c, SLICES);
}

static void on_syscall(struct csv *c, const struct ct_event *e)
{
	struct ct_buf *b = &c->b[SYSCALLS];
	char buf[32];
	const char *name = ct_syscall_label(e->sys.nr, buf, sizeof(buf));

	num(b, e->tid);
	ct_buf_put(b, name, strlen(name));
	ct_buf_putc(b, ',');
	ts(b, e->ts - e->sys.dur);
	num(b, e->sys.dur);
	ct_buf_i64(b, e->sys.ret);
	end_row(c, SYSCALLS);
}

/*
 * A workload thread's times are the model's.  Of another task only its
 * slices are known: when it was seen on a CPU and for how long; what it
 * did off the CPUs is not, and is left empty.
 */
static void thread_row(struct csv *c, const struct ct_thread *t, size_t i)
{
	struct ct_buf *b = &c->b[THREADS];
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
	end_row(c, THREADS);
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
		struct ct_buf *b = &c->b[CPUS];

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
		end_row(c, CPUS);
	}
}

static void discard(struct csv *c)
{
	for (int i = 0; i < NFILES; i++) {
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

/* Every table's temporary file, opened once the trace's header has been read. */
static int open_tables(void *ctx, const struct ct_meta *meta, const struct ct_model *m)
{
	struct csv *c = ctx;

	(void)meta;
	c->m = m;
	for (int i = 0; i < NFILES; i++) {
		snprintf(c->tmp[i], sizeof(c->tmp[i]), "%s/.%s.tmp.%d", c->dir, names[i], (int)getpid());
		if (!(c->f[i] = ct_create_new(c->tmp[i]))) {
			snprintf(c->err, sizeof(c->err), "%s: %s", c->tmp[i], strerror(errno));
			c->tmp[i][0] = 0;
			return -1;
		}
		ct_buf_put(&c->b[i], headers[i], strlen(headers[i]));
		ct_buf_putc(&c->b[i], '\n');
	}
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

	for (int i = 0; i < NFILES && !c->failed; i++)
		c->failed = c->b[i].err;
	return c->failed;
}

/* Each table closed and renamed into place: whole, or not at all. */
static int install_tables(struct csv *c, char *err, size_t errlen)
{
	for (int i = 0; i < NFILES; i++) {
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

int ct_export_csv(const char *trace, const char *dir, struct ct_export_stats *st,
		  char *err, size_t errlen)
{
	struct csv c = { .dir = dir };
	struct ct_replay_pass pass = {
		.ctx = &c, .begin = open_tables, .after = after_event,
		.sink = { &c, on_state, on_slice }, .failed = failed,
	};
	struct ct_trace_info info;
	struct ct_model m;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	if (ct_replay(trace, &m, &pass, 1, &info, err, errlen)) {
		if (!err[0])
			snprintf(err, errlen, "%s", c.failed ? strerror(c.failed) : c.err);
		discard(&c);
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
