#include <errno.h>
#include <stdlib.h>

#include "outbuf.h"

const char ct_digit_pairs[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

const uint64_t ct_pow10[20] = {
	1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
	10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
	1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
	10000000000000000000u,
};

/* Past eight digits: the leading ones, then eight more (v >= 10^8). */
uint8_t *ct_fmt_u64_long(uint8_t *p, uint64_t v)
{
	uint64_t w = ct_digits8((uint32_t)(v % 100000000u));

	p = ct_fmt_u64(p, v / 100000000u);
	memcpy(p, &w, 8);
	return p + 8;
}

bool ct_buf_grow(struct ct_buf *b, size_t n)
{
	if (b->err)
		return false;
	size_t cap = b->cap ? b->cap : 4096;

	while (cap < b->len + n)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);

	if (!p) {
		b->err = ENOMEM;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void ct_buf_flush(struct ct_buf *b, FILE *f)
{
	if (b->len && !b->err && fwrite(b->p, 1, b->len, f) != b->len)
		b->err = errno ? errno : EIO;
	b->len = 0;
}

void ct_buf_free(struct ct_buf *b)
{
	free(b->p);
	*b = (struct ct_buf){ 0 };
}
