#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <ldns/ldns.h>
#include "report/delegation_report.h"
#include "report/layout.h"
#include "report/propagation_report.h"
#include "report/report.h"
#include "report/sanitize.h"

static void utc(time_t t, char *buf, size_t len)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static const char *row_state(const struct rv_view *v, const struct rv_row *r)
{
	if (!rv_row_final(r))
		return "alias";
	if (rv_row_current(v, r))
		return "current";
	if (r->kind == RV_AUTH)
		return r->status == RVS_DATA ? "differs" : "missing";
	if (rv_row_split(v, r))
		return "split-horizon";
	if (r->status == RVS_DATA)
		return "stale";
	if (r->status == RVS_NXDOMAIN || r->status == RVS_NODATA)
		return "negative-cached";
	return "failed";
}

static void type_text(uint16_t type, char *buf, size_t len)
{
	char *t = ldns_rr_type2str((ldns_rr_type)type);
	snprintf(buf, len, "%s", t ? t : "?");
	free(t);
}

/* "ETA: …" and the leading fault: the verdict of a record's view. */
static char *eta_verdict(const struct rv_view *v, const struct finding *lead,
			 time_t now)
{
	char eta_text[600];
	char *out = NULL;
	report_eta_text(v, now, eta_text, sizeof(eta_text));
	if (asprintf(&out, "%s%s%s", eta_text, lead ? " " : "",
		     lead ? lead->summary : "") < 0)
		return NULL;
	return out;
}

void report_propagation_text(const struct rv_view *v, const struct findings *fs,
			     time_t now, const struct layout *l)
{
	FILE *f = l->f;
	char type[32], buf[512], *line = NULL;
	/* Sorted: the worst root fault leads. */
	const struct finding *lead =
		fs->n && findings_worst(fs) > SEV_INFO ? &fs->v[0] : NULL;

	type_text(v->type, type, sizeof(type));
	char want[1200];
	rv_expect_text(v, want, sizeof(want));
	if (v->expect && asprintf(&line, "expected %s", want) < 0)
		line = NULL;
	layout_headline(l,
			&(struct layout_head){ .name = v->name,
					       .qualifier = type,
					       .tail = line },
			fs);
	free(line);
	line = eta_verdict(v, lead, now);
	layout_verdict(l, line ? line : "", lead ? lead->fix : NULL);
	free(line);
	layout_findings(l, fs);
	report_delegation_text(v, now, l);
	layout_section(l, "Views", "(authoritative servers, then resolvers)");
	fprintf(f, "%s  %-9s %-32s %-16s %-15s %7s %7s  ANSWER%s\n",
		layout_sgr(l, SGR_BOLD), "VIEW", "SERVER", "ADDRESS", "STATE",
		"TTL", "NEG-TTL", layout_sgr(l, SGR_RESET));
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		char ttl[24] = "-", neg[24] = "-";
		int64_t left = r->kind == RV_RESOLVER
				       ? rv_row_seconds_left(v, r, now)
				       : -1;
		if (r->status == RVS_DATA)
			snprintf(ttl, sizeof(ttl), "%lld",
				 (long long)(left >= 0 ? left : r->ttl));
		if (r->neg_ttl >= 0)
			snprintf(neg, sizeof(neg), "%lld",
				 (long long)(left >= 0 ? left : r->neg_ttl));
		char *srv = str_safe(r->server),
		     *ans = str_safe(rv_row_describe(r, buf, sizeof(buf)));
		fprintf(f, "  %-9s %-32s %-16s %-15s %7s %7s  %s\n",
			r->kind == RV_AUTH ? "auth"
			: r->local	   ? "local"
					   : "resolver",
			srv ? srv : "?", r->addr, row_state(v, r), ttl, neg,
			ans ? ans : "?");
		free(srv);
		free(ans);
	}
}

static json_t *json_strset_copy(const struct strset *s)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < s->n; i++)
		json_array_append_new(a, json_string(s->v[i]));
	return a;
}

