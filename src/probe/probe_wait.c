/* `wait`: after probe_record found the zone's servers, ask each address
 * directly, again and again, until every one serves the expected value.
 * Each answer is judged the way `propagation` judges it: a one-exchange
 * evidence and its record view.
 *
 * Each address is asked at most once per POLL_MIN_MS times the number of
 * addresses its server has, so no server gets more than 2 queries a
 * second; the interval grows from there to POLL_MAX_MS so that wait still
 * returns within a second of the last server getting the value. Between
 * polls the probe sleeps on an engine timer: the live engine on its loop,
 * the replay engine by moving its own clock, so `wait --replay` ends at
 * once. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/view_record.h"
#include "probe/probe.h"

#define POLL_MIN_MS 500
#define POLL_MAX_MS 900

struct wait_run {
	struct engine *eng;
	const struct evidence *first;
	struct probe_wait *w;
	bool sleeping; /* the engine timer is armed */
};

struct poll_ctx {
	struct wait_run *run;
	struct probe_wait_target *t;
};

static void on_poll(void *arg, const struct eng_request *req,
		    const struct eng_response *resp)
{
	struct poll_ctx *c = arg;
	struct probe_wait_target *t = c->t;
	struct wait_run *run = c->run;
	struct rv_view v;
	free(c);
	t->inflight = false;
	t->polls++;
	struct evidence *ev = evidence_new(t->qname, run->first->started);
	if (!ev)
		return;
	ev->record_name = strdup(t->qname);
	ev->record_type = req->qtype;
	ev->record_expect = strdup(run->first->record_expect);
	for (size_t i = 0; i < run->first->record_expect_more.n; i++)
		ev_strings_add(&ev->record_expect_more,
			       run->first->record_expect_more.v[i]);
	struct ev_exchange x = {
		.role = t->role,
		.transport = resp->transport,
		.status = resp->status == QS_TCP_TRUNCATED ? QS_OK
							   : resp->status,
		.qtype = req->qtype,
		.zone = (char *)t->zone,
		.server = (char *)t->server,
		.addr = (char *)t->addr,
		.qname = (char *)t->qname,
		.wire = (uint8_t *)resp->wire,
		.wire_len = resp->len,
	};
	if (x.status == QS_OK && !x.wire)
		x.status = QS_MALFORMED;
	if (ev->record_name && ev->record_expect && evidence_add(ev, &x) == 0 &&
	    rv_build(ev, &v) == 0) {
		if (v.n == 1) {
			rv_row_describe(&v.rows[0], t->answer,
					sizeof(t->answer));
			if (rv_row_current(&v, &v.rows[0]) && !t->done) {
				t->done = true;
				run->w->n_done++;
				run->w->last_done_ms =
					run->eng->ops->now_ms(run->eng->impl);
			}
		}
		rv_deinit(&v);
	}
	evidence_free(ev);
}

static void on_wake(void *arg)
{
	struct wait_run *run = arg;
	run->sleeping = false;
}

/* Submits the polls that are due; returns how many are in flight. */
static size_t submit_due(struct wait_run *run, uint64_t now)
{
	struct probe_wait *w = run->w;
	size_t inflight = 0;
	for (size_t i = 0; i < w->n; i++) {
		struct probe_wait_target *t = &w->t[i];
		if (!t->done && !t->inflight && now >= t->next_ms) {
			struct eng_request req = {
				.qname = t->qname,
				.qtype = run->first->record_type,
				.flags = ENG_F_EDNS |
					 (t->role == EV_RECORD_RESOLVER
						  ? ENG_F_RD
						  : 0)
			};
			struct poll_ctx *c = malloc(sizeof(*c));
			if (eng_addr_parse(&req, t->addr, 53) < 0) {
				free(c);
				t->done = true; /* cannot be asked: judged at
						   the end */
				continue;
			}
			if (!c)
				continue;
			*c = (struct poll_ctx){ .run = run, .t = t };
			if (eng_submit(run->eng, &req, on_poll, c) < 0) {
				free(c);
				continue;
			}
			t->inflight = true;
			t->next_ms = now + t->interval_ms;
			/* Back off, but never past the ceiling that keeps
			 * the answer within a second of the change. */
			uint64_t grown = t->interval_ms + t->interval_ms / 4;
			uint64_t cap = t->interval_ms > POLL_MAX_MS
					       ? t->interval_ms
					       : POLL_MAX_MS;
			t->interval_ms = grown > cap ? cap : grown;
		}
		inflight += t->inflight;
	}
	return inflight;
}

/* One target per final row of V (an alias row's target zone has its own). */
static int targets_from(struct probe_wait *w, const struct rv_view *v)
{
	w->t = calloc(v->n ? v->n : 1, sizeof(*w->t));
	if (!w->t)
		return -ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		const struct rv_row *r = &v->rows[i];
		if (!rv_row_final(r))
			continue;
		struct probe_wait_target *t = &w->t[w->n++];
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

int probe_wait(struct engine *eng, const struct evidence *ev,
	       const struct rv_view *v, uint64_t limit_ms, struct probe_wait *w)
{
	struct wait_run run = { .eng = eng, .first = ev, .w = w };
	int rc;
	if (!ev->record_expect)
		return -EINVAL;
	if ((rc = targets_from(w, v)) < 0)
		return rc;
	uint64_t q0 = eng->ops->sent(eng->impl);
	w->start_ms = eng->ops->now_ms(eng->impl);
	uint64_t deadline = w->start_ms + limit_ms;
	for (;;) {
		uint64_t now = eng->ops->now_ms(eng->impl);
		if (w->n_done == w->n || now >= deadline)
			break;
		if (!submit_due(&run, now) && !run.sleeping) {
			uint64_t next = deadline;
			for (size_t i = 0; i < w->n; i++)
				if (!w->t[i].done && w->t[i].next_ms < next)
					next = w->t[i].next_ms;
			uint64_t ms = next > now ? next - now : 1;
			if (eng_timer(eng,
				      (uint32_t)(ms > UINT32_MAX ? UINT32_MAX
								 : ms),
				      on_wake, &run) < 0)
				break;
			run.sleeping = true;
		}
		eng_step(eng);
		if (w->progress)
			w->progress(w, w->progress_arg);
	}
	/* Answers still on their way, and the timer, land before RUN goes. */
	eng_drain(eng);
	w->queries = eng->ops->sent(eng->impl) - q0;
	return 0;
}

void probe_wait_deinit(struct probe_wait *w)
{
	free(w->t);
	w->t = NULL;
	w->n = w->n_done = 0;
}
