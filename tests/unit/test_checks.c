/* Checks on evidence built by hand: cases the lab cannot easily stage
 * (no TCP, a local network error) and the exact semantics of each code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>
#include "core/checks.h"
#include "core/evidence_json.h"
#include "core/wire.h"
#include "fake_answer.h"

static const struct answer referral = {
	.status = QS_OK,
	.au = { "example. NS ns1.example.", "example. NS ns2.example." },
	.ad = { "ns1.example. A 192.0.2.1", "ns2.example. A 192.0.2.2" }
};
static const struct answer ns1_a = { .status = QS_OK,
				     .aa = true,
				     .an = { "ns1.example. A 192.0.2.1" } };
static const struct answer ns2_a = { .status = QS_OK,
				     .aa = true,
				     .an = { "ns2.example. A 192.0.2.2" } };
static const struct answer soa = { .status = QS_OK,
				   .aa = true,
				   .an = { "example. SOA ns1.example. "
					   "h.example. 7 3600 600 86400 "
					   "300" } };
static const struct answer ns = { .status = QS_OK,
				  .aa = true,
				  .an = { "example. NS ns1.example.", "example."
								      " NS "
								      "ns2."
								      "example"
								      "." } };
static const struct answer timeout = { .status = QS_TIMEOUT };
static const struct answer neterr = { .status = QS_NETERR };

/* A healthy zone "example." under the root, two in-zone servers with
 * glue; OVERRIDE replaces the answer of ns2's (QTYPE, TR) when non-NULL. */
static struct evidence *zone(uint16_t qtype, int tr,
			     const struct answer *override)
{
	struct evidence *ev = evidence_new("example.", 1700000000);
	assert_non_null(ev);
	fake_add(ev, EV_WALK, ".", "a.root.", "10.0.0.1", "example.",
		 LDNS_RR_TYPE_NS, TR_UDP, &referral);
	fake_add(ev, EV_RESOLVE, "example.", "ns1.example.", "192.0.2.1",
		 "ns1.example.", LDNS_RR_TYPE_A, TR_UDP, &ns1_a);
	fake_add(ev, EV_RESOLVE, "example.", "ns1.example.", "192.0.2.1",
		 "ns2.example.", LDNS_RR_TYPE_A, TR_UDP, &ns2_a);
	const char *names[] = { "ns1.example.", "ns2.example." };
	const char *addrs[] = { "192.0.2.1", "192.0.2.2" };
	for (int i = 0; i < 2; i++) {
		bool o = override && i == 1;
		fake_add(ev, EV_AUTH, "example.", names[i], addrs[i],
			 "example.", LDNS_RR_TYPE_SOA, TR_UDP,
			 o && qtype == LDNS_RR_TYPE_SOA && tr == TR_UDP
				 ? override
				 : &soa);
		fake_add(ev, EV_AUTH, "example.", names[i], addrs[i],
			 "example.", LDNS_RR_TYPE_SOA, TR_TCP,
			 o && qtype == LDNS_RR_TYPE_SOA && tr == TR_TCP
				 ? override
				 : &soa);
		fake_add(ev, EV_AUTH, "example.", names[i], addrs[i],
			 "example.", LDNS_RR_TYPE_NS, TR_UDP,
			 o && qtype == LDNS_RR_TYPE_NS ? override : &ns);
	}
	return ev;
}

static char *codes(struct evidence *ev)
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
	char *s = strset_join(&set, " ");
	strset_deinit(&set);
	findings_deinit(&fs);
	view_deinit(&v);
	evidence_free(ev);
	return s;
}

static void expect(struct evidence *ev, const char *want)
{
	char *got = codes(ev);
	assert_string_equal(got, want);
	free(got);
}

static void test_healthy(void **state)
{
	expect(zone(0, 0, NULL), "");
}

static void test_no_tcp(void **state)
{
	expect(zone(LDNS_RR_TYPE_SOA, TR_TCP, &timeout), "NS_NO_TCP");
}

static void test_udp_timeout_is_unreachable(void **state)
{
	expect(zone(LDNS_RR_TYPE_SOA, TR_UDP, &timeout), "NS_UNREACHABLE");
}

/* A local error (no route from this host) says nothing about the server. */
static void test_neterr_is_not_held_against_server(void **state)
{
	expect(zone(LDNS_RR_TYPE_SOA, TR_UDP, &neterr), "");
}

