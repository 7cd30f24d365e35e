/* The propagation checks (core/checks_propagation.c) on record evidence
 * built by hand: what a resolver's cache has left, said in words that
 * hold when the time is up or unknown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>
#include "core/view_record.h"
#include "report/delegation_report.h"

#define STARTED 1000000

/* Adds an exchange answering QNAME QTYPE with RR (NULL: none, and RCODE),
 * as ROLE from ADDR; the authoritative rows are example.'s. */
static void add_answer(struct evidence *ev, int role, char *addr, char *qname,
		       uint16_t qtype, const char *rr, ldns_pkt_rcode rcode,
		       bool aa)
{
	char question[300];
	ldns_pkt *pkt = ldns_pkt_new();
	ldns_rr *q = NULL, *a = NULL;
	snprintf(question, sizeof(question), "%s IN %s", qname,
		 qtype == LDNS_RR_TYPE_DS ? "DS" : "A");
	assert_int_equal(ldns_rr_new_question_frm_str(&q, question, NULL, NULL),
			 LDNS_STATUS_OK);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, q);
	if (rr) {
		assert_int_equal(ldns_rr_new_frm_str(&a, rr, 0, NULL, NULL),
				 LDNS_STATUS_OK);
		ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, a);
	} else {
		ldns_pkt_set_rcode(pkt, rcode);
	}
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_aa(pkt, aa);
	uint8_t *wire = NULL;
	size_t len = 0;
	assert_int_equal(ldns_pkt2wire(&wire, pkt, &len), LDNS_STATUS_OK);
	struct ev_exchange x = { .role = role,
				 .status = QS_OK,
				 .qtype = qtype,
				 .zone = role == EV_RECORD ? "example." : "",
				 .server = role == EV_RECORD ? "ns1.example."
							     : addr,
				 .addr = addr,
				 .qname = qname,
				 .wire = wire,
				 .wire_len = len };
	assert_int_equal(evidence_add(ev, &x), 0);
	free(wire);
	ldns_pkt_free(pkt);
}

/* Adds an exchange answering www.example. A with RR (NULL: NXDOMAIN
 * without SOA), as ROLE from ADDR. */
static void add(struct evidence *ev, int role, char *addr, const char *rr,
		bool aa)
{
	add_answer(ev, role, addr, "www.example.", LDNS_RR_TYPE_A, rr,
		   LDNS_RCODE_NXDOMAIN, aa);
}

static char *summaries(const char *resolver_rr, time_t now)
{
	struct evidence *ev = evidence_new("www.example.", STARTED);
	struct rv_view v;
	struct findings fs;
	assert_non_null(ev);
	ev->record_name = strdup("www.example.");
	ev->record_type = LDNS_RR_TYPE_A;
	ev->record_expect = strdup("192.0.2.2");
	add(ev, EV_RECORD, "192.0.2.53", "www.example. 300 IN A 192.0.2.2",
	    true);
	add(ev, EV_RECORD_RESOLVER, "192.0.2.100", resolver_rr, false);
	findings_init(&fs);
	assert_int_equal(rv_build(ev, &v), 0);
	assert_int_equal(propagation_checks_run(&v, now, &fs), 0);
	char *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);
	for (size_t i = 0; i < fs.n; i++)
		fprintf(f, "%s: %s\n", finding_defs[fs.v[i].code].name,
			fs.v[i].summary);
	fclose(f);
	findings_deinit(&fs);
	rv_deinit(&v);
	evidence_free(ev);
	return all;
}

static void test_stale_time_left(void **state)
{
	(void)state;
	char *s = summaries("www.example. 52 IN A 192.0.2.1", STARTED);
	assert_non_null(strstr(s, "RESOLVER_STALE"));
	assert_non_null(strstr(s, "for another 52 s"));
	free(s);
	/* Analysed 60 s after it was taken: the 52 s are up. */
	s = summaries("www.example. 52 IN A 192.0.2.1", STARTED + 60);
	assert_non_null(strstr(s, "its copy expires now"));
	assert_null(strstr(s, "another -"));
	assert_null(strstr(s, "another 0 s"));
	free(s);
	s = summaries("www.example. 0 IN A 192.0.2.1", STARTED);
	assert_non_null(strstr(s, "its copy expires now"));
	free(s);
}

