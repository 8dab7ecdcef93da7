/*
 * The CPUs: who is on each, and one task per CPU however the kernel's
 * stream of switches has gaps.  Each repair is counted (m->repaired), as
 * perf sched counts its "bad events".
 */
#include "model_int.h"

void ct_cpu_switch(struct ct_model *m, uint16_t cpu, struct ct_thread *prev, struct ct_thread *next,
		   uint64_t ts, uint32_t end_state, uint64_t cpu_ns)
{
	struct ct_cpu_use *c = &m->cpus[cpu];
	uint64_t start = c->since == UINT64_MAX ? m->t_first : c->since;
	uint64_t d = ct_span(start, ts);
	const struct ct_thread *was = prev;

	ct_model_advance(m, ts);
	if (!prev)
		c->idle_ns += d;
	else if (prev->workload)
		c->workload_ns += d;
	else
		c->other_ns += d;
	if (m->sink.cpu_slice && d)
		m->sink.cpu_slice(m->sink.ctx, cpu, was, start, ts, end_state, cpu_ns);
	if (c->other)
		m->others--;
	c->tid = next ? next->tid : 0;
	c->thread = next ? (int32_t)(next - m->threads) : -1;
	c->other = next && !next->workload;
	if (c->other)
		m->others++;
	c->since = ts;
}

/*
 * cpu passes to next at `at`: whatever the model had running there stops
 * there, its state unknown until its next event (its switch was missed).
 */
static void hand_over(struct ct_model *m, uint16_t cpu, struct ct_thread *next, uint64_t at)
{
	struct ct_cpu_use *c = &m->cpus[cpu];
	struct ct_thread *stale = c->thread >= 0 ? &m->threads[c->thread] : NULL;

	if (stale && stale->workload && !stale->dead && stale->state == CT_ST_RUNNING)
		ct_model_set_state(m, stale, CT_ST_UNKNOWN, 0, at);
	ct_cpu_switch(m, cpu, stale, next, at, CT_END_UNKNOWN, 0);
}

/*
 * The kernel's stream has gaps: a switch whose prev is not the task the
 * model has on that CPU means the switch that put prev there was missed.
 * The model's task ran until prev's slice began, as the kernel accounts it
 * (prev_runtime; all of it when unknown), and its state is unknown from
 * then; prev ran the rest.  Returns when prev went on the CPU.
 *
 *   cpu   |==== stale ====|~~~~ prev ~~~~|
 *         c->since        x              e->ts      x = e->ts - prev_runtime
 */
uint64_t ct_repair_missed_switch(struct ct_model *m, const struct ct_event *e, struct ct_thread *prev)
{
	uint64_t rt = e->sw.prev_runtime, x = e->ts;

	if (rt && rt < ct_span(m->cpus[e->cpu].since, e->ts))
		x = e->ts - rt;
	m->repaired++;
	hand_over(m, e->cpu, prev, x);
	return x;
}

/*
 * next goes on this CPU while the model has it running on another: its
 * switch away from there was missed.  That CPU's state is unknown from now
 * (shown idle) until its next switch.
 */
void ct_repair_double_run(struct ct_model *m, struct ct_thread *next, uint16_t cpu, uint64_t ts)
{
	if (next->state != CT_ST_RUNNING || next->cpu < 0 || next->cpu == cpu ||
	    (uint32_t)next->cpu >= m->ncpus || m->cpus[next->cpu].thread != (int32_t)(next - m->threads))
		return;
	m->repaired++;
	ct_cpu_switch(m, (uint16_t)next->cpu, next, NULL, ts, CT_END_UNKNOWN, 0);
	m->cpus[next->cpu].unsure = true;
}

/*
 * t joins as running from an event on cpu (a syscall, a fork): it is on
 * that CPU, and whatever the model had there was missed leaving it.
 */
void ct_occupy(struct ct_model *m, struct ct_thread *t, uint16_t cpu, uint64_t ts)
{
	struct ct_cpu_use *c = &m->cpus[cpu];

	if (c->thread == (int32_t)(t - m->threads))
		return;
	ct_repair_double_run(m, t, cpu, ts);
	if (c->since != UINT64_MAX && !c->unsure)
		m->repaired++;
	hand_over(m, cpu, t, ts);
	c->unsure = false;
	t->cpu = cpu;
}
