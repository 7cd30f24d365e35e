/* `check DOMAIN`: the delegation from the root, every authoritative server,
 * consistency, DNSSEC and, with --acme/--acm, what a CA's validator sees. */
#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "core/checks.h"
#include "core/dname.h"
#include "core/nslist.h"
#include "core/validation.h"
#include "core/view.h"
#include "core/ns_plan.h"
#include "core/view_rdap.h"
#include "core/whatif.h"
#include "diag/fiber.h"
#include "diag/inputs.h"
#include "diag/kinds.h"
#include "diag/rdap_setup.h"
#include "engine/engine.h"
#include "probe/probe.h"
#include "report/html.h"
#include "report/nagios.h"
#include "report/ns_plan_report.h"
#include "report/report.h"

#define NSLIST_MAX_BYTES (1u << 20)

struct check_state {
	struct view v;
	bool have_view;
	char *verdict, *fix;
	char asked[VIEW_NAME_MAX + 2]; /* "*." kept for a wildcard */
	struct dnssec_view dv;	       /* its resolvers, for the report */
	bool have_dv;
	int64_t rrsig_expiry; /* with req->rrsig_expiry; -1 none */
	/* --ns: the real delegation, gathered in the same run, and what
	 * would change (docs/whatif.md). */
	struct evidence *real;
	struct findings real_fs;
	struct strset gone, appear;
	bool compared;
	struct report_whatif whatif;
	/* plan DOMAIN NS (kind plan_ns): the steps, and who to click at. */
	struct ns_plan plan;
	bool have_plan;
	char registrar[400];
};

/* --expect-ns NAMES or @FILE into EV. 0 or -1 (diag_fail). */
static int expect_ns(struct diag *d, const char *arg, struct evidence *ev)
{
	struct strset names;
	char err[200], *text = NULL;
	size_t len;
	int rc = -1;

	strset_init(&names);
	if (arg[0] == '@') {
		text = diag_read_file(d, "--expect-ns file", arg + 1,
				      NSLIST_MAX_BYTES, &len);
		if (!text)
			return -1;
	} else {
		len = strlen(arg);
	}
	if (nslist_parse(text ? text : arg, len, &names, err, sizeof(err)) <
	    0) {
		diag_fail(d, "--expect-ns: %s", err);
		goto out;
	}
	for (size_t i = 0; i < names.n; i++)
		if (evidence_add_expect_ns(ev, names.v[i]) < 0) {
			diag_fail(d, "out of memory");
			goto out;
		}
	rc = 0;
out:
	free(text);
	strset_deinit(&names);
	return rc;
}

/* --acme, --ca, --challenge, --txt, --account-uri and --acm into EV, so
 * `analyze` reaches the same findings. 0 or -1 (diag_fail). */
static int load_validation(struct diag *d, const struct diag_request *o,
			   struct evidence *ev)
{
	struct ev_validation *v = &ev->validation;
	char err[160], name[256], target[256];
	const struct {
		const char *given;
		char **field;
	} opt[] = {
		{ o->ca, &v->ca },	 { o->challenge, &v->challenge },
		{ o->txt, &v->txt },	 { o->account_uri, &v->account_uri },
		{ o->token, &v->token }, { o->key_auth, &v->key_auth },
	};
	v->acme = o->acme;
	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (opt[i].given &&
		    ev_set_string(opt[i].field, opt[i].given) < 0)
			return diag_fail(d, "out of memory");
	for (size_t i = 0; i < o->n_acm; i++) {
		const char *eq = strchr(o->acm[i], '=');
		char left[256];
		if (!eq || (size_t)(eq - o->acm[i]) >= sizeof(left))
			return diag_fail(d, "--acm wants NAME=TARGET, as ACM "
					    "shows them");
		snprintf(left, sizeof(left), "%.*s", (int)(eq - o->acm[i]),
			 o->acm[i]);
		if (dname_from_user(left, name, sizeof(name), err,
				    sizeof(err)) < 0 ||
		    dname_from_user(eq + 1, target, sizeof(target), err,
				    sizeof(err)) < 0)
			return diag_fail(d, "--acm: %s", err);
		if (evidence_add_acm(ev, name, target) < 0)
			return diag_fail(d, "out of memory");
	}
	return 0;
}

/* A new evidence for DOMAIN into *OUT with what the user asked but the
 * what-if options (--ds, --ns). 0 or -1 (diag_fail). */
