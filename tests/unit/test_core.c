/* Names, sets, the --expect-ns list, root hints, the evidence file and the
 * terminal sanitiser: the parsers of untrusted input, on good and bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/checks.h"
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/evidence_json.h"
#include "core/nslist.h"
#include "probe/hints.h"
#include "report/nagios.h"
#include "report/sanitize.h"

static void test_dname_user(void **state)
{
	char out[256], err[160], long_label[80], long_name[310];
	assert_int_equal(dname_from_user("Example.COM", out, sizeof(out), err,
					 sizeof(err)),
			 0);
	assert_string_equal(out, "example.com.");
	assert_int_equal(dname_from_user("_acme-challenge.a.b.", out,
					 sizeof(out), err, sizeof(err)),
			 0);
	assert_string_equal(out, "_acme-challenge.a.b.");
	assert_int_equal(
		dname_from_user(".", out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, ".");
	assert_int_equal(dname_from_user("a..b", out, sizeof(out), err,
					 sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "empty label"));
	assert_int_equal(
		dname_from_user("", out, sizeof(out), err, sizeof(err)), -1);
	assert_int_equal(dname_from_user("a b.com", out, sizeof(out), err,
					 sizeof(err)),
			 -1);
	assert_int_equal(dname_from_user("a\033[31m.com", out, sizeof(out), err,
					 sizeof(err)),
			 -1);
	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	assert_int_equal(dname_from_user(long_label, out, sizeof(out), err,
					 sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "63"));
	for (int i = 0; i < 300; i++)
		long_name[i] = (i % 2) ? '.' : 'a';
	long_name[300] = '\0';
	assert_int_equal(dname_from_user(long_name, out, sizeof(out), err,
					 sizeof(err)),
			 -1);
}

static void test_dname_relations(void **state)
{
	char out[256];
	assert_true(dname_in("a.example.com.", "example.com."));
	assert_true(dname_in("example.com.", "example.com."));
	assert_false(dname_in("badexample.com.", "example.com."));
	assert_true(dname_in("com.", "."));
	assert_int_equal(dname_labels("."), 0);
	assert_int_equal(dname_labels("a.b.c."), 3);
	dname_parent("a.b.", out, sizeof(out));
	assert_string_equal(out, "b.");
	dname_parent("b.", out, sizeof(out));
	assert_string_equal(out, ".");
}

static void test_strset(void **state)
{
	struct strset a, b;
	strset_init(&a);
	strset_init(&b);
	strset_add(&a, "c.");
	strset_add(&a, "a.");
	strset_add(&a, "c.");
	strset_add(&b, "a.");
	strset_add(&b, "c.");
	assert_int_equal(a.n, 2);
	assert_true(strset_equal(&a, &b));
	assert_true(strset_has(&a, "a."));
	assert_false(strset_has(&a, "b."));
	char *j = strset_join(&a, ", "), *h = join_hosts(&a),
	     *n = join_names(&a);
	assert_string_equal(j, "a., c.");
	assert_string_equal(h, "a, c");
	assert_string_equal(n, "a. and c.");
	free(j);
	free(h);
	free(n);
	strset_deinit(&a);
	strset_deinit(&b);
}

static int parse_ns(const char *text, struct strset *out)
{
	char err[200];
	strset_init(out);
	return nslist_parse(text, strlen(text), out, err, sizeof(err));
}

static void test_nslist(void **state)
{
	struct strset s;
	assert_int_equal(parse_ns("ns1.a.net,NS2.a.net.", &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0], "ns1.a.net.");
	strset_deinit(&s);
	assert_int_equal(
		parse_ns("# provider\nns1.a.net\n  ns2.a.net # second\n", &s),
		0);
	assert_int_equal(s.n, 2);
	strset_deinit(&s);
	const char *route53 = "{\"HostedZone\":{\"Id\":\"/hostedzone/Z1\"},"
			      "\"DelegationSet\":{\"NameServers\":[\"ns-2034."
			      "awsdns-62.co.uk\","
			      "\"ns-667.awsdns-19.net\"]}}";
	assert_int_equal(parse_ns(route53, &s), 0);
	assert_int_equal(s.n, 2);
	assert_true(strset_has(&s, "ns-667.awsdns-19.net."));
	strset_deinit(&s);
	assert_int_equal(parse_ns("", &s), -1);
	strset_deinit(&s);
	assert_int_equal(parse_ns("{\"DelegationSet\":{}}", &s), -1);
	strset_deinit(&s);
	assert_int_equal(
		parse_ns("{\"DelegationSet\":{\"NameServers\":[1]}}", &s), -1);
	strset_deinit(&s);
	assert_int_equal(parse_ns("{broken", &s), -1);
	strset_deinit(&s);
	assert_int_equal(parse_ns("ns..a.net", &s), -1);
	strset_deinit(&s);
	char err[100];
	strset_init(&s);
	assert_int_equal(nslist_parse("a.b\0c", 5, &s, err, sizeof(err)), -1);
	strset_deinit(&s);
}

static void test_hints(void **state)
{
	struct hints h;
	char err[200];
	assert_int_equal(hints_parse(&h,
				     "; comment\n.  3600000 NS A.ROOT.LAB.\n"
				     "A.ROOT.LAB. 3600000 A "
				     "127.53.0.1\nA.ROOT.LAB. 3600000 AAAA "
				     "::1\n"
				     "other.lab. 3600000 A 127.0.0.9\n",
				     err, sizeof(err)),
			 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].name, "a.root.lab.");
	hints_deinit(&h);
	assert_int_equal(hints_parse(&h, "garbage here\n", err, sizeof(err)),
			 -1);
	assert_int_equal(hints_parse(&h, "; ok\nx. 300 IN A 999.1.1.1\n", err,
				     sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "line 2"));
	assert_int_equal(
		hints_parse(&h, ". NS a.root.lab.\n", err, sizeof(err)), -1);
	assert_int_equal(hints_parse(&h, "", err, sizeof(err)), -1);
	assert_int_equal(hints_builtin(&h), 0);
	assert_int_equal(h.n, 26);
	hints_deinit(&h);
}

/* evidence_add keeps one exchange per question, through the index's
 * growth: 3000 questions asked twice each are 3000 exchanges, in order. */
