/* psl.c: the Public Suffix List's rules (wildcards, exceptions, the
 * implicit "*") on a small list, and on Debian's copy when installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/psl.h"

static const char list[] = "// ===BEGIN ICANN DOMAINS===\n"
			   "com\n"
			   "uk\r\n"
			   "co.uk\n"
			   "\n"
			   "// ck : https://en.wikipedia.org/wiki/.ck\n"
			   "*.ck\n"
			   "!www.ck\n"
			   "\xe5\x85\xac\xe5\x8f\xb8.cn\n"
			   "kawasaki.jp\n"
			   "*.kawasaki.jp\n"
			   "!city.kawasaki.jp\n"
			   "s3.amazonaws.com   trailing words are ignored\n"
			   "jp"; /* the last line without a newline */

static int labels(const char *name)
{
	return psl_suffix_labels(list, sizeof(list) - 1, name);
}

static void test_psl_rules(void **state)
{
	(void)state;
	assert_int_equal(labels("foo.co.uk."), 2);
	assert_int_equal(labels("a.b.foo.co.uk."), 2);
	assert_int_equal(labels("FOO.CO.UK."), 2);
	assert_int_equal(labels("foo.uk."), 1);
	assert_int_equal(labels("example.com."), 1);
	assert_int_equal(labels("bucket.s3.amazonaws.com."), 3);
	assert_int_equal(labels("a.b.ck."), 2); /* *.ck */
	assert_int_equal(labels("www.ck."), 1); /* !www.ck */
	assert_int_equal(labels("x.www.ck."), 1);
	assert_int_equal(labels("a.b.kawasaki.jp."), 3);
	assert_int_equal(labels("city.kawasaki.jp."), 2);
	assert_int_equal(labels("foo.jp."), 1);
	assert_int_equal(labels("chal.val."), 1); /* no rule: "*" */
	assert_int_equal(labels("co.uk."), 2);	  /* the suffix itself */
	assert_int_equal(labels("."), 0);
	assert_int_equal(psl_suffix_labels("", 0, "foo.co.uk."), 1);
}

/* Debian's publicsuffix package, when installed. */
static void test_psl_debian_list(void **state)
{
	(void)state;
	FILE *f = fopen("/usr/share/publicsuffix/public_suffix_list.dat", "r");
	if (!f)
		skip();
	char *buf = malloc(8u << 20);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (8u << 20) - 1, f);
	fclose(f);
	assert_int_equal(psl_suffix_labels(buf, n, "foo.co.uk."), 2);
	assert_int_equal(psl_suffix_labels(buf, n, "foo.com.au."), 2);
	assert_int_equal(psl_suffix_labels(buf, n, "example.com."), 1);
	assert_int_equal(psl_suffix_labels(buf, n, "www.ck."), 1);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psl_rules),
		cmocka_unit_test(test_psl_debian_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
