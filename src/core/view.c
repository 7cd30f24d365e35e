#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/dname.h"
#include "core/region.h"
#include "core/view.h"
#include "core/view_rdap.h"

#define CNAME_HOPS 8

/* The table of V's parsed responses, one slot per exchange: the scans
 * below ask many questions of the same answers (the walk's for every
 * server, the resolution of every name), and parsing with ldns costs a few
 * hundred allocations per answer. The table and its packets belong to the
 * view's region (one cleanup hook frees the packets). */
const ldns_pkt *view_pkt(const struct view *v, size_t i)
{
	return evidence_pkt(v->ev, i);
}

/* Calls FN for every exchange of ROLE about QNAME that got a parseable
 * response. FN returns negative to stop with that error. */
typedef int (*pkt_fn)(void *ctx, const struct ev_exchange *x,
		      const ldns_pkt *pkt);

static int each_pkt(const struct view *v, int role, const char *qname,
		    pkt_fn fn, void *ctx)
{
	const struct evidence *ev = v->ev;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != role || x->status != QS_OK ||
		    strcmp(x->qname, qname) != 0)
			continue;
		const ldns_pkt *pkt = view_pkt(v, i);
		if (!pkt)
			continue;
		int rc = fn(ctx, x, pkt);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* --- the walk: where is the zone cut, and who is the parent --- */

/* The scans below compare names in the answers with the names they look
 * for as keys (core/dnsmsg.h), each made once per scan from its text. */

struct walk_scan {
	struct dmsg_key domain;
	char cut[VIEW_NAME_MAX], asker[VIEW_NAME_MAX];
	int cut_labels;
};

static int scan_cut(void *ctx, const struct ev_exchange *x, const ldns_pkt *pkt)
{
	struct walk_scan *w = ctx;
	const ldns_rdf *owner;
	char cut[VIEW_NAME_MAX];
	/* The text of a cut that has no more labels than the deepest one yet
	 * would change nothing below (dname_labels never counts more labels
	 * than the name has): such a cut is not printed. */
	if (dmsg_classify_key(pkt, &w->domain, x->qtype, &owner, sizeof(cut)) !=
		    RK_REFERRAL ||
	    ldns_dname_label_count(owner) <= w->cut_labels ||
	    dmsg_name_fit(owner, cut, sizeof(cut)) < 0)
		return 0;
	/* Only a referral downwards counts; an upward one is a lame answer. */
	if (dname_labels(cut) <= dname_labels(x->zone) ||
	    !dname_in(cut, x->zone))
		return 0;
	if (dname_labels(cut) > w->cut_labels) {
		w->cut_labels = dname_labels(cut);
		snprintf(w->cut, sizeof(w->cut), "%s", cut);
		snprintf(w->asker, sizeof(w->asker), "%s", x->zone);
	}
	return 0;
}

struct zone_answers {
	struct dmsg_key domain;
	const char *zone;
	int nxdomain, exists, cohosted;
	struct strset *nx_servers;
	struct strset alias; /* CNAME targets of the domain */
};

/* An authoritative NS answer owned by QNAME itself: the server serves both
 * the zone it was asked as and QNAME's own zone. */
static bool answers_own_ns(const ldns_pkt *pkt, const struct dmsg_key *qname,
			   uint16_t qtype)
{
	return qtype == LDNS_RR_TYPE_NS &&
	       dmsg_classify_key(pkt, qname, qtype, NULL, VIEW_NAME_MAX) ==
		       RK_ANSWER &&
	       dmsg_has_targets(pkt, LDNS_SECTION_ANSWER, qname,
				LDNS_RR_TYPE_NS);
}

