/* The registry's view (RDAP) against the DNS: holds, deletion, expiry,
 * the four name-server lists and the DS data. Every finding here is only
 * as good as RDAP: when RDAP could not be read, RDAP_UNAVAILABLE (info)
 * is all that is said and the DNS findings stand alone. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <ldns/ldns.h>
#include "core/checks.h"
#include "core/validation.h"
#include "core/view_rdap.h"

#define NOMEM_IF(x)                   \
	do {                          \
		if (!(x)) {           \
			rc = -ENOMEM; \
			goto out;     \
		}                     \
	} while (0)

/* A change the registry recorded less than this long ago and the parent
 * does not show yet is in flight: registries publish in minutes. */
#define IN_FLIGHT_S 86400

static const struct view_rdap *rdap_ok(const struct view *v)
{
	return v->rdap && v->rdap->state == VR_OK ? v->rdap : NULL;
}

static void day(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, len, "?");
}

/* The registrar as evidence: raw strings, escaped for JSON. */
static json_t *registrar_json(const struct rdap_domain *d)
{
	return json_pack("{s:o, s:o, s:o}", "name", json_safe(d->registrar),
			 "iana_id", json_safe(d->registrar_iana), "url",
			 json_safe(d->registrar_url));
}

int check_rdap_unavailable(const struct view *v, time_t now,
			   struct findings *out)
{
	(void)now;
	if (!v->rdap || v->rdap->state != VR_UNAVAILABLE)
		return 0;
	return findings_add(
		out, F_RDAP_UNAVAILABLE,
		json_pack("{s:o}", "reason", json_safe(v->rdap->why)), NULL,
		"RDAP could not be used for %s: %s. The DNS "
		"diagnosis stands on its own.",
		v->domain, v->rdap->why);
}

int check_registry_hold(const struct view *v, time_t now, struct findings *out)
{
	const struct view_rdap *r = rdap_ok(v);
	char who[600], *fix = NULL;
	(void)now;
	if (!r)
		return 0;
	bool client = rdap_status_has(&r->d, "clientHold"),
	     server = rdap_status_has(&r->d, "serverHold");
	if (!client && !server)
		return 0;
	view_rdap_registrar(r, who, sizeof(who));
	if (asprintf(&fix,
		     "Ask %s why %s is on hold (%s) and have the hold lifted; "
		     "the delegation returns with the registry's next "
		     "publication.",
		     who, r->d.ldh_name,
		     server ? "serverHold is the registry's; the registrar "
			      "asks for it to be lifted"
			    : "often an unpaid renewal, an unverified "
			      "registrant e-mail or an abuse report") < 0)
		return -ENOMEM;
	int rc = findings_add(
		out, F_REGISTRY_HOLD,
		json_pack("{s:s, s:s, s:o}", "domain", r->d.ldh_name, "status",
			  server ? "serverHold" : "clientHold", "registrar",
			  registrar_json(&r->d)),
		fix,
		"The registry keeps %s out of the DNS: its RDAP status is %s "
		"(%s). A domain on hold has no delegation, so nothing under "
		"it resolves.",
		r->d.ldh_name, server ? "serverHold" : "clientHold",
		server ? "set by the registry" : "set by the registrar");
	free(fix);
	return rc;
}

int check_pending_delete(const struct view *v, time_t now, struct findings *out)
{
	const struct view_rdap *r = rdap_ok(v);
	static const char *const words[] = { "redemptionPeriod",
					     "pendingRestore",
					     "pendingDelete" };
	char who[600], *fix = NULL;
	(void)now;
	for (size_t i = 0; r && i < sizeof(words) / sizeof(words[0]); i++) {
		if (!rdap_status_has(&r->d, words[i]))
			continue;
		view_rdap_registrar(r, who, sizeof(who));
		if (asprintf(&fix,
			     "Ask %s to restore %s now (a redemption fee "
			     "applies); once pendingDelete ends the name is "
			     "released for anyone to register.",
			     who, r->d.ldh_name) < 0)
			return -ENOMEM;
		int rc = findings_add(out, F_DOMAIN_PENDING_DELETE,
				      json_pack("{s:s, s:s, s:o}", "domain",
						r->d.ldh_name, "status",
						words[i], "registrar",
						registrar_json(&r->d)),
				      fix,
				      "The registration of %s was deleted: its "
				      "RDAP status "
				      "is %s, so the registry has taken it out "
				      "of the DNS.",
				      r->d.ldh_name, words[i]);
		free(fix);
		return rc;
	}
	return 0;
}

