/* report/metrics.c: label escaping, one HELP/TYPE per family, and the
 * samples read from a result's JSON envelope. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "report/metrics.h"

static char *render(const struct mset *const *sets, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	assert_non_null(m);
	assert_int_equal(metrics_write(m, sets, n), 0);
	assert_int_equal(fclose(m), 0);
	return out;
}

static void test_label_escapes(void **state)
{
	(void)state;
	struct mset s = { 0 };
	/* quote, backslash, newline, ESC, a UTF-8 byte pair */
	assert_int_equal(mset_add(&s, M_TARGETS, 1, "domain",
				  "a\"b\\c\nd\033[2J\xc3\xa9", NULL),
			 0);
	const struct mset *sets[] = { &s };
	char *out = render(sets, 1);
	assert_non_null(strstr(out, "dnsdoctor_exporter_targets{domain=\"a\\\"b"
				    "\\\\c\\\\x0ad\\\\x1b[2J\\\\xc3\\\\xa9\"} "
				    "1\n"));
	for (const char *p = out; *p; p++)
		assert_true(*p == '\n' || (*p >= 0x20 && *p < 0x7f));
	free(out);
	mset_free(&s);
}

static void test_families_once_in_order(void **state)
{
	(void)state;
	struct mset a = { 0 }, b = { 0 };
	json_t *ea = json_pack("{s:i, s:s, s:i, s:[{s:s, s:s}, {s:s, s:s}], "
			       "s:{s:i}}",
			       "exit", 2, "started", "2026-12-07T10:00:00Z",
			       "duration_ms", 1500, "findings", "code",
			       "LAME_DELEGATION", "severity", "error", "code",
			       "LAME_DELEGATION", "severity", "error", "stats",
			       "queries", 42);
	json_t *eb = json_pack("{s:i, s:s, s:i, s:[], s:n, s:s, s:[{s:s, "
			       "s:s}]}",
			       "exit", 0, "started", "2026-12-07T10:00:01Z",
			       "duration_ms", 20, "findings", "eta_seconds",
			       "type", "TXT", "addresses", "address",
			       "192.0.2.1", "not_after",
			       "2027-01-01T00:00:00Z");
	assert_int_equal(metrics_of_result(&a, "check", "x.example", ea), 0);
	assert_int_equal(metrics_of_result(&b, "propagation", "y.example", eb),
			 0);
	const struct mset *sets[] = { &a, &b };
	char *out = render(sets, 2);
	const char *expect[] = {
		"# TYPE dnsdoctor_check_success gauge\n"
		"dnsdoctor_check_success{kind=\"check\",domain=\"x.example\"} "
		"0\n"
		"dnsdoctor_check_success{kind=\"propagation\",domain=\"y."
		"example\"} 1\n",
		/* one series for a code however many servers show it */
		"dnsdoctor_finding{kind=\"check\",domain=\"x.example\",code="
		"\"LAME_DELEGATION\",severity=\"error\"} 1\n# HELP",
		"dnsdoctor_check_duration_seconds{kind=\"check\",domain=\"x."
		"example\"} 1.5\n",
		"dnsdoctor_check_queries{kind=\"check\",domain=\"x.example\"} "
		"42\n",
		"dnsdoctor_last_check_timestamp_seconds{kind=\"check\",domain="
		"\"x.example\"} 1796637600\n",
		"dnsdoctor_propagation_eta_seconds{kind=\"propagation\",domain="
		"\"y.example\",type=\"TXT\"} +Inf\n",
		"dnsdoctor_cert_not_after_timestamp_seconds{kind="
		"\"propagation\",domain=\"y.example\",address=\"192.0.2.1\"} "
		"1798761600\n",
	};
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		if (!strstr(out, expect[i]))
			fail_msg("missing:\n%s\nin:\n%s", expect[i], out);
	const char *p = out;
	int n = 0;
	while ((p = strstr(p, "# TYPE dnsdoctor_check_success ")))
		n++, p++;
	assert_int_equal(n, 1);
	/* no rrsig_expiration, no eta for a check: no series */
	assert_null(strstr(out, "rrsig"));
	free(out);
	json_decref(ea);
	json_decref(eb);
	mset_free(&a);
	mset_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escapes),
		cmocka_unit_test(test_families_once_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
