/* CAA semantics (RFC 8659, RFC 8657), validation-record typo detection, and
 * the CAA, DNS-01 and ACM checks on evidence built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>
#include "core/caa.h"
#include "core/checks.h"
#include "core/evidence_json.h"
#include "core/fetch_status.h"
#include "core/validation.h"
#include "fake_answer.h"

/* --- the CAA record parser --- */

static void test_caa_parse(void **state)
{
	static const uint8_t ok[] = { 0,   5,	'i', 's', 'S', 'u', 'e',
				      'l', 'e', '.', 'o', 'r', 'g' };
	static const uint8_t nul[] = { 128, 5,	 'i', 's', 's',
				       'u', 'e', 'a', 0,   'b' };
	static const uint8_t empty_value[] = { 0, 5, 'i', 's', 's', 'u', 'e' };
	struct caa_rr r;
	assert_int_equal(caa_parse(ok, sizeof(ok), &r), 0);
	assert_string_equal(r.tag, "issue");
	assert_string_equal(r.value, "le.org");
	assert_int_equal(r.flags, 0);
	assert_int_equal(caa_parse(nul, sizeof(nul), &r), 0);
	assert_string_equal(r.value, "a?b");
	assert_int_equal(r.flags, CAA_FLAG_CRITICAL);
	assert_int_equal(caa_parse(empty_value, sizeof(empty_value), &r), 0);
	assert_string_equal(r.value, "");
}

static void test_caa_parse_rejects(void **state)
{
	static const uint8_t short1[] = { 0 };
	static const uint8_t tag_past_end[] = { 0, 9, 'i', 's', 's' };
	static const uint8_t empty_tag[] = { 0, 0, 'x' };
	static const uint8_t long_tag[] = { 0,	 16,  'a', 'a', 'a', 'a',
					    'a', 'a', 'a', 'a', 'a', 'a',
					    'a', 'a', 'a', 'a', 'a', 'a' };
	static const uint8_t bad_tag[] = { 0, 3, 'i', '-', 's' };
	struct caa_rr r;
	assert_int_equal(caa_parse(NULL, 0, &r), -EINVAL);
	assert_int_equal(caa_parse(short1, sizeof(short1), &r), -EINVAL);
	assert_int_equal(caa_parse(tag_past_end, sizeof(tag_past_end), &r),
			 -EINVAL);
	assert_int_equal(caa_parse(empty_tag, sizeof(empty_tag), &r), -EINVAL);
	assert_int_equal(caa_parse(long_tag, sizeof(long_tag), &r), -EINVAL);
	assert_int_equal(caa_parse(bad_tag, sizeof(bad_tag), &r), -EINVAL);
}

static void test_caa_parse_caps_value(void **state)
{
	uint8_t big[2 + 5 + 3000];
	struct caa_rr r;
	memset(big, 'x', sizeof(big));
	big[0] = 0;
	big[1] = 5;
	memcpy(big + 2, "issue", 5);
	assert_int_equal(caa_parse(big, sizeof(big), &r), 0);
	assert_int_equal(r.value_len, CAA_VALUE_MAX);
	assert_int_equal(strlen(r.value), CAA_VALUE_MAX);
}

/* --- deciding --- */

static struct caa_rr rr(uint8_t flags, const char *tag, const char *value)
{
	struct caa_rr r = { .flags = flags };
	snprintf(r.tag, sizeof(r.tag), "%s", tag);
	snprintf(r.value, sizeof(r.value), "%s", value);
	r.value_len = strlen(r.value);
	return r;
}

static const char *const le[] = { "letsencrypt.org", NULL };

static enum caa_verdict decide1(struct caa_rr r, bool wild, const char *acct,
				const char *method)
{
	struct caa_request q = { .issuers = le,
				 .wildcard = wild,
				 .account_uri = acct,
				 .method = method };
	return caa_decide(&r, 1, &q);
}

static void test_caa_issue(void **state)
{
	struct caa_request q = { .issuers = le };
	assert_int_equal(caa_decide(NULL, 0, &q), CAA_PERMITS);
	assert_int_equal(decide1(rr(0, "issue", "letsencrypt.org"), false, NULL,
				 NULL),
			 CAA_PERMITS);
	assert_int_equal(decide1(rr(0, "issue", " LetsEncrypt.org. ; foo=bar"),
				 false, NULL, NULL),
			 CAA_PERMITS);
	assert_int_equal(decide1(rr(0, "issue", "digicert.com"), false, NULL,
				 NULL),
			 CAA_FORBIDS_NO_ISSUER);
	assert_int_equal(decide1(rr(0, "issue", ";"), false, NULL, NULL),
			 CAA_FORBIDS_NO_ISSUER);
	assert_int_equal(decide1(rr(0, "issue", ""), false, NULL, NULL),
			 CAA_FORBIDS_NO_ISSUER);
	/* Only iodef: no restriction. */
	assert_int_equal(decide1(rr(0, "iodef", "mailto:a@b"), false, NULL,
				 NULL),
			 CAA_PERMITS);
	/* Two issue records: either may name the CA. */
	struct caa_rr two[] = { rr(0, "issue", "digicert.com"),
				rr(0, "issue", "letsencrypt.org") };
	assert_int_equal(caa_decide(two, 2, &q), CAA_PERMITS);
}

