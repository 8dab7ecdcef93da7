/*
 * Names from a trace are untrusted bytes: a thread can call itself
 * anything, and so can a command line.  Every output shows them through
 * this one module, under one rule: valid UTF-8 is kept, each byte that is
 * not becomes U+FFFD, and what an output cannot carry safely is replaced
 * by U+FFFD or escaped as that output requires:
 *
 *   terminal  control characters (C0, DEL, C1) become U+FFFD.  Perfetto's
 *             protobuf strings get the same.
 *   data      gnuplot's tab-separated files: as terminal, and '"' becomes
 *             '\'' and '\' becomes U+2216 (gnuplot reads "\n" in a label
 *             as a line break).
 *   csv       RFC 4180: the field is quoted when it holds ',', '"', a line
 *             break or edge spaces; '"' is doubled; controls are kept.
 *   json      a quoted string: '"' and '\' escaped, C0 and DEL as \u00XX.
 */
#ifndef CTRACE_TEXT_H
#define CTRACE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A buffer that holds any n-byte name once made safe for the terminal or data. */
#define CT_TEXT_MAX(n) ((n) * 3 + 1)

enum ct_text_out {
	CT_TEXT_TERMINAL,
	CT_TEXT_DATA,
	CT_TEXT_CSV,
	CT_TEXT_JSON,
};

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when it is not valid. */
int ct_utf8_len(const unsigned char *p);
/*
 * Whether s comes out of out exactly as it is, unquoted: printable ASCII
 * that out neither escapes nor replaces (a fast path for the common name;
 * false says nothing, ct_text_put() decides).
 */
bool ct_text_plain(const char *s, enum ct_text_out out);
/* s as out wants it, written to f (CSV and JSON add their quotes). */
void ct_text_put(FILE *f, const char *s, enum ct_text_out out);
/*
 * s as out wants it, into buf (NUL-terminated; a sequence that would not
 * fit is left out, never cut).  CSV and JSON are for streams only.
 */
const char *ct_text(const char *s, enum ct_text_out out, char *buf, size_t len);
/*
 * printf's field width for s to fill `columns` on a terminal: widths count
 * bytes, and a character of s may take several (one column each, as far as
 * ctrace's names go).  s must be valid UTF-8, as ct_text() leaves it.
 */
int ct_text_width(const char *s, int columns);
/* A finite number for JSON (NaN and infinities, which it cannot express, become 0). */
void ct_json_num(FILE *f, double v);

#endif
