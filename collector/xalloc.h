/*
 * Memory, one policy.  Code that can hand an error back (the reader, the
 * replay, the exporters) returns "out of memory" like any other error.
 * Streaming code (the model, the intake, the tid maps, the writer's
 * buffers, the timeline) has no such path per event, so when memory runs
 * out there it calls ct_out_of_memory(), which the program decides: the
 * ctrace command says so and exits; tests and the fuzzer keep the
 * library's default, which says so and aborts.
 */
#ifndef CTRACE_XALLOC_H
#define CTRACE_XALLOC_H

#include <stddef.h>

/* realloc/calloc that never return NULL (a zero size is one byte). */
void *ct_xrealloc(void *p, size_t n);
void *ct_xcalloc(size_t n, size_t size);
char *ct_xstrdup(const char *s);
/* Never returns.  Weak in the library, so a program can replace it. */
void ct_out_of_memory(size_t bytes) __attribute__((noreturn));

#endif
