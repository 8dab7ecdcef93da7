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
#include "text.h"
#include "model.h"
#include "replay.h"

enum { SLICES, STATES, SYSCALLS, THREADS, CPUS, NFILES };
static const char *const names[NFILES] = {
	"sched_slices.csv", "thread_states.csv", "syscalls.csv", "threads.csv", "cpus.csv",
};
static const char *const headers[NFILES] = {
	"cpu,tid,pid,comm,start_ns,dur_ns,end_state",
	"tid,state,reason,start_ns,dur_ns,cpu",
	"tid,name,start_ns,dur_ns,ret",
	"tid,pid,name,workload,first_ns,last_ns,cpu_ns,running_ns,runnable_ns,blocked_ns,migrations",
	"cpu,package,core,smt,node,workload_ns,other_ns,idle_ns",
};

struct csv {
	const char *dir;
	FILE *f[NFILES];
	char tmp[NFILES][4096];
	uint64_t rows;
	char err[4200];		/* why opening a table failed */
};

/* A field as RFC 4180 wants it: see text.h. */
static void field(FILE *f, const char *s)
{
	ct_text_put(f, s, CT_TEXT_CSV);
}

static void on_state(void *ctx, const struct ct_thread *t, enum ct_state s, uint32_t ops, int32_t cpu,
		     uint64_t start, uint64_t end)
{
	struct csv *c = ctx;

	(void)ops;
	FILE *f = c->f[STATES];

	fprintf(f, "%" PRIu32 ",%s,%s,%" PRIu64 ",%" PRIu64 ",", t->tid,
		s == CT_ST_RUNNING ? "running" : s == CT_ST_RUNNABLE ? "runnable" : "blocked",
		s >= CT_ST_DISK ? ct_state_name(s) : "", start, end - start);
	if (s == CT_ST_RUNNING && cpu >= 0)
		fprintf(f, "%d", cpu);
	fputc('\n', f);
	c->rows++;
}

static void on_slice(void *ctx, uint32_t cpu, const struct ct_thread *t, uint64_t start, uint64_t end,
		     uint32_t end_state)
{
	struct csv *c = ctx;
	FILE *f = c->f[SLICES];

	if (!t)
		return;	/* idle is the absence of a slice */
	fprintf(f, "%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",", cpu, t->tid, t->tgid);
	field(f, t->name);
	fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%s\n", start, end - start,
		end_state == CT_END_UNKNOWN ? "" : ct_state_str(end_state));
	c->rows++;
}

static void on_syscall(struct csv *c, const struct ct_event *e)
{
	const char *name = ct_syscall_name(e->sys.nr);
	FILE *f = c->f[SYSCALLS];

	fprintf(f, "%" PRIu32 ",", e->tid);
	if (name)
		fputs(name, f);
	else
		fprintf(f, "syscall_%d", e->sys.nr);
	fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRId64 "\n", e->ts - e->sys.dur, e->sys.dur, e->sys.ret);
	c->rows++;
}

static void write_tables(struct csv *c, const struct ct_model *m, const struct ct_meta *meta)
{
	for (size_t i = 0; i < m->nthreads; i++) {
		const struct ct_thread *t = &m->threads[i];
		uint64_t blocked = ct_thread_blocked_ns(t);

		if (!t->workload && !t->name[0])
			continue;	/* seen only as a number: nothing to tell */
		fprintf(c->f[THREADS], "%" PRIu32 ",%" PRIu32 ",", t->tid, t->tgid);
		field(c->f[THREADS], t->name);
		fprintf(c->f[THREADS], ",%d,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 "\n", t->workload, t->first, t->last, t->cpu_ns,
			t->state_ns[CT_ST_RUNNING], t->state_ns[CT_ST_RUNNABLE], blocked, t->migrations);
		c->rows++;
	}
	for (uint32_t cpu = 0; cpu < m->ncpus; cpu++) {
		const struct ct_cpu *where = ct_cpu_topo(meta, cpu);
		fprintf(c->f[CPUS], "%" PRIu32 ",", cpu);
		if (where)
			fprintf(c->f[CPUS], "%d,%d,%d,%d", where->package, where->core, where->smt, where->node);
		else
			fputs(",,,", c->f[CPUS]);
		fprintf(c->f[CPUS], ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", m->cpus[cpu].workload_ns,
			m->cpus[cpu].other_ns, m->cpus[cpu].idle_ns);
		c->rows++;
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
	}
}

/* Every table's temporary file, opened once the trace's header has been read. */
static int open_tables(void *ctx, const struct ct_meta *meta, const struct ct_model *m)
{
	struct csv *c = ctx;

	(void)meta;
	(void)m;
	for (int i = 0; i < NFILES; i++) {
		snprintf(c->tmp[i], sizeof(c->tmp[i]), "%s/.%s.tmp.%d", c->dir, names[i], (int)getpid());
		if (!(c->f[i] = ct_create_new(c->tmp[i]))) {
			snprintf(c->err, sizeof(c->err), "%s: %s", c->tmp[i], strerror(errno));
			c->tmp[i][0] = 0;
			return -1;
		}
		fprintf(c->f[i], "%s\n", headers[i]);
	}
	return 0;
}

static void after_event(void *ctx, const struct ct_model *m, const struct ct_event *e)
{
	(void)m;
	if (e->kind == CT_EV_SYSCALL)
		on_syscall(ctx, e);
}

/* Each table closed and renamed into place: whole, or not at all. */
static int install_tables(struct csv *c, char *err, size_t errlen)
{
	for (int i = 0; i < NFILES; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", c->dir, names[i]);
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
		.sink = { &c, on_state, on_slice },
	};
	struct ct_trace_info info;
	struct ct_model m;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	if (ct_replay(trace, &m, &pass, 1, &info, err, errlen)) {
		if (!err[0])
			snprintf(err, errlen, "%s", c.err);
		discard(&c);
		return -1;
	}
	write_tables(&c, &m, &info.meta);
	int rc = install_tables(&c, err, errlen);

	if (rc)
		discard(&c);
	else if (st)
		*st = (struct ct_export_stats){ .events = m.events, .rows = c.rows };
	ct_trace_info_free(&info);
	ct_model_free(&m);
	return rc;
}
