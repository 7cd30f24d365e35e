/* The validation pass: the questions a CA's validator asks, asked of every
 * authoritative server instead of one resolver. No conclusions. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/dname.h"
#include "core/validation.h"
#include "core/dnsmsg.h"
#include "core/view.h"
#include "engine/http.h"
#include "probe/probe_acme.h"
#include "probe/probe_internal.h"

#define FOLLOW_ROUNDS 8 /* CNAME hops followed, as resolvers bound them */

struct vq {
	char qname[VIEW_NAME_MAX];
	uint16_t qtype;
};

struct vqueue {
	struct vq *v;
	size_t n;
};

static bool vq_has(const struct vqueue *q, const char *name, uint16_t qtype)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i].qtype == qtype && strcmp(q->v[i].qname, name) == 0)
			return true;
	return false;
}

static int vq_add(struct vqueue *q, const char *name, uint16_t qtype)
{
	if (!name[0] || strlen(name) >= VIEW_NAME_MAX || vq_has(q, name, qtype))
		return 0;
	struct vq *v = realloc(q->v, (q->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	q->v = v;
	snprintf(v[q->n].qname, VIEW_NAME_MAX, "%s", name);
	v[q->n++].qtype = qtype;
	return 0;
}

/* The first questions may have gone out with the check's SOA and NS. */
static void ask_validation(struct probe *p, struct round *r, const char *zone,
			   const char *name, const char *addr,
			   const char *qname, uint16_t qtype)
{
	ask_once(p, r, EV_VALIDATION, zone, name, addr, qname, qtype, 0);
}

/* Asks (NAME, QTYPE) of every server of the zone that holds NAME: the
 * diagnosed zone's servers from the view (--expect-ns ones included, so a
 * check can say where the record really is), any other zone's as
 * probe_find_cuts found it. */
static int ask_everywhere(struct probe *p, struct round *r,
			  const struct view *v, const char *name,
			  uint16_t qtype)
{
	if (dname_in(name, v->zone)) {
		for (size_t i = 0; i < v->n_srv; i++)
			for (size_t j = 0; j < v->srv[i].n_addrs; j++)
				ask_validation(p, r, v->zone, v->srv[i].name,
					       v->srv[i].addrs[j].addr, name,
					       qtype);
		return p->nomem ? -ENOMEM : 0;
	}
	char zone[VIEW_NAME_MAX] = "";
	struct hints h = { 0 };
	int rc = probe_cut_servers(p, name, zone, sizeof(zone), &h);
	for (size_t i = 0; rc == 0 && zone[0] && i < h.n; i++)
		ask_validation(p, r, zone, h.v[i].name, h.v[i].addr, name,
			       qtype);
	hints_deinit(&h);
	return rc < 0 ? rc : p->nomem ? -ENOMEM : 0;
}

/* The first questions: CAA on the climb, the challenge and its doubled
 * twin, each ACM name and where its typos would put it. */
static int first_questions(const struct view *v, const struct val_opts *o,
			   struct vqueue *q)
{
	char name[VIEW_NAME_MAX], doubled[VIEW_NAME_MAX],
		nounder[VIEW_NAME_MAX];
	int rc = 0;

	snprintf(name, sizeof(name), "%s", v->domain);
	while (rc == 0 && dname_labels(name) >= 1) {
		char parent[VIEW_NAME_MAX];
		rc = vq_add(q, name, LDNS_RR_TYPE_CAA);
		dname_parent(name, parent, sizeof(parent));
		snprintf(name, sizeof(name), "%s", parent);
	}
	if (o->acme && (!o->challenge || strcmp(o->challenge, "dns-01") == 0)) {
		val_challenge_names(v, name, doubled, sizeof(name));
		if (rc == 0)
			rc = vq_add(q, name, LDNS_RR_TYPE_TXT);
		if (rc == 0)
			rc = vq_add(q, doubled, LDNS_RR_TYPE_TXT);
		if (rc == 0)
			rc = vq_add(q, doubled, LDNS_RR_TYPE_CNAME);
	}
	/* No HTTP-01 for a wildcard: CAs allow only DNS-01 there. */
	if (val_http01(o) && rc == 0 && !o->wildcard) {
		rc = vq_add(q, v->domain, LDNS_RR_TYPE_A);
		if (rc == 0)
			rc = vq_add(q, v->domain, LDNS_RR_TYPE_AAAA);
	}
	for (size_t i = 0; rc == 0 && i < o->n_acm; i++) {
		val_typo_names(o->acm[i].name, v->zone, doubled, nounder,
			       sizeof(doubled));
		rc = vq_add(q, o->acm[i].name, LDNS_RR_TYPE_CNAME);
		if (rc == 0)
			rc = vq_add(q, doubled, LDNS_RR_TYPE_CNAME);
		if (rc == 0)
			rc = vq_add(q, nounder, LDNS_RR_TYPE_CNAME);
	}
	return rc;
}

/* Queues the CNAME targets that the answers to Q[FROM..TO) name, for the
 * same type (CAA and TXT: the validator follows aliases for both). Read
 * from the evidence: some were asked in the check's own round. */
static int follow_up(const struct evidence *ev, struct vqueue *q, size_t from,
		     size_t to)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != EV_VALIDATION || x->qtype == LDNS_RR_TYPE_CNAME)
			continue;
		bool queued = false;
		for (size_t k = from; !queued && k < to; k++)
			queued = q->v[k].qtype == x->qtype &&
				 strcmp(q->v[k].qname, x->qname) == 0;
		if (!queued)
			continue;
		struct val_ans a;
		rc = val_ans_read(x, &a);
		if (rc == 0 && a.cname[0] && !a.n_caa && !a.txt.n)
			rc = vq_add(q, a.cname, x->qtype);
		val_ans_deinit(&a);
	}
	return rc;
}

