/* DNSSEC checks: follow the chain from the trust anchor down to the zone,
 * and say which server, which key and which dates break it. Pure: the time
 * is the evidence's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/view_dnssec.h"

/* The "RRset" noted for a server of a signed zone that serves no DNSKEY. */
#define NO_DNSKEY "no DNSKEY"

/* What one zone's servers got wrong, gathered per code so that each code
 * gives one finding naming every server it concerns. */
struct issue {
	json_t *items;	       /* [{server, address, rrset, ...}] */
	struct strset servers; /* "ns1. (192.0.2.1)" */
	struct strset rrsets;  /* "DNSKEY", "SOA", ... */
	size_t n;	       /* servers concerned */
	bool has_sig;
	struct sig_result sig; /* the first signature concerned */
	char *text;	       /* the servers, joined when emitted */
	char *what;	       /* the RRsets, joined when emitted */
};

struct zone_issues {
	struct issue by[F__COUNT];
};

static void issues_init(struct zone_issues *zi)
{
	memset(zi, 0, sizeof(*zi));
}

static void issues_clear(struct zone_issues *zi)
{
	for (int c = 0; c < F__COUNT; c++) {
		strset_deinit(&zi->by[c].servers);
		strset_deinit(&zi->by[c].rrsets);
		free(zi->by[c].text);
		free(zi->by[c].what);
		json_decref(zi->by[c].items);
	}
	issues_init(zi);
}

static void sig_json(json_t *o, const struct sig_result *s)
{
	char t[40];
	json_object_set_new(o, "signature",
			    json_string(dnssec_sig_state_name(s->state)));
	if (s->state == SIG_NONE)
		return;
	json_object_set_new(o, "key_tag", json_integer(s->keytag));
	json_object_set_new(o, "algorithm", json_integer(s->alg));
	dnssec_time_text(s->inception, t, sizeof(t));
	json_object_set_new(o, "inception", json_string(t));
	dnssec_time_text(s->expiration, t, sizeof(t));
	json_object_set_new(o, "expiration", json_string(t));
}

static int note(struct zone_issues *zi, enum finding_code code,
		const struct dsv_server *s, const char *what,
		const struct sig_result *sig)
{
	struct issue *is = &zi->by[code];
	char who[VIEW_NAME_MAX + 64];
	if (!is->items && !(is->items = json_array()))
		return -ENOMEM;
	if (sig && !is->has_sig) {
		is->sig = *sig;
		is->has_sig = true;
	}
	snprintf(who, sizeof(who), "%s (%s)", s->name, s->addr);
	if (strset_add(&is->servers, who) < 0 ||
	    strset_add(&is->rrsets, what) < 0)
		return -ENOMEM;
	is->n = is->servers.n;
	json_t *o = json_pack("{s:s, s:s, s:s}", "server", s->name, "address",
			      s->addr, "rrset", what);
	if (o && sig)
		sig_json(o, sig);
	json_array_append_new(is->items, o);
	return 0;
}

/* The signature outcome of one RRset at one server, as a code. */
static int sig_code(const struct sig_result *s, time_t now, int64_t warn)
{
	switch (s->state) {
	case SIG_NONE:
		return F_RRSIG_MISSING;
	case SIG_EXPIRED:
		return F_RRSIG_EXPIRED;
	case SIG_NOT_YET:
		return F_RRSIG_NOT_YET_VALID;
	case SIG_BOGUS:
	case SIG_NO_KEY:
		return F_RRSIG_INVALID;
	case SIG_UNSUPPORTED:
		return F_DNSKEY_ALGORITHM_UNSUPPORTED;
	case SIG_VALID:
		return (int64_t)s->expiration - (int64_t)now < warn
			       ? F_RRSIG_EXPIRING_SOON
			       : -1;
	}
	return -1;
}

static int note_sig(struct zone_issues *zi, const struct dsv_server *s,
		    const char *what, const struct sig_result *sig, time_t now,
		    int64_t warn)
{
	int code = sig_code(sig, now, warn);
	return code < 0 ? 0 : note(zi, code, s, what, sig);
}

struct zone_ctx {
	const struct view *v;
	const struct dnssec_view *d;
	const struct dsv_zone *z;
	const char *parent;
	time_t now;
};