static int scan_answers(void *ctx, const struct ev_exchange *x,
			const ldns_pkt *pkt)
{
	struct zone_answers *z = ctx;
	if (strcmp(x->zone, z->zone) != 0)
		return 0;
	switch (dmsg_classify_key(pkt, &z->domain, x->qtype, NULL,
				  VIEW_NAME_MAX)) {
	case RK_NXDOMAIN:
		z->nxdomain++;
		return strset_add(z->nx_servers, x->server);
	case RK_ANSWER:
		z->cohosted += answers_own_ns(pkt, &z->domain, x->qtype);
		if (dmsg_targets_key(pkt, LDNS_SECTION_ANSWER, &z->domain,
				     LDNS_RR_TYPE_CNAME, &z->alias) < 0)
			return -ENOMEM;
		/* fall through */
	case RK_NODATA:
		z->exists++;
		return 0;
	default:
		return 0;
	}
}

/* A scan of the delegation of V's zone in the parent's answers: V's domain
 * and zone as keys, and for scan_glue the server whose glue is looked for. */
struct deleg_scan {
	struct view *v;
	struct dmsg_key domain, zone;
	struct view_server *s;
	struct dmsg_key server;
};

static void deleg_scan_init(struct deleg_scan *d, struct view *v,
			    struct view_server *s)
{
	d->v = v;
	dmsg_key_init(&d->domain, v->domain);
	dmsg_key_init(&d->zone, v->zone);
	d->s = s;
	dmsg_key_init(&d->server, s ? s->name : NULL);
}

/* The section of PKT (from a server of the parent) that holds the
 * delegation of the zone: the authority section of a referral, or the
 * answer section when the parent's server serves the zone itself. -1 when
 * PKT holds neither. */
static int deleg_section(const struct deleg_scan *d,
			 const struct ev_exchange *x, const ldns_pkt *pkt)
{
	const struct view *v = d->v;
	const ldns_rdf *cut;
	if (strcmp(x->zone, v->parent) != 0)
		return -1;
	enum resp_kind k = dmsg_classify_key(pkt, &d->domain, x->qtype, &cut,
					     VIEW_NAME_MAX);
	if (k == RK_REFERRAL && dmsg_key_is(&d->zone, cut))
		return LDNS_SECTION_AUTHORITY;
	if (v->cohosted && answers_own_ns(pkt, &d->zone, x->qtype))
		return LDNS_SECTION_ANSWER;
	return -1;
}

static int scan_referral(void *ctx, const struct ev_exchange *x,
			 const ldns_pkt *pkt)
{
	struct deleg_scan *d = ctx;
	int sec = deleg_section(d, x, pkt);
	if (sec < 0)
		return 0;
	return dmsg_targets_key(pkt, (ldns_pkt_section)sec, &d->zone,
				LDNS_RR_TYPE_NS, &d->v->parent_ns);
}

/* NXDOMAIN from the root, a TLD or another public suffix (co.uk.: the
 * evidence's suffix_labels, from the Public Suffix List) means the registry
 * does not delegate the domain. From the servers of a zone below that, with
 * no cut in between, it means the domain is a name of that zone that has
 * no records: the zone is diagnosed as for any name inside it. Without the
 * list, only the root and TLDs count as registries. */
/* The I-th of EV's root hints ("NAME ADDR") into NAME (VIEW_NAME_MAX)
 * and ADDR (64); false when the line is not that. */
static bool root_hint(const struct evidence *ev, size_t i, char *name,
		      char *addr)
{
	return sscanf(ev->root_hints.v[i], "%255s %63s", name, addr) == 2;
}

/* The root has no parent: the root hints the walk started from are its
 * delegation, NS names and their addresses as glue, as a resolver that
 * primes (RFC 8109) takes them. */
