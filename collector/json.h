/* Writing JSON safely: any byte string from a trace becomes a valid JSON string. */
#ifndef CTRACE_JSON_H
#define CTRACE_JSON_H

#include <stdio.h>

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when it is not valid. */
int ct_utf8_len(const unsigned char *p);
/* Quoted, escaped; invalid UTF-8 bytes become U+FFFD. */
void ct_json_str(FILE *f, const char *s);
/* A finite number (NaN/inf become 0, which JSON cannot express). */
void ct_json_num(FILE *f, double v);

#endif