static void test_caa_issuewild(void **state)
{
	struct caa_request name = { .issuers = le },
			   wild = { .issuers = le, .wildcard = true };
	struct caa_rr set[] = { rr(0, "issue", "letsencrypt.org"),
				rr(0, "issuewild", ";") };
	assert_int_equal(caa_decide(set, 2, &name), CAA_PERMITS);
	/* The cause is issuewild, not a missing issue record. */
	assert_int_equal(caa_decide(set, 2, &wild), CAA_FORBIDS_NO_WILD_ISSUER);
	/* No issuewild: issue governs wildcards too. */
	assert_int_equal(caa_decide(set, 1, &wild), CAA_PERMITS);
	/* issuewild alone does not restrict a plain name. */
	struct caa_rr w = rr(0, "issuewild", "digicert.com");
	assert_int_equal(caa_decide(&w, 1, &name), CAA_PERMITS);
	assert_int_equal(caa_decide(&w, 1, &wild), CAA_FORBIDS_NO_WILD_ISSUER);
	/* issue names another CA and there is no issuewild: issue decides. */
	struct caa_rr other = rr(0, "issue", "digicert.com");
	assert_int_equal(caa_decide(&other, 1, &wild), CAA_FORBIDS_NO_ISSUER);
}

static void test_caa_critical(void **state)
{
	struct caa_request q = { .issuers = le };
	struct caa_rr set[] = { rr(0, "issue", "letsencrypt.org"),
				rr(128, "tbs", "x") };
	assert_int_equal(caa_decide(set, 2, &q), CAA_FORBIDS_CRITICAL);
	set[1] = rr(0, "tbs", "x"); /* not critical: ignored */
	assert_int_equal(caa_decide(set, 2, &q), CAA_PERMITS);
	set[1] = rr(128, "iodef", "mailto:a@b"); /* critical but known */
	assert_int_equal(caa_decide(set, 2, &q), CAA_PERMITS);
}

static void test_caa_rfc8657(void **state)
{
	struct caa_rr a = rr(0, "issue",
			     "letsencrypt.org; accounturi=https://acme/acct/1");
	assert_int_equal(decide1(a, false, "https://acme/acct/1", NULL),
			 CAA_PERMITS);
	assert_int_equal(decide1(a, false, "https://acme/acct/2", NULL),
			 CAA_FORBIDS_ACCOUNT);
	assert_int_equal(decide1(a, false, NULL, NULL), CAA_PERMITS);
	struct caa_rr m = rr(0, "issue",
			     "letsencrypt.org;validationmethods=dns-01,tls-"
			     "alpn-01");
	assert_int_equal(decide1(m, false, NULL, "dns-01"), CAA_PERMITS);
	assert_int_equal(decide1(m, false, NULL, "http-01"),
			 CAA_FORBIDS_METHOD);
	struct caa_rr both = rr(0, "issue",
				"letsencrypt.org; accounturi=u1 ; "
				"validationmethods = http-01");
	assert_int_equal(decide1(both, false, "u1", "http-01"), CAA_PERMITS);
	assert_int_equal(decide1(both, false, "u1", "dns-01"),
			 CAA_FORBIDS_METHOD);
}

static void test_caa_ca_table(void **state)
{
	const struct caa_ca *ca = caa_ca_find("acm");
	assert_non_null(ca);
	assert_string_equal(ca->name, "Amazon");
	assert_ptr_equal(caa_ca_find("amazontrust.com"), ca);
	assert_ptr_equal(caa_ca_find("AWSTRUST.COM."), ca);
	assert_string_equal(caa_ca_find("le")->domains[0], "letsencrypt.org");
	assert_string_equal(caa_ca_find("google")->domains[0], "pki.goog");
	assert_string_equal(caa_ca_find("symantec.com")->name, "DigiCert");
	assert_null(caa_ca_find("example.net"));
	char issuer[64];
	caa_issuer_of("  Sectigo.COM ; x=y", issuer, sizeof(issuer));
	assert_string_equal(issuer, "sectigo.com");
}

/* --- typos --- */

