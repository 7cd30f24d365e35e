/* `logs FILE... [--run-checks]`: reads ACME client logs, classifies every
 * failure (core/acmelog.h) and points at the diagnoses that confirm its
 * cause; with --run-checks runs them here, in this process, on the same
 * engine and with every option the user gave (--root-hints,
 * --trust-anchor, --resolvers, --timeout, -4/-6 ...). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ctype.h>
#include <jansson.h>
#include "core/acmelog.h"
#include "diag/inputs.h"
#include "diag/kinds.h"
#include "report/logs_report.h"

#define LOG_MAX_BYTES	    (64u << 20) /* per input */
#define COMMANDS_PER_DOMAIN 4
#define DOMAINS_CHECKED	    20 /* per failure group */
#define CHECKS_RUN_MAX	    50 /* diagnoses per invocation */

/* A confirming diagnosis already run, shared by every group naming it. */
struct ran {
	char *command;
	json_t *result; /* its JSON envelope */
	int exit_code;
	char *error;
};

struct logs_state {
	struct acme_log log;
	struct acme_summary sum;
	struct logs_input inputs[sizeof(((struct diag_request *)0)->args) /
				 sizeof(((struct diag_request *)0)->args[0])];
	size_t ninputs;
	struct logs_group_checks *gc; /* one per sum.g */
	struct ran *runs;
	size_t nruns;
};

/* Runs confirmation C for DOMAIN in-process: the user's request with the
 * kind, arguments and validation options of C. */
static void run_confirm(struct diag *d, enum acme_confirm c, const char *domain,
			struct ran *r)
{
	struct diag_request sub = *d->req;
	char name[300];
	struct diag sd;

	sub.n_args = 1;
	sub.args[0] = domain;
	sub.acme = false;
	sub.challenge = sub.txt = sub.token = sub.key_auth = sub.expect = NULL;
	sub.n_acm = 0;
	sub.save_evidence = NULL;
	sub.run_checks = false;
	sub.format = DIAG_JSON;
	/* A public resolver asked for a record that does not exist yet
	 * keeps the denial: only resolvers the user named are asked. */
	sub.no_default_resolvers = true;
	switch (c) {
	case ACK_CHECK:
		sub.command = "check";
		break;
	case ACK_CHECK_DNS01:
	case ACK_CHECK_HTTP01:
		sub.command = "check";
		sub.acme = true;
		sub.challenge = c == ACK_CHECK_DNS01 ? "dns-01" : "http-01";
		break;
	case ACK_PROPAGATION_TXT:
	case ACK_PROPAGATION_A:
		sub.command = "propagation";
		snprintf(name, sizeof(name), "%s%s",
			 c == ACK_PROPAGATION_TXT ? "_acme-challenge." : "",
			 domain);
		sub.args[0] = name;
		sub.args[1] = c == ACK_PROPAGATION_TXT ? "TXT" : "A";
		sub.n_args = 2;
		break;
	default:
		sub.command = "cert";
		break;
	}
	r->exit_code = diag_run(&sd, &sub, d->env);
	if (sd.exit == 3)
		r->error = strdup(sd.error[0] ? sd.error
					      : "the check could not be "
						"carried out");
	else if (!(r->result = diag_json(&sd)))
		r->error = strdup("the check gave no JSON report");
	diag_deinit(&sd);
}

static struct ran *find_or_run(struct diag *d, struct logs_state *s,
			       enum acme_confirm c, const char *command,
			       const char *domain)
{
	for (size_t i = 0; i < s->nruns; i++)
		if (strcmp(s->runs[i].command, command) == 0)
			return &s->runs[i];
	if (s->nruns >= CHECKS_RUN_MAX)
		return NULL;
	struct ran *r = &s->runs[s->nruns];
	memset(r, 0, sizeof(*r));
	if (!(r->command = strdup(command)))
		return NULL;
	s->nruns++;
	if (strncmp(domain, "*.", 2) == 0)
		domain += 2;
	run_confirm(d, c, domain, r);
	return r;
}

