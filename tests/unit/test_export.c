/* CSV export, exactly, on a synthetic trace; Perfetto export decoded back with protobuf-c. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "export.h"
#include "outbuf.h"
#include "perfetto.pb-c.h"
#include "synth.h"

static const char *trace_with_everything(void)
{
	static char path[SYNTH_PATH_LEN];	/* the callers' trace, for the whole test */
	struct ct_writer *w = synth_open(synth_path(path, "export"), 2);
	struct ct_event e = synth_ev(350, CT_EV_LOST, 1, 0);

	synth_task(w, 0, 100, 100, "a,\"b\"");	/* a name that needs quoting */
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_sys(w, 10, 20, 0, 100, 0, 5);		/* read = 5 */
	synth_switch(w, 100, 0, 100, 0, CT_TASK_INTERRUPTIBLE, 0, 202);	/* futex, having barely run: idle */
	synth_wakeup(w, 300, 1, 100, 1, 0);
	e.lost.count = 3;
	ctw_event(w, &e);
	synth_switch(w, 400, 1, 0, 100, 0, 0, -1);
	synth_switch_ran(w, 500, 1, 100, 0, CT_TASK_DEAD, 60, 70);	/* 30 us of it stolen */
	synth_finish(w, 2);
	return path;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[8192];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* Table `name` of the CSV export in dir says exactly want. */
static void assert_table(const char *dir, const char *name, const char *want)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_string_equal(slurp(path), want);
}

static void remove_csv_dir(const char *dir)
{
	char path[256];

	for (const char *f = "sched_slices.csv thread_states.csv syscalls.csv threads.csv cpus.csv"; *f;) {
		char name[64];
		int n = 0;

		sscanf(f, "%63s%n", name, &n);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		unlink(path);
		f += n;
		while (*f == ' ')
			f++;
	}
	rmdir(dir);
}

static void csv_rows_exactly(void **state)
{
	const char *trace = trace_with_everything();
	char dir[] = "/tmp/ctrace-test-csv.XXXXXX", err[256];
	struct ct_export_stats st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ct_export_csv(trace, dir, &st, err, sizeof(err)), 0);
	assert_table(dir, "sched_slices.csv",
		"cpu,tid,pid,comm,start_ns,dur_ns,end_state,cpu_ns\n"
		"0,100,100,\"a,\"\"b\"\"\",1000000000,100000,S,\n"
		"1,100,100,\"a,\"\"b\"\"\",1000400000,100000,X,70000\n");
	assert_table(dir, "thread_states.csv",
		"tid,state,reason,start_ns,dur_ns,cpu\n"
		"100,running,,1000000000,100000,0\n"
		"100,blocked,idle,1000100000,200000,\n"
		"100,runnable,,1000300000,100000,\n"
		"100,running,,1000400000,100000,1\n");
	assert_table(dir, "syscalls.csv", "tid,name,start_ns,dur_ns,ret\n100,read,1000010000,10000,5\n");
	assert_table(dir, "cpus.csv",
		"cpu,package,core,smt,node,workload_ns,other_ns,idle_ns\n"
		"0,0,0,0,0,100000,0,400000\n"
		"1,0,1,0,0,100000,0,400000\n");
	remove_csv_dir(dir);
	unlink(trace);
}

/* A row's leading fields are cached by what they say: a rename and a new state show at once. */
static void csv_rows_follow_renames(void **state)
{
	char trace[SYNTH_PATH_LEN], dir[] = "/tmp/ctrace-test-csv.XXXXXX", err[256];
	struct ct_writer *w = synth_open(synth_path(trace, "rename"), 1);

	(void)state;
	synth_task(w, 0, 100, 100, "one");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 10, 0, 100, 0, CT_TASK_INTERRUPTIBLE, 0, -1);
	synth_task(w, 15, 100, 100, "two");
	synth_wakeup(w, 18, 0, 100, 0, 0);
	synth_switch(w, 20, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 30, 0, 100, 0, CT_TASK_INTERRUPTIBLE, 0, -1);
	synth_finish(w, 1);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ct_export_csv(trace, dir, NULL, err, sizeof(err)), 0);
	assert_table(dir, "sched_slices.csv",
		"cpu,tid,pid,comm,start_ns,dur_ns,end_state,cpu_ns\n"
		"0,100,100,one,1000000000,10000,S,\n"
		"0,100,100,two,1000020000,10000,S,\n");
	assert_table(dir, "thread_states.csv",
		"tid,state,reason,start_ns,dur_ns,cpu\n"
		"100,running,,1000000000,10000,0\n"
		"100,blocked,idle,1000010000,8000,\n"
		"100,runnable,,1000018000,2000,\n"
		"100,running,,1000020000,10000,0\n");
	remove_csv_dir(dir);
	unlink(trace);
}

