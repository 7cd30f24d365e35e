/* Delegation checks: does the parent point at servers that serve the zone,
 * and can a resolver find and reach them? */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/view_rdap.h"
#include "core/dname.h"

#define NOMEM_IF(x)                   \
	do {                          \
		if (!(x)) {           \
			rc = -ENOMEM; \
			goto out;     \
		}                     \
	} while (0)

/* What RDAP says about a domain the parent does not delegate: " The
 * registry ..." into BUF, or "" when RDAP was off or unusable. */
static void registry_says(const struct view *v, char *buf, size_t len)
{
	const struct view_rdap *r = v->rdap;
	buf[0] = '\0';
	if (!r || r->state == VR_UNAVAILABLE)
		return;
	if (r->state == VR_NOT_FOUND) {
		snprintf(buf, len,
			 " The registry (RDAP) has no such "
			 "domain: it is not registered.");
		return;
	}
	const struct rdap_domain *d = &r->d;
	const char *why =
		rdap_status_has(d, "serverHold")   ? "on hold (serverHold)"
		: rdap_status_has(d, "clientHold") ? "on hold (clientHold)"
		: rdap_status_has(d, "redemptionPeriod") ? "expired and "
							   "deleted "
							   "(redemptionPeriod)"
		: rdap_status_has(d, "pendingDelete")	 ? "being deleted "
							   "(pendingDelete)"
		: d->expires > 0 && d->expires <= v->ev->started ? "expired"
								 : NULL;
	if (why)
		snprintf(buf, len,
			 " The registry (RDAP) knows why: the "
			 "domain is %s.",
			 why);
	else
		snprintf(buf, len,
			 " The registry (RDAP) has it registered "
			 "and names no hold: the registry has not "
			 "published it yet, or it has no name "
			 "servers.");
}

int check_not_delegated(const struct view *v, time_t now, struct findings *out)
{
	if (v->pstate != PS_NXDOMAIN)
		return 0;
	char *who = join_names(&v->parent_servers_nx), rdap[200];
	if (!who)
		return -ENOMEM;
	registry_says(v, rdap, sizeof(rdap));
	json_t *e = json_pack("{s:s, s:s, s:o}", "domain", v->domain, "parent",
			      v->parent, "servers_nxdomain",
			      json_strset(&v->parent_servers_nx));
	int rc = findings_add(out, F_DOMAIN_NOT_DELEGATED, e,
			      "Check the registration at the registrar: the "
			      "domain must be registered, not expired or on "
			      "hold, and have name servers set. The parent "
			      "zone only publishes a delegation for such a "
			      "domain.",
			      "%s does not exist in the parent zone %s: its "
			      "servers (%s) answer NXDOMAIN, so no resolver "
			      "and no CA can find any record under it.%s",
			      v->domain, v->parent, who, rdap);
	free(who);
	return rc;
}

