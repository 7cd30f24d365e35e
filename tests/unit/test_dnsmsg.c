/* Names compared in wire form (struct dmsg_key) against names compared as
 * printed text, the way dnsmsg.c compared them before: on ordinary names
 * and on hostile ones (dots, spaces, backslashes, control and high octets
 * inside labels, upper case), every answer must be the same. The text way
 * is kept here, written as it was, as the oracle. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/wire.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Names as ldns reads them (escapes decoded, case kept). */
static const char *const hostile[] = {
	".",
	"example.",
	"Example.",
	"com.",
	"example.com.",
	"EXAMPLE.Com.",
	"www.example.com.",
	"b.example.com.",
	"a.b.example.com.",
	"a\\.b.example.com.",	  /* a dot inside a label */
	"x\\.a\\.b.example.com.", /* two */
	"\\..example.com.",	  /* a label that is only a dot */
	"a\\..example.com.",	  /* a label that ends in a dot */
	"sp\\032ace.example.com.",
	"back\\\\slash.example.com.",
	"x\\\\.example.com.", /* a label that ends in a backslash */
	"\\\\.example.com.",
	"x\\\\.b.example.com.",
	"ctl\\000\\007\\027\\031\\127.example.com.",
	"hi\\128\\255\\200.example.com.",
	"HI\\128\\255\\200.EXAMPLE.COM.",
	"semi\\;paren\\(\\).example.com.",
	"quote\"at@dollar$.example.com.",
	"tab\\009nl\\010.example.com.",
	"\\000\\001\\002\\003\\004\\005\\006\\007.", /* 4 characters an octet */
	"example\\.com.",
	"com\\.",
	"_acme-challenge.www.example.com.",
	"_ACME-Challenge.WWW.example.com.",
};

/* Texts looked for that no name prints as: they must equal nothing. */
static const char *const odd_texts[] = {
	"Example.com.",
	"example.com",
	"www.example.com",
	"\\101.com.",
	"\\097.com.",
	"a\\046b.example.com.",
	"\\a.com.",
	"a\\ b.com.",
	"quote\\\".example.com.",
	"a..b.",
	"..",
	"",
	"\\256.com.",
	"a\\1.b.",
	"a\\12.b.",
	"sp ace.com.",
	"x\\092.com.",
	"semi;.com.",
	"\\.",
	"com\\",
	"COM.",
	"ctl\\7.com.",
	"hi\\u00ff.com.",
	"example.com..",
	".example.com.",
	"a\\000.com",
};

static ldns_rdf *name_rdf(const char *s)
{
	ldns_rdf *r = ldns_dname_new_frm_str(s);
	assert_non_null(r);
	return r;
}

/* The longest names: 255 octets, labels of 63. */
static ldns_rdf *long_name(char fill, bool upper)
{
	char s[300];
	size_t n = 0;
	for (int l = 0; l < 4; l++) {
		int len = l < 3 ? 63 : 61;
		for (int i = 0; i < len; i++)
			s[n++] = upper && i == 0 ? (char)(fill - 32) : fill;
		s[n++] = '.';
	}
	s[n] = '\0';
	ldns_rdf *r = name_rdf(s);
	assert_int_equal(ldns_rdf_size(r), 255);
	return r;
}

struct names {
	ldns_rdf *rdf[N_OF(hostile) + 3];
	char *text[N_OF(hostile) + 3]; /* as dmsg_name prints them */
	size_t n;
};

static void names_init(struct names *ns)
{
	ns->n = 0;
	for (size_t i = 0; i < N_OF(hostile); i++)
		ns->rdf[ns->n++] = name_rdf(hostile[i]);
	ns->rdf[ns->n++] = long_name('a', false);
	ns->rdf[ns->n++] = long_name('a', true);
	ns->rdf[ns->n++] = long_name('b', false);
	for (size_t i = 0; i < ns->n; i++) {
		ns->text[i] = dmsg_name(ns->rdf[i]);
		assert_non_null(ns->text[i]);
	}
}

static void names_deinit(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		ldns_rdf_deep_free(ns->rdf[i]);
		free(ns->text[i]);
	}
}

/* --- the text way, as dnsmsg.c had it --- */

