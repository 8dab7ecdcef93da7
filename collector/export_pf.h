/* The Perfetto exporter's shared state: export_perfetto.c writes events, export_pftree.c the rest. */
#ifndef CTRACE_EXPORT_PF_H
#define CTRACE_EXPORT_PF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "export.h"
#include "outbuf.h"
#include "text.h"
#include "tidmap.h"
#include "trace.h"

/* TracePacket's fields (Perfetto's trace_packet.proto). */
enum {
	PF_PACKET_FTRACE = 1, PF_PACKET_TREE = 2, PF_PACKET_CLOCKS = 6, PF_PACKET_TIMESTAMP = 8,
	PF_PACKET_SEQ = 10, PF_PACKET_SYSINFO = 45,
};
#define PF_SEQ_ID 1
#define PF_OUT_FLUSH (1u << 20)	/* whole packets are written out in pieces this large */
#define PF_TASK_CACHE 256

/* What the exporter knows of a task: the trace says it, no model is needed. */
struct pf_task {
	uint32_t tid, tgid;
	uint64_t born;		/* its fork, 0 when it existed before the trace */
	uint64_t described;	/* its fork or last exec: when its tree entry is due */
	uint32_t ppid;		/* the forking process, or /proc's for one that predates -p/-a; 0 unknown */
	int32_t prio;		/* the kernel's, 120 (nice 0) until the trace says */
	bool safe_stale;	/* name changed since safe was made */
	uint32_t name_gen;	/* which of the trace's names it has: bundles' caches of interned names check it */
	char name[CT_COMM_LEN];	/* as the trace last named it, NUL-padded */
	char first_name[CT_COMM_LEN];	/* its name when first named */
	char safe[CT_TEXT_MAX(CT_COMM_LEN)];
};

struct bundle;

struct ct_outfile;

struct pf {
	FILE *f;
	struct ct_outfile *writer;	/* writes f */
	struct ct_buf out;		/* whole packets, flushed in large writes */
	struct bundle *cpus;
	uint32_t ncpus;
	bool has_waking;		/* sched_waking recorded (format 1.1) */
	struct ct_tidmap ids;		/* tid -> index into tasks */
	uint32_t cache_tid[PF_TASK_CACHE], cache_id[PF_TASK_CACHE];	/* before ids */
	struct pf_task *tasks;		/* a tid reused is a second task */
	size_t ntasks, cap;
	uint32_t names;			/* names given so far */
	uint64_t t_first;
	struct ct_export_stats st;
	int failed;
};

/* A TracePacket on our sequence, stamped ts (0: the events inside say when); its close counts it. */
size_t ct_pf_packet_open(struct pf *p, uint64_t ts);
void ct_pf_packet_close(struct pf *p, size_t at);
/* out's packets on their way to the file. */
void ct_pf_flush(struct pf *p);
/* The clock snapshot and system info. */
void ct_pf_preamble(struct pf *p, const struct ct_meta *meta);
/* Tasks alive at the start in one tree; each later one after its fork or exec. */
void ct_pf_process_tree(struct pf *p, const struct ct_meta *meta);

#endif
