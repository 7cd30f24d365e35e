/* Propagation checks: pure functions of the record view (view_record.c)
 * and NOW. Definitions of each code: docs/findings/CODE.md. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/view_record.h"

typedef int (*rv_check_fn)(const struct rv_view *v, time_t now,
			   struct findings *out);

static json_t *row_json(const struct rv_row *r)
{
	char buf[512];
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "server", r->server,
			      "addr", r->addr, "qname", r->qname, "answer",
			      rv_row_describe(r, buf, sizeof(buf)));
	if (o && r->status == RVS_DATA)
		json_object_set_new(o, "values", json_strset(&r->values));
	return o;
}

/* "a. (127.0.0.1)" into BUF; a resolver named by its address alone is
 * named once ("127.0.0.1", not "127.0.0.1 (127.0.0.1)"). */
static const char *who(const struct rv_row *r, char *buf, size_t len)
{
	if (strcmp(r->server, r->addr) == 0)
		snprintf(buf, len, "%s", r->addr);
	else
		snprintf(buf, len, "%s (%s)", r->server, r->addr);
	return buf;
}

static const char *record_text(const struct rv_view *v, char *buf, size_t len)
{
	char *t = ldns_rr_type2str((ldns_rr_type)v->type);
	snprintf(buf, len, "%s %s", v->name, t ? t : "?");
	free(t);
	return buf;
}

#define FIX_MISSING                                                           \
	"Publish the record on every authoritative server: on a secondary "   \
	"that lags, check NOTIFY and zone transfers from the primary (the "   \
	"SOA serials tell which copy is old); with a DNS provider, wait for " \
	"its API to report the change as done."
/* A delegation is the registry's to publish: the parent's servers get it
 * from the registry, not from the user. */
#define FIX_DELEGATION_MISSING                                               \
	"Make the change at the registrar if it is not made yet (the "       \
	"registry's list: propagation with RDAP on, or check); once it is, " \
	"the registry publishes it on every server of the parent zone on "   \
	"its own cycle (minutes at most gTLDs): dnsdoctor wait returns "     \
	"when they all serve it."

static int check_missing(const struct rv_view *v, time_t now,
			 struct findings *out)
{
	(void)now;
	struct strset names;
	json_t *arr = json_array();
	char rec[300], w[300], buf[512];
	strset_init(&names);
	for (size_t i = 0; arr && i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_AUTH || !rv_row_final(r))
			continue;
		bool lacks = v->expect ? !rv_row_current(v, r)
				       : v->auth_has_data &&
						 r->status != RVS_DATA;
		if (!lacks)
			continue;
		char line[800];
		snprintf(line, sizeof(line), "%s: %s", who(r, w, sizeof(w)),
			 rv_row_describe(r, buf, sizeof(buf)));
		strset_add(&names, line);
		json_array_append_new(arr, row_json(r));
	}
	int rc = 0;
	char want[1200];
	rv_expect_text(v, want, sizeof(want));
	if (names.n) {
		char *j = strset_join(&names, "; ");
		json_t *e = json_pack("{s:o, s:s?}", "servers", arr, "expect",
				      v->expect);
		arr = NULL;
		rc = findings_add(out, F_RECORD_MISSING_ON_AUTH, e,
				  v->delegation ? FIX_DELEGATION_MISSING
						: FIX_MISSING,
				  "%s%s%s is not served by %s",
				  record_text(v, rec, sizeof(rec)),
				  !v->expect ? ""
				  : v->expect_more && v->expect_more->n
					  ? " with the expected values "
					  : " with the expected value ",
				  want, j ? j : "?");
		free(j);
	}
	json_decref(arr);
	strset_deinit(&names);
	return rc;
}

static int check_inconsistent(const struct rv_view *v, time_t now,
			      struct findings *out)
{
	(void)now;
	char rec[300];
	bool any = false;
	for (size_t i = 0; i < v->n; i++)
		any |= v->rows[i].kind == RV_AUTH && rv_row_final(&v->rows[i]);
	if (!any || v->auth_agree)
		return 0;
	struct strset answers;
	json_t *arr = json_array();
	strset_init(&answers);
	for (size_t i = 0; arr && i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		char w[300], buf[512], line[900];
		if (r->kind != RV_AUTH || !rv_row_final(r))
			continue;
		snprintf(line, sizeof(line), "%s: %s", who(r, w, sizeof(w)),
			 rv_row_describe(r, buf, sizeof(buf)));
		strset_add(&answers, line);
		json_array_append_new(arr, row_json(r));
	}
	char *j = strset_join(&answers, "; ");
	int rc = findings_add(out, F_RRSET_INCONSISTENT,
			      json_pack("{s:o}", "answers", arr),
			      "Make every authoritative server serve the same "
			      "zone copy: compare SOA serials, then fix "
			      "transfers to the servers that lag.",
			      "the authoritative servers disagree on %s: %s",
			      record_text(v, rec, sizeof(rec)), j ? j : "?");
	free(j);
	strset_deinit(&answers);
	return rc;
}

