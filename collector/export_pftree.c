/*
 * The Perfetto trace's packets that are not ftrace: the clocks, the
 * system, and the process tree.  Perfetto creates a thread or process row
 * when a tree names it, so a tree only names what exists at its timestamp:
 * the tasks alive when the trace began, in one tree at its start; a task
 * forked later, and a process after each exec, in a tree just after.  A
 * process is only described with a parent the trace knows (its fork, or
 * the recorder's note on the command's parent, or /proc's on a process
 * that predates -p or -a; init's and kthreadd's is pid 0): Perfetto would
 * make any other a child of pid 0.
 */
#include <errno.h>
#include <string.h>

#include "export_pf.h"
#include "outfile.h"
#include "protowire.h"

#define CLOCK_REALTIME_ID 1
#define CLOCK_MONOTONIC_ID 3
#define CLOCK_BOOTTIME_ID 6

enum { TREE_PROCESS = 1, TREE_THREAD = 2 };
enum { PROC_PID = 1, PROC_PPID = 2, PROC_CMDLINE = 3, PROC_CMDLINE_IS_COMM = 9 };
enum { THREAD_TID = 1, THREAD_NAME = 2, THREAD_TGID = 3 };

size_t ct_pf_packet_open(struct pf *p, uint64_t ts)
{
	size_t at = pw_open(&p->out, 1);	/* Trace.packet */

	if (ts)
		pw_uint(&p->out, PF_PACKET_TIMESTAMP, ts);
	pw_uint(&p->out, PF_PACKET_SEQ, PF_SEQ_ID);
	return at;
}

void ct_pf_packet_close(struct pf *p, size_t at)
{
	pw_close(&p->out, at);
	p->st.packets++;
	if (p->out.len >= PF_OUT_FLUSH)
		ct_pf_flush(p);
}

void ct_pf_flush(struct pf *p)
{
	int err;

	ct_outfile_put(p->writer, p->f, &p->out);
	if ((err = ct_outfile_error(p->writer, NULL)) && !p->failed)
		p->failed = err;	/* the replay stops within a batch */
}

void ct_pf_preamble(struct pf *p, const struct ct_meta *meta)
{
	struct ct_buf *o = &p->out;
	const uint32_t ids[3] = { CLOCK_BOOTTIME_ID, CLOCK_MONOTONIC_ID, CLOCK_REALTIME_ID };
	const uint64_t ts[3] = { meta->boot_ns, meta->mono_ns, meta->real_ns };
	char text[CT_TEXT_MAX(65)];
	size_t pkt = ct_pf_packet_open(p, meta->boot_ns), msg = pw_open(o, PF_PACKET_CLOCKS);

	for (int i = 0; i < 3; i++) {
		size_t c = pw_open(o, 1);

		pw_uint(o, 1, ids[i]);
		pw_uint(o, 2, ts[i]);
		pw_close(o, c);
	}
	pw_uint(o, 2, CLOCK_BOOTTIME_ID);	/* primary_trace_clock */
	pw_close(o, msg);
	ct_pf_packet_close(p, pkt);

	pkt = ct_pf_packet_open(p, meta->boot_ns);
	msg = pw_open(o, PF_PACKET_SYSINFO);
	size_t un = pw_open(o, 1);	/* utsname */

	pw_str(o, 1, "Linux");
	pw_str(o, 3, ct_text(meta->kernel, CT_TEXT_TERMINAL, text, sizeof(text)));
	pw_str(o, 4, ct_text(meta->machine, CT_TEXT_TERMINAL, text, sizeof(text)));
	pw_close(o, un);
	pw_uint(o, 8, meta->ncpus);	/* num_cpus */
	pw_close(o, msg);
	ct_pf_packet_close(p, pkt);
}

static void tree_thread(struct ct_buf *o, const struct pf_task *k, const char *name)
{
	size_t at = pw_open(o, TREE_THREAD);

	pw_int(o, THREAD_TID, k->tid);
	pw_str(o, THREAD_NAME, name);
	pw_int(o, THREAD_TGID, k->tgid);
	pw_close(o, at);
}

/* A process entry, when its parent is known: the command's with its argv, others' with their name. */
static void tree_process(struct ct_buf *o, const struct pf_task *k, const struct ct_meta *meta,
			 const char *name)
{
	bool root = k->tgid == meta->root_pid && !(meta->options & CT_OPT_ALL);
	uint32_t ppid = root ? meta->root_ppid : k->ppid;
	bool swappers_child = k->tgid == 1 || k->tgid == 2;	/* init and kthreadd: the kernel's own */

	if (k->tid != k->tgid || (!ppid && !swappers_child))
		return;
	size_t at = pw_open(o, TREE_PROCESS);

	pw_int(o, PROC_PID, k->tgid);
	pw_int(o, PROC_PPID, ppid);
	if (root && meta->argc) {
		for (uint32_t i = 0; i < meta->argc; i++) {
			size_t cap = CT_TEXT_MAX(strlen(meta->argv[i]));
			char buf[4096];

			/* Arguments are UTF-8 too; one too long to hold is cut where a character ends. */
			ct_text(meta->argv[i], CT_TEXT_TERMINAL, buf, cap < sizeof(buf) ? cap : sizeof(buf));
			pw_str(o, PROC_CMDLINE, buf);
		}
	} else {
		pw_str(o, PROC_CMDLINE, name);
		pw_uint(o, PROC_CMDLINE_IS_COMM, 1);
	}
	pw_close(o, at);
}

/* The tasks alive when the trace began, with the names they had then. */
static void tree_at_start(struct pf *p, const struct ct_meta *meta)
{
	struct ct_buf *o = &p->out;
	size_t pkt = ct_pf_packet_open(p, p->t_first ? p->t_first : meta->boot_ns);
	size_t tree = pw_open(o, PF_PACKET_TREE);

	for (size_t i = 0; i < p->ntasks; i++) {
		const struct pf_task *k = &p->tasks[i];
		char name[CT_TEXT_MAX(CT_COMM_LEN)];

		if (!k->first_name[0] || k->born)
			continue;	/* seen only as a number, or not there yet */
		ct_text(k->first_name, CT_TEXT_TERMINAL, name, sizeof(name));
		tree_thread(o, k, name);
		if (!k->described)
			tree_process(o, k, meta, name);
	}
	pw_close(o, tree);
	ct_pf_packet_close(p, pkt);
}

void ct_pf_process_tree(struct pf *p, const struct ct_meta *meta)
{
	tree_at_start(p, meta);
	for (size_t i = 0; i < p->ntasks; i++) {
		const struct pf_task *k = &p->tasks[i];
		char name[CT_TEXT_MAX(CT_COMM_LEN)];

		if (!k->described || !k->name[0])
			continue;
		/* Just after the fork or exec that made it what it is. */
		size_t pkt = ct_pf_packet_open(p, k->described + 1), tree = pw_open(&p->out, PF_PACKET_TREE);

		ct_text(k->name, CT_TEXT_TERMINAL, name, sizeof(name));
		tree_thread(&p->out, k, name);
		tree_process(&p->out, k, meta, name);
		pw_close(&p->out, tree);
		ct_pf_packet_close(p, pkt);
	}
}
