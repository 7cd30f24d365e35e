/* `propagation NAME TYPE` and `plan NAME TYPE`: the record at every
 * authoritative server and resolver (probe_record), the propagation checks
 * over it, and the ETA or the plan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ldns/ldns.h>
#include "core/view_record.h"
#include "diag/inputs.h"
#include "core/view_rdap.h"
#include "diag/kinds.h"
#include "diag/rdap_setup.h"
#include "report/registry.h"
#include "diag/record.h"
#include "engine/engine.h"
#include "probe/probe.h"
#include "report/nagios.h"
#include "report/layout.h"
#include "report/html.h"
#include "report/propagation_report.h"

/* The first name server of /etc/resolv.conf, the system resolver, as ldns
 * reads the file (the resolver library's rules: comments, "nameserver",
 * IPv6 scopes). 0 (also when there is none) or -ENOMEM. */
static int system_resolver(struct hints *h)
{
	ldns_resolver *res = NULL;
	int rc = 0;
	if (ldns_resolver_new_frm_file(&res, NULL) != LDNS_STATUS_OK)
		return 0;
	if (ldns_resolver_nameserver_count(res) > 0) {
		char *addr = ldns_rdf2str(ldns_resolver_nameservers(res)[0]);
		struct eng_request req;
		if (!addr)
			rc = -ENOMEM;
		else if (eng_addr_parse(&req, addr, 53) == 0)
			rc = hints_add(h, "system.", addr);
		free(addr);
	}
	ldns_resolver_deep_free(res);
	return rc;
}

int record_resolvers(struct diag *d, bool defaults, struct hints *h)
{
	/* The resolvers replayed evidence recorded count as named. */
	if (d->req->resolvers ||
	    (d->env && d->env->replay && d->env->replay->resolvers.n))
		return diag_load_resolvers(d, d->req, h);
	if (!defaults)
		return 0;
	/* The system resolver only: public ones are asked when named
	 * (--resolvers public). */
	if (system_resolver(h) < 0)
		return diag_fail(d, "out of memory");
	return 0;
}

/* NAME TYPE and --expect checked. 0 or -1. */
static int record_args(struct diag *d, char *name, size_t len, uint16_t *type)
{
	const struct diag_request *o = d->req;
	const char *cmd = d->kind->name;
	if (o->n_args != 2)
		return diag_fail(d, "%s wants NAME TYPE (see dnsdoctor --help)",
				 cmd);
	if (diag_domain_arg(d, o->args[0], name, len) < 0)
		return -1;
	ldns_rr_type t = ldns_get_rr_type_by_name(o->args[1]);
	if (t == 0 || t == LDNS_RR_TYPE_ANY || t == LDNS_RR_TYPE_AXFR ||
	    t == LDNS_RR_TYPE_IXFR || strlen(o->args[1]) > 16)
		return diag_fail(d, "unknown record type '%.16s'", o->args[1]);
	*type = (uint16_t)t;
	for (size_t i = 0; o->expect && i <= o->n_expect_more; i++) {
		const char *e = i ? o->expect_more[i - 1] : o->expect;
		if (strlen(e) > 900 || strchr(e, '\n'))
			return diag_fail(d, "--expect wants one value of at "
					    "most 900 bytes");
	}
	return 0;
}