static void test_typos(void **state)
{
	const char *z = "example.com.";
	assert_int_equal(val_typo_of("_a.example.com.", "_a.example.com.", z),
			 TYPO_NONE);
	assert_int_equal(val_typo_of("_a.example.com.example.com.",
				     "_a.example.com.", z),
			 TYPO_DOUBLED);
	assert_int_equal(val_typo_of("_t.acm-validations.aws.example.com.",
				     "_t.acm-validations.aws.", z),
			 TYPO_DOUBLED);
	/* The domain (not the zone) doubled. */
	assert_int_equal(val_typo_of("_a.www.example.com.www.example.com.",
				     "_a.www.example.com.", z),
			 TYPO_DOUBLED);
	assert_int_equal(val_typo_of("a.example.com.", "_a.example.com.", z),
			 TYPO_NO_UNDERSCORE);
	assert_int_equal(val_typo_of("_t.acm-validations.awsx.",
				     "_t.acm-validations.aws.", z),
			 TYPO_TRAILING);
	assert_int_equal(val_typo_of("_t.acm-validations.aws.x.",
				     "_t.acm-validations.aws.", z),
			 TYPO_TRAILING);
	assert_int_equal(val_typo_of("_other.example.com.", "_a.example.com.",
				     z),
			 TYPO_CASE_OR_OTHER);

	char d[256], u[256];
	val_typo_names("_a.example.com.", z, d, u, sizeof(d));
	assert_string_equal(d, "_a.example.com.example.com.");
	assert_string_equal(u, "a.example.com.");
	val_typo_names("a.other.net.", z, d, u, sizeof(d));
	assert_string_equal(d, "");
	assert_string_equal(u, "");
}

/* --- the checks, on evidence built by hand --- */

/* Every answer here is authoritative but the walk's referral. */
static void add(struct evidence *ev, int role, const char *zone,
		const char *server, const char *addr, const char *qname,
		uint16_t qtype, int tr, const struct answer *a)
{
	struct answer as_sent = *a;
	as_sent.aa = role != EV_WALK;
	fake_add(ev, role, zone, server, addr, qname, qtype, tr, &as_sent);
}

static const struct answer referral = {
	.status = QS_OK,
	.au = { "example. NS ns1.example.", "example. NS ns2.example." },
	.ad = { "ns1.example. A 192.0.2.1", "ns2.example. A 192.0.2.2" }
};
static const struct answer soa = { .status = QS_OK,
				   .an = { "example. SOA ns1.example. "
					   "h.example. 7 3600 600 86400 "
					   "300" } };
static const struct answer ns = { .status = QS_OK,
				  .an = { "example. NS ns1.example.", "example."
								      " NS "
								      "ns2."
								      "example"
								      "." } };
static const struct answer nodata = { .status = QS_OK,
				      .au = { "example. SOA ns1.example. "
					      "h.example. 7 3600 600 86400 "
					      "300" } };
static const struct answer nxdomain = { .status = QS_OK,
					.rcode = LDNS_RCODE_NXDOMAIN,
					.au = { "example. SOA ns1.example. "
						"h.example. 7 3600 600 86400 "
						"300" } };
static const struct answer servfail = { .status = QS_OK,
					.rcode = LDNS_RCODE_SERVFAIL };
static const struct answer timeout = { .status = QS_TIMEOUT };

static const char *const names[] = { "ns1.example.", "ns2.example." };
static const char *const addrs[] = { "192.0.2.1", "192.0.2.2" };

/* The options OPTS (NULL-terminated), written as evidence format 1 kept
 * them ("acme", "ca=X", "acm=NAME=TARGET"), read by the evidence loader
 * into EV's typed options. */
static void set_opts(struct evidence *ev, const char *const *opts)
{
	json_t *words = json_array();
	for (size_t i = 0; opts && opts[i]; i++)
		json_array_append_new(words, json_string(opts[i]));
	json_t *j = json_pack("{s:i, s:s, s:i, s:[], s:o}",
			      "dnsdoctor_evidence", 1, "domain", ev->domain,
			      "started", 0, "exchanges", "validation", words);
	char err[160];
	struct evidence *read = evidence_from_json(j, err, sizeof(err));
	assert_non_null(read);
	assert_int_equal(ev_validation_copy(ev, &read->validation), 0);
	evidence_free(read);
	json_decref(j);
}

/* A healthy zone "example." holding DOMAIN, two in-zone servers, and the
 * validation options OPTS (NULL-terminated). */