static void test_servfail_is_lame(void **state)
{
	struct answer servfail = { .status = QS_OK,
				   .rcode = LDNS_RCODE_SERVFAIL };
	expect(zone(LDNS_RR_TYPE_SOA, TR_UDP, &servfail), "LAME_DELEGATION");
}

static void test_no_aa_is_lame(void **state)
{
	struct answer noaa = soa;
	noaa.aa = false;
	expect(zone(LDNS_RR_TYPE_SOA, TR_UDP, &noaa), "LAME_DELEGATION");
}

static void test_other_serial(void **state)
{
	struct answer older = { .status = QS_OK,
				.aa = true,
				.an = { "example. SOA ns1.example. h.example. "
					"6 3600 600 86400 300" } };
	/* Over UDP the older copy; over TCP (not compared) the same. */
	expect(zone(LDNS_RR_TYPE_SOA, TR_UDP, &older), "SOA_SERIAL_MISMATCH");
}

static void test_ns_rrset_differs(void **state)
{
	struct answer other = { .status = QS_OK,
				.aa = true,
				.an = { "example. NS ns1.example.", "example. "
								    "NS "
								    "ns3."
								    "example"
								    "." } };
	/* ns3 appears in the zone's NS set: it has no address at all. */
	expect(zone(LDNS_RR_TYPE_NS, TR_UDP, &other), "DELEGATION_NS_MISMATCH "
						      "NS_NAME_UNRESOLVABLE "
						      "NS_RRSET_INCONSISTENT");
}

static void test_expected_ns(void **state)
{
	struct evidence *ev = zone(0, 0, NULL);
	assert_int_equal(evidence_add_expect_ns(ev, "ns1.example."), 0);
	assert_int_equal(evidence_add_expect_ns(ev, "ns9.example."), 0);
	expect(ev, "EXPECTED_NS_MISMATCH NS_NAME_UNRESOLVABLE");
}

static void test_expected_ns_equal(void **state)
{
	struct evidence *ev = zone(0, 0, NULL);
	assert_int_equal(evidence_add_expect_ns(ev, "ns2.example."), 0);
	assert_int_equal(evidence_add_expect_ns(ev, "ns1.example."), 0);
	expect(ev, "");
}

static void test_nxdomain_at_parent(void **state)
{
	struct evidence *ev = evidence_new("nope.", 1700000000);
	struct answer nx = { .status = QS_OK,
			     .rcode = LDNS_RCODE_NXDOMAIN,
			     .aa = true,
			     .au = { ". SOA a.root. h.root. 1 1800 900 604800 "
				     "86400" } };
	fake_add(ev, EV_WALK, ".", "a.root.", "10.0.0.1", "nope.",
		 LDNS_RR_TYPE_NS, TR_UDP, &nx);
	expect(ev, "DOMAIN_NOT_DELEGATED");
}

static const struct answer nx_example = { .status = QS_OK,
					  .rcode = LDNS_RCODE_NXDOMAIN,
					  .aa = true,
					  .au = { "example. SOA ns1.example. "
						  "h.example. 7 3600 600 86400 "
						  "300" } };

/* A TLD's servers say NXDOMAIN: the registry does not delegate the name. */
static void test_nxdomain_at_tld(void **state)
{
	struct evidence *ev = evidence_new("nothere.example.", 1700000000);
	fake_add(ev, EV_WALK, ".", "a.root.", "10.0.0.1", "nothere.example.",
		 LDNS_RR_TYPE_NS, TR_UDP, &referral);
	fake_add(ev, EV_WALK, "example.", "ns1.example.", "192.0.2.1",
		 "nothere.example.", LDNS_RR_TYPE_NS, TR_UDP, &nx_example);
	fake_add(ev, EV_WALK, "example.", "ns2.example.", "192.0.2.2",
		 "nothere.example.", LDNS_RR_TYPE_NS, TR_UDP, &nx_example);
	expect(ev, "DOMAIN_NOT_DELEGATED");
}

/* The servers of chal.example., a zone below the TLD, say NXDOMAIN for
 * api.chal.example.: a name of that zone without records, not a domain
 * the parent fails to delegate. The zone is diagnosed as for any name in
 * it. */