/* Numbers at every length and its edges, as printf writes them; timestamps likewise. */
static void decimals_as_printf_writes_them(void **state)
{
	struct ct_buf b = { 0 };
	char want[32];

	(void)state;
	for (int k = 0; k < 20; k++) {
		uint64_t p = 1;

		for (int i = 0; i < k; i++)
			p *= 10;
		const uint64_t vs[] = { p - 1, p, p + 1, p * 2 - 1, p * 9, p + p / 2 };

		for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
			for (int ts = 0; ts < 2; ts++) {
				b.len = 0;
				if (ts)
					ct_buf_ts(&b, vs[i]);
				else
					ct_buf_u64(&b, vs[i]);
				ct_buf_putc(&b, 0);
				snprintf(want, sizeof(want), "%" PRIu64, vs[i]);
				assert_string_equal((char *)b.p, want);
			}
		}
	}
	b.len = 0;
	ct_buf_u64(&b, UINT64_MAX);
	ct_buf_ts(&b, 1000000000123ull);	/* the leading digits kept from one timestamp ... */
	ct_buf_ts(&b, 1000000000456ull);
	ct_buf_ts(&b, 2000000000007ull);	/* ... and made again when they change */
	ct_buf_putc(&b, 0);
	assert_string_equal((char *)b.p, "18446744073709551615100000000012310000000004562000000000007");
	ct_buf_free(&b);
}

/* Perfetto's trace, decoded; the caller frees it. */
static Perfetto__Protos__Trace *decode_pftrace(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t len;

	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return perfetto__protos__trace__unpack(NULL, len, buf);
}

static void perfetto_decodes_back(void **state)
{
	char out[SYNTH_PATH_LEN], err[256];
	const char *trace = trace_with_everything();
	struct ct_export_stats st;
	int switches = 0, lost = 0, enters = 0, exits = 0, trees = 0;

	(void)state;
	synth_path(out, "pftrace");
	assert_int_equal(ct_export_perfetto(trace, out, &st, err, sizeof(err)), 0);
	assert_int_equal(st.switches, 4);
	Perfetto__Protos__Trace *t = decode_pftrace(out);

	assert_non_null(t);
	assert_int_equal(t->n_packet, st.packets);
	for (size_t i = 0; i < t->n_packet; i++) {
		Perfetto__Protos__TracePacket *p = t->packet[i];

		if (p->data_case == PERFETTO__PROTOS__TRACE_PACKET__DATA_PROCESS_TREE) {
			trees++;
			assert_int_equal(p->process_tree->n_processes, 1);
			assert_int_equal(p->process_tree->processes[0]->ppid, 1);	/* the recorder's note */
			assert_string_equal(p->process_tree->processes[0]->cmdline[0], "synthetic");
		}
		if (p->data_case != PERFETTO__PROTOS__TRACE_PACKET__DATA_FTRACE_EVENTS)
			continue;
		lost += p->ftrace_events->lost_events;
		if (p->ftrace_events->compact_sched) {
			Perfetto__Protos__FtraceEventBundle__CompactSched *c = p->ftrace_events->compact_sched;
			uint64_t ts = 0;

			/* All columns of a kind line up; timestamps are deltas. */
			assert_int_equal(c->n_switch_prev_state, c->n_switch_timestamp);
			assert_int_equal(c->n_switch_next_comm_index, c->n_switch_timestamp);
			for (size_t k = 0; k < c->n_switch_timestamp; k++) {
				ts += c->switch_timestamp[k];
				assert_true(c->switch_next_comm_index[k] < c->n_intern_table);
				if (ts == SYNTH_T0 + US(100))	/* 100 goes to sleep: prev is implied */
					assert_int_equal(c->switch_prev_state[k], 1);	/* S */
			}
			switches += (int)c->n_switch_timestamp;
		}
		for (size_t k = 0; k < p->ftrace_events->n_event; k++) {
			Perfetto__Protos__FtraceEvent *e = p->ftrace_events->event[k];

			switches += e->event_case == PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SCHED_SWITCH;
			if (e->event_case == PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SYS_ENTER) {
				enters++;
				assert_int_equal(e->timestamp, SYNTH_T0 + US(10));	/* at its start */
				assert_int_equal(p->ftrace_events->cpu, 0);
			}
			exits += e->event_case == PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SYS_EXIT;
		}
	}
	assert_int_equal(switches, 4);
	assert_int_equal(enters, 1);
	assert_int_equal(exits, 1);
	assert_int_equal(lost, 1);
	assert_int_equal(trees, 1);
	perfetto__protos__trace__free_unpacked(t, NULL);
	unlink(out);
	unlink(trace);
}

/*
 * The kernel reuses tids: two tasks forked as 200, one after the other's
 * exit, are two tasks, each described once it exists, with its own name.
 */
