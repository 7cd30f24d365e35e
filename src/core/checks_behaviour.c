/* Name-server behaviour clients trip on (EV_BEHAVIOUR questions): EDNS
 * version 1 without BADVERS, unknown EDNS options and flags mishandled
 * (RFC 6891 6.1.2-6.1.4, 6.2.6), queries with the DO bit dropped, answers
 * that depend on the case of the name (RFC 5452's 0x20), AXFR open to
 * anyone. Each address is judged against its own answer to the plain
 * question (the apex SOA with EDNS, no DO): a server that does not answer
 * that has findings of its own (NS_UNREACHABLE, LAME_DELEGATION,
 * NS_EDNS_INTOLERANT). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core/checks.h"
#include "core/dnsmsg.h"
#include "core/qstatus.h"
#include "core/wire.h"

#define RCODE_BADVERS 16
#define EDNS_DO	      0x8000

/* The behaviour exchanges of one address, NULL where not asked. */
struct bq {
	const struct ev_exchange *plain, *v1, *opt, *flag, *mixed, *axfr;
	const ldns_pkt *plain_pkt, *v1_pkt, *opt_pkt, *flag_pkt, *mixed_pkt,
		*axfr_pkt;
};

static void bq_collect(const struct view *v, const char *server,
		       const char *addr, struct bq *b)
{
	const struct evidence *ev = v->ev;
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != EV_BEHAVIOUR || strcmp(x->zone, v->zone) ||
		    strcmp(x->qname, v->zone) || strcmp(x->server, server) ||
		    strcmp(x->addr, addr))
			continue;
		const struct ev_exchange **slot = NULL;
		const ldns_pkt **pkt = NULL;
		unsigned f = x->qflags & ~(unsigned)EV_QF_EDNS;
		if (x->qtype == LDNS_RR_TYPE_AXFR) {
			slot = &b->axfr;
			pkt = &b->axfr_pkt;
		} else if (x->qtype != LDNS_RR_TYPE_SOA) {
			continue;
		} else if (f == 0) {
			slot = &b->plain;
			pkt = &b->plain_pkt;
		} else if (f == EV_QF_EDNS_V1) {
			slot = &b->v1;
			pkt = &b->v1_pkt;
		} else if (f == EV_QF_EDNS_OPT) {
			slot = &b->opt;
			pkt = &b->opt_pkt;
		} else if (f == EV_QF_EDNS_FLAG) {
			slot = &b->flag;
			pkt = &b->flag_pkt;
		} else if (f == EV_QF_CASE) {
			slot = &b->mixed;
			pkt = &b->mixed_pkt;
		} else {
			continue;
		}
		*slot = x;
		*pkt = x->status == QS_OK ? view_pkt(v, i) : NULL;
	}
}

/* Whether PKT is an authoritative SOA answer for the zone: what every
 * variant of the question should still get. */
static bool soa_answer(const struct view *v, const ldns_pkt *pkt)
{
	return pkt && ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR &&
	       ldns_pkt_edns_extended_rcode(pkt) == 0 &&
	       dmsg_classify(pkt, v->zone, LDNS_RR_TYPE_SOA, NULL, 0) ==
		       RK_ANSWER;
}

/* What came back instead of X's due answer, in a few words (static or
 * BUF). */
static const char *got(const struct ev_exchange *x, const ldns_pkt *pkt,
		       char *buf, size_t len)
{
	if (!x)
		return "nothing";
	if (x->status != QS_OK)
		return x->status == QS_TIMEOUT ? "no answer"
					       : qstatus_name(x->status);
	if (!pkt)
		return "garbage";
	int rc = ldns_pkt_edns_extended_rcode(pkt) << 4 |
		 ldns_pkt_get_rcode(pkt);
	const ldns_lookup_table *t = ldns_lookup_by_id(ldns_rcodes, rc);
	if (rc == RCODE_BADVERS)
		snprintf(buf, len, "BADVERS");
	else if (t)
		snprintf(buf, len, "%s%s", t->name,
			 rc || ldns_pkt_aa(pkt) ? "" : " without AA");
	else
		snprintf(buf, len, "RCODE %d", rc);
	return buf;
}

/* Whether PKT's OPT record carries option CODE. */
static bool has_option(const ldns_pkt *pkt, uint16_t code)
{
	const ldns_rdf *d = ldns_pkt_edns_data(pkt);
	const uint8_t *p = d ? ldns_rdf_data(d) : NULL;
	size_t n = d ? ldns_rdf_size(d) : 0;
	for (size_t i = 0; p && i + 4 <= n;) {
		uint16_t c = (uint16_t)(p[i] << 8 | p[i + 1]);
		size_t l = (size_t)(p[i + 2] << 8 | p[i + 3]);
		if (c == code)
			return true;
		i += 4 + l;
	}
	return false;
}