static void test_nxdomain_inside_zone(void **state)
{
	static const struct answer to_chal = {
		.status = QS_OK,
		.au = { "chal.example. NS ns1.chal.example.", "chal.example. "
							      "NS "
							      "ns2.chal."
							      "example." },
		.ad = { "ns1.chal.example. A 192.0.2.11", "ns2.chal.example. A "
							  "192.0.2.12" }
	};
	static const struct answer nx = { .status = QS_OK,
					  .rcode = LDNS_RCODE_NXDOMAIN,
					  .aa = true,
					  .au = { "chal.example. SOA "
						  "ns1.chal.example. "
						  "h.example. 7 3600 600 86400 "
						  "300" } };
	static const struct answer csoa = { .status = QS_OK,
					    .aa = true,
					    .an = { "chal.example. SOA "
						    "ns1.chal.example. "
						    "h.example. 7 3600 600 "
						    "86400 300" } };
	static const struct answer cns = { .status = QS_OK,
					   .aa = true,
					   .an = { "chal.example. NS "
						   "ns1.chal.example.",
						   "chal.example. NS "
						   "ns2.chal.example." } };
	const char *names[] = { "ns1.chal.example.", "ns2.chal.example." };
	const char *addrs[] = { "192.0.2.11", "192.0.2.12" };
	const char *d = "api.chal.example.";
	struct evidence *ev = evidence_new(d, 1700000000);
	struct view v;

	fake_add(ev, EV_WALK, ".", "a.root.", "10.0.0.1", d, LDNS_RR_TYPE_NS,
		 TR_UDP, &referral);
	fake_add(ev, EV_WALK, "example.", "ns1.example.", "192.0.2.1", d,
		 LDNS_RR_TYPE_NS, TR_UDP, &to_chal);
	for (int i = 0; i < 2; i++) {
		struct answer a = { .status = QS_OK, .aa = true };
		char rr[64];
		snprintf(rr, sizeof(rr), "%s A %s", names[i], addrs[i]);
		a.an[0] = rr;
		fake_add(ev, EV_WALK, "chal.example.", names[i], addrs[i], d,
			 LDNS_RR_TYPE_NS, TR_UDP, &nx);
		fake_add(ev, EV_RESOLVE, "chal.example.", names[0], addrs[0],
			 names[i], LDNS_RR_TYPE_A, TR_UDP, &a);
		fake_add(ev, EV_AUTH, "chal.example.", names[i], addrs[i],
			 "chal.example.", LDNS_RR_TYPE_SOA, TR_UDP, &csoa);
		fake_add(ev, EV_AUTH, "chal.example.", names[i], addrs[i],
			 "chal.example.", LDNS_RR_TYPE_SOA, TR_TCP, &csoa);
		fake_add(ev, EV_AUTH, "chal.example.", names[i], addrs[i],
			 "chal.example.", LDNS_RR_TYPE_NS, TR_UDP, &cns);
	}
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(v.pstate, PS_DELEGATED);
	assert_string_equal(v.zone, "chal.example.");
	assert_string_equal(v.parent, "example.");
	assert_true(v.domain_inside_zone);
	assert_true(v.domain_nxdomain);
	view_deinit(&v);
	/* Were chal.example. a public suffix (co.uk.), the NXDOMAIN would be
	 * its registry's: not delegated. */
	ev->suffix_labels = 2;
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(v.pstate, PS_NXDOMAIN);
	view_deinit(&v);
	ev->suffix_labels = 1;
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(v.pstate, PS_DELEGATED);
	view_deinit(&v);
	expect(ev, "");
}

/* DNSKEY_ALGORITHM_DEPRECATED: the algorithms of the keys ns1 serves,
 * judged alone (no DS, no signatures needed). */
static char *key_alg_finding(const char *key1, const char *key2)
{
	struct evidence *ev = zone(0, 0, NULL);
	struct answer keys = { .status = QS_OK,
			       .aa = true,
			       .an = { key1, key2 } };
	fake_add(ev, EV_DNSSEC, "example.", "ns1.example.", "192.0.2.1",
		 "example.", LDNS_RR_TYPE_DNSKEY, TR_UDP, &keys);
	struct view v;
	struct findings fs;
	findings_init(&fs);
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(check_dnskey_algorithms(&v, 1700000000, &fs), 0);
	char *out = fs.n ? json_dumps(json_object_get(fs.v[0].evidence, "algori"
									"thms"),
				      JSON_COMPACT)
			 : strdup("");
	findings_deinit(&fs);
	view_deinit(&v);
	evidence_free(ev);
	return out;
}

