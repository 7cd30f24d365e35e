#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/view_record.h"

#define CNAME_HOPS 8

/* Presentation of RR's data, all fields; lower case except TXT/SPF, whose
 * strings are the user's. NULL on ENOMEM. */
static char *rdata_text(const ldns_rr *rr)
{
	ldns_buffer *b = ldns_buffer_new(256);
	char *s = NULL;
	if (!b)
		return NULL;
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		if (i)
			ldns_buffer_printf(b, " ");
		ldns_rdf2buffer_str(b, ldns_rr_rdf(rr, i));
	}
	if (ldns_buffer_status_ok(b))
		s = ldns_buffer_export2str(b);
	ldns_buffer_free(b);
	ldns_rr_type t = ldns_rr_get_type(rr);
	for (char *p = s;
	     p && t != LDNS_RR_TYPE_TXT && t != LDNS_RR_TYPE_SPF && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* The CNAME target of NAME in the answer section, into OUT; false if none. */
static bool cname_of(const ldns_pkt *pkt, const char *name, char *out,
		     size_t len)
{
	ldns_rr_list *an = ldns_pkt_answer(pkt);
	struct dmsg_key k;
	dmsg_key_init(&k, name);
	for (size_t i = 0; an && i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_CNAME ||
		    !dmsg_key_is(&k, ldns_rr_owner(rr)) ||
		    ldns_rr_rd_count(rr) < 1)
			continue;
		char *t = dmsg_name(ldns_rr_rdf(rr, 0));
		bool ok = t && strlen(t) < len;
		if (ok)
			snprintf(out, len, "%s", t);
		free(t);
		return ok;
	}
	return false;
}

/* Negative TTL from the SOA in the authority section (RFC 2308 section 5:
 * the lesser of the SOA record's TTL and its MINIMUM field). */
static int64_t negative_ttl(const ldns_pkt *pkt)
{
	ldns_rr_list *au = ldns_pkt_authority(pkt);
	for (size_t i = 0; au && i < ldns_rr_list_rr_count(au); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(au, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) < 7)
			continue;
		int64_t ttl = ldns_rr_ttl(rr);
		int64_t min = ldns_rdf2native_int32(ldns_rr_rdf(rr, 6));
		return ttl < min ? ttl : min;
	}
	return -1;
}

/* The rdata of L's TYPE records owned by K into R's values, and their
 * least TTL into R->ttl. 0 or -ENOMEM. */
static int take_values(struct rv_row *r, const ldns_rr_list *l,
		       const struct dmsg_key *k, uint16_t type)
{
	for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_get_type(rr) != type ||
		    !dmsg_key_is(k, ldns_rr_owner(rr)))
			continue;
		char *t = rdata_text(rr);
		if (!t || strset_add(&r->values, t) < 0) {
			free(t);
			return -ENOMEM;
		}
		free(t);
		if (r->ttl < 0 || ldns_rr_ttl(rr) < r->ttl)
			r->ttl = ldns_rr_ttl(rr);
	}
	return 0;
}

/* Fills R from PKT, the answer to (R->qname, TYPE). */
static int row_from_pkt(struct rv_row *r, const ldns_pkt *pkt, uint16_t type)
{
	char name[256];
	snprintf(name, sizeof(name), "%s", r->qname);
	r->rcode = ldns_pkt_get_rcode(pkt);
	r->aa = ldns_pkt_aa(pkt);
	/* Follow the chain inside this one answer, as a stub would. */
	for (int hop = 0; type != LDNS_RR_TYPE_CNAME && hop < CNAME_HOPS;
	     hop++) {
		char next[256];
		if (!cname_of(pkt, name, next, sizeof(next)))
			break;
		snprintf(name, sizeof(name), "%s", next);
	}
	struct dmsg_key k;
	dmsg_key_init(&k, name);
	int rc = take_values(r, ldns_pkt_answer(pkt), &k, type);
	/* NS asked of a server of the parent (probe_record.c): its referral
	 * is the delegation, the data that propagates. */
	if (rc == 0 && !r->values.n && type == LDNS_RR_TYPE_NS &&
	    r->kind == RV_AUTH && strcmp(r->zone, r->qname) != 0 && !r->aa)
		rc = take_values(r, ldns_pkt_authority(pkt), &k, type);
	if (rc < 0)
		return rc;
	if (r->values.n) {
		r->status = RVS_DATA;
		return 0;
	}
	if (r->rcode != LDNS_RCODE_NOERROR && r->rcode != LDNS_RCODE_NXDOMAIN) {
		r->status = RVS_RCODE;
		return 0;
	}
	if (r->kind == RV_AUTH && !r->aa) {
		r->status = RVS_NOTAUTH;
		return 0;
	}
	if (r->kind == RV_AUTH && strcmp(name, r->qname) != 0 &&
	    !dname_in(name, r->zone)) {
		r->status = RVS_ALIAS;
		snprintf(r->target, sizeof(r->target), "%s", name);
		return 0;
	}
	r->status = r->rcode == LDNS_RCODE_NXDOMAIN ? RVS_NXDOMAIN : RVS_NODATA;
	r->neg_ttl = negative_ttl(pkt);
	return 0;
}

