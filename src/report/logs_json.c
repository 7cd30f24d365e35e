/* `dnsdoctor logs --json` (docs/logs.md, docs/json.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "report/logs_report.h"
#include "report/sanitize.h"

const char *logs_format_of(const struct logs_report *r)
{
	if (r->ninputs == 0)
		return "unknown";
	for (size_t i = 1; i < r->ninputs; i++)
		if (r->inputs[i].format != r->inputs[0].format)
			return "mixed";
	return acme_format_name(r->inputs[0].format);
}

const char *logs_tz_text(int64_t off, char *buf, size_t len)
{
	int64_t a = off < 0 ? -off : off;
	snprintf(buf, len, "%c%02lld:%02lld", off < 0 ? '-' : '+',
		 (long long)(a / 3600), (long long)(a % 3600 / 60));
	return buf;
}

bool logs_local_times(const struct logs_report *r)
{
	return r->log->local_times && !r->log->tz_given;
}

const char *logs_time(const struct logs_report *r, int64_t t, char *buf,
		      size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;
	/* A local time of unknown zone carries no "Z": it is not UTC. */
	if (t == ACMELOG_NO_TIME || !gmtime_r(&tt, &tm) ||
	    strftime(buf, len,
		     logs_local_times(r) ? "%Y-%m-%dT%H:%M:%S"
					 : "%Y-%m-%dT%H:%M:%SZ",
		     &tm) == 0)
		return "-";
	return buf;
}

const char *logs_limit_status(uint64_t n, uint64_t limit)
{
	if (n > limit)
		return "over-limit";
	if (n == limit)
		return "at-limit";
	if (n * 2 >= limit)
		return "close";
	return "ok";
}

/* Strings from a log are not always UTF-8; jansson refuses those, so they
 * go in with every byte outside printable ASCII as \xHH. */
static json_t *jstring(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (!j) {
		char *safe = str_safe(s ? s : "");
		if (safe)
			j = json_string(safe);
		free(safe);
	}
	return j;
}

static json_t *jtime(const struct logs_report *r, int64_t t)
{
	char buf[32];
	return t == ACMELOG_NO_TIME
		       ? json_null()
		       : json_string(logs_time(r, t, buf, sizeof(buf)));
}

static json_t *findings_of(const struct logs_check *c)
{
	const json_t *f = c->result ? json_object_get(c->result, "findings")
				    : NULL;
	json_t *out = json_array(), *e;
	size_t i;
	const json_t *v;
	if (!out || !json_is_array(f))
		return out;
	json_array_foreach (f, i, v) {
		e = json_object();
		if (!e)
			break;
		json_object_set_new(
			e, "code",
			jstring(json_string_value(json_object_get(v, "code"))));
		json_object_set_new(
			e, "severity",
			jstring(json_string_value(json_object_get(v, "severit"
								     "y"))));
		json_object_set_new(
			e, "summary",
			jstring(json_string_value(json_object_get(v, "summar"
								     "y"))));
		json_array_append_new(out, e);
	}
	return out;
}

static json_t *group_json(const struct logs_report *r, size_t gi)
{
	const struct acme_group *g = &r->sum->g[gi];
	const struct logs_group_checks *gc = &r->checks[gi];
	json_t *o = json_object(), *doms = json_array(), *cmds = json_array();
	const char *primary = NULL;

	if (!o || !doms || !cmds) {
		json_decref(o);
		json_decref(doms);
		json_decref(cmds);
		return NULL;
	}
	for (size_t i = 0; i < g->ndomains; i++)
		json_array_append_new(doms, jstring(g->domains[i]));
	for (size_t i = 0; i < gc->n; i++) {
		const struct logs_check *c = &gc->c[i];
		json_t *e = json_object();
		if (!primary)
			primary = c->command;
		json_object_set_new(e, "domain", jstring(c->domain));
		json_object_set_new(e, "command", jstring(c->command));
		/* every confirming command exists in this build; the field
		 * stays for readers of older reports */
		json_object_set_new(e, "available", json_true());
		if (r->run_checks) {
			json_object_set_new(e, "ran", json_boolean(c->ran));
			if (c->ran) {
				json_object_set_new(e, "exit_code",
						    json_integer(c->exit_code));
				json_object_set_new(e, "findings",
						    findings_of(c));
			}
			if (c->error)
				json_object_set_new(e, "error",
						    jstring(c->error));
		}
		json_array_append_new(cmds, e);
	}
	json_object_set_new(o, "type", jstring(g->type));
	json_object_set_new(o, "cause", json_string(acme_cause_name(g->cause)));
	json_object_set_new(
		o, "category",
		json_string(acme_category_name(acme_cause_category(g->cause))));
	json_object_set_new(o, "explanation",
			    json_string(acme_cause_text(g->cause)));
	json_object_set_new(o, "challenge",
			    *g->challenge ? jstring(g->challenge)
					  : json_null());
	json_object_set_new(o, "secondary_validation",
			    json_boolean(g->secondary));
	json_object_set_new(o, "detail", jstring(g->detail));
	char server[256], answer[32];
	if (g->cause == AC_TXT_NOT_PROPAGATED &&
	    acmelog_precheck(g->detail, server, sizeof(server), answer,
			     sizeof(answer)))
		json_object_set_new(
			o, "precheck",
			json_pack("{s:o, s:o}", "server",
				  server[0] ? jstring(server) : json_null(),
				  "answer",
				  answer[0] ? jstring(answer) : json_null()));
	json_object_set_new(o, "domains", doms);
	json_object_set_new(o, "count", json_integer((json_int_t)g->count));
	json_object_set_new(o, "first", jtime(r, g->first));
	json_object_set_new(o, "last", jtime(r, g->last));
	json_object_set_new(o, "command",
			    primary ? jstring(primary) : json_null());
	json_object_set_new(o, "commands", cmds);
	return o;
}

