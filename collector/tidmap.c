#include <stdio.h>
#include <stdlib.h>

#include "tidmap.h"
#include "xalloc.h"

static size_t slot_of(const struct ct_tidmap *m, uint32_t key)
{
	size_t mask = m->cap - 1, i = (key * 2654435761u) & mask;

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

uint32_t *ct_tidmap_get(const struct ct_tidmap *m, uint32_t tid)
{
	if (!m->cap)
		return NULL;
	size_t i = slot_of(m, tid + 1);

	return m->keys[i] ? &m->vals[i] : NULL;
}

static void rehash(struct ct_tidmap *m, size_t cap)
{
	struct ct_tidmap old = *m;

	m->keys = ct_xcalloc(cap, sizeof(*m->keys));
	m->vals = ct_xrealloc(NULL, cap * sizeof(*m->vals));
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.keys[i]) {
			size_t j = slot_of(m, old.keys[i]);

			m->keys[j] = old.keys[i];
			m->vals[j] = old.vals[i];
		}
	}
	free(old.keys);
	free(old.vals);
}

uint32_t *ct_tidmap_put(struct ct_tidmap *m, uint32_t tid)
{
	if (2 * (m->n + 1) > m->cap)
		rehash(m, m->cap ? 2 * m->cap : 1024);
	size_t i = slot_of(m, tid + 1);

	if (!m->keys[i]) {
		m->keys[i] = tid + 1;
		m->vals[i] = CT_TIDMAP_NONE;
		m->n++;
	}
	return &m->vals[i];
}

/* Linear probing: re-place the run after the hole so lookups still find it. */
void ct_tidmap_del(struct ct_tidmap *m, uint32_t tid)
{
	if (!m->cap)
		return;
	size_t mask = m->cap - 1, i = slot_of(m, tid + 1);

	if (!m->keys[i])
		return;
	m->keys[i] = 0;
	m->n--;
	for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
		uint32_t key = m->keys[j], val = m->vals[j];

		m->keys[j] = 0;
		size_t k = slot_of(m, key);

		m->keys[k] = key;
		m->vals[k] = val;
	}
}

void ct_tidmap_free(struct ct_tidmap *m)
{
	free(m->keys);
	free(m->vals);
	*m = (struct ct_tidmap){0};
}
