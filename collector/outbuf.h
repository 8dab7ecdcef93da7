/*
 * A growable byte buffer that exporters fill field by field and flush in
 * large writes: no stdio call and no format string per field, which is
 * where an exporter of millions of events spends its time otherwise.
 */
#ifndef CTRACE_OUTBUF_H
#define CTRACE_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct ct_buf {
	uint8_t *p;
	size_t len, cap;
	int err;		/* errno of the first failure; later writes are dropped */
	uint64_t ts_hi;		/* ct_buf_ts(): the leading digits last written */
	unsigned ts_hi_len;
	char ts_hi_text[16];
};

/* Room for n more bytes; false (and err set) when memory ran out. */
bool ct_buf_grow(struct ct_buf *b, size_t n);
/* Write everything to f and empty the buffer; err on a short write. */
void ct_buf_flush(struct ct_buf *b, FILE *f);
void ct_buf_free(struct ct_buf *b);

static inline bool ct_buf_room(struct ct_buf *b, size_t n)
{
	return b->len + n <= b->cap || ct_buf_grow(b, n);
}

static inline void ct_buf_put(struct ct_buf *b, const void *s, size_t n)
{
	if (!ct_buf_room(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void ct_buf_putc(struct ct_buf *b, char c)
{
	if (ct_buf_room(b, 1))
		b->p[b->len++] = (uint8_t)c;
}

extern const char ct_digit_pairs[200];
extern const uint64_t ct_pow10[20];

static inline unsigned ct_decimal_len(uint64_t v)
{
	unsigned t = ((64 - (unsigned)__builtin_clzll(v | 1)) * 1233) >> 12;	/* log10 from log2 */

	return t + 1 - ((v | 1) < ct_pow10[t]);
}

/*
 * The ct_fmt_* functions write at p, which has room (ct_buf_room), and
 * return the end: a row's room is made once, not per field.
 */
#define CT_FMT_U64_MAX 20

/* Digits are put together in a register, first digit lowest, and stored whole. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "decimal digits are assembled little-endian");

static inline uint64_t ct_pair(uint32_t v)	/* v < 100: its two digits, in memory order */
{
	uint16_t d;

	memcpy(&d, &ct_digit_pairs[v * 2], 2);
	return d;
}

/* v < 10^8 as eight digits, zero-padded, in memory order (in registers: no store to reload). */
static inline uint64_t ct_digits8(uint32_t v)
{
	uint32_t hi = v / 10000, lo = v % 10000;

	return ct_pair(hi / 100) | ct_pair(hi % 100) << 16 | ct_pair(lo / 100) << 32 | ct_pair(lo % 100) << 48;
}

uint8_t *ct_fmt_u64_long(uint8_t *p, uint64_t v);

/*
 * v in decimal: the exporters' hottest code.  Eight digits are made at
 * once and stored whole, the leading zeros shifted out; the bytes past
 * the number are scratch (within the CT_FMT_U64_MAX of room).
 */
static inline uint8_t *ct_fmt_u64(uint8_t *p, uint64_t v)
{
	uint64_t w;
	unsigned lead;	/* leading zeros: the first non-'0' byte, the last digit counting as one */

	if (v < 10000) {	/* CPUs, tids, return values: most numbers are short */
		w = ct_pair((uint32_t)v / 100) | ct_pair((uint32_t)v % 100) << 16;
		lead = (unsigned)__builtin_ctzll((w ^ 0x30303030u) | 1ull << 24) >> 3;
		w >>= 8 * lead;
		memcpy(p, &w, 8);
		return p + 4 - lead;
	}
	if (v >= 100000000u)
		return ct_fmt_u64_long(p, v);
	w = ct_digits8((uint32_t)v);
	lead = (unsigned)__builtin_ctzll(w ^ 0x3030303030303030u) >> 3;	/* v >= 10^4: at most 3 */
	w >>= 8 * lead;
	memcpy(p, &w, 8);
	return p + 8 - lead;
}

/*
 * A timestamp in decimal.  Timestamps of a trace share their leading
 * digits for seconds at a time: those are kept from the last one written
 * (per buffer) and only the last eight digits are made each time.
 */
static inline uint8_t *ct_fmt_ts(struct ct_buf *b, uint8_t *p, uint64_t ts)
{
	uint64_t hi = ts / 100000000u;
	uint32_t lo = (uint32_t)(ts % 100000000u);

	if (!hi)
		return ct_fmt_u64(p, ts);
	if (hi != b->ts_hi || !b->ts_hi_len) {
		b->ts_hi = hi;
		b->ts_hi_len = ct_decimal_len(hi);
		for (unsigned i = b->ts_hi_len; i--; hi /= 10)
			b->ts_hi_text[i] = (char)('0' + hi % 10);
	}
	memcpy(p, b->ts_hi_text, 16);	/* at most 12 digits: a fixed copy, the rest scratch */
	p += b->ts_hi_len;
	uint64_t w = ct_digits8(lo);

	memcpy(p, &w, 8);
	p += 8;
	return p;
}

static inline void ct_buf_u64(struct ct_buf *b, uint64_t v)
{
	if (ct_buf_room(b, CT_FMT_U64_MAX))
		b->len = (size_t)(ct_fmt_u64(b->p + b->len, v) - b->p);
}

static inline void ct_buf_ts(struct ct_buf *b, uint64_t ts)
{
	if (ct_buf_room(b, CT_FMT_U64_MAX))
		b->len = (size_t)(ct_fmt_ts(b, b->p + b->len, ts) - b->p);
}

static inline void ct_buf_i64(struct ct_buf *b, int64_t v)
{
	if (v < 0) {
		ct_buf_putc(b, '-');
		ct_buf_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		ct_buf_u64(b, (uint64_t)v);
	}
}

#endif