/* Starts P knowing which addresses answered or timed out in the passes
 * before, so a dead server does not cost a timeout once more per round. */
static void learn_liveness(struct probe *p)
{
	for (size_t i = 0; i < p->ev->n_ex; i++) {
		const struct ev_exchange *x = &p->ev->ex[i];
		if (x->status == QS_OK)
			strset_add(&p->alive, x->addr);
		else if (x->status == QS_TIMEOUT || x->status == QS_UNREACHABLE)
			strset_add(&p->dead, x->addr);
	}
}

/* Finds, all at once, the zones that hold the names of Q[FROM..TO) outside
 * the diagnosed zone. 0 or -ENOMEM. */
static int find_zones(struct probe *p, const struct view *v,
		      const struct vqueue *q, size_t from, size_t to)
{
	const char **names = calloc(to - from + 1, sizeof(*names));
	uint16_t *types = calloc(to - from + 1, sizeof(*types));
	size_t n = 0;
	int rc = names && types ? 0 : -ENOMEM;
	for (size_t i = from; rc == 0 && i < to; i++) {
		if (dname_in(q->v[i].qname, v->zone))
			continue;
		names[n] = q->v[i].qname;
		types[n++] = q->v[i].qtype;
	}
	if (rc == 0 && n)
		rc = probe_find_cuts(p, names, types, n);
	free(names);
	free(types);
	return rc;
}

/* Asks Q's questions, then the CNAME targets the answers name, round by
 * round. 0 or -ENOMEM. */
static int run_rounds(struct probe *p, const struct view *v, struct vqueue *q)
{
	int rc = 0;
	size_t from = 0;
	for (int round = 0; round <= FOLLOW_ROUNDS && from < q->n && rc == 0;
	     round++) {
		struct round *r = round_new(p);
		size_t to = q->n;
		if (!r)
			return -ENOMEM;
		rc = find_zones(p, v, q, from, to);
		for (size_t i = from; rc == 0 && i < to; i++)
			rc = ask_everywhere(p, r, v, q->v[i].qname,
					    q->v[i].qtype);
		round_wait(p, r);
		if (rc == 0)
			rc = follow_up(p->ev, q, from, to);
		from = to;
	}
	return rc;
}

/* Adds to OUT the addresses NAME has at the authoritative servers (the
 * delegated ones for the domain's zone), CNAMEs followed through the
 * answers this pass recorded. 0 or -ENOMEM. */
static int host_addrs(const struct view *v, const char *name,
		      struct strset *out)
{
	const struct evidence *ev = v->ev;
	struct strset names;
	int rc;