static bool text_owner_is(const ldns_rdf *owner, const char *name)
{
	char *o = dmsg_name(owner);
	bool eq = o && strcmp(o, name) == 0;
	free(o);
	return eq;
}

static bool text_referral_cut(const ldns_pkt *pkt, const char *qname, char *cut,
			      size_t cutlen)
{
	const ldns_rr_list *au = ldns_pkt_authority(pkt);
	int best = -1;
	for (size_t i = 0; i < ldns_rr_list_rr_count(au); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(au, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS)
			continue;
		char *o = dmsg_name(ldns_rr_owner(rr));
		if (o && dname_in(qname, o) && dname_labels(o) > best &&
		    strlen(o) < cutlen) {
			best = dname_labels(o);
			snprintf(cut, cutlen, "%s", o);
		}
		free(o);
	}
	return best >= 0;
}

static enum resp_kind text_classify(const ldns_pkt *pkt, const char *qname,
				    uint16_t qtype, char *cut, size_t cutlen)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	bool aa = ldns_pkt_aa(pkt);
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if ((t == qtype || t == LDNS_RR_TYPE_CNAME) &&
		    text_owner_is(ldns_rr_owner(rr), qname))
			return aa ? RK_ANSWER : RK_NOTAUTH;
	}
	if (!aa && text_referral_cut(pkt, qname, cut, cutlen))
		return RK_REFERRAL;
	return aa ? RK_NODATA : RK_NOTAUTH;
}

/* --- packets --- */

static ldns_rr *record(const ldns_rdf *owner, ldns_rr_type type, ldns_rdf *data)
{
	ldns_rr *rr = ldns_rr_new();
	assert_non_null(rr);
	ldns_rr_set_owner(rr, ldns_rdf_clone(owner));
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, 300);
	assert_true(ldns_rr_push_rdf(rr, data));
	return rr;
}

static ldns_rr *ns_record(const ldns_rdf *owner, const char *target)
{
	return record(owner, LDNS_RR_TYPE_NS, name_rdf(target));
}

static ldns_pkt *packet(bool aa)
{
	ldns_pkt *p = ldns_pkt_new();
	assert_non_null(p);
	ldns_pkt_set_aa(p, aa);
	ldns_pkt_set_rcode(p, LDNS_RCODE_NOERROR);
	return p;
}

/* A printed name made into a key is the name, in wire form and lower
 * case, for every octet value at the start, inside and at the end of a
 * label: dmsg_name's printing and dmsg_key_init's reading agree. */
static void test_key_every_octet(void **state)
{
	for (int c = 0; c < 256; c++) {
		for (int pos = 0; pos < 3; pos++) {
			uint8_t w[16] = {
				3, 'x', 'Y', 'z', 3, 'c', 'o', 'm', 0
			};
			w[1 + pos] = (uint8_t)c;
			ldns_rdf *r = ldns_dname_new_frm_data(9, w);
			assert_non_null(r);
			char *t = dmsg_name(r);
			assert_non_null(t);
			struct dmsg_key k;
			assert_true(dmsg_key_init(&k, t));
			assert_int_equal(k.len, 9);
			for (int i = 0; i < 9; i++) {
				uint8_t e = w[i] >= 'A' && w[i] <= 'Z'
						    ? (uint8_t)(w[i] + 32)
						    : w[i];
				assert_int_equal(k.wire[i], e);
			}
			assert_true(dmsg_key_is(&k, r));
			struct dmsg_key kr;
			dmsg_key_from_rdf(&kr, r);
			assert_int_equal(kr.len, 9);
			assert_memory_equal(kr.wire, k.wire, 9);
			assert_true(dmsg_key_is(&kr, r));
			free(t);
			ldns_rdf_deep_free(r);
		}
	}
}

/* Equality: a key made of the printed text of A equals B exactly when the
 * printed texts of A and B are the same string, for every pair of names;
 * so does a key made of A itself. */
