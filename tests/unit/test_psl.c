/* diag/psl.c: the Public Suffix List's rules through libpsl (wildcards,
 * exceptions, the implicit "*", IDN rules) on a small list, and on
 * Debian's copy when installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>
#include "diag/psl.h"

static const char list[] = "// ===BEGIN ICANN DOMAINS===\n"
			   "com\n"
			   "uk\r\n"
			   "co.uk\n"
			   "\n"
			   "// ck : https://en.wikipedia.org/wiki/.ck\n"
			   "*.ck\n"
			   "!www.ck\n"
			   "\xe5\x85\xac\xe5\x8f\xb8.cn\n" /* matched as
							      A-labels too */
			   "*.kawasaki.jp\n"
			   "!city.kawasaki.jp\n"
			   "s3.amazonaws.com\n"
			   "jp"; /* the last line without a newline */

static psl_ctx_t *small;

/* The small list, through a file as libpsl reads lists. */
static int load_small(void **state)
{
	(void)state;
	char path[] = "/tmp/dnsdoctor-psl-XXXXXX", err[300];
	int fd = mkstemp(path);
	if (fd < 0 ||
	    write(fd, list, sizeof(list) - 1) != (ssize_t)(sizeof(list) - 1))
		return -1;
	close(fd);
	int rc = diag_psl_load(path, &small, err, sizeof(err));
	unlink(path);
	return rc < 0 || !small ? -1 : 0;
}

static int free_small(void **state)
{
	(void)state;
	psl_free(small);
	return 0;
}

static int labels(const char *name)
{
	return diag_psl_suffix_labels(small, name);
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
	/* IDN rules hold for the A-labels of a name: xn--55qx5d.cn */
	assert_int_equal(labels("foo.xn--55qx5d.cn."), 2);
	char err[300];
	psl_ctx_t *none = NULL;
	assert_int_equal(diag_psl_load("/nonexistent/list.dat", &none, err,
				       sizeof(err)),
			 -1);
	assert_null(none);
	assert_non_null(strstr(err, "/nonexistent/list.dat"));
}

/* Debian's publicsuffix package, when installed. */
static void test_psl_debian_list(void **state)
{
	(void)state;
	char err[300];
	psl_ctx_t *psl = NULL;
	if (access("/usr/share/publicsuffix/public_suffix_list.dat", R_OK) != 0)
		skip();
	assert_int_equal(diag_psl_load(NULL, &psl, err, sizeof(err)), 0);
	assert_non_null(psl);
	assert_int_equal(diag_psl_suffix_labels(psl, "foo.co.uk."), 2);
	assert_int_equal(diag_psl_suffix_labels(psl, "foo.com.au."), 2);
	assert_int_equal(diag_psl_suffix_labels(psl, "example.com."), 1);
	assert_int_equal(diag_psl_suffix_labels(psl, "www.ck."), 1);
	psl_free(psl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psl_rules),
		cmocka_unit_test(test_psl_debian_list),
	};
	return cmocka_run_group_tests(tests, load_small, free_small);
}
