/* ctrace dump: the header, then one line per event, like perf script. */
#include <argp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "reader.h"
#include "text.h"
#include "tidmap.h"
#include "xalloc.h"

struct names {
	struct ct_tidmap ids;
	char (*comm)[CT_COMM_LEN];
	size_t n, cap;
};

/* Names are kept as the trace has them and made safe when printed (text.h). */
#define SAFE_LEN CT_TEXT_MAX(CT_PATH_LEN)

static const char *safe(const char *s, char *buf)
{
	return ct_text(s, CT_TEXT_TERMINAL, buf, SAFE_LEN);
}

static const char *name_of(const struct names *nm, uint32_t tid, char *buf)
{
	const uint32_t *i = ct_tidmap_get(&nm->ids, tid);

	if (tid == 0)
		return "swapper";
	return i ? safe(nm->comm[*i], buf) : "?";
}

static void set_name(struct names *nm, uint32_t tid, const char *comm)
{
	uint32_t *i = ct_tidmap_put(&nm->ids, tid);

	if (*i == CT_TIDMAP_NONE) {
		if (nm->n == nm->cap) {
			nm->cap = nm->cap ? 2 * nm->cap : 256;
			nm->comm = ct_xrealloc(nm->comm, nm->cap * sizeof(*nm->comm));
		}
		*i = (uint32_t)nm->n++;
	}
	snprintf(nm->comm[*i], CT_COMM_LEN, "%s", comm);
}

static void print_syscall(int nr)
{
	char buf[32];

	fputs(ct_syscall_label(nr, buf, sizeof(buf)), stdout);
}

/* What a call waited on, as " (...)"; nothing when unknown. */
static void print_arg(int32_t nr, uint32_t arg)
{
	const char *name = ct_syscall_name(nr);

	if (!arg || !name)
		return;
	if (!strcmp(name, "close"))
		printf(" (fd %" PRIu32 ")", CT_ARG_VALUE(arg));
	else if (!strcmp(name, "futex"))
		printf("%s", arg & CT_ARG_JOIN ? " (join: a thread's exit)" : "");
	else if (!strncmp(name, "epoll_", 6))
		printf(" (epfd %" PRIu32 "%s)", CT_ARG_VALUE(arg), arg & CT_ARG_FOREVER ? ", no timeout" : "");
	else
		printf(" (%" PRIu32 " %s%s)", CT_ARG_VALUE(arg), strcmp(name, "io_uring_enter") ? "sockets" : "requests",
		       arg & CT_ARG_FOREVER ? ", no timeout" : "");
}

static void print_header(const struct ct_reader *r)
{
	const struct ct_meta *m = ctr_meta(r);
	const struct ct_summary *s = ctr_summary(r);
	time_t secs = (time_t)(m->real_ns / 1000000000ull);
	char when[64], buf[SAFE_LEN], buf2[SAFE_LEN], buf3[SAFE_LEN];

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&secs));
	printf("# ctrace trace %s (written by ctrace %s)\n", ctr_path(r), m->version);
	printf("# host %s, kernel %s, %s, %" PRIu32 " CPUs\n", safe(m->hostname, buf),
	       safe(m->kernel, buf2), safe(m->machine, buf3), m->ncpus);
	if (m->probes[0])
		printf("# probes: %s\n", safe(m->probes, buf));
	printf("# started %s; times below are seconds since then (CLOCK_BOOTTIME %" PRIu64 ")\n",
	       when, m->boot_ns);
	printf("# command:");
	for (uint32_t i = 0; i < m->argc; i++)
		printf(" %s", safe(m->argv[i], buf));
	printf("%s (pid %" PRIu32 ")%s%s\n", m->argc ? "" : " (whole system)", m->root_pid,
	       m->options & CT_OPT_SYSCALLS ? "" : ", no syscalls",
	       m->options & CT_OPT_ALL ? ", system-wide" : "");
	if (m->recorder_pid)
		printf("# recorder: pid %" PRIu32 " (never part of the workload)\n", m->recorder_pid);
	printf("# topology:");
	for (uint32_t i = 0; i < m->ntopo; i++)
		printf(" cpu%" PRIu32 "=p%d/c%d/t%d", m->topo[i].cpu, m->topo[i].package,
		       m->topo[i].core, m->topo[i].smt);
	printf("\n");
	if (!s) {
		printf("# summary: none (the recording was not finalized)\n");
		return;
	}
	printf("# summary: %" PRIu64 " events over %.6f s, %" PRIu64 " dropped",
	       s->events, (double)(s->last_ts - s->first_ts) / 1e9, s->dropped);
	for (unsigned k = 1; k < CT_EV_KIND_MAX; k++)
		if (s->per_kind[k])
			printf(", %s %" PRIu64, ct_kind_name(k), s->per_kind[k]);
	printf("\n# late: %" PRIu64 " events arrived too late to place and were clamped\n",
	       s->reordered);
}