static const char *sig_dates(const struct sig_result *s, char *buf, size_t len)
{
	char a[40], b[40];
	dnssec_time_text(s->inception, a, sizeof(a));
	dnssec_time_text(s->expiration, b, sizeof(b));
	snprintf(buf, len, "key tag %u, algorithm %u, valid %s to %s",
		 s->keytag, s->alg, a, b);
	return buf;
}

/* Who names the keys a zone must have, at the start of a sentence. */
static const char *src_cap(const struct dsv_zone *z)
{
	return z->ds_what_if  ? "The DS you gave (--ds)"
	       : z->ds_anchor ? "The trust anchor"
			      : "The DS at the parent";
}

static int emit(const struct zone_ctx *c, struct zone_issues *zi,
		enum finding_code code, struct findings *out)
{
	struct issue *is = &zi->by[code];
	const struct dsv_zone *z = c->z;
	char ds[256], keys[256], dates[160], *sum = NULL, *fix = NULL;
	int rc = 0;
	if (is->n == 0)
		return 0;
	if (!(is->text = strset_join(&is->servers, ", ")) ||
	    !(is->what = join_names(&is->rrsets)))
		return -ENOMEM;
	dnssec_keytags(z->ds, true, ds, sizeof(ds));
	dnssec_keytags(z->keys, false, keys, sizeof(keys));
	sig_dates(&is->sig, dates, sizeof(dates));
	const char *src = z->ds_what_if	 ? "the DS you gave (--ds)"
			  : z->ds_anchor ? "the trust anchor"
					 : "the DS at the parent";
	unsigned ttl = z->ds_ttl;
	switch (code) {
	case F_DS_WITHOUT_DNSKEY:
		rc = asprintf(&sum,
			      "%s names keys of %s (%s), but its servers serve "
			      "no DNSKEY: %s. Validating resolvers, and so the "
			      "CA, get SERVFAIL for every name in %s.",
			      src_cap(z), z->name, ds, is->text, z->name);
		if (rc >= 0 && z->ds_anchor)
			rc = asprintf(&fix, "Give the trust anchor of this "
					    "hierarchy (--trust-anchor), or "
					    "sign its root.");
		else if (rc >= 0)
			rc = asprintf(&fix,
				      "Remove the DS record at the registrar "
				      "(the zone is not signed), or sign the "
				      "zone with the key the DS names and "
				      "serve it from every server. Validating "
				      "resolvers that cached the DS keep "
				      "failing for up to %u s (its TTL at %s) "
				      "after it is removed.",
				      ttl, c->parent);
		break;
	case F_DS_NO_MATCHING_DNSKEY:
		rc = asprintf(&sum,
			      "No DNSKEY of %s matches %s (DS %s; DNSKEY %s) "
			      "at %s: validators cannot trust the zone and "
			      "answer SERVFAIL.",
			      z->name, src, ds, keys, is->text);
		if (rc >= 0)
			rc = asprintf(&fix,
				      "Publish at the registrar the DS of the "
				      "key that signs the zone now (key %s), "
				      "or sign again with the key the DS "
				      "names. Resolvers may hold the old DS "
				      "for up to %u s (its TTL at %s): keep "
				      "the key it names published until then.",
				      keys, ttl, c->parent);
		break;
	case F_RRSIG_MISSING:
		if (strset_has(&is->rrsets, NO_DNSKEY))
			rc = asprintf(&sum,
				      "%s serve%s an unsigned copy of %s (%s), "
				      "though the zone is signed (%s): "
				      "resolvers that reach %s get SERVFAIL.",
				      is->text, is->n == 1 ? "s" : "", z->name,
				      is->what, src,
				      is->n == 1 ? "it" : "them");
		else
			rc = asprintf(&sum,
				      "%s serve%s %s's %s without signatures, "
				      "though the zone is signed (%s): "
				      "resolvers that reach %s get SERVFAIL.",
				      is->text, is->n == 1 ? "s" : "", z->name,
				      is->what, src,
				      is->n == 1 ? "it" : "them");
		if (rc >= 0)
			rc = asprintf(&fix, "Serve the signed zone from every "
					    "server: transfer the signed copy "
					    "to the secondaries (or enable "
					    "signing there), then reload "
					    "them.");
		break;
	case F_RRSIG_EXPIRED:
		rc = asprintf(&sum,
			      "The signatures over %s's %s have expired (%s) "
			      "at %s: validating resolvers answer SERVFAIL.",
			      z->name, is->what, dates, is->text);
		if (rc >= 0)
			rc = asprintf(&fix, "Re-sign the zone and reload every "
					    "server; find out why re-signing "
					    "stopped (signing job, key "
					    "access). Resolvers recover as "
					    "soon as they fetch the new "
					    "signatures.");
		break;
	case F_RRSIG_NOT_YET_VALID:
		rc = asprintf(&sum,
			      "The signatures over %s's %s are not valid yet "
			      "(%s) at %s: validating resolvers answer "
			      "SERVFAIL.",
			      z->name, is->what, dates, is->text);
		if (rc >= 0)
			rc = asprintf(&fix, "Check the signer's clock and "
					    "re-sign with an inception time in "
					    "the past (signers usually "
					    "back-date by an hour), then "
					    "reload every server.");
		break;
	case F_RRSIG_EXPIRING_SOON:
		rc = asprintf(&sum,
			      "The signatures over %s's %s expire soon (%s; "
			      "%lld hours from now) at %s.",
			      z->name, is->what, dates,
			      (long long)(((int64_t)is->sig.expiration -
					   (int64_t)c->now) /
					  3600),
			      is->text);
		if (rc >= 0)
			rc = asprintf(&fix, "Make sure the zone is re-signed "
					    "before then: check that the "
					    "signer runs and that every server "
					    "loads the re-signed zone.");
		break;
	case F_RRSIG_INVALID:
		rc = asprintf(&sum,
			      "The signatures over %s's %s do not verify with "
			      "the zone's keys (%s) at %s: validating "
			      "resolvers answer SERVFAIL.",
			      z->name, is->what, dates, is->text);
		if (rc >= 0)
			rc = asprintf(&fix, "Re-sign the zone and make every "
					    "server serve the same keys and "
					    "signatures.");
		break;
	case F_DNSKEY_ALGORITHM_UNSUPPORTED:
		rc = asprintf(&sum,
			      "%s uses only DNSSEC algorithms validators do "
			      "not use (%s): the zone is treated as unsigned.",
			      z->name, is->n ? ds : keys);
		if (rc >= 0)
			rc = asprintf(&fix, "Sign with a current algorithm "
					    "(13, ECDSAP256SHA256, or 8, "
					    "RSASHA256) and publish its DS at "
					    "the registrar.");
		break;
	case F_NSEC_PROOF_INVALID:
		rc = asprintf(&sum,
			      "The answer that %s does not exist carries no "
			      "valid NSEC/NSEC3 proof at %s: validating "
			      "resolvers answer SERVFAIL instead of NXDOMAIN, "
			      "which breaks the CA's first DNS-01 look-up.",
			      c->d->denial_name, is->text);
		if (rc >= 0)
			rc = asprintf(&fix, "Serve the signed zone with its "
					    "NSEC or NSEC3 chain from every "
					    "server (re-sign, transfer the "
					    "signed copy, reload).");
		break;
	default:
		return 0;
	}
	if (rc < 0) {
		free(sum);
		return -ENOMEM;
	}
	json_t *e = json_pack("{s:s, s:s, s:O, s:s, s:s}", "zone", z->name,
			      "rrset", is->what ? is->what : "", "servers",
			      is->items, "ds", ds, "dnskeys", keys);
	if (e &&
	    (code == F_DS_WITHOUT_DNSKEY || code == F_DS_NO_MATCHING_DNSKEY)) {
		json_object_set_new(e, "ds_ttl", json_integer(ttl));
		json_object_set_new(e, "clears_after_seconds",
				    json_integer(ttl));
		json_object_set_new(e, "what_if", json_boolean(z->ds_what_if));
	}
	/* After a key change, resolvers may keep the old DNSKEY RRset for its
	 * TTL: the other half of when a rollover fault clears. */
	uint32_t key_ttl = 0;
	for (size_t i = 0; i < z->n_srv; i++)
		if (z->srv[i].keys_ttl > key_ttl)
			key_ttl = z->srv[i].keys_ttl;
	if (e && key_ttl)
		json_object_set_new(e, "dnskey_ttl", json_integer(key_ttl));
	rc = findings_add(out, code, e, fix, "%s", sum);
	free(sum);
	free(fix);
	return rc;
}

