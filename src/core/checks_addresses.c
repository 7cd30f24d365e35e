/* Checks on the name servers' addresses as a set: do the servers a zone
 * lists give it the redundancy their number promises, and does the
 * parent's referral fit a plain DNS answer? */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"

/* One address and the in-scope servers that have it. */
struct addr_users {
	const char *addr;
	struct strset names;
};

int check_shared_address(const struct view *v, time_t now, struct findings *out)
{
	struct addr_users *u = NULL;
	size_t n = 0;
	int rc = 0;

	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	for (size_t i = 0; rc == 0 && i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		if (!view_server_in_scope(s))
			continue;
		for (size_t j = 0; rc == 0 && j < s->n_addrs; j++) {
			const char *a = s->addrs[j].addr;
			size_t k = 0;
			while (k < n && strcmp(u[k].addr, a) != 0)
				k++;
			if (k == n) {
				struct addr_users *g =
					realloc(u, (n + 1) * sizeof(*g));
				if (!g) {
					rc = -ENOMEM;
					break;
				}
				u = g;
				u[n].addr = a;
				strset_init(&u[n++].names);
			}
			rc = strset_add(&u[k].names, s->name);
		}
	}
	/* The distinct addresses the servers in scope stand on. */
	size_t distinct = n;
	for (size_t k = 0; rc == 0 && k < n; k++) {
		if (u[k].names.n < 2)
			continue;
		char *who = join_names(&u[k].names);
		if (!who) {
			rc = -ENOMEM;
			break;
		}
		rc = findings_add(out, F_NS_SHARED_ADDRESS,
				  json_pack("{s:s, s:s, s:o}", "zone", v->zone,
					    "address", u[k].addr, "servers",
					    json_strset(&u[k].names)),
				  NULL,
				  "%s share the address %s: at that address "
				  "they are one server, not %zu%s.",
				  who, u[k].addr, u[k].names.n,
				  distinct == 1 ? ", and it is the zone's only "
						  "address"
						: "");
		free(who);
	}
	for (size_t k = 0; k < n; k++)
		strset_deinit(&u[k].names);
	free(u);
	return rc;
}

/* Builds, for the worst case, the referral the parent must fit in a DNS
 * message without EDNS (512 octets, RFC 1035 4.2.1): a question of the
 * longest name under the zone (255 octets), the NS RRset, and for every
 * name server inside the zone one A and one AAAA glue record when the
 * parent has them — the glue without which a resolver cannot go on (RFC
 * 9471). ldns writes it with name compression, as servers do. The size
 * in octets, or -ENOMEM. */
static long referral_size(const struct view *v)
{
	char qname[VIEW_NAME_MAX * 2];
	bool root = strcmp(v->zone, ".") == 0;
	/* Octets in wire form: the zone's, then labels of up to 63 octets
	 * in front until the name is 255 long. */
	size_t zlen = root ? 1 : strlen(v->zone) + 1, at = 0;
	while (zlen + at + 2 <= 255) {
		size_t n = 255 - zlen - at - 1;
		n = n > 63 ? 63 : n;
		memset(qname + at, 'x', n);
		qname[at + n] = '.';
		at += n + 1;
	}
	snprintf(qname + at, sizeof(qname) - at, "%s", root ? "" : v->zone);
	long size = -ENOMEM;
	ldns_pkt *pkt = ldns_pkt_new();
	ldns_rr *q = ldns_rr_new();
	ldns_rdf *owner = ldns_dname_new_frm_str(qname);
	if (!pkt || !q || !owner)
		goto out;
	ldns_rr_set_owner(q, owner);
	owner = NULL;
	ldns_rr_set_type(q, LDNS_RR_TYPE_A);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	if (!ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, q))
		goto out;
	q = NULL;
	for (size_t i = 0; i < v->parent_ns.n; i++) {
		char line[VIEW_NAME_MAX * 2 + 32];
		ldns_rr *rr = NULL;
		snprintf(line, sizeof(line), "%s 172800 IN NS %s", v->zone,
			 v->parent_ns.v[i]);
		if (ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) !=
			    LDNS_STATUS_OK ||
		    !ldns_pkt_push_rr(pkt, LDNS_SECTION_AUTHORITY, rr)) {
			ldns_rr_free(rr);
			goto out;
		}
	}
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		bool v4 = false, v6 = false;
		if (!s->in_parent || !s->in_bailiwick)
			continue;
		for (size_t j = 0; j < s->glue.n; j++) {
			bool is6 = strchr(s->glue.v[j], ':') != NULL;
			if (is6 ? v6 : v4)
				continue;
			char line[VIEW_NAME_MAX + 80];
			ldns_rr *rr = NULL;
			snprintf(line, sizeof(line), "%s 172800 IN %s %s",
				 s->name, is6 ? "AAAA" : "A", s->glue.v[j]);
			if (ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) !=
				    LDNS_STATUS_OK ||
			    !ldns_pkt_push_rr(pkt, LDNS_SECTION_ADDITIONAL,
					      rr)) {
				ldns_rr_free(rr);
				goto out;
			}
			*(is6 ? &v6 : &v4) = true;
		}
	}
	uint8_t *wire = NULL;
	size_t len = 0;
	if (ldns_pkt2wire(&wire, pkt, &len) == LDNS_STATUS_OK)
		size = (long)len;
	free(wire);
out:
	ldns_rdf_deep_free(owner);
	ldns_rr_free(q);
	ldns_pkt_free(pkt);
	return size;
}

/* An upper bound of referral_size's figure, without compression: a
 * name's wire form is at most its text's length plus one (an escape only
 * lengthens the text). Most referrals fit in 512 octets by this bound,
 * and are not written out to know it. */
static size_t referral_size_bound(const struct view *v)
{
	size_t zone = strlen(v->zone) + 2, n = 12 + 255 + 4;
	for (size_t i = 0; i < v->parent_ns.n; i++)
		n += zone + 10 + strlen(v->parent_ns.v[i]) + 2;
	for (size_t i = 0; i < v->n_srv; i++)
		if (v->srv[i].in_parent && v->srv[i].in_bailiwick &&
		    v->srv[i].glue.n)
			n += 2 * (strlen(v->srv[i].name) + 2 + 10) + 4 + 16;
	return n;
}

int check_referral_size(const struct view *v, time_t now, struct findings *out)
{
	(void)now;
	/* The root's delegation is the hints, not a referral. */
	if (v->pstate != PS_DELEGATED || !v->parent[0] || v->cohosted ||
	    v->parent_ns.n == 0)
		return 0;
	if (referral_size_bound(v) <= 512)
		return 0;
	long size = referral_size(v);
	if (size < 0)
		return (int)size;
	if (size <= 512)
		return 0;
	return findings_add(
		out, F_REFERRAL_TOO_LARGE,
		json_pack("{s:s, s:s, s:I, s:I}", "zone", v->zone, "parent",
			  v->parent, "size", (json_int_t)size, "limit",
			  (json_int_t)512),
		NULL,
		"The referral from %s to %s's %zu name servers, with the glue "
		"a resolver needs, takes %ld octets for the longest query "
		"name: more than the 512 a DNS message without EDNS holds, "
		"so such a query gets a truncated answer and must retry over "
		"TCP.",
		v->parent, v->zone, v->parent_ns.n, size);
}
