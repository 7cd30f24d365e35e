/* `exporter` (exporter.h): the scheduler of the configuration's targets,
 * the /probe checks, and the HTTP handlers, on one loop. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "diag/diag.h"
#include "diag/exporter.h"
#include "diag/exporter_config.h"
#include "diag/fiber.h"
#include "diag/inputs.h"
#include "engine/engine.h"
#include "engine/httpd.h"
#include "report/metrics.h"

/* /probe checks at once; more are answered 503 at once, as a scraper
 * would rather retry than queue behind a slow zone. */
#define PROBES_MAX 16
/* Scheduled checks at once: enough to keep a thousand targets a minute
 * flowing, few enough that a burst never floods a server. */
#define SCHEDULED_MAX 32
#if defined(__SANITIZE_ADDRESS__)
#define JOB_STACK (2u << 20)
#else
#define JOB_STACK (512u << 10)
#endif

static volatile sig_atomic_t got_stop, got_reload;

static void on_stop(int sig)
{
	(void)sig;
	got_stop = 1;
}

static void on_reload(int sig)
{
	(void)sig;
	got_reload = 1;
}

/* The latest result of a scheduled target, kept across reloads by its
 * kind and name. */
struct result {
	char *kind, *name;
	struct mset samples;
	uint64_t next_ms; /* engine clock: when it is due again */
	bool running;
	bool keep; /* still in the configuration */
};

struct exporter;

/* One diagnosis on its fiber: a scheduled target or a /probe. */
struct job {
	struct exporter *x;
	struct xcfg *cfg; /* a reference: REQ borrows from it */
	struct diag_request req;
	struct diag d;
	uint64_t asked;
	bool scheduled;		   /* a target's (its result is found by
				    * kind and name when it ends) */
	struct httpd_exchange *hx; /* /probe */
	char domain[300];	   /* /probe: the target, as a name */
	struct job *next;	   /* waiting to start */
};

struct exporter {
	const struct exporter_options *o;
	struct diag_env env;
	struct fiber_sched *sched;
	struct httpd *http;
	struct xcfg *cfg;
	struct result *res; /* one per target of CFG, same order */
	size_t n_res;
	struct job *queue, *queue_tail; /* probes waiting for a fiber */
	unsigned probes, scheduled;	/* running */
	uint64_t checks[4];		/* by exit code */
	bool reload_ok;
	double reload_time;
};

static uint64_t now_ms(struct exporter *x)
{
	return x->env.eng->ops->now_ms(x->env.eng->impl);
}

static void logline(struct exporter *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One line on the log, every byte outside printable ASCII shown as '?':
 * it may carry a file's or a request's text. */
static void logline(struct exporter *x, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	fprintf(x->o->log, "dnsdoctor exporter: %s\n", line);
	fflush(x->o->log);
}

static void results_free(struct result *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].kind);
		free(r[i].name);
		mset_free(&r[i].samples);
	}
	free(r);
}

/* The results of C's targets: an earlier one's kept (and its schedule)
 * when the target is the same; a new target is due within the interval,
 * spread over it so a thousand targets do not start in one burst. */
static int results_for(struct exporter *x, struct xcfg *c)
{
	struct result *r = calloc(c->n_t ? c->n_t : 1, sizeof(*r));
	if (!r)
		return -1;
	uint64_t now = now_ms(x), span = (uint64_t)c->interval_s * 1000;
	for (size_t i = 0; i < c->n_t; i++) {
		const struct xtarget *t = &c->t[i];
		struct result *old = NULL;
		for (size_t j = 0; j < x->n_res && !old; j++)
			if (!x->res[j].keep &&
			    strcmp(x->res[j].kind, t->kind) == 0 &&
			    strcasecmp(x->res[j].name, t->name) == 0)
				old = &x->res[j];
		if (!(r[i].kind = strdup(t->kind)) ||
		    !(r[i].name = strdup(t->name))) {
			results_free(r, i + 1);
			return -1;
		}
		if (old) {
			old->keep = true;
			r[i].samples = old->samples;
			old->samples = (struct mset){ 0 };
			r[i].next_ms = old->next_ms;
			r[i].running = old->running;
		} else {
			r[i].next_ms =
				now + (c->n_t > 1 ? span * i / c->n_t : 0);
		}
	}
	for (size_t j = 0; j < x->n_res; j++)
		x->res[j].keep = false;
	results_free(x->res, x->n_res);
	x->res = r;
	x->n_res = c->n_t;
	return 0;
}