static void perfetto_keeps_reused_tids_apart(void **state)
{
	char out[SYNTH_PATH_LEN], trace[SYNTH_PATH_LEN], err[256];
	struct ct_export_stats st;
	const char *want[] = { "first", "second" };
	const uint64_t born[] = { SYNTH_T0 + US(10), SYNTH_T0 + US(30) };
	int seen = 0;

	(void)state;
	synth_path(out, "reuse-pftrace");
	struct ct_writer *w = synth_open(synth_path(trace, "reuse"), 1);

	synth_task(w, 0, 100, 100, "parent");
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_fork(w, 10, 0, 100, 200, 200);
	synth_task(w, 11, 200, 200, "first");
	synth_exit(w, 20, 0, 200);
	synth_fork(w, 30, 0, 100, 200, 200);
	synth_task(w, 31, 200, 200, "second");
	synth_switch(w, 40, 0, 100, 0, CT_TASK_INTERRUPTIBLE, 0, -1);
	synth_finish(w, 1);
	assert_int_equal(ct_export_perfetto(trace, out, &st, err, sizeof(err)), 0);
	Perfetto__Protos__Trace *t = decode_pftrace(out);

	assert_non_null(t);
	for (size_t i = 0; i < t->n_packet; i++) {
		Perfetto__Protos__TracePacket *p = t->packet[i];

		if (p->data_case != PERFETTO__PROTOS__TRACE_PACKET__DATA_PROCESS_TREE)
			continue;
		for (size_t k = 0; k < p->process_tree->n_threads; k++) {
			Perfetto__Protos__ProcessTree__Thread *th = p->process_tree->threads[k];

			if (th->tid != 200)
				continue;
			assert_true(seen < 2);
			assert_string_equal(th->name, want[seen]);
			assert_int_equal(p->timestamp, born[seen] + 1);	/* just after its fork */
			assert_int_equal(p->process_tree->n_processes, 1);
			assert_int_equal(p->process_tree->processes[0]->ppid, 100);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	perfetto__protos__trace__free_unpacked(t, NULL);
	unlink(out);
	unlink(trace);
}

/* UTF-8 survives into Perfetto; control characters and stray bytes become U+FFFD (text.h). */
static void perfetto_keeps_utf8_names(void **state)
{
	char out[SYNTH_PATH_LEN], trace[SYNTH_PATH_LEN], err[256];
	struct ct_export_stats st;
	int seen = 0;

	(void)state;
	synth_path(out, "utf8-pftrace");
	struct ct_writer *w = synth_open(synth_path(trace, "utf8"), 1);

	synth_task(w, 0, 100, 100, "caf\xc3\xa9\x01\xff\xe2\x82");	/* é, ^A, a stray byte, a cut € */
	synth_switch(w, 0, 0, 0, 100, 0, 0, -1);
	synth_switch(w, 100, 0, 100, 0, CT_TASK_INTERRUPTIBLE, 0, -1);
	synth_finish(w, 1);
	assert_int_equal(ct_export_perfetto(trace, out, &st, err, sizeof(err)), 0);
	Perfetto__Protos__Trace *t = decode_pftrace(out);
	const char *want = "caf\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd";

	assert_non_null(t);
	for (size_t i = 0; i < t->n_packet; i++) {
		Perfetto__Protos__TracePacket *p = t->packet[i];

		if (p->data_case != PERFETTO__PROTOS__TRACE_PACKET__DATA_FTRACE_EVENTS)
			continue;
		/* 0 -> 100 is written in full (nothing ran there before), 100 -> 0 compact. */
		for (size_t k = 0; k < p->ftrace_events->n_event; k++) {
			Perfetto__Protos__FtraceEvent *e = p->ftrace_events->event[k];

			if (e->event_case == PERFETTO__PROTOS__FTRACE_EVENT__EVENT_SCHED_SWITCH &&
			    e->sched_switch->next_pid == 100) {
				assert_string_equal(e->sched_switch->next_comm, want);
				seen++;
			}
		}
		if (p->ftrace_events->compact_sched)
			assert_string_equal(p->ftrace_events->compact_sched->intern_table[0], "swapper/0");
	}
	assert_int_equal(seen, 1);
	perfetto__protos__trace__free_unpacked(t, NULL);
	unlink(out);
	unlink(trace);
}

static void export_errors_name_the_file(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(ct_export_perfetto("/nonexistent.ctr", "/tmp/x.pftrace", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent.ctr"));
	assert_int_equal(ct_export_csv("/nonexistent.ctr", "/tmp", NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent.ctr"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_rows_exactly),
		cmocka_unit_test(csv_rows_follow_renames),
		cmocka_unit_test(decimals_as_printf_writes_them),
		cmocka_unit_test(perfetto_decodes_back),
		cmocka_unit_test(perfetto_keeps_utf8_names),
		cmocka_unit_test(perfetto_keeps_reused_tids_apart),
		cmocka_unit_test(export_errors_name_the_file),
	};

	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
