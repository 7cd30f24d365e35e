#include <errno.h>
#include <string.h>
#include <ldns/ldns.h>
#include "core/ns_plan.h"

/* The largest TTL of an NS record owned by ZONE in section SEC of PKT,
 * or -1. The largest: a resolver keeps the set as long as it may. */
static int64_t ns_ttl(const ldns_pkt *pkt, ldns_pkt_section sec,
		      const char *zone)
{
	ldns_rr_list *l = ldns_pkt_get_section_clone(pkt, sec);
	ldns_rdf *owner = NULL;
	int64_t ttl = -1;
	if (l && ldns_str2rdf_dname(&owner, zone) == LDNS_STATUS_OK)
		for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(l, i);
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS &&
			    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0 &&
			    (int64_t)ldns_rr_ttl(rr) > ttl)
				ttl = (int64_t)ldns_rr_ttl(rr);
		}
	ldns_rdf_deep_free(owner);
	ldns_rr_list_deep_free(l);
	return ttl;
}

/* The parent's NS TTL for V's zone: from the referrals of the walk. */
static int64_t parent_ttl(const struct view *v)
{
	const struct evidence *ev = v->ev;
	int64_t ttl = -1;
	if (v->pstate != PS_DELEGATED || !v->parent[0])
		return -1;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const ldns_pkt *pkt;
		if (x->role != EV_WALK || strcmp(x->zone, v->parent) != 0 ||
		    !(pkt = view_pkt(v, i)))
			continue;
		int64_t t = ns_ttl(pkt, LDNS_SECTION_AUTHORITY, v->zone);
		if (t < 0)
			t = ns_ttl(pkt, LDNS_SECTION_ANSWER, v->zone);
		if (t > ttl)
			ttl = t;
	}
	return ttl;
}

/* The zone's own NS TTL as the servers the parent names in V serve it. */
static int64_t child_ttl(const struct view *v)
{
	const struct evidence *ev = v->ev;
	int64_t ttl = -1;
	if (v->pstate != PS_DELEGATED)
		return -1;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const struct view_server *s;
		const ldns_pkt *pkt;
		if (x->role != EV_AUTH || x->qtype != LDNS_RR_TYPE_NS ||
		    strcmp(x->qname, v->zone) != 0 ||
		    !(s = view_server_find(v, x->server)) || !s->in_parent ||
		    !(pkt = view_pkt(v, i)) || !ldns_pkt_aa(pkt))
			continue;
		int64_t t = ns_ttl(pkt, LDNS_SECTION_ANSWER, v->zone);
		if (t > ttl)
			ttl = t;
	}
	return ttl;
}

int ns_plan_build(const struct view *real, const struct view *hyp,
		  const struct findings *hyp_fs, time_t now, struct ns_plan *p)
{
	strset_init(&p->blocking);
	strset_init(&p->from);
	strset_init(&p->to);
	p->ready = true;
	if (strset_add_all(&p->from, &real->parent_ns) < 0 ||
	    strset_add_all(&p->to, &hyp->parent_ns) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < hyp_fs->n; i++) {
		const struct finding *f = &hyp_fs->v[i];
		if (f->severity == SEV_INFO)
			continue;
		if (strset_add(&p->blocking, finding_defs[f->code].name) < 0)
			return -ENOMEM;
		p->ready &= f->severity != SEV_ERROR;
	}
	p->parent_ttl = parent_ttl(real);
	p->old_ttl = child_ttl(real);
	p->new_ttl = child_ttl(hyp);
	p->lower = p->old_ttl > NS_PLAN_LOW_TTL;
	p->now = now;
	/* The lowered TTL holds once every copy of the old one cached
	 * before has run out. */
	p->t_switch = now + (p->lower ? (time_t)p->old_ttl : 0);
	/* After the switch, a resolver that cached the old delegation asks
	 * the old servers until the longer of the parent's NS TTL and the
	 * zone's (a child-centric resolver keeps the zone's own NS set). */
	int64_t child = p->lower ? NS_PLAN_LOW_TTL
				 : (p->old_ttl > 0 ? p->old_ttl : 0);
	int64_t hold = p->parent_ttl > child ? p->parent_ttl : child;
	p->t_done = p->t_switch + (time_t)hold;
	return 0;
}

void ns_plan_deinit(struct ns_plan *p)
{
	strset_deinit(&p->blocking);
	strset_deinit(&p->from);
	strset_deinit(&p->to);
}
