/* `wait NAME TYPE --expect VALUE`: finds the zone's servers once
 * (probe_record), then asks each address directly, again and again, until
 * every one serves VALUE. Resolvers are asked only when --resolvers is
 * given: a look-up through a shared resolver before the record exists
 * plants the very negative answer the CA would then get (docs/wait.md).
 *
 * Polling re-submits queries between run_once calls; the engine keeps the
 * sockets. Each address is asked at most once per POLL_MIN_MS times the
 * number of addresses its server has, so no server gets more than 2
 * queries a second; the interval grows from there to POLL_MAX_MS so that
 * wait still returns within a second of the last server getting VALUE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/common.h"
#include "cli/record.h"
#include "core/view_record.h"
#include "report/sanitize.h"

#define POLL_MIN_MS 500
#define POLL_MAX_MS 900
#define WAIT_DEFAULT_S 300

struct waiter;

struct target {
	struct waiter *w;
	int role;
	const char *zone, *server, *addr, *qname; /* borrowed from the evidence */
	uint64_t next_ms, interval_ms;
	bool inflight, done;
	int polls;
	char answer[200];
};

struct waiter {
	struct engine *eng;
	const struct evidence *first; /* name, type, expect */
	struct target *t;
	size_t n, n_done;
	bool live;
	uint64_t start_ms, last_done_ms;
	int lines_drawn;
};

/* Judges one response with the code `propagation` uses: a one-exchange
 * evidence and its record view. */
static void on_poll(void *arg, const struct eng_request *req,
		    const struct eng_response *resp)
{
	struct target *t = arg;
	struct waiter *w = t->w;
	struct rv_view v;
	t->inflight = false;
	t->polls++;
	struct evidence *ev = evidence_new(t->qname, w->first->started);
	if (!ev)
		return;
	ev->record_name = strdup(t->qname);
	ev->record_type = req->qtype;
	ev->record_expect = strdup(w->first->record_expect);
	struct ev_exchange x = {
		.role = t->role, .transport = resp->transport,
		.status = resp->status == QS_TCP_TRUNCATED ? QS_OK : resp->status,
		.qtype = req->qtype, .zone = (char *)t->zone,
		.server = (char *)t->server, .addr = (char *)t->addr,
		.qname = (char *)t->qname, .wire = (uint8_t *)resp->wire,
		.wire_len = resp->len,
	};
	if (x.status == QS_OK && !x.wire)
		x.status = QS_MALFORMED;
	if (ev->record_name && ev->record_expect && evidence_add(ev, &x) == 0 &&
	    rv_build(ev, &v) == 0) {
		if (v.n == 1) {
			rv_row_describe(&v.rows[0], t->answer, sizeof(t->answer));
			if (rv_row_current(&v, &v.rows[0]) && !t->done) {
				t->done = true;
				w->n_done++;
				w->last_done_ms = w->eng->ops->now_ms(w->eng->impl);
			}
		}
		rv_deinit(&v);
	}
	evidence_free(ev);
}

static void draw(struct waiter *w)
{
	if (!w->live)
		return;
	if (w->lines_drawn)
		fprintf(stderr, "\033[%dA", w->lines_drawn);
	for (size_t i = 0; i < w->n; i++) {
		const struct target *t = &w->t[i];
		fprintf(stderr, "\r\033[K%s ", t->done ? "ok     " : "waiting");
		fputs_safe(t->server, stderr);
		fprintf(stderr, " (%s): ", t->addr);
		fputs_safe(t->answer[0] ? t->answer : "...", stderr);
		fprintf(stderr, " [%d queries]\n", t->polls);
	}
	w->lines_drawn = (int)w->n;
}

static void submit_due(struct waiter *w, uint64_t now)
{
	for (size_t i = 0; i < w->n; i++) {
		struct target *t = &w->t[i];
		if (t->done || t->inflight || now < t->next_ms)
			continue;
		struct eng_request req = { .qname = t->qname,
					   .qtype = w->first->record_type,
					   .flags = ENG_F_EDNS |
						    (t->role == EV_RECORD_RESOLVER ? ENG_F_RD : 0) };
		if (eng_addr_parse(&req, t->addr, 53) < 0) {
			t->done = true; /* cannot be asked: judged at the end */
			continue;
		}
		if (eng_submit(w->eng, &req, on_poll, t) < 0)
			continue;
		t->inflight = true;
		t->next_ms = now + t->interval_ms;
		/* Back off, but never past the ceiling that keeps the answer
		 * within a second of the change. */
		uint64_t grown = t->interval_ms + t->interval_ms / 4;
		uint64_t cap = t->interval_ms > POLL_MAX_MS ? t->interval_ms : POLL_MAX_MS;
		t->interval_ms = grown > cap ? cap : grown;
	}
}