static void print_event(struct names *nm, const struct ct_event *e, uint64_t t0)
{
	int64_t rel = (int64_t)(e->ts - t0);
	char buf[SAFE_LEN];

	if (e->kind == CT_EV_TASK)
		set_name(nm, e->tid, e->task.comm);
	const char *who = name_of(nm, e->tid, buf);

	printf("%*s %7" PRIu32 " [%03u] %5" PRId64 ".%09" PRId64 ": %s: ", ct_text_width(who, 16), who,
	       e->tid, e->cpu, rel / 1000000000, rel % 1000000000 * (rel < 0 ? -1 : 1),
	       ct_kind_name(e->kind));
	switch (e->kind) {
	case CT_EV_SWITCH:
		printf("prev_state=%s", ct_state_str(e->sw.prev_state));
		if (e->sw.prev_syscall >= 0) {
			printf(" in ");
			print_syscall(e->sw.prev_syscall);
		}
		print_arg(e->sw.prev_syscall, e->sw.arg);
		printf(" ==> %s/%" PRIu32, name_of(nm, e->sw.next_tid, buf), e->sw.next_tid);
		break;
	case CT_EV_WAKEUP:
	case CT_EV_WAKEUP_NEW:
		printf("target_cpu=%03" PRIu32 " waker=%" PRIu32, e->wake.target_cpu, e->wake.waker_tid);
		break;
	case CT_EV_WAKING:
		printf("target_cpu=%03" PRIu32 " waker=", e->wake.target_cpu);
		if (e->wake.waker_class == CT_WAKER_TASK)
			printf("%" PRIu32, e->wake.waker_tid);
		else
			printf("%s", ct_waker_class_name(e->wake.waker_class));
		break;
	case CT_EV_EPOLL:
		printf("epfd=%" PRId32 " %s fd=%" PRId32 " (%s)", e->epoll.epfd,
		       e->epoll.op == 1 ? "add" : e->epoll.op == 2 ? "del" : "mod", e->epoll.fd,
		       ct_fd_class_name(e->epoll.fd_class));
		break;
	case CT_EV_MIGRATE:
		printf("orig_cpu=%" PRIu32 " dest_cpu=%" PRIu32, e->migrate.orig_cpu, e->migrate.dest_cpu);
		break;
	case CT_EV_FORK:
		printf("child=%" PRIu32 " tgid=%" PRIu32 "%s", e->fork.child_tid, e->fork.child_tgid,
		       e->fork.child_tgid == e->fork.child_tid ? " (process)" : " (thread)");
		break;
	case CT_EV_EXEC:
		printf("filename=%s tgid=%" PRIu32 " old_tid=%" PRIu32, safe(e->exec.filename, buf),
		       e->exec.tgid, e->exec.old_tid);
		break;
	case CT_EV_EXIT:
		printf("code=%" PRId32, e->exit.code);
		break;
	case CT_EV_SYSCALL:
		print_syscall(e->sys.nr);
		printf(" = %" PRId64 " [%.3f us]", e->sys.ret, (double)e->sys.dur / 1e3);
		print_arg(e->sys.nr, e->sys.arg);
		break;
	case CT_EV_TASK:
		printf("tgid=%" PRIu32 " comm=%s", e->task.tgid, safe(e->task.comm, buf));
		break;
	case CT_EV_LOST:
		printf("%" PRIu64 " events lost on cpu %u", e->lost.count, e->cpu);
		break;
	case CT_EV_START_STATE:
		printf("state=%s", ct_state_str(e->start.state << 1));
		if (e->start.syscall >= 0) {
			printf(" in ");
			print_syscall(e->start.syscall);
		}
		printf(" tgid=%" PRIu32 " (when recording began)", e->start.tgid);
		break;
	case CT_EV_PRIO:
		printf("prio=%" PRId32, e->prio.prio);
		break;
	case CT_EV_FREE:
		printf("tgid=%" PRIu32, e->free.tgid);
		break;
	case CT_EV_PARENT:
		printf("ppid=%" PRIu32 " (when recording began)", e->parent.ppid);
		break;
	}
	putchar('\n');
}

static const struct argp argp = {
	NULL, NULL, "FILE", "Print a trace's header and one line per event.", NULL, NULL, NULL
};

int cmd_dump(int argc, char **argv)
{
	struct names nm = {0};
	struct ct_event ev;
	char err[512];
	int idx, rc;

	argv[0] = "ctrace dump";
	argp_parse(&argp, argc, argv, 0, &idx, NULL);
	if (idx != argc - 1) {
		ct_warn("dump takes exactly one trace file");
		return 2;
	}
	struct ct_reader *r = ctr_open(argv[idx], err, sizeof(err));

	if (!r) {
		ct_warn("%s", err);
		return 1;
	}
	print_header(r);
	while ((rc = ctr_next(r, &ev)) > 0)
		print_event(&nm, &ev, ctr_meta(r)->boot_ns);
	fflush(stdout);
	if (rc < 0)
		ct_warn("%s", ctr_error(r));
	else if (ctr_incomplete(r))
		ct_warn("warning: %s: the recording was not finalized (killed?); "
			"events shown up to its last complete block", argv[idx]);
	ctr_close(r);
	ct_tidmap_free(&nm.ids);
	free(nm.comm);
	return rc < 0 ? 1 : 0;
}
