/* Pacing arithmetic with pinned times: bursts, refill, the wait until the
 * next token, clocks that go backwards, huge gaps, and the server table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "engine/pace.h"

static void test_burst_for(void **state)
{
	assert_int_equal(pace_burst_for(1), 1);	      /* 0.001 qps */
	assert_int_equal(pace_burst_for(5000), 1);    /* 5 qps */
	assert_int_equal(pace_burst_for(20000), 2);   /* 20 qps */
	assert_int_equal(pace_burst_for(500000), 50); /* 500 qps */
}

static void test_no_limit(void **state)
{
	struct pace p;

	pace_init(&p, 0, 0, 1000);
	for (int i = 0; i < 100000; i++)
		assert_true(pace_take(&p, 1000));
	assert_int_equal(pace_wait_ms(&p, 1000), 0);
	assert_true(pace_full(&p, 0));
}

/* 20 qps, burst 2: two at once, then one every 50 ms. */
static void test_burst_then_rate(void **state)
{
	struct pace p;

	pace_init(&p, 20000, 0, 1000);
	assert_int_equal(p.burst, 2);
	assert_true(pace_take(&p, 1000));
	assert_true(pace_take(&p, 1000));
	assert_false(pace_take(&p, 1000));
	assert_int_equal(pace_wait_ms(&p, 1000), 50);
	assert_int_equal(pace_wait_ms(&p, 1020), 30);
	assert_false(pace_take(&p, 1049));
	assert_int_equal(pace_wait_ms(&p, 1049), 1);
	assert_true(pace_take(&p, 1050));
	assert_false(pace_take(&p, 1050));
	assert_int_equal(pace_wait_ms(&p, 1050), 50);
}

/* Over a pinned second of asking every millisecond, the sends are the
 * burst plus the rate times the time. */
static void test_sends_per_window(void **state)
{
	struct pace p;
	int sent = 0;

	pace_init(&p, 20000, 0, 0);
	for (uint64_t t = 0; t <= 1000; t++)
		while (pace_take(&p, t))
			sent++;
	assert_int_equal(sent, 2 + 20);
}

/* A fractional rate: 0.5 qps waits two seconds for a token. */
static void test_fractional_rate(void **state)
{
	struct pace p;

	pace_init(&p, 500, 0, 0);
	assert_int_equal(p.burst, 1);
	assert_true(pace_take(&p, 0));
	assert_int_equal(pace_wait_ms(&p, 0), 2000);
	assert_int_equal(pace_wait_ms(&p, 1999), 1);
	assert_true(pace_take(&p, 2000));
}

/* Rounded up, never down: 3 qps is 333.33 ms a token. */
static void test_wait_rounds_up(void **state)
{
	struct pace p;

	pace_init(&p, 3000, 0, 0);
	assert_true(pace_take(&p, 0));
	assert_int_equal(pace_wait_ms(&p, 0), 334);
	assert_false(pace_take(&p, 333));
	assert_true(pace_take(&p, 334));
}

/* Idle time refills up to the burst, no further. */
static void test_refill_caps_at_burst(void **state)
{
	struct pace p;

	pace_init(&p, 100000, 0, 0); /* 100 qps, burst 10 */
	for (int i = 0; i < 10; i++)
		assert_true(pace_take(&p, 0));
	assert_false(pace_take(&p, 0));
	assert_false(pace_full(&p, 50));
	assert_true(pace_full(&p, 100));
	int n = 0;
	while (pace_take(&p, 100000))
		n++;
	assert_int_equal(n, 10);
}

/* A clock read out of order adds nothing, and takes nothing away. */
static void test_clock_backwards(void **state)
{
	struct pace p;

	pace_init(&p, 1000, 0, 5000); /* 1 qps */
	assert_true(pace_take(&p, 5000));
	assert_int_equal(pace_wait_ms(&p, 5500), 500);
	assert_int_equal(pace_wait_ms(&p, 4000), 500);
	assert_false(pace_take(&p, 100));
	assert_true(pace_take(&p, 6000));
}