static struct evidence *zone(const char *domain, const char *const *opts)
{
	struct evidence *ev = evidence_new(domain, 1700000000);
	assert_non_null(ev);
	add(ev, EV_WALK, ".", "a.root.", "10.0.0.1", domain, LDNS_RR_TYPE_NS,
	    TR_UDP, &referral);
	for (int i = 0; i < 2; i++) {
		add(ev, EV_AUTH, "example.", names[i], addrs[i], "example.",
		    LDNS_RR_TYPE_SOA, TR_UDP, &soa);
		add(ev, EV_AUTH, "example.", names[i], addrs[i], "example.",
		    LDNS_RR_TYPE_SOA, TR_TCP, &soa);
		add(ev, EV_AUTH, "example.", names[i], addrs[i], "example.",
		    LDNS_RR_TYPE_NS, TR_UDP, &ns);
	}
	set_opts(ev, opts);
	return ev;
}

/* The same answer from both servers; A2 (when not NULL) for ns2. */
static void both(struct evidence *ev, const char *qname, uint16_t qtype,
		 const struct answer *a1, const struct answer *a2)
{
	add(ev, EV_VALIDATION, "example.", names[0], addrs[0], qname, qtype,
	    TR_UDP, a1);
	add(ev, EV_VALIDATION, "example.", names[1], addrs[1], qname, qtype,
	    TR_UDP, a2 ? a2 : a1);
}

static char *codes(struct evidence *ev, char **summaries)
{
	struct view v;
	struct findings fs;
	struct strset set;
	strset_init(&set);
	findings_init(&fs);
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(checks_run(&v, 1700000000, &fs), 0);
	for (size_t i = 0; i < fs.n; i++)
		strset_add(&set, finding_defs[fs.v[i].code].name);
	if (summaries) {
		struct strset s;
		strset_init(&s);
		for (size_t i = 0; i < fs.n; i++)
			strset_add(&s, fs.v[i].summary);
		*summaries = strset_join(&s, "\n");
		strset_deinit(&s);
	}
	char *out = strset_join(&set, " ");
	strset_deinit(&set);
	findings_deinit(&fs);
	view_deinit(&v);
	evidence_free(ev);
	return out;
}

static void expect(struct evidence *ev, const char *want)
{
	char *got = codes(ev, NULL);
	assert_string_equal(got, want);
	free(got);
}

static const char *const acme_le[] = { "acme", "ca=letsencrypt", NULL };
static const struct answer txt_ok = { .status = QS_OK,
				      .an = { "_acme-challenge.www.example. "
					      "TXT \"tok\"" } };

/* CAA at the parent name governs www; a TXT in place. */
static void test_check_caa_inherited(void **state)
{
	struct answer caa = { .status = QS_OK,
			      .an = { "example. CAA 0 issue "
				      "\"digicert.com\"" } };
	struct evidence *ev = zone("www.example.", acme_le);
	both(ev, "www.example.", LDNS_RR_TYPE_CAA, &nodata, NULL);
	both(ev, "example.", LDNS_RR_TYPE_CAA, &caa, NULL);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &txt_ok,
	     NULL);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_string_equal(got, "CAA_FORBIDS_ISSUER");
	assert_non_null(strstr(sum, "which www.example. inherits"));
	free(got);
	free(sum);
}

/* A CAA set at www stops the climb: the parent's is not relevant. */
static void test_check_caa_closest_wins(void **state)
{
	struct answer mine = { .status = QS_OK,
			       .an = { "www.example. CAA 0 issue "
				       "\"letsencrypt.org\"" } };
	struct answer parent = { .status = QS_OK,
				 .an = { "example. CAA 0 issue \";\"" } };
	struct evidence *ev = zone("www.example.", acme_le);
	both(ev, "www.example.", LDNS_RR_TYPE_CAA, &mine, NULL);
	both(ev, "example.", LDNS_RR_TYPE_CAA, &parent, NULL);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &txt_ok,
	     NULL);
	expect(ev, "");
}

/* A CNAME at the name: its target's CAA set is the relevant one. */
static void test_check_caa_cname(void **state)
{
	struct answer alias = { .status = QS_OK,
				.an = { "www.example. CNAME cdn.example." } };
	struct answer target = { .status = QS_OK,
				 .an = { "cdn.example. CAA 0 issue "
					 "\"pki.goog\"" } };
	struct evidence *ev = zone("www.example.", acme_le);
	both(ev, "www.example.", LDNS_RR_TYPE_CAA, &alias, NULL);
	both(ev, "cdn.example.", LDNS_RR_TYPE_CAA, &target, NULL);
	both(ev, "example.", LDNS_RR_TYPE_CAA, &nodata, NULL);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &txt_ok,
	     NULL);
	expect(ev, "CAA_FORBIDS_ISSUER");
}

