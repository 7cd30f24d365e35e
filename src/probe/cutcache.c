/* The shared zone-cut cache (cutcache.h): a short list, searched by name;
 * a few hundred TLDs at most, so no index. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ldns/ldns.h>
#include "core/array.h"
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/strset.h"
#include "probe/cutcache.h"

struct cutcache *cutcache_new(void)
{
	return calloc(1, sizeof(struct cutcache));
}

static void entry_clear(struct cutcache_entry *e)
{
	free(e->zone);
	hints_deinit(&e->srv);
}

static void entry_drop(struct cutcache *c, size_t i)
{
	entry_clear(&c->v[i]);
	c->v[i] = c->v[--c->n];
}

void cutcache_free(struct cutcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_clear(&c->v[i]);
	free(c->v);
	free(c);
}

int cutcache_put(struct cutcache *c, const char *zone, const struct hints *srv,
		 uint64_t expires_ms)
{
	struct cutcache_entry e = { .zone = strdup(zone),
				    .expires_ms = expires_ms };
	for (size_t i = 0; e.zone && i < srv->n; i++)
		if (hints_add(&e.srv, srv->v[i].name, srv->v[i].addr) < 0)
			goto nomem;
	if (!e.zone || ARRAY_RESERVE(c->v, c->cap, c->n + 1) < 0)
		goto nomem;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].zone, zone) == 0) {
			entry_clear(&c->v[i]);
			c->v[i] = e;
			return 0;
		}
	c->v[c->n++] = e;
	return 0;
nomem:
	entry_clear(&e);
	return -ENOMEM;
}

/* Drops what has expired at NOW_MS. */
static void expire(struct cutcache *c, uint64_t now_ms)
{
	for (size_t i = c->n; i-- > 0;)
		if (c->v[i].expires_ms <= now_ms)
			entry_drop(c, i);
}

const struct cutcache_entry *cutcache_lookup(struct cutcache *c,
					     const char *name, uint64_t now_ms)
{
	const struct cutcache_entry *best = NULL;
	expire(c, now_ms);
	for (size_t i = 0; i < c->n; i++)
		if (dname_in(name, c->v[i].zone) &&
		    (!best ||
		     dname_labels(c->v[i].zone) > dname_labels(best->zone)))
			best = &c->v[i];
	return best;
}

int cutcache_note(struct cutcache *c, uint64_t now_ms, struct ev_strings *out)
{
	expire(c, now_ms);
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = 0; k < c->v[i].srv.n; k++) {
			char line[3 * 256];
			snprintf(line, sizeof(line), "%s %s %s", c->v[i].zone,
				 c->v[i].srv.v[k].name, c->v[i].srv.v[k].addr);
			if (ev_strings_add(out, line) < 0)
				return -ENOMEM;
		}
	return 0;
}

/* The least TTL of CUT's NS records in the authority section of PKT and of
 * the glue of NS in the additional section. */
static uint32_t least_ttl(const ldns_pkt *pkt, const char *cut,
			  const struct strset *ns)
{
	uint32_t ttl = UINT32_MAX;
	const ldns_rr_list *au = ldns_pkt_authority(pkt);
	const ldns_rr_list *ad = ldns_pkt_additional(pkt);
	for (size_t i = 0; i < ldns_rr_list_rr_count(au); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(au, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS &&
		    dmsg_owner_is(rr, cut) && ldns_rr_ttl(rr) < ttl)
			ttl = ldns_rr_ttl(rr);
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(ad); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ad, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if (t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA)
			continue;
		for (size_t k = 0; k < ns->n; k++)
			if (dmsg_owner_is(rr, ns->v[k]) &&
			    ldns_rr_ttl(rr) < ttl)
				ttl = ldns_rr_ttl(rr);
	}
	return ttl;
}

/* A TLD cut from the root's referral PKT into SRV and *TTL; false when PKT
 * is no such referral or a server of it came without glue (a walk from
 * the cut would then ask fewer servers than one from the root). */
static bool tld_cut(const ldns_pkt *pkt, const struct ev_exchange *x, char *cut,
		    struct hints *srv, uint32_t *ttl, int *rc)
{
	struct strset ns, glue;
	bool ok;
	if (dmsg_classify(pkt, x->qname, x->qtype, cut, 256) != RK_REFERRAL ||
	    dname_labels(cut) != 1 || !dname_in(x->qname, cut))
		return false;
	strset_init(&ns);
	dmsg_targets(pkt, LDNS_SECTION_AUTHORITY, cut, LDNS_RR_TYPE_NS, &ns);
	ok = ns.n > 0;
	for (size_t i = 0; ok && i < ns.n; i++) {
		strset_init(&glue);
		dmsg_addrs(pkt, LDNS_SECTION_ADDITIONAL, ns.v[i], &glue);
		ok = glue.n > 0;
		for (size_t j = 0; ok && j < glue.n; j++)
			if (!hints_has(srv, ns.v[i], glue.v[j]) &&
			    hints_add(srv, ns.v[i], glue.v[j]) < 0) {
				*rc = -ENOMEM;
				ok = false;
			}
		strset_deinit(&glue);
	}
	if (ok)
		*ttl = least_ttl(pkt, cut, &ns);
	strset_deinit(&ns);
	return ok;
}

int cutcache_learn(struct cutcache *c, const struct evidence *ev,
		   uint64_t learnt_ms)
{
	/* What this evidence teaches, merged across its referrals, then
	 * put over what earlier runs left: servers are not mixed across
	 * runs. */
	struct cutcache fresh = { 0 };
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if ((x->role != EV_WALK && x->role != EV_RESOLVE) ||
		    x->status != QS_OK || strcmp(x->zone, ".") != 0)
			continue;
		const ldns_pkt *pkt = evidence_pkt(ev, i);
		if (!pkt)
			continue;
		char cut[256];
		struct hints srv = { 0 };
		uint32_t ttl = 0;
		if (tld_cut(pkt, x, cut, &srv, &ttl, &rc) && ttl > 0) {
			/* Another root server's referral, or the same one
			 * for another name: the union, the least TTL. */
			const struct cutcache_entry *e =
				cutcache_lookup(&fresh, cut, learnt_ms);
			uint64_t exp = learnt_ms + (uint64_t)ttl * 1000;
			if (e && e->expires_ms < exp)
				exp = e->expires_ms;
			struct hints all = { 0 };
			for (size_t k = 0; e && rc == 0 && k < e->srv.n; k++)
				rc = hints_add(&all, e->srv.v[k].name,
					       e->srv.v[k].addr);
			for (size_t k = 0; rc == 0 && k < srv.n; k++)
				if (!hints_has(&all, srv.v[k].name,
					       srv.v[k].addr))
					rc = hints_add(&all, srv.v[k].name,
						       srv.v[k].addr);
			if (rc == 0)
				rc = cutcache_put(&fresh, cut, &all, exp);
			hints_deinit(&all);
		}
		hints_deinit(&srv);
	}
	for (size_t i = 0; rc == 0 && i < fresh.n; i++)
		rc = cutcache_put(c, fresh.v[i].zone, &fresh.v[i].srv,
				  fresh.v[i].expires_ms);
	for (size_t i = 0; i < fresh.n; i++)
		entry_clear(&fresh.v[i]);
	free(fresh.v);
	return rc < 0 ? -ENOMEM : 0;
}