static int add_row(struct rv_view *v, const struct ev_exchange *x)
{
	struct rv_row *rows = realloc(v->rows, (v->n + 1) * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	v->rows = rows;
	struct rv_row *r = &rows[v->n++];
	memset(r, 0, sizeof(*r));
	strset_init(&r->values);
	r->kind = x->role == EV_RECORD ? RV_AUTH : RV_RESOLVER;
	r->zone = x->zone;
	r->server = x->server;
	r->addr = x->addr;
	r->qname = x->qname;
	r->qstatus = x->status;
	r->rtt_ms = x->rtt_ms;
	r->ttl = r->neg_ttl = -1;
	r->local = r->kind == RV_RESOLVER && strcmp(x->zone, RV_LOCAL_TAG) == 0;
	r->status = RVS_FAILED;
	if (x->status != QS_OK)
		return 0;
	ldns_pkt *pkt = dmsg_parse(x->wire, x->wire_len);
	if (!pkt)
		return 0;
	int rc = row_from_pkt(r, pkt, v->type);
	ldns_pkt_free(pkt);
	return rc;
}

/* Same answer: the same kind and the same values. */
static bool same_answer(const struct rv_row *a, const struct rv_row *b)
{
	if (a->status != b->status)
		return false;
	return a->status != RVS_DATA || strset_equal(&a->values, &b->values);
}

static bool row_has(const struct rv_view *v, const struct rv_row *r,
		    const char *want)
{
	for (size_t i = 0; r->status == RVS_DATA && i < r->values.n; i++)
		if (rv_value_matches(v->type, r->values.v[i], want))
			return true;
	return false;
}

/* Every --expect is one value of the set the record must serve. */
static bool row_has_expect(const struct rv_view *v, const struct rv_row *r)
{
	if (!row_has(v, r, v->expect))
		return false;
	for (size_t i = 0; v->expect_more && i < v->expect_more->n; i++)
		if (!row_has(v, r, v->expect_more->v[i]))
			return false;
	return true;
}

void rv_expect_text(const struct rv_view *v, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s", v->expect ? v->expect : "");
	for (size_t i = 0; v->expect_more && i < v->expect_more->n && n < len;
	     i++)
		n += (size_t)snprintf(buf + n, len - n, ", %s",
				      v->expect_more->v[i]);
}

static void derive(struct rv_view *v)
{
	const struct rv_row *first = NULL;
	v->auth_agree = true;
	v->auth_all_expect = v->expect != NULL;
	v->auth_ttl_max = v->auth_neg_max = -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_AUTH || !rv_row_final(r))
			continue;
		if (!first)
			first = r;
		else if (!same_answer(first, r))
			v->auth_agree = false;
		if (r->status == RVS_DATA) {
			v->auth_has_data = true;
			if (!v->reference &&
			    (!v->expect || row_has_expect(v, r)))
				v->reference = r;
		}
		if (v->expect && !row_has_expect(v, r))
			v->auth_all_expect = false;
		if (r->ttl > v->auth_ttl_max)
			v->auth_ttl_max = r->ttl;
		if (r->neg_ttl > v->auth_neg_max)
			v->auth_neg_max = r->neg_ttl;
	}
	if (!first)
		v->auth_agree = v->auth_all_expect = false;
	/* The parent's servers answer for a delegation: rows of a zone above
	 * the name (probe_record.c asks them for NS at an apex; the walk ends
	 * at the parent for DS, which lives there). */
	if (first && strcmp(first->zone, v->name) != 0 &&
	    (v->type == LDNS_RR_TYPE_NS || v->type == LDNS_RR_TYPE_DS)) {
		v->delegation = true;
		v->parent_zone = first->zone;
	}
	/* Without --expect, resolvers are judged against what the servers
	 * agree on; when they disagree there is no one answer to expect. */
	if (!v->expect && !v->auth_agree)
		v->reference = NULL;
}

