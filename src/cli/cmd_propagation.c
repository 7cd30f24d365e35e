/* `propagation NAME TYPE` and `plan NAME TYPE`: the record at every
 * authoritative server and resolver (probe_record), the propagation checks
 * over it, and the ETA or the plan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ldns/ldns.h>
#include "cli/common.h"
#include "cli/record.h"
#include "core/view_record.h"
#include "probe/probe.h"
#include "report/propagation_report.h"
#include "report/report.h"

/* Large public resolvers, asked after the system resolver when no
 * --resolvers is given. Never in tests: the lab passes its own. */
static const char *const public_resolvers[][2] = {
	{ "cloudflare.", "1.1.1.1" },
	{ "google.", "8.8.8.8" },
	{ "quad9.", "9.9.9.9" },
	{ "opendns.", "208.67.222.222" },
};

/* The first "nameserver" of /etc/resolv.conf, the system resolver. */
static int system_resolver(struct hints *h)
{
	FILE *f = fopen("/etc/resolv.conf", "r");
	char line[512], addr[64];
	int rc = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " nameserver %63s", addr) == 1) {
			struct eng_request req;
			if (eng_addr_parse(&req, addr, 53) == 0)
				rc = hints_add(h, "system.", addr);
			break;
		}
	fclose(f);
	return rc;
}

int record_resolvers(const struct opts *o, bool defaults, struct hints *h)
{
	if (o->resolvers)
		return load_resolvers(o, h);
	if (!defaults)
		return 0;
	if (system_resolver(h) < 0)
		return die("out of memory"), -1;
	for (size_t i = 0; i < sizeof(public_resolvers) / sizeof(public_resolvers[0]); i++)
		if (hints_add(h, public_resolvers[i][0], public_resolvers[i][1]) < 0)
			return die("out of memory"), -1;
	return 0;
}

int record_args(const struct opts *o, const char *cmd, char *name, size_t len,
		uint16_t *type)
{
	if (o->n_args != 2)
		return die("%s wants NAME TYPE (see dnsdoctor --help)", cmd), -1;
	if (domain_arg(o->args[0], name, len) < 0)
		return -1;
	ldns_rr_type t = ldns_get_rr_type_by_name(o->args[1]);
	if (t == 0 || t == LDNS_RR_TYPE_ANY || t == LDNS_RR_TYPE_AXFR ||
	    t == LDNS_RR_TYPE_IXFR || strlen(o->args[1]) > 16)
		return die("unknown record type '%.16s'", o->args[1]), -1;
	*type = (uint16_t)t;
	if (o->expect && (strlen(o->expect) > 900 || strchr(o->expect, '\n')))
		return die("--expect wants one value of at most 900 bytes"), -1;
	return 0;
}

int record_gather(const struct opts *o, const char *cmd, const struct hints *res,
		  struct evidence **out, uint64_t *queries)
{
	char name[256];
	uint16_t type;
	struct hints hints = { 0 };
	struct engine *eng = NULL;
	struct evidence *ev = NULL, *replay = NULL;
	int ret = -1;

	*out = NULL;
	if (record_args(o, cmd, name, sizeof(name), &type) < 0 ||
	    load_hints(o, &hints) < 0)
		goto out;
	ev = evidence_new(name, (int64_t)time(NULL));
	if (!ev || !(ev->command = strdup(cmd)) || !(ev->record_name = strdup(name)) ||
	    (o->expect && !(ev->record_expect = strdup(o->expect)))) {
		die("out of memory");
		goto out;
	}
	ev->record_type = type;
	if (make_engine(o, &eng, &replay) < 0)
		goto out;
	if (replay)
		ev->started = replay->started;
	struct probe_config cfg = { .roots = &hints, .resolvers = res,
				    .family = o->family };
	int rc = probe_record(eng, &cfg, ev);
	if (probe_failed(rc))
		goto out;
	if (queries)
		*queries = eng->ops->sent(eng->impl);
	if (o->save_evidence && save_evidence(ev, o->save_evidence) < 0)
		goto out;
	*out = ev;
	ev = NULL;
	ret = 0;
out:
	engine_free(eng);
	evidence_free(replay);
	evidence_free(ev);
	hints_deinit(&hints);
	return ret;
}

/* Renders EV as `propagation` does; the exit code. */
static int render_propagation(const struct opts *o, const struct evidence *ev,
			      const char *command)
{
	struct rv_view v;
	struct findings fs;
	int code = EXIT_UNKNOWN;
	time_t now = (time_t)ev->started;

	findings_init(&fs);
	if (rv_build(ev, &v) < 0)
		return die("out of memory");
	bool any_auth = false;
	for (size_t i = 0; i < v.n; i++)
		any_auth |= v.rows[i].kind == RV_AUTH;
	if (!any_auth) {
		die("no authoritative server of the zone holding %s was found", ev->record_name);
		goto out;
	}
	if (propagation_checks_run(&v, now, &fs) < 0) {
		die("out of memory");
		goto out;
	}
	if (o->json) {
		if (report_propagation_json(&v, &fs, command, now, stdout) < 0) {
			die("cannot write the report");
			goto out;
		}
	} else {
		report_propagation_text(&v, &fs, now, o->color, stdout);
	}
	code = report_exit_code(&fs);
out:
	findings_deinit(&fs);
	rv_deinit(&v);
	return code;
}

int report_record_evidence(const struct opts *o, const struct evidence *ev)
{
	return render_propagation(o, ev, ev->command ? ev->command : "propagation");
}

int cmd_propagation(const struct opts *o)
{
	struct hints res = { 0 };
	struct evidence *ev = NULL;
	int code = EXIT_UNKNOWN;

	if (record_resolvers(o, true, &res) < 0 ||
	    record_gather(o, "propagation", &res, &ev, NULL) < 0)
		goto out;
	code = render_propagation(o, ev, "propagation");
out:
	evidence_free(ev);
	hints_deinit(&res);
	return code;
}

/* The TTL `plan` lowers to: short enough that a mistake clears within
 * minutes, long enough not to multiply the queries a zone gets. */
#define PLAN_LOW_TTL 60

int cmd_plan(const struct opts *o)
{
	struct hints res = { 0 };
	struct evidence *ev = NULL;
	struct rv_view v;
	struct rv_plan pl;
	int code = EXIT_UNKNOWN;

	if (record_resolvers(o, true, &res) < 0 ||
	    record_gather(o, "plan", &res, &ev, NULL) < 0)
		goto out;
	if (rv_build(ev, &v) < 0) {
		die("out of memory");
		goto out;
	}
	rv_plan_build(&v, (time_t)ev->started, PLAN_LOW_TTL, &pl);
	if (o->json) {
		if (report_plan_json(&v, &pl, (time_t)ev->started, stdout) == 0)
			code = EXIT_OK;
	} else {
		report_plan_text(&v, &pl, (time_t)ev->started, stdout);
		code = EXIT_OK;
	}
	rv_deinit(&v);
out:
	evidence_free(ev);
	hints_deinit(&res);
	return code;
}
