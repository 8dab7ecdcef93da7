/* Memory that is there, or the program's decision that it is not (xalloc.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

__attribute__((weak)) void ct_out_of_memory(size_t bytes)
{
	fprintf(stderr, "ctrace: out of memory (allocating %zu bytes)\n", bytes);
	abort();
}

void *ct_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		ct_out_of_memory(n);
	return q;
}

char *ct_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(ct_xrealloc(NULL, n), s, n);
}

void *ct_xcalloc(size_t n, size_t size)
{
	void *q = calloc(n ? n : 1, size ? size : 1);

	if (!q)
		ct_out_of_memory(n * size);
	return q;
}