static void test_key_is_agrees_with_text(void **state)
{
	struct names ns;
	names_init(&ns);
	for (size_t a = 0; a < ns.n; a++) {
		struct dmsg_key k, kr;
		assert_true(dmsg_key_init(&k, ns.text[a]));
		dmsg_key_from_rdf(&kr, ns.rdf[a]);
		for (size_t b = 0; b < ns.n; b++) {
			bool text = strcmp(ns.text[a], ns.text[b]) == 0;
			assert_int_equal(dmsg_key_is(&k, ns.rdf[b]), text);
			assert_int_equal(dmsg_key_is(&kr, ns.rdf[b]), text);
			ldns_rr *rr = ns_record(ns.rdf[b], "ns.example.");
			assert_int_equal(dmsg_owner_is(rr, ns.text[a]), text);
			ldns_rr_free(rr);
		}
	}
	names_deinit(&ns);
}

/* A text no name prints as: no key (it equals no name, as no printed name
 * equalled it), whether ldns could read it as a name or not. */
static void test_key_odd_texts(void **state)
{
	struct names ns;
	names_init(&ns);
	for (size_t i = 0; i < N_OF(odd_texts); i++) {
		const char *t = odd_texts[i];
		struct dmsg_key k;
		ldns_rdf *r = ldns_dname_new_frm_str(t);
		char *p = r ? dmsg_name(r) : NULL;
		bool printed = p && strcmp(p, t) == 0;
		if (printed)
			fail_msg("%s is printed", t);
		assert_false(dmsg_key_init(&k, t));
		for (size_t b = 0; b < ns.n; b++) {
			assert_false(dmsg_key_is(&k, ns.rdf[b]));
			assert_false(dmsg_key_in(&k, ns.rdf[b]));
			assert_false(text_owner_is(ns.rdf[b], t));
		}
		free(p);
		ldns_rdf_deep_free(r);
	}
	struct dmsg_key k;
	assert_false(dmsg_key_init(&k, NULL));
	names_deinit(&ns);
}

/* True when the text tests dname_in/dname_labels are wrong about the
 * printed form of a name: a dot inside a label, or a label ending in a
 * backslash. */
static bool text_tests_wrong(const ldns_rdf *r)
{
	const uint8_t *w = ldns_rdf_data(r);
	for (size_t i = 0; w[i]; i += w[i] + 1)
		if (memchr(w + i + 1, '.', w[i]) || w[i + w[i]] == '\\')
			return true;
	return false;
}

/* Ancestry: dmsg_key_in says what dname_in says of the printed names
 * wherever dname_in is right; where it is not (hostile names), the two
 * differ, and dmsg_classify (below) takes the text way for them. */
static void test_key_in_agrees_with_text(void **state)
{
	struct names ns;
	int wrong = 0;
	names_init(&ns);
	for (size_t q = 0; q < ns.n; q++) {
		struct dmsg_key k;
		assert_true(dmsg_key_init(&k, ns.text[q]));
		for (size_t z = 0; z < ns.n; z++) {
			bool text = dname_in(ns.text[q], ns.text[z]);
			bool wire = dmsg_key_in(&k, ns.rdf[z]);
			if (text_tests_wrong(ns.rdf[q]) ||
			    text_tests_wrong(ns.rdf[z])) {
				wrong += text != wire;
				continue;
			}
			assert_int_equal(wire, text);
			assert_int_equal(ldns_dname_label_count(ns.rdf[z]),
					 dname_labels(ns.text[z]));
		}
	}
	/* "x\.a\.b.example.com." is not below "b.example.com.", whatever
	 * dname_in says: the corner exists, and the wire way is right. */
	assert_true(wrong > 0);
	assert_false(dname_in("x.example.com.", "a\\.b.example.com."));
	names_deinit(&ns);
}

static void expect_same_classify_in(const ldns_pkt *pkt, const char *qname,
				    uint16_t qtype, size_t cutlen)
{
	char cut_t[DMSG_NAME_MAX] = "", cut_w[DMSG_NAME_MAX] = "";
	enum resp_kind t = text_classify(pkt, qname, qtype, cut_t, cutlen);
	enum resp_kind w = dmsg_classify(pkt, qname, qtype, cut_w, cutlen);
	assert_int_equal(w, t);
	if (t == RK_REFERRAL)
		assert_string_equal(cut_w, cut_t);
}