	strset_init(&names);
	rc = strset_add(&names, name);
	for (size_t k = 0; rc == 0 && k < names.n && k <= FOLLOW_ROUNDS; k++) {
		for (size_t i = 0; rc == 0 && i < ev->n_ex; i++) {
			const struct ev_exchange *x = &ev->ex[i];
			if (x->role != EV_VALIDATION || x->status != QS_OK ||
			    (x->qtype != LDNS_RR_TYPE_A &&
			     x->qtype != LDNS_RR_TYPE_AAAA) ||
			    strcmp(x->qname, names.v[k]) != 0 ||
			    val_expected_only(v, x))
				continue;
			ldns_pkt *pkt = dmsg_parse(x->wire, x->wire_len);
			if (!pkt)
				continue;
			rc = dmsg_addrs(pkt, LDNS_SECTION_ANSWER, x->qname,
					out);
			if (rc == 0)
				rc = dmsg_targets(pkt, LDNS_SECTION_ANSWER,
						  x->qname, LDNS_RR_TYPE_CNAME,
						  &names);
			ldns_pkt_free(pkt);
		}
	}
	strset_deinit(&names);
	return rc;
}

/* F as the evidence keeps it. */
static int record_fetch(struct evidence *ev, const struct http_fetch *f)
{
	const struct ev_http01 h = {
		.addr = (char *)f->addr,
		.start = (char *)f->start,
		.url = (char *)f->url,
		.location = f->location[0] ? (char *)f->location : NULL,
		.detail = (char *)f->detail,
		.body = (char *)f->body,
		.body_len = f->body_len,
		.status = f->status,
		.code = f->code,
		.truncated = f->truncated,
		.redirects = f->redirects,
	};
	return evidence_add_http01(ev, &h);
}

/* Fetches START from every address of NAME (HOST is NAME without its
 * final dot) and records each result. Redirect targets on other hosts
 * are added to NEXT. 0 or -ENOMEM. */
static int fetch_at(struct probe *p, const struct view *v, const char *name,
		    const char *host, const char *start, struct strset *next)
{
	struct strset addrs;
	struct http_fetch *f = NULL;
	size_t n = 0;
	int rc;

	strset_init(&addrs);
	if ((rc = host_addrs(v, name, &addrs)) < 0 || addrs.n == 0)
		goto out;
	if (!(f = calloc(addrs.n, sizeof(*f)))) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < addrs.n; i++) {
		bool v6 = strchr(addrs.v[i], ':') != NULL;
		if ((p->cfg->family && (p->cfg->family == 6) != v6) ||
		    probe_refuses(p->ev, NULL, EV_USE_HTTP, NULL, name,
				  addrs.v[i], &p->nomem))
			continue;
		f[n++] = (struct http_fetch){ .host = host,
					      .addr = addrs.v[i],
					      .start = start,
					      .timeout_ms = 5000 };
	}
	rc = p->nomem ? -ENOMEM : http_fetch_all(p->eng, f, n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = record_fetch(p->ev, &f[i]);
		if (rc == 0 && f[i].status == HS_REDIRECT_OTHER)
			rc = strset_add(next, f[i].location);
	}
out:
	free(f);
	strset_deinit(&addrs);
	return rc;
}

/* The host of URL as an absolute lower-case name in NAME (and without the
 * final dot in HOST). False for a URL without one, or an address literal:
 * a CA's validator follows redirects to names only. */
static bool url_host(const char *url, char *name, char *host, size_t len)
{
	const char *h = strstr(url, "://");
	if (!h)
		return false;
	h += 3;
	size_t n = strcspn(h, "/:?#@[");
	if (n == 0 || n + 2 > len || h[n] == '@' || h[n] == '[')
		return false;
	for (size_t i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)h[i]);
	host[n] = '\0';
	if (host[n - 1] == '.')
		host[--n] = '\0';
	if (n == 0 || strspn(host, "0123456789.") == n)
		return false;
	snprintf(name, len, "%s.", host);
	return true;
}

/* HTTP-01 as the CA fetches it: the URL from every address of the name;
 * a redirect to another host is followed the way the CA follows it, by
 * resolving that host (at its authoritative servers) and fetching from
 * each of its addresses, at most HTTP_REDIRECTS_MAX hosts deep. */
