/*
 * Protocol buffers' wire format, written straight into a ct_buf: keys,
 * varints, strings and nested messages.  A nested message's length is
 * patched in when it closes, as a fixed four-byte varint (a valid, if not
 * minimal, encoding every decoder accepts), so nothing is sized twice.
 */
#ifndef CTRACE_PROTOWIRE_H
#define CTRACE_PROTOWIRE_H

#include <errno.h>

#include "outbuf.h"

#define PW_VARINT 0
#define PW_LEN 2
#define PW_NEST_MAX ((1u << 28) - 1)	/* what four varint bytes can say */

/*
 * v as a varint at p, which has room (10 bytes at most); the end.  Through
 * a local pointer: stores through b->p would make the compiler reload
 * b->len after each byte.
 */
static inline uint8_t *pw_put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

/* Append v as a varint; the caller made room. */
static inline void pw_raw_varint(struct ct_buf *b, uint64_t v)
{
	b->len = (size_t)(pw_put_varint(b->p + b->len, v) - b->p);
}

/* A packed field's element: just the varint. */
static inline void pw_elem(struct ct_buf *b, uint64_t v)
{
	if (ct_buf_room(b, 10))
		pw_raw_varint(b, v);
}

static inline void pw_uint(struct ct_buf *b, uint32_t field, uint64_t v)
{
	if (!ct_buf_room(b, 15))
		return;
	pw_raw_varint(b, (uint64_t)field << 3 | PW_VARINT);
	pw_raw_varint(b, v);
}

/* int32 and int64 alike: negative values take ten bytes, as protobuf says. */
static inline void pw_int(struct ct_buf *b, uint32_t field, int64_t v)
{
	pw_uint(b, field, (uint64_t)v);
}

static inline void pw_bytes(struct ct_buf *b, uint32_t field, const void *s, size_t n)
{
	if (!ct_buf_room(b, 15 + n))
		return;
	pw_raw_varint(b, (uint64_t)field << 3 | PW_LEN);
	pw_raw_varint(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void pw_str(struct ct_buf *b, uint32_t field, const char *s)
{
	pw_bytes(b, field, s, strlen(s));
}

/* Open a nested message: its key and room for its length.  Returns where that length goes. */
static inline size_t pw_open(struct ct_buf *b, uint32_t field)
{
	if (!ct_buf_room(b, 9))
		return 0;
	pw_raw_varint(b, (uint64_t)field << 3 | PW_LEN);
	b->len += 4;
	return b->len - 4;
}

static inline void pw_close(struct ct_buf *b, size_t at)
{
	size_t n = b->len - at - 4;

	if (b->err)
		return;
	if (n > PW_NEST_MAX) {
		b->err = EOVERFLOW;	/* callers keep messages far smaller */
		return;
	}
	b->p[at] = (uint8_t)(n | 0x80);
	b->p[at + 1] = (uint8_t)(n >> 7 | 0x80);
	b->p[at + 2] = (uint8_t)(n >> 14 | 0x80);
	b->p[at + 3] = (uint8_t)(n >> 21);
}

/*
 * The same for a message that is almost always short (an ftrace event): one
 * byte of length, the body moved up in the rare case it needs more.
 */
static inline size_t pw_open_short(struct ct_buf *b, uint32_t field)
{
	if (!ct_buf_room(b, 6))
		return 0;
	pw_raw_varint(b, (uint64_t)field << 3 | PW_LEN);
	b->len += 1;
	return b->len - 1;
}

static inline void pw_close_short(struct ct_buf *b, size_t at)
{
	size_t n = b->len - at - 1;

	if (b->err)
		return;
	if (n < 0x80) {
		b->p[at] = (uint8_t)n;
		return;
	}
	uint8_t len[10];
	size_t k = 0;

	for (uint64_t v = n; v >= 0x80; v >>= 7)
		len[k++] = (uint8_t)(v | 0x80);
	len[k] = (uint8_t)(n >> (7 * k));
	k++;
	if (!ct_buf_room(b, k - 1))
		return;
	memmove(b->p + at + k, b->p + at + 1, n);
	memcpy(b->p + at, len, k);
	b->len += k - 1;
}

#endif