static void test_unassigned_key_algorithm(void **state)
{
	char *got = key_alg_finding("example. DNSKEY 257 3 100 AwEAAQ==",
				    "example. DNSKEY 257 3 13 "
				    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
				    "AA"
				    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
				    "==");
	assert_string_equal(got, "[100]");
	free(got);
	/* 17 (SM2SM3) and 23 (ECC-GOST12) are assigned; 253 is private. */
	got = key_alg_finding("example. DNSKEY 257 3 17 AwEAAQ==", "example. "
								   "DNSKEY 257 "
								   "3 253 "
								   "AwEAAQ==");
	assert_string_equal(got, "");
	free(got);
	got = key_alg_finding("example. DNSKEY 257 3 5 AwEAAQ==", "example. "
								  "DNSKEY 257 "
								  "3 0 "
								  "AwEAAQ==");
	assert_string_equal(got, "[0,5]");
	free(got);
}

static void test_verdict_names_fix(void **state)
{
	struct evidence *ev = zone(0, 0, NULL);
	struct view v;
	struct findings fs;
	char *summary, *fix;
	findings_init(&fs);
	assert_int_equal(evidence_add_expect_ns(ev, "ns9.example."), 0);
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(checks_run(&v, 1700000000, &fs), 0);
	assert_int_equal(verdict_build(&v, &fs, &summary, &fix), 0);
	assert_non_null(strstr(summary, "ns9.example."));
	assert_non_null(strstr(fix, "exactly: ns9.example "));
	free(summary);
	free(fix);
	findings_deinit(&fs);
	view_deinit(&v);
	evidence_free(ev);
}

/* --- name-server behaviour (checks_behaviour.c) --- */

/* How one behaviour answer departs from the right one. */
struct bans {
	int status;	 /* QS_OK unless set */
	int rcode;	 /* full (extended) RCODE */
	bool no_aa, soa; /* answer without AA; carry the SOA */
	bool lower;	 /* the question in lower case (case not kept) */
	bool edns;	 /* carry an OPT record */
	uint16_t z;	 /* its flags */
	bool opt137;	 /* and echo option 137 */
	uint32_t serial; /* the SOA's serial (7 when 0) */
	bool short_wire; /* five octets of garbage instead */
};

/* Adds the behaviour exchange (QTYPE, TR, QFLAGS) of ns2 built from B. */
static void bx_add(struct evidence *ev, uint16_t qtype, int tr, unsigned qflags,
		   const struct bans *b)
{
	struct ev_exchange x = { .role = EV_BEHAVIOUR,
				 .transport = tr,
				 .status = b->status ? b->status : QS_OK,
				 .qtype = qtype,
				 .qflags = qflags | EV_QF_EDNS,
				 .zone = "example.",
				 .server = "ns2.example.",
				 .addr = "192.0.2.2",
				 .qname = "example." };
	uint8_t *wire = NULL;
	size_t len = 0;
	if (x.status == QS_OK) {
		ldns_pkt *pkt = NULL;
		const char *q = (qflags & EV_QF_CASE) && !b->lower ? "ExAmPlE."
								   : "example.";
		assert_int_equal(ldns_pkt_query_new_frm_str(
					 &pkt, q, qtype, LDNS_RR_CLASS_IN, 0),
				 LDNS_STATUS_OK);
		ldns_pkt_set_qr(pkt, true);
		ldns_pkt_set_aa(pkt, !b->no_aa && b->rcode == 0);
		ldns_pkt_set_rcode(pkt, (uint8_t)(b->rcode & 15));
		if (b->edns || b->rcode > 15) {
			ldns_pkt_set_edns_udp_size(pkt, 1232);
			ldns_pkt_set_edns_extended_rcode(
				pkt, (uint8_t)(b->rcode >> 4));
			ldns_pkt_set_edns_z(pkt, b->z);
		}
		if (b->opt137) {
			static const uint8_t o[] = { 0, 137, 0, 0 };
			ldns_pkt_set_edns_data(
				pkt,
				ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN,
						      sizeof(o), o));
		}
		if (b->soa) {
			char text[200];
			ldns_rr *rr = NULL;
			snprintf(text, sizeof(text),
				 "example. 3600 IN SOA ns1.example. h.example. "
				 "%u 3600 600 86400 300",
				 b->serial ? b->serial : 7);
			assert_int_equal(ldns_rr_new_frm_str(&rr, text, 3600,
							     NULL, NULL),
					 LDNS_STATUS_OK);
			ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr);
		}
		assert_int_equal(ldns_pkt2wire(&wire, pkt, &len),
				 LDNS_STATUS_OK);
		ldns_pkt_free(pkt);
		if (b->short_wire)
			len = 5;
		x.wire = wire;
		x.wire_len = len;
	}
	assert_int_equal(evidence_add(ev, &x), 0);
	free(wire);
}