static int check_evidence_new(struct diag *d, const char *domain, bool wildcard,
			      struct evidence **out)
{
	const struct diag_request *o = d->req;
	struct evidence *ev;
	if (!(ev = *out = evidence_new(domain, (int64_t)time(NULL))) ||
	    !(ev->command = strdup("check")))
		return diag_fail(d, "out of memory");
	ev->validation.wildcard = wildcard;
	ev->rrsig_warn_s = (int64_t)(o->rrsig_warn_days * 86400);
	if (o->expiry_warn_days > 0)
		ev->expiry_warn_s = (int64_t)(o->expiry_warn_days * 86400);
	if (ev->expiry_warn_s == 0 && o->expiry_warn_days > 0)
		ev->expiry_warn_s = 1;
	char bad[48];
	if (o->checks &&
	    ev_areas_parse(o->checks, &ev->areas, bad, sizeof(bad)) < 0)
		return diag_fail(d,
				 "--checks wants areas among delegation, "
				 "dnssec, acme, caa, not '%s'",
				 bad);
	if ((o->expect_ns && expect_ns(d, o->expect_ns, ev) < 0) ||
	    load_validation(d, o, ev) < 0 ||
	    diag_load_public_suffix(d, ev) < 0 ||
	    diag_load_trust_anchor(d, o, ev) < 0)
		return -1;
	return 0;
}

/* One probe of a check, run on a fiber beside the other. */
struct check_job {
	struct engine *eng;
	const struct probe_config *cfg;
	struct evidence *ev;
	int rc;
};

static void job_run(void *arg)
{
	struct check_job *j = arg;
	j->rc = probe_check(j->eng, j->cfg, j->ev);
}

static void job_done(void *arg)
{
	(void)arg;
}

/* A check's deepest stack (ldns under the views) is well under this;
 * ASan's red zones make frames several times larger (as fleet.c). */
#if defined(__SANITIZE_ADDRESS__)
#define JOB_STACK (2u << 20)
#else
#define JOB_STACK (512u << 10)
#endif

/* --ns: the hypothetical delegation (D->ev) and the real one (REAL) in
 * one run of the engine, in parallel on two fibers: the walk to the
 * parent is the same, so the second costs the child's questions only.
 * Under a scheduler already (a fiber of fleet's) or a replay, one after
 * the other. Returns the first probe error. */
static int gather_both(struct diag_env *env, const struct probe_config *cfg,
		       const struct probe_config *real_cfg,
		       struct evidence *hyp, struct evidence *real)
{
	struct check_job jobs[2] = { { env->eng, cfg, hyp, 0 },
				     { env->eng, real_cfg, real, 0 } };
	struct fiber_sched *s = NULL;
	if (!env->eng->yield && !env->replay)
		s = fiber_sched_new(env->eng);
	for (size_t i = 0; i < 2; i++)
		if (!s || fiber_start(s, job_run, job_done, &jobs[i], NULL,
				      JOB_STACK) < 0)
			job_run(&jobs[i]);
	while (s && fiber_count(s))
		fiber_sched_step(s);
	fiber_sched_free(s);
	return jobs[0].rc ? jobs[0].rc : jobs[1].rc;
}

/* The evidence of a check: the domain and what the user asked. */
static int check_evidence(struct diag *d, char *domain, size_t len)
{
	const struct diag_request *o = d->req;
	bool plan = d->kind == &diag_kind_plan_ns;
	if (o->n_args != (plan ? 2u : 1u))
		return diag_fail(d, "check wants exactly one DOMAIN (see "
				    "dnsdoctor --help)");
	/* A certificate for *.X is validated at X (RFC 8555 8.4, RFC 8659
	 * 3), with CAA issuewild: X is diagnosed, the wildcard noted. */
	bool wildcard = !plan && strncmp(o->args[0], "*.", 2) == 0 &&
			o->args[0][2];
	if (wildcard && !o->acme && !o->n_acm)
		return diag_fail(d, "a wildcard name is checked with --acme or "
				    "--acm (see dnsdoctor --help)");
	if (diag_domain_arg(d, o->args[0] + (wildcard ? 2 : 0), domain, len) <
	    0)
		return -1;
	if (strcmp(domain, ".") == 0 && (o->acme || o->n_acm))
		return diag_fail(d, "the root zone has no certificate: --acme "
				    "and --acm check a domain name");
	if (check_evidence_new(d, domain, wildcard, &d->ev) < 0 ||
	    diag_load_what_if_ds(d, o, domain, d->ev) < 0 ||
	    (plan ? diag_load_plan_ns(d, o, domain, d->ev)
		  : diag_load_what_if_ns(d, o, domain, d->ev)) < 0)
		return -1;
	return 0;
}