static void test_evidence_add_dedup(void **state)
{
	(void)state;
	struct evidence *ev = evidence_new("example.", 0);
	char name[64];
	assert_non_null(ev);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3000; i++) {
			snprintf(name, sizeof(name), "n%d.example.", i / 3);
			struct ev_exchange x = { .role = EV_AUTH,
						 .qtype = (uint16_t)(1 + i % 3),
						 .zone = "example.",
						 .server = "ns.example.",
						 .addr = "192.0.2.1",
						 .qname = name };
			assert_int_equal(evidence_add(ev, &x), 0);
		}
	assert_int_equal(ev->n_ex, 3000);
	assert_string_equal(ev->ex[2999].qname, "n999.example.");
	assert_int_equal(ev->ex[2999].qtype, 3);
	/* Any field of the question makes another exchange. */
	struct ev_exchange y = ev->ex[0];
	y.transport = TR_TCP;
	assert_int_equal(evidence_add(ev, &y), 0);
	y.server = NULL; /* NULL and "" are the same question */
	assert_int_equal(evidence_add(ev, &y), 0);
	assert_int_equal(ev->n_ex, 3002);
	y.server = "";
	assert_int_equal(evidence_add(ev, &y), 0);
	assert_int_equal(ev->n_ex, 3002);
	evidence_free(ev);
}

static void test_evidence_roundtrip(void **state)
{
	struct evidence *ev = evidence_new("example.", 1700000000);
	uint8_t wire[] = { 0x12, 0x34, 0x84, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct ev_exchange x = { .role = EV_AUTH,
				 .transport = TR_TCP,
				 .status = QS_OK,
				 .qtype = 6,
				 .rtt_ms = 7,
				 .zone = "example.",
				 .server = "ns1.example.",
				 .addr = "192.0.2.1",
				 .qname = "example.",
				 .wire = wire,
				 .wire_len = sizeof(wire) };
	assert_int_equal(evidence_add(ev, &x), 0);
	assert_int_equal(evidence_add(ev, &x), 0); /* the same question is kept
						      once */
	assert_int_equal(ev->n_ex, 1);
	evidence_add_expect_ns(ev, "ns9.example.");
	json_t *j = evidence_to_json(ev);
	char err[200];
	struct evidence *back = evidence_from_json(j, err, sizeof(err));
	assert_non_null(back);
	assert_int_equal(back->n_ex, 1);
	assert_int_equal(back->ex[0].transport, TR_TCP);
	assert_int_equal(back->ex[0].wire_len, sizeof(wire));
	assert_memory_equal(back->ex[0].wire, wire, sizeof(wire));
	assert_string_equal(back->expect_ns[0], "ns9.example.");
	json_decref(j);
	evidence_free(back);
	evidence_free(ev);
}

static void expect_bad_evidence(const char *text, const char *why)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	char err[200] = "";
	assert_non_null(j);
	assert_null(evidence_from_json(j, err, sizeof(err)));
	assert_non_null(strstr(err, why));
	json_decref(j);
}

static void test_evidence_hostile(void **state)
{
	expect_bad_evidence("[]", "not a dnsdoctor evidence file");
	expect_bad_evidence("{\"dnsdoctor_evidence\":9}", "not supported");
	expect_bad_evidence("{\"dnsdoctor_evidence\":1,\"domain\":\"a.\"}",
			    "missing");
	expect_bad_evidence("{\"dnsdoctor_evidence\":1,\"domain\":\"a.\","
			    "\"started\":1,"
			    "\"exchanges\":[{\"role\":\"walk\"}]}",
			    "exchange 0");
	expect_bad_evidence("{\"dnsdoctor_evidence\":1,\"domain\":\"a.\","
			    "\"started\":1,"
			    "\"exchanges\":[{\"role\":\"walk\",\"zone\":\".\","
			    "\"server\":\"a.\",\"addr\":\"1.2.3.4\","
			    "\"qname\":\"a.\",\"qtype\":70000,\"transport\":"
			    "\"udp\",\"status\":\"ok\"}]}",
			    "range");
	expect_bad_evidence("{\"dnsdoctor_evidence\":1,\"domain\":\"a.\","
			    "\"started\":1,"
			    "\"exchanges\":[{\"role\":\"walk\",\"zone\":\".\","
			    "\"server\":\"a.\",\"addr\":\"1.2.3.4\","
			    "\"qname\":\"a.\",\"qtype\":2,\"transport\":"
			    "\"udp\",\"status\":\"ok\",\"wire\":\"zz\"}]}",
			    "hex");
}