int check_expected_ns(const struct view *v, time_t now, struct findings *out)
{
	if (v->pstate != PS_DELEGATED || v->expect_ns.n == 0 ||
	    strset_equal(&v->parent_ns, &v->expect_ns))
		return 0;
	struct strset missing, extra, serving;
	int rc = 0;
	char *deleg = NULL, *exp = NULL, *fix = NULL, *serv = NULL;
	strset_init(&missing);
	strset_init(&extra);
	strset_init(&serving);
	for (size_t i = 0; i < v->expect_ns.n; i++)
		if (!strset_has(&v->parent_ns, v->expect_ns.v[i]))
			NOMEM_IF(strset_add(&missing, v->expect_ns.v[i]) == 0);
	for (size_t i = 0; i < v->parent_ns.n; i++)
		if (!strset_has(&v->expect_ns, v->parent_ns.v[i]))
			NOMEM_IF(strset_add(&extra, v->parent_ns.v[i]) == 0);
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		for (size_t j = 0; s->expected && j < s->n_addrs; j++)
			if (view_addr_authoritative(&s->addrs[j]))
				NOMEM_IF(strset_add(&serving, s->name) == 0);
	}
	NOMEM_IF(deleg = join_names(&v->parent_ns));
	NOMEM_IF(exp = join_names(&v->expect_ns));
	NOMEM_IF(serv = join_hosts(&v->expect_ns));
	char who[600] = "the registrar";
	if (v->rdap && v->rdap->state == VR_OK)
		view_rdap_registrar(v->rdap, who, sizeof(who));
	NOMEM_IF(asprintf(&fix,
			  "At %s%s%s, set the name servers to "
			  "exactly: %s (the registrar's list is what the "
			  "parent zone %s publishes; after the change, "
			  "resolvers pick it up within the parent's NS TTL).",
			  who, strcmp(who, "the registrar") ? "" : " of ",
			  strcmp(who, "the registrar") ? "" : v->zone, serv,
			  v->parent) >= 0);
	json_t *e = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "zone",
			      v->zone, "parent", v->parent, "delegated",
			      json_strset(&v->parent_ns), "expected",
			      json_strset(&v->expect_ns), "missing_from_parent",
			      json_strset(&missing), "not_expected",
			      json_strset(&extra), "expected_serving_zone",
			      json_strset(&serving));
	rc = findings_add(out, F_EXPECTED_NS_MISMATCH, e, fix,
			  "The parent %s delegates %s to %s, but your DNS "
			  "provider assigned %s%s.",
			  v->parent, v->zone, deleg, exp,
			  serving.n == 0 ? " (and none of those answers "
					   "authoritatively for the zone "
					   "either)"
			  : serving.n == v->expect_ns.n ? ", which do serve "
							  "the zone"
							: " (only some of "
							  "which serve the "
							  "zone)");
out:
	free(deleg);
	free(exp);
	free(serv);
	free(fix);
	strset_deinit(&missing);
	strset_deinit(&extra);
	strset_deinit(&serving);
	return rc;
}

/* "192.0.2.1 REFUSED, 2001:db8::1 timeout": the addresses PICK selects. */
static const struct view_probe *answer_or_udp(const struct view_addr *a)
{
	const struct view_probe *p = view_addr_answer(a);
	return p ? p : &a->soa_udp;
}

static const struct view_probe *udp_of(const struct view_addr *a)
{
	return &a->soa_udp;
}

static const struct view_probe *tcp_of(const struct view_addr *a)
{
	return &a->soa_tcp;
}

static char *
describe_addrs(const struct view_server *s,
	       bool (*pick)(const struct view_addr *),
	       const struct view_probe *(*which)(const struct view_addr *))
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	int n = 0;
	for (size_t i = 0; i < s->n_addrs; i++) {
		const struct view_addr *a = &s->addrs[i];
		if (!pick(a))
			continue;
		fprintf(f, "%s%s: %s", n++ ? ", " : "", a->addr,
			view_probe_describe(which(a)));
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static bool addr_is_lame(const struct view_addr *a)
{
	const struct view_probe *p = view_addr_answer(a);
	return p && !view_addr_authoritative(a);
}

static json_t *
addr_evidence(const struct view_server *s,
	      bool (*pick)(const struct view_addr *),
	      const struct view_probe *(*which)(const struct view_addr *))
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < s->n_addrs; i++) {
		const struct view_addr *a = &s->addrs[i];
		if (!pick(a))
			continue;
		const struct view_probe *q = which(a);
		const struct view_probe *p =
			q->asked && q->status == QS_OK ? q : NULL;
		json_t *o = json_pack("{s:s, s:s, s:s}", "address", a->addr,
				      "status", qstatus_name(q->status),
				      "answer", view_probe_describe(q));
		if (o && p)
			json_object_set_new(
				o, "rcode",
				json_string(
					ldns_lookup_by_id(ldns_rcodes, p->rcode)
						? ldns_lookup_by_id(ldns_rcodes,
								    p->rcode)
							  ->name
						: "?"));
		if (o && p)
			json_object_set_new(o, "aa", json_boolean(p->aa));
		json_array_append_new(arr, o);
	}
	return arr;
}