/* One server of two answers SERVFAIL to CAA (lab: acme-caa-servfail). */
static void test_check_caa_lookup_failed(void **state)
{
	struct evidence *ev = zone("www.example.", acme_le);
	both(ev, "www.example.", LDNS_RR_TYPE_CAA, &nodata, &servfail);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &txt_ok,
	     NULL);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_string_equal(got, "CAA_LOOKUP_FAILED");
	assert_non_null(strstr(sum, "fails at ns2.example. (SERVFAIL); other "
				    "servers answer"));
	free(got);
	free(sum);
}

/* One server of two answers SOA, NS and TXT but never CAA (lab:
 * acme-caa-timeout): a CA whose resolver asks it gets no CAA answer. */
static void test_check_caa_one_timeout(void **state)
{
	struct evidence *ev = zone("www.example.", acme_le);
	both(ev, "www.example.", LDNS_RR_TYPE_CAA, &nodata, &timeout);
	both(ev, "example.", LDNS_RR_TYPE_CAA, &nodata, &timeout);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &txt_ok,
	     NULL);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_string_equal(got, "CAA_LOOKUP_FAILED");
	assert_non_null(strstr(sum, "The CAA look-up for www.example. fails at "
				    "ns2.example. (no answer to CAA, though "
				    "other queries are answered); other "
				    "servers answer"));
	free(got);
	free(sum);
}

/* Both servers answer SOA but never CAA: nobody answers the CA. */
static void test_check_caa_all_timeout(void **state)
{
	struct evidence *ev = zone("www.example.", acme_le);
	both(ev, "www.example.", LDNS_RR_TYPE_CAA, &timeout, NULL);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &txt_ok,
	     NULL);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_string_equal(got, "CAA_LOOKUP_FAILED");
	assert_non_null(strstr(sum, "fails at ns1.example. and ns2.example. "
				    "(no server answered): a CA must refuse"));
	free(got);
	free(sum);
}

/* A server that answers nothing at all is NS_UNREACHABLE's: resolvers
 * learn to skip it, and its CAA time-out is no CAA fault of its own. */
static void test_check_caa_dead_server(void **state)
{
	struct evidence *ev = evidence_new("www.example.", 1700000000);
	assert_non_null(ev);
	add(ev, EV_WALK, ".", "a.root.", "10.0.0.1", "www.example.",
	    LDNS_RR_TYPE_NS, TR_UDP, &referral);
	add(ev, EV_AUTH, "example.", names[0], addrs[0], "example.",
	    LDNS_RR_TYPE_SOA, TR_UDP, &soa);
	add(ev, EV_AUTH, "example.", names[0], addrs[0], "example.",
	    LDNS_RR_TYPE_SOA, TR_TCP, &soa);
	add(ev, EV_AUTH, "example.", names[0], addrs[0], "example.",
	    LDNS_RR_TYPE_NS, TR_UDP, &ns);
	add(ev, EV_AUTH, "example.", names[1], addrs[1], "example.",
	    LDNS_RR_TYPE_SOA, TR_UDP, &timeout);
	add(ev, EV_AUTH, "example.", names[1], addrs[1], "example.",
	    LDNS_RR_TYPE_SOA, TR_TCP, &timeout);
	add(ev, EV_AUTH, "example.", names[1], addrs[1], "example.",
	    LDNS_RR_TYPE_NS, TR_UDP, &timeout);
	set_opts(ev, acme_le);
	both(ev, "www.example.", LDNS_RR_TYPE_CAA, &nodata, &timeout);
	both(ev, "example.", LDNS_RR_TYPE_CAA, &nodata, &timeout);
	add(ev, EV_VALIDATION, "example.", names[0], addrs[0],
	    "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, TR_UDP, &txt_ok);
	expect(ev, "NS_UNREACHABLE");
}

static void test_check_caa_account(void **state)
{
	static const char *const opts[] = { "acme",
					    "account_uri=https://ca/acct/2",
					    NULL };
	struct answer caa = { .status = QS_OK,
			      .an = { "example. CAA 0 issue \"letsencrypt.org; "
				      "accounturi=https://ca/acct/1\"" } };
	struct evidence *ev = zone("example.", opts);
	both(ev, "example.", LDNS_RR_TYPE_CAA, &caa, NULL);
	both(ev, "_acme-challenge.example.", LDNS_RR_TYPE_TXT,
	     &(struct answer){ .status = QS_OK,
			       .an = { "_acme-challenge.example. TXT "
				       "\"tok\"" } },
	     NULL);
	expect(ev, "CAA_FORBIDS_ISSUER");
}

static void test_check_challenge_partial_and_value(void **state)
{
	static const char *const opts[] = { "acme", "txt=right", NULL };
	struct answer wrong = { .status = QS_OK,
				.an = { "_acme-challenge.www.example. TXT "
					"\"old\"" } };
	struct evidence *ev = zone("www.example.", opts);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &wrong,
	     &nxdomain);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_string_equal(got, "ACME_CHALLENGE_MISSING "
				 "ACME_CHALLENGE_VALUE_MISMATCH");
	assert_non_null(strstr(sum, "is on ns1.example. but not on "
				    "ns2.example."));
	free(got);
	free(sum);
}

