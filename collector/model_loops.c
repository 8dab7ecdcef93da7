/*
 * What a thread's poll-like waits stand for (progress.h): its event loop,
 * the operations in flight on the epoll set, poll set or ring it last
 * waited on, kept current as epoll_ctl and close change the set; and the
 * syscall events that tell it so (with their statistics).
 */
#include "model_int.h"
#include "progress.h"

/* The thread's event loop is now what this poll-like call (arg) waits on. */
void ct_loop_set(struct ct_model *m, struct ct_thread *t, enum ct_wait_call call, uint32_t arg)
{
	t->loop_epfd = -1;
	t->loop_ops = 0;
	if (!m->ops_known)
		return;
	if (call == CT_CALL_EPOLL && arg) {
		t->loop_epfd = (int32_t)CT_ARG_VALUE(arg);
		t->loop_ops = ct_loops_ops(&m->loops, t->tgid, t->loop_epfd);
	} else if (call == CT_CALL_POLL || call == CT_CALL_URING) {
		t->loop_ops = CT_ARG_VALUE(arg);
	}
}

/* A new interval, in the same state, when what the thread stands for changed. */
void ct_loop_restate(struct ct_model *m, struct ct_thread *t, uint64_t ts)
{
	uint32_t ops = ct_state_carries_ops(t->state) ? t->loop_ops : 0;
	int32_t nr = t->blocked_syscall;

	if (ops != t->ops && t->workload && !t->dead) {
		ct_model_set_state(m, t, t->state, ops, ts);
		t->blocked_syscall = nr;
	}
}

/*
 * A thread blocked in a poll-like call: the state it is in, standing for
 * its loop's operations; waiting on none, forever, it is idle.
 */
enum ct_state ct_loop_poll_wait(struct ct_model *m, struct ct_thread *t, int32_t syscall, uint32_t arg)
{
	ct_loop_set(m, t, ct_wait_call(syscall), arg);
	return !t->loop_ops && (arg & CT_ARG_FOREVER) && m->ops_known ? CT_ST_IDLE : CT_ST_POLL;
}

/*
 * An epoll set of tgid changed (epfd; -1: any of them): the threads whose
 * loop it is now stand for its new size.
 */
void ct_loop_epoll_changed(struct ct_model *m, uint32_t tgid, int32_t epfd, uint64_t ts)
{
	for (size_t i = 0; i < m->nthreads; i++) {
		struct ct_thread *t = &m->threads[i];

		if (t->loop_epfd < 0 || t->tgid != tgid || t->dead || (epfd >= 0 && t->loop_epfd != epfd))
			continue;
		t->loop_ops = ct_loops_ops(&m->loops, tgid, t->loop_epfd);
		ct_loop_restate(m, t, ts);
	}
}

/* A completed syscall: its statistics, and what a poll-like call waited on. */
void ct_loop_on_syscall(struct ct_model *m, const struct ct_event *e)
{
	int nr = e->sys.nr >= 0 && e->sys.nr < m->nsys - 1 ? e->sys.nr : m->nsys - 1;
	struct ct_sys_stat *s = &m->sys[nr];
	struct ct_thread *t = ct_model_workload_thread(m, e->tid, e->cpu, e->ts, CT_ST_RUNNING);

	s->count++;
	s->total_ns += e->sys.dur;
	if (e->sys.dur > s->max_ns)
		s->max_ns = e->sys.dur;
	switch (ct_wait_call(e->sys.nr)) {
	case CT_CALL_CLOSE:
		if (e->sys.ret == 0) {
			ct_loops_close(&m->loops, t->tgid, (int32_t)CT_ARG_VALUE(e->sys.arg));
			ct_loop_epoll_changed(m, t->tgid, -1, e->ts);
		}
		break;
	case CT_CALL_POLL: case CT_CALL_EPOLL: case CT_CALL_URING:
		/* A poll-like call, blocking or not: its loop is what it just waited on. */
		ct_loop_set(m, t, ct_wait_call(e->sys.nr), e->sys.arg);
		ct_loop_restate(m, t, e->ts);
		break;
	default:
		break;
	}
}

/* An epoll set changed: its loops stand for its new size. */
void ct_loop_on_epoll(struct ct_model *m, const struct ct_event *e)
{
	ct_model_workload_thread(m, e->tid, e->cpu, e->ts, CT_ST_RUNNING);
	ct_loops_ctl(&m->loops, e->epoll.tgid, e->epoll.epfd, e->epoll.op, e->epoll.fd, e->epoll.fd_class);
	ct_loop_epoll_changed(m, e->epoll.tgid, e->epoll.epfd, e->ts);
}
