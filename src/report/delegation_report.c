/* The ETA of a record's view in words, and for a delegation (NS at a
 * zone's apex, DS: read from the parent's servers) when a fresh resolver
 * (the CA's) and each listed resolver use the new one (issue 15). Shared
 * by the text, JSON and HTML renderers of `propagation` and `wait`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <ldns/ldns.h>
#include "report/delegation_report.h"
#include "report/sanitize.h"

static void utc(time_t t, char *buf, size_t len)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* Final authoritative rows, and those serving the expected answer. */
static void parent_counts(const struct rv_view *v, size_t *n, size_t *cur)
{
	*n = *cur = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_AUTH || !rv_row_final(r))
			continue;
		(*n)++;
		*cur += rv_row_current(v, r);
	}
}

/* A resolver row's own ETA: 0 when it serves the expected answer, the
 * seconds its copy has left, -1 when it will not change on its own. */
static int64_t resolver_eta(const struct rv_view *v, const struct rv_row *r,
			    time_t now)
{
	if (rv_row_current(v, r))
		return 0;
	if (rv_row_split(v, r))
		return -1;
	return rv_row_seconds_left(v, r, now);
}

/* A resolver that answers SERVFAIL while every parent server publishes
 * the new delegation most likely still follows the old one to servers
 * that refuse the zone (the first seed incident). A SERVFAIL carries no
 * TTL, but a delegation it took from the parent lasts at most the
 * parent's NS TTL: that bound, in seconds from NOW, or -1 when it does not
 * apply. It is a bound, not an ETA: a resolver that also cached the
 * zone's own NS records from the old servers keeps those for their TTL. */
static int64_t resolver_bound(const struct rv_view *v, const struct rv_row *r,
			      time_t now)
{
	if (!v->delegation || r->kind != RV_RESOLVER ||
	    r->status != RVS_RCODE || r->rcode != LDNS_RCODE_SERVFAIL ||
	    v->auth_ttl_max < 0 || rv_auth_eta(v) != 0)
		return -1;
	int64_t left = v->auth_ttl_max - ((int64_t)now - v->ev->started);
	return left > 0 ? left : 0;
}

/* The latest of the resolvers' ETAs when each resolver that has none has
 * a bound (resolver_bound); -1 otherwise, or when none is bounded. */
static int64_t bounds_max(const struct rv_view *v, time_t now)
{
	int64_t worst = 0;
	bool bounded = false;
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_RESOLVER)
			continue;
		int64_t e = resolver_eta(v, r, now);
		if (e < 0) {
			if ((e = resolver_bound(v, r, now)) < 0)
				return -1;
			bounded = true;
		}
		if (e > worst)
			worst = e;
	}
	return bounded ? worst : -1;
}

void report_eta_text(const struct rv_view *v, time_t now, char *buf, size_t len)
{
	char when[40];
	int64_t eta = rv_eta(v, now);
	if (eta == 0) {
		snprintf(buf, len,
			 "ETA: now: the answer is visible "
			 "everywhere.");
		return;
	}
	if (eta > 0) {
		utc(now + (time_t)eta, when, sizeof(when));
		snprintf(buf, len, "ETA: %lld s (%s)%s", (long long)eta, when,
			 v->delegation ? ": a fresh resolver (a CA's) gets "
					 "the new delegation now; the last "
					 "cached copy of the old one runs out "
					 "then."
				       : ".");
		return;
	}
	int64_t bound = bounds_max(v, now);
	if (bound >= 0) {
		utc(now + (time_t)bound, when, sizeof(when));
		snprintf(buf, len,
			 "ETA: at most %lld s (%s): a fresh resolver (a CA's) "
			 "gets the new delegation now; a listed resolver that "
			 "fails (SERVFAIL) most likely still follows the old "
			 "one, which it keeps at most the parent's TTL (unless "
			 "it also cached the zone's own NS records).",
			 (long long)bound, when);
		return;
	}
	if (!v->delegation || rv_auth_eta(v) == 0) {
		snprintf(buf, len, "ETA: never, unless something changes%s",
			 v->delegation ? " (a fresh resolver gets the new "
					 "delegation now; a listed resolver "
					 "fails or answers from data of its "
					 "own)."
				       : ".");
		return;
	}
	/* After the last parent server publishes it, a resolver that fetched
	 * the old delegation just before keeps it one TTL more. */
	char ttl[160] = "";
	if (v->auth_ttl_max >= 0)
		snprintf(ttl, sizeof(ttl),
			 ", then up to %lld s (the parent's TTL) for resolvers "
			 "that fetched the old one just before",
			 (long long)v->auth_ttl_max);
	snprintf(buf, len,
		 "ETA: unknown: when the registry publishes the delegation on "
		 "every server of %s (dnsdoctor wait returns then)%s.",
		 v->parent_zone ? v->parent_zone : "the parent zone", ttl);
}