static void expect_same_classify(const ldns_pkt *pkt, const char *qname,
				 uint16_t qtype)
{
	expect_same_classify_in(pkt, qname, qtype, 256);
}

/* dmsg_classify gives what the text way gave, cut included, for every
 * question name (printed names and odd texts) against referrals from
 * every name and every pair of names, and answers owned by every name. */
static void test_classify_agrees_with_text(void **state)
{
	struct names ns;
	names_init(&ns);
	const char *qs[N_OF(hostile) + 3 + N_OF(odd_texts)];
	size_t nq = 0;
	for (size_t i = 0; i < ns.n; i++)
		qs[nq++] = ns.text[i];
	for (size_t i = 0; i < N_OF(odd_texts); i++)
		qs[nq++] = odd_texts[i];
	for (size_t a = 0; a < ns.n; a++) {
		for (size_t b = a; b < ns.n; b++) {
			ldns_pkt *ref = packet(false);
			ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
					 ns_record(ns.rdf[a], "ns1.example."));
			if (b != a)
				ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
						 ns_record(ns.rdf[b], "ns2."
								      "example"
								      "."));
			for (size_t q = 0; q < nq; q++)
				expect_same_classify(ref, qs[q],
						     LDNS_RR_TYPE_A);
			ldns_pkt_free(ref);
		}
		ldns_pkt *ans = packet(true);
		ldns_pkt_push_rr(ans, LDNS_SECTION_ANSWER,
				 record(ns.rdf[a], LDNS_RR_TYPE_A,
					ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A,
							     "192.0.2."
							     "1")));
		for (size_t q = 0; q < nq; q++) {
			expect_same_classify(ans, qs[q], LDNS_RR_TYPE_A);
			expect_same_classify(ans, qs[q], LDNS_RR_TYPE_AAAA);
		}
		ldns_pkt_free(ans);
	}
	/* A cut is taken only if its text fits the caller's buffer: at the
	 * edge, for every name below the root. */
	for (size_t a = 0; a < ns.n; a++) {
		ldns_pkt *ref = packet(false);
		ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
				 ns_record(ns.rdf[a], "ns1.example."));
		ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
				 ns_record(ns.rdf[0], "ns2.example."));
		size_t t = strlen(ns.text[a]),
		       s4 = 4 * ldns_rdf_size(ns.rdf[a]);
		size_t lens[] = { 1, 2, t - 1, t, t + 1, s4 - 1, s4, s4 + 1 };
		for (size_t l = 0; l < N_OF(lens); l++)
			if (lens[l] >= 1 && lens[l] <= DMSG_NAME_MAX)
				expect_same_classify_in(ref, ns.text[a],
							LDNS_RR_TYPE_A,
							lens[l]);
		ldns_pkt_free(ref);
	}
	/* A cut whose text does not fit the caller's buffer is not taken. */
	ldns_pkt *ref = packet(false);
	ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
			 ns_record(ns.rdf[N_OF(hostile)], "ns.example."));
	ldns_pkt_push_rr(ref, LDNS_SECTION_AUTHORITY,
			 ns_record(ns.rdf[0], "ns.example."));
	char small_t[16], small_w[16];
	const char *q = ns.text[N_OF(hostile)];
	assert_int_equal(text_classify(ref, q, 1, small_t, sizeof(small_t)),
			 RK_REFERRAL);
	assert_int_equal(dmsg_classify(ref, q, 1, small_w, sizeof(small_w)),
			 RK_REFERRAL);
	assert_string_equal(small_w, ".");
	assert_string_equal(small_t, ".");
	ldns_pkt_free(ref);
	names_deinit(&ns);
}

/* Targets, addresses and serials of an owner, its case and hostile octets
 * as above; addresses printed without the heap read as ldns prints them. */
