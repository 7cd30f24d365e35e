/* `wait NAME TYPE --expect VALUE`: finds the zone's servers once
 * (probe_record), then polls each address directly (probe_wait) until
 * every one serves VALUE. Resolvers are asked only when --resolvers is
 * given: a look-up through a shared resolver before the record exists
 * plants the very negative answer the CA would then get (docs/wait.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/common.h"
#include "cli/record.h"
#include "core/view_record.h"
#include "probe/probe.h"
#include "report/sanitize.h"

#define WAIT_DEFAULT_S 300

/* The live progress display on a terminal: one line per address. */
struct display {
	int lines_drawn;
};

static void draw(const struct probe_wait *w, void *arg)
{
	struct display *d = arg;
	if (d->lines_drawn)
		fprintf(stderr, "\033[%dA", d->lines_drawn);
	for (size_t i = 0; i < w->n; i++) {
		const struct probe_wait_target *t = &w->t[i];
		fprintf(stderr, "\r\033[K%s ", t->done ? "ok     " : "waiting");
		fputs_safe(t->server, stderr);
		fprintf(stderr, " (%s): ", t->addr);
		fputs_safe(t->answer[0] ? t->answer : "...", stderr);
		fprintf(stderr, " [%d queries]\n", t->polls);
	}
	d->lines_drawn = (int)w->n;
}

int cmd_wait(const struct opts *o)
{
	struct hints res = { 0 };
	struct evidence *ev = NULL;
	struct engine *eng = NULL, *replay_eng = NULL;
	struct evidence *replay = NULL;
	struct probe_wait w = { 0 };
	struct display disp = { 0 };
	struct rv_view v = { 0 };
	bool have_view = false;
	int code = EXIT_UNKNOWN;
	uint64_t q0 = 0;

	if (!o->expect)
		return die("wait needs --expect VALUE (see dnsdoctor --help)");
	double limit = o->timeout_given ? o->timeout : WAIT_DEFAULT_S;
	struct opts qo = *o;
	qo.timeout = 2.4; /* per query; --timeout is the whole wait here */
	/* DNSDOCTOR_RESOLVERS is a default for the other commands; wait asks
	 * resolvers only when the command line names them. */
	if ((o->resolvers_given && record_resolvers(o, false, &res) < 0) ||
	    record_gather(&qo, "wait", &res, &ev, &q0) < 0)
		goto out;
	if (rv_build(ev, &v) < 0) {
		die("out of memory");
		goto out;
	}
	have_view = true;
	if (make_engine(&qo, &eng, &replay) < 0)
		goto out;
	bool live = isatty(STDERR_FILENO) && !o->json;
	if (live) {
		w.progress = draw;
		w.progress_arg = &disp;
	}
	if (probe_wait(eng, ev, &v, (uint64_t)(limit * 1000), &w) < 0) {
		die("out of memory");
		goto out;
	}
	if (w.n == 0) {
		die("no authoritative server of the zone holding %s was found", ev->record_name);
		goto out;
	}
	if (live)
		draw(&w, &disp);
	if (w.n_done == w.n) {
		uint64_t ms = w.n_done && w.last_done_ms > w.start_ms ?
			      w.last_done_ms - w.start_ms : 0;
		if (o->json)
			printf("{\"command\":\"wait\",\"ok\":true,\"seconds\":%.3f,\"queries\":%llu,\"servers\":%zu}\n",
			       (double)ms / 1000, (unsigned long long)(q0 + w.queries), w.n);
		else
			printf("served by all %zu addresses after %.1f s (%llu queries)\n", w.n,
			       (double)ms / 1000, (unsigned long long)(q0 + w.queries));
		code = EXIT_OK;
		goto out;
	}
	/* Timed out: say why, with a fresh look at everything. */
	evidence_free(ev);
	ev = NULL;
	rv_deinit(&v);
	have_view = false;
	struct opts fo = qo;
	fo.save_evidence = o->save_evidence;
	if (record_gather(&fo, "wait", &res, &ev, NULL) < 0)
		goto out;
	if (!o->json)
		fprintf(stderr, "dnsdoctor: wait: timed out after %.0f s\n", limit);
	int rc = report_record_evidence(o, ev);
	code = rc == EXIT_UNKNOWN ? rc : EXIT_ERROR;
out:
	engine_free(eng);
	engine_free(replay_eng);
	evidence_free(replay);
	if (have_view)
		rv_deinit(&v);
	probe_wait_deinit(&w);
	evidence_free(ev);
	hints_deinit(&res);
	return code;
}