static int root_analyse(const struct evidence *ev, struct view *v)
{
	snprintf(v->zone, sizeof(v->zone), ".");
	v->parent[0] = '\0';
	v->pstate = PS_DELEGATED;
	for (size_t i = 0; i < ev->root_hints.n; i++) {
		char name[VIEW_NAME_MAX], addr[64];
		if (root_hint(ev, i, name, addr) &&
		    strset_add(&v->parent_ns, name) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int walk_analyse(const struct evidence *ev, struct view *v)
{
	struct walk_scan w = { .cut_labels = -1 };
	if (strcmp(v->domain, ".") == 0)
		return root_analyse(ev, v);
	dmsg_key_init(&w.domain, v->domain);
	int rc = each_pkt(v, EV_WALK, v->domain, scan_cut, &w);
	if (rc < 0)
		return rc;
	const char *asked = w.cut_labels < 0 ? "." : w.cut;
	struct zone_answers z = { .zone = asked,
				  .nx_servers = &v->parent_servers_nx };
	dmsg_key_init(&z.domain, v->domain);
	strset_init_in(&z.alias, v->region);
	if (w.cut_labels < 0 || strcmp(w.cut, v->domain) != 0) {
		rc = each_pkt(v, EV_WALK, v->domain, scan_answers, &z);
		if (rc < 0)
			return rc;
	}
	if (w.cut_labels >= 0 && strcmp(w.cut, v->domain) == 0) {
		snprintf(v->zone, sizeof(v->zone), "%s", v->domain);
		snprintf(v->parent, sizeof(v->parent), "%s", w.asker);
	} else if (z.cohosted && w.cut_labels >= 0) {
		snprintf(v->zone, sizeof(v->zone), "%s", v->domain);
		snprintf(v->parent, sizeof(v->parent), "%s", w.cut);
		v->cohosted = true;
	} else if (z.nxdomain && !z.exists &&
		   dname_labels(asked) <=
			   (ev->suffix_labels > 1 ? ev->suffix_labels : 1)) {
		v->pstate = PS_NXDOMAIN;
		snprintf(v->zone, sizeof(v->zone), "%s", v->domain);
		snprintf(v->parent, sizeof(v->parent), "%s", asked);
		return 0;
	} else if (w.cut_labels >= 0) {
		snprintf(v->zone, sizeof(v->zone), "%s", w.cut);
		snprintf(v->parent, sizeof(v->parent), "%s", w.asker);
		v->domain_inside_zone = true;
		v->domain_nxdomain = z.nxdomain && !z.exists;
		if (z.alias.n)
			snprintf(v->alias, sizeof(v->alias), "%s",
				 z.alias.v[0]);
	} else {
		v->pstate = PS_UNKNOWN;
		snprintf(v->zone, sizeof(v->zone), "%s", v->domain);
		return 0;
	}
	v->pstate = PS_DELEGATED;
	if (ev->what_if_ns.n)
		return 0; /* what_if_apply gives the NS set */
	struct deleg_scan d;
	deleg_scan_init(&d, v, NULL);
	return each_pkt(v, EV_WALK, v->domain, scan_referral, &d);
}

/* --ns (Zonemaster's undelegated test): the parent is the one the walk
 * found, but it delegates the domain itself, as a zone, to exactly the
 * servers given, with the addresses given as its glue. Whether the walk
 * found the domain delegated, inside a zone, or not registered, the
 * question is the same: what if the parent published this. */
static int what_if_apply(const struct evidence *ev, struct view *v)
{
	if (v->pstate == PS_UNKNOWN || strcmp(v->domain, ".") == 0)
		return 0;
	if (v->pstate == PS_DELEGATED && strcmp(v->zone, v->domain) != 0 &&
	    !v->cohosted)
		snprintf(v->parent, sizeof(v->parent), "%s", v->zone);
	snprintf(v->zone, sizeof(v->zone), "%s", v->domain);
	v->pstate = PS_DELEGATED;
	v->domain_inside_zone = v->domain_nxdomain = v->cohosted = false;
	v->alias[0] = '\0';
	/* parent_ns is empty: walk_analyse leaves it to us. */
	for (size_t i = 0; i < ev->what_if_ns.n; i++) {
		char name[VIEW_NAME_MAX];
		if (sscanf(ev->what_if_ns.v[i], "%255s", name) != 1)
			continue;
		if (strset_add(&v->parent_ns, name) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The glue of S in the hypothetical delegation: the addresses given. */
static int what_if_glue(const struct evidence *ev, struct view_server *s)
{
	for (size_t i = 0; i < ev->what_if_ns.n; i++) {
		char name[VIEW_NAME_MAX], addr[64];
		if (sscanf(ev->what_if_ns.v[i], "%255s %63s", name, addr) ==
			    2 &&
		    strcmp(name, s->name) == 0 &&
		    strset_add(&s->glue, addr) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* --- servers --- */

static struct view_server *server_get(struct view *v, const char *name)
{
	for (size_t i = 0; i < v->n_srv; i++)
		if (strcmp(v->srv[i].name, name) == 0)
			return &v->srv[i];
	struct view_server *n =
		region_grow_array(v->region, v->srv, v->n_srv, sizeof(*n));
	if (!n)
		return NULL;
	v->srv = n;
	struct view_server *s = &v->srv[v->n_srv];
	memset(s, 0, sizeof(*s));
	s->name = region_strdup(v->region, name);
	if (!s->name)
		return NULL;
	strset_init_in(&s->glue, v->region);
	strset_init_in(&s->auth_addrs, v->region);
	s->in_bailiwick = dname_in(name, v->zone);
	v->n_srv++;
	return s;
}

static struct view_addr *addr_get(struct region *r, struct view_server *s,
				  const char *addr)
{
	for (size_t i = 0; i < s->n_addrs; i++)
		if (strcmp(s->addrs[i].addr, addr) == 0)
			return &s->addrs[i];
	struct view_addr *n =
		region_grow_array(r, s->addrs, s->n_addrs, sizeof(*n));
	if (!n)
		return NULL;
	s->addrs = n;
	struct view_addr *a = &s->addrs[s->n_addrs];
	memset(a, 0, sizeof(*a));
	a->addr = region_strdup(r, addr);
	if (!a->addr)
		return NULL;
	strset_init_in(&a->soa_udp.ns, r);
	strset_init_in(&a->soa_tcp.ns, r);
	strset_init_in(&a->ns_udp.ns, r);
	strset_init_in(&a->soa_noedns.ns, r);
	s->n_addrs++;
	return a;
}

static int scan_glue(void *ctx, const struct ev_exchange *x,
		     const ldns_pkt *pkt)
{
	struct deleg_scan *d = ctx;
	if (deleg_section(d, x, pkt) < 0)
		return 0;
	return dmsg_addrs_key(pkt, LDNS_SECTION_ADDITIONAL, &d->server,
			      &d->s->glue);
}

struct resolve_scan {
	struct dmsg_key name;
	struct strset *addrs;
	struct strset cnames;
	int answers, nxdomain, nodata;
};

static int scan_resolve(void *ctx, const struct ev_exchange *x,
			const ldns_pkt *pkt)
{
	struct resolve_scan *r = ctx;
	if (x->qtype != LDNS_RR_TYPE_A && x->qtype != LDNS_RR_TYPE_AAAA)
		return 0;
	switch (dmsg_classify_key(pkt, &r->name, x->qtype, NULL,
				  VIEW_NAME_MAX)) {
	case RK_ANSWER:
		r->answers++;
		if (dmsg_addrs_key(pkt, LDNS_SECTION_ANSWER, &r->name,
				   r->addrs) < 0)
			return -ENOMEM;
		return dmsg_targets_key(pkt, LDNS_SECTION_ANSWER, &r->name,
					LDNS_RR_TYPE_CNAME, &r->cnames);
	case RK_NXDOMAIN:
		r->nxdomain++;
		return 0;
	case RK_NODATA:
		r->nodata++;
		return 0;
	default:
		return 0;
	}
}

/* Resolves NAME from the evidence, following CNAMEs. Returns the state; the
 * first alias target goes to *CNAME when CNAME is not NULL. */
static int resolve_from(const struct view *v, const char *name, int hops,
			struct strset *addrs, char **cname)
{
	struct resolve_scan r = { .addrs = addrs };
	dmsg_key_init(&r.name, name);
	strset_init(&r.cnames);
	int rc = each_pkt(v, EV_RESOLVE, name, scan_resolve, &r);
	if (rc < 0)
		goto out;
	if (r.cnames.n) {
		if (cname && !*cname &&
		    !(*cname = region_strdup(v->region, r.cnames.v[0]))) {
			rc = -ENOMEM;
			goto out;
		}
		rc = RES_FAILED;
		for (size_t i = 0; i < r.cnames.n && hops > 0; i++) {
			int t = resolve_from(v, r.cnames.v[i], hops - 1, addrs,
					     NULL);
			if (t < 0 || t == RES_OK || rc == RES_FAILED)
				rc = t;
		}
		if (rc >= 0 && addrs->n)
			rc = RES_OK;
		goto out;
	}
	if (addrs->n)
		rc = RES_OK;
	else if (r.nxdomain)
		rc = RES_NXDOMAIN;
	else if (r.nodata)
		rc = RES_NODATA;
	else if (r.answers)
		rc = RES_FAILED;
	else
		rc = RES_NONE;
out:
	strset_deinit(&r.cnames);
	return rc;
}

/* Fills P from exchange I of V's evidence, a question about the zone (ZONE,
 * V's zone as a key). */
static void probe_fill(struct view_probe *p, const struct view *v, size_t i,
		       const struct dmsg_key *zone)
{
	const struct ev_exchange *x = &v->ev->ex[i];
	p->asked = true;
	p->status = x->status;
	p->rtt_ms = x->rtt_ms;
	const ldns_pkt *pkt = view_pkt(v, i);
	if (x->status == QS_OK && !pkt) {
		p->status = QS_MALFORMED;
		return;
	}
	if (!pkt)
		return;
	p->rcode = ldns_pkt_get_rcode(pkt);
	p->aa = ldns_pkt_aa(pkt);
	p->kind = dmsg_classify_key(pkt, zone, x->qtype, NULL, VIEW_NAME_MAX);
	if (p->kind == RK_ANSWER && x->qtype == LDNS_RR_TYPE_SOA)
		p->has_serial = dmsg_soa_serial_key(pkt, zone, &p->serial) == 0;
	if (p->kind == RK_ANSWER && x->qtype == LDNS_RR_TYPE_NS)
		dmsg_targets_key(pkt, LDNS_SECTION_ANSWER, zone,
				 LDNS_RR_TYPE_NS, &p->ns);
}

static int server_fill(const struct evidence *ev, struct view *v,
		       struct view_server *s)
{
	struct deleg_scan d;
	deleg_scan_init(&d, v, s);
	int rc = v->ev->what_if_ns.n
			 ? what_if_glue(ev, s)
			 : each_pkt(v, EV_WALK, v->domain, scan_glue, &d);
	if (rc < 0)
		return rc;
	for (size_t i = 0; !v->parent[0] && i < ev->root_hints.n; i++) {
		char name[VIEW_NAME_MAX], addr[64];
		if (root_hint(ev, i, name, addr) &&
		    strcmp(name, s->name) == 0 &&
		    strset_add(&s->glue, addr) < 0)
			return -ENOMEM;
	}
	rc = resolve_from(v, s->name, CNAME_HOPS, &s->auth_addrs, &s->cname);
	if (rc < 0)
		return rc;
	s->resolve = rc;
	for (size_t i = 0; i < s->glue.n; i++) {
		struct view_addr *a = addr_get(v->region, s, s->glue.v[i]);
		if (!a)
			return -ENOMEM;
		a->glue = true;
	}
	for (size_t i = 0; i < s->auth_addrs.n; i++) {
		struct view_addr *a =
			addr_get(v->region, s, s->auth_addrs.v[i]);
		if (!a)
			return -ENOMEM;
		a->resolved = true;
	}
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		bool noedns = x->role == EV_AUTH_NOEDNS;
		bool nodo = x->role == EV_BEHAVIOUR &&
			    x->qtype == LDNS_RR_TYPE_SOA &&
			    x->transport == TR_UDP && x->qflags == EV_QF_EDNS;
		if ((x->role != EV_AUTH && !noedns && !nodo) ||
		    strcmp(x->server, s->name) || strcmp(x->qname, v->zone))
			continue;
		struct view_addr *a = addr_get(v->region, s, x->addr);
		if (!a)
			return -ENOMEM;
		if (nodo) {
			probe_fill(&a->soa_nodo, v, i, &d.zone);
		} else if (noedns) {
			if (x->qtype == LDNS_RR_TYPE_SOA &&
			    x->transport == TR_UDP)
				probe_fill(&a->soa_noedns, v, i, &d.zone);
		} else if (x->qtype == LDNS_RR_TYPE_SOA &&
			   x->transport == TR_UDP)
			probe_fill(&a->soa_udp, v, i, &d.zone);
		else if (x->qtype == LDNS_RR_TYPE_SOA)
			probe_fill(&a->soa_tcp, v, i, &d.zone);
		else if (x->qtype == LDNS_RR_TYPE_NS && x->transport == TR_UDP)
			probe_fill(&a->ns_udp, v, i, &d.zone);
	}
	return 0;
}

/* The zone's own NS RRset, as served by in-scope servers, may name servers
 * the parent does not: add them until nothing new appears. */
static int add_zone_servers(const struct evidence *ev, struct view *v)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		struct view_server *s = &v->srv[i];
		if (!view_server_in_scope(s))
			continue;
		for (size_t j = 0; j < s->n_addrs; j++) {
			const struct view_probe *p = &s->addrs[j].ns_udp;
			for (size_t k = 0; k < p->ns.n; k++) {
				struct view_server *t =
					server_get(v, p->ns.v[k]);
				if (!t)
					return -ENOMEM;
				s = &v->srv[i]; /* server_get may move the array
						 */
				p = &s->addrs[j].ns_udp;
				if (t->in_zone)
					continue;
				bool fresh = !t->in_parent && !t->expected;
				t->in_zone = true;
				if (fresh) {
					int rc = server_fill(ev, v, t);
					if (rc < 0)
						return rc;
				}
			}
		}
	}
	return 0;
}

static void rdap_free(void *r)
{
	view_rdap_free(r);
}

int view_build(const struct evidence *ev, struct view *v)
{
	int rc;
	memset(v, 0, sizeof(*v));
	v->region = region_new();
	if (!v->region)
		return -ENOMEM;
	strset_init_in(&v->parent_ns, v->region);
	strset_init_in(&v->parent_servers_nx, v->region);
	strset_init_in(&v->expect_ns, v->region);
	v->ev = ev;
	snprintf(v->domain, sizeof(v->domain), "%s", ev->domain);
	v->n_exchanges = ev->n_ex;
	for (size_t i = 0; i < ev->n_expect_ns; i++)
		if ((rc = strset_add(&v->expect_ns, ev->expect_ns[i])) < 0)
			goto fail;
	if ((rc = walk_analyse(ev, v)) < 0 ||
	    (ev->what_if_ns.n && (rc = what_if_apply(ev, v)) < 0) ||
	    (rc = view_rdap_new(ev, &v->rdap)) < 0)
		goto fail;
	if (v->rdap &&
	    (rc = region_add_cleanup(v->region, rdap_free, v->rdap)) < 0) {
		view_rdap_free(v->rdap);
		v->rdap = NULL;
		goto fail;
	}
	if (v->pstate != PS_DELEGATED)
		return 0;
	for (size_t i = 0; i < v->parent_ns.n; i++) {
		struct view_server *s = server_get(v, v->parent_ns.v[i]);
		if (!s) {
			rc = -ENOMEM;
			goto fail;
		}
		s->in_parent = true;
	}
	for (size_t i = 0; i < v->expect_ns.n; i++) {
		struct view_server *s = server_get(v, v->expect_ns.v[i]);
		if (!s) {
			rc = -ENOMEM;
			goto fail;
		}
		s->expected = true;
	}
	for (size_t i = 0; i < v->n_srv; i++)
		if ((rc = server_fill(ev, v, &v->srv[i])) < 0)
			goto fail;
	if ((rc = add_zone_servers(ev, v)) < 0)
		goto fail;
	return 0;
fail:
	view_deinit(v);
	return rc;
}

void view_deinit(struct view *v)
{
	region_free(v->region);
	memset(v, 0, sizeof(*v));
}

const struct view_server *view_server_find(const struct view *v,
					   const char *name)
{
	for (size_t i = 0; i < v->n_srv; i++)
		if (strcmp(v->srv[i].name, name) == 0)
			return &v->srv[i];
	return NULL;
}

/* FORMERR or NOTIMP: what a server that does not know EDNS answers to a
 * query with an OPT record (RFC 6891, section 7). */
static bool rejects_edns(const struct view_probe *p)
{
	return p->asked && p->status == QS_OK && p->kind == RK_RCODE &&
	       (p->rcode == LDNS_RCODE_FORMERR ||
		p->rcode == LDNS_RCODE_NOTIMPL);
}

bool view_addr_edns_intolerant(const struct view_addr *a)
{
	const struct view_probe *n = &a->soa_noedns;

	return rejects_edns(&a->soa_udp) && n->asked && n->status == QS_OK &&
	       n->kind == RK_ANSWER && n->has_serial;
}

const struct view_probe *view_addr_answer(const struct view_addr *a)
{
	if (view_addr_edns_intolerant(a))
		return &a->soa_noedns;
	if (a->soa_udp.asked && a->soa_udp.status == QS_OK)
		return &a->soa_udp;
	if (a->soa_tcp.asked && a->soa_tcp.status == QS_OK)
		return &a->soa_tcp;
	return NULL;
}

static bool probe_answers(const struct view_probe *p)
{
	return p->asked && p->status == QS_OK && p->kind == RK_ANSWER;
}

bool view_addr_drops_do(const struct view_addr *a)
{
	return probe_answers(&a->soa_nodo) && a->soa_udp.asked &&
	       !probe_answers(&a->soa_udp) && !probe_answers(&a->soa_tcp);
}

bool view_addr_authoritative(const struct view_addr *a)
{
	const struct view_probe *p = view_addr_answer(a);
	return p && p->kind == RK_ANSWER && p->has_serial;
}

bool view_server_any(const struct view_server *s,
		     bool (*pick)(const struct view_addr *))
{
	for (size_t i = 0; i < s->n_addrs; i++)
		if (pick(&s->addrs[i]))
			return true;
	return false;
}

const char *view_probe_describe(const struct view_probe *p)
{
	if (!p->asked)
		return "not asked";
	if (p->status != QS_OK)
		return qstatus_name(p->status);
	switch (p->kind) {
	case RK_ANSWER:
		return "authoritative";
	case RK_REFERRAL:
		return "a referral";
	case RK_NOTAUTH:
		return "no AA bit";
	case RK_NODATA:
		return "no SOA (NODATA)";
	case RK_NXDOMAIN:
		return "NXDOMAIN";
	default:
		return ldns_lookup_by_id(ldns_rcodes, p->rcode)
			       ? ldns_lookup_by_id(ldns_rcodes, p->rcode)->name
			       : "an error rcode";
	}
}