static json_t *views_json(const struct rv_view *v, time_t now)
{
	json_t *arr = json_array();
	char buf[512];
	for (size_t i = 0; arr && i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		int64_t left = r->kind == RV_RESOLVER
				       ? rv_row_seconds_left(v, r, now)
				       : -1;
		json_t *o = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:I}",
			"kind",
			r->kind == RV_AUTH ? "authoritative" : "resolver",
			"zone", r->zone, "server", r->server, "addr", r->addr,
			"qname", r->qname, "state", row_state(v, r), "answer",
			rv_row_describe(r, buf, sizeof(buf)), "local", r->local,
			"values", json_strset_copy(&r->values), "rtt_ms",
			(json_int_t)r->rtt_ms);
		if (!o)
			continue;
		json_object_set_new(o, "ttl",
				    r->ttl >= 0 ? json_integer(r->ttl)
						: json_null());
		json_object_set_new(o, "negative_ttl",
				    r->neg_ttl >= 0 ? json_integer(r->neg_ttl)
						    : json_null());
		json_object_set_new(o, "seconds_left",
				    left >= 0 ? json_integer(left)
					      : json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *report_propagation_section(const struct rv_view *v, time_t now)
{
	char type[32];
	int64_t eta = rv_eta(v, now);
	type_text(v->type, type, sizeof(type));
	json_t *o = json_pack("{s:s, s:s, s:s?, s:o, s:o}", "name", v->name,
			      "type", type, "expect", v->expect, "eta_seconds",
			      eta >= 0 ? json_integer(eta) : json_null(),
			      "views", views_json(v, now));
	json_t *dg = o ? report_delegation_json(v, now) : NULL;
	if (dg)
		json_object_set_new(o, "delegation", dg);
	/* Every --expect after the first, when more were given. */
	if (o && v->expect_more && v->expect_more->n) {
		json_t *a = json_array();
		for (size_t i = 0; a && i < v->expect_more->n; i++)
			json_array_append_new(
				a, json_string(v->expect_more->v[i]));
		json_object_set_new(o, "expect_more", a);
	}
	return o;
}

void rv_plan_build(const struct rv_view *v, time_t now, int64_t low_ttl,
		   struct rv_plan *out)
{
	memset(out, 0, sizeof(*out));
	out->auth_ttl = v->auth_ttl_max;
	out->neg_ttl = v->auth_neg_max;
	out->resolver_left = -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		int64_t left = r->kind == RV_RESOLVER
				       ? rv_row_seconds_left(v, r, now)
				       : -1;
		if (left > out->resolver_left)
			out->resolver_left = left;
	}
	/* A resolver that fetches the old answer just before the change keeps
	 * it a whole TTL; one that holds it already keeps it what it has
	 * left. A name that does not exist yet is held as a denial. */
	int64_t ttl = out->auth_ttl >= 0 ? out->auth_ttl : out->neg_ttl;
	out->worst_now = ttl > out->resolver_left ? ttl : out->resolver_left;
	if (out->worst_now < 0)
		out->worst_now = 0;
	out->low_ttl = ttl >= 0 && ttl < low_ttl ? ttl : low_ttl;
	/* After the TTL is lowered, old answers with the old TTL must run out
	 * before the change; after the change, answers with the low TTL. */
	out->change_after = ttl > out->low_ttl ? out->worst_now : 0;
	out->raise_after = out->low_ttl;
}

void report_plan_text(const struct rv_view *v, const struct rv_plan *pl,
		      time_t now, FILE *f)
{
	char type[32], t0[40], t1[40], t2[40];
	type_text(v->type, type, sizeof(type));
	utc(now, t0, sizeof(t0));
	utc(now + (time_t)pl->change_after, t1, sizeof(t1));
	utc(now + (time_t)(pl->change_after + pl->raise_after), t2, sizeof(t2));
	fputs("plan for ", f);
	fputs_safe(v->name, f);
	fprintf(f, " %s (at %s)\n\n", type, t0);
	if (pl->auth_ttl >= 0)
		fprintf(f, "TTL at the authoritative servers: %lld s\n",
			(long long)pl->auth_ttl);
	else
		fputs("the authoritative servers do not serve the record\n", f);
	if (pl->neg_ttl >= 0)
		fprintf(f,
			"negative-cache TTL (min of SOA TTL and MINIMUM): %lld "
			"s\n",
			(long long)pl->neg_ttl);
	if (pl->resolver_left >= 0)
		fprintf(f,
			"longest a resolver asked still holds its answer: %lld "
			"s\n",
			(long long)pl->resolver_left);
	fprintf(f,
		"an old answer can survive a change made now for: %lld s\n\n",
		(long long)pl->worst_now);
	if (pl->change_after > 0) {
		fprintf(f, "1. now (%s): lower the TTL to %lld s\n", t0,
			(long long)pl->low_ttl);
		fprintf(f,
			"2. after %lld s (%s): make the change; old answers "
			"then live at most %lld s\n",
			(long long)pl->change_after, t1,
			(long long)pl->low_ttl);
		fprintf(f,
			"3. after %lld s more (%s): check it (dnsdoctor "
			"propagation), then raise the TTL back\n",
			(long long)pl->raise_after, t2);
	} else {
		fprintf(f,
			"1. now (%s): the TTL is already %lld s or less: make "
			"the change\n",
			t0, (long long)pl->low_ttl);
		fprintf(f,
			"2. after %lld s (%s): every resolver has the new "
			"answer; raise the TTL back if you lowered it\n",
			(long long)pl->raise_after, t2);
	}
}

json_t *report_plan_section(const struct rv_view *v, const struct rv_plan *pl,
			    time_t now)
{
	char type[32], t0[40], t1[40], t2[40];
	type_text(v->type, type, sizeof(type));
	utc(now, t0, sizeof(t0));
	utc(now + (time_t)pl->change_after, t1, sizeof(t1));
	utc(now + (time_t)(pl->change_after + pl->raise_after), t2, sizeof(t2));
#define NUM(x) ((x) >= 0 ? json_integer(x) : json_null())
	json_t *o = json_pack(
		"{s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:[{s:s, s:s, "
		"s:I}, {s:s, s:s, s:I}, {s:s, s:s, s:I}], s:o}",
		"name", v->name, "type", type, "ttl", NUM(pl->auth_ttl),
		"negative_ttl", NUM(pl->neg_ttl), "resolver_seconds_left",
		NUM(pl->resolver_left), "worst_case_seconds",
		(json_int_t)pl->worst_now, "low_ttl", (json_int_t)pl->low_ttl,
		"change_after_seconds", (json_int_t)pl->change_after,
		"raise_after_seconds", (json_int_t)pl->raise_after, "steps",
		"action", "lower-ttl", "at", t0, "ttl", (json_int_t)pl->low_ttl,
		"action", "change", "at", t1, "seconds_from_now",
		(json_int_t)pl->change_after, "action", "raise-ttl", "at", t2,
		"seconds_from_now",
		(json_int_t)(pl->change_after + pl->raise_after), "views",
		views_json(v, now));
#undef NUM
	return o;
}
