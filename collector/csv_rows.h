/*
 * The CSV exporter's rows between the replay, which makes them, and the
 * thread that writes them out as text: fixed-size records, so that the
 * replay copies a few words per row and the formatting (most of an
 * export's time) runs beside it.
 */
#ifndef CTRACE_CSV_ROWS_H
#define CTRACE_CSV_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"
#include "trace.h"

enum { CSV_SLICES, CSV_STATES, CSV_SYSCALLS, CSV_THREADS, CSV_CPUS, CSV_NFILES };

struct csv_row {
	uint8_t table;		/* CSV_SLICES, CSV_STATES or CSV_SYSCALLS */
	uint8_t state;		/* states: enum ct_state */
	int32_t cpu;		/* slices and states; -1 for none */
	uint32_t tid, tgid;
	uint32_t aux;		/* slices: the end state as stored; syscalls: the number */
	uint64_t start, dur;
	uint64_t extra;		/* slices: the kernel's account (0 unknown); syscalls: the return value */
	char name[CT_COMM_LEN];	/* slices */
};

/* The room a row may take: numbers, and a name quoted and repaired. */
#define CSV_ROW_MAX 512

/*
 * A row's leading fields (sched_slices: cpu,tid,pid,comm; thread_states:
 * tid,state,reason; syscalls: tid,name) recur row after row: the text of
 * the last few is kept, by what it says, and copied whole.
 */
#define CSV_PREFIXES 256
#define CSV_PREFIX_MAX 56
struct csv_prefix {
	uint64_t key[4];	/* the fields it says; all zero when empty */
	uint8_t len;
	uint8_t text[CSV_PREFIX_MAX];
};
struct csv_prefixes {
	struct csv_prefix prefix[CSV_PREFIXES];
};

/*
 * rows as lines of text at the ends of their tables' buffers (tables is
 * indexed by table), until all n are or one buffer has flush_at bytes or
 * more; how many were.  Fewer, and no buffer full: one could not grow
 * (its err says why).
 */
size_t ct_csv_rows(struct csv_prefixes *prefixes, struct ct_buf *tables, const struct csv_row *rows, size_t n,
		   size_t flush_at);
/* A name as RFC 4180 wants it (text.h); the end. */
uint8_t *ct_csv_name(uint8_t *p, const char *name);

#endif