int check_lame(const struct view *v, time_t now, struct findings *out)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		bool lame = false;
		if (!view_server_in_scope(s))
			continue;
		for (size_t j = 0; j < s->n_addrs; j++)
			lame |= addr_is_lame(&s->addrs[j]);
		if (!lame)
			continue;
		char *d = describe_addrs(s, addr_is_lame, answer_or_udp);
		if (!d)
			return -ENOMEM;
		json_t *e = json_pack(
			"{s:s, s:s, s:b, s:b, s:o}", "server", s->name, "zone",
			v->zone, "in_parent", s->in_parent, "in_zone",
			s->in_zone, "addresses",
			addr_evidence(s, addr_is_lame, answer_or_udp));
		int rc = findings_add(
			out, F_LAME_DELEGATION, e,
			s->in_parent ? "Either load the zone on this server "
				       "(re-create the hosted zone, or add the "
				       "zone to the server's configuration), "
				       "or remove the server from the "
				       "delegation at the registrar and from "
				       "the zone's NS records."
				     : "Load the zone on this server, or "
				       "remove it from the zone's NS records.",
			"%s is %s for %s but does not serve it (%s).", s->name,
			s->in_parent ? "named by the parent"
				     : "named in the zone's NS records",
			v->zone, d);
		free(d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int check_zone_unreachable(const struct view *v, time_t now,
			   struct findings *out)
{
	if (v->pstate != PS_DELEGATED)
		return 0;
	int rc = 0;
	char *desc = NULL, *fix = NULL, *names = NULL;
	size_t len = 0;
	struct strset serving;
	strset_init(&serving);
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		for (size_t j = 0; j < s->n_addrs; j++) {
			if (!view_addr_authoritative(&s->addrs[j]))
				continue;
			if (s->in_parent)
				goto out; /* reachable */
			if (s->expected)
				NOMEM_IF(strset_add(&serving, s->name) == 0);
		}
	}
	FILE *f = open_memstream(&desc, &len);
	NOMEM_IF(f);
	for (size_t i = 0, n = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		if (!s->in_parent)
			continue;
		const struct view_probe *p = NULL;
		bool asked = false;
		for (size_t j = 0; !p && j < s->n_addrs; j++)
			p = view_addr_answer(&s->addrs[j]);
		for (size_t j = 0; j < s->n_addrs; j++)
			asked |= s->addrs[j].soa_udp.asked ||
				 s->addrs[j].soa_tcp.asked;
		/* Not asked: an address --no-private refused. */
		fprintf(f, "%s%s %s", n++ ? ", " : "", s->name,
			p	      ? view_probe_describe(p)
			: !s->n_addrs ? "has no address"
			: asked	      ? "does not answer"
				      : "was not asked");
	}
	if (fclose(f) != 0)
		NOMEM_IF(NULL);
	if (serving.n) {
		NOMEM_IF(names = join_hosts(&serving));
		NOMEM_IF(asprintf(&fix,
				  "At the registrar of %s, set the name "
				  "servers to the ones that serve the zone: "
				  "%s.",
				  v->zone, names) >= 0);
	} else {
		NOMEM_IF(fix = strdup("Make the delegated servers serve the "
				      "zone (load it, or re-create the hosted "
				      "zone), or change the delegation at the "
				      "registrar to servers that do; pass "
				      "--expect-ns with your DNS provider's "
				      "name servers to compare."));
	}
	json_t *e = json_pack("{s:s, s:s, s:o, s:o}", "zone", v->zone, "parent",
			      v->parent, "delegated",
			      json_strset(&v->parent_ns), "serving_elsewhere",
			      json_strset(&serving));
	rc = findings_add(out, F_ZONE_UNREACHABLE, e, fix,
			  "No server that %s%s delegates %s to answers "
			  "authoritatively: %s.",
			  v->parent[0] ? "the parent " : "", view_delegator(v),
			  v->zone, desc);
out:
	free(desc);
	free(fix);
	free(names);
	strset_deinit(&serving);
	return rc;
}