static int load(struct exporter *x)
{
	struct xcfg *c;
	char err[600];
	if (xcfg_load(&c, x->o->config, x->o, err, sizeof(err)) < 0) {
		logline(x, "%s%s", err,
			x->cfg ? "; the configuration in force is kept" : "");
		x->reload_ok = false;
		return -1;
	}
	if (results_for(x, c) < 0) {
		logline(x, "out of memory loading the configuration");
		xcfg_unref(c);
		x->reload_ok = false;
		return -1;
	}
	xcfg_unref(x->cfg);
	x->cfg = c;
	x->reload_ok = true;
	x->reload_time = (double)time(NULL);
	if (x->o->config)
		logline(x, "%zu targets, %zu modules, every %u s from %s",
			c->n_t, c->n_m, c->interval_s, x->o->config);
	return 0;
}

static void job_free(struct job *j)
{
	diag_deinit(&j->d);
	xcfg_unref(j->cfg);
	free(j);
}

static void job_run(void *arg)
{
	struct job *j = arg;
	diag_run(&j->d, &j->req, &j->x->env);
}

/* The samples of J's diagnosis into S. 0 or -ENOMEM. */
static int samples_of(struct job *j, const char *kind, const char *name,
		      struct mset *s)
{
	json_t *env = diag_json(&j->d);
	if (!env)
		return -ENOMEM;
	int rc = metrics_of_result(s, kind, name, env);
	json_decref(env);
	return rc;
}

static char *probe_body(struct job *j, size_t *len)
{
	struct mset s = { 0 };
	const struct mset *sets[] = { &s };
	char *body = NULL;
	FILE *m = open_memstream(&body, len);
	if (!m)
		return NULL;
	if (samples_of(j, "check", j->domain, &s) < 0 ||
	    metrics_write(m, sets, 1) < 0) {
		fclose(m);
		free(body);
		mset_free(&s);
		return NULL;
	}
	mset_free(&s);
	if (fclose(m) != 0) {
		free(body);
		return NULL;
	}
	return body;
}

#define EXPOSITION "text/plain; version=0.0.4; charset=utf-8"

static void reply_text(struct httpd_exchange *hx, unsigned status,
		       const char *text)
{
	char *body = strdup(text);
	httpd_reply(hx, status, "text/plain; charset=utf-8", body,
		    body ? strlen(body) : 0);
}

static struct result *result_find(struct exporter *x, const char *kind,
				  const char *name)
{
	for (size_t i = 0; i < x->n_res; i++)
		if (strcmp(x->res[i].kind, kind) == 0 &&
		    strcasecmp(x->res[i].name, name) == 0)
			return &x->res[i];
	return NULL;
}

static void job_done(void *arg)
{
	struct job *j = arg;
	struct exporter *x = j->x;
	int e = j->d.exit >= 0 && j->d.exit <= 3 ? j->d.exit : 3;
	x->checks[e]++;
	if (j->hx) {
		size_t len = 0;
		char *body = probe_body(j, &len);
		if (body)
			httpd_reply(j->hx, 200, EXPOSITION, body, len);
		else
			reply_text(j->hx, 500, "out of memory\n");
		x->probes--;
	} else {
		x->scheduled--;
		/* The result is the target's if it still is one (a reload
		 * may have dropped it meanwhile). */
		struct result *r =
			result_find(x, j->req.command, j->req.args[0]);
		if (r) {
			struct mset s = { 0 };
			if (samples_of(j, r->kind, r->name, &s) == 0) {
				mset_free(&r->samples);
				r->samples = s;
			} else {
				mset_free(&s);
			}
			r->running = false;
		}
		if (j->d.exit == 3)
			logline(x, "%s %s: %s", j->req.command, j->req.args[0],
				j->d.error);
	}
	job_free(j);
}

static int job_start(struct exporter *x, struct job *j)
{
	j->x = x;
	/* A scraper waits for a probe: its questions go ahead of the
	 * scheduled checks' in the pacing. */
	if (j->hx)
		fiber_next_urgent(x->sched);
	if (fiber_start(x->sched, job_run, job_done, j, &j->asked, JOB_STACK) <
	    0)
		return -1;
	return 0;
}