static void test_sections(void **state)
{
	ldns_rdf *owner = name_rdf("Sp\\032Ace\\.X.Example.");
	ldns_rdf *other = name_rdf("sp\\032ace.x.example.");
	ldns_pkt *p = packet(true);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER,
			 ns_record(owner, "NS1.Target\\.Odd\\000.example."));
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER,
			 ns_record(other, "ns2.example."));
	const char *addrs[] = { "192.0.2.1", "2001:db8::1",
				"2001:db8:ffff:ffff:ffff:ffff:255.255.255.255",
				"::" };
	for (size_t i = 0; i < N_OF(addrs); i++)
		ldns_pkt_push_rr(
			p, LDNS_SECTION_ADDITIONAL,
			record(owner, i ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A,
			       ldns_rdf_new_frm_str(i ? LDNS_RDF_TYPE_AAAA
						      : LDNS_RDF_TYPE_A,
						    addrs[i])));
	ldns_rr *soa = NULL;
	assert_int_equal(ldns_rr_new_frm_str(&soa,
					     "sp\\032ace\\.x.example. 300 IN "
					     "SOA a. b. 42 1 2 3 4",
					     0, NULL, NULL),
			 LDNS_STATUS_OK);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, soa);

	const char *name = "sp\\032ace\\.x.example.";
	struct strset t, a;
	strset_init(&t);
	strset_init(&a);
	assert_int_equal(dmsg_targets(p, LDNS_SECTION_ANSWER, name,
				      LDNS_RR_TYPE_NS, &t),
			 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0], "ns1.target\\.odd\\000.example.");
	/* Again, into a set that holds the target, and texts no name prints
	 * as: only those stay apart. */
	assert_int_equal(strset_add(&t, "NS1.target\\.odd\\000.example."), 0);
	assert_int_equal(strset_add(&t, "ns1.target\\.odd\\000.example"), 0);
	assert_int_equal(dmsg_targets(p, LDNS_SECTION_ANSWER, name,
				      LDNS_RR_TYPE_NS, &t),
			 0);
	assert_int_equal(t.n, 3);
	strset_deinit(&t);
	strset_init(&t);
	assert_int_equal(strset_add(&t, "ns1.target\\.odd\\000.example"), 0);
	assert_int_equal(dmsg_targets(p, LDNS_SECTION_ANSWER, name,
				      LDNS_RR_TYPE_NS, &t),
			 0);
	assert_int_equal(t.n, 2);
	assert_true(strset_has(&t, "ns1.target\\.odd\\000.example."));
	struct dmsg_key k;
	assert_true(dmsg_key_init(&k, name));
	assert_true(
		dmsg_has_targets(p, LDNS_SECTION_ANSWER, &k, LDNS_RR_TYPE_NS));
	assert_false(dmsg_has_targets(p, LDNS_SECTION_ANSWER, &k,
				      LDNS_RR_TYPE_CNAME));
	assert_false(dmsg_has_targets(p, LDNS_SECTION_ADDITIONAL, &k,
				      LDNS_RR_TYPE_NS));
	assert_int_equal(dmsg_addrs(p, LDNS_SECTION_ADDITIONAL, name, &a), 0);
	assert_int_equal(a.n, N_OF(addrs));
	const ldns_rr_list *ad = ldns_pkt_additional(p);
	for (size_t i = 0; i < N_OF(addrs); i++) {
		char *s = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(ad, i), 0));
		assert_true(strset_has(&a, s));
		free(s);
	}
	uint32_t serial = 0;
	assert_int_equal(dmsg_soa_serial(p, name, &serial), 0);
	assert_int_equal(serial, 42);
	assert_int_equal(dmsg_soa_serial(p, "SP\\032ace\\.x.example.", &serial),
			 -ENOENT);
	strset_deinit(&t);
	strset_deinit(&a);
	ldns_pkt_free(p);
	ldns_rdf_deep_free(owner);
	ldns_rdf_deep_free(other);
}

/* An IPv4 address is printed by dnsdoctor (dnsmsg.c says why): as
 * inet_ntop prints it, for every octet value in every position. */