void report_delegation_text(const struct rv_view *v, time_t now,
			    const struct layout *l)
{
	FILE *f = l->f;
	size_t n, cur;
	char when[40];
	if (!v->delegation)
		return;
	parent_counts(v, &n, &cur);
	layout_section(l, "Delegation", v->parent_zone);
	fprintf(f, "  parent servers: %zu of %zu addresses publish the %s\n",
		cur, n, v->expect ? "expected set" : "same set");
	fprintf(f, "  a fresh resolver (a CA's): %s\n",
		rv_auth_eta(v) == 0 ? "uses it now"
				    : "uses it once every parent server "
				      "publishes it");
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_RESOLVER)
			continue;
		int64_t eta = resolver_eta(v, r, now);
		int64_t bound = eta < 0 ? resolver_bound(v, r, now) : -1;
		char *who = str_safe(r->server);
		fprintf(f, "  resolver %s: ", who ? who : "?");
		free(who);
		if (eta == 0)
			fputs("uses it now\n", f);
		else if (eta > 0) {
			utc(now + (time_t)eta, when, sizeof(when));
			fprintf(f,
				"keeps its cached copy (not the expected set) "
				"for another %lld s, then asks the parent "
				"again (%s)\n",
				(long long)eta, when);
		} else if (bound >= 0) {
			utc(now + (time_t)bound, when, sizeof(when));
			fprintf(f,
				"fails (SERVFAIL): if it still follows the old "
				"delegation, for at most %lld s more, the "
				"parent's TTL (%s), unless it also cached the "
				"zone's own NS records from the old servers\n",
				(long long)bound, when);
		} else
			fputs("unknown: it fails or answers from data of its "
			      "own\n",
			      f);
	}
}

static json_t *num(int64_t x)
{
	return x >= 0 ? json_integer(x) : json_null();
}

json_t *report_delegation_json(const struct rv_view *v, time_t now)
{
	size_t n, cur;
	if (!v->delegation)
		return NULL;
	parent_counts(v, &n, &cur);
	json_t *res = json_array();
	for (size_t i = 0; res && i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind == RV_RESOLVER)
			json_array_append_new(
				res, json_pack("{s:s, s:s, s:o, s:o}", "server",
					       r->server, "addr", r->addr,
					       "eta_seconds",
					       num(resolver_eta(v, r, now)),
					       "eta_bound_seconds",
					       num(resolver_bound(v, r, now))));
	}
	return json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o}", "parent_zone",
			 v->parent_zone ? v->parent_zone : "",
			 "parent_addresses", (json_int_t)n, "parent_current",
			 (json_int_t)cur, "parent_ttl", num(v->auth_ttl_max),
			 "fresh_resolver_eta_seconds", num(rv_auth_eta(v)),
			 "resolvers_eta_seconds", num(rv_resolvers_eta(v, now)),
			 "resolvers", res ? res : json_array());
}
