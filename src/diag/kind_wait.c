/* `wait NAME TYPE --expect VALUE`: finds the zone's servers once
 * (probe_record), then polls each address directly (probe_wait) until
 * every one serves VALUE. Resolvers are asked only when --resolvers is on
 * the command line: a look-up through a shared resolver before the record
 * exists plants the very negative answer the CA would then get
 * (docs/wait.md). On --timeout, a fresh look at everything says why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ldns/ldns.h>
#include "diag/kinds.h"
#include "diag/record.h"
#include "engine/engine.h"
#include "probe/probe.h"
#include "report/nagios.h"
#include "report/propagation_report.h"
#include "report/sanitize.h"

#define WAIT_DEFAULT_S 300
/* Off a terminal (a CI log, a hook's output), a line this often says who
 * is still waited for; on one, the display is redrawn as answers come. */
#define WAIT_LOG_EVERY_MS 15000
#define WAIT_LOG_NAMES	  5 /* addresses named in one line */

struct wait_state {
	struct rv_view v; /* the last look (after a timeout) */
	bool timed_out;
	/* --no-private refused a server's address: whether it serves the
	 * value cannot be known, so nothing is polled. */
	bool refused;
	double limit_s;
	size_t servers; /* addresses polled */
	double seconds; /* until the last one served the value */
	uint64_t queries;
	int lines_drawn; /* the live display on a terminal */
	struct engine *eng;
	uint64_t next_log_ms; /* engine clock: the next line off a terminal */
};

static void draw(const struct probe_wait *w, void *arg)
{
	struct wait_state *s = arg;
	if (s->lines_drawn)
		fprintf(stderr, "\033[%dA", s->lines_drawn);
	for (size_t i = 0; i < w->n; i++) {
		const struct probe_wait_target *t = &w->t[i];
		fprintf(stderr, "\r\033[K%s ", t->done ? "ok     " : "waiting");
		fputs_safe(t->server, stderr);
		fprintf(stderr, " (%s): ", t->addr);
		fputs_safe(t->answer[0] ? t->answer : "...", stderr);
		fprintf(stderr, " [%d queries]\n", t->polls);
	}
	s->lines_drawn = (int)w->n;
}

static void log_line(const struct probe_wait *w, void *arg)
{
	struct wait_state *s = arg;
	uint64_t now = s->eng->ops->now_ms(s->eng->impl);
	if (!s->next_log_ms)
		s->next_log_ms = w->start_ms + WAIT_LOG_EVERY_MS;
	if (now < s->next_log_ms || w->n_done == w->n)
		return;
	s->next_log_ms = now + WAIT_LOG_EVERY_MS;
	fprintf(stderr,
		"dnsdoctor: wait: after %llu s, %zu of %zu addresses serve "
		"the value; waiting for",
		(unsigned long long)((now - w->start_ms) / 1000), w->n_done,
		w->n);
	size_t named = 0;
	for (size_t i = 0; i < w->n; i++) {
		const struct probe_wait_target *t = &w->t[i];
		if (t->done || named++ == WAIT_LOG_NAMES)
			continue;
		fprintf(stderr, "%s ", named > 1 ? ";" : "");
		fputs_safe(t->server, stderr);
		fprintf(stderr, " (%s): ", t->addr);
		fputs_safe(t->answer[0] ? t->answer : "no answer yet", stderr);
	}
	if (named > WAIT_LOG_NAMES)
		fprintf(stderr, "; and %zu more", named - WAIT_LOG_NAMES);
	fputc('\n', stderr);
	fflush(stderr);
}

static int wait_gather(struct diag *d, struct diag_env *env)
{
	const struct diag_request *o = d->req;
	struct hints res = { 0 };
	struct probe_wait w = { 0 };
	struct rv_view first = { 0 };
	struct wait_state *s = calloc(1, sizeof(*s));
	int ret = -1;

	if (!(d->state = s))
		return diag_fail(d, "out of memory");
	uint64_t q0 = env->eng->ops->sent(env->eng->impl);
	if (!o->expect)
		return diag_fail(d, "wait needs --expect VALUE (see dnsdoctor "
				    "--help)");
	s->limit_s = o->timeout_given ? o->timeout : WAIT_DEFAULT_S;
	/* DNSDOCTOR_RESOLVERS is a default for the other commands; wait asks
	 * resolvers only when the command line names them. */
	bool named = o->resolvers_given ||
		     (env->replay && env->replay->resolvers.n);
	if ((named && record_resolvers(d, false, &res) < 0) ||
	    record_gather(d, env, &res, true) < 0)
		goto out;
	if (d->ev->n_refused) {
		s->refused = true;
		ret = 0;
		goto out;
	}
	if (rv_build(d->ev, &first) < 0) {
		diag_fail(d, "out of memory");
		goto out;
	}
	s->eng = env->eng;
	/* Nagios: nothing on stderr, which Icinga 2 mixes into a plugin's
	 * output. */
	if (o->format != DIAG_NAGIOS)
		w.progress = isatty(STDERR_FILENO) && o->format == DIAG_TEXT
				     ? draw
				     : log_line;
	w.progress_arg = s;
	if (probe_wait(env->eng, d->ev, &first, (uint64_t)(s->limit_s * 1000),
		       &w) < 0) {
		diag_fail(d, "out of memory");
		goto out;
	}
	if (w.n == 0) {
		diag_fail(d,
			  "no authoritative server of the zone holding %s was "
			  "found",
			  d->ev->record_name);
		goto out;
	}
	if (w.progress == draw)
		draw(&w, s);
	s->servers = w.n;
	s->queries = env->eng->ops->sent(env->eng->impl) - q0;
	if (w.n_done == w.n) {
		s->seconds =
			w.last_done_ms > w.start_ms
				? (double)(w.last_done_ms - w.start_ms) / 1000
				: 0;
		ret = 0;
		goto out;
	}
	/* Timed out: say why, with a fresh look at everything. */
	s->timed_out = true;
	ret = record_gather(d, env, &res, true);
out:
	probe_wait_deinit(&w);
	rv_deinit(&first);
	hints_deinit(&res);
	return ret;
}

