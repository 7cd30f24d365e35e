/* The region allocator: pieces are aligned, distinct and kept until the
 * region is freed; arrays grown in it keep their contents; the cleanup
 * hooks run once each, last added first. Leaks show under ASan and
 * valgrind, which run this suite. */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/region.h"

static bool aligned(const void *p)
{
	return (uintptr_t)p % alignof(max_align_t) == 0;
}

static void test_small_pieces(void **state)
{
	struct region *r = region_new();
	assert_non_null(r);
	/* Enough 24-byte pieces to fill several chunks. */
	enum { N = 2000 };
	unsigned char *p[N];
	for (int i = 0; i < N; i++) {
		p[i] = region_alloc(r, 24);
		assert_non_null(p[i]);
		assert_true(aligned(p[i]));
		memset(p[i], i & 0xff, 24);
	}
	for (int i = 0; i < N; i++)
		for (int k = 0; k < 24; k++)
			assert_int_equal(p[i][k], i & 0xff);
	size_t used, reserved;
	region_usage(r, &used, &reserved);
	assert_true(used >= (size_t)N * 24);
	assert_true(reserved >= used);
	/* Chunks, not one malloc per piece: a few kilobytes of overhead. */
	assert_true(reserved - used < used / 4 + 16384);
	region_free(r);
}

static void test_large_and_odd_sizes(void **state)
{
	struct region *r = region_new();
	assert_non_null(r);
	unsigned char *big = region_alloc(r, 100000);
	assert_non_null(big);
	assert_true(aligned(big));
	memset(big, 0xab, 100000);
	char *z = region_zalloc(r, 3000);
	assert_non_null(z);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(z[i], 0);
	for (size_t n = 1; n < 300; n++) {
		unsigned char *q = region_alloc(r, n);
		assert_non_null(q);
		assert_true(aligned(q));
		memset(q, 0x5a, n);
	}
	assert_int_equal(big[99999], 0xab);
	assert_null(region_alloc(r, 0));
	assert_null(region_alloc(r, SIZE_MAX));
	assert_null(region_alloc(r, SIZE_MAX - 8));
	region_free(r);
}

static void test_strdup(void **state)
{
	struct region *r = region_new();
	char *a = region_strdup(r, "example.com.");
	char *b = region_strdup(r, "");
	assert_string_equal(a, "example.com.");
	assert_string_equal(b, "");
	assert_ptr_not_equal(a, b);
	region_free(r);
}

static void test_grow_array(void **state)
{
	struct region *r = region_new();
	int *v = NULL;
	size_t moves = 0;
	for (size_t n = 0; n < 5000; n++) {
		int *w = region_grow_array(r, v, n, sizeof(*v));
		assert_non_null(w);
		moves += w != v;
		v = w;
		v[n] = (int)n;
	}
	for (size_t n = 0; n < 5000; n++)
		assert_int_equal(v[n], (int)n);
	/* 1, 2, 4, ... 4096, 8192: once per power of two. */
	assert_int_equal(moves, 14);
	/* Past SIZE_MAX: refused, not wrapped around. */
	assert_null(region_grow_array(r, v, (size_t)1 << 40, (size_t)1 << 30));
	region_free(r);
}

struct order {
	int seen[4];
	int n;
};

static struct order order;

static void note(void *data)
{
	order.seen[order.n++] = *(int *)data;
}

static void free_hook(void *data)
{
	free(data);
}

static void test_cleanups(void **state)
{
	static int one = 1, two = 2, three = 3;
	memset(&order, 0, sizeof(order));
	struct region *r = region_new();
	assert_int_equal(region_add_cleanup(r, note, &one), 0);
	assert_int_equal(region_add_cleanup(r, note, &two), 0);
	/* Memory from outside the region, given to it. */
	char *outside = malloc(64);
	assert_non_null(outside);
	assert_int_equal(region_add_cleanup(r, free_hook, outside), 0);
	assert_int_equal(region_add_cleanup(r, note, &three), 0);
	assert_int_equal(order.n, 0);
	region_free(r);
	assert_int_equal(order.n, 3);
	assert_int_equal(order.seen[0], 3);
	assert_int_equal(order.seen[1], 2);
	assert_int_equal(order.seen[2], 1);
	region_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_pieces),
		cmocka_unit_test(test_large_and_odd_sizes),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_grow_array),
		cmocka_unit_test(test_cleanups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
