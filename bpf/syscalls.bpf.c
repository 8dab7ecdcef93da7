// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Syscalls of the workload only.  Entry notes the time on this CPU, and
 * for a call that may wait on several things (poll, select, epoll_wait,
 * io_uring_enter), what it waits on; exit writes one record for the whole
 * call into this CPU's batch.  A call that blocks loses its note at the
 * switch, which writes its start and what it waits on into the switch
 * record; its exit record then says 0 and the recorder takes the start from
 * there.  A successful epoll_ctl also sends the change to the epoll set,
 * with what the fd is.
 */
#include "waits.bpf.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	struct ct_cpu_state *c = this_cpu_state();

	if (!c || !current_in_workload(c))
		return 0;
	c->sys_enter_ts = bpf_ktime_get_boot_ns();
	c->sys_nr = id;
	c->sys_arg = 0;
	c->sys_ring = 0;
	if (has_wait_arg(id))
		c->sys_arg = wait_arg(bpf_get_current_task_btf(), regs, id);
	else if (id == NR_IO_URING_ENTER)
		c->sys_ring = waited_ring(bpf_get_current_task_btf(), regs);
	return 0;
}

static __always_inline void emit_epoll_ctl(struct pt_regs *regs, __u32 tid)
{
	struct task_struct *t = bpf_get_current_task_btf();
	int epfd = (int)BPF_CORE_READ(regs, di), op = (int)BPF_CORE_READ(regs, si);
	int fd = (int)BPF_CORE_READ(regs, dx);
	__u32 class = op == 2 ? CT_FD_NONE : fd_class(t, fd);	/* EPOLL_CTL_DEL */
	struct ct_epoll *e = reserve(sizeof(*e), CT_EV_EPOLL, tid);

	if (!e)
		return;
	e->tgid = t->tgid;
	e->epfd = epfd;
	e->fd = fd;
	e->op = (__u16)op;
	e->fd_class = (__u16)class;
	submit(e);
}

/*
 * What the exit record says the call was about: its wait, or close's fd.
 * A call that blocked lost its note: what it waited on is read again.
 */
static __always_inline __u32 exit_arg(struct ct_cpu_state *c, struct pt_regs *regs, long nr)
{
	struct task_struct *t;

	if (nr == NR_CLOSE)
		return CT_ARG_VALUE(BPF_CORE_READ(regs, di));
	if (c->sys_enter_ts && nr != NR_IO_URING_ENTER)
		return c->sys_arg;
	t = bpf_get_current_task_btf();
	if (nr == NR_IO_URING_ENTER)
		return ring_arg(c->sys_enter_ts ? c->sys_ring : waited_ring(t, regs));
	return is_poll_call(nr) || is_epoll_wait(nr) ? wait_arg(t, regs, nr) : 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	struct ct_cpu_state *c = this_cpu_state();
	struct ct_sys_batch *b = this_cpu_batch();
	struct ct_syscall *e;
	__u32 n;
	long nr;

	if (!c || !b || !current_in_workload(c))
		return 0;
	/* The number seen at entry: rt_sigreturn resets orig_ax to -1 on its way out. */
	nr = c->sys_enter_ts ? c->sys_nr : regs->orig_ax;
	if (nr == NR_EPOLL_CTL && ret == 0)
		emit_epoll_ctl(regs, c->tid);
	b->busy = 1;
	compiler_barrier();
	n = b->n;
	if (n >= CT_SYS_BATCH) {	/* never: a full batch is sent at once; bounds n for the verifier */
		send_batch(b);
		n = 0;
	}
	e = &b->recs[n];
	e->h.ts = bpf_ktime_get_boot_ns();
	e->h.kind = CT_EV_SYSCALL;
	e->h.cpu = bpf_get_smp_processor_id();
	e->h.tid = c->tid;
	e->nr = nr;
	e->arg = exit_arg(c, regs, nr);
	e->ret = ret;
	e->enter_ts = c->sys_enter_ts;
	b->n = n + 1;
	if (n + 1 == CT_SYS_BATCH)
		send_batch(b);
	compiler_barrier();
	b->busy = 0;
	c->sys_enter_ts = 0;
	return 0;
}
