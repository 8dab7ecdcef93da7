/* One rule for untrusted names in every output: see text.h. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "text.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

int ct_utf8_len(const unsigned char *p)
{
	int n;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) { n = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { n = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { n = 4; cp = p[0] & 0x07; }
	else return 0;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* No overlongs, surrogates or values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* C0 controls, DEL, and C1 controls (U+0080-U+009F, "\xc2\x80"-"\xc2\x9f"). */
static bool is_control(const unsigned char *p, int n)
{
	return (n == 1 && (p[0] < 0x20 || p[0] == 0x7f)) || (n == 2 && p[0] == 0xc2 && p[1] < 0xa0);
}

/* What one valid sequence (or, n == 0, one invalid byte) becomes in out. */
static size_t translate(const unsigned char *p, int n, enum ct_text_out out, char *dst)
{
	if (n == 0)
		return out == CT_TEXT_JSON ? (size_t)sprintf(dst, "\\ufffd") : (size_t)sprintf(dst, REPLACEMENT);
	if (is_control(p, n)) {
		if (out == CT_TEXT_CSV || (out == CT_TEXT_JSON && n == 2))
			return memcpy(dst, p, (size_t)n), (size_t)n;
		if (out == CT_TEXT_JSON)
			return (size_t)sprintf(dst, "\\u%04x", p[0]);
		return (size_t)sprintf(dst, REPLACEMENT);
	}
	if (*p == '"' && out == CT_TEXT_DATA)
		return (size_t)sprintf(dst, "'");
	if (*p == '\\' && out == CT_TEXT_DATA)
		return (size_t)sprintf(dst, "\xe2\x88\x96");	/* U+2216 SET MINUS, a look-alike */
	if (*p == '"' && out == CT_TEXT_CSV)
		return (size_t)sprintf(dst, "\"\"");
	if ((*p == '"' || *p == '\\') && out == CT_TEXT_JSON)
		return (size_t)sprintf(dst, "\\%c", *p);
	memcpy(dst, p, (size_t)n);
	return (size_t)n;
}

/* RFC 4180: quoted when it holds a separator, a quote, a line break or edge spaces. */
static bool csv_needs_quotes(const char *s)
{
	size_t n = strlen(s);

	return strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '));
}

/*
 * The bytes translate() leaves alone, and for CSV nothing that asks for
 * quotes, in one pass: names are most of a CSV's fields.
 */
bool ct_text_plain(const char *s, enum ct_text_out out)
{
	const unsigned char *p = (const unsigned char *)s;
	bool csv = out == CT_TEXT_CSV;

	if (out == CT_TEXT_JSON || (csv && *p == ' '))
		return false;	/* quoted */
	for (; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || (*p == '"' && out != CT_TEXT_TERMINAL) ||
		    (*p == '\\' && out == CT_TEXT_DATA) || (*p == ',' && csv))
			return false;
	return !(csv && p != (const unsigned char *)s && p[-1] == ' ');
}

void ct_text_put(FILE *f, const char *s, enum ct_text_out out)
{
	const unsigned char *p = (const unsigned char *)s;
	bool quote = out == CT_TEXT_JSON || (out == CT_TEXT_CSV && csv_needs_quotes(s));
	char piece[8];

	if (quote)
		fputc('"', f);
	while (*p) {
		int n = ct_utf8_len(p);

		fwrite(piece, 1, translate(p, n, out, piece), f);
		p += n ? n : 1;
	}
	if (quote)
		fputc('"', f);
}

const char *ct_text(const char *s, enum ct_text_out out, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	char piece[8];

	while (*p && len) {
		int n = ct_utf8_len(p);
		size_t k = translate(p, n, out, piece);

		if (o + k >= len)
			break;
		memcpy(buf + o, piece, k);
		o += k;
		p += n ? n : 1;
	}
	if (len)
		buf[o] = 0;
	return buf;
}

int ct_text_width(const char *s, int columns)
{
	int extra = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		extra += (*p & 0xc0) == 0x80;	/* continuation bytes take no column */
	return columns + extra;
}

void ct_json_num(FILE *f, double v)
{
	if (!isfinite(v))
		v = 0;
	fprintf(f, "%.6g", v);
}