static int wait_judge(struct diag *d)
{
	struct wait_state *s = d->state;
	if (!s) {
		/* Saved evidence of a wait: the last look, judged as
		 * propagation judges it. */
		if (!(s = d->state = calloc(1, sizeof(*s))))
			return diag_fail(d, "out of memory");
		return record_judge(d, &s->v);
	}
	if (s->refused) {
		if (record_judge(d, &s->v) < 0)
			return -1;
		d->exit = 2; /* the value cannot be seen at every server */
		return 0;
	}
	if (!s->timed_out) {
		d->exit = 0;
		return 0;
	}
	if (record_judge(d, &s->v) < 0)
		return -1;
	d->exit = 2; /* the value did not come in time, whatever else */
	return 0;
}

static void wait_text(const struct diag *d, FILE *f)
{
	const struct wait_state *s = d->state;
	if (s->servers && !s->timed_out) {
		fprintf(f,
			"served by all %zu addresses after %.1f s (%llu "
			"queries)\n",
			s->servers, s->seconds, (unsigned long long)s->queries);
		return;
	}
	if (s->timed_out)
		fprintf(stderr, "dnsdoctor: wait: timed out after %.0f s\n",
			s->limit_s);
	struct layout l;
	layout_init(&l, f, d->req->color, d->req->width);
	report_propagation_text(&s->v, &d->fs, d->started, &l);
}

static json_t *wait_section(const struct diag *d)
{
	const struct wait_state *s = d->state;
	if (s->servers && !s->timed_out)
		return json_pack("{s:b, s:f, s:I, s:I}", "ok", 1, "seconds",
				 s->seconds, "queries", (json_int_t)s->queries,
				 "servers", (json_int_t)s->servers);
	json_t *o = report_propagation_section(&s->v, d->started);
	if (o && s->timed_out)
		json_object_update_new(o, json_pack("{s:b, s:f}", "ok", 0,
						    "timed_out_after_seconds",
						    s->limit_s));
	else if (o && s->refused)
		json_object_set_new(o, "ok", json_false());
	return o;
}

static void wait_nagios(const struct diag *d, FILE *f)
{
	const struct wait_state *s = d->state;
	char name[256], subject[300], verdict[160];
	if (s->timed_out) {
		const struct finding *lead =
			findings_worst(&d->fs) > SEV_INFO ? &d->fs.v[0] : NULL;
		char *why = NULL;
		if (asprintf(&why,
			     "not served by every address within %.0f s%s%s",
			     s->limit_s, lead ? ": " : "",
			     lead ? lead->summary : "") < 0)
			why = NULL;
		record_nagios(d, &s->v, why ? why : "timed out", f);
		free(why);
		return;
	}
	if (!s->servers) { /* saved evidence: the last look, as propagation */
		record_nagios(d, &s->v, NULL, f);
		return;
	}
	char *type = ldns_rr_type2str((ldns_rr_type)d->ev->record_type);
	snprintf(subject, sizeof(subject), "%s %s",
		 nagios_name(d->ev->record_name, name, sizeof(name)),
		 type ? type : "?");
	free(type);
	snprintf(verdict, sizeof(verdict),
		 "served by all %zu addresses after %.1f s", s->servers,
		 s->seconds);
	const struct nagios_report r = {
		.subject = subject,
		.exit = d->exit,
		.fs = &d->fs,
		.verdict = verdict,
		.queries = d->queries,
		.duration_ms = d->duration_ms,
	};
	report_nagios(&r, f);
}

static void wait_deinit(struct diag *d)
{
	struct wait_state *s = d->state;
	if (!s)
		return;
	rv_deinit(&s->v);
	free(s);
	d->state = NULL;
}

const struct diag_kind diag_kind_wait = {
	.name = "wait",
	.timeout_is_total = true,
	.gather = wait_gather,
	.judge = wait_judge,
	.text = wait_text,
	.section = wait_section,
	.nagios = wait_nagios,
	.deinit = wait_deinit,
};