static int add(struct findings *out, int code, const char *server,
	       const char *addr, const char *answer, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int add(struct findings *out, int code, const char *server,
	       const char *addr, const char *answer, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return findings_add(out, code,
			    json_pack("{s:s, s:s, s:s}", "server", server,
				      "address", addr, "answer", answer),
			    NULL, "%s", text);
}

/* RFC 6891 6.1.3: a query of an EDNS version the server does not know
 * gets BADVERS, and nothing else. */
static int edns_version(const struct view *v, const char *srv, const char *addr,
			const struct bq *b, struct findings *out)
{
	char buf[64];
	const ldns_pkt *p = b->v1_pkt;
	if (!b->v1 || (p &&
		       (ldns_pkt_edns_extended_rcode(p) << 4 |
			ldns_pkt_get_rcode(p)) == RCODE_BADVERS &&
		       ldns_pkt_ancount(p) == 0))
		return 0;
	const char *what = got(b->v1, p, buf, sizeof(buf));
	if (p && ldns_pkt_ancount(p) > 0 && strcmp(what, "BADVERS") == 0)
		what = "BADVERS with an answer";
	return add(out, F_NS_EDNS_VERSION_IGNORED, srv, addr, what,
		   "%s (%s) answers a query of EDNS version 1 for %s with %s, "
		   "not BADVERS (RFC 6891 6.1.3): resolvers that try a newer "
		   "EDNS version cannot learn that this server lacks it.",
		   srv, addr, v->zone, what);
}

/* RFC 6891 6.1.2: an unknown option is ignored, and not echoed. */
static int edns_option(const struct view *v, const char *srv, const char *addr,
		       const struct bq *b, struct findings *out)
{
	char buf[64];
	if (!b->opt)
		return 0;
	bool echoed = b->opt_pkt &&
		      has_option(b->opt_pkt, WIRE_EDNS_UNKNOWN_OPTION);
	if (soa_answer(v, b->opt_pkt) && !echoed)
		return 0;
	const char *what = echoed ? "the unknown option echoed"
				  : got(b->opt, b->opt_pkt, buf, sizeof(buf));
	return add(out, F_NS_EDNS_UNKNOWN_OPTION, srv, addr, what,
		   "%s (%s) answers the SOA of %s asked with an unknown EDNS "
		   "option (code %d) with %s, where it must ignore the option "
		   "(RFC 6891 6.1.2): resolvers that send a new option (a "
		   "cookie, a padding, a client subnet) fail here.",
		   srv, addr, v->zone, WIRE_EDNS_UNKNOWN_OPTION, what);
}

/* RFC 6891 6.1.4: unknown EDNS flags are ignored, and cleared in the
 * answer. */
static int edns_flag(const struct view *v, const char *srv, const char *addr,
		     const struct bq *b, struct findings *out)
{
	char buf[64];
	if (!b->flag)
		return 0;
	bool echoed = b->flag_pkt &&
		      (ldns_pkt_edns_z(b->flag_pkt) & (uint16_t)~EDNS_DO) != 0;
	if (soa_answer(v, b->flag_pkt) && !echoed)
		return 0;
	const char *what = echoed ? "the unknown flag set in the answer"
				  : got(b->flag, b->flag_pkt, buf, sizeof(buf));
	return add(out, F_NS_EDNS_UNKNOWN_FLAG, srv, addr, what,
		   "%s (%s) answers the SOA of %s asked with an unknown EDNS "
		   "flag (0x%04x) with %s, where it must ignore the flag and "
		   "clear it (RFC 6891 6.1.4): resolvers that set a new flag "
		   "fail here.",
		   srv, addr, v->zone, WIRE_EDNS_UNKNOWN_FLAG, what);
}

/* The apex questions all carry DO; the plain one does not. */
static int drops_do(const struct view *v, const char *srv, const char *addr,
		    const struct view_addr *a, struct findings *out)
{
	if (!view_addr_drops_do(a))
		return 0;
	const char *what = view_probe_describe(&a->soa_udp);
	return add(out, F_NS_DROPS_DO, srv, addr, what,
		   "%s (%s) answers the SOA of %s without the DO bit, but %s "
		   "with it: every validating resolver sets DO, so they get "
		   "nothing from this server (and SERVFAIL when all servers "
		   "do this).",
		   srv, addr, v->zone, what);
}

/* The question's name in PKT's wire form, octet for octet (case kept):
 * its length, or 0 when it cannot be read. */
static size_t question_name(const struct ev_exchange *x, uint8_t *out,
			    size_t cap)
{
	size_t i = WIRE_HDR_LEN, n = 0;
	while (i < x->wire_len) {
		size_t l = x->wire[i];
		if (l > 63 || i + 1 + l > x->wire_len || n + 1 + l > cap)
			return 0; /* a pointer here is not a name we sent */
		memcpy(out + n, x->wire + i, l + 1);
		n += l + 1;
		i += l + 1;
		if (l == 0)
			return n;
	}
	return 0;
}

/* Whether two SOA answers carry the same data, names compared without
 * regard to case (a server may spell the owner as it was asked). */
static bool same_soa(const ldns_pkt *a, const ldns_pkt *b)
{
	if (ldns_pkt_get_rcode(a) != ldns_pkt_get_rcode(b) ||
	    ldns_pkt_aa(a) != ldns_pkt_aa(b))
		return false;
	ldns_rr_list *x = ldns_pkt_rr_list_by_type(a, LDNS_RR_TYPE_SOA,
						   LDNS_SECTION_ANSWER);
	ldns_rr_list *y = ldns_pkt_rr_list_by_type(b, LDNS_RR_TYPE_SOA,
						   LDNS_SECTION_ANSWER);
	bool same = (!x && !y) || (x && y && ldns_rr_list_rr_count(x) == 1 &&
				   ldns_rr_list_rr_count(y) == 1);
	if (same && x) {
		ldns_rr *p = ldns_rr_clone(ldns_rr_list_rr(x, 0));
		ldns_rr *q = ldns_rr_clone(ldns_rr_list_rr(y, 0));
		if (p && q) {
			ldns_rr2canonical(p);
			ldns_rr2canonical(q);
			same = ldns_rr_compare(p, q) == 0;
		}
		ldns_rr_free(p);
		ldns_rr_free(q);
	}
	ldns_rr_list_deep_free(x);
	ldns_rr_list_deep_free(y);
	return same;
}

/* 0x20: the answer's question spells the name as it was asked, and the
 * answer is the one the lower-case name gets. */
static int qname_case(const struct view *v, const char *srv, const char *addr,
		      const struct bq *b, struct findings *out)
{
	uint8_t want[WIRE_NAME_MAX], have[WIRE_NAME_MAX];
	const char *what = NULL;
	if (!b->mixed)
		return 0;
	int wl = wire_name_from_text(want, v->zone);
	if (wl < 0)
		return 0;
	wire_name_mix_case(want, (size_t)wl);
	if (!b->mixed_pkt) {
		what = b->mixed->status == QS_OK ? "garbage" : "no answer";
		if (!b->plain_pkt)
			what = NULL;
	} else if (!same_soa(b->plain_pkt, b->mixed_pkt)) {
		what = "another answer";
	} else {
		size_t hl = question_name(b->mixed, have, sizeof(have));
		if (hl != (size_t)wl || memcmp(want, have, hl) != 0)
			what = "an answer that does not keep the name's case";
	}
	if (!what)
		return 0;
	return add(out, F_NS_QNAME_CASE, srv, addr, what,
		   "%s (%s) gives %s when the SOA of %s is asked in mixed "
		   "case: resolvers that randomise the case of names (0x20, "
		   "against spoofing) drop such answers, or cache another "
		   "answer than the lower-case name gets.",
		   srv, addr, what, v->zone);
}

/* AXFR over TCP answered with the zone's SOA: the zone is open for anyone
 * to copy. */
static int axfr_open(const struct view *v, const char *srv, const char *addr,
		     const struct bq *b, struct findings *out)
{
	const ldns_pkt *p = b->axfr_pkt;
	if (!p || ldns_pkt_get_rcode(p) != LDNS_RCODE_NOERROR ||
	    ldns_pkt_ancount(p) == 0 ||
	    ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_answer(p), 0)) !=
		    LDNS_RR_TYPE_SOA)
		return 0;
	return add(out, F_NS_AXFR_OPEN, srv, addr, "zone transfer",
		   "%s (%s) hands the whole zone %s to anyone who asks for a "
		   "zone transfer (AXFR).",
		   srv, addr, v->zone);
}

int check_behaviour(const struct view *v, time_t now, struct findings *out)
{
	int rc = 0;
	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	for (size_t i = 0; rc == 0 && i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		if (!view_server_in_scope(s))
			continue;
		for (size_t j = 0; rc == 0 && j < s->n_addrs; j++) {
			const char *addr = s->addrs[j].addr;
			struct bq b;
			bq_collect(v, s->name, addr, &b);
			if (b.axfr &&
			    (rc = axfr_open(v, s->name, addr, &b, out)) < 0)
				break;
			if (!soa_answer(v, b.plain_pkt))
				continue;
			if ((rc = drops_do(v, s->name, addr, &s->addrs[j],
					   out)) < 0 ||
			    (rc = edns_version(v, s->name, addr, &b, out)) <
				    0 ||
			    (rc = edns_option(v, s->name, addr, &b, out)) < 0 ||
			    (rc = edns_flag(v, s->name, addr, &b, out)) < 0 ||
			    (rc = qname_case(v, s->name, addr, &b, out)) < 0)
				break;
		}
	}
	return rc < 0 ? rc : 0;
}