/* A denial proof that fails only because its signatures are out of date
 * is that signature fault, reported with the other RRsets; one that is
 * missing or does not prove the name's absence is NSEC_PROOF_INVALID. */
static int note_denial(struct zone_issues *zi, const struct dsv_server *s,
		       const struct zone_ctx *c)
{
	if (!s->denial_seen || !s->keys || !ldns_rr_list_rr_count(s->keys))
		return 0;
	if (s->denial == DENIAL_BAD && (s->denial_sig.state == SIG_EXPIRED ||
					s->denial_sig.state == SIG_NOT_YET))
		return note_sig(zi, s, "NSEC", &s->denial_sig, c->now,
				c->d->warn_s);
	if (s->denial == DENIAL_MISSING || s->denial == DENIAL_BAD)
		return note(zi, F_NSEC_PROOF_INVALID, s, "NSEC",
			    &s->denial_sig);
	return 0;
}

/* Judges one zone; returns 1 when the chain stays secure below it, 0 when
 * it ends (insecure or broken), or -ENOMEM. */
static int judge_zone(const struct zone_ctx *c, struct zone_issues *zi,
		      bool target)
{
	const struct dsv_zone *z = c->z;
	size_t answered = 0, unsigned_n = 0, matched = 0, supported = 0;
	int rc;
	for (size_t i = 0; z->ds && i < ldns_rr_list_rr_count(z->ds); i++) {
		const ldns_rr *ds = ldns_rr_list_rr(z->ds, i);
		bool dnskey = ldns_rr_get_type(ds) == LDNS_RR_TYPE_DNSKEY;
		uint8_t alg = dnskey ? dnssec_key_alg(ds) : dnssec_ds_alg(ds);
		uint8_t dig = dnskey ? LDNS_SHA256
				     : (ldns_rr_rd_count(ds) >= 3
						? ldns_rdf2native_int8(
							  ldns_rr_rdf(ds, 2))
						: 0);
		supported += dnssec_alg_supported(alg) &&
			     dnssec_digest_supported(dig);
	}
	if (!z->ds || ldns_rr_list_rr_count(z->ds) == 0)
		return 0; /* an unsigned delegation: insecure below, not bogus
			   */
	if (supported == 0) {
		struct dsv_server any = { .name = (char *)z->name,
					  .addr = (char *)"-" };
		return note(zi, F_DNSKEY_ALGORITHM_UNSUPPORTED, &any, "DS",
			    NULL) < 0
			       ? -ENOMEM
			       : 0;
	}
	for (size_t i = 0; i < z->n_srv; i++) {
		const struct dsv_server *s = &z->srv[i];
		if (!s->answered)
			continue;
		answered++;
		if (!s->keys || ldns_rr_list_rr_count(s->keys) == 0)
			unsigned_n++;
		else if (s->key_match)
			matched++;
	}
	if (answered && unsigned_n == answered) {
		for (size_t i = 0; i < z->n_srv; i++)
			if (z->srv[i].answered &&
			    note(zi, F_DS_WITHOUT_DNSKEY, &z->srv[i], "DNSKEY",
				 NULL) < 0)
				return -ENOMEM;
		return 0;
	}
	for (size_t i = 0; i < z->n_srv; i++) {
		const struct dsv_server *s = &z->srv[i];
		if (!s->answered)
			continue;
		if (!s->keys || ldns_rr_list_rr_count(s->keys) == 0)
			rc = note(zi, F_RRSIG_MISSING, s, NO_DNSKEY, NULL);
		else if (!s->key_match)
			rc = note(zi, F_DS_NO_MATCHING_DNSKEY, s, "DNSKEY",
				  NULL);
		else
			rc = note_sig(zi, s, "DNSKEY", &s->key_sig, c->now,
				      c->d->warn_s);
		if (rc < 0)
			return -ENOMEM;
		if (!target)
			continue;
		if ((s->soa_seen && note_sig(zi, s, "SOA", &s->soa_sig, c->now,
					     c->d->warn_s) < 0) ||
		    (s->ns_seen && note_sig(zi, s, "NS", &s->ns_sig, c->now,
					    c->d->warn_s) < 0))
			return -ENOMEM;
		if (note_denial(zi, s, c) < 0)
			return -ENOMEM;
	}
	/* Target data served unsigned by a server whose DNSKEY answer was
	 * missing is already RRSIG_MISSING through its DNSKEY. */
	return matched > 0 && z->keys_valid;
}