/* Starts the targets that are due, a few at a time. */
static void schedule(struct exporter *x)
{
	uint64_t now = now_ms(x), span = (uint64_t)x->cfg->interval_s * 1000;
	for (size_t i = 0; i < x->n_res && x->scheduled < SCHEDULED_MAX; i++) {
		struct result *r = &x->res[i];
		if (r->running || r->next_ms > now)
			continue;
		struct job *j = calloc(1, sizeof(*j));
		if (!j)
			return;
		j->cfg = x->cfg;
		x->cfg->refs++;
		j->req = x->cfg->t[i].req;
		j->scheduled = true;
		/* Within a tenth of the interval of its slot: never two of
		 * one target at once, never all at once after a pause. */
		r->next_ms = now + span - span / 20 +
			     (uint64_t)rand() % (span / 10 + 1);
		r->running = true;
		x->scheduled++;
		if (job_start(x, j) < 0) {
			x->scheduled--;
			r->running = false;
			job_free(j);
			return;
		}
	}
}

/* The next due time, to sleep until. */
static uint32_t sleep_ms(struct exporter *x)
{
	uint64_t now = now_ms(x), next = now + 1000;
	for (size_t i = 0; i < x->n_res; i++)
		if (!x->res[i].running && x->res[i].next_ms < next)
			next = x->res[i].next_ms;
	return next > now ? (uint32_t)(next - now) : 0;
}

static void self_samples(struct exporter *x, struct mset *s)
{
	static const char *const names[4] = { "ok", "warning", "error",
					      "unknown" };
	mset_add(s, M_QUERIES_TOTAL,
		 (double)x->env.eng->ops->sent(x->env.eng->impl), NULL);
	for (int i = 0; i < 4; i++)
		mset_add(s, M_CHECKS_TOTAL, (double)x->checks[i], "result",
			 names[i], NULL);
	mset_add(s, M_TARGETS, (double)x->n_res, NULL);
	mset_add(s, M_PROBES_IN_FLIGHT, (double)x->probes, NULL);
	mset_add(s, M_RELOAD_SUCCESS, x->reload_ok ? 1.0 : 0.0, NULL);
	mset_add(s, M_RELOAD_TIME, x->reload_time, NULL);
	mset_add(s, M_BUILD_INFO, 1.0, "version", DD_VERSION, NULL);
}

static void serve_metrics(struct exporter *x, struct httpd_exchange *hx)
{
	struct mset self = { 0 };
	const struct mset **sets = calloc(x->n_res + 1, sizeof(*sets));
	char *body = NULL;
	size_t len = 0;
	FILE *m = sets ? open_memstream(&body, &len) : NULL;
	if (!m) {
		free(sets);
		reply_text(hx, 500, "out of memory\n");
		return;
	}
	self_samples(x, &self);
	for (size_t i = 0; i < x->n_res; i++)
		sets[i] = &x->res[i].samples;
	sets[x->n_res] = &self;
	int rc = metrics_write(m, sets, x->n_res + 1);
	mset_free(&self);
	free(sets);
	if (fclose(m) != 0 || rc < 0) {
		free(body);
		reply_text(hx, 500, "out of memory\n");
		return;
	}
	httpd_reply(hx, 200, EXPOSITION, body, len);
}

static void serve_probe(struct exporter *x, struct httpd_exchange *hx)
{
	const char *target = httpd_arg(hx, "target"),
		   *module = httpd_arg(hx, "module");
	char msg[400];
	if (!target || httpd_arg_count(hx, "target") != 1 ||
	    httpd_arg_count(hx, "module") > 1) {
		reply_text(hx, 400,
			   "/probe wants one target=DOMAIN, and at most one "
			   "module=NAME\n");
		return;
	}
	const struct xmodule *mod = module ? xcfg_module(x->cfg, module) : NULL;
	if (module && !mod) {
		snprintf(msg, sizeof(msg), "unknown module '%.60s'\n", module);
		for (char *p = msg; p[1]; p++)
			if ((unsigned char)*p < 0x20 ||
			    (unsigned char)*p >= 0x7f)
				*p = '?';
		reply_text(hx, 400, msg);
		return;
	}
	struct job *j = calloc(1, sizeof(*j));
	if (!j) {
		reply_text(hx, 500, "out of memory\n");
		return;
	}
	if (diag_domain_arg(&j->d, target, j->domain, sizeof(j->domain)) < 0) {
		snprintf(msg, sizeof(msg), "%.380s\n", j->d.error);
		free(j);
		reply_text(hx, 400, msg);
		return;
	}
	memset(&j->d, 0, sizeof(j->d));
	/* The series' label: the name without its final dot, as a user
	 * writes it. */
	size_t n = strlen(j->domain);
	if (n > 1 && j->domain[n - 1] == '.')
		j->domain[n - 1] = '\0';
	if (x->probes >= PROBES_MAX) {
		free(j);
		reply_text(hx, 503,
			   "too many probes at once; try again shortly\n");
		return;
	}
	j->cfg = x->cfg;
	x->cfg->refs++;
	j->req = mod ? mod->req : *x->o->run;
	j->req.command = "check";
	j->req.format = DIAG_TEXT;
	j->req.color = false;
	j->req.rrsig_expiry = true;
	j->req.args[0] = j->domain;
	j->req.n_args = 1;
	j->hx = hx;
	x->probes++;
	/* Started from the main loop, not from inside this callback. */
	if (x->queue_tail)
		x->queue_tail->next = j;
	else
		x->queue = j;
	x->queue_tail = j;
}