int record_gather(struct diag *d, struct diag_env *env, const struct hints *res,
		  bool save)
{
	const struct diag_request *o = d->req;
	char name[256];
	uint16_t type = 0;
	struct hints hints = { 0 };
	int ret = -1;

	if (record_args(d, name, sizeof(name), &type) < 0 ||
	    diag_replay_matches(d, name) < 0 ||
	    diag_load_hints(d, o, &hints) < 0)
		goto out;
	/* A wait looks again after its timeout: a fresh evidence. */
	evidence_free(d->ev);
	d->ev = NULL;
	if (diag_evidence_start(d, name, &hints, res) < 0)
		goto out;
	bool bad = false;
	for (size_t i = 0; o->expect && i < o->n_expect_more; i++)
		bad |= ev_strings_add(&d->ev->record_expect_more,
				      o->expect_more[i]) < 0;
	if (bad || !(d->ev->record_name = strdup(name)) ||
	    (o->expect && !(d->ev->record_expect = strdup(o->expect)))) {
		diag_fail(d, "out of memory");
		goto out;
	}
	d->ev->record_type = type;
	/* A delegation (NS): the registry's list too, when RDAP is on. */
	struct diag_rdap rdap;
	int rdap_on = 0;
	memset(&rdap, 0, sizeof(rdap));
	if (type == LDNS_RR_TYPE_NS &&
	    (rdap_on = diag_rdap_setup(d, env, &rdap)) < 0)
		goto out;
	struct probe_config cfg = { .roots = &hints,
				    .resolvers = res,
				    .family = o->family,
				    .rdap = rdap_on ? &rdap.cfg : NULL };
	int rc = probe_record(env->eng, &cfg, d->ev);
	diag_rdap_done(&rdap);
	if (diag_probe_failed(d, rc))
		goto out;
	if (save && o->save_evidence &&
	    diag_save_evidence(d, d->ev, o->save_evidence) < 0)
		goto out;
	ret = 0;
out:
	hints_deinit(&hints);
	return ret;
}

int record_judge(struct diag *d, struct rv_view *v)
{
	if (rv_build(d->ev, v) < 0)
		return diag_fail(d, "out of memory");
	bool any_auth = false;
	for (size_t i = 0; i < v->n; i++)
		any_auth |= v->rows[i].kind == RV_AUTH;
	int refused = diag_refusals(d);
	if (refused < 0)
		return -1;
	if (!any_auth && refused > 0) {
		d->exit = diag_exit_of(&d->fs);
		return 0;
	}
	if (!any_auth)
		return diag_fail(d,
				 "no authoritative server of the zone holding "
				 "%s was found",
				 d->ev->record_name);
	if (propagation_checks_run(v, (time_t)d->ev->started, &d->fs) < 0)
		return diag_fail(d, "out of memory");
	d->exit = diag_exit_of(&d->fs);
	return 0;
}

/* The record view, and for `plan` the plan made from it. */
struct record_state {
	struct rv_view v; /* zeroed until built: rv_deinit takes it either way
			   */
	struct rv_plan plan;
};

static int propagation_gather(struct diag *d, struct diag_env *env)
{
	struct hints res = { 0 };
	int rc = record_resolvers(d, !d->req->no_default_resolvers, &res) < 0
			 ? -1
			 : record_gather(d, env, &res, true);
	hints_deinit(&res);
	return rc;
}

static struct record_state *state_new(struct diag *d)
{
	struct record_state *s = calloc(1, sizeof(*s));
	if (!s)
		diag_fail(d, "out of memory");
	return d->state = s;
}

static int propagation_judge(struct diag *d)
{
	struct record_state *s = state_new(d);
	if (!s)
		return -1;
	return record_judge(d, &s->v);
}

static void propagation_text(const struct diag *d, FILE *f)
{
	const struct record_state *s = d->state;
	struct layout l;
	layout_init(&l, f, d->req->color, d->req->width);
	report_propagation_text(&s->v, &d->fs, d->started, &l);
	/* NS: the registry's list beside the parent servers' (RDAP). */
	struct view_rdap *r = NULL;
	if (view_rdap_new(d->ev, &r) == 0 && r)
		report_registry_text(r, &l);
	view_rdap_free(r);
}

static json_t *propagation_section(const struct diag *d)
{
	const struct record_state *s = d->state;
	json_t *o = report_propagation_section(&s->v, d->started);
	struct view_rdap *r = NULL;
	if (o && view_rdap_new(d->ev, &r) == 0 && r)
		json_object_set_new(o, "registry", report_registry_json(r));
	view_rdap_free(r);
	return o;
}