/* The chain codes found, for the resolver finding to name its cause. */
static bool is_chain_code(enum finding_code c)
{
	/* The zone's own signatures, judged without the chain from the
	 * anchor: a resolver that has another anchor fails on them. */
	return (c >= F_DS_WITHOUT_DNSKEY && c <= F_NSEC_PROOF_INVALID &&
		c != F_RRSIG_EXPIRING_SOON &&
		c != F_DNSKEY_ALGORITHM_UNSUPPORTED) ||
	       c == F_DNSSEC_OWN_SIGNATURES_BAD;
}

static int check_resolvers(const struct view *v, const struct dnssec_view *d,
			   struct findings *out, size_t first)
{
	struct strset causes;
	strset_init(&causes);
	for (size_t i = first; i < out->n; i++)
		if (is_chain_code(out->v[i].code))
			strset_add(&causes, finding_defs[out->v[i].code].name);
	char *cause = strset_join(&causes, ", ");
	int rc = cause ? 0 : -ENOMEM;
	for (size_t i = 0; rc == 0 && i < d->n_r; i++) {
		const struct dsv_resolver *r = &d->r[i];
		bool bogus = r->status == QS_OK &&
			     r->rcode == LDNS_RCODE_SERVFAIL &&
			     r->status_cd == QS_OK &&
			     (r->rcode_cd == LDNS_RCODE_NOERROR ||
			      r->rcode_cd == LDNS_RCODE_NXDOMAIN);
		if (!bogus)
			continue;
		char ede[600] = "";
		bool same = strcmp(r->name, r->addr) == 0;
		if (r->has_ede)
			snprintf(ede, sizeof(ede),
				 " (Extended DNS Error %u%s%.150s)", r->ede,
				 r->ede_text[0] ? ": " : "", r->ede_text);
		json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:s}", "resolver",
				      r->name, "address", r->addr, "rcode",
				      "SERVFAIL", "rcode_with_cd",
				      r->rcode_cd == LDNS_RCODE_NXDOMAIN ? "NXD"
									   "OMA"
									   "IN"
									 : "NOE"
									   "RRO"
									   "R",
				      "cause", cause);
		if (e && r->has_ede) {
			json_object_set_new(e, "ede", json_integer(r->ede));
			json_object_set_new(e, "ede_text",
					    json_string(r->ede_text));
		}
		rc = findings_add(out, F_DNSSEC_BOGUS_AT_RESOLVER, e,
				  causes.n ? "Fix the chain fault named above; "
					     "the resolver answers again once "
					     "its cached copies of the bad "
					     "records expire."
					   : "Validate the zone's chain from "
					     "the trust anchor (this resolver "
					     "may use another anchor, or its "
					     "clock may be wrong).",
				  "The validating resolver %s%s%s%s answers "
				  "SERVFAIL for %s SOA%s, but answers with "
				  "checking disabled (CD): DNSSEC validation "
				  "fails%s%s%s.",
				  r->name, same ? "" : " (",
				  same ? "" : r->addr, same ? "" : ")", v->zone,
				  ede, causes.n ? ", because of " : "",
				  causes.n ? cause : "",
				  causes.n ? ""
					   : ", for a reason dnsdoctor's chain "
					     "checks did not find");
	}
	free(cause);
	strset_deinit(&causes);
	return rc;
}