static void on_http(void *arg, struct httpd_exchange *hx)
{
	struct exporter *x = arg;
	const char *path = httpd_path(hx), *method = httpd_method(hx);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		reply_text(hx, 405, "only GET\n");
		return;
	}
	if (strcmp(path, "/metrics") == 0)
		serve_metrics(x, hx);
	else if (strcmp(path, "/probe") == 0)
		serve_probe(x, hx);
	else if (strcmp(path, "/") == 0)
		reply_text(hx, 200,
			   "dnsdoctor exporter: /metrics (the configured "
			   "targets), /probe?target=DOMAIN&module=NAME\n");
	else
		reply_text(hx, 404, "not found: /metrics or /probe\n");
}

static void start_probes(struct exporter *x)
{
	while (x->queue) {
		struct job *j = x->queue;
		x->queue = j->next;
		if (!x->queue)
			x->queue_tail = NULL;
		j->next = NULL;
		if (job_start(x, j) < 0) {
			reply_text(j->hx, 500, "out of memory\n");
			x->probes--;
			job_free(j);
		}
	}
}

static int serve(struct exporter *x)
{
	struct engine *eng = x->env.eng;
	while (!got_stop) {
		if (got_reload) {
			got_reload = 0;
			logline(x, "SIGHUP: reloading %s",
				x->o->config ? x->o->config
					     : "(no configuration)");
			/* The files the configuration names are read
			 * again too, the root hints among them. */
			diag_env_forget_files(&x->env);
			load(x);
		}
		start_probes(x);
		schedule(x);
		if (fiber_count(x->sched))
			fiber_sched_step(x->sched);
		else
			eng->ops->serve_once(eng->impl, sleep_ms(x));
	}
	return 0;
}

int diag_exporter(const struct exporter_options *o)
{
	struct exporter x = { .o = o };
	char err[600];
	int code = 3;
	if (o->run->n_args) {
		fprintf(o->log, "dnsdoctor: exporter takes no arguments: "
				"targets come "
				"from --config FILE or /probe?target=\n");
		return 3;
	}
	if (o->run->replay || o->run->save_evidence) {
		fprintf(o->log, "dnsdoctor: exporter checks the network: no "
				"--replay, no --save-evidence\n");
		return 3;
	}
	if (diag_env_init(&x.env, o->run, err, sizeof(err)) < 0) {
		fprintf(o->log, "dnsdoctor: %s\n", err);
		return 3;
	}
	x.sched = fiber_sched_new(x.env.eng);
	if (!x.sched || load(&x) < 0)
		goto out;
	if (httpd_start(x.env.eng, o->listen, on_http, &x, &x.http, err,
			sizeof(err)) < 0) {
		logline(&x, "%s", err);
		goto out;
	}
	struct sigaction stop = { .sa_handler = on_stop },
			 hup = { .sa_handler = on_reload };
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGHUP, &hup, NULL);
	signal(SIGPIPE, SIG_IGN);
	logline(&x, "listening on %s", o->listen);
	srand((unsigned)time(NULL));
	code = serve(&x);
	logline(&x, "stopping");
	/* The probes waiting are told; the checks in flight end first (a
	 * fiber cannot be dropped half way), bounded by their timeouts. */
	httpd_stop(x.http);
	while (x.queue) {
		struct job *j = x.queue;
		x.queue = j->next;
		httpd_reply(j->hx, 503, NULL, NULL, 0);
		job_free(j);
	}
	while (fiber_count(x.sched))
		fiber_sched_step(x.sched);
out:
	fiber_sched_free(x.sched);
	results_free(x.res, x.n_res);
	xcfg_unref(x.cfg);
	diag_env_deinit(&x.env);
	return code;
}