int check_domain_expiry(const struct view *v, time_t now, struct findings *out)
{
	const struct view_rdap *r = rdap_ok(v);
	char who[600], when[64], *fix = NULL;
	int64_t warn = v->ev->expiry_warn_s ? v->ev->expiry_warn_s : 30 * 86400;
	if (!r || r->d.expires <= 0)
		return 0;
	bool expired = r->d.expires <= (int64_t)now;
	if (!expired && r->d.expires - (int64_t)now >= warn)
		return 0;
	view_rdap_registrar(r, who, sizeof(who));
	day(r->d.expires, when, sizeof(when));
	if (asprintf(&fix, "Renew %s at %s%s.", r->d.ldh_name, who,
		     expired ? " now" : ", or check that auto-renewal is on") <
	    0)
		return -ENOMEM;
	int64_t days = (r->d.expires - (int64_t)now) / 86400;
	json_t *e = json_pack("{s:s, s:I, s:o}", "domain", r->d.ldh_name,
			      "expires", (json_int_t)r->d.expires, "registrar",
			      registrar_json(&r->d));
	int rc = expired ? findings_add(out, F_DOMAIN_EXPIRED, e, fix,
					"The registration of %s expired on %s "
					"(RDAP).",
					r->d.ldh_name, when)
			 : findings_add(out, F_DOMAIN_EXPIRING, e, fix,
					"The registration of %s expires on %s, "
					"in %lld day%s (RDAP).",
					r->d.ldh_name, when, (long long)days,
					days == 1 ? "" : "s");
	free(fix);
	return rc;
}

/* The servers that answered the zone's NS question: the apex's list. */
static int apex_ns(const struct view *v, struct strset *out)
{
	for (size_t i = 0; i < v->n_srv; i++)
		if (v->srv[i].in_zone && strset_add(out, v->srv[i].name) < 0)
			return -ENOMEM;
	return 0;
}

/* " --expect NAME" for every name of S, for a wait command line; NULL
 * without memory. */
static char *wait_expects(const struct strset *s)
{
	char *out = strdup(""), *next;
	for (size_t i = 0; out && i < s->n; i++) {
		if (asprintf(&next, "%s --expect %s", out, s->v[i]) < 0)
			next = NULL;
		free(out);
		out = next;
	}
	return out;
}

/* The TTL of the parent's NS records for the zone (its referral), the
 * longest a resolver keeps the old delegation; 0 when not seen. */
static uint32_t parent_ns_ttl(const struct view *v)
{
	uint32_t ttl = 0;
	for (size_t i = 0; i < v->ev->n_ex; i++) {
		const struct ev_exchange *x = &v->ev->ex[i];
		const ldns_pkt *p;
		if (x->role != EV_WALK || strcmp(x->zone, v->parent) != 0 ||
		    !(p = view_pkt(v, i)))
			continue;
		const ldns_rr_list *au = ldns_pkt_authority(p);
		for (size_t k = 0; k < ldns_rr_list_rr_count(au); k++) {
			const ldns_rr *rr = ldns_rr_list_rr(au, k);
			char *owner = ldns_rdf2str(ldns_rr_owner(rr));
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS && owner &&
			    strcasecmp(owner, v->zone) == 0 &&
			    ldns_rr_ttl(rr) > ttl)
				ttl = ldns_rr_ttl(rr);
			free(owner);
		}
	}
	return ttl;
}

