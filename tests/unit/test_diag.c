/* The diagnosis layer's inputs, without a network: resolver lists,
 * failures as one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "diag/diag.h"
#include "diag/inputs.h"

static void test_resolvers_public_is_named_only(void **state)
{
	(void)state;
	struct diag_request req = { .command = "check",
				    .resolvers = "public,lab=127.53.53.53" };
	struct diag d = { .req = &req };
	struct hints h;
	assert_int_equal(diag_load_resolvers(&d, &req, &h), 0);
	assert_int_equal(h.n, 5);
	assert_string_equal(h.v[0].name, "cloudflare.");
	assert_string_equal(h.v[0].addr, "1.1.1.1");
	assert_string_equal(h.v[4].name, "lab");
	assert_string_equal(h.v[4].addr, "127.53.53.53");
	hints_deinit(&h);
	/* Without --resolvers: none (check), whatever is public. */
	req.resolvers = NULL;
	assert_int_equal(diag_load_resolvers(&d, &req, &h), 0);
	assert_int_equal(h.n, 0);
	hints_deinit(&h);
}

static void test_resolvers_bad_is_one_line(void **state)
{
	(void)state;
	struct diag_request req = { .command = "check", .resolvers = "publik" };
	struct diag d = { .req = &req };
	struct hints h;
	assert_int_equal(diag_load_resolvers(&d, &req, &h), -1);
	assert_int_equal(d.exit, 3);
	assert_string_equal(d.error, "--resolvers: 'publik' is not an IPv4 or "
				     "IPv6 address");
	assert_null(strchr(d.error, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolvers_public_is_named_only),
		cmocka_unit_test(test_resolvers_bad_is_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
