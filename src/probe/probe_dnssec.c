/* The DNSSEC pass and the resolver pass: more questions, no conclusions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/dname.h"
#include "core/view.h"
#include "probe/probe_internal.h"

/* A zone on the path from the root and the (name, address) pairs of its
 * servers. */
struct pzone {
	char zone[VIEW_NAME_MAX];
	struct hints srv;
};

struct path {
	struct pzone *z;
	size_t n;
};

static void path_free(struct path *pa)
{
	for (size_t i = 0; i < pa->n; i++)
		hints_deinit(&pa->z[i].srv);
	free(pa->z);
}

static struct pzone *path_zone(struct path *pa, const char *zone)
{
	for (size_t i = 0; i < pa->n; i++)
		if (strcmp(pa->z[i].zone, zone) == 0)
			return &pa->z[i];
	struct pzone *v = realloc(pa->z, (pa->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	pa->z = v;
	memset(&v[pa->n], 0, sizeof(v[pa->n]));
	snprintf(v[pa->n].zone, sizeof(v[pa->n].zone), "%s", zone);
	return &v[pa->n++];
}

static int pzone_add(struct pzone *z, const char *name, const char *addr)
{
	return hints_has(&z->srv, name, addr) ? 0
					      : hints_add(&z->srv, name, addr);
}

/* The zones above and including V's zone, shallowest first, with the
 * servers the walk asked for each and the zone's own servers. A walk that
 * started at a cached TLD cut did not ask the root: its servers are
 * ROOTS, as for a walk from the root. */
static int path_build(const struct evidence *ev, const struct view *v,
		      const struct hints *roots, struct path *pa)
{
	bool root = false;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != EV_WALK || !dname_in(v->zone, x->zone))
			continue;
		struct pzone *z = path_zone(pa, x->zone);
		if (!z || pzone_add(z, x->server, x->addr) < 0)
			return -ENOMEM;
		root |= strcmp(x->zone, ".") == 0;
	}
	for (size_t i = 0; !root && ev->cached_cuts.n && i < roots->n; i++) {
		struct pzone *z = path_zone(pa, ".");
		if (!z || pzone_add(z, roots->v[i].name, roots->v[i].addr) < 0)
			return -ENOMEM;
	}
	struct pzone *t = path_zone(pa, v->zone);
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		for (size_t j = 0; view_server_in_scope(s) && j < s->n_addrs;
		     j++)
			if (pzone_add(t, s->name, s->addrs[j].addr) < 0)
				return -ENOMEM;
	}
	for (size_t i = 1; i < pa->n; i++) {
		struct pzone z = pa->z[i];
		size_t j = i;
		while (j > 0 &&
		       dname_labels(pa->z[j - 1].zone) > dname_labels(z.zone)) {
			pa->z[j] = pa->z[j - 1];
			j--;
		}
		pa->z[j] = z;
	}
	return 0;
}

/* The DNSSEC questions ask for the signatures too. Those about a zone
 * above the diagnosed one (SHARED: the root's and the TLD's keys, the
 * TLD's DS) are the same for every domain under it: on an engine that
 * keeps answers, fleet asks them once per TTL, not once per domain. */
static void ask_dnssec(struct probe *p, struct round *r, const char *zone,
		       const char *name, const char *addr, const char *qname,
		       uint16_t qtype, bool shared)
{
	ask_once(p, r, EV_DNSSEC, zone, name, addr, qname, qtype,
		 ENG_F_DO | (shared ? ENG_F_SHARED : 0));
}

/* Whether a server of V's zone has answered its DNSKEY question with
 * keys. */
static bool zone_signed(const struct view *v)
{
	const struct evidence *ev = v->ev;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const ldns_pkt *pkt;
		if (x->role != EV_DNSSEC || x->qtype != LDNS_RR_TYPE_DNSKEY ||
		    x->status != QS_OK || strcmp(x->qname, v->zone) != 0 ||
		    strcmp(x->zone, v->zone) != 0 || !(pkt = view_pkt(v, i)))
			continue;
		const ldns_rr_list *an = ldns_pkt_answer(pkt);
		for (size_t k = 0; k < ldns_rr_list_rr_count(an); k++)
			if (ldns_rr_get_type(ldns_rr_list_rr(an, k)) ==
			    LDNS_RR_TYPE_DNSKEY)
				return true;
	}
	return false;
}