/* dmsg_name_to prints into the caller's buffer what dmsg_name returns:
 * lower case, escapes kept, and refuses a buffer too small. */
static void test_dmsg_name_to(void **state)
{
	const char *names[] = { "Example.COM.", ".", "a\\.b.C.", "x\\255Y.z.",
				"_acme-challenge.WWW.example.org." };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		ldns_rdf *rdf = ldns_dname_new_frm_str(names[i]);
		assert_non_null(rdf);
		char buf[DMSG_NAME_MAX], small[4];
		char *s = dmsg_name(rdf);
		assert_non_null(s);
		assert_int_equal(dmsg_name_to(rdf, buf, sizeof(buf)), 0);
		assert_string_equal(buf, s);
		if (strlen(s) >= sizeof(small))
			assert_int_equal(
				dmsg_name_to(rdf, small, sizeof(small)), -1);
		free(s);
		ldns_rdf_deep_free(rdf);
	}
	char buf[8];
	assert_int_equal(dmsg_name_to(NULL, buf, sizeof(buf)), -1);
}

static void test_sanitize(void **state)
{
	char *s = str_safe("ok \033[31mred\007\x01\xff\\x");
	assert_string_equal(s, "ok \\x1b[31mred\\x07\\x01\\xff\\x");
	for (char *p = s; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	free(s);
}

static void test_sanitize_plugin(void **state)
{
	char *s = str_safe_plugin("a|b\nc\033");
	assert_string_equal(s, "a\\x7cb\\x0ac\\x1b");
	free(s);
}

/* A report with hostile summaries: one status line of bounded length with
 * one '|', then one line per finding, none with a '|' or a control byte. */
static void test_nagios(void **state)
{
	struct findings fs;
	char big[1000], *out = NULL;
	size_t len = 0;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	findings_init(&fs);
	assert_int_equal(findings_add(&fs, F_LAME_DELEGATION, NULL, "fix|it",
				      "ns1 | \033[2J\nsays %s", big),
			 0);
	assert_int_equal(findings_add(&fs, F_TOO_FEW_NS, NULL, NULL, "one|"),
			 0);
	findings_sort(&fs);
	const struct nagios_perf perf = { "eta", 205, "s", NULL, NULL };
	const struct nagios_report r = { .subject = "example.com",
					 .exit = 2,
					 .fs = &fs,
					 .queries = 55,
					 .duration_ms = 22,
					 .perf = &perf,
					 .n_perf = 1 };
	FILE *m = open_memstream(&out, &len);
	assert_non_null(m);
	report_nagios(&r, m);
	assert_int_equal(fclose(m), 0);
	const char *nl = strchr(out, '\n');
	assert_non_null(nl);
	const char *bar = strchr(out, '|');
	assert_true(bar && bar < nl &&
		    !memchr(bar + 1, '|', (size_t)(nl - bar)));
	assert_true(strncmp(out, "DNSDOCTOR CRITICAL - example.com: ", 34) ==
		    0);
	assert_true(bar - out <= 21 + NAGIOS_STATUS_MAX + 1);
	assert_memory_equal(bar - 4, "... | ", 6);
	assert_string_equal(strstr(out, " | queries="),
			    strstr(out, " | queries=55 duration=0.022s "
					"errors=1 "
					"warnings=1 eta=205s\n"));
	for (const char *p = out; *p; p++)
		assert_true((*p >= 0x20 && *p < 0x7f) || *p == '\n');
	assert_null(strchr(nl + 1, '|'));
	assert_non_null(strstr(nl, "\nerror LAME_DELEGATION: ns1 \\x7c "
				   "\\x1b[2J\\x0asays xxx"));
	assert_non_null(strstr(nl, "...\nwarning TOO_FEW_NS: one\\x7c\nFix: "
				   "fix\\x7cit\n"));
	free(out);
	out = NULL;
	m = open_memstream(&out, &len);
	report_nagios_unknown("no | network\n", m);
	assert_int_equal(fclose(m), 0);
	assert_string_equal(out, "DNSDOCTOR UNKNOWN - no \\x7c network\\x0a\n");
	free(out);
	findings_deinit(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dname_user),
		cmocka_unit_test(test_dname_relations),
		cmocka_unit_test(test_strset),
		cmocka_unit_test(test_nslist),
		cmocka_unit_test(test_hints),
		cmocka_unit_test(test_evidence_roundtrip),
		cmocka_unit_test(test_evidence_add_dedup),
		cmocka_unit_test(test_evidence_hostile),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sanitize_plugin),
		cmocka_unit_test(test_nagios),
		cmocka_unit_test(test_dmsg_name_to),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