int rv_build(const struct evidence *ev, struct rv_view *v)
{
	memset(v, 0, sizeof(*v));
	v->ev = ev;
	if (!ev->record_name || !ev->record_type)
		return -EINVAL;
	v->name = ev->record_name;
	v->type = ev->record_type;
	v->expect = ev->record_expect;
	v->expect_more = &ev->record_expect_more;
	/* Authoritative rows first, then resolvers, each in evidence order. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < ev->n_ex; i++) {
			const struct ev_exchange *x = &ev->ex[i];
			int want = pass == 0 ? EV_RECORD : EV_RECORD_RESOLVER;
			if (x->role != want || x->qtype != v->type)
				continue;
			if (add_row(v, x) < 0) {
				rv_deinit(v);
				return -ENOMEM;
			}
		}
	derive(v);
	return 0;
}

void rv_deinit(struct rv_view *v)
{
	for (size_t i = 0; i < v->n; i++)
		strset_deinit(&v->rows[i].values);
	free(v->rows);
	v->rows = NULL;
	v->n = 0;
}

/* Copies S into OUT without the quotes of a single TXT string, without a
 * final dot, lower case unless KEEP_CASE. */
static void normalise(const char *s, bool keep_case, char *out, size_t len)
{
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"' &&
	    !memchr(s + 1, '"', n - 2)) {
		s++;
		n -= 2;
	}
	if (n > 1 && s[n - 1] == '.' && !keep_case)
		n--;
	if (n >= len)
		n = len - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = keep_case ? s[i] : (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
}

bool rv_value_matches(uint16_t type, const char *value, const char *expect)
{
	char a[1024], b[1024];
	bool txt = type == LDNS_RR_TYPE_TXT || type == LDNS_RR_TYPE_SPF;
	if (!expect)
		return false;
	normalise(value, txt, a, sizeof(a));
	normalise(expect, txt, b, sizeof(b));
	return strcmp(a, b) == 0;
}

bool rv_row_current(const struct rv_view *v, const struct rv_row *r)
{
	if (v->expect)
		return row_has_expect(v, r);
	return v->reference && same_answer(v->reference, r);
}

const char *rv_row_describe(const struct rv_row *r, char *buf, size_t len)
{
	switch (r->status) {
	case RVS_DATA: {
		char *j = strset_join(&r->values, " | ");
		snprintf(buf, len, "%s", j ? j : "?");
		free(j);
		return buf;
	}
	case RVS_NXDOMAIN:
		return "NXDOMAIN";
	case RVS_NODATA:
		return "NODATA";
	case RVS_ALIAS:
		snprintf(buf, len, "CNAME to %s", r->target);
		return buf;
	case RVS_RCODE: {
		const ldns_lookup_table *t =
			ldns_lookup_by_id(ldns_rcodes, r->rcode);
		snprintf(buf, len, "%s", t ? t->name : "error");
		return buf;
	}
	case RVS_NOTAUTH:
		return "no AA bit";
	default:
		return qstatus_name(r->qstatus);
	}
}

int64_t rv_row_seconds_left(const struct rv_view *v, const struct rv_row *r,
			    time_t now)
{
	int64_t left = r->status == RVS_DATA ? r->ttl
		       : (r->status == RVS_NXDOMAIN || r->status == RVS_NODATA)
			       ? r->neg_ttl
			       : -1;
	if (left < 0)
		return -1;
	/* TTLs were read when the evidence was gathered. */
	int64_t since = (int64_t)now - v->ev->started;
	if (since > 0)
		left -= since;
	return left > 0 ? left : 0;
}

bool rv_row_split(const struct rv_view *v, const struct rv_row *r)
{
	if (!r->local || r->kind != RV_RESOLVER || rv_row_current(v, r))
		return false;
	if (r->status != RVS_DATA && r->status != RVS_NXDOMAIN &&
	    r->status != RVS_NODATA)
		return false;
	/* A recursive answer from the cache never carries AA; a local zone's
	 * does. And no cache of the public zone holds data longer than the
	 * servers hand it out. */
	if (r->aa)
		return true;
	return r->status == RVS_DATA && v->auth_has_data &&
	       r->ttl > v->auth_ttl_max;
}

int64_t rv_auth_eta(const struct rv_view *v)
{
	bool any_auth = false;
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_AUTH || !rv_row_final(r))
			continue;
		any_auth = true;
		if (!rv_row_current(v, r))
			return -1;
	}
	return any_auth ? 0 : -1;
}

int64_t rv_resolvers_eta(const struct rv_view *v, time_t now)
{
	int64_t eta = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_RESOLVER || rv_row_current(v, r))
			continue;
		if (rv_row_split(v, r))
			return -1;
		int64_t left = rv_row_seconds_left(v, r, now);
		if (left < 0)
			return -1;
		if (left > eta)
			eta = left;
	}
	return eta;
}

int64_t rv_eta(const struct rv_view *v, time_t now)
{
	if (rv_auth_eta(v) < 0)
		return -1;
	return rv_resolvers_eta(v, now);
}