int check_registrar_ns(const struct view *v, time_t now, struct findings *out)
{
	const struct view_rdap *r = rdap_ok(v);
	struct strset apex;
	char who[600], when[64] = "", *reg = NULL, *par = NULL, *ap = NULL,
		       *exp = NULL, *want = NULL, *fix = NULL, *expects = NULL;
	int rc = 0;
	if (!r || v->pstate != PS_DELEGATED || r->ns.n == 0 ||
	    strcmp(r->d.ldh_name, v->zone) != 0 ||
	    strset_equal(&r->ns, &v->parent_ns))
		return 0;
	strset_init(&apex);
	NOMEM_IF(apex_ns(v, &apex) == 0);
	const struct strset *target = v->expect_ns.n ? &v->expect_ns
				      : apex.n	     ? &apex
						     : NULL;
	bool registry_right = target && strset_equal(&r->ns, target);
	bool recent = r->d.changed > 0 && (int64_t)now - r->d.changed >= 0 &&
		      (int64_t)now - r->d.changed < IN_FLIGHT_S;
	view_rdap_registrar(r, who, sizeof(who));
	if (r->d.changed > 0)
		day(r->d.changed, when, sizeof(when));
	NOMEM_IF(reg = join_names(&r->ns));
	NOMEM_IF(par = join_names(&v->parent_ns));
	NOMEM_IF(ap = join_names(&apex));
	NOMEM_IF(exp = join_names(&v->expect_ns));
	if (registry_right) {
		uint32_t ttl = parent_ns_ttl(v);
		char ttl_text[80] = "the parent's NS TTL";
		if (ttl)
			snprintf(ttl_text, sizeof(ttl_text),
				 "the parent's NS TTL, %u s (%.1f h)", ttl,
				 ttl / 3600.0);
		NOMEM_IF(expects = wait_expects(&r->ns));
		NOMEM_IF(asprintf(&fix,
				  "Nothing to change at %s: the registry has "
				  "the right servers. The parent zone %s "
				  "publishes them with the registry's next "
				  "update (minutes); a fresh resolver, the "
				  "CA's, then follows at once, and resolvers "
				  "that cached the old delegation within %s. "
				  "'dnsdoctor wait %s NS%s' returns when every "
				  "server of %s publishes them; 'dnsdoctor "
				  "propagation %s NS --resolvers ...' gives "
				  "each resolver's time left.",
				  who, v->parent, ttl_text, v->zone, expects,
				  v->parent, v->zone) >= 0);
	} else {
		NOMEM_IF(want = join_hosts(target ? target : &v->parent_ns));
		NOMEM_IF(asprintf(&fix,
				  "At %s, set the name servers of %s to: %s.",
				  who, v->zone, want) >= 0);
	}
	json_t *e = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:s}",
			      "zone", v->zone, "registry", json_strset(&r->ns),
			      "parent", json_strset(&v->parent_ns), "apex",
			      json_strset(&apex), "expected",
			      json_strset(&v->expect_ns), "registrar",
			      registrar_json(&r->d), "in_flight",
			      registry_right && recent, "odd_one",
			      registry_right ? "parent" : "registry");
	/* In flight: when the parent publishes is the registry's to say
	 * (unknown here); after it, cached copies last the parent's TTL. */
	if (e && registry_right) {
		uint32_t ttl = parent_ns_ttl(v);
		json_object_set_new(e, "parent_ttl",
				    ttl ? json_integer(ttl) : json_null());
	}
	if (registry_right)
		rc = findings_add(out, F_REGISTRAR_NS_MISMATCH, e, fix,
				  "A name-server change is in flight for %s: "
				  "the "
				  "registry (RDAP) has %s%s%s, the zone's own "
				  "NS%s agree, "
				  "but the parent %s still delegates to %s.",
				  v->zone, reg, when[0] ? " since " : "", when,
				  v->expect_ns.n ? " and your provider's "
						   "(--expect-ns)"
						 : "",
				  v->parent, par);
	else
		rc = findings_add(
			out, F_REGISTRAR_NS_MISMATCH, e, fix,
			"The registry (RDAP) is the odd list for %s: it has "
			"%s; the parent %s delegates to %s; the zone's own NS "
			"are %s%s%s.",
			v->zone, reg, v->parent, par, apex.n ? ap : "unknown",
			v->expect_ns.n ? "; your provider assigned " : "",
			v->expect_ns.n ? exp : "");
	/* A change the registry made minutes ago is not a fault yet. */
	if (rc == 0 && registry_right && recent)
		out->v[out->n - 1].severity = SEV_INFO;
out:
	free(reg);
	free(par);
	free(ap);
	free(exp);
	free(want);
	free(fix);
	free(expects);
	strset_deinit(&apex);
	return rc;
}

