/* The tid map against a plain array, through inserts, deletions and growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tidmap.h"

#define SPACE 50000u	/* tids drawn from 0..SPACE-1: dense enough to collide */

static void matches_a_reference_through_churn(void **state)
{
	static uint32_t ref[SPACE];	/* CT_TIDMAP_NONE: absent */
	struct ct_tidmap m = {0};
	size_t present = 0;

	(void)state;
	for (uint32_t i = 0; i < SPACE; i++)
		ref[i] = CT_TIDMAP_NONE;
	srand(42);
	for (int op = 0; op < 400000; op++) {
		uint32_t tid = (uint32_t)rand() % SPACE;

		if (rand() % 3) {	/* insert or update */
			uint32_t *v = ct_tidmap_put(&m, tid);

			if (ref[tid] == CT_TIDMAP_NONE) {
				assert_int_equal(*v, CT_TIDMAP_NONE);
				present++;
			}
			*v = ref[tid] = (uint32_t)op;
		} else {		/* delete: the run after the hole must stay findable */
			ct_tidmap_del(&m, tid);
			present -= ref[tid] != CT_TIDMAP_NONE;
			ref[tid] = CT_TIDMAP_NONE;
		}
		if (op % 50000 == 0 || op == 399999) {
			for (uint32_t t = 0; t < SPACE; t++) {
				const uint32_t *v = ct_tidmap_get(&m, t);

				if (ref[t] == CT_TIDMAP_NONE)
					assert_null(v);
				else
					assert_true(v && *v == ref[t]);
			}
			assert_int_equal(m.n, present);
		}
	}
	ct_tidmap_free(&m);
	assert_null(ct_tidmap_get(&m, 1));
}

static void edge_keys_and_an_empty_map(void **state)
{
	struct ct_tidmap m = {0};

	(void)state;
	assert_null(ct_tidmap_get(&m, 0));
	ct_tidmap_del(&m, 7);	/* nothing to delete: no crash */
	*ct_tidmap_put(&m, 0) = 1;
	*ct_tidmap_put(&m, UINT32_MAX - 1) = 2;
	assert_int_equal(*ct_tidmap_get(&m, 0), 1);
	assert_int_equal(*ct_tidmap_get(&m, UINT32_MAX - 1), 2);
	ct_tidmap_del(&m, 0);
	assert_null(ct_tidmap_get(&m, 0));
	assert_int_equal(*ct_tidmap_get(&m, UINT32_MAX - 1), 2);
	ct_tidmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_a_reference_through_churn),
		cmocka_unit_test(edge_keys_and_an_empty_map),
	};

	return cmocka_run_group_tests_name("tidmap", tests, NULL, NULL);
}