static int check_gather(struct diag *d, struct diag_env *env)
{
	char domain[256];
	struct hints hints = { 0 }, resolvers = { 0 };
	struct diag_rdap rdap;
	int ret = -1, rdap_on = 0;
	memset(&rdap, 0, sizeof(rdap));
	struct check_state *s = NULL;
	if (check_evidence(d, domain, sizeof(domain)) < 0 ||
	    diag_replay_matches(d, domain) < 0 ||
	    diag_load_hints(d, d->req, &hints) < 0)
		goto out;
	/* --ns: resolvers and the registry see the published delegation
	 * only; neither is asked, for either diagnosis (docs/whatif.md). */
	bool what_if = d->ev->what_if_ns.n > 0;
	if (what_if) {
		if (!(d->state = s = calloc(1, sizeof(*s))))
			goto oom;
		findings_init(&s->real_fs);
		strset_init(&s->gone);
		strset_init(&s->appear);
		if (check_evidence_new(d, d->ev->domain,
				       d->ev->validation.wildcard,
				       &s->real) < 0)
			goto out;
	}
	/* plan: the registry names the registrar to switch at, for the
	 * real delegation's diagnosis only. */
	bool plan = d->kind == &diag_kind_plan_ns;
	struct diag_request rdap_req = *d->req;
	const struct diag_request *req = d->req;
	rdap_req.rdap_default = true;
	if (plan)
		d->req = &rdap_req;
	if (!what_if || plan)
		rdap_on = diag_rdap_setup(d, env, &rdap);
	d->req = req;
	if (rdap_on < 0 ||
	    (!what_if && diag_load_resolvers(d, d->req, &resolvers) < 0) ||
	    diag_note_inputs(d, &hints, &resolvers) < 0)
		goto out;
	if (env->replay)
		d->ev->started = env->replay->started;
	struct probe_config cfg = { .roots = &hints,
				    .resolvers = &resolvers,
				    .family = d->req->family,
				    .rdap = rdap_on ? &rdap.cfg : NULL,
				    .behaviour = !d->req->no_behaviour,
				    .denial_when_signed =
					    d->req->denial_when_signed };
	/* --replay answers only what the saved run asked: the evidence
	 * saved is the hypothetical delegation's alone, so no comparison. */
	if (what_if && env->replay) {
		evidence_free(s->real);
		s->real = NULL;
	}
	if (s && s->real) {
		for (size_t i = 0; i < d->ev->root_hints.n; i++)
			if (ev_strings_add(&s->real->root_hints,
					   d->ev->root_hints.v[i]) < 0)
				goto oom;
		s->real->started = d->ev->started;
	}
	struct probe_config hyp_cfg = cfg;
	hyp_cfg.rdap = NULL;
	if (diag_probe_failed(
		    d,
		    s && s->real
			    ? gather_both(env, &hyp_cfg, &cfg, d->ev, s->real)
			    : probe_check(env->eng, what_if ? &hyp_cfg : &cfg,
					  d->ev)))
		goto out;
	if (d->req->save_evidence &&
	    diag_save_evidence(d, d->ev, d->req->save_evidence) < 0)
		goto out;
	ret = 0;
	goto out;
oom:
	diag_fail(d, "out of memory");
out:
	diag_rdap_done(&rdap);
	hints_deinit(&hints);
	hints_deinit(&resolvers);
	return ret;
}

/* --ns: the real delegation judged as a check would, and the codes
 * that would change. When nothing on the way answered, there is no
 * comparison. 0 or -1 (diag_fail). */
static int judge_real(struct diag *d, struct check_state *s)
{
	struct view v;
	if (view_build(s->real, &v) < 0)
		return diag_fail(d, "out of memory");
	int rc = 0;
	if (v.pstate != PS_UNKNOWN &&
	    (checks_run(&v, (time_t)s->real->started, &s->real_fs) < 0 ||
	     whatif_diff(&s->real_fs, &d->fs, &s->gone, &s->appear) < 0))
		rc = diag_fail(d, "out of memory");
	if (rc == 0 && d->kind == &diag_kind_plan_ns) {
		if (ns_plan_build(&v, &s->v, &d->fs, (time_t)d->ev->started,
				  &s->plan) < 0)
			rc = diag_fail(d, "out of memory");
		s->have_plan = true;
		view_rdap_registrar(v.rdap, s->registrar, sizeof(s->registrar));
	}
	s->compared = rc == 0 && v.pstate != PS_UNKNOWN;
	s->whatif.gone = &s->gone;
	s->whatif.appear = &s->appear;
	view_deinit(&v);
	return rc;
}

