/* Consistency checks: do the servers of the zone, and its parent, agree? */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"

/* A distinct NS RRset and the servers that serve it. */
struct rrset_group {
	struct strset ns;
	struct strset servers;
};

struct groups {
	struct rrset_group *g;
	size_t n;
};

static void groups_free(struct groups *gs)
{
	for (size_t i = 0; i < gs->n; i++) {
		strset_deinit(&gs->g[i].ns);
		strset_deinit(&gs->g[i].servers);
	}
	free(gs->g);
}

static int groups_add(struct groups *gs, const struct strset *ns,
		      const char *server)
{
	size_t i;
	for (i = 0; i < gs->n; i++)
		if (strset_equal(&gs->g[i].ns, ns))
			break;
	if (i == gs->n) {
		struct rrset_group *g =
			realloc(gs->g, (gs->n + 1) * sizeof(*g));
		if (!g)
			return -ENOMEM;
		gs->g = g;
		strset_init(&g[i].ns);
		strset_init(&g[i].servers);
		gs->n++;
		if (strset_add_all(&g[i].ns, ns) < 0)
			return -ENOMEM;
	}
	return strset_add(&gs->g[i].servers, server);
}

static int ns_groups(const struct view *v, struct groups *gs)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		if (!view_server_in_scope(s))
			continue;
		for (size_t j = 0; j < s->n_addrs; j++) {
			const struct view_probe *p = &s->addrs[j].ns_udp;
			if (p->asked && p->status == QS_OK && p->ns.n &&
			    groups_add(gs, &p->ns, s->name) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static json_t *groups_json(const struct groups *gs)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < gs->n; i++)
		json_array_append_new(
			a,
			json_pack("{s:o, s:o}", "ns", json_strset(&gs->g[i].ns),
				  "served_by", json_strset(&gs->g[i].servers)));
	return a;
}

/* "{a, b} from x and y; {c} from z", leaving out the group equal to SKIP
 * (when not NULL). */
static char *groups_text(const struct groups *gs, const struct strset *skip)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (size_t i = 0, n = 0; i < gs->n; i++) {
		if (skip && strset_equal(&gs->g[i].ns, skip))
			continue;
		char *ns = strset_join(&gs->g[i].ns, ", ");
		char *by = join_names(&gs->g[i].servers);
		fprintf(f, "%s{%s} from %s", n++ ? "; " : "", ns ? ns : "?",
			by ? by : "?");
		free(ns);
		free(by);
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

int check_ns_rrsets(const struct view *v, time_t now, struct findings *out)
{
	struct groups gs = { 0 };
	int rc = ns_groups(v, &gs);
	char *text = NULL, *parent = NULL, *differ = NULL;
	bool mismatch = false;

	if (rc < 0 || gs.n == 0)
		goto out;
	for (size_t i = 0; i < gs.n; i++)
		mismatch |= !strset_equal(&gs.g[i].ns, &v->parent_ns);
	if (!(text = groups_text(&gs, NULL)) ||
	    !(differ = groups_text(&gs, &v->parent_ns)) ||
	    !(parent = strset_join(&v->parent_ns, ", "))) {
		rc = -ENOMEM;
		goto out;
	}
	if (gs.n > 1)
		rc = findings_add(
			out, F_NS_RRSET_INCONSISTENT,
			json_pack("{s:o}", "rrsets", groups_json(&gs)),
			"Make every server serve the same copy of the zone: "
			"check zone transfers (NOTIFY, allow-transfer, the "
			"secondary's primary address) or update the servers "
			"still holding an old copy.",
			"The servers of %s do not agree on its NS records: %s.",
			v->zone, text);
	if (rc == 0 && mismatch && v->pstate == PS_DELEGATED)
		rc = findings_add(
			out, F_DELEGATION_NS_MISMATCH,
			json_pack("{s:s, s:o, s:o}", "parent", v->parent,
				  "delegated", json_strset(&v->parent_ns),
				  "zone_rrsets", groups_json(&gs)),
			v->parent[0] ? "Make the registrar's name server "
				       "list (the delegation) and the "
				       "zone's own NS records the same "
				       "set of servers, all of which "
				       "serve the zone."
				     : "Update the root hints file from "
				       "the root zone's own NS set (IANA "
				       "publishes it as named.root).",
			"%s%s list%s {%s} for %s, but the zone's "
			"servers list %s.",
			v->parent[0] ? "The parent " : "The root hints",
			v->parent, v->parent[0] ? "s" : "", parent, v->zone,
			differ);
out:
	free(text);
	free(differ);
	free(parent);
	groups_free(&gs);
	return rc;
}

int check_soa_serials(const struct view *v, time_t now, struct findings *out)
{
	/* Group servers by serial, reusing the NS groups' shape with the
	 * serial as a one-element set. */
	struct groups gs = { 0 };
	int rc = 0;
	char *text = NULL;
	size_t len = 0;

	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		if (!view_server_in_scope(s))
			continue;
		for (size_t j = 0; j < s->n_addrs; j++) {
			const struct view_probe *p =
				view_addr_answer(&s->addrs[j]);
			if (!p || !p->has_serial || p->kind != RK_ANSWER)
				continue;
			char buf[16];
			struct strset one;
			strset_init(&one);
			snprintf(buf, sizeof(buf), "%" PRIu32, p->serial);
			rc = strset_add(&one, buf);
			if (rc == 0)
				rc = groups_add(&gs, &one, s->name);
			strset_deinit(&one);
			if (rc < 0)
				goto out;
		}
	}
	if (gs.n < 2)
		goto out;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		rc = -ENOMEM;
		goto out;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < gs.n; i++) {
		char *by = join_names(&gs.g[i].servers);
		fprintf(f, "%sserial %s on %s", i ? "; " : "", gs.g[i].ns.v[0],
			by ? by : "?");
		json_array_append_new(
			arr,
			json_pack("{s:I, s:o}", "serial",
				  (json_int_t)strtoull(gs.g[i].ns.v[0], NULL,
						       10),
				  "served_by", json_strset(&gs.g[i].servers)));
		free(by);
	}
	if (fclose(f) != 0) {
		json_decref(arr);
		rc = -ENOMEM;
		goto out;
	}
	rc = findings_add(out, F_SOA_SERIAL_MISMATCH,
			  json_pack("{s:o}", "serials", arr),
			  "Find why the lagging servers have not loaded the "
			  "latest zone: check NOTIFY and zone transfers from "
			  "the primary (allow-transfer, the secondary's "
			  "primary address, its logs), or bump the serial if "
			  "the primary was edited without it.",
			  "The servers of %s serve different versions of the "
			  "zone: %s.",
			  v->zone, text);
