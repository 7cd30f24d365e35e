#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/view_dnssec.h"

static struct dsv_zone *zone_get(struct dnssec_view *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->z[i].name, name) == 0)
			return &d->z[i];
	struct dsv_zone *v = realloc(d->z, (d->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	d->z = v;
	memset(&v[d->n], 0, sizeof(v[d->n]));
	snprintf(v[d->n].name, sizeof(v[d->n].name), "%s", name);
	return &v[d->n++];
}

static struct dsv_server *server_get(struct dsv_zone *z, const char *name,
				     const char *addr)
{
	for (size_t i = 0; i < z->n_srv; i++)
		if (!strcmp(z->srv[i].name, name) &&
		    !strcmp(z->srv[i].addr, addr))
			return &z->srv[i];
	struct dsv_server *v = realloc(z->srv, (z->n_srv + 1) * sizeof(*v));
	if (!v)
		return NULL;
	z->srv = v;
	struct dsv_server *s = &v[z->n_srv];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->addr = strdup(addr);
	if (!s->name || !s->addr) {
		free(s->name);
		free(s->addr);
		return NULL;
	}
	z->n_srv++;
	return s;
}

static const char *failure_of(const struct ev_exchange *x, const ldns_pkt *pkt)
{
	if (x->status != QS_OK)
		return qstatus_name(x->status);
	if (!pkt)
		return "malformed";
	const ldns_lookup_table *rc =
		ldns_lookup_by_id(ldns_rcodes, ldns_pkt_get_rcode(pkt));
	if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR)
		return rc ? rc->name : "an error rcode";
	return ldns_pkt_aa(pkt) ? NULL : "no AA bit";
}

/* An authoritative NXDOMAIN: the answer a denial proof comes with. */
static bool nxdomain_aa(const ldns_pkt *pkt)
{
	return ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN &&
	       ldns_pkt_aa(pkt);
}

/* Shallowest first. */
static void zones_sort(struct dnssec_view *d)
{
	for (size_t i = 1; i < d->n; i++) {
		struct dsv_zone z = d->z[i];
		size_t j = i;
		while (j > 0 &&
		       dname_labels(d->z[j - 1].name) > dname_labels(z.name)) {
			d->z[j] = d->z[j - 1];
			j--;
		}
		d->z[j] = z;
	}
}

static int keys_from(struct dsv_server *s, const struct ev_exchange *x,
		     const ldns_pkt *pkt, const char *zone)
{
	s->failure = failure_of(x, pkt);
	s->answered = s->failure == NULL;
	if (pkt && s->answered) {
		ldns_rr_list_deep_free(s->keys);
		s->keys = dnssec_rrset(pkt, LDNS_SECTION_ANSWER, zone,
				       LDNS_RR_TYPE_DNSKEY);
		s->keys_ttl = dnssec_ttl(s->keys);
		/* Stash the signatures in key_sig's place until the DS set is
		 * known: verify below, once. */
	}
	return s->answered && !s->keys ? -ENOMEM : 0;
}

static int ds_from(struct dsv_zone *z, const struct ev_exchange *x,
		   const ldns_pkt *pkt, ldns_rr_list **sigs)
{
	if (!pkt || failure_of(x, pkt))
		return 0;
	z->ds_answers++;
	ldns_rr_list *ds = dnssec_rrset(pkt, LDNS_SECTION_ANSWER, z->name,
					LDNS_RR_TYPE_DS);
	for (size_t i = 0; ds && i < ldns_rr_list_rr_count(ds); i++) {
		ldns_rr *rr = ldns_rr_list_rr(ds, i);
		if (!z->ds)
			z->ds = ldns_rr_list_new();
		if (z->ds && !ldns_rr_list_contains_rr(z->ds, rr))
			ldns_rr_list_push_rr(z->ds, ldns_rr_clone(rr));
	}
	if (ds && ldns_rr_list_rr_count(ds) && !*sigs) {
		*sigs = dnssec_sigs(pkt, LDNS_SECTION_ANSWER, z->name,
				    LDNS_RR_TYPE_DS);
		z->ds_ttl = dnssec_ttl(ds);
	}
	ldns_rr_list_deep_free(ds);
	return 0;
}

