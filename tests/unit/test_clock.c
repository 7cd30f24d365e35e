/* Time arithmetic: intervals, deadlines, saturation and wrap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "engine/clock.h"

/* massdns's timespec_diff() makes 2000 ms of this 0.2 s interval. */
static void test_fifth_of_a_second_is_200ms(void **state)
{
	struct timespec a = { .tv_sec = 10, .tv_nsec = 900000000 };
	struct timespec b = { .tv_sec = 11, .tv_nsec = 100000000 };
	struct timespec c = { .tv_sec = 5, .tv_nsec = 0 };
	struct timespec d = { .tv_sec = 5, .tv_nsec = 200000000 };

	assert_int_equal(clk_ts_diff_ms(&a, &b), 200);
	assert_int_equal(clk_ts_diff_ms(&c, &d), 200);
}

static void test_ts_diff_backwards_is_zero(void **state)
{
	struct timespec a = { .tv_sec = 11, .tv_nsec = 0 };
	struct timespec b = { .tv_sec = 10, .tv_nsec = 999999999 };

	assert_int_equal(clk_ts_diff_ms(&a, &b), 0);
}

static void test_ts_to_ns(void **state)
{
	struct timespec a = { .tv_sec = 2, .tv_nsec = 5 };
	struct timespec neg = { .tv_sec = -1, .tv_nsec = 0 };

	assert_int_equal(clk_ts_to_ns(&a), UINT64_C(2000000005));
	assert_int_equal(clk_ts_to_ns(&neg), 0);
	assert_int_equal(clk_ns_to_ms(UINT64_C(1999999)), 1);
}

static void test_elapsed_and_remaining(void **state)
{
	assert_int_equal(clk_elapsed(100, 350), 250);
	assert_int_equal(clk_elapsed(350, 100), 0);
	assert_int_equal(clk_remaining(1000, 400), 600);
	assert_int_equal(clk_remaining(1000, 1000), 0);
	assert_int_equal(clk_remaining(1000, 5000), 0);
	assert_false(clk_reached(1000, 999));
	assert_true(clk_reached(1000, 1000));
}

static void test_saturation(void **state)
{
	assert_int_equal(clk_add_sat(UINT64_MAX - 5, 10), UINT64_MAX);
	assert_int_equal(clk_add_sat(5, 10), 15);
	assert_int_equal(clk_deadline(UINT64_MAX - 1, 800), UINT64_MAX);
	assert_int_equal(clk_ms_u32(UINT64_C(5000000000)), UINT32_MAX);
	assert_int_equal(clk_ms_u32(800), 800);
}

static void test_wrap32(void **state)
{
	assert_int_equal(clk_elapsed32(UINT32_MAX - 99, 100), 200);
	assert_int_equal(clk_elapsed32(10, 30), 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifth_of_a_second_is_200ms),
		cmocka_unit_test(test_ts_diff_backwards_is_zero),
		cmocka_unit_test(test_ts_to_ns),
		cmocka_unit_test(test_elapsed_and_remaining),
		cmocka_unit_test(test_saturation),
		cmocka_unit_test(test_wrap32),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
