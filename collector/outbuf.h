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
	char ts_hi_text[20];
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

static inline unsigned ct_decimal_len(uint64_t v)
{
	unsigned n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* v in decimal, two digits a step from the right: the exporters' hottest loop. */
static inline void ct_buf_u64(struct ct_buf *b, uint64_t v)
{
	unsigned n = ct_decimal_len(v);

	if (!ct_buf_room(b, n))
		return;
	uint8_t *end = b->p + b->len + n;

	while (v >= 100) {
		unsigned i = (unsigned)(v % 100) * 2;

		v /= 100;
		*--end = (uint8_t)ct_digit_pairs[i + 1];
		*--end = (uint8_t)ct_digit_pairs[i];
	}
	if (v >= 10) {
		*--end = (uint8_t)ct_digit_pairs[v * 2 + 1];
		*--end = (uint8_t)ct_digit_pairs[v * 2];
	} else {
		*--end = (uint8_t)('0' + v);
	}
	b->len += n;
}

/*
 * A timestamp in decimal.  Timestamps of a trace share their leading
 * digits for seconds at a time: those are kept from the last one written
 * (per buffer) and only the last eight digits are made each time.
 */
static inline void ct_buf_ts(struct ct_buf *b, uint64_t ts)
{
	uint64_t hi = ts / 100000000u;
	uint32_t lo = (uint32_t)(ts % 100000000u);

	if (!hi) {
		ct_buf_u64(b, ts);
		return;
	}
	if (hi != b->ts_hi || !b->ts_hi_len) {
		b->ts_hi = hi;
		b->ts_hi_len = ct_decimal_len(hi);
		for (unsigned i = b->ts_hi_len; i--; hi /= 10)
			b->ts_hi_text[i] = (char)('0' + hi % 10);
	}
	if (!ct_buf_room(b, b->ts_hi_len + 8))
		return;
	memcpy(b->p + b->len, b->ts_hi_text, b->ts_hi_len);
	b->len += b->ts_hi_len + 8;
	for (uint8_t *end = b->p + b->len; end > b->p + b->len - 8; lo /= 100) {
		unsigned i = (lo % 100) * 2;

		*--end = (uint8_t)ct_digit_pairs[i + 1];
		*--end = (uint8_t)ct_digit_pairs[i];
	}
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