/* DNSSEC_NOT_VALIDATED: so that "ok" never means more than was checked. */
static int not_validated(const struct view *v, const struct dnssec_view *d,
			 const char *stopped, const char *insecure,
			 struct findings *out)
{
	if (v->pstate != PS_DELEGATED || d->n == 0)
		return 0;
	/* Under an unsigned zone, said only of a zone that is signed: an
	 * unsigned one under an unsigned one lacks nothing. */
	const struct dsv_zone *t = &d->z[d->n - 1];
	bool target_signed = false;
	for (size_t i = 0; strcmp(t->name, v->zone) == 0 && i < t->n_srv; i++)
		target_signed |= t->srv[i].answered && t->srv[i].keys &&
				 ldns_rr_list_rr_count(t->srv[i].keys) > 0;
	if (d->anchored && !stopped && insecure && target_signed)
		return findings_add(
			out, F_DNSSEC_NOT_VALIDATED,
			json_pack("{s:s, s:s, s:s}", "zone", v->zone, "reason",
				  "insecure-above", "insecure_at", insecure),
			"Have the zone above signed and its DS "
			"published, or move the zone under a "
			"signed one; until then its signatures "
			"protect nothing.",
			"The DNSSEC chain to %s was not validated: "
			"%s, above it, is unsigned (no DS at its "
			"parent), so no resolver can validate %s "
			"however it is signed.",
			v->zone, insecure, v->zone);
	if (!d->anchored)
		return findings_add(out, F_DNSSEC_NOT_VALIDATED,
				    json_pack("{s:s, s:s}", "zone", v->zone,
					      "reason", "no-trust-anchor"),
				    NULL,
				    "The DNSSEC chain to %s was not validated: "
				    "no trust anchor was "
				    "given for this root (a hierarchy of its "
				    "own, --root-hints, is "
				    "not validated without --trust-anchor).",
				    v->zone);
	if (stopped)
		return findings_add(out, F_DNSSEC_NOT_VALIDATED,
				    json_pack("{s:s, s:s, s:s}", "zone",
					      v->zone, "reason", "chain-broken",
					      "stopped_at", stopped),
				    "Fix the fault at the zone named (the "
				    "finding above); the zones below "
				    "it are judged once the chain reaches "
				    "them.",
				    "The DNSSEC chain to %s was not validated "
				    "below %s, where it "
				    "breaks (see the finding there): any fault "
				    "further down is not "
				    "reported.",
				    v->zone, stopped);
	return 0;
}