static void test_check_challenge_doubled(void **state)
{
	struct answer dbl = { .status = QS_OK,
			      .an = { "_acme-challenge.www.example.example. "
				      "TXT \"tok\"" } };
	struct evidence *ev = zone("www.example.", acme_le);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &nxdomain,
	     NULL);
	both(ev, "_acme-challenge.www.example.example.", LDNS_RR_TYPE_TXT, &dbl,
	     NULL);
	expect(ev, "ACME_CHALLENGE_DOUBLED_LABEL ACME_CHALLENGE_MISSING");
}

static void test_check_challenge_cname(void **state)
{
	struct answer a1 = { .status = QS_OK,
			     .an = { "_acme-challenge.www.example. CNAME "
				     "x.example." } };
	struct answer a2 = { .status = QS_OK,
			     .an = { "x.example. CNAME y.example." } };
	struct answer a3 = { .status = QS_OK,
			     .an = { "y.example. CNAME "
				     "_acme-challenge.www.example." } };
	struct answer fine = { .status = QS_OK,
			       .an = { "y.example. TXT \"tok\"" } };
	struct evidence *ev = zone("www.example.", acme_le);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &a1, NULL);
	both(ev, "x.example.", LDNS_RR_TYPE_TXT, &a2, NULL);
	both(ev, "y.example.", LDNS_RR_TYPE_TXT, &a3, NULL);
	expect(ev, "CNAME_LOOP");

	ev = zone("www.example.", acme_le);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &a1, NULL);
	both(ev, "x.example.", LDNS_RR_TYPE_TXT, &a2, NULL);
	both(ev, "y.example.", LDNS_RR_TYPE_TXT, &nxdomain, NULL);
	expect(ev, "CNAME_DANGLING");

	ev = zone("www.example.", acme_le);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &a1, NULL);
	both(ev, "x.example.", LDNS_RR_TYPE_TXT, &a2, NULL);
	both(ev, "y.example.", LDNS_RR_TYPE_TXT, &fine, NULL);
	expect(ev, "");
}

/* The record only on a server that --expect-ns names: the summary says so. */
static void test_check_acm_only_expected(void **state)
{
	static const char *const opts[] = { "acm=_a.example.=_t.acm-"
					    "validations.aws.",
					    NULL };
	struct answer right = { .status = QS_OK,
				.an = { "_a.example. CNAME "
					"_t.acm-validations.aws." } };
	struct evidence *ev = zone("example.", opts);
	assert_int_equal(evidence_add_expect_ns(ev, "ns1.example."), 0);
	assert_int_equal(evidence_add_expect_ns(ev, "ns2.example."), 0);
	assert_int_equal(evidence_add_expect_ns(ev, "ns3.example."), 0);
	both(ev, "_a.example.", LDNS_RR_TYPE_CNAME, &nxdomain, NULL);
	add(ev, EV_VALIDATION, "example.", "ns3.example.", "192.0.2.3",
	    "_a.example.", LDNS_RR_TYPE_CNAME, TR_UDP, &right);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_non_null(strstr(got, "ACM_VALIDATION_CNAME_MISSING"));
	assert_non_null(strstr(sum, "exists only on ns3.example., which the "
				    "parent"));
	free(got);
	free(sum);
}

static void test_check_acm_target_typo(void **state)
{
	static const char *const opts[] = { "acm=_a.example.=_t.acm-"
					    "validations.aws.",
					    NULL };
	struct answer typo = { .status = QS_OK,
			       .an = { "_a.example. CNAME "
				       "_t.acm-validations.aws.example." } };
	struct answer right = { .status = QS_OK,
				.an = { "_a.example. CNAME "
					"_t.acm-validations.aws." } };
	struct evidence *ev = zone("example.", opts);
	both(ev, "_a.example.", LDNS_RR_TYPE_CNAME, &typo, NULL);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_string_equal(got, "ACM_VALIDATION_CNAME_MISSING");
	assert_non_null(strstr(sum, "the domain pasted twice"));
	free(got);
	free(sum);

	ev = zone("example.", opts);
	both(ev, "_a.example.", LDNS_RR_TYPE_CNAME, &right, NULL);
	expect(ev, "");
}

