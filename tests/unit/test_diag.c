/* The diagnosis layer's inputs, without a network: resolver lists,
 * failures as one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <utime.h>
#include <unistd.h>
#include "diag/diag.h"
#include "diag/inputs.h"
#include "diag/rdap_setup.h"

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

/* RDAP's switch and IANA's bootstrap kept in the XDG cache: read when
 * younger than a day, fetched (never here: only the decision) when older
 * or absent, and written back after a fetch. */
static void test_rdap_setup_cache(void **state)
{
	(void)state;
	char dir[] = "/tmp/dnsdoctor-xdg-XXXXXX", path[300];
	struct diag_env env = { 0 };
	struct diag_request req = { .command = "check", .rdap_default = true };
	struct diag d = { .req = &req };
	struct diag_rdap r;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CACHE_HOME", dir, 1);
	snprintf(path, sizeof(path), "%s/dnsdoctor/rdap-dns.json", dir);
	/* No cache: fetch IANA's. */
	assert_int_equal(diag_rdap_setup(&d, &env, &r), 1);
	assert_true(r.cfg.boot_fetch);
	assert_string_equal(r.cfg.boot_name, "https://data.iana.org/rdap/"
					     "dns.json");
	/* What the probe hands back is written to the cache. */
	assert_non_null(r.fetched = strdup("{\"services\":[]}"));
	r.fetched_len = strlen(r.fetched);
	diag_rdap_done(&r);
	assert_int_equal(diag_rdap_setup(&d, &env, &r), 1);
	assert_false(r.cfg.boot_fetch);
	assert_string_equal(r.cfg.boot_text, "{\"services\":[]}");
	diag_rdap_done(&r);
	/* Two days old: fetched again. */
	struct utimbuf old = { .actime = time(NULL) - 2 * 86400,
			       .modtime = time(NULL) - 2 * 86400 };
	assert_int_equal(utime(path, &old), 0);
	assert_int_equal(diag_rdap_setup(&d, &env, &r), 1);
	assert_true(r.cfg.boot_fetch);
	diag_rdap_done(&r);
	/* Custom root hints: off; unless a bootstrap is named; --no-rdap. */
	req.root_hints = "/some/hints";
	assert_int_equal(diag_rdap_setup(&d, &env, &r), 0);
	diag_rdap_done(&r);
	req.rdap_bootstrap = "http://127.0.0.1/b.json";
	assert_int_equal(diag_rdap_setup(&d, &env, &r), 1);
	assert_true(r.cfg.boot_fetch);
	diag_rdap_done(&r);
	req.no_rdap = true;
	assert_int_equal(diag_rdap_setup(&d, &env, &r), 0);
	diag_rdap_done(&r);
	/* fleet and exporter: never by default. */
	req = (struct diag_request){ .command = "check" };
	assert_int_equal(diag_rdap_setup(&d, &env, &r), 0);
	diag_rdap_done(&r);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dnsdoctor", dir);
	rmdir(path);
	rmdir(dir);
	unsetenv("XDG_CACHE_HOME");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolvers_public_is_named_only),
		cmocka_unit_test(test_rdap_setup_cache),
		cmocka_unit_test(test_resolvers_bad_is_one_line),
		cmocka_unit_test(test_resolvers_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