/* QS_NETERR means this host could not send (no IPv6 route, say): that says
 * nothing about the server, so it is not held against it. A server that
 * sent garbage or stalled over TCP did answer something: checks_hostile.c
 * names those. */
static bool failed_silently(int status)
{
	return status != QS_OK && status != QS_NETERR &&
	       status != QS_MALFORMED && status != QS_TCP_STALLED;
}

/* An address that drops only queries with DO is NS_DROPS_DO's. */
static bool addr_no_answer(const struct view_addr *a)
{
	return a->soa_udp.asked && failed_silently(a->soa_udp.status) &&
	       !view_addr_drops_do(a);
}

static bool addr_tcp_answers(const struct view_addr *a)
{
	return addr_no_answer(a) && a->soa_tcp.asked &&
	       a->soa_tcp.status == QS_OK;
}

static bool addr_no_tcp(const struct view_addr *a)
{
	return a->soa_udp.asked && a->soa_udp.status == QS_OK &&
	       a->soa_tcp.asked && failed_silently(a->soa_tcp.status);
}

int check_reachability(const struct view *v, time_t now, struct findings *out)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		bool dead = false, notcp = false;
		for (size_t j = 0; j < s->n_addrs; j++) {
			dead |= addr_no_answer(&s->addrs[j]);
			notcp |= addr_no_tcp(&s->addrs[j]);
		}
		int rc = 0;
		if (dead) {
			char *d = describe_addrs(s, addr_no_answer, udp_of);
			if (!d)
				return -ENOMEM;
			rc = findings_add(
				out, F_NS_UNREACHABLE,
				json_pack("{s:s, s:o}", "server", s->name,
					  "addresses",
					  addr_evidence(s, addr_no_answer,
							udp_of)),
				"Check that the server runs and listens on "
				"this address for UDP and TCP port 53, and "
				"that no firewall drops queries; if the "
				"address is obsolete, correct the glue at the "
				"registrar or the server's A/AAAA record.",
				"%s does not answer over UDP (%s)%s.", s->name,
				d,
				view_server_any(s, addr_tcp_answers)
					? "; it does answer over TCP, so UDP "
					  "is blocked on the way"
					: "");
			free(d);
		}
		if (rc == 0 && notcp) {
			char *d = describe_addrs(s, addr_no_tcp, tcp_of);
			if (!d)
				return -ENOMEM;
			rc = findings_add(
				out, F_NS_NO_TCP,
				json_pack("{s:s, s:o}", "server", s->name,
					  "addresses",
					  addr_evidence(s, addr_no_tcp,
							tcp_of)),
				"Allow TCP port 53 to the server (firewall, "
				"load balancer) and make the server accept TCP "
				"queries: resolvers fall back to TCP for large "
				"or truncated answers.",
				"%s answers over UDP but not over TCP (%s).",
				s->name, d);
			free(d);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int check_glue(const struct view *v, time_t now, struct findings *out)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		int rc = 0;
		if (!s->in_parent)
			continue;
		if (s->in_bailiwick && s->glue.n == 0) {
			char *a = join_names(&s->auth_addrs);
			if (!a)
				return -ENOMEM;
			rc = findings_add(
				out, F_GLUE_MISSING,
				json_pack("{s:s, s:s, s:o}", "server", s->name,
					  "parent", v->parent, "zone_addresses",
					  json_strset(&s->auth_addrs)),
				"Register the name server's addresses (glue, "
				"or 'host records') at the registrar so the "
				"parent can publish them.",
				"The parent %s gives no address (glue) for %s, "
				"which lies inside %s itself; resolvers cannot "
				"find it without that glue (the zone says %s).",
				v->parent, s->name, v->zone, a);
			free(a);
		} else if (s->glue.n && s->resolve == RES_OK &&
			   !strset_equal(&s->glue, &s->auth_addrs)) {
			char *g = join_names(&s->glue),
			     *a = join_names(&s->auth_addrs);
			if (g && a)
				rc = findings_add(
					out, F_GLUE_MISMATCH,
					json_pack("{s:s, s:o, s:o}", "server",
						  s->name, "glue",
						  json_strset(&s->glue),
						  "authoritative",
						  json_strset(&s->auth_addrs)),
					"Make the glue at the registrar and "
					"the A/AAAA records of the name server "
					"in its zone list the same addresses.",
					"The parent %s gives %s as the address "
					"of %s, but its zone says %s.",
					v->parent, g, s->name, a);
			else
				rc = -ENOMEM;
			free(g);
			free(a);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const char *resolve_reason(enum resolve_state r)
{
	switch (r) {
	case RES_NXDOMAIN:
		return "the name does not exist (NXDOMAIN)";
	case RES_NODATA:
		return "the name has no A or AAAA record";
	case RES_NONE:
		return "it was not looked up";
	default:
		return "no server of its zone answered for it";
	}
}

int check_ns_names(const struct view *v, time_t now, struct findings *out)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		int rc = 0;
		if (s->cname)
			rc = findings_add(out, F_NS_IS_CNAME,
					  json_pack("{s:s, s:s}", "server",
						    s->name, "cname", s->cname),
					  "Name the server by its canonical "
					  "name (the CNAME's target) in the "
					  "delegation and the zone's NS "
					  "records; RFC 2181 section 10.3 "
					  "forbids an NS record that points at "
					  "an alias.",
					  "%s is an alias (CNAME) for %s; name "
					  "servers must be named by a name "
					  "with its own A/AAAA records.",
					  s->name, s->cname);
		if (rc == 0 && s->n_addrs == 0)
			rc = findings_add(out, F_NS_NAME_UNRESOLVABLE,
					  json_pack("{s:s, s:s}", "server",
						    s->name, "reason",
						    resolve_reason(s->resolve)),
					  "Give the name server's name an A "
					  "and/or AAAA record in its zone (or "
					  "glue at the registrar for a name "
					  "inside the domain), or replace it "
					  "with a name that resolves.",
					  "%s has no address: %s.", s->name,
					  resolve_reason(s->resolve));
		if (rc < 0)
			return rc;
	}
	return 0;
}