int check_dnssec(const struct view *v, time_t now, struct findings *out)
{
	const struct evidence *ev = v->ev;
	struct dnssec_view d;
	struct zone_issues zi;
	size_t first = out->n;
	int rc = dnssec_view_build(ev, v, now, &d);
	if (rc < 0)
		return rc;
	issues_init(&zi);
	const char *stopped = NULL;  /* the zone whose fault ended the chain */
	const char *insecure = NULL; /* an unsigned zone above the target */
	bool judged = false; /* the chain reached the zone with a DS set */
	for (size_t i = 0; d.anchored && i < d.n; i++) {
		struct zone_ctx c = { v, &d, &d.z[i], i ? d.z[i - 1].name : "",
				      now };
		size_t before = out->n;
		bool target = i == d.n - 1 && strcmp(d.z[i].name, v->zone) == 0;
		int secure = judge_zone(&c, &zi, target);
		judged |= target && d.z[i].ds &&
			  ldns_rr_list_rr_count(d.z[i].ds) > 0;
		for (int code = 0; secure >= 0 && code < F__COUNT; code++)
			if ((rc = emit(&c, &zi, code, out)) < 0)
				break;
		issues_clear(&zi);
		if (secure < 0 || rc < 0) {
			rc = -ENOMEM;
			goto out;
		}
		if (!secure) {
			/* A fault, not an unsigned delegation: nothing below
			 * it was validated. An unsigned delegation above the
			 * target: nothing below it can be. */
			if (out->n > before && i + 1 < d.n)
				stopped = d.z[i].name;
			else if (out->n == before && i + 1 < d.n)
				insecure = d.z[i].name;
			break;
		}
	}
	if (!judged &&
	    (rc = check_dnssec_own(v, &d, insecure != NULL, now, out)) < 0)
		goto out;
	if ((rc = not_validated(v, &d, stopped, insecure, out)) < 0)
		goto out;
	rc = check_resolvers(v, &d, out, first);
out:
	issues_clear(&zi);
	dnssec_view_deinit(&d);
	return rc;
}