/* The confirming diagnoses of group G, for each of its domains. */
static int group_checks(struct diag *d, struct logs_state *s,
			const struct acme_group *g,
			struct logs_group_checks *gc)
{
	enum acme_confirm c[COMMANDS_PER_DOMAIN];
	for (size_t k = 0; k < g->ndomains && k < DOMAINS_CHECKED; k++) {
		const char *dom = g->domains[k];
		int n = dom && *dom ? acmelog_confirms(g->cause, c,
						       COMMANDS_PER_DOMAIN)
				    : 0;
		struct logs_check *nv =
			realloc(gc->c, (gc->n + (size_t)n + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		gc->c = nv;
		for (int i = 0; i < n; i++) {
			struct logs_check *lc = &gc->c[gc->n++];
			memset(lc, 0, sizeof(*lc));
			lc->command = acmelog_confirm_command(c[i], dom);
			lc->domain = strdup(dom);
			if (!lc->command || !lc->domain)
				return -ENOMEM;
			if (!d->req->run_checks)
				continue;
			struct ran *r =
				find_or_run(d, s, c[i], lc->command, dom);
			if (!r) {
				lc->error = strdup("not run: too many checks "
						   "for one report");
				continue;
			}
			lc->ran = r->result != NULL;
			lc->result = r->result;
			lc->exit_code = r->exit_code;
			if (r->error && !(lc->error = strdup(r->error)))
				return -ENOMEM;
		}
	}
	return 0;
}

/* --log-tz: "UTC", "Z", +HH:MM, +HHMM, +HH (east of UTC), or a zone name
 * of the system's time zone database (taken at its offset now: give
 * +HH:MM for logs from the other side of a daylight-saving change). 0, or
 * -1 when it is none of these. */
static int tz_offset(const char *s, int64_t *out)
{
	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 ||
	    strcmp(s, "GMT") == 0) {
		*out = 0;
		return 0;
	}
	if (s[0] == '+' || s[0] == '-') {
		int h, m = 0, n = 0;
		size_t len = strlen(s);
		if ((len == 3 && sscanf(s + 1, "%2d%n", &h, &n) == 1 &&
		     n == 2) ||
		    (len == 5 && sscanf(s + 1, "%2d%2d%n", &h, &m, &n) == 2 &&
		     n == 4) ||
		    (len == 6 && s[3] == ':' &&
		     sscanf(s + 1, "%2d:%2d%n", &h, &m, &n) == 2 && n == 5)) {
			if (h > 14 || m > 59 || !isdigit((unsigned char)s[1]))
				return -1;
			*out = (s[0] == '-' ? -1 : 1) *
			       (int64_t)(h * 3600 + m * 60);
			return 0;
		}
		return -1;
	}
	char path[300];
	if (!*s || strstr(s, "..") || strlen(s) > 200 || s[0] == '/')
		return -1;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", s);
	if (access(path, R_OK) != 0)
		return -1;
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	setenv("TZ", s, 1);
	tzset();
	time_t now = time(NULL);
	struct tm tm;
	int rc = localtime_r(&now, &tm) ? 0 : -1;
	*out = tm.tm_gmtoff;
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
	return rc;
}

static int logs_gather(struct diag *d, struct diag_env *env)
{
	const struct diag_request *o = d->req;
	struct logs_state *s = calloc(1, sizeof(*s));
	if (!(d->state = s))
		return diag_fail(d, "out of memory");
	acmelog_init(&s->log);
	if (o->log_tz) {
		if (tz_offset(o->log_tz, &s->log.tz_offset) < 0)
			return diag_fail(d,
					 "--log-tz wants UTC, +HH:MM or a zone "
					 "name such as Europe/Paris, not "
					 "'%.40s'",
					 o->log_tz);
		s->log.tz_given = true;
	}
	if (o->n_args == 0)
		return diag_fail(d, "logs wants at least one FILE ('-' for "
				    "stdin; see dnsdoctor --help)");
	for (size_t i = 0; i < o->n_args; i++) {
		size_t len = 0, before = s->log.lines;
		char *text = diag_read_file(d, "log", o->args[i], LOG_MAX_BYTES,
					    &len);
		if (!text)
			return -1;
		s->inputs[i].name = o->args[i];
		int rc = acmelog_parse(&s->log, text, len, ACME_FMT_UNKNOWN,
				       &s->inputs[i].format);
		free(text);
		s->inputs[i].lines = s->log.lines - before;
		s->ninputs = i + 1;
		if (rc == -EINVAL) {
			char shown[64];
			snprintf(shown, sizeof(shown), "%.40s", o->args[i]);
			return diag_fail(d,
					 "%s: not a log dnsdoctor reads "
					 "(certbot, lego, acme.sh, "
					 "cert-manager)",
					 shown);
		}
		if (rc < 0)
			return diag_fail(d, "out of memory");
	}
	if (acmelog_summarize(&s->log, &s->sum) < 0 ||
	    !(s->gc = calloc(s->sum.ng + 1, sizeof(*s->gc))) ||
	    (o->run_checks &&
	     !(s->runs = calloc(CHECKS_RUN_MAX, sizeof(*s->runs)))))
		return diag_fail(d, "out of memory");
	for (size_t i = 0; i < s->sum.ng; i++)
		if (group_checks(d, s, &s->sum.g[i], &s->gc[i]) < 0)
			return diag_fail(d, "out of memory");
	return 0;
}

/* A log with failures is an error: something did not validate. */
static int logs_judge(struct diag *d)
{
	const struct logs_state *s = d->state;
	d->exit = s->sum.failures ? 2 : 0;
	return 0;
}

static struct logs_report report_of(const struct diag *d)
{
	const struct logs_state *s = d->state;
	return (struct logs_report){
		.inputs = s->inputs,
		.ninputs = s->ninputs,
		.log = &s->log,
		.sum = &s->sum,
		.checks = s->gc,
		.run_checks = d->req->run_checks,
		.color = d->req->color,
		.width = d->req->width,
		.exit_code = d->exit,
	};
}

static void logs_text(const struct diag *d, FILE *f)
{
	struct logs_report r = report_of(d);
	report_logs_text(&r, f);
}

static json_t *logs_section(const struct diag *d)
{
	struct logs_report r = report_of(d);
	return report_logs_section(&r);
}

static void logs_deinit(struct diag *d)
{
	struct logs_state *s = d->state;
	if (!s)
		return;
	for (size_t i = 0; s->gc && i < s->sum.ng; i++) {
		for (size_t k = 0; k < s->gc[i].n; k++) {
			free(s->gc[i].c[k].domain);
			free(s->gc[i].c[k].command);
			free(s->gc[i].c[k].error);
		}
		free(s->gc[i].c);
	}
	free(s->gc);
	for (size_t i = 0; i < s->nruns; i++) {
		free(s->runs[i].command);
		free(s->runs[i].error);
		json_decref(s->runs[i].result);
	}
	free(s->runs);
	acmelog_summary_deinit(&s->sum);
	acmelog_deinit(&s->log);
	free(s);
	d->state = NULL;
}

const struct diag_kind diag_kind_logs = {
	.name = "logs",
	.gather = logs_gather,
	.judge = logs_judge,
	.text = logs_text,
	.section = logs_section,
	.deinit = logs_deinit,
};