int probe_dnssec_ask(struct probe *p, struct round *r, const struct view *v)
{
	struct path pa = { 0 };
	if (v->pstate != PS_DELEGATED)
		return 0;
	if (path_build(p->ev, v, p->cfg->roots, &pa) < 0) {
		path_free(&pa);
		return -ENOMEM;
	}
	for (size_t i = 0; i < pa.n; i++) {
		const struct pzone *z = &pa.z[i];
		bool above = i + 1 < pa.n;
		for (size_t j = 0; j < z->srv.n; j++)
			ask_dnssec(p, r, z->zone, z->srv.v[j].name,
				   z->srv.v[j].addr, z->zone,
				   LDNS_RR_TYPE_DNSKEY, above);
		/* The DS of a zone lives at its parent's servers. */
		for (size_t j = 0; i > 0 && j < pa.z[i - 1].srv.n; j++)
			ask_dnssec(p, r, pa.z[i - 1].zone,
				   pa.z[i - 1].srv.v[j].name,
				   pa.z[i - 1].srv.v[j].addr, z->zone,
				   LDNS_RR_TYPE_DS, above);
	}
	/* The CA's first question for DNS-01, usually for a name that does
	 * not exist yet: its denial must verify. Asked again after the keys
	 * are in (probe_dnssec_start), ask_once keeps it to once. */
	char denial[VIEW_NAME_MAX + 20];
	dname_child("_acme-challenge", v->domain, denial, sizeof(denial));
	const struct pzone *t = pa.n ? &pa.z[pa.n - 1] : NULL;
	bool is_signed = zone_signed(v);
	bool deny = !p->cfg->denial_when_signed || is_signed;
	for (size_t j = 0;
	     deny && t && strlen(denial) < VIEW_NAME_MAX && j < t->srv.n; j++)
		ask_dnssec(p, r, t->zone, t->srv.v[j].name, t->srv.v[j].addr,
			   denial, LDNS_RR_TYPE_TXT, false);
	/* What the zone asks its parent to publish (RFC 7344, RFC 8078):
	 * parents that scan for CDS act on what one server says. Only a
	 * signed zone has any, and most zones are not: asked once its keys
	 * are in, in the round of the questions that come after them. */
	for (size_t j = 0; t && is_signed && j < t->srv.n; j++) {
		ask_dnssec(p, r, t->zone, t->srv.v[j].name, t->srv.v[j].addr,
			   t->zone, LDNS_RR_TYPE_CDS, false);
		ask_dnssec(p, r, t->zone, t->srv.v[j].name, t->srv.v[j].addr,
			   t->zone, LDNS_RR_TYPE_CDNSKEY, false);
	}
	path_free(&pa);
	return p->nomem ? -ENOMEM : 0;
}

int probe_dnssec_start(struct probe *p, struct round **out)
{
	struct view v;
	*out = NULL;
	int rc = view_build(p->ev, &v);
	if (rc < 0)
		return rc;
	struct round *r = round_new(p);
	if (!r)
		rc = -ENOMEM;
	else if ((rc = probe_dnssec_ask(p, r, &v)) == 0)
		*out = r;
	if (rc == 0 && p->nomem)
		rc = -ENOMEM;
	view_deinit(&v);
	return rc;
}

int probe_dnssec_pass(struct probe *p)
{
	struct round *r;
	int rc = probe_dnssec_start(p, &r);
	if (rc == 0)
		round_wait(p, r);
	return rc;
}

int probe_resolver_ask(struct probe *p, const struct hints *resolvers,
		       struct round **out)
{
	struct view v;
	*out = NULL;
	int rc = view_build(p->ev, &v);
	if (rc < 0)
		return rc;
	struct round *r = v.pstate == PS_DELEGATED ? round_new(p) : NULL;
	for (size_t i = 0; r && i < resolvers->n; i++) {
		const struct hint *h = &resolvers->v[i];
		/* With CD the resolver skips validation: an answer there and a
		 * SERVFAIL without it is a validation failure. */
		ask(p, r, EV_RESOLVER, "", h->name, h->addr, v.zone,
		    LDNS_RR_TYPE_SOA, ENG_F_RD | ENG_F_DO);
		ask(p, r, EV_RESOLVER, "", h->name, h->addr, v.zone,
		    LDNS_RR_TYPE_SOA, ENG_F_RD | ENG_F_DO | ENG_F_CD);
		/* A resolver stuck on a broken zone still answers for the
		 * root: silence here means it is not there at all. */
		ask(p, r, EV_RESOLVER_ALIVE, "", h->name, h->addr, ".",
		    LDNS_RR_TYPE_SOA, ENG_F_RD);
	}
	*out = r;
	rc = p->nomem ? -ENOMEM : 0;
	view_deinit(&v);
	return rc;
}
