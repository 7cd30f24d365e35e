/* Root cause first (core/causes.c, findings_sort): which finding explains
 * which, the order they come in, and that the order does not depend on
 * the order the checks made them in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core/causes.h"
#include "core/finding.h"

static void add(struct findings *fs, enum finding_code code, const char *ev)
{
	json_error_t err;
	json_t *e = ev ? json_loads(ev, 0, &err) : NULL;
	assert_true(!ev || e);
	assert_int_equal(findings_add(fs, code, e, NULL, "%s",
				      finding_defs[code].name),
			 0);
}

/* "CODE<-CAUSE CODE ..." of FS, in its order. */
static const char *shape(const struct findings *fs, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < fs->n && n < len; i++) {
		const struct finding *f = &fs->v[i];
		n += (size_t)snprintf(
			buf + n, len - n, "%s%s%s%s", i ? " " : "",
			finding_defs[f->code].name, f->cause >= 0 ? "<-" : "",
			f->cause >= 0 ? finding_defs[fs->v[f->cause].code].name
				      : "");
	}
	return buf;
}

static void test_dnssec_fault_leads(void **state)
{
	struct findings fs;
	char b[512];
	findings_init(&fs);
	add(&fs, F_DNSSEC_BOGUS_AT_RESOLVER,
	    "{\"resolver\":\"192.0.2.53\",\"cause\":\"DS_WITHOUT_DNSKEY\"}");
	add(&fs, F_DNSSEC_BOGUS_AT_RESOLVER,
	    "{\"resolver\":\"192.0.2.54\",\"cause\":\"RRSIG_EXPIRED\"}");
	add(&fs, F_DS_WITHOUT_DNSKEY, "{\"zone\":\"example.\"}");
	add(&fs, F_DNSSEC_NOT_VALIDATED, NULL);
	findings_sort(&fs);
	/* The second resolver names a fault that is not here: no link. */
	assert_string_equal(shape(&fs, b, sizeof(b)), "DS_WITHOUT_DNSKEY "
						      "DNSSEC_BOGUS_AT_"
						      "RESOLVER<-DS_WITHOUT_"
						      "DNSKEY "
						      "DNSSEC_BOGUS_AT_"
						      "RESOLVER "
						      "DNSSEC_NOT_VALIDATED");
	assert_string_equal(finding_subject(&fs.v[0], b, sizeof(b)), "example"
								     ".");
	assert_string_equal(finding_subject(&fs.v[1], b, sizeof(b)), "192.0.2."
								     "53");
	findings_deinit(&fs);
}

/* One finding per fault: the lame servers the registrar's stale list
 * explains are one finding naming each; lame servers nothing explains
 * stay faults of their own. */
static void test_witnesses_fold(void **state)
{
	struct findings fs;
	char b[512];
	findings_init(&fs);
	add(&fs, F_LAME_DELEGATION, "{\"server\":\"old2.\"}");
	add(&fs, F_LAME_DELEGATION, "{\"server\":\"new1.\"}");
	add(&fs, F_LAME_DELEGATION, "{\"server\":\"old1.\"}");
	add(&fs, F_EXPECTED_NS_MISMATCH,
	    "{\"zone\":\"example.\",\"not_expected\":[\"old1.\",\"old2.\"]}");
	add(&fs, F_LAME_DELEGATION, "{\"server\":\"new2.\"}");
	add(&fs, F_ZONE_UNREACHABLE, NULL);
	findings_sort(&fs);
	assert_string_equal(shape(&fs, b, sizeof(b)), "EXPECTED_NS_MISMATCH "
						      "LAME_DELEGATION<-"
						      "EXPECTED_NS_MISMATCH "
						      "ZONE_UNREACHABLE<-"
						      "EXPECTED_NS_MISMATCH "
						      "LAME_DELEGATION "
						      "LAME_DELEGATION");
	assert_int_equal(json_array_size(fs.v[1].also), 1);
	const char *first =
		json_string_value(json_object_get(fs.v[1].evidence, "server"));
	const char *other = json_string_value(
		json_object_get(json_array_get(fs.v[1].also, 0), "subject"));
	assert_true((!strcmp(first, "old2.") && !strcmp(other, "old1.")) ||
		    (!strcmp(first, "old1.") && !strcmp(other, "old2.")));
	assert_null(fs.v[3].also);
	/* Again: nothing more to fold, the same shape. */
	findings_sort(&fs);
	char again[512];
	assert_string_equal(shape(&fs, again, sizeof(again)), b);
	assert_int_equal(json_array_size(fs.v[1].also), 1);
	findings_deinit(&fs);
}