/* Without --acme/--acm the validation checks stay silent. */
static void test_checks_off_without_options(void **state)
{
	struct answer caa = { .status = QS_OK,
			      .an = { "example. CAA 0 issue \";\"" } };
	struct evidence *ev = zone("example.", NULL);
	both(ev, "example.", LDNS_RR_TYPE_CAA, &caa, NULL);
	expect(ev, "");
}

/* HTTP-01 records as the probe keeps them; BODY written with the escapes
 * the evidence file shows ("\\x0a"), turned back into the raw bytes. */
static void fetch(struct evidence *ev, const char *addr, const char *start,
		  const char *status, int code, const char *body,
		  const char *location)
{
	char raw[600];
	struct ev_http01 h = { .addr = (char *)addr,
			       .start = (char *)start,
			       .url = (char *)start,
			       .location = (char *)location,
			       .detail = "",
			       .body = raw,
			       .status = http_status_from_name(status),
			       .code = code };
	h.body_len = json_safe_decode(body, raw, sizeof(raw));
	assert_int_equal(evidence_add_http01(ev, &h), 0);
}

#define WWW "http://www.example/.well-known/acme-challenge/tok"
#define CDN "http://cdn.example/.well-known/acme-challenge/tok"
static const char *const http01[] = { "acme", "challenge=http-01", "token=tok",
				      NULL };

/* A redirect to another host is judged by what that host's addresses
 * answer: one 404 among them makes the redirecting address bad. */
static void test_check_http01_redirect_followed(void **state)
{
	(void)state;
	struct evidence *ev = zone("www.example.", http01);
	fetch(ev, "192.0.2.80", WWW, "ok", 200, "tok.thumb", NULL);
	fetch(ev, "192.0.2.81", WWW, "redirect-other-host", 302, "", CDN);
	fetch(ev, "198.51.100.1", CDN, "ok", 200, "tok.thumb", NULL);
	fetch(ev, "198.51.100.2", CDN, "ok", 404, "not found", NULL);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_non_null(strstr(got, "HTTP01_BAD_RESPONSE"));
	assert_null(strstr(got, "HTTP01_UNREACHABLE"));
	assert_non_null(strstr(sum, "192.0.2.81 redirects to " CDN ", where "
				    "198.51.100."
				    "2 answers "
				    "404"));
	assert_non_null(strstr(sum, "192.0.2.80 answers as the CA expects"));
	free(sum);
	free(got);

	/* Every address of the other host serves it: nothing to report. */
	ev = zone("www.example.", http01);
	fetch(ev, "192.0.2.81", WWW, "redirect-other-host", 302, "", CDN);
	fetch(ev, "198.51.100.1", CDN, "ok", 200, "tok.thumb", NULL);
	got = codes(ev, NULL);
	assert_null(strstr(got, "HTTP01"));
	free(got);
}

/* A target with no recorded fetch has no address; a redirect that comes
 * back to itself ends at the bound, not in a loop. */
static void test_check_http01_redirect_dead_ends(void **state)
{
	(void)state;
	struct evidence *ev = zone("www.example.", http01);
	fetch(ev, "192.0.2.81", WWW, "redirect-other-host", 302, "", CDN);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_non_null(strstr(got, "HTTP01_UNREACHABLE"));
	assert_non_null(strstr(sum, "whose host has no address"));
	free(sum);
	free(got);

	ev = zone("www.example.", http01);
	fetch(ev, "192.0.2.81", WWW, "redirect-other-host", 302, "", CDN);
	fetch(ev, "198.51.100.1", CDN, "redirect-other-host", 302, "", CDN);
	got = codes(ev, &sum);
	assert_non_null(strstr(got, "HTTP01_UNREACHABLE"));
	assert_non_null(strstr(sum, "too many redirects"));
	free(sum);
	free(got);
}

/* The body as json_safe stores it: a trailing newline is "\\x0a". The CA
 * ignores trailing whitespace (RFC 8555 8.3), so the comparison runs on
 * the raw bytes, not on the escaped text. */
static void test_check_http01_trailing_whitespace(void **state)
{
	(void)state;
	static const char *const exact[] = { "acme", "challenge=http-01",
					     "token=tok", "key_auth=tok.thumb",
					     NULL };
	static const char *const bodies_ok[] = { "tok.thumb\\x0a",
						 "tok.thumb\\x0d\\x0a",
						 "tok.thumb \\x09\\x0a",
						 "tok.thumb" };
	static const char *const bodies_bad[] = { " tok.thumb",
						  "tok.thumb\\x0ax",
						  "tok.thumb\\x5cx0a",
						  "\\x0atok.thumb" };
	for (size_t i = 0; i < sizeof(bodies_ok) / sizeof(*bodies_ok); i++) {
		struct evidence *ev = zone("www.example.", exact);
		fetch(ev, "192.0.2.80", WWW, "ok", 200, bodies_ok[i], NULL);
		char *got = codes(ev, NULL);
		assert_null(strstr(got, "HTTP01"));
		free(got);
	}
	for (size_t i = 0; i < sizeof(bodies_bad) / sizeof(*bodies_bad); i++) {
		struct evidence *ev = zone("www.example.", exact);
		fetch(ev, "192.0.2.80", WWW, "ok", 200, bodies_bad[i], NULL);
		char *got = codes(ev, NULL);
		assert_non_null(strstr(got, "HTTP01_BAD_RESPONSE"));
		free(got);
	}
}

