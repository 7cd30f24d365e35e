#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"

const struct check_def check_table[] = {
	{ "not-delegated", check_not_delegated, EV_AREA_DELEGATION },
	{ "expected-ns", check_expected_ns, EV_AREA_DELEGATION },
	{ "zone-unreachable", check_zone_unreachable, EV_AREA_DELEGATION },
	{ "lame", check_lame, EV_AREA_DELEGATION },
	{ "reachability", check_reachability, EV_AREA_DELEGATION },
	{ "glue", check_glue, EV_AREA_DELEGATION },
	{ "ns-names", check_ns_names, EV_AREA_DELEGATION },
	{ "too-few-ns", check_too_few_ns, EV_AREA_DELEGATION },
	{ "shared-address", check_shared_address, EV_AREA_DELEGATION },
	{ "referral-size", check_referral_size, EV_AREA_DELEGATION },
	{ "ns-special-address", check_ns_special_address, EV_AREA_DELEGATION },
	{ "ns-address-spread", check_ns_address_spread, EV_AREA_DELEGATION },
	{ "qtypes", check_qtypes, EV_AREA_DELEGATION },
	{ "behaviour", check_behaviour, EV_AREA_DELEGATION },
	{ "parent-ns", check_parent_ns, EV_AREA_DELEGATION },
	{ "ns-rrsets", check_ns_rrsets, EV_AREA_DELEGATION },
	{ "soa-serials", check_soa_serials, EV_AREA_DELEGATION },
	{ "dnssec", check_dnssec, EV_AREA_DNSSEC },
	{ "ds-digest", check_ds_digest, EV_AREA_DNSSEC },
	{ "nsec3-params", check_nsec3_params, EV_AREA_DNSSEC },
	{ "dnskey-algorithms", check_dnskey_algorithms, EV_AREA_DNSSEC },
	{ "rsa-key-size", check_rsa_key_size, EV_AREA_DNSSEC },
	{ "algorithm-coverage", check_algorithm_coverage, EV_AREA_DNSSEC },
	{ "cds", check_cds, EV_AREA_DNSSEC },
	{ "malformed", check_malformed, EV_AREA_DELEGATION },
	{ "edns", check_edns, EV_AREA_DELEGATION },
	{ "tcp-stalled", check_tcp_stalled, EV_AREA_DELEGATION },
	{ "resolvers-unreachable", check_resolvers_unreachable,
	  EV_AREA_DELEGATION },
	{ "caa", check_caa, EV_AREA_CAA },
	{ "acme-challenge", check_acme_challenge, EV_AREA_ACME },
	{ "acm", check_acm, EV_AREA_ACME },
	{ "http01", check_http01, EV_AREA_ACME },
	{ "rdap-unavailable", check_rdap_unavailable, EV_AREA_DELEGATION },
	{ "registry-hold", check_registry_hold, EV_AREA_DELEGATION },
	{ "pending-delete", check_pending_delete, EV_AREA_DELEGATION },
	{ "domain-expiry", check_domain_expiry, EV_AREA_DELEGATION },
	{ "registrar-ns", check_registrar_ns, EV_AREA_DELEGATION },
	{ "rdap-ds", check_rdap_ds, EV_AREA_DNSSEC },
};
const size_t check_table_len = sizeof(check_table) / sizeof(check_table[0]);

int checks_run(const struct view *v, time_t now, struct findings *out)
{
	for (size_t i = 0; i < check_table_len; i++) {
		if (!ev_area_on(v->ev, check_table[i].area))
			continue;
		int rc = check_table[i].fn(v, now, out);
		if (rc < 0)
			return rc;
	}
	findings_sort(out);
	return 0;
}

json_t *json_strset(const struct strset *s)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < s->n; i++)
		json_array_append_new(a, json_string(s->v[i]));
	return a;
}

char *join_names(const struct strset *s)
{
	char *out = NULL;
	if (s->n == 0)
		return strdup("(none)");
	if (s->n == 1)
		return strdup(s->v[0]);
	struct strset head = { .v = s->v, .n = s->n - 1 };
	char *h = strset_join(&head, ", ");
	if (!h || asprintf(&out, "%s and %s", h, s->v[s->n - 1]) < 0)
		out = NULL;
	free(h);
	return out;
}