out:
	free(text);
	groups_free(&gs);
	return rc;
}

/* The delegation one answer of a server of the parent gives: the NS set of
 * a referral to the zone, or NXDOMAIN (an empty set). False when the
 * answer says neither (REFUSED, a referral elsewhere, ...): other checks
 * judge those. */
static bool parent_answer(const struct dmsg_key *domain,
			  const struct dmsg_key *zone, const ldns_pkt *pkt,
			  uint16_t qtype, struct strset *ns)
{
	const ldns_rdf *cut = NULL;
	switch (dmsg_classify_key(pkt, domain, qtype, &cut, VIEW_NAME_MAX)) {
	case RK_NXDOMAIN:
		return true;
	case RK_REFERRAL:
		return dmsg_key_is(zone, cut) &&
		       dmsg_targets_key(pkt, LDNS_SECTION_AUTHORITY, zone,
					LDNS_RR_TYPE_NS, ns) == 0 &&
		       ns->n > 0;
	default:
		return false;
	}
}

/* The servers of the parent, grouped by the delegation each gave in the
 * walk (one answer per address: the first). */
static int parent_groups(const struct view *v, struct groups *gs)
{
	const struct evidence *ev = v->ev;
	struct dmsg_key domain, zone;
	struct strset seen;
	int rc = 0;

	dmsg_key_init(&domain, v->domain);
	dmsg_key_init(&zone, v->zone);
	strset_init(&seen);
	for (size_t i = 0; rc == 0 && i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const ldns_pkt *pkt;
		if (x->role != EV_WALK || x->status != QS_OK ||
		    strcmp(x->zone, v->parent) != 0 ||
		    strcmp(x->qname, v->domain) != 0 ||
		    strset_has(&seen, x->addr) || !(pkt = view_pkt(v, i)))
			continue;
		struct strset ns;
		strset_init(&ns);
		if (parent_answer(&domain, &zone, pkt, x->qtype, &ns)) {
			char label[VIEW_NAME_MAX + 80];
			snprintf(label, sizeof(label), "%s (%s)", x->server,
				 x->addr);
			if (strset_add(&seen, x->addr) < 0 ||
			    groups_add(gs, &ns, label) < 0)
				rc = -ENOMEM;
		}
		strset_deinit(&ns);
	}
	strset_deinit(&seen);
	return rc;
}

int check_parent_ns(const struct view *v, time_t now, struct findings *out)
{
	struct groups gs = { 0 };
	char *text = NULL;
	size_t len = 0;
	int rc;

	(void)now;
	/* --ns: as if every server of the parent published the set given. */
	if (v->pstate == PS_UNKNOWN || !v->parent[0] || v->cohosted ||
	    v->ev->what_if_ns.n)
		return 0;
	if ((rc = parent_groups(v, &gs)) < 0 || gs.n < 2)
		goto out;
	FILE *f = open_memstream(&text, &len);
	json_t *arr = json_array();
	for (size_t i = 0; f && i < gs.n; i++) {
		const struct rrset_group *g = &gs.g[i];
		char *ns = strset_join(&g->ns, ", ");
		char *by = join_names(&g->servers);
		if (g->ns.n)
			fprintf(f, "%s%s delegates to {%s}", i ? "; " : "",
				by ? by : "?", ns ? ns : "?");
		else
			fprintf(f, "%s%s answers NXDOMAIN", i ? "; " : "",
				by ? by : "?");
		json_array_append_new(
			arr, g->ns.n ? json_pack("{s:o, s:o}", "ns",
						 json_strset(&g->ns), "servers",
						 json_strset(&g->servers))
				     : json_pack("{s:s, s:o}", "rcode",
						 "NXDOMAIN", "servers",
						 json_strset(&g->servers)));
		free(ns);
		free(by);
	}
	if (!f || fclose(f) != 0) {
		json_decref(arr);
		rc = -ENOMEM;
		goto out;
	}
	rc = findings_add(out, F_PARENT_NS_INCONSISTENT,
			  json_pack("{s:s, s:o}", "parent", v->parent,
				    "answers", arr),
			  NULL,
			  "The servers of %s disagree about the delegation of "
			  "%s: %s.",
			  v->parent, v->zone, text);
out:
	free(text);
	groups_free(&gs);
	return rc;
}
