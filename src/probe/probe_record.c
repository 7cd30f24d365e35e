/* The record pass of `propagation`, `wait` and `plan`: the walk to the zone
 * that holds the record, the authoritative view of that zone, then the
 * record itself from every address of every server, following CNAMEs into
 * other zones, and from every resolver. NS at a zone's apex is the
 * delegation: asked of every server of the parent, whose referral is what
 * resolvers (the CA's among them) follow. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/view.h"
#include "core/view_record.h"
#include "probe/probe.h"
#include "probe/probe_internal.h"
#include "probe/probe_rdap.h"

#define MAX_ALIAS_ZONES 4

/* NS at a zone's apex: what propagates is the delegation, the parent's
 * referral (issue 15). Asks every server of the parent instead. 1 when
 * asked, 0 when QNAME is no zone's apex, -ENOMEM. */
static int ask_parent(struct probe *p, struct round *r, const struct view *v,
		      const char *qname, uint16_t qtype)
{
	struct hints srv = { 0 };
	char zone[VIEW_NAME_MAX] = "";
	if (qtype != LDNS_RR_TYPE_NS || v->pstate != PS_DELEGATED ||
	    !v->parent[0] || strcmp(v->zone, qname) != 0)
		return 0;
	int rc = probe_cut_servers(p, v->parent, zone, sizeof(zone), &srv);
	for (size_t k = 0; rc == 0 && k < srv.n; k++)
		ask(p, r, EV_RECORD, zone, srv.v[k].name, srv.v[k].addr, qname,
		    qtype, 0);
	size_t n = srv.n;
	hints_deinit(&srv);
	return rc < 0 ? rc : p->nomem ? -ENOMEM : n > 0;
}

static int ask_zone(struct probe *p, struct round *r, const char *qname,
		    uint16_t qtype)
{
	struct view v;
	int rc = view_build(p->ev, &v);
	if (rc < 0)
		return rc;
	if ((rc = ask_parent(p, r, &v, qname, qtype)) != 0) {
		view_deinit(&v);
		return rc < 0 ? rc : 0;
	}
	for (size_t i = 0; v.pstate == PS_DELEGATED && i < v.n_srv; i++) {
		const struct view_server *s = &v.srv[i];
		if (!view_server_in_scope(s))
			continue;
		for (size_t j = 0; j < s->n_addrs; j++)
			ask(p, r, EV_RECORD, v.zone, s->name, s->addrs[j].addr,
			    qname, qtype, 0);
	}
	view_deinit(&v);
	return p->nomem ? -ENOMEM : 0;
}

/* Where an authoritative answer is a CNAME out of its zone, the CA's
 * resolver follows it into the target's zone: so do we, at every server
 * of that zone. */
static int follow_aliases(struct probe *p, uint16_t qtype)
{
	struct strset asked;
	int rc = 0;
	strset_init(&asked);
	for (int hop = 0; rc == 0 && hop < MAX_ALIAS_ZONES; hop++) {
		struct rv_view rv;
		struct strset targets;
		strset_init(&targets);
		if ((rc = rv_build(p->ev, &rv)) < 0)
			break;
		for (size_t i = 0; i < rv.n; i++)
			if (rv.rows[i].kind == RV_AUTH &&
			    rv.rows[i].status == RVS_ALIAS &&
			    !strset_has(&asked, rv.rows[i].target))
				strset_add(&targets, rv.rows[i].target);
		rv_deinit(&rv);
		struct round *r = targets.n ? round_new(p) : NULL;
		/* The targets' zones, found all at once. */
		uint16_t *types = r ? calloc(targets.n, sizeof(*types)) : NULL;
		for (size_t i = 0; types && i < targets.n; i++)
			types[i] = qtype;
		if (r && (!types ||
			  probe_find_cuts(p, (const char *const *)targets.v,
					  types, targets.n) < 0))
			rc = -ENOMEM;
		free(types);
		for (size_t i = 0; rc == 0 && r && i < targets.n; i++) {
			struct hints srv = { 0 };
			char zone[VIEW_NAME_MAX] = "";
			strset_add(&asked, targets.v[i]);
			rc = probe_cut_servers(p, targets.v[i], zone,
					       sizeof(zone), &srv);
			for (size_t k = 0; rc == 0 && k < srv.n; k++)
				ask(p, r, EV_RECORD, zone, srv.v[k].name,
				    srv.v[k].addr, targets.v[i], qtype, 0);
			hints_deinit(&srv);
		}
		if (r)
			round_wait(p, r);
		bool more = targets.n > 0;
		strset_deinit(&targets);
		if (!more)
			break;
	}
	strset_deinit(&asked);
	return rc < 0 ? rc : p->nomem ? -ENOMEM : 0;
}

/* Asks each resolver, into a round of its own put in *OUT, without
 * waiting: they recurse while the walk and the servers are asked. */
static int ask_resolvers(struct probe *p, const struct hints *res,
			 const char *qname, uint16_t qtype, struct round **out)
{
	struct round *r = round_new(p);
	*out = r;
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < res->n; i++) {
		ask(p, r, EV_RECORD_RESOLVER, i == 0 ? RV_LOCAL_TAG : "",
		    res->v[i].name, res->v[i].addr, qname, qtype, ENG_F_RD);
		/* Whether it answers at all (checks_resolvers.c). */
		ask(p, r, EV_RESOLVER_ALIVE, "", res->v[i].name, res->v[i].addr,
		    ".", LDNS_RR_TYPE_SOA, ENG_F_RD);
	}
	return p->nomem ? -ENOMEM : 0;
}

int probe_record(struct engine *eng, const struct probe_config *cfg,
		 struct evidence *ev)
{
	struct probe p;
	const char *name = ev->record_name;
	uint16_t type = ev->record_type;
	int rc;

	if (!name || !type)
		return -EINVAL;
	probe_init(&p, eng, cfg, ev);
	struct round *res = NULL;
	struct probe_rdap rdap;
	rc = cfg->rdap ? probe_rdap_start(&rdap, eng, cfg->rdap, ev) : 0;
	if (rc == 0 && cfg->resolvers && cfg->resolvers->n)
		rc = ask_resolvers(&p, cfg->resolvers, name, type, &res);
	if (rc == 0)
		rc = probe_zone_pass(&p, name, type);
	struct round *r = rc == 0 ? round_new(&p) : NULL;
	if (rc == 0 && !r)
		rc = -ENOMEM;
	if (rc == 0 && (rc = ask_zone(&p, r, name, type)) == 0)
		round_wait(&p, r);
	if (rc == 0)
		rc = follow_aliases(&p, type);
	if (rc == 0 && res)
		round_wait(&p, res);
	if (cfg->rdap) {
		int r2 = probe_rdap_finish(&rdap);
		rc = rc ? rc : r2;
		probe_rdap_deinit(&rdap);
	}
	probe_deinit(&p);
	return rc;
}