char *join_hosts(const struct strset *s)
{
	char *out = strset_join(s, ", ");
	if (!out)
		return NULL;
	/* Drop the dot that ends each name: before each ", " and at the end. */
	char *w = out;
	for (const char *r = out; *r; r++) {
		if (*r == '.' && (r[1] == '\0' || r[1] == ',') && r != out)
			continue;
		*w++ = *r;
	}
	*w = '\0';
	return out;
}

static const struct finding *find_code(const struct findings *fs,
				       enum finding_code code)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].code == code)
			return &fs->v[i];
	return NULL;
}

/* The first root fault (nothing here explains it) with CODE, or NULL. */
static const struct finding *find_root(const struct findings *fs,
				       enum finding_code code)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].code == code && fs->v[i].cause < 0)
			return &fs->v[i];
	return NULL;
}

/* "SUMMARY Because of this: TITLE (CODE, N findings); ..." for the
 * findings F explains, one item per code, SKIP's left out (already said).
 * Takes SUMMARY; NULL when out of memory. */
static char *with_consequences(char *summary, const struct findings *fs,
			       const struct finding *f, enum finding_code skip)
{
	long at = f - fs->v;
	char *out = summary;
	bool any = false;
	for (size_t i = 0; out && i < fs->n; i++) {
		const struct finding *x = &fs->v[i];
		bool first = true;
		for (size_t j = 0; j < i; j++)
			first &= !(fs->v[j].cause == at &&
				   fs->v[j].code == x->code);
		if (x->cause != at || x->code == skip || !first)
			continue;
		size_t n = 0; /* witnesses, folded ones too */
		for (size_t j = i; j < fs->n; j++)
			if (fs->v[j].cause == at && fs->v[j].code == x->code)
				n += 1 + json_array_size(fs->v[j].also);
		char *next = NULL, count[48] = "";
		if (n > 1)
			snprintf(count, sizeof(count), ", seen %zu times", n);
		if (asprintf(&next, "%s%s%s (%s%s)", out,
			     any ? "; " : " Because of this: ",
			     finding_defs[x->code].title,
			     finding_defs[x->code].name, count) < 0)
			next = NULL;
		free(out);
		out = next;
		any = true;
	}
	if (out && any) {
		char *next = NULL;
		if (asprintf(&next, "%s.", out) < 0)
			next = NULL;
		free(out);
		out = next;
	}
	return out;
}

int verdict_build(const struct view *v, const struct findings *fs,
		  char **summary, char **fix)
{
	static const enum finding_code order[] = {
		F_DOMAIN_NOT_DELEGATED,
		F_EXPECTED_NS_MISMATCH,
		F_ZONE_UNREACHABLE,
	};
	const struct finding *f = NULL;
	*summary = *fix = NULL;

	/* The headline is a root fault's: what explains the rest. */
	for (size_t i = 0; !f && i < sizeof(order) / sizeof(order[0]); i++)
		f = find_root(fs, order[i]);
	if (!f && fs->n && findings_worst(fs) > SEV_INFO)
		f = &fs->v[0]; /* sorted worst group first, its root leading */
	if (f) {
		/* When the parent delegates to servers that do not serve the
		 * zone and the provider's do, the two findings together are
		 * the verdict: say both in one sentence. */
		const struct finding *u = find_code(fs, F_ZONE_UNREACHABLE);
		bool both = f->code == F_EXPECTED_NS_MISMATCH && u;
		if (both) {
			if (asprintf(summary, "%s %s", u->summary, f->summary) <
			    0)
				*summary = NULL;
		} else {
			*summary = strdup(f->summary);
		}
		if (*summary)
			*summary = with_consequences(*summary, fs, f,
						     both ? F_ZONE_UNREACHABLE
							  : F__COUNT);
		*fix = strdup(f->fix);
		if (!*summary || !*fix)
			goto nomem;
		return 0;
	}
	size_t n = 0;
	for (size_t i = 0; i < v->n_srv; i++)
		n += view_server_in_scope(&v->srv[i]);
	if (asprintf(summary,
		     "%s is delegated by %s to %zu name server%s that answer "
		     "authoritatively and agree.",
		     v->zone, view_delegator(v), n, n == 1 ? "" : "s") < 0) {
		*summary = NULL;
		goto nomem;
	}
	return 0;
nomem:
	free(*summary);
	free(*fix);
	*summary = *fix = NULL;
	return -ENOMEM;
}
