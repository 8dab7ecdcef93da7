/*
 * Rows of sched_slices.csv, thread_states.csv and syscalls.csv as text.
 * Each row is written at a pointer into room made once for it.
 */
#include <stdbool.h>
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

/* cpu,tid,pid,comm, or tid,state,reason, or tid,name, */
static uint8_t *prefix_text(uint8_t *p, const struct csv_row *r)
{
	char buf[32];
	const char *s;

	switch (r->table) {
	case CSV_SLICES:
		p = ct_fmt_u64(p, (uint32_t)r->cpu);
		*p++ = ',';
		p = ct_fmt_u64(p, r->tid);
		*p++ = ',';
		p = ct_fmt_u64(p, r->tgid);
		*p++ = ',';
		p = ct_csv_name(p, r->name);
		break;
	case CSV_STATES:
		p = ct_fmt_u64(p, r->tid);
		if (r->state == CT_ST_RUNNING)
			return PUT_LIT(p, ",running,,");
		if (r->state == CT_ST_RUNNABLE)
			return PUT_LIT(p, ",runnable,,");
		s = ct_state_name(r->state);
		p = PUT_LIT(p, ",blocked,");
		p = put(p, s, strlen(s));
		break;
	default:
		s = ct_syscall_label((int32_t)r->aux, buf, sizeof(buf));
		p = ct_fmt_u64(p, r->tid);
		*p++ = ',';
		p = put(p, s, strlen(s));
		break;
	}
	*p++ = ',';
	return p;
}

/* Made and kept when short: rare, once the rows' leading fields have been seen. */
static __attribute__((noinline)) uint8_t *new_prefix(struct csv_prefix *e, const uint64_t key[4], uint8_t *p,
						     const struct csv_row *r)
{
	uint8_t *end = prefix_text(p, r);
	size_t len = (size_t)(end - p);

	if (len <= CSV_PREFIX_MAX) {
		memcpy(e->key, key, sizeof(e->key));
		memcpy(e->text, p, len);
		e->len = (uint8_t)len;
	}
	return end;
}

/*
 * r's prefix at p, by the fields it says (key; never all zero): copied
 * from the cache, or made.
 */
static inline uint8_t *prefix(struct csv_prefixes *prefixes, uint8_t *p, const struct csv_row *r,
			      const uint64_t key[4])
{
	struct csv_prefix *e = &prefixes->prefix[((key[0] ^ key[1] << 17 ^ key[2]) * 0x9e3779b97f4a7c15u) >>
					      (64 - 8)];
	_Static_assert(CSV_PREFIXES == 1 << 8, "the slot is the hash's top 8 bits");

	if (((e->key[0] ^ key[0]) | (e->key[1] ^ key[1]) | (e->key[2] ^ key[2]) | (e->key[3] ^ key[3])) == 0) {
		memcpy(p, e->text, CSV_PREFIX_MAX);	/* a fixed copy; past the prefix is scratch */
		return p + e->len;
	}
	return new_prefix(e, key, p, r);
}

static inline uint64_t key0(const struct csv_row *r)
{
	return (uint64_t)r->tid << 32 | (uint32_t)r->table << 8 | 1u;
}

/* cpu,tid,pid,comm,start_ns,dur_ns,end_state,cpu_ns */
static inline uint8_t *slice_row(struct csv_prefixes *prefixes, struct ct_buf *b, uint8_t *p,
				 const struct csv_row *r)
{
	uint64_t key[4] = { key0(r), (uint64_t)(uint32_t)r->cpu << 32 | r->tgid };

	memcpy(&key[2], r->name, CT_COMM_LEN);
	p = prefix(prefixes, p, r, key);
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
static inline uint8_t *state_row(struct csv_prefixes *prefixes, struct ct_buf *b, uint8_t *p,
				 const struct csv_row *r)
{
	const uint64_t key[4] = { key0(r), r->state };

	p = prefix(prefixes, p, r, key);
	p = ct_fmt_ts(b, p, r->start);
	*p++ = ',';
	p = ct_fmt_u64(p, r->dur);
	*p++ = ',';
	if (r->state == CT_ST_RUNNING && r->cpu >= 0)
		p = ct_fmt_u64(p, (uint32_t)r->cpu);
	return p;
}

/* tid,name,start_ns,dur_ns,ret */
static inline uint8_t *syscall_row(struct csv_prefixes *prefixes, struct ct_buf *b, uint8_t *p,
				   const struct csv_row *r)
{
	const uint64_t key[4] = { key0(r), r->aux };
	int64_t ret = (int64_t)r->extra;

	p = prefix(prefixes, p, r, key);
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

size_t ct_csv_rows(struct csv_prefixes *prefixes, struct ct_buf *tables, const struct csv_row *rows, size_t n,
		   size_t flush_at)
{
	for (size_t i = 0; i < n; i++) {
		const struct csv_row *r = &rows[i];
		struct ct_buf *b = &tables[r->table];
		uint8_t *p;

		if (!ct_buf_room(b, CSV_ROW_MAX))
			return i;
		p = b->p + b->len;
		switch (r->table) {
		case CSV_SLICES: p = slice_row(prefixes, b, p, r); break;
		case CSV_STATES: p = state_row(prefixes, b, p, r); break;
		default: p = syscall_row(prefixes, b, p, r); break;
		}
		*p++ = '\n';
		b->len = (size_t)(p - b->p);
		if (b->len >= flush_at)
			return i + 1;
	}
	return n;
}