/* The zone, with ns2's behaviour answers all right but the one of
 * (QTYPE, QFLAGS), which is BAD when given. */
static struct evidence *behaving(uint16_t qtype, unsigned qflags,
				 const struct bans *bad)
{
	static const struct bans good = { .soa = true, .edns = true };
	static const struct bans badvers = { .rcode = 16, .edns = true };
	static const struct bans refused = { .rcode = LDNS_RCODE_REFUSED };
	static const struct bans nodata = { .edns = true };
	static const struct {
		uint16_t qtype;
		unsigned qflags;
		const struct bans *b;
	} q[] = {
		{ LDNS_RR_TYPE_SOA, 0, &good },
		{ LDNS_RR_TYPE_SOA, EV_QF_EDNS_V1, &badvers },
		{ LDNS_RR_TYPE_SOA, EV_QF_EDNS_OPT, &good },
		{ LDNS_RR_TYPE_SOA, EV_QF_EDNS_FLAG, &good },
		{ LDNS_RR_TYPE_SOA, EV_QF_CASE, &good },
		{ LDNS_RR_TYPE_AXFR, 0, &refused },
		{ LDNS_RR_TYPE_AAAA, 0, &nodata },
	};
	struct evidence *ev = zone(0, 0, NULL);
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		bx_add(ev, q[i].qtype,
		       q[i].qtype == LDNS_RR_TYPE_AXFR ? TR_TCP : TR_UDP,
		       q[i].qflags,
		       bad && q[i].qtype == qtype && q[i].qflags == qflags
			       ? bad
			       : q[i].b);
	return ev;
}

static void test_behaviour_healthy(void **state)
{
	expect(behaving(0, 0, NULL), "");
}

static void test_behaviour_edns_version(void **state)
{
	struct bans b = { .soa = true, .edns = true };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_V1, &b), "NS_EDNS_VERSION_"
							      "IGNORED");
	struct bans none = { .status = QS_TIMEOUT };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_V1, &none), "NS_EDNS_"
								 "VERSION_"
								 "IGNORED");
	/* BADVERS, but with the data too */
	struct bans both = { .rcode = 16, .edns = true, .soa = true };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_V1, &both), "NS_EDNS_"
								 "VERSION_"
								 "IGNORED");
}

static void test_behaviour_edns_option(void **state)
{
	struct bans echo = { .soa = true, .edns = true, .opt137 = true };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_OPT, &echo), "NS_EDNS_"
								  "UNKNOWN_"
								  "OPTION");
	struct bans formerr = { .rcode = LDNS_RCODE_FORMERR };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_OPT, &formerr), "NS_EDNS_"
								     "UNKNOWN_"
								     "OPTION");
}

static void test_behaviour_edns_flag(void **state)
{
	struct bans echo = { .soa = true,
			     .edns = true,
			     .z = WIRE_EDNS_UNKNOWN_FLAG };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_FLAG, &echo), "NS_EDNS_"
								   "UNKNOWN_"
								   "FLAG");
	struct bans noaa = { .soa = true, .edns = true, .no_aa = true };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_FLAG, &noaa), "NS_EDNS_"
								   "UNKNOWN_"
								   "FLAG");
}

static void test_behaviour_case(void **state)
{
	struct bans lower = { .soa = true, .edns = true, .lower = true };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_CASE, &lower), "NS_QNAME_CASE");
	struct bans other = { .soa = true, .edns = true, .serial = 8 };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_CASE, &other), "NS_QNAME_CASE");
	struct bans nx = { .rcode = LDNS_RCODE_NXDOMAIN };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_CASE, &nx), "NS_QNAME_CASE");
}

static void test_behaviour_axfr(void **state)
{
	struct bans open = { .soa = true };
	expect(behaving(LDNS_RR_TYPE_AXFR, 0, &open), "NS_AXFR_OPEN");
}

