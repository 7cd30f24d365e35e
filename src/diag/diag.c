/* The diagnosis layer: the table of kinds, the run, the envelope. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/checks.h"
#include "diag/diag.h"
#include "diag/inputs.h"
#include "diag/kinds.h"
#include "diag/progress.h"
#include "diag/psl.h"
#include "engine/anscache.h"
#include "engine/engine.h"
#include "probe/cutcache.h"
#include "report/envelope.h"
#include "report/nagios.h"

/* Answers about the zones above the diagnosed ones kept at once. A run
 * over every TLD asks about 1,500 TLDs' keys at their few servers and
 * their DS at 13 root servers: this keeps the common ones (a DNSKEY answer
 * with its signatures is 1-2 kB: at most ~16 MB) and asks the rest again. */
#define DIAG_SHARED_ANSWERS 8192

/* One query's budget, retries included, where --timeout means more. */
#define DIAG_QUERY_TIMEOUT_S 2.4

static const struct diag_kind *const kinds[] = {
	&diag_kind_check, &diag_kind_trace, &diag_kind_propagation,
	&diag_kind_plan,  &diag_kind_wait,  &diag_kind_cert,
	&diag_kind_logs,
};

const struct diag_kind *diag_kind_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i]->name, name) == 0)
			return kinds[i];
	return NULL;
}

int diag_fail(struct diag *d, const char *fmt, ...)
{
	if (d->exit == 3 && d->error[0])
		return -1; /* the first reason is the one that matters */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->error, sizeof(d->error), fmt, ap);
	va_end(ap);
	/* One clean line, whatever a file name or a server put in it. */
	for (char *p = d->error; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	d->exit = 3;
	return -1;
}

int diag_refusals(struct diag *d)
{
	int n = d->ev ? check_refused(d->ev, &d->fs) : 0;
	return n < 0 ? diag_fail(d, "out of memory") : n;
}

int diag_exit_of(const struct findings *fs)
{
	int worst = findings_worst(fs);
	return worst == SEV_ERROR ? 2 : worst == SEV_WARNING ? 1 : 0;
}

int diag_env_init(struct diag_env *env, const struct diag_request *req,
		  char *err, size_t errlen)
{
	struct diag d = { .exit = 0 };
	memset(env, 0, sizeof(*env));
	/* A server that closes a TLS or HTTP connection mid-exchange must
	 * not end the process with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	if (req->replay) {
		if (!(env->replay = diag_load_evidence(&d, req->replay)))
			goto fail;
		if (engine_replay_new(&env->eng, env->replay) < 0) {
			diag_fail(&d, "out of memory");
			goto fail;
		}
		return 0;
	}
	struct eng_config cfg;
	eng_config_default(&cfg);
	const struct diag_kind *k = diag_kind_find(req->command);
	double per_query = req->server_timeout > 0    ? req->server_timeout
			   : k && k->timeout_is_total ? DIAG_QUERY_TIMEOUT_S
						      : req->timeout;
	uint32_t ms = (uint32_t)(per_query * 1000);
	cfg.attempt_ms = ms / (uint32_t)cfg.udp_attempts;
	if (cfg.attempt_ms < 20)
		cfg.attempt_ms = 20;
	cfg.tcp_ms = ms;
	cfg.family = req->family;
	/* The options were checked: 0, or at least a thousandth. */
	cfg.rate_mqps = req->rate > 0 ? (uint32_t)(req->rate * 1000 + 0.5) : 0;
	cfg.per_server_mqps =
		req->per_server_rate > 0
			? (uint32_t)(req->per_server_rate * 1000 + 0.5)
			: 0;
	int rc = engine_uv_new(&env->eng, &cfg);
	if (rc < 0) {
		diag_fail(&d, "cannot start the query engine: %s",
			  strerror(-rc));
		goto fail;
	}
	if (!(env->cuts = cutcache_new()) ||
	    anscache_attach(env->eng, DIAG_SHARED_ANSWERS) < 0) {
		diag_fail(&d, "out of memory");
		goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "%s", d.error);
	diag_env_deinit(env);
	return -1;
}

void diag_env_forget_files(struct diag_env *env)
{
	free(env->hints_path);
	env->hints_path = NULL;
	hints_deinit(&env->hints);
}

void diag_env_deinit(struct diag_env *env)
{
	psl_free(env->psl);
	cutcache_free(env->cuts);
	engine_free(env->eng);
	evidence_free(env->replay);
	diag_env_forget_files(env);
	memset(env, 0, sizeof(*env));
}

static void diag_init(struct diag *d, const struct diag_request *req,
		      struct diag_env *env)
{
	memset(d, 0, sizeof(*d));
	d->req = req;
	d->env = env;
	d->started = time(NULL);
	findings_init(&d->fs);
}

