/*
 * Rows of sched_slices.csv, thread_states.csv and syscalls.csv as text.
 * Each row is written at a pointer into room made once for it.
 */
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "csv_rows.h"
#include "model.h"
#include "text.h"

static uint8_t *put(uint8_t *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, lit) put((p), (lit), sizeof(lit) - 1)

uint8_t *ct_csv_name(uint8_t *p, const char *name)
{
	size_t n = strnlen(name, CT_COMM_LEN);
	char s[CT_COMM_LEN + 1];

	memcpy(s, name, n);
	s[n] = 0;
	if (ct_text_plain(s, CT_TEXT_CSV))
		return put(p, s, n);	/* nearly all: copied as they are */
	FILE *f = fmemopen(p, CT_TEXT_MAX(CT_COMM_LEN) * 2 + 3, "w");

	if (!f)
		return p;
	ct_text_put(f, s, CT_TEXT_CSV);
	long len = ftell(f);

	fclose(f);
	return len > 0 ? p + len : p;
}

/* A slice's name: one of those lately found plain is copied as it is. */
static uint8_t *slice_name(struct csv_names *names, uint8_t *p, const char *name)
{
	for (unsigned i = 0; i < CSV_PLAIN_NAMES; i++)
		if (!memcmp(names->name[i], name, CT_COMM_LEN)) {
			memcpy(p, name, CT_COMM_LEN);	/* a fixed copy; past the name is scratch */
			return p + strnlen(name, CT_COMM_LEN);
		}
	uint8_t *end = ct_csv_name(p, name);

	if ((size_t)(end - p) == strnlen(name, CT_COMM_LEN) && !memcmp(p, name, (size_t)(end - p))) {
		memcpy(names->name[names->next], name, CT_COMM_LEN);	/* written as it is: plain */
		names->next = (names->next + 1) % CSV_PLAIN_NAMES;
	}
	return end;
}

/* cpu,tid,pid,comm,start_ns,dur_ns,end_state,cpu_ns */
static uint8_t *slice_row(struct csv_names *names, struct ct_buf *b, uint8_t *p, const struct csv_row *r)
{
	p = ct_fmt_u64(p, (uint32_t)r->cpu);
	*p++ = ',';
	p = ct_fmt_u64(p, r->tid);
	*p++ = ',';
	p = ct_fmt_u64(p, r->tgid);
	*p++ = ',';
	p = slice_name(names, p, r->name);
	*p++ = ',';
	p = ct_fmt_ts(b, p, r->start);
	*p++ = ',';
	p = ct_fmt_u64(p, r->dur);
	*p++ = ',';
	if (r->aux != CT_END_UNKNOWN) {
		const char *st = ct_state_str(r->aux);

		p = put(p, st, strlen(st));
	}
	*p++ = ',';
	if (r->extra)
		p = ct_fmt_u64(p, r->extra);
	return p;
}

/* tid,state,reason,start_ns,dur_ns,cpu */
static uint8_t *state_row(struct ct_buf *b, uint8_t *p, const struct csv_row *r)
{
	p = ct_fmt_u64(p, r->tid);
	if (r->state == CT_ST_RUNNING) {
		p = PUT_LIT(p, ",running,,");
	} else if (r->state == CT_ST_RUNNABLE) {
		p = PUT_LIT(p, ",runnable,,");
	} else {
		const char *why = ct_state_name(r->state);

		p = PUT_LIT(p, ",blocked,");
		p = put(p, why, strlen(why));
		*p++ = ',';
	}
	p = ct_fmt_ts(b, p, r->start);
	*p++ = ',';
	p = ct_fmt_u64(p, r->dur);
	*p++ = ',';
	if (r->state == CT_ST_RUNNING && r->cpu >= 0)
		p = ct_fmt_u64(p, (uint32_t)r->cpu);
	return p;
}

/* tid,name,start_ns,dur_ns,ret */
static uint8_t *syscall_row(struct ct_buf *b, uint8_t *p, const struct csv_row *r)
{
	char buf[32];
	const char *name = ct_syscall_label((int32_t)r->aux, buf, sizeof(buf));
	int64_t ret = (int64_t)r->extra;

	p = ct_fmt_u64(p, r->tid);
	*p++ = ',';
	p = put(p, name, strlen(name));
	*p++ = ',';
	p = ct_fmt_ts(b, p, r->start);
	*p++ = ',';
	p = ct_fmt_u64(p, r->dur);
	*p++ = ',';
	if (ret < 0) {
		*p++ = '-';
		return ct_fmt_u64(p, (uint64_t)0 - (uint64_t)ret);
	}
	return ct_fmt_u64(p, (uint64_t)ret);
}

uint8_t *ct_csv_row(struct csv_names *names, struct ct_buf *b, uint8_t *p, const struct csv_row *r)
{
	switch (r->table) {
	case CSV_SLICES: p = slice_row(names, b, p, r); break;
	case CSV_STATES: p = state_row(b, p, r); break;
	default: p = syscall_row(b, p, r); break;
	}
	*p++ = '\n';
	return p;
}