static json_t *retry_json(const struct logs_report *r,
			  const struct acme_retry *rt)
{
	json_t *o = json_object(), *iv = json_array(), *lim = json_object();
	if (!o || !iv || !lim) {
		json_decref(o);
		json_decref(iv);
		json_decref(lim);
		return NULL;
	}
	for (size_t i = 0; i < rt->nintervals; i++)
		json_array_append_new(
			iv, json_integer((json_int_t)rt->intervals[i]));
	json_object_set_new(lim, "name",
			    json_string("failed validations per account, "
					"hostname and hour"));
	json_object_set_new(lim, "max",
			    json_integer(LE_FAILED_VALIDATIONS_PER_HOUR));
	json_object_set_new(lim, "seen", json_integer(rt->max_failed_hour));
	json_object_set_new(
		lim, "status",
		json_string(logs_limit_status(rt->max_failed_hour,
					      LE_FAILED_VALIDATIONS_PER_HOUR)));
	json_object_set_new(o, "domain", jstring(rt->domain));
	json_object_set_new(o, "attempts", json_integer(rt->attempts));
	json_object_set_new(o, "failures", json_integer(rt->failures));
	json_object_set_new(o, "successes", json_integer(rt->successes));
	json_object_set_new(o, "first", jtime(r, rt->first));
	json_object_set_new(o, "last", jtime(r, rt->last));
	json_object_set_new(o, "intervals", iv);
	json_object_set_new(o, "rate_limit", lim);
	return o;
}

static json_t *limit_json(const char *name, uint64_t max, uint64_t seen,
			  const char *domain)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "max", json_integer((json_int_t)max));
	json_object_set_new(o, "seen", json_integer((json_int_t)seen));
	json_object_set_new(o, "status",
			    json_string(logs_limit_status(seen, max)));
	if (domain)
		json_object_set_new(o, "domain", jstring(domain));
	return o;
}

json_t *report_logs_section(const struct logs_report *r)
{
	const struct acme_summary *s = r->sum;
	json_t *root = json_object(), *inputs = json_array(),
	       *fails = json_array();
	json_t *retries = json_array(), *limits = json_array(),
	       *sum = json_object();
	json_t *ret = NULL;

	if (!root || !inputs || !fails || !retries || !limits || !sum)
		goto out;
	for (size_t i = 0; i < r->ninputs; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "file", jstring(r->inputs[i].name));
		json_object_set_new(
			e, "format",
			json_string(acme_format_name(r->inputs[i].format)));
		json_object_set_new(
			e, "lines",
			json_integer((json_int_t)r->inputs[i].lines));
		json_array_append_new(inputs, e);
	}
	for (size_t i = 0; i < s->ng; i++) {
		json_t *g = group_json(r, i);
		if (!g)
			goto out;
		json_array_append_new(fails, g);
	}
	for (size_t i = 0; i < s->nr; i++) {
		json_t *e = retry_json(r, &s->r[i]);
		if (!e)
			goto out;
		json_array_append_new(retries, e);
	}
	json_array_append_new(limits, limit_json("new orders per account per 3 "
						 "hours",
						 LE_NEW_ORDERS_PER_3H,
						 s->max_orders_3h, NULL));
	json_array_append_new(limits,
			      limit_json("certificates per registered domain "
					 "per week",
					 LE_CERTS_PER_DOMAIN_PER_WEEK,
					 s->max_certs_week, s->certs_domain));
	json_object_set_new(sum, "failures",
			    json_integer((json_int_t)s->failures));
	json_object_set_new(sum, "distinct", json_integer((json_int_t)s->ng));
	json_object_set_new(sum, "runs", json_integer(r->log->runs));
	json_object_set_new(sum, "lines",
			    json_integer((json_int_t)r->log->lines));
	json_object_set_new(sum, "long_lines",
			    json_integer((json_int_t)r->log->long_lines));
	json_object_set_new(sum, "json_skipped",
			    json_integer((json_int_t)r->log->big_json));
	json_object_set_new(sum, "dropped",
			    json_integer((json_int_t)r->log->dropped));
	json_object_set_new(sum, "ungrouped",
			    json_integer((json_int_t)s->ungrouped));

	json_object_set_new(root, "format", json_string(logs_format_of(r)));
	json_object_set_new(root, "inputs", inputs);
	json_object_set_new(root, "failures", fails);
	json_object_set_new(root, "retries", retries);
	json_object_set_new(root, "rate_limits", limits);
	json_object_set_new(root, "summary", sum);
	char tz[96], off[16];
	if (r->log->tz_given)
		snprintf(tz, sizeof(tz),
			 "UTC (local times converted from UTC%s, --log-tz)",
			 logs_tz_text(r->log->tz_offset, off, sizeof(off)));
	json_object_set_new(root, "times",
			    json_string(logs_local_times(r) ? "local: certbot "
							      "and lego write "
							      "the machine's "
							      "local time "
							      "without a zone; "
							      "times without Z "
							      "are "
							      "that local time "
							      "(--log-tz "
							      "converts them)"
					: r->log->tz_given  ? tz
							    : "UTC"));
	json_object_set_new(root, "times_utc",
			    json_boolean(!logs_local_times(r)));
	json_object_set_new(root, "exit_code", json_integer(r->exit_code));
	inputs = fails = retries = limits = sum = NULL;
	ret = root;
	root = NULL;
out:
	json_decref(root);
	json_decref(inputs);
	json_decref(fails);
	json_decref(retries);
	json_decref(limits);
	json_decref(sum);
	return ret;
}
