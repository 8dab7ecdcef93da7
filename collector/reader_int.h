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
int ct_reader_varint_slow(struct ct_reader *r, const uint8_t **p, const uint8_t *end, uint64_t base,
			  uint64_t *v, const char *what);
/* The magic, version, flags, metadata, topology and (when complete) summary. */
int ct_reader_header(struct ct_reader *r);

/*
 * Fields of up to four bytes (tids, deltas, slices) decode inline; longer
 * ones, and anything near the end of the block, out of line.
 */
static inline int get(struct ct_reader *r, const uint8_t **p, const uint8_t *end,
		      uint64_t base, uint64_t *v, const char *what)
{
	const uint8_t *q = *p;

	if (__builtin_expect(end - q >= 4, 1)) {
		uint64_t x = q[0] & 0x7f;

		if (!(q[0] & 0x80)) {
			*v = x;
			*p = q + 1;
			return 0;
		}
		x |= (uint64_t)(q[1] & 0x7f) << 7;
		if (!(q[1] & 0x80)) {
			*v = x;
			*p = q + 2;
			return 0;
		}
		x |= (uint64_t)(q[2] & 0x7f) << 14;
		if (!(q[2] & 0x80)) {
			*v = x;
			*p = q + 3;
			return 0;
		}
		x |= (uint64_t)(q[3] & 0x7f) << 21;
		if (!(q[3] & 0x80)) {
			*v = x;
			*p = q + 4;
			return 0;
		}
	}
	return ct_reader_varint_slow(r, p, end, base, v, what);
}

static inline int get_u32(struct ct_reader *r, const uint8_t **p, const uint8_t *end,
		   uint64_t base, uint32_t *v, const char *what)
{
	uint64_t x;

	if (get(r, p, end, base, &x, what))
		return -1;
	if (x > UINT32_MAX)
		return ct_reader_fail(r, base + (uint64_t)(*p - r->block), "%s out of range", what);
	*v = (uint32_t)x;
	return 0;
}

static inline int get_string(struct ct_reader *r, const uint8_t **p, const uint8_t *end,
			     uint64_t base, char *dst, size_t max, const char *what)
{
	uint64_t len;

	if (get(r, p, end, base, &len, what))
		return -1;
	if (len >= max || len > (uint64_t)(end - *p))
		return ct_reader_fail(r, base + (uint64_t)(*p - r->block), "%s of %" PRIu64 " bytes too long", what, len);
	memcpy(dst, *p, len);
	dst[len] = 0;
	*p += len;
	return 0;
}

#define GET(v, what) do { if (get(r, &p, end, base, (v), (what))) return -1; } while (0)
#define GET32(v, what) do { if (get_u32(r, &p, end, base, (v), (what))) return -1; } while (0)

#endif