/* "12345 13 2 ABCD…" of one DS record. */
static void ds_text(const ldns_rr *rr, char *buf, size_t len)
{
	char *dig = ldns_rdf2str(ldns_rr_rdf(rr, 3));
	snprintf(buf, len, "%u %u %u %s",
		 (unsigned)ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)),
		 (unsigned)ldns_rdf2native_int8(ldns_rr_rdf(rr, 1)),
		 (unsigned)ldns_rdf2native_int8(ldns_rr_rdf(rr, 2)),
		 dig ? dig : "");
	for (char *c = buf; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	free(dig);
}

/* The DS records the parent's servers served for the zone; *ASKED set
 * when some server answered the question. 0 or -ENOMEM. */
static int parent_ds(const struct view *v, struct strset *out, bool *asked)
{
	char buf[600];
	for (size_t i = 0; i < v->ev->n_ex; i++) {
		const struct ev_exchange *x = &v->ev->ex[i];
		const ldns_pkt *p;
		if (x->role != EV_DNSSEC || x->qtype != LDNS_RR_TYPE_DS ||
		    strcmp(x->qname, v->zone) != 0 || !(p = view_pkt(v, i)) ||
		    ldns_pkt_get_rcode(p) != LDNS_RCODE_NOERROR)
			continue;
		*asked = true;
		const ldns_rr_list *an = ldns_pkt_answer(p);
		for (size_t k = 0; k < ldns_rr_list_rr_count(an); k++) {
			const ldns_rr *rr = ldns_rr_list_rr(an, k);
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DS ||
			    ldns_rr_rd_count(rr) != 4)
				continue;
			ds_text(rr, buf, sizeof(buf));
			if (strset_add(out, buf) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* The DNSKEYs the zone's own servers served, any server, into KEYS (no
 * duplicates). 0 or -ENOMEM. */
static int zone_keys(const struct view *v, ldns_rr_list *keys)
{
	for (size_t i = 0; i < v->ev->n_ex; i++) {
		const struct ev_exchange *x = &v->ev->ex[i];
		const ldns_pkt *p;
		if (x->role != EV_DNSSEC || x->qtype != LDNS_RR_TYPE_DNSKEY ||
		    strcmp(x->qname, v->zone) != 0 || !(p = view_pkt(v, i)) ||
		    ldns_pkt_get_rcode(p) != LDNS_RCODE_NOERROR ||
		    !ldns_pkt_aa(p))
			continue;
		const ldns_rr_list *an = ldns_pkt_answer(p);
		for (size_t k = 0; k < ldns_rr_list_rr_count(an); k++) {
			const ldns_rr *rr = ldns_rr_list_rr(an, k);
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY ||
			    ldns_rr_list_contains_rr(keys, rr))
				continue;
			ldns_rr *c = ldns_rr_clone(rr);
			if (!c || !ldns_rr_list_push_rr(keys, c)) {
				ldns_rr_free(c);
				return -ENOMEM;
			}
		}
	}
	return 0;
}

/* True when the registry's DS D is the DS of one of KEYS: same key tag,
 * algorithm and digest (uppercase hex, as both sides are written). */
static bool ds_matches_key(const struct rdap_ds *d, const ldns_rr_list *keys)
{
	char buf[600], want[600];
	snprintf(want, sizeof(want), "%u %u %u %s", d->key_tag, d->algorithm,
		 d->digest_type, d->digest);
	for (size_t k = 0; k < ldns_rr_list_rr_count(keys); k++) {
		const ldns_rr *key = ldns_rr_list_rr(keys, k);
		if (ldns_calc_keytag(key) != d->key_tag)
			continue;
		ldns_rr *ds = ldns_key_rr2ds(key, (ldns_hash)d->digest_type);
		if (!ds)
			continue;
		ds_text(ds, buf, sizeof(buf));
		ldns_rr_free(ds);
		if (strcmp(buf, want) == 0)
			return true;
	}
	return false;
}

/* The registry's DS set against the zone's keys: "" when the zone serves
 * no key (nothing to compare) or when a registry DS matches one of them,
 * else the key tags the zone serves ("12345, 23456"), into BUF. */
static int stale_against_keys(const struct view *v, const struct view_rdap *r,
			      char *buf, size_t len)
{
	ldns_rr_list *keys = ldns_rr_list_new();
	int rc = keys ? zone_keys(v, keys) : -ENOMEM;
	size_t n = keys ? ldns_rr_list_rr_count(keys) : 0, used = 0;
	buf[0] = '\0';
	bool match = false;
	for (size_t i = 0; rc == 0 && i < r->d.n_ds && !match; i++)
		match = ds_matches_key(&r->d.ds[i], keys);
	for (size_t k = 0; rc == 0 && !match && r->d.n_ds && k < n; k++) {
		int w = snprintf(buf + used, len - used, "%s%u", k ? ", " : "",
				 (unsigned)ldns_calc_keytag(
					 ldns_rr_list_rr(keys, k)));
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
	ldns_rr_list_deep_free(keys);
	return rc;
}

int check_rdap_ds(const struct view *v, time_t now, struct findings *out)
{
	const struct view_rdap *r = rdap_ok(v);
	struct strset reg, par;
	bool asked = false;
	char buf[600], who[600], tags[256], *a = NULL, *b = NULL, *fix = NULL;
	int rc = 0;
	(void)now;
	if (!r || !r->d.has_secure_dns || v->pstate != PS_DELEGATED ||
	    strcmp(r->d.ldh_name, v->zone) != 0)
		return 0;
	strset_init(&reg);
	strset_init(&par);
	for (size_t i = 0; i < r->d.n_ds; i++) {
		snprintf(buf, sizeof(buf), "%u %u %u %s", r->d.ds[i].key_tag,
			 r->d.ds[i].algorithm, r->d.ds[i].digest_type,
			 r->d.ds[i].digest);
		NOMEM_IF(strset_add(&reg, buf) == 0);
	}
	NOMEM_IF(parent_ds(v, &par, &asked) == 0);
	NOMEM_IF(stale_against_keys(v, r, tags, sizeof(tags)) == 0);
	if (!asked)
		goto out;
	NOMEM_IF(a = strset_join(&reg, ", "));
	NOMEM_IF(b = strset_join(&par, ", "));
	view_rdap_registrar(r, who, sizeof(who));
	if (strset_equal(&reg, &par)) {
		/* Both agree on a DS no key of the zone matches: the
		 * registrar still holds the DS of a retired key. */
		if (!tags[0])
			goto out;
		NOMEM_IF(asprintf(&fix,
				  "At %s, replace the DS records of %s with "
				  "the DS of the zone's current key (key tag "
				  "%s; your DNS provider shows it).",
				  who, v->zone, tags) >= 0);
		rc = findings_add(
			out, F_RDAP_DS_MISMATCH,
			json_pack("{s:s, s:o, s:o, s:b, s:s}", "zone", v->zone,
				  "registry", json_strset(&reg), "parent",
				  json_strset(&par), "delegation_signed",
				  r->d.delegation_signed, "zone_key_tags",
				  tags),
			fix,
			"The registry (RDAP) holds DS %s for %s, and the "
			"parent serves the same, but no DNSKEY the zone "
			"serves (key tag %s) matches it.",
			a, v->zone, tags);
		goto out;
	}
	NOMEM_IF(asprintf(&fix,
			  "At %s, set the DS records of %s to the DS of the "
			  "zone's current key (your DNS provider shows it), "
			  "or remove them all if the zone is not signed.",
			  who, v->zone) >= 0);
	rc = findings_add(
		out, F_RDAP_DS_MISMATCH,
		json_pack("{s:s, s:o, s:o, s:b, s:s}", "zone", v->zone,
			  "registry", json_strset(&reg), "parent",
			  json_strset(&par), "delegation_signed",
			  r->d.delegation_signed, "zone_key_tags", tags),
		fix,
		"The registry (RDAP) holds DS %s for %s, but the "
		"parent %s serves %s.%s%s%s",
		reg.n ? a : "none", v->zone, v->parent, par.n ? b : "none",
		tags[0] ? " No DNSKEY the zone serves (key tag " : "", tags,
		tags[0] ? ") matches the registry's DS either." : "");
out:
	free(a);
	free(b);
	free(fix);
	strset_deinit(&reg);
	strset_deinit(&par);
	return rc;
}