static int http_pass(struct probe *p, const struct view *v,
		     const struct val_opts *o)
{
	struct strset next, seen;
	char host[VIEW_NAME_MAX], start[700];
	int rc;

	strset_init(&next);
	strset_init(&seen);
	snprintf(host, sizeof(host), "%.*s", (int)strlen(v->domain) - 1,
		 v->domain);
	snprintf(start, sizeof(start),
		 "http://%s/.well-known/acme-challenge/%s", host,
		 o->token ? o->token : VAL_PROBE_TOKEN);
	rc = fetch_at(p, v, v->domain, host, start, &next);
	for (int hop = 0; rc == 0 && next.n && hop < HTTP_REDIRECTS_MAX;
	     hop++) {
		struct strset now = next;
		struct vqueue q = { 0 };
		strset_init(&next);
		for (size_t i = 0; rc == 0 && i < now.n; i++) {
			char name[VIEW_NAME_MAX], h[VIEW_NAME_MAX];
			if (strset_has(&seen, now.v[i]) ||
			    !url_host(now.v[i], name, h, sizeof(name)))
				continue;
			if ((rc = vq_add(&q, name, LDNS_RR_TYPE_A)) == 0)
				rc = vq_add(&q, name, LDNS_RR_TYPE_AAAA);
		}
		if (rc == 0)
			rc = run_rounds(p, v, &q);
		for (size_t i = 0; rc == 0 && i < now.n; i++) {
			char name[VIEW_NAME_MAX], h[VIEW_NAME_MAX];
			if (strset_has(&seen, now.v[i]) ||
			    !url_host(now.v[i], name, h, sizeof(name)))
				continue;
			if ((rc = strset_add(&seen, now.v[i])) == 0)
				rc = fetch_at(p, v, name, h, now.v[i], &next);
		}
		free(q.v);
		strset_deinit(&now);
	}
	strset_deinit(&next);
	strset_deinit(&seen);
	return rc;
}

int probe_validation_ask(struct probe *p, struct round *r, const struct view *v)
{
	struct val_opts o;
	struct vqueue q = { 0 };
	int rc;

	val_opts_read(p->ev, &o);
	if ((!o.acme && !o.n_acm) || v->pstate != PS_DELEGATED)
		return 0;
	rc = first_questions(v, &o, &q);
	/* Those whose zone is known: the diagnosed zone's names, and the
	 * apexes of the zones above it on the CAA climb. */
	for (size_t i = 0; rc == 0 && i < q.n; i++)
		if (dname_in(q.v[i].qname, v->zone) ||
		    probe_is_cut(p, q.v[i].qname))
			rc = ask_everywhere(p, r, v, q.v[i].qname,
					    q.v[i].qtype);
	free(q.v);
	return rc;
}

int probe_validation_pass(struct probe *p)
{
	struct view v;
	struct val_opts o;
	struct vqueue q = { 0 };
	int rc;

	val_opts_read(p->ev, &o);
	if (!o.acme && !o.n_acm)
		return 0;
	if ((rc = view_build(p->ev, &v)) < 0)
		return rc;
	if (v.pstate != PS_DELEGATED || (rc = first_questions(&v, &o, &q)) < 0)
		goto out;
	rc = run_rounds(p, &v, &q);
	if (rc == 0 && val_http01(&o))
		rc = http_pass(p, &v, &o);
out:
	free(q.v);
	view_deinit(&v);
	return rc;
}

int probe_host_addrs(struct engine *eng, const struct probe_config *cfg,
		     struct evidence *ev, struct strset *out)
{
	struct probe p;
	struct view v;
	struct vqueue q = { 0 };
	int rc;

	if ((rc = view_build(ev, &v)) < 0)
		return rc;
	probe_init(&p, eng, cfg, ev);
	learn_liveness(&p);
	if (v.pstate == PS_DELEGATED &&
	    (rc = vq_add(&q, v.domain, LDNS_RR_TYPE_A)) == 0 &&
	    (rc = vq_add(&q, v.domain, LDNS_RR_TYPE_AAAA)) == 0 &&
	    (rc = run_rounds(&p, &v, &q)) == 0)
		rc = host_addrs(&v, v.domain, out);
	free(q.v);
	probe_deinit(&p);
	view_deinit(&v);
	return rc;
}