void record_nagios(const struct diag *d, const struct rv_view *v,
		   const char *verdict, FILE *f)
{
	char name[256], subject[300], ok[160];
	char *type = ldns_rr_type2str((ldns_rr_type)v->type);
	int64_t eta = rv_eta(v, d->started);
	const struct nagios_perf perf = { .label = "eta",
					  .value = eta,
					  .uom = "s" };

	snprintf(subject, sizeof(subject), "%s %s",
		 nagios_name(v->name ? v->name : "?", name, sizeof(name)),
		 type ? type : "?");
	free(type);
	if (eta == 0)
		snprintf(ok, sizeof(ok),
			 "the answer is the same at all %zu addresses asked "
			 "(servers and resolvers)",
			 v->n);
	else if (eta > 0)
		snprintf(ok, sizeof(ok),
			 "no fault; every cache asked has the answer in %lld s",
			 (long long)eta);
	else
		snprintf(ok, sizeof(ok), "no fault found");
	const struct nagios_report r = {
		.subject = subject,
		.exit = d->exit,
		.fs = &d->fs,
		.verdict = verdict   ? verdict
			   : d->exit ? NULL
				     : ok,
		.queries = d->queries,
		.duration_ms = d->duration_ms,
		.perf = &perf,
		.n_perf = eta >= 0,
	};
	report_nagios(&r, f);
}

static void propagation_nagios(const struct diag *d, FILE *f)
{
	const struct record_state *s = d->state;
	record_nagios(d, &s->v, NULL, f);
}

static int propagation_html(struct diag *d, enum diag_format fmt, FILE *f)
{
	const struct record_state *s = d->state;
	if (fmt == DIAG_SVG)
		return diag_fail(d, "--format svg draws the delegation graph "
				    "of check; propagation writes --format "
				    "html");
	const struct html_run run = { "propagation", d->started, d->queries,
				      d->duration_ms };
	if (report_propagation_html(&s->v, &d->fs, &run, f) < 0)
		return diag_fail(d, "out of memory");
	return 0;
}

static void record_deinit(struct diag *d)
{
	struct record_state *s = d->state;
	if (!s)
		return;
	rv_deinit(&s->v);
	free(s);
	d->state = NULL;
}

const struct diag_kind diag_kind_propagation = {
	.name = "propagation",
	.gather = propagation_gather,
	.judge = propagation_judge,
	.text = propagation_text,
	.section = propagation_section,
	.nagios = propagation_nagios,
	.html = propagation_html,
	.deinit = record_deinit,
};

/* The TTL `plan` lowers to: short enough that a mistake clears within
 * minutes, long enough not to multiply the queries a zone gets. */
#define PLAN_LOW_TTL 60

/* A plan has no findings: it is the numbers a change is planned from. */
static int plan_judge(struct diag *d)
{
	struct record_state *s = state_new(d);
	if (!s)
		return -1;
	if (rv_build(d->ev, &s->v) < 0)
		return diag_fail(d, "out of memory");
	rv_plan_build(&s->v, (time_t)d->ev->started, PLAN_LOW_TTL, &s->plan);
	/* Its only findings: servers it would not ask (--no-private). */
	if (diag_refusals(d) < 0)
		return -1;
	d->exit = diag_exit_of(&d->fs);
	return 0;
}

static void plan_text(const struct diag *d, FILE *f)
{
	const struct record_state *s = d->state;
	report_plan_text(&s->v, &s->plan, d->started, f);
	struct layout l; /* the servers it would not ask, if any */
	layout_init(&l, f, d->req->color, d->req->width);
	layout_findings(&l, &d->fs);
}

static json_t *plan_section(const struct diag *d)
{
	const struct record_state *s = d->state;
	return report_plan_section(&s->v, &s->plan, d->started);
}

const struct diag_kind diag_kind_plan = {
	.name = "plan",
	.gather = propagation_gather,
	.judge = plan_judge,
	.text = plan_text,
	.section = plan_section,
	.deinit = record_deinit,
};
