/*
 * The reader's insides, shared by reader.c (blocks and events) and
 * reader_header.c (the leading chunks and the summary).
 */
#ifndef CTRACE_READER_INT_H
#define CTRACE_READER_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

#include "reader.h"

struct ct_reader {
	char *path;
	FILE *f;
	uint64_t size;
	uint64_t off;		/* file offset of the next chunk */
	bool incomplete;
	bool done;
	struct ct_meta meta;
	struct ct_summary sum;
	bool have_sum;
	/* The current EVNT block. */
	uint8_t *block;
	size_t block_cap;
	uint64_t block_off;	/* file offset of its payload */
	const uint8_t *p, *end;
	uint32_t left;		/* records still to decode in it */
	uint64_t ts;		/* of the last record decoded */
	uint64_t events;
	char err[512];
};

/* Sets r->err to "PATH: WHAT at offset OFF" and ends the reading; returns -1. */
int ct_reader_fail(struct ct_reader *r, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ct_reader_read_at(struct ct_reader *r, uint64_t off, void *buf, size_t len);
int ct_reader_chunk(struct ct_reader *r, uint64_t off, uint32_t *type, uint32_t *len);
/* A varint read: where the next field starts (NULL when it failed) and its value. */
struct ct_got {
	const uint8_t *p;
	uint64_t v;
};

struct ct_got ct_reader_varint_slow(struct ct_reader *r, const uint8_t *p, const uint8_t *end, uint64_t base,
				    const char *what);
/* The magic, version, flags, metadata, topology and (when complete) summary. */
int ct_reader_header(struct ct_reader *r);

/*
 * Fields of up to four bytes (tids, deltas, slices) decode inline; longer
 * ones, and anything near the end of the block, out of line.  The cursor
 * goes in and comes back by value: its address never escapes to the slow
 * path, so it stays in a register through a whole event.
 */
static inline struct ct_got get(struct ct_reader *r, const uint8_t *q, const uint8_t *end, uint64_t base,
				const char *what)
{
	if (__builtin_expect(end - q >= 4, 1)) {
		uint64_t x = q[0] & 0x7f;

		if (!(q[0] & 0x80))
			return (struct ct_got){ q + 1, x };
		x |= (uint64_t)(q[1] & 0x7f) << 7;
		if (!(q[1] & 0x80))
			return (struct ct_got){ q + 2, x };
		x |= (uint64_t)(q[2] & 0x7f) << 14;
		if (!(q[2] & 0x80))
			return (struct ct_got){ q + 3, x };
		x |= (uint64_t)(q[3] & 0x7f) << 21;
		if (!(q[3] & 0x80))
			return (struct ct_got){ q + 4, x };
	}
	return ct_reader_varint_slow(r, q, end, base, what);
}

static inline struct ct_got get_u32(struct ct_reader *r, const uint8_t *q, const uint8_t *end, uint64_t base,
				    const char *what)
{
	struct ct_got g = get(r, q, end, base, what);

	if (g.p && g.v > UINT32_MAX) {
		ct_reader_fail(r, base + (uint64_t)(g.p - r->block), "%s out of range", what);
		g.p = NULL;
	}
	return g;
}

static inline const uint8_t *get_string(struct ct_reader *r, const uint8_t *p, const uint8_t *end, uint64_t base,
					char *dst, size_t max, const char *what)
{
	struct ct_got g = get(r, p, end, base, what);

	if (!g.p)
		return NULL;
	if (g.v >= max || g.v > (uint64_t)(end - g.p)) {
		ct_reader_fail(r, base + (uint64_t)(g.p - r->block), "%s of %" PRIu64 " bytes too long", what, g.v);
		return NULL;
	}
	memcpy(dst, g.p, g.v);
	dst[g.v] = 0;
	return g.p + g.v;
}

#define GET_AS(fn, dst, what) do { \
	struct ct_got g_ = fn(r, p, end, base, (what)); \
	if (!g_.p) \
		return -1; \
	p = g_.p; \
	*(dst) = g_.v; \
} while (0)
#define GET(dst, what) GET_AS(get, dst, what)
#define GET32(dst, what) GET_AS(get_u32, dst, what)

#endif