#define FIX_NEGATIVE_CACHED                                                \
	"Wait for the cached denial to expire, or flush the name on that " \
	"resolver if you run it (unbound-control flush, rndc flushname). " \
	"Next time, do not look a record up through a shared resolver "    \
	"before it exists: ask the authoritative servers (dnsdoctor wait)."
/* A cached delegation: the parent's NS and DS TTLs are the registry's. */
#define FIX_STALE_DELEGATION                                                  \
	"Wait for the cached delegation to run out (a fresh resolver, the "   \
	"CA's, already follows the parent), or flush it on that resolver if " \
	"you run it (unbound-control flush_zone, rndc flushtree). Before "    \
	"the next move, lower the zone's own NS TTL; the parent's is the "    \
	"registry's."
#define FIX_STALE                                                             \
	"Wait for the old answer's TTL to run out, or flush the name on "     \
	"that resolver if you run it. Before the next change, lower the TTL " \
	"first (dnsdoctor plan)."

/* One finding per resolver: stale data, or a cached denial. */
static int check_resolver_caches(const struct rv_view *v, time_t now,
				 struct findings *out)
{
	char rec[300], w[300], buf[512], cur[512];
	if (!v->reference)
		return 0; /* nothing the servers agree on to be stale against */
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_RESOLVER || rv_row_current(v, r) ||
		    rv_row_split(v, r))
			continue;
		bool neg = r->status == RVS_NXDOMAIN || r->status == RVS_NODATA;
		if (r->status != RVS_DATA && !neg)
			continue;
		int64_t left = rv_row_seconds_left(v, r, now);
		json_t *e = row_json(r);
		if (!e)
			return -ENOMEM;
		json_object_set_new(e, "seconds_left",
				    left < 0 ? json_null()
					     : json_integer(left));
		json_object_set_new(e, "authoritative",
				    json_string(rv_row_describe(
					    v->reference, cur, sizeof(cur))));
		/* A time that is up is not "for another": -1 s was seen. */
		char when[96];
		if (left > 0)
			snprintf(when, sizeof(when), "for another %lld s",
				 (long long)left);
		else if (left == 0)
			snprintf(when, sizeof(when),
				 "for a moment more: its copy expires now");
		else
			snprintf(when, sizeof(when),
				 "for as long as it keeps it (its answer gave "
				 "no TTL to tell)");
		int rc = findings_add(
			out,
			neg ? F_RESOLVER_NEGATIVE_CACHED : F_RESOLVER_STALE, e,
			neg		? FIX_NEGATIVE_CACHED
			: v->delegation ? FIX_STALE_DELEGATION
					: FIX_STALE,
			"resolver %s still answers %s for %s (the servers now "
			"serve %s) %s",
			who(r, w, sizeof(w)),
			rv_row_describe(r, buf, sizeof(buf)),
			record_text(v, rec, sizeof(rec)), cur, when);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static bool answered(const struct rv_row *r)
{
	return r->status == RVS_DATA || r->status == RVS_NXDOMAIN ||
	       r->status == RVS_NODATA;
}

static int check_disagree(const struct rv_view *v, time_t now,
			  struct findings *out)
{
	(void)now;
	struct strset answers, lines;
	json_t *arr = json_array();
	char rec[300], w[300], buf[512], line[900];
	int rc = 0;
	strset_init(&answers);
	strset_init(&lines);
	for (size_t i = 0; arr && i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (r->kind != RV_RESOLVER || !answered(r))
			continue;
		strset_add(&answers, rv_row_describe(r, buf, sizeof(buf)));
		snprintf(line, sizeof(line), "%s: %s", who(r, w, sizeof(w)),
			 buf);
		strset_add(&lines, line);
		json_array_append_new(arr, row_json(r));
	}
	if (answers.n > 1) {
		char *j = strset_join(&lines, "; ");
		rc = findings_add(out, F_RESOLVERS_DISAGREE,
				  json_pack("{s:o}", "resolvers", arr),
				  "Users see different answers depending on "
				  "their resolver until the caches expire; see "
				  "the RESOLVER_STALE and "
				  "RESOLVER_NEGATIVE_CACHED findings for when.",
				  "resolvers give different answers for %s: %s",
				  record_text(v, rec, sizeof(rec)),
				  j ? j : "?");
		free(j);
		arr = NULL;
	}
	json_decref(arr);
	strset_deinit(&answers);
	strset_deinit(&lines);
	return rc;
}