/* Zonemaster's Nameserver05: the apex AAAA dropped or refused. */
static void test_behaviour_aaaa(void **state)
{
	struct bans none = { .status = QS_TIMEOUT };
	expect(behaving(LDNS_RR_TYPE_AAAA, 0, &none), "NS_QUERY_TYPE_FAILS");
	struct bans servfail = { .rcode = LDNS_RCODE_SERVFAIL };
	expect(behaving(LDNS_RR_TYPE_AAAA, 0, &servfail), "NS_QUERY_TYPE_"
							  "FAILS");
}

/* The apex questions (all with DO) time out, the plain one answers. */
static void test_behaviour_drops_do(void **state)
{
	struct evidence *ev = evidence_new("example.", 1700000000);
	struct evidence *z = behaving(0, 0, NULL);
	for (size_t i = 0; i < z->n_ex; i++) {
		struct ev_exchange x = z->ex[i];
		if (x.role == EV_AUTH &&
		    strcmp(x.server, "ns2.example.") == 0 &&
		    x.qtype == LDNS_RR_TYPE_SOA) {
			x.status = QS_TIMEOUT;
			x.wire = NULL;
			x.wire_len = 0;
		}
		assert_int_equal(evidence_add(ev, &x), 0);
	}
	evidence_free(z);
	expect(ev, "NS_DROPS_DO");
}

/* Garbage and odd statuses in the behaviour answers never crash, and a
 * server that fails the plain question is judged elsewhere. */
static void test_behaviour_garbage(void **state)
{
	struct bans junk = { .soa = true, .short_wire = true };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_CASE, &junk), "NS_QNAME_CASE");
	expect(behaving(LDNS_RR_TYPE_AXFR, 0, &junk), "");
	struct bans mal = { .status = QS_MALFORMED };
	expect(behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_OPT, &mal), "NS_EDNS_"
								 "UNKNOWN_"
								 "OPTION");
	/* plain answer missing: no behaviour finding at all */
	expect(behaving(LDNS_RR_TYPE_SOA, 0, &junk), "");
}

/* The new qflags and role survive the evidence file. */
static void test_behaviour_json_round_trip(void **state)
{
	struct evidence *ev = behaving(LDNS_RR_TYPE_SOA, EV_QF_EDNS_V1,
				       &(struct bans){ .soa = true });
	json_t *j = evidence_to_json(ev);
	char err[200];
	assert_non_null(j);
	struct evidence *back = evidence_from_json(j, err, sizeof(err));
	assert_non_null(back);
	json_decref(j);
	assert_int_equal(back->n_ex, ev->n_ex);
	for (size_t i = 0; i < ev->n_ex; i++) {
		assert_int_equal(back->ex[i].role, ev->ex[i].role);
		assert_int_equal(back->ex[i].qflags, ev->ex[i].qflags);
	}
	evidence_free(ev);
	expect(back, "NS_EDNS_VERSION_IGNORED");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_behaviour_healthy),
		cmocka_unit_test(test_behaviour_edns_version),
		cmocka_unit_test(test_behaviour_edns_option),
		cmocka_unit_test(test_behaviour_edns_flag),
		cmocka_unit_test(test_behaviour_case),
		cmocka_unit_test(test_behaviour_axfr),
		cmocka_unit_test(test_behaviour_aaaa),
		cmocka_unit_test(test_behaviour_drops_do),
		cmocka_unit_test(test_behaviour_garbage),
		cmocka_unit_test(test_behaviour_json_round_trip),
		cmocka_unit_test(test_no_tcp),
		cmocka_unit_test(test_udp_timeout_is_unreachable),
		cmocka_unit_test(test_neterr_is_not_held_against_server),
		cmocka_unit_test(test_servfail_is_lame),
		cmocka_unit_test(test_no_aa_is_lame),
		cmocka_unit_test(test_other_serial),
		cmocka_unit_test(test_ns_rrset_differs),
		cmocka_unit_test(test_expected_ns),
		cmocka_unit_test(test_expected_ns_equal),
		cmocka_unit_test(test_nxdomain_at_parent),
		cmocka_unit_test(test_nxdomain_at_tld),
		cmocka_unit_test(test_nxdomain_inside_zone),
		cmocka_unit_test(test_verdict_names_fix),
		cmocka_unit_test(test_unassigned_key_algorithm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
