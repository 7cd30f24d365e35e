/* `trace DOMAIN [TYPE]`: the delegation path from the roots, every server
 * at every level. Its exit status follows the walk: 0 when the zone of
 * DOMAIN answered, 3 when no server on the way did. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ldns/ldns.h>
#include "core/checks.h"
#include "core/view.h"
#include "diag/inputs.h"
#include "core/view_rdap.h"
#include "diag/kinds.h"
#include "diag/rdap_setup.h"
#include "report/registry.h"
#include "engine/engine.h"
#include "probe/probe.h"
#include "report/layout.h"
#include "report/report.h"

struct trace_state {
	uint16_t qtype;
};

static int trace_gather(struct diag *d, struct diag_env *env)
{
	const struct diag_request *o = d->req;
	char domain[256];
	struct hints hints = { 0 };
	struct trace_state *s = calloc(1, sizeof(*s));
	int ret = -1;

	if (!(d->state = s))
		return diag_fail(d, "out of memory");
	s->qtype = LDNS_RR_TYPE_NS;
	if (o->n_args < 1 || o->n_args > 2)
		return diag_fail(d, "trace wants DOMAIN [TYPE] (see dnsdoctor "
				    "--help)");
	if (o->n_args == 2) {
		s->qtype = ldns_get_rr_type_by_name(o->args[1]);
		if (s->qtype == 0)
			return diag_fail(d, "unknown record type '%.20s'",
					 o->args[1]);
	}
	if (diag_domain_arg(d, o->args[0], domain, sizeof(domain)) < 0 ||
	    diag_replay_matches(d, domain) < 0 ||
	    diag_load_hints(d, o, &hints) < 0)
		goto out;
	if (diag_evidence_start(d, domain, &hints, NULL) < 0)
		goto out;
	struct diag_rdap rdap;
	int rdap_on = diag_rdap_setup(d, env, &rdap);
	if (rdap_on < 0)
		goto out;
	struct probe_config cfg = { .roots = &hints,
				    .family = o->family,
				    .rdap = rdap_on ? &rdap.cfg : NULL };
	int rc = probe_trace(env->eng, &cfg, s->qtype, d->ev);
	diag_rdap_done(&rdap);
	if (diag_probe_failed(d, rc))
		goto out;
	if (o->save_evidence &&
	    diag_save_evidence(d, d->ev, o->save_evidence) < 0)
		goto out;
	ret = 0;
out:
	hints_deinit(&hints);
	return ret;
}

/* A trace shows the walk; its exit status says where the walk ended, in
 * the convention of the other commands: 3 when no server on the way
 * answered, 2 with DOMAIN_NOT_DELEGATED when the parent says the name
 * does not exist, 0 when the zone was reached. */
static int trace_judge(struct diag *d)
{
	/* Saved trace evidence keeps the walk, not the type asked last. */
	if (!d->state && !(d->state = calloc(1, sizeof(struct trace_state))))
		return diag_fail(d, "out of memory");
	if (!((struct trace_state *)d->state)->qtype)
		((struct trace_state *)d->state)->qtype = LDNS_RR_TYPE_NS;
	struct view v;
	if (view_build(d->ev, &v) < 0)
		return diag_fail(d, "out of memory");
	int rc = check_intercepted(d->ev, &d->fs);
	if (rc != 0) {
		view_deinit(&v);
		if (rc < 0)
			return diag_fail(d, "out of memory");
		d->exit = diag_exit_of(&d->fs);
		return 0;
	}
	int refused = diag_refusals(d);
	if (refused < 0)
		rc = -1;
	else if (v.pstate == PS_UNKNOWN && refused > 0)
		d->exit = diag_exit_of(&d->fs);
	else if (v.pstate == PS_UNKNOWN)
		rc = diag_fail(d,
			       "no server on the way to %s answered; nothing "
			       "to trace",
			       d->ev->domain);
	else if (check_not_delegated(&v, (time_t)d->ev->started, &d->fs) < 0)
		rc = diag_fail(d, "out of memory");
	else
		d->exit = diag_exit_of(&d->fs);
	view_deinit(&v);
	return rc;
}

static void trace_text(const struct diag *d, FILE *f)
{
	const struct trace_state *s = d->state;
	report_trace_text(d->ev, s->qtype, d->queries, d->duration_ms,
			  d->req->color, f);
	struct layout l; /* the servers it would not ask, if any */
	layout_init(&l, f, d->req->color, d->req->width);
	layout_findings(&l, &d->fs);
	/* The registry's view beside the parent's delegation. */
	struct view_rdap *r = NULL;
	if (view_rdap_new(d->ev, &r) == 0 && r)
		report_registry_text(r, &l);
	view_rdap_free(r);
}

static json_t *trace_section(const struct diag *d)
{
	const struct trace_state *s = d->state;
	json_t *o = report_trace_section(d->ev, s->qtype, d->queries,
					 d->duration_ms);
	struct view_rdap *r = NULL;
	if (o && view_rdap_new(d->ev, &r) == 0 && r)
		json_object_set_new(o, "registry", report_registry_json(r));
	view_rdap_free(r);
	return o;
}

static void trace_deinit(struct diag *d)
{
	free(d->state);
	d->state = NULL;
}

const struct diag_kind diag_kind_trace = {
	.name = "trace",
	.progress = "tracing",
	.gather = trace_gather,
	.judge = trace_judge,
	.text = trace_text,
	.section = trace_section,
	.deinit = trace_deinit,
};