int check_too_few_ns(const struct view *v, time_t now, struct findings *out)
{
	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	/* The zone's own NS RRset counts too (Zonemaster's DELEGATION01
	 * asks both): the parent's two servers are one when the zone
	 * lists one, for resolvers that take the zone's word. */
	struct strset zone_ns;
	strset_init(&zone_ns);
	for (size_t i = 0; i < v->n_srv; i++)
		if (v->srv[i].in_zone &&
		    strset_add(&zone_ns, v->srv[i].name) < 0) {
			strset_deinit(&zone_ns);
			return -ENOMEM;
		}
	int rc = 0;
	if (v->parent_ns.n < 2)
		rc = findings_add(out, F_TOO_FEW_NS,
				  json_pack("{s:o, s:o}", "delegated",
					    json_strset(&v->parent_ns), "zone",
					    json_strset(&zone_ns)),
				  "Add a second name server, on a different "
				  "network, to "
				  "the zone's NS records and to the "
				  "registrar's list.",
				  "%s%s delegates %s to only %zu name "
				  "server%s; one "
				  "failure makes the zone unreachable.",
				  v->parent[0] ? "The parent " : "",
				  v->parent[0] ? v->parent : "The root hints",
				  v->zone, v->parent_ns.n,
				  v->parent_ns.n == 1 ? "" : "s");
	else if (zone_ns.n == 1)
		rc = findings_add(out, F_TOO_FEW_NS,
				  json_pack("{s:o, s:o}", "delegated",
					    json_strset(&v->parent_ns), "zone",
					    json_strset(&zone_ns)),
				  "List every name server the parent delegates "
				  "to in "
				  "the zone's own NS records, and keep at "
				  "least two.",
				  "%s lists only one name server in its own NS "
				  "records "
				  "(%s), though %s delegates to %zu; resolvers "
				  "that "
				  "take the zone's word have one server to "
				  "ask.",
				  v->zone, zone_ns.v[0], view_delegator(v),
				  v->parent_ns.n);
	strset_deinit(&zone_ns);
	return rc;
}