static void test_registrar_chain(void **state)
{
	struct findings fs;
	char b[512], again[512];
	findings_init(&fs);
	add(&fs, F_LAME_DELEGATION, "{\"server\":\"old1.\"}");
	add(&fs, F_ACME_CHALLENGE_MISSING, NULL);
	add(&fs, F_ZONE_UNREACHABLE, NULL);
	add(&fs, F_LAME_DELEGATION, "{\"server\":\"new1.\"}");
	add(&fs, F_EXPECTED_NS_MISMATCH,
	    "{\"zone\":\"example.\",\"not_expected\":[\"old1.\"]}");
	add(&fs, F_TOO_FEW_NS, NULL);
	findings_sort(&fs);
	/* The challenge's cause is the zone no server answers for, whose
	 * own cause is the registrar's list: it points at the root. A lame
	 * server the provider did assign is a fault of its own. */
	assert_string_equal(shape(&fs, b, sizeof(b)), "EXPECTED_NS_MISMATCH "
						      "ACME_CHALLENGE_MISSING<-"
						      "EXPECTED_NS_MISMATCH "
						      "LAME_DELEGATION<-"
						      "EXPECTED_NS_MISMATCH "
						      "ZONE_UNREACHABLE<-"
						      "EXPECTED_NS_MISMATCH "
						      "LAME_DELEGATION "
						      "TOO_FEW_NS");
	assert_string_equal(
		json_string_value(json_object_get(fs.v[2].evidence, "server")),
		"old1.");
	/* Sorting again, or from the other end, changes nothing. */
	findings_sort(&fs);
	assert_string_equal(shape(&fs, again, sizeof(again)), b);
	for (size_t i = 0; i < fs.n / 2; i++) {
		struct finding t = fs.v[i];
		fs.v[i] = fs.v[fs.n - 1 - i];
		fs.v[fs.n - 1 - i] = t;
	}
	findings_sort(&fs);
	assert_string_equal(shape(&fs, again, sizeof(again)), b);
	findings_deinit(&fs);
}

/* A group ranks by its worst member; findings nothing explains keep the
 * order they always had (worst first, then by code). */
static void test_group_rank(void **state)
{
	struct findings fs;
	char b[512];
	findings_init(&fs);
	add(&fs, F_SOA_SERIAL_MISMATCH, NULL);
	add(&fs, F_ACME_CHALLENGE_DOUBLED_LABEL, "{\"name\":\"x.\"}");
	add(&fs, F_ACME_CHALLENGE_MISSING, NULL);
	add(&fs, F_CAA_FORBIDS_ISSUER, NULL);
	findings_sort(&fs);
	assert_string_equal(shape(&fs, b, sizeof(b)), "ACME_CHALLENGE_DOUBLED_"
						      "LABEL "
						      "ACME_CHALLENGE_MISSING<-"
						      "ACME_CHALLENGE_DOUBLED_"
						      "LABEL "
						      "CAA_FORBIDS_ISSUER "
						      "SOA_SERIAL_MISMATCH");
	findings_deinit(&fs);
	findings_init(&fs);
	findings_sort(&fs); /* empty */
	findings_deinit(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dnssec_fault_leads),
		cmocka_unit_test(test_registrar_chain),
		cmocka_unit_test(test_witnesses_fold),
		cmocka_unit_test(test_group_rank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
