/* A hash map from thread id to a small index: the one task table every stage uses. */
#ifndef CTRACE_TIDMAP_H
#define CTRACE_TIDMAP_H

#include <stddef.h>
#include <stdint.h>

#define CT_TIDMAP_NONE UINT32_MAX

struct ct_tidmap {
	uint32_t *keys;		/* tid + 1; 0 marks an empty slot */
	uint32_t *vals;
	size_t cap, n;
};

/* The value slot of tid, or NULL. */
uint32_t *ct_tidmap_get(const struct ct_tidmap *m, uint32_t tid);
/* The value slot of tid, inserted as CT_TIDMAP_NONE when absent. */
uint32_t *ct_tidmap_put(struct ct_tidmap *m, uint32_t tid);
void ct_tidmap_del(struct ct_tidmap *m, uint32_t tid);
void ct_tidmap_free(struct ct_tidmap *m);

#endif