static ldns_rr_list *parse_records(const struct ev_strings *l)
{
	ldns_rr_list *out = ldns_rr_list_new();
	for (size_t i = 0; out && i < l->n; i++) {
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, l->v[i], 0, NULL, NULL) ==
		    LDNS_STATUS_OK)
			ldns_rr_list_push_rr(out, rr);
	}
	return out;
}

/* The DNSKEY RRset signatures of each server, verified with the keys the DS
 * set points at; then the zone's keys for everything else. */
static void judge_keys(const struct view *v, struct dsv_zone *z, time_t now)
{
	const struct evidence *ev = v->ev;
	for (size_t i = 0; i < z->n_srv; i++) {
		struct dsv_server *s = &z->srv[i];
		if (!s->answered || !s->keys || !ldns_rr_list_rr_count(s->keys))
			continue;
		ldns_rr_list *match = dnssec_keys_matching(s->keys, z->ds);
		s->key_match = match && ldns_rr_list_rr_count(match) > 0;
		for (size_t k = 0; k < ev->n_ex; k++) {
			const struct ev_exchange *x = &ev->ex[k];
			if (x->role != EV_DNSSEC ||
			    x->qtype != LDNS_RR_TYPE_DNSKEY ||
			    strcmp(x->qname, z->name) ||
			    strcmp(x->server, s->name) ||
			    strcmp(x->addr, s->addr) || x->status != QS_OK)
				continue;
			const ldns_pkt *pkt = view_pkt(v, k);
			ldns_rr_list *sigs =
				pkt ? dnssec_sigs(pkt, LDNS_SECTION_ANSWER,
						  z->name, LDNS_RR_TYPE_DNSKEY)
				    : NULL;
			s->key_sig = dnssec_verify(
				s->keys, sigs, s->key_match ? match : s->keys,
				now);
			ldns_rr_list_deep_free(sigs);
			break;
		}
		if (s->key_match && s->key_sig.state == SIG_VALID &&
		    !z->keys_valid) {
			ldns_rr_list_deep_free(z->keys);
			z->keys = ldns_rr_list_clone(s->keys);
			z->keys_valid = true;
		}
		if (!z->keys)
			z->keys = ldns_rr_list_clone(s->keys);
		ldns_rr_list_deep_free(match);
	}
}

static struct sig_result sig_of(const ldns_pkt *pkt, const char *owner,
				ldns_rr_type type, const ldns_rr_list *keys,
				time_t now)
{
	ldns_rr_list *set = dnssec_rrset(pkt, LDNS_SECTION_ANSWER, owner, type);
	ldns_rr_list *sigs = dnssec_sigs(pkt, LDNS_SECTION_ANSWER, owner, type);
	struct sig_result r = dnssec_verify(set, sigs, keys, now);
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	return r;
}

/* SOA and NS signatures and the denial proof at each server of the zone
 * diagnosed. */
static int judge_target(const struct view *v, struct dnssec_view *d,
			struct dsv_zone *z, time_t now)
{
	const struct evidence *ev = v->ev;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		bool auth = x->role == EV_AUTH && x->transport == TR_UDP &&
			    !strcmp(x->qname, z->name) &&
			    (x->qtype == LDNS_RR_TYPE_SOA ||
			     x->qtype == LDNS_RR_TYPE_NS);
		bool den = x->role == EV_DNSSEC &&
			   x->qtype == LDNS_RR_TYPE_TXT &&
			   !strcmp(x->qname, d->denial_name);
		if ((!auth && !den) || x->status != QS_OK)
			continue;
		const ldns_pkt *pkt = view_pkt(v, i);
		if (!pkt || (failure_of(x, pkt) && !(den && nxdomain_aa(pkt))))
			continue;
		struct dsv_server *s = server_get(z, x->server, x->addr);
		if (!s)
			return -ENOMEM;
		if (den) {
			s->denial = dnssec_denial(pkt, x->qname, x->qtype,
						  z->keys, now, &s->denial_sig);
			s->denial_seen = s->denial != DENIAL_NA;
		} else if (x->qtype == LDNS_RR_TYPE_SOA) {
			s->soa_sig = sig_of(pkt, z->name, LDNS_RR_TYPE_SOA,
					    z->keys, now);
			s->soa_seen = true;
		} else {
			s->ns_sig = sig_of(pkt, z->name, LDNS_RR_TYPE_NS,
					   z->keys, now);
			s->ns_seen = true;
		}
	}
	return 0;
}

