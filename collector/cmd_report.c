/* ctrace report: the verdict first, then the numbers that explain it (text or JSON). */
#include <argp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"
#include "model.h"
#include "replay.h"
#include "report.h"
#include "xalloc.h"

struct report_opts {
	bool json;
	const char *path;
};

static const struct argp_option options[] = {
	{ "json", 'j', NULL, 0, "One JSON document instead of text", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct report_opts *o = state->input;

	switch (key) {
	case 'j': o->json = true; break;
	default:
		return ct_one_trace_arg(key, arg, state, &o->path) ? 0 : ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, "FILE",
	"Replay a trace into thread states and answer: parallel or concurrent, CPU- or "
	"I/O-bound.  The verdict comes first, then parallelism, concurrency, where "
	"thread time went, run-queue latency, processes (with several, each of the 5 "
	"largest judged alone, which reads the trace a second time), threads, syscalls "
	"and CPUs.", NULL, NULL, NULL
};

/* Names from the trace are untrusted: see text.h. */
static const char *printable(const char *s, char *buf, size_t len)
{
	return ct_text(s, CT_TEXT_TERMINAL, buf, len);
}

static double secs(uint64_t ns)
{
	return (double)ns / 1e9;
}

static void command_line(FILE *f, const struct ct_meta *meta)
{
	char buf[256];

	if (!meta->argc)
		fprintf(f, "(whole system)");
	for (uint32_t i = 0; i < meta->argc; i++)
		fprintf(f, "%s%s", i ? " " : "", printable(meta->argv[i], buf, sizeof(buf)));
}

static void bar(FILE *f, double share, int width)
{
	int n = (int)(share * width + 0.5);

	for (int i = 0; i < width; i++)
		fputc(i < n ? '#' : ' ', f);
}

static void json_states(FILE *f, const uint64_t *ns);

/* Several processes: each one's own numbers, largest CPU user first. */
static void print_processes(FILE *f, const struct ct_report *r)
{
	char nb[64];

	if (r->nprocs < 2)
		return;
	fprintf(f, "\nProcesses (by CPU time%s; each verdict is the process's own, judged alone)\n"
		"  %8s %-16s %7s %9s %11s %11s  %-8s %s\n",
		r->nprocs > 10 ? ", top 10" : "", "pid", "name", "threads", "CPU",
		"parallelism", "concurrency", "mostly", "verdict");
	for (size_t i = 0; i < r->nprocs && i < 10; i++) {
		const struct ct_process_stat *p = &r->procs[i];

		printable(p->name, nb, sizeof(nb));
		fprintf(f, "  %8u %-*s %7u %8.3fs %11.2f %11.2f  %-8s ", p->pid, ct_text_width(nb, 16), nb,
			p->threads, secs(p->cpu_ns), ct_report_process_parallelism(p),
			ct_report_process_concurrency(p), ct_state_name(ct_report_process_top(p)));
		if (p->judged)
			fprintf(f, "%s, %s\n", ct_bound_name(p->kind), ct_shape_name(p->shape));
		else
			fprintf(f, "-\n");
	}
}

static void json_processes(FILE *f, const struct ct_report *r)
{
	fprintf(f, "  \"processes_detail\": [");
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct ct_process_stat *p = &r->procs[i];

		fprintf(f, "%s\n    {\"pid\": %u, \"name\": ", i ? "," : "", p->pid);
		ct_text_put(f, p->name, CT_TEXT_JSON);
		fprintf(f, ", \"threads\": %u, \"cpu_s\": ", p->threads);
		ct_json_num(f, secs(p->cpu_ns));
		fprintf(f, ", \"wall_s\": ");
		ct_json_num(f, secs(p->last > p->first ? p->last - p->first : 0));
		fprintf(f, ", \"parallelism\": ");
		ct_json_num(f, ct_report_process_parallelism(p));
		fprintf(f, ", \"concurrency\": ");
		ct_json_num(f, ct_report_process_concurrency(p));
		fprintf(f, ", \"states_s\": ");
		json_states(f, p->state_ns);
		if (p->judged)
			fprintf(f, ", \"kind\": \"%s\", \"shape\": \"%s\"", ct_bound_name(p->kind),
				ct_shape_name(p->shape));
		else
			fprintf(f, ", \"kind\": null, \"shape\": null");
		fputc('}', f);
	}
	fprintf(f, "%s],\n", r->nprocs ? "\n  " : "");
}

/*
 * Switches the model had to repair (the kernel's stream missed one: one
 * task per CPU is kept all the same), and any invariant that broke.
 */
static void print_anomalies(FILE *f, const struct ct_report *r)
{
	if (r->m->repaired)
		fprintf(f, "Anomalies     %" PRIu64 " switches disagreed with what their CPU last ran (the "
			"kernel's stream missed a switch): repaired, one task per CPU; %.3f s of thread "
			"time unknown\n", r->m->repaired, secs(r->states_ns[CT_ST_UNKNOWN]));
	if (r->broken[0])
		fprintf(f, "WARNING       an invariant broke: %s\n", r->broken);
}

static void json_anomalies(FILE *f, const struct ct_report *r)
{
	fprintf(f, "  \"anomalies\": {\"repaired_switches\": %" PRIu64 ", \"unknown_s\": ", r->m->repaired);
	ct_json_num(f, secs(r->states_ns[CT_ST_UNKNOWN]));
	fprintf(f, ", \"invariants\": ");
	ct_text_put(f, r->broken[0] ? r->broken : "ok", CT_TEXT_JSON);
	fprintf(f, "},\n");
}

static void print_text(FILE *f, const char *path, const struct ct_report *r)
{
	const struct ct_model *m = r->m;
	const struct ct_meta *meta = r->meta;
	const struct ct_summary *sum = r->sum;
	const struct ct_verdict *v = &r->v;
	double wall = r->wall_s;
	char buf[256], nb[64];

	fprintf(f, "ctrace report: %s\n  command  ", printable(path, buf, sizeof(buf)));
	command_line(f, meta);
	fprintf(f, "\n  host     %s, %u CPUs, kernel %s\n", printable(meta->hostname, buf, sizeof(buf)),
		m->ncpus, meta->kernel);
	if (sum->dropped)
		fprintf(f, "\n  WARNING: %" PRIu64 " events were dropped by the kernel: numbers below "
			"undercount (re-record with a larger --buffer)\n", sum->dropped);
	if (sum->reordered)
		fprintf(f, "\n  WARNING: %" PRIu64 " events arrived too late to place and were "
			"moved later in time\n", sum->reordered);
	fprintf(f, "\nVERDICT: %s, %s\n  %s\n", ct_bound_name(v->kind), ct_shape_name(v->shape), v->summary);

	fprintf(f, "\nParallelism   %.2f mean, %u peak  (%.3f s of CPU over %.3f s wall, %u CPUs)\n",
		v->parallelism, m->running_peak, secs(r->cpu_ns), wall, m->ncpus);
	if (r->rusage_parallelism)
		fprintf(f, "              the kernel's rusage for the command: %.3f s of CPU over %.3f s: %.2f\n",
			secs(sum->command_cpu_ns), secs(sum->command_wall_ns), r->rusage_parallelism);
	if (r->on_cpu_ns > r->cpu_ns && r->on_cpu_ns - r->cpu_ns > r->on_cpu_ns / 50)
		fprintf(f, "              %.3f s on CPU by the clock: %.0f%% of it went to the hypervisor "
			"(steal) or interrupts\n", secs(r->on_cpu_ns),
			100.0 * (double)(r->on_cpu_ns - r->cpu_ns) / (double)r->on_cpu_ns);
	for (uint32_t i = 0; i <= m->max_level && i <= m->running_peak; i++) {
		double share = wall > 0 ? secs(m->par_ns[i]) / wall : 0;

		fprintf(f, "  %2u running  %8.3f s %5.1f%%  ", i, secs(m->par_ns[i]), 100 * share);
		bar(f, share, 40);
		fputc('\n', f);
	}
	if (v->wanted >= v->parallelism + 0.1)
		fprintf(f, "              wanted %.2f CPUs on average (running or runnable)\n", v->wanted);
	fprintf(f, "Concurrency   %.2f mean, %u peak in progress: %.2f threads + %.2f event-loop "
		"operations (peaks %u and %u)\n", v->concurrency, m->conc.peak, v->conc_threads,
		v->conc_ops, m->conc.peak_threads, m->conc.peak_ops);
	fprintf(f, "              %.2f mean, %u peak alive; %u threads in %u processes\n",
		wall > 0 ? secs(m->alive_ns) / wall : 0, m->alive_peak, ct_model_workload_threads(m),
		ct_model_processes(m));
	if (!m->ops_known)
		fprintf(f, "              (event-loop operations were not recorded: %s)\n",
			meta->options & CT_OPT_SYSCALLS ? "the trace is from an older ctrace" : "--no-syscalls");
	else if (m->timer_wait_ns > (uint64_t)(0.1 * wall * 1e9))
		fprintf(f, "              (%.3f s of waits in poll-like calls on no socket, with a "
			"timeout: timers the kernel cannot see, each counted as one thing in progress)\n",
			secs(m->timer_wait_ns));
	if (v->others_cpu_share >= CT_BUSY_MACHINE_MIN)
		fprintf(f, "Contention    other processes held %.0f%% of the CPUs; the workload's threads "
			"waited %.3f s for them\n", 100 * v->others_cpu_share, v->waiting_for_others_s);
	print_anomalies(f, r);

	fprintf(f, "\nThread time   %.3f s over all threads; something wanted a CPU %.0f%% of the %s, "
		"computing %.0f%% by the kernel's account", secs(r->thread_ns), 100 * v->busy_share,
		v->held_back_share >= 0.01 ? "time other processes did not hold it back" : "wall time",
		100 * v->computing_share);
	if (v->stolen_waiting_share >= 0.01)
		fprintf(f, "; %.0f%% stolen by the host while the work waited on the outside world, "
			"counted as waiting", 100 * v->stolen_waiting_share);
	fputc('\n', f);
	for (int s = 0; s < CT_ST_COUNT; s++) {
		/* Shares are of the known time; unknown time, when any, of all of it. */
		double share = s == CT_ST_UNKNOWN ? (double)r->states_ns[s] / (double)(r->thread_ns ? r->thread_ns : 1)
						  : v->state_share[s];

		if (s == CT_ST_UNKNOWN && !r->states_ns[s])
			continue;
		fprintf(f, "  %-9s %10.3f s %5.1f%%  ", ct_state_name((enum ct_state)s), secs(r->states_ns[s]),
			100 * share);
		bar(f, share, 40);
		fputc('\n', f);
	}
	fprintf(f, "\nRun-queue latency  p50 %.1f us, p99 %.1f us, max %.1f us over %" PRIu64
		" waits; %" PRIu64 " migrations\n", ct_model_runq_percentile(m, 0.5) / 1e3,
		ct_model_runq_percentile(m, 0.99) / 1e3, (double)m->runq_max / 1e3, m->runq_count,
		m->migrations);

	print_processes(f, r);
	fprintf(f, "\nThreads (by CPU time%s)\n  %8s %8s %-16s %9s %9s %9s  %s\n",
		r->nthreads > 10 ? ", top 10" : "", "tid", "pid", "name", "running", "runnable", "blocked",
		"mostly waiting on");
	for (size_t i = 0; i < r->nthreads && i < 10; i++) {
		const struct ct_thread *t = r->threads[i];
		enum ct_state top = ct_report_top_wait(t);
		uint64_t blocked = ct_thread_blocked_ns(t);

		printable(t->name, nb, sizeof(nb));
		fprintf(f, "  %8u %8u %-*s %8.3fs %8.3fs %8.3fs  %s\n", t->tid, t->tgid,
			ct_text_width(nb, 16), nb, secs(t->state_ns[CT_ST_RUNNING]),
			secs(t->state_ns[CT_ST_RUNNABLE]), secs(blocked),
			top != CT_ST_NONE ? ct_state_name(top) : "-");
	}

	if (r->nsyscalls) {
		fprintf(f, "\nSyscalls (by total time%s)\n  %-20s %10s %12s %12s\n",
			r->nsyscalls > 10 ? ", top 10" : "", "name", "count", "total", "max");
		for (int i = 0; i < r->nsyscalls && i < 10; i++) {
			const struct ct_sys_stat *s = &m->sys[r->syscalls[i]];

			fprintf(f, "  %-20s %10" PRIu64 " %10.3f s %9.3f ms\n",
				ct_report_syscall(r, r->syscalls[i], nb, sizeof(nb)), s->count,
				secs(s->total_ns), (double)s->max_ns / 1e6);
		}
	} else if (!(meta->options & CT_OPT_SYSCALLS)) {
		fprintf(f, "\nSyscalls      not recorded (--no-syscalls)\n");
	}

	fprintf(f, "\nCPUs\n  %4s %-12s %10s %10s %10s\n", "cpu", "package/core", "workload", "other", "idle");
	for (uint32_t c = 0; c < m->ncpus; c++) {
		const struct ct_cpu_use *u = &m->cpus[c];
		double span = secs(u->workload_ns + u->other_ns + u->idle_ns);
		const struct ct_cpu *pos = ct_cpu_topo(meta, c);
		char where[32] = "?";

		if (pos)
			snprintf(where, sizeof(where), "%d/%d", pos->package, pos->core);
		fprintf(f, "  %4u %-12s %9.1f%% %9.1f%% %9.1f%%\n", c, where,
			span > 0 ? 100 * secs(u->workload_ns) / span : 0,
			span > 0 ? 100 * secs(u->other_ns) / span : 0,
			span > 0 ? 100 * secs(u->idle_ns) / span : 0);
	}
	fprintf(f, "\nEvents %" PRIu64 ", dropped %" PRIu64 "\n", m->events, sum->dropped);
}

static void json_states(FILE *f, const uint64_t *ns)
{
	fputc('{', f);
	for (int s = 0; s < CT_ST_COUNT; s++) {
		fprintf(f, "%s\"%s\": ", s ? ", " : "", ct_state_name((enum ct_state)s));
		ct_json_num(f, secs(ns[s]));
	}
	fputc('}', f);
}

static void print_json(FILE *f, const char *path, const struct ct_report *r)
{
	const struct ct_model *m = r->m;
	const struct ct_meta *meta = r->meta;
	const struct ct_summary *sum = r->sum;
	const struct ct_verdict *v = &r->v;
	const uint64_t *states = r->states_ns;
	uint64_t dropped = sum->dropped;
	double wall = r->wall_s;
	char nb[64];

	fprintf(f, "{\n  \"trace\": ");
	ct_text_put(f, path, CT_TEXT_JSON);
	fprintf(f, ",\n  \"command\": [");
	for (uint32_t i = 0; i < meta->argc; i++) {
		fputs(i ? ", " : "", f);
		ct_text_put(f, meta->argv[i], CT_TEXT_JSON);
	}
	fprintf(f, "],\n  \"events\": %" PRIu64 ",\n  \"dropped\": %" PRIu64 ",\n  \"wall_s\": ",
		m->events, dropped);
	ct_json_num(f, wall);
	fprintf(f, ",\n  \"cpu_s\": ");
	ct_json_num(f, secs(r->cpu_ns));
	fprintf(f, ",\n  \"on_cpu_s\": ");
	ct_json_num(f, secs(states[CT_ST_RUNNING]));
	fprintf(f, ",\n  \"cpus\": %u,\n  \"threads\": %u,\n  \"processes\": %u,\n", m->ncpus,
		ct_model_workload_threads(m), ct_model_processes(m));
	fprintf(f, "  \"parallelism\": {\"mean\": ");
	ct_json_num(f, v->parallelism);
	fprintf(f, ", \"on_cpu_mean\": ");
	ct_json_num(f, wall > 0 ? secs(states[CT_ST_RUNNING]) / wall : 0);
	fprintf(f, ", \"wanted_mean\": ");
	ct_json_num(f, v->wanted);
	fprintf(f, ", \"peak\": %u, \"histogram_s\": [", m->running_peak);
	for (uint32_t i = 0; i <= m->running_peak && i <= m->max_level; i++) {
		fputs(i ? ", " : "", f);
		ct_json_num(f, secs(m->par_ns[i]));
	}
	fprintf(f, "]},\n  \"concurrency\": {\"mean\": ");
	ct_json_num(f, v->concurrency);
	fprintf(f, ", \"peak\": %u, \"threads_mean\": ", m->conc.peak);
	ct_json_num(f, v->conc_threads);
	fprintf(f, ", \"threads_peak\": %u, \"ops_mean\": ", m->conc.peak_threads);
	ct_json_num(f, v->conc_ops);
	fprintf(f, ", \"ops_peak\": %u, \"ops_recorded\": %s, \"loop_ops_mean\": ", m->conc.peak_ops,
		m->ops_known ? "true" : "false");
	ct_json_num(f, v->loop_ops);
	fprintf(f, ", \"timer_waits_s\": ");
	ct_json_num(f, secs(m->timer_wait_ns));
	fprintf(f, ", \"alive_mean\": ");
	ct_json_num(f, wall > 0 ? secs(m->alive_ns) / wall : 0);
	fprintf(f, ", \"alive_peak\": %u},\n  \"contention\": {\"others_cpu_share\": ", m->alive_peak);
	ct_json_num(f, v->others_cpu_share);
	fprintf(f, ", \"waiting_for_others_s\": ");
	ct_json_num(f, v->waiting_for_others_s);
	fprintf(f, "},\n");
	json_anomalies(f, r);
	fprintf(f, "  \"states_s\": ");
	json_states(f, states);
	fprintf(f, ",\n  \"runq_latency_us\": {\"p50\": ");
	ct_json_num(f, ct_model_runq_percentile(m, 0.5) / 1e3);
	fprintf(f, ", \"p99\": ");
	ct_json_num(f, ct_model_runq_percentile(m, 0.99) / 1e3);
	fprintf(f, ", \"max\": ");
	ct_json_num(f, (double)m->runq_max / 1e3);
	fprintf(f, ", \"count\": %" PRIu64 "},\n  \"migrations\": %" PRIu64 ",\n", m->runq_count,
		m->migrations);
	fprintf(f, "  \"verdict\": {\"kind\": \"%s\", \"shape\": \"%s\", \"summary\": ",
		ct_bound_name(v->kind), ct_shape_name(v->shape));
	ct_text_put(f, v->summary, CT_TEXT_JSON);
	fprintf(f, ", \"busy_share\": ");
	ct_json_num(f, v->busy_share);
	fprintf(f, ", \"computing_share\": ");
	ct_json_num(f, v->computing_share);
	fprintf(f, ", \"held_back_share\": ");
	ct_json_num(f, v->held_back_share);
	fprintf(f, ", \"stolen_waiting_share\": ");
	ct_json_num(f, v->stolen_waiting_share);
	fprintf(f, "},\n");
	if (r->rusage_parallelism) {
		fprintf(f, "  \"rusage\": {\"cpu_s\": ");
		ct_json_num(f, secs(sum->command_cpu_ns));
		fprintf(f, ", \"wall_s\": ");
		ct_json_num(f, secs(sum->command_wall_ns));
		fprintf(f, ", \"parallelism\": ");
		ct_json_num(f, r->rusage_parallelism);
		fprintf(f, ", \"exit_status\": %d},\n", sum->command_status);
	}
	fprintf(f, "  \"syscalls\": [");
	for (int i = 0; i < r->nsyscalls; i++) {
		const struct ct_sys_stat *s = &m->sys[r->syscalls[i]];

		fprintf(f, "%s\n    {\"name\": \"%s\", \"count\": %" PRIu64 ", \"total_s\": ", i ? "," : "",
			ct_report_syscall(r, r->syscalls[i], nb, sizeof(nb)), s->count);
		ct_json_num(f, secs(s->total_ns));
		fprintf(f, ", \"max_s\": ");
		ct_json_num(f, secs(s->max_ns));
		fputc('}', f);
	}
	fprintf(f, "%s],\n", r->nsyscalls ? "\n  " : "");
	json_processes(f, r);
	fprintf(f, "  \"threads_detail\": [");

	size_t nt = r->nthreads;
	const struct ct_thread **th = r->threads;

	for (size_t i = 0; i < nt; i++) {
		fprintf(f, "%s\n    {\"tid\": %u, \"pid\": %u, \"name\": ", i ? "," : "", th[i]->tid,
			th[i]->tgid);
		ct_text_put(f, th[i]->name, CT_TEXT_JSON);
		fprintf(f, ", \"cpu_s\": ");
		ct_json_num(f, secs(th[i]->cpu_ns));
		fprintf(f, ", \"states_s\": ");
		json_states(f, th[i]->state_ns);
		fprintf(f, ", \"migrations\": %" PRIu64 "}", th[i]->migrations);
	}
	fprintf(f, "%s],\n  \"cpu_detail\": [", nt ? "\n  " : "");
	for (uint32_t c = 0; c < m->ncpus; c++) {
		const struct ct_cpu_use *u = &m->cpus[c];

		fprintf(f, "%s\n    {\"cpu\": %u, \"workload_s\": ", c ? "," : "", c);
		ct_json_num(f, secs(u->workload_ns));
		fprintf(f, ", \"other_s\": ");
		ct_json_num(f, secs(u->other_ns));
		fprintf(f, ", \"idle_s\": ");
		ct_json_num(f, secs(u->idle_ns));
		fputc('}', f);
	}
	fprintf(f, "\n  ]\n}\n");
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = {0};
	struct ct_model m;
	struct ct_trace_info info;
	struct ct_report r;

	argv[0] = "ctrace report";
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (ct_cli_replay(o.path, &m, NULL, 0, &info))
		return 1;
	ct_report_build(&r, &m, &info.meta, &info.summary);
	char err[512] = "";

	if (ct_report_judge_processes(&r, o.path, 0, err, sizeof(err)))
		ct_warn("processes not judged one by one: %s", err);
	if (o.json)
		print_json(stdout, o.path, &r);
	else
		print_text(stdout, o.path, &r);
	ct_report_free(&r);
	ct_model_free(&m);
	ct_trace_info_free(&info);
	if (fflush(stdout) || ferror(stdout)) {
		ct_warn("writing the report failed");
		return 1;
	}
	return 0;
}