static int check_judge(struct diag *d)
{
	struct check_state *s = d->state;
	if (!s && !(d->state = s = calloc(1, sizeof(*s))))
		return diag_fail(d, "out of memory");
	s->rrsig_expiry = -1;
	if (view_build(d->ev, &s->v) < 0)
		return diag_fail(d, "out of memory");
	s->have_view = true;
	struct val_opts vo;
	val_opts_read(d->ev, &vo);
	snprintf(s->asked, sizeof(s->asked), "%s%s", vo.wildcard ? "*." : "",
		 d->ev->domain);
	/* A network that answers for the roots: the domain cannot be seen
	 * from here, and that is the one thing to say. */
	int rc = check_intercepted(d->ev, &d->fs);
	if (rc < 0)
		return diag_fail(d, "out of memory");
	if (rc > 0) {
		if (!(s->verdict = strdup(d->fs.v[0].summary)) ||
		    !(s->fix = strdup(d->fs.v[0].fix)))
			return diag_fail(d, "out of memory");
		d->exit = diag_exit_of(&d->fs);
		return 0;
	}
	/* Addresses the run would not contact (--no-private): when no
	 * server on the way could be asked, they are the verdict. */
	if ((rc = diag_refusals(d)) < 0)
		return -1;
	if (s->v.pstate == PS_UNKNOWN && rc > 0) {
		findings_sort(&d->fs);
		if (!(s->verdict = strdup(d->fs.v[0].summary)) ||
		    !(s->fix = strdup(d->fs.v[0].fix)))
			return diag_fail(d, "out of memory");
		d->exit = diag_exit_of(&d->fs);
		return 0;
	}
	if (s->v.pstate == PS_UNKNOWN)
		return diag_fail(d,
				 "no server on the way to %s answered; nothing "
				 "to diagnose",
				 d->ev->domain);
	if (dnssec_view_resolvers(d->ev, &s->v, &s->dv) < 0)
		return diag_fail(d, "out of memory");
	s->have_dv = true;
	if (checks_run(&s->v, (time_t)d->ev->started, &d->fs) < 0 ||
	    verdict_build(&s->v, &d->fs, &s->verdict, &s->fix) < 0)
		return diag_fail(d, "out of memory");
	if (s->real && judge_real(d, s) < 0)
		return -1;
	if (d->req->rrsig_expiry &&
	    dnssec_earliest_expiration(d->ev, &s->v, (time_t)d->ev->started,
				       &s->rrsig_expiry) < 0)
		return diag_fail(d, "out of memory");
	d->exit = diag_exit_of(&d->fs);
	return 0;
}

static struct report_ctx ctx_of(const struct diag *d)
{
	const struct check_state *s = d->state;
	return (struct report_ctx){
		.command = d->req->command ? d->req->command : "check",
		.view = &s->v,
		.asked = s->asked,
		.resolvers = s->dv.r,
		.n_resolvers = s->dv.n_r,
		.findings = &d->fs,
		.verdict = s->verdict,
		.fix = s->fix,
		.exit_code = d->exit,
		.started = d->started,
		.queries = d->queries,
		.elapsed_ms = d->duration_ms,
		.color = d->req->color,
		.width = d->req->width,
		.whatif = s->compared ? &s->whatif : NULL,
	};
}

static void check_text(const struct diag *d, FILE *f)
{
	struct report_ctx r = ctx_of(d);
	report_check_text(&r, f);
}

static json_t *check_section(const struct diag *d)
{
	const struct check_state *s = d->state;
	struct report_ctx r = ctx_of(d);
	json_t *o = report_check_section(&r);
	if (o && d->req->rrsig_expiry) {
		char t[32] = "";
		struct tm tm;
		time_t e = (time_t)s->rrsig_expiry;
		if (s->rrsig_expiry >= 0 && gmtime_r(&e, &tm))
			strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_object_set_new(o, "rrsig_expiration",
				    t[0] ? json_string(t) : json_null());
	}
	return o;
}