/* Gaps and rates at the ends of their ranges do not overflow. */
static void test_extremes(void **state)
{
	struct pace p;

	pace_init(&p, 1000000000, 0, 0); /* a million qps, burst 100000 */
	assert_int_equal(p.burst, 100000);
	for (int i = 0; i < 100000; i++)
		assert_true(pace_take(&p, 0));
	assert_int_equal(pace_wait_ms(&p, 0), 1);
	assert_true(pace_take(&p, UINT64_MAX));
	assert_true(pace_full(&p, UINT64_MAX) == false);

	pace_init(&p, 1, 0, 0); /* 0.001 qps */
	assert_true(pace_take(&p, 0));
	assert_int_equal(pace_wait_ms(&p, 0), 1000000);
	assert_true(pace_take(&p, UINT64_MAX));
	assert_false(pace_take(&p, UINT64_MAX));
}

/* Taking needs a whole token: a bucket at 0.999 of one says wait. */
static void test_whole_tokens(void **state)
{
	struct pace p;

	pace_init(&p, 1000, 1, 0);
	assert_true(pace_take(&p, 0));
	assert_int_equal(pace_wait_ms(&p, 999), 1);
	assert_int_equal(p.level, PACE_TOKEN - 1000);
	assert_int_equal(pace_wait_ms(&p, 1000), 0);
	assert_int_equal(p.level, PACE_TOKEN);
}

static void test_table(void **state)
{
	struct pace_table *t = pace_table_new(20000);
	const uint8_t a[4] = { 127, 53, 24, 3 }, b[4] = { 127, 53, 24, 1 };
	struct pace *pa, *pb;

	assert_non_null(t);
	pa = pace_table_get(t, a, 4, 53, 0);
	assert_non_null(pa);
	assert_true(pace_take(pa, 0));
	assert_true(pace_take(pa, 0));
	assert_false(pace_take(pa, 0));
	/* Another server, or another port, has its own bucket. */
	pb = pace_table_get(t, b, 4, 53, 0);
	assert_true(pace_take(pb, 0));
	assert_true(pace_take(pace_table_get(t, a, 4, 5353, 0), 0));
	assert_int_equal(pace_table_count(t), 3);
	/* The same server gets the same, emptied, bucket back. */
	pa = pace_table_get(t, a, 4, 53, 10);
	assert_false(pace_take(pa, 10));
	pace_table_free(t);
}

/* Past PACE_KEEP servers, the buckets full again are swept; one still
 * empty stays, so a server cannot get a fresh burst by being crowded out. */
static void test_table_sweep(void **state)
{
	struct pace_table *t = pace_table_new(1000); /* 1 qps, burst 1 */
	uint8_t a[4] = { 10, 0, 0, 0 };
	const uint8_t dead[4] = { 127, 53, 24, 3 };

	assert_true(pace_take(pace_table_get(t, dead, 4, 53, 0), 0));
	for (int i = 0; i < 1100; i++) {
		a[2] = (uint8_t)(i >> 8);
		a[3] = (uint8_t)i;
		assert_non_null(pace_table_get(t, a, 4, 53, 0));
	}
	/* The sweep ran at 1024 servers, at time 0: all full but the dead
	 * one's. */
	assert_int_equal(pace_table_count(t), 1 + 1100 - 1023);
	assert_false(pace_take(pace_table_get(t, dead, 4, 53, 500), 500));
	assert_true(pace_take(pace_table_get(t, dead, 4, 53, 1000), 1000));
	pace_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_for),
		cmocka_unit_test(test_no_limit),
		cmocka_unit_test(test_burst_then_rate),
		cmocka_unit_test(test_sends_per_window),
		cmocka_unit_test(test_fractional_rate),
		cmocka_unit_test(test_wait_rounds_up),
		cmocka_unit_test(test_refill_caps_at_burst),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_whole_tokens),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