static struct dsv_resolver *resolver_get(struct dnssec_view *d,
					 const char *name, const char *addr)
{
	for (size_t i = 0; i < d->n_r; i++)
		if (!strcmp(d->r[i].addr, addr))
			return &d->r[i];
	struct dsv_resolver *v = realloc(d->r, (d->n_r + 1) * sizeof(*v));
	if (!v)
		return NULL;
	d->r = v;
	struct dsv_resolver *r = &v[d->n_r];
	memset(r, 0, sizeof(*r));
	r->rcode = r->rcode_cd = -1;
	r->status = r->status_cd = QS_TIMEOUT;
	r->name = strdup(name);
	r->addr = strdup(addr);
	if (!r->name || !r->addr) {
		free(r->name);
		free(r->addr);
		return NULL;
	}
	d->n_r++;
	return r;
}

/* The place of resolver ADDR in the list the user gave (the evidence's
 * "NAME ADDR" lines); past the end when not there. */
static size_t resolver_rank(const struct evidence *ev, const char *addr)
{
	for (size_t i = 0; i < ev->resolvers.n; i++) {
		const char *sp = strrchr(ev->resolvers.v[i], ' ');
		if (sp && strcmp(sp + 1, addr) == 0)
			return i;
	}
	return ev->resolvers.n;
}

/* Answers arrive in any order: the resolvers are kept in the order they
 * were named. Insertion sort: a handful of resolvers. */
static void order_resolvers(const struct evidence *ev, struct dnssec_view *d)
{
	for (size_t i = 1; i < d->n_r; i++) {
		struct dsv_resolver t = d->r[i];
		size_t j = i, rank = resolver_rank(ev, t.addr);
		while (j > 0 && resolver_rank(ev, d->r[j - 1].addr) > rank) {
			d->r[j] = d->r[j - 1];
			j--;
		}
		d->r[j] = t;
	}
}

static int resolvers_from(const struct evidence *ev, const struct view *v,
			  struct dnssec_view *d)
{
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != EV_RESOLVER || strcmp(x->qname, v->zone))
			continue;
		struct dsv_resolver *r = resolver_get(d, x->server, x->addr);
		if (!r)
			return -ENOMEM;
		bool cd = x->qflags & EV_QF_CD;
		const ldns_pkt *pkt = view_pkt(v, i);
		int status = x->status == QS_OK && !pkt ? QS_MALFORMED
							: x->status;
		int rcode = pkt ? (int)ldns_pkt_get_rcode(pkt) : -1;
		if (cd) {
			r->status_cd = status;
			r->rcode_cd = rcode;
		} else {
			r->status = status;
			r->rcode = rcode;
			r->ad = pkt && ldns_pkt_ad(pkt);
			r->has_ede = pkt &&
				     dnssec_ede(pkt, &r->ede, r->ede_text,
						sizeof(r->ede_text)) == 0;
		}
	}
	return 0;
}