static void test_json_safe_round_trip(void **state)
{
	(void)state;
	const char raw[] = "a\\b\n\x1b[31m\"\x7f\xc3\xa9";
	json_t *j = json_safe(raw);
	char back[64];
	assert_non_null(j);
	assert_string_equal(json_string_value(j), "a\\x5cb\\x0a\\x1b["
						  "31m\"\\x7f\\xc3\\xa9");
	assert_int_equal(json_safe_decode(json_string_value(j), back,
					  sizeof(back)),
			 strlen(raw));
	assert_string_equal(back, raw);
	/* Bounded: OUT is always terminated; a lone or short escape is text. */
	assert_int_equal(json_safe_decode("abcdef", back, 4), 3);
	assert_string_equal(back, "abc");
	assert_int_equal(json_safe_decode("\\x4", back, sizeof(back)), 3);
	assert_int_equal(json_safe_decode("\\x00", back, sizeof(back)), 1);
	assert_string_equal(back, "?");
	json_decref(j);
}

/* One server with the right value, one with an earlier order's: the CA's
 * resolver asks one of them, so the stale one is an error of its own. */
static void test_check_challenge_one_right_one_stale(void **state)
{
	(void)state;
	static const char *const opts[] = { "acme", "txt=right", NULL };
	struct answer right = { .status = QS_OK,
				.an = { "_acme-challenge.www.example. TXT "
					"\"right\"" } };
	struct answer old = { .status = QS_OK,
			      .an = { "_acme-challenge.www.example. TXT "
				      "\"old\"" } };
	struct answer both_vals = { .status = QS_OK,
				    .an = { "_acme-challenge.www.example. TXT "
					    "\"old\"",
					    "_acme-challenge.www.example. TXT "
					    "\"right\"" } };
	struct evidence *ev = zone("www.example.", opts);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &right,
	     &old);
	char *sum = NULL, *got = codes(ev, &sum);
	assert_string_equal(got, "ACME_CHALLENGE_VALUE_MISMATCH");
	assert_non_null(strstr(sum, "on ns1.example., but ns2.example. serves "
				    "only \"old\""));
	assert_non_null(strstr(sum, "1 in 2"));
	free(got);
	free(sum);

	/* Both values in one RRset: the CA finds its own among them. */
	ev = zone("www.example.", opts);
	both(ev, "_acme-challenge.www.example.", LDNS_RR_TYPE_TXT, &right,
	     &both_vals);
	expect(ev, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_http01_redirect_followed),
		cmocka_unit_test(test_check_http01_trailing_whitespace),
		cmocka_unit_test(test_json_safe_round_trip),
		cmocka_unit_test(test_check_challenge_one_right_one_stale),
		cmocka_unit_test(test_check_http01_redirect_dead_ends),
		cmocka_unit_test(test_caa_parse),
		cmocka_unit_test(test_caa_parse_rejects),
		cmocka_unit_test(test_caa_parse_caps_value),
		cmocka_unit_test(test_caa_issue),
		cmocka_unit_test(test_caa_issuewild),
		cmocka_unit_test(test_caa_critical),
		cmocka_unit_test(test_caa_rfc8657),
		cmocka_unit_test(test_caa_ca_table),
		cmocka_unit_test(test_typos),
		cmocka_unit_test(test_check_caa_inherited),
		cmocka_unit_test(test_check_caa_closest_wins),
		cmocka_unit_test(test_check_caa_cname),
		cmocka_unit_test(test_check_caa_lookup_failed),
		cmocka_unit_test(test_check_caa_one_timeout),
		cmocka_unit_test(test_check_caa_all_timeout),
		cmocka_unit_test(test_check_caa_dead_server),
		cmocka_unit_test(test_check_caa_account),
		cmocka_unit_test(test_check_challenge_partial_and_value),
		cmocka_unit_test(test_check_challenge_doubled),
		cmocka_unit_test(test_check_challenge_cname),
		cmocka_unit_test(test_check_acm_only_expected),
		cmocka_unit_test(test_check_acm_target_typo),
		cmocka_unit_test(test_checks_off_without_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