static bool any_inflight(const struct waiter *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->t[i].inflight)
			return true;
	return false;
}

/* Polls until every target is done or DEADLINE (engine ms). */
static void poll_loop(struct waiter *w, uint64_t deadline)
{
	for (;;) {
		uint64_t now = w->eng->ops->now_ms(w->eng->impl);
		if (w->n_done == w->n || now >= deadline)
			break;
		submit_due(w, now);
		if (any_inflight(w)) {
			w->eng->ops->run_once(w->eng->impl);
			draw(w);
			continue;
		}
		uint64_t next = deadline;
		for (size_t i = 0; i < w->n; i++)
			if (!w->t[i].done && w->t[i].next_ms < next)
				next = w->t[i].next_ms;
		if (next > now) {
			uint64_t ms = next - now;
			struct timespec ts = { .tv_sec = (time_t)(ms / 1000),
					       .tv_nsec = (long)(ms % 1000) * 1000000 };
			nanosleep(&ts, NULL);
		}
	}
	/* Answers still on their way land in targets that outlive them. */
	eng_drain(w->eng);
}

/* One target per address of the record view's rows. */
static int targets_from(struct waiter *w, const struct rv_view *v)
{
	w->t = calloc(v->n ? v->n : 1, sizeof(*w->t));
	if (!w->t)
		return -ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (!rv_row_final(r))
			continue; /* an alias: its target zone's rows count */
		struct target *t = &w->t[w->n++];
		t->w = w;
		t->role = r->kind == RV_AUTH ? EV_RECORD : EV_RECORD_RESOLVER;
		t->zone = r->zone;
		t->server = r->server;
		t->addr = r->addr;
		t->qname = r->qname;
		rv_row_describe(r, t->answer, sizeof(t->answer));
		t->done = rv_row_current(v, r);
		w->n_done += t->done;
	}
	for (size_t i = 0; i < w->n; i++) {
		size_t same = 0;
		for (size_t j = 0; j < w->n; j++)
			same += strcmp(w->t[i].server, w->t[j].server) == 0;
		w->t[i].interval_ms = POLL_MIN_MS * same;
	}
	return 0;
}

int cmd_wait(const struct opts *o)
{
	struct hints res = { 0 };
	struct evidence *ev = NULL;
	struct engine *eng = NULL, *replay_eng = NULL;
	struct evidence *replay = NULL;
	struct waiter w = { 0 };
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
	w.eng = eng;
	w.first = ev;
	w.live = isatty(STDERR_FILENO) && !o->json;
	if (targets_from(&w, &v) < 0) {
		die("out of memory");
		goto out;
	}
	if (w.n == 0) {
		die("no authoritative server of the zone holding %s was found", ev->record_name);
		goto out;
	}
	w.start_ms = eng->ops->now_ms(eng->impl);
	poll_loop(&w, w.start_ms + (uint64_t)(limit * 1000));
	if (w.live)
		draw(&w);
	if (w.n_done == w.n) {
		uint64_t ms = w.n_done && w.last_done_ms > w.start_ms ?
			      w.last_done_ms - w.start_ms : 0;
		if (o->json)
			printf("{\"command\":\"wait\",\"ok\":true,\"seconds\":%.3f,\"queries\":%llu,\"servers\":%zu}\n",
			       (double)ms / 1000, (unsigned long long)(q0 + eng->ops->sent(eng->impl)), w.n);
		else
			printf("served by all %zu addresses after %.1f s (%llu queries)\n", w.n,
			       (double)ms / 1000, (unsigned long long)(q0 + eng->ops->sent(eng->impl)));
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
	free(w.t);
	evidence_free(ev);
	hints_deinit(&res);
	return code;
}