int dnssec_view_build(const struct evidence *ev, const struct view *v,
		      time_t now, struct dnssec_view *d)
{
	int rc = -ENOMEM;
	memset(d, 0, sizeof(*d));
	d->warn_s = ev->rrsig_warn_s;
	dname_child("_acme-challenge", v->domain, d->denial_name,
		    sizeof(d->denial_name));
	if (v->pstate != PS_DELEGATED)
		return 0;
	/* The zones whose keys were asked, from the root down to the zone. */
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != EV_DNSSEC || x->qtype != LDNS_RR_TYPE_DNSKEY ||
		    !dname_in(v->zone, x->qname))
			continue;
		struct dsv_zone *z = zone_get(d, x->qname);
		struct dsv_server *s = z ? server_get(z, x->server, x->addr)
					 : NULL;
		if (!s || keys_from(s, x, view_pkt(v, i), z->name) < 0)
			goto fail;
	}
	zones_sort(d);
	ldns_rr_list *parent_keys = NULL;
	for (size_t i = 0; i < d->n; i++) {
		struct dsv_zone *z = &d->z[i];
		ldns_rr_list *sigs = NULL;
		if (i == 0 && strcmp(z->name, ".") == 0) {
			z->ds = parse_records(&ev->trust_anchor);
			z->ds_anchor = true;
			d->anchored = z->ds && ldns_rr_list_rr_count(z->ds) > 0;
		} else if (ev->what_if_ds.n && strcmp(z->name, v->zone) == 0) {
			z->ds = parse_records(&ev->what_if_ds);
			z->ds_what_if = true;
		} else {
			for (size_t k = 0; k < ev->n_ex; k++) {
				const struct ev_exchange *x = &ev->ex[k];
				if (x->role == EV_DNSSEC &&
				    x->qtype == LDNS_RR_TYPE_DS &&
				    !strcmp(x->qname, z->name))
					ds_from(z, x, view_pkt(v, k), &sigs);
			}
			if (z->ds)
				z->ds_sig = dnssec_verify(z->ds, sigs,
							  parent_keys, now);
		}
		ldns_rr_list_deep_free(sigs);
		judge_keys(v, z, now);
		parent_keys = z->keys;
	}
	if (d->n && strcmp(d->z[d->n - 1].name, v->zone) == 0 &&
	    judge_target(v, d, &d->z[d->n - 1], now) < 0)
		goto fail;
	if (resolvers_from(ev, v, d) < 0)
		goto fail;
	order_resolvers(ev, d);
	return 0;
fail:
	dnssec_view_deinit(d);
	return rc;
}

int dnssec_view_resolvers(const struct evidence *ev, const struct view *v,
			  struct dnssec_view *d)
{
	memset(d, 0, sizeof(*d));
	if (resolvers_from(ev, v, d) < 0) {
		dnssec_view_deinit(d);
		return -ENOMEM;
	}
	order_resolvers(ev, d);
	return 0;
}

void dnssec_view_deinit(struct dnssec_view *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct dsv_zone *z = &d->z[i];
		for (size_t j = 0; j < z->n_srv; j++) {
			free(z->srv[j].name);
			free(z->srv[j].addr);
			ldns_rr_list_deep_free(z->srv[j].keys);
		}
		free(z->srv);
		ldns_rr_list_deep_free(z->ds);
		ldns_rr_list_deep_free(z->keys);
	}
	free(d->z);
	for (size_t i = 0; i < d->n_r; i++) {
		free(d->r[i].name);
		free(d->r[i].addr);
	}
	free(d->r);
	memset(d, 0, sizeof(*d));
}

static void earliest(const struct sig_result *r, int64_t *out, int *found)
{
	if (r->state != SIG_VALID)
		return;
	if (!*found || (int64_t)r->expiration < *out)
		*out = (int64_t)r->expiration;
	*found = 1;
}

int dnssec_earliest_expiration(const struct evidence *ev, const struct view *v,
			       time_t now, int64_t *out)
{
	struct dnssec_view d;
	int found = 0;
	int rc = dnssec_view_build(ev, v, now, &d);
	if (rc < 0)
		return rc;
	const struct dsv_zone *z = d.n ? &d.z[d.n - 1] : NULL;
	for (size_t i = 0; z && strcmp(z->name, v->zone) == 0 && i < z->n_srv;
	     i++) {
		const struct dsv_server *s = &z->srv[i];
		earliest(&s->key_sig, out, &found);
		if (s->soa_seen)
			earliest(&s->soa_sig, out, &found);
		if (s->ns_seen)
			earliest(&s->ns_sig, out, &found);
	}
	dnssec_view_deinit(&d);
	return found;
}