int diag_run(struct diag *d, const struct diag_request *req,
	     struct diag_env *env)
{
	diag_init(d, req, env);
	d->kind = diag_kind_find(req->command);
	if (d->kind == &diag_kind_plan && diag_plan_ns_wanted(req))
		d->kind = &diag_kind_plan_ns;
	else if (d->kind == &diag_kind_plan && (req->n_ns || req->n_ds)) {
		diag_fail(d, "--ns and --ds plan a delegation change: plan "
			     "DOMAIN NS --ns NAME,...");
		return d->exit;
	}
	if (!d->kind) {
		diag_fail(d, "unknown command '%.40s' (see dnsdoctor --help)",
			  req->command);
		return d->exit;
	}
	if (req->save_evidence && strcmp(req->save_evidence, "-") == 0) {
		d->save = stdout;
	} else if (req->save_evidence &&
		   !(d->save = fopen(req->save_evidence, "w"))) {
		diag_fail(d, "cannot write evidence to %s: %s",
			  req->save_evidence, strerror(errno));
		return d->exit;
	}
	uint64_t t0 = env->eng->ops->now_ms(env->eng->impl);
	uint64_t q0 = env->eng->ops->sent(env->eng->impl);
	/* Not when the evidence goes to stdout: the line could sit on the
	 * same terminal, under it. */
	struct diag_progress *live =
		req->progress > 0 && d->save != stdout
			? diag_progress_start(d, env->eng, req->progress,
					      stderr)
			: NULL;
	int rc = d->kind->gather(d, env);
	diag_progress_stop(live);
	d->duration_ms = env->eng->ops->now_ms(env->eng->impl) - t0;
	d->queries = env->eng->ops->sent(env->eng->impl) - q0;
	/* The root's referrals of this run serve the next ones; their TTLs
	 * count from before the first question, never from later. */
	if (env->cuts && d->ev && cutcache_learn(env->cuts, d->ev, t0) < 0)
		rc = diag_fail(d, "out of memory");
	if (d->ev)
		d->started = (time_t)d->ev->started;
	if (rc == 0 && d->kind->judge(d) == 0 && d->exit < 3)
		findings_sort(&d->fs);
	return d->exit;
}

/* The kind of saved evidence: what it was gathered for. */
static const struct diag_kind *kind_of(const struct evidence *ev)
{
	if (ev->command && diag_kind_find(ev->command) &&
	    strcmp(ev->command, "logs") != 0)
		return diag_kind_find(ev->command);
	/* Evidence from before `command` was written: a record means
	 * propagation, anything else a check. */
	return ev->record_name ? &diag_kind_propagation : &diag_kind_check;
}

int diag_judge_saved(struct diag *d, const struct diag_request *req,
		     struct evidence *ev)
{
	diag_init(d, req, NULL);
	d->ev = ev;
	d->kind = kind_of(ev);
	/* The checks see the time the evidence was gathered, so a saved file
	 * gives the same findings whenever it is analysed. */
	d->started = (time_t)ev->started;
	if (d->kind->judge(d) == 0 && d->exit < 3)
		findings_sort(&d->fs);
	return d->exit;
}

json_t *diag_json(struct diag *d)
{
	const char *name = d->req->command ? d->req->command
			   : d->kind	   ? d->kind->name
					   : "?";
	struct report_envelope e = {
		.command = name,
		.started = d->started,
		.duration_ms = d->duration_ms,
		.exit = d->exit,
		.fs = &d->fs,
		.error = d->exit == 3 ? d->error : NULL,
	};
	json_t *section = d->exit < 3 && d->kind ? d->kind->section(d) : NULL;
	if (d->exit < 3 && d->kind && !section)
		return NULL;
	return report_envelope(&e, section);
}

int diag_render(struct diag *d, enum diag_format fmt, FILE *f)
{
	/* --save-evidence -: the evidence was the output. */
	if (d->save == stdout && f == stdout && d->save_written)
		return 0;
	if (fmt == DIAG_JSON) {
		json_t *o = diag_json(d);
		if (!o)
			return diag_fail(d, "out of memory");
		/* JSON_ENSURE_ASCII: whatever a server sent, the output stays
		 * 7-bit. */
		int rc = json_dumpf(o, f,
				    JSON_INDENT(2) | JSON_ENSURE_ASCII |
					    JSON_PRESERVE_ORDER);
		json_decref(o);
		if (rc < 0 || fputc('\n', f) == EOF)
			return diag_fail(d, "cannot write the report");
	} else if (fmt == DIAG_NAGIOS) {
		/* analyze of evidence whose kind writes none */
		if (d->exit < 3 && !d->kind->nagios)
			diag_fail(d,
				  "--format nagios is for check, cert, "
				  "propagation and wait; this is %s evidence",
				  d->kind->name);
		if (d->exit < 3)
			d->kind->nagios(d, f);
		else
			report_nagios_unknown(d->error, f);
	} else if (fmt == DIAG_HTML || fmt == DIAG_SVG) {
		/* analyze of evidence whose kind draws none */
		if (d->exit < 3 && !d->kind->html)
			return diag_fail(d,
					 "--format %s is for check (and "
					 "analyze "
					 "of its evidence); this is %s "
					 "evidence",
					 fmt == DIAG_HTML ? "html" : "svg",
					 d->kind->name);
		if (d->exit < 3 && d->kind->html(d, fmt, f) < 0)
			return -1;
	} else if (d->exit < 3) {
		d->kind->text(d, f);
	}
	if (fflush(f) != 0 || ferror(f))
		return diag_fail(d, "cannot write the report: %s",
				 strerror(errno));
	return 0;
}

void diag_deinit(struct diag *d)
{
	if (d->save && d->save != stdout) {
		fclose(d->save);
		/* No half-made file where nothing was gathered. */
		if (!d->save_written)
			unlink(d->req->save_evidence);
	}
	d->save = NULL;
	if (d->kind && d->kind->deinit)
		d->kind->deinit(d);
	findings_deinit(&d->fs);
	evidence_free(d->ev);
	d->ev = NULL;
}