static void check_nagios(const struct diag *d, FILE *f)
{
	const struct check_state *s = d->state;
	char name[VIEW_NAME_MAX + 2], subject[VIEW_NAME_MAX + 40];
	/* --ns: the status is of a delegation no one sees yet. */
	snprintf(subject, sizeof(subject), "%s%s",
		 nagios_name(s->asked, name, sizeof(name)),
		 d->ev->what_if_ns.n ? " as delegated by --ns" : "");
	const struct nagios_report r = {
		.subject = subject,
		.exit = d->exit,
		.fs = &d->fs,
		.verdict = s->verdict,
		.fix = s->fix,
		.queries = d->queries,
		.duration_ms = d->duration_ms,
	};
	report_nagios(&r, f);
}

/* The page draws the DS -> DNSKEY links: the whole DNSSEC view, built
 * again here as the checks built it, at the time of the evidence. */
static int check_html(struct diag *d, enum diag_format fmt, FILE *f)
{
	const struct check_state *s = d->state;
	struct report_ctx r = ctx_of(d);
	struct dnssec_view dv;
	if (dnssec_view_build(d->ev, &s->v, (time_t)d->ev->started, &dv) < 0)
		return diag_fail(d, "out of memory");
	int rc = fmt == DIAG_SVG ? report_check_svg(&r, &dv, f)
				 : report_check_html(&r, &dv, f);
	dnssec_view_deinit(&dv);
	if (rc < 0)
		return diag_fail(d, "cannot draw the delegation graph");
	return 0;
}

static void check_deinit(struct diag *d)
{
	struct check_state *s = d->state;
	if (!s)
		return;
	if (s->have_dv)
		dnssec_view_deinit(&s->dv);
	if (s->have_view)
		view_deinit(&s->v);
	free(s->verdict);
	free(s->fix);
	evidence_free(s->real);
	findings_deinit(&s->real_fs);
	strset_deinit(&s->gone);
	strset_deinit(&s->appear);
	if (s->have_plan)
		ns_plan_deinit(&s->plan);
	free(s);
	d->state = NULL;
}

const struct diag_kind diag_kind_check = {
	.name = "check",
	.progress = "checking",
	.gather = check_gather,
	.judge = check_judge,
	.text = check_text,
	.section = check_section,
	.nagios = check_nagios,
	.html = check_html,
	.deinit = check_deinit,
};

/* plan DOMAIN NS --ns ... (or --expect ...): the check of the new
 * delegation and of the real one, turned into the steps of the change
 * (docs/whatif.md). diag_run picks it for `plan` when
 * diag_plan_ns_wanted. */
bool diag_plan_ns_wanted(const struct diag_request *r)
{
	return r->n_args == 2 && strcasecmp(r->args[1], "NS") == 0 &&
	       (r->n_ns || r->expect);
}

static struct ns_plan_report plan_report(const struct diag *d)
{
	const struct check_state *s = d->state;
	return (struct ns_plan_report){
		.domain = d->ev->domain,
		.parent = s->v.parent,
		.plan = &s->plan,
		.registrar = s->registrar[0] ? s->registrar : "the registrar",
		.registrar_known = strcmp(s->registrar, "the registrar") != 0 &&
				   s->registrar[0],
		.whatif = s->compared ? &s->whatif : NULL,
		.fs = &d->fs,
		.color = d->req->color,
		.width = d->req->width,
	};
}

static void plan_ns_text(const struct diag *d, FILE *f)
{
	const struct check_state *s = d->state;
	if (!s->have_plan) { /* the real delegation could not be judged */
		check_text(d, f);
		return;
	}
	struct ns_plan_report r = plan_report(d);
	report_ns_plan_text(&r, f);
}

static json_t *plan_ns_section(const struct diag *d)
{
	const struct check_state *s = d->state;
	json_t *o = check_section(d);
	if (o && s->have_plan) {
		struct ns_plan_report r = plan_report(d);
		json_t *p = report_ns_plan_json(&r);
		if (!p) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "ns_plan", p);
	}
	return o;
}

const struct diag_kind diag_kind_plan_ns = {
	.name = "plan",
	.progress = "checking",
	.gather = check_gather,
	.judge = check_judge,
	.text = plan_ns_text,
	.section = plan_ns_section,
	.deinit = check_deinit,
};