static void test_ipv4_text_is_inet_ntop(void **state)
{
	(void)state;
	ldns_pkt *p = ldns_pkt_new();
	ldns_rdf *owner = ldns_dname_new_frm_str("a.example.");
	assert_non_null(p);
	for (unsigned v = 0; v < 256; v++) {
		uint8_t b[4] = { (uint8_t)v, (uint8_t)(255 - v),
				 (uint8_t)(v * 7), (uint8_t)(v / 3) };
		ldns_rr *rr = ldns_rr_new();
		ldns_rr_set_owner(rr, ldns_rdf_clone(owner));
		ldns_rr_set_type(rr, LDNS_RR_TYPE_A);
		ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_A, 4,
							   b));
		ldns_pkt_push_rr(p, LDNS_SECTION_ADDITIONAL, rr);
	}
	struct strset got;
	strset_init(&got);
	assert_int_equal(dmsg_addrs(p, LDNS_SECTION_ADDITIONAL, "a.example.",
				    &got),
			 0);
	const ldns_rr_list *ad = ldns_pkt_additional(p);
	assert_int_equal(got.n, ldns_rr_list_rr_count(ad));
	for (size_t i = 0; i < ldns_rr_list_rr_count(ad); i++) {
		char want[INET_ADDRSTRLEN];
		assert_non_null(inet_ntop(
			AF_INET,
			ldns_rdf_data(ldns_rr_rdf(ldns_rr_list_rr(ad, i), 0)),
			want, sizeof(want)));
		assert_true(strset_has(&got, want));
	}
	strset_deinit(&got);
	ldns_rdf_deep_free(owner);
	ldns_pkt_free(p);
}

/* ldns' own text of RDF, lower-cased: the oracle dmsg_name_to must equal. */
static void ldns_text(const ldns_rdf *rdf, char *out, size_t cap)
{
	ldns_buffer *b = ldns_buffer_new(1100);
	assert_non_null(b);
	assert_int_equal(ldns_rdf2buffer_str(b, rdf), LDNS_STATUS_OK);
	size_t n = ldns_buffer_position(b);
	assert_true(n < cap);
	memcpy(out, ldns_buffer_begin(b), n);
	out[n] = '\0';
	for (char *c = out; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	ldns_buffer_free(b);
}

static void name_text_agrees(const uint8_t *wire, size_t len)
{
	char want[1100], got[1100];
	ldns_rdf *rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, len, wire);
	assert_non_null(rdf);
	ldns_text(rdf, want, sizeof(want));
	assert_int_equal(dmsg_name_to(rdf, got, sizeof(got)), 0);
	assert_string_equal(got, want);
	ldns_rdf_deep_free(rdf);
}

/* The text of a name is written by dnsdoctor, not ldns (wire.c says why):
 * it must be ldns' text, lower-cased, for the root, for every octet value
 * in a label, and for random names up to 255 octets (fixed seed). */
static void test_name_text_is_ldns_text(void **state)
{
	(void)state;
	uint8_t w[WIRE_NAME_MAX];
	w[0] = 0;
	name_text_agrees(w, 1);
	for (unsigned c = 0; c < 256; c++) {
		uint8_t one[] = { 3, 'a', (uint8_t)c, 'Z', 2, 'c', 'o', 0 };
		name_text_agrees(one, sizeof(one));
	}
	srand(15);
	for (int k = 0; k < 2000; k++) {
		size_t n = 0, cap = 1 + (size_t)rand() % WIRE_NAME_MAX;
		while (n + 2 <= cap - 1) {
			size_t l = 1 + (size_t)rand() % 63;
			if (n + 1 + l > cap - 1)
				l = cap - 2 - n;
			w[n++] = (uint8_t)l;
			for (size_t i = 0; i < l; i++)
				w[n++] = (uint8_t)(k % 3 ? rand() % 256
							 : 'A' + rand() % 60);
		}
		w[n++] = 0;
		name_text_agrees(w, n);
	}
	/* Too small a buffer is an error, never a cut name. */
	char small[8];
	uint8_t longer[] = { 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0 };
	ldns_rdf *rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME,
					      sizeof(longer), longer);
	assert_int_equal(dmsg_name_to(rdf, small, sizeof(small)), -1);
	ldns_rdf_deep_free(rdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_every_octet),
		cmocka_unit_test(test_key_is_agrees_with_text),
		cmocka_unit_test(test_key_odd_texts),
		cmocka_unit_test(test_key_in_agrees_with_text),
		cmocka_unit_test(test_classify_agrees_with_text),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_name_text_is_ldns_text),
		cmocka_unit_test(test_ipv4_text_is_inet_ntop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