static int check_split(const struct rv_view *v, time_t now,
		       struct findings *out)
{
	char rec[300], w[300], buf[512], cur[512];
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (!rv_row_split(v, r))
			continue;
		json_t *e = row_json(r);
		if (!e)
			return -ENOMEM;
		int64_t left = rv_row_seconds_left(v, r, now);
		json_object_set_new(e, "aa", json_boolean(r->aa));
		json_object_set_new(e, "ttl", json_integer(r->ttl));
		json_object_set_new(e, "authoritative_ttl_max",
				    json_integer(v->auth_ttl_max));
		json_object_set_new(e, "seconds_left",
				    left < 0 ? json_null()
					     : json_integer(left));
		const char *auth = v->reference
					   ? rv_row_describe(v->reference, cur,
							     sizeof(cur))
					   : "something else";
		int rc = findings_add(out, F_SPLIT_HORIZON, e,
				      "The local resolver answers from a zone "
				      "of its own (a private hosted zone, a "
				      "local-zone or a forwarding rule) that "
				      "shadows the public one: the CA and the "
				      "rest of the world see the authoritative "
				      "answer, not this one. Test from "
				      "outside, or add the record to the "
				      "private zone too.",
				      "the local resolver %s answers %s for %s "
				      "from data of its own%s, while the "
				      "authoritative servers serve %s",
				      who(r, w, sizeof(w)),
				      rv_row_describe(r, buf, sizeof(buf)),
				      record_text(v, rec, sizeof(rec)),
				      r->aa ? " (an authoritative answer from "
					      "a resolver)"
					    : " (a TTL longer than the servers "
					      "give)",
				      auth);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int check_high_ttl(const struct rv_view *v, time_t now,
			  struct findings *out)
{
	(void)now;
	char rec[300];
	/* A delegation's TTLs (NS and DS at the parent) are the registry's,
	 * not the user's to lower. */
	if (v->auth_ttl_max > RV_HIGH_TTL && !v->delegation)
		return findings_add(out, F_HIGH_TTL,
				    json_pack("{s:I, s:i, s:s}", "ttl",
					      (json_int_t)v->auth_ttl_max,
					      "threshold", RV_HIGH_TTL, "kind",
					      "positive"),
				    "Lower the TTL (to 300 s or less) well "
				    "before a change, and raise it back after "
				    "the change has propagated (dnsdoctor plan "
				    "prints the steps).",
				    "%s has a TTL of %lld s: an old answer can "
				    "live that long in resolvers after a "
				    "change",
				    record_text(v, rec, sizeof(rec)),
				    (long long)v->auth_ttl_max);
	if (!v->auth_has_data && v->auth_neg_max > RV_HIGH_TTL)
		return findings_add(out, F_HIGH_TTL,
				    json_pack("{s:I, s:i, s:s}", "ttl",
					      (json_int_t)v->auth_neg_max,
					      "threshold", RV_HIGH_TTL, "kind",
					      "negative"),
				    "Lower the SOA MINIMUM (and the SOA "
				    "record's TTL) of the zone: a resolver "
				    "that once saw the name missing keeps "
				    "saying so that long (RFC 2308).",
				    "a denial of %s is cached for %lld s (min "
				    "of the SOA TTL and MINIMUM): a look-up "
				    "before the record exists delays it that "
				    "long",
				    record_text(v, rec, sizeof(rec)),
				    (long long)v->auth_neg_max);
	return 0;
}

static int check_complete(const struct rv_view *v, time_t now,
			  struct findings *out)
{
	char rec[300], buf[512];
	size_t n_auth = 0, n_res = 0;
	if (rv_eta(v, now) != 0)
		return 0;
	for (size_t i = 0; i < v->n; i++) {
		if (!rv_row_final(&v->rows[i]))
			continue;
		if (v->rows[i].kind == RV_AUTH)
			n_auth++;
		else if (v->rows[i].status == RVS_FAILED)
			return 0; /* a resolver that never answered is not done
				   */
		else
			n_res++;
	}
	return findings_add(
		out, F_PROPAGATION_COMPLETE,
		json_pack("{s:I, s:I}", "servers", (json_int_t)n_auth,
			  "resolvers", (json_int_t)n_res),
		"Nothing to do.",
		"%s is %s at all %zu authoritative addresses and %zu resolvers",
		record_text(v, rec, sizeof(rec)),
		v->reference ? rv_row_describe(v->reference, buf, sizeof(buf))
			     : "the same",
		n_auth, n_res);
}

static const struct {
	const char *name;
	rv_check_fn fn;
} rv_checks[] = {
	{ "record-missing", check_missing },
	{ "rrset-inconsistent", check_inconsistent },
	{ "resolver-caches", check_resolver_caches },
	{ "resolvers-disagree", check_disagree },
	{ "split-horizon", check_split },
	{ "high-ttl", check_high_ttl },
	{ "resolvers-unreachable", rv_check_resolvers },
	{ "complete", check_complete },
};

int propagation_checks_run(const struct rv_view *v, time_t now,
			   struct findings *out)
{
	for (size_t i = 0; i < sizeof(rv_checks) / sizeof(rv_checks[0]); i++) {
		int rc = rv_checks[i].fn(v, now, out);
		if (rc < 0)
			return rc;
	}
	findings_sort(out);
	return 0;
}
