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
				     "IPv6 address (ADDR, ADDR#PORT or "
				     "[V6]:PORT)");
	assert_null(strchr(d.error, '\n'));
}

/* ADDR#PORT and [V6]:PORT; a '#' inside a token is a port, a '#' at the
 * start of a line or after a blank a comment. */
static void test_resolvers_ports(void **state)
{
	(void)state;
	struct diag_request req = { .command = "check",
				    .resolvers = "127.0.0.1#5353, "
						 "[::1]:5300,[2001:db8::1],x="
						 "192.0.2.1#53 # a comment, "
						 "10.0.0.1" };
	struct diag d = { .req = &req };
	struct hints h;
	assert_int_equal(diag_load_resolvers(&d, &req, &h), 0);
	assert_int_equal(h.n, 4);
	assert_string_equal(h.v[0].addr, "127.0.0.1#5353");
	assert_string_equal(h.v[1].addr, "::1#5300");
	assert_string_equal(h.v[2].addr, "2001:db8::1");
	assert_string_equal(h.v[3].name, "x");
	assert_string_equal(h.v[3].addr, "192.0.2.1");
	hints_deinit(&h);
	static const char *const bad[] = { "127.0.0.1#",      "127.0.0.1#0",
					   "127.0.0.1#65536", "[::1",
					   "[::1]x",	      "::1:5353#x",
					   "[127.0.0.1]:53x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct diag e = { .req = &req };
		req.resolvers = bad[i];
		assert_int_equal(diag_load_resolvers(&e, &req, &h), -1);
		assert_non_null(strstr(e.error, "is not an IPv4 or IPv6 "
						"address"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolvers_public_is_named_only),
		cmocka_unit_test(test_resolvers_bad_is_one_line),
		cmocka_unit_test(test_resolvers_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