static void test_negative_without_soa(void **state)
{
	(void)state;
	/* NXDOMAIN without a SOA: how long it is kept is unknown. */
	char *s = summaries(NULL, STARTED);
	assert_non_null(strstr(s, "RESOLVER_NEGATIVE_CACHED"));
	assert_non_null(strstr(s, "gave no TTL"));
	assert_null(strstr(s, "another -1"));
	free(s);
}

/* A DS exchange for child.example. (the parent zone example. answers it
 * with AA, the resolver from its cache) with DIGEST, TTL; NULL DIGEST:
 * SERVFAIL. */
static void add_ds(struct evidence *ev, int role, char *addr, int ttl,
		   const char *digest)
{
	char rr[200];
	snprintf(rr, sizeof(rr), "child.example. %d IN DS 4711 13 2 %s", ttl,
		 digest ? digest : "");
	add_answer(ev, role, addr, "child.example.", LDNS_RR_TYPE_DS,
		   digest ? rr : NULL, LDNS_RCODE_SERVFAIL, role == EV_RECORD);
}

#define OLD_DIGEST \
	"1111111111111111111111111111111111111111111111111111111111111111"
#define NEW_DIGEST \
	"2222222222222222222222222222222222222222222222222222222222222222"

/* A DS change at the parent: one parent server lags, then none; the
 * resolver holds the old DS 40 s more. The ETA of a fresh resolver and of
 * the listed one, apart. */
static void test_delegation_eta(void **state)
{
	(void)state;
	for (int lag = 1; lag >= 0; lag--) {
		struct evidence *ev = evidence_new("child.example.", STARTED);
		struct rv_view v;
		struct findings fs;
		char text[600];
		assert_non_null(ev);
		ev->record_name = strdup("child.example.");
		ev->record_type = LDNS_RR_TYPE_DS;
		ev->record_expect = strdup("4711 13 2 " NEW_DIGEST);
		add_ds(ev, EV_RECORD, "192.0.2.53", 86400, NEW_DIGEST);
		add_ds(ev, EV_RECORD, "192.0.2.54", 86400,
		       lag ? OLD_DIGEST : NEW_DIGEST);
		add_ds(ev, EV_RECORD_RESOLVER, "192.0.2.100", 40, OLD_DIGEST);
		findings_init(&fs);
		assert_int_equal(rv_build(ev, &v), 0);
		assert_true(v.delegation);
		assert_string_equal(v.parent_zone, "example.");
		assert_int_equal(rv_auth_eta(&v), lag ? -1 : 0);
		assert_int_equal(rv_resolvers_eta(&v, STARTED), 40);
		assert_int_equal(rv_resolvers_eta(&v, STARTED + 30), 10);
		assert_int_equal(rv_eta(&v, STARTED), lag ? -1 : 40);
		report_eta_text(&v, STARTED, text, sizeof(text));
		assert_non_null(strstr(text, lag ? "ETA: unknown: when the "
						   "registry publishes"
						 : "a fresh resolver (a CA's) "
						   "gets the new delegation "
						   "now"));
		/* The parent's DS TTL is the registry's: no HIGH_TTL. */
		assert_int_equal(propagation_checks_run(&v, STARTED, &fs), 0);
		for (size_t i = 0; i < fs.n; i++)
			assert_int_not_equal(fs.v[i].code, F_HIGH_TTL);
		json_t *j = report_delegation_json(&v, STARTED);
		assert_non_null(j);
		assert_int_equal(json_integer_value(json_object_get(j, "parent_"
								       "curren"
								       "t")),
				 lag ? 1 : 2);
		assert_true(
			lag ? json_is_null(json_object_get(j, "fresh_resolver_"
							      "eta_seconds"))
			    : json_integer_value(json_object_get(j, "fresh_"
								    "resolver_"
								    "eta_"
								    "second"
								    "s")) == 0);
		json_decref(j);
		findings_deinit(&fs);
		rv_deinit(&v);
		evidence_free(ev);
	}
}

/* The first seed: the parent publishes the new delegation, and a
 * resolver answers SERVFAIL (it still follows the old one to servers that
 * refuse the zone). No TTL to read, but the old delegation lasts at most
 * the parent's TTL: a bound, said as one. */
static void test_delegation_servfail_bound(void **state)
{
	(void)state;
	struct evidence *ev = evidence_new("child.example.", STARTED);
	struct rv_view v;
	char text[600];
	assert_non_null(ev);
	ev->record_name = strdup("child.example.");
	ev->record_type = LDNS_RR_TYPE_DS;
	ev->record_expect = strdup("4711 13 2 " NEW_DIGEST);
	add_ds(ev, EV_RECORD, "192.0.2.53", 7200, NEW_DIGEST);
	add_ds(ev, EV_RECORD_RESOLVER, "192.0.2.100", 0, NULL);
	assert_int_equal(rv_build(ev, &v), 0);
	assert_true(v.delegation);
	assert_int_equal(rv_auth_eta(&v), 0);
	assert_int_equal(rv_resolvers_eta(&v, STARTED), -1);
	report_eta_text(&v, STARTED + 200, text, sizeof(text));
	assert_non_null(strstr(text, "ETA: at most 7000 s ("));
	assert_non_null(strstr(text, "fails (SERVFAIL)"));
	json_t *j = report_delegation_json(&v, STARTED + 200);
	json_t *r = json_array_get(json_object_get(j, "resolvers"), 0);
	assert_true(json_is_null(json_object_get(r, "eta_seconds")));
	assert_int_equal(json_integer_value(json_object_get(r, "eta_bound_"
							       "seconds")),
			 7000);
	json_decref(j);
	rv_deinit(&v);
	evidence_free(ev);
	/* While a parent server still lags, the parent's TTL bounds
	 * nothing yet. */
	ev = evidence_new("child.example.", STARTED);
	ev->record_name = strdup("child.example.");
	ev->record_type = LDNS_RR_TYPE_DS;
	ev->record_expect = strdup("4711 13 2 " NEW_DIGEST);
	add_ds(ev, EV_RECORD, "192.0.2.53", 7200, NEW_DIGEST);
	add_ds(ev, EV_RECORD, "192.0.2.54", 7200, OLD_DIGEST);
	add_ds(ev, EV_RECORD_RESOLVER, "192.0.2.100", 0, NULL);
	assert_int_equal(rv_build(ev, &v), 0);
	report_eta_text(&v, STARTED, text, sizeof(text));
	assert_null(strstr(text, "at most"));
	j = report_delegation_json(&v, STARTED);
	r = json_array_get(json_object_get(j, "resolvers"), 0);
	assert_true(json_is_null(json_object_get(r, "eta_bound_seconds")));
	json_decref(j);
	rv_deinit(&v);
	evidence_free(ev);
}

/* An A record is no delegation: no delegation section, ETA as before. */
static void test_not_delegation(void **state)
{
	(void)state;
	struct evidence *ev = evidence_new("www.example.", STARTED);
	struct rv_view v;
	assert_non_null(ev);
	ev->record_name = strdup("www.example.");
	ev->record_type = LDNS_RR_TYPE_A;
	add(ev, EV_RECORD, "192.0.2.53", "www.example. 300 IN A 192.0.2.2",
	    true);
	assert_int_equal(rv_build(ev, &v), 0);
	assert_false(v.delegation);
	assert_null(report_delegation_json(&v, STARTED));
	rv_deinit(&v);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_time_left),
		cmocka_unit_test(test_negative_without_soa),
		cmocka_unit_test(test_delegation_eta),
		cmocka_unit_test(test_delegation_servfail_bound),
		cmocka_unit_test(test_not_delegation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
