/* The replay engine: answers queries from recorded evidence, offline and
 * deterministically (Unbound's testbound idea: the real probe code against a
 * fake world). Results are queued by submit and delivered by run_once in
 * submission order. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <stdio.h>
#include <jansson.h>
#include "core/evidence.h"
#include "core/evidence_json.h"
#include "core/validation.h"
#include "core/wire.h"
#include "engine/engine.h"
#include "engine/http.h"
#include "engine/tls.h"

#define RP_MAX_PENDING 65536

enum rp_kind { RP_DNS, RP_HTTP, RP_TLS, RP_TIMER };

struct rp_item {
	int kind; /* enum rp_kind */
	struct eng_request req;
	char *qname; /* owned copy; req.qname points here */
	eng_cb cb;
	void *arg;
	const struct ev_exchange *ex; /* NULL: no recording, a timeout */
	/* RP_HTTP, RP_TLS: the caller's struct and the record for it. */
	void *fetch;
	eng_done_cb done;
	const char *rec; /* NULL: no recording, a timeout */
	uint64_t due_ms; /* RP_TIMER: when it fires on the virtual clock */
};

struct replay {
	struct engine pub;
	const struct evidence *ev;
	struct rp_item *q; /* FIFO: [head, n) still due */
	size_t head, n, cap;
	uint64_t sent;
	uint64_t now_ms; /* virtual: advances by each replayed RTT */
	bool delivering; /* inside run_once: indices must not move */
};

/* Compares the request's address with the recorded numeric text, as
 * binary, so "2001:db8::1" and "2001:DB8:0::1" are the same server; a
 * text with its own port ("127.0.0.1#5353") must match that port too. */
static bool addr_eq(const struct sockaddr_storage *sa, const char *text)
{
	struct eng_request r;

	if (!text || eng_addr_parse(&r, text, 0) < 0 ||
	    r.addr.ss_family != sa->ss_family)
		return false;
	bool own_port = strchr(text, '#') != NULL;
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)sa,
					 *b = (const struct sockaddr_in *)&r
						      .addr;
		return memcmp(&a->sin_addr, &b->sin_addr, 4) == 0 &&
		       (!own_port || a->sin_port == b->sin_port);
	}
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa,
					  *b = (const struct sockaddr_in6 *)&r
						       .addr;
		return memcmp(&a->sin6_addr, &b->sin6_addr, 16) == 0 &&
		       (!own_port || a->sin6_port == b->sin6_port);
	}
	return false;
}

/* Case-insensitive, and "example.com" equals "example.com." */
static bool name_eq(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return false;
	la = strlen(a);
	lb = strlen(b);
	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static const struct ev_exchange *find(const struct evidence *ev,
				      const struct eng_request *req, int tr)
{
	for (size_t i = 0; ev && i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];

		if (x->qtype == req->qtype && x->transport == tr &&
		    x->qflags == (req->flags & EV_QF_MASK) &&
		    name_eq(x->qname, req->qname) &&
		    addr_eq(&req->addr, x->addr))
			return x;
	}
	return NULL;
}

/* A UDP query that the live engine retried over TCP after TC=1 was recorded
 * with transport TCP, so when no UDP exchange exists, a UDP request that may
 * fall back (no ENG_F_NOTCP) takes the TCP one. */
static const struct ev_exchange *lookup(const struct evidence *ev,
					const struct eng_request *req)
{
	const struct ev_exchange *x;

	if (req->flags & ENG_F_TCP)
		return find(ev, req, TR_TCP);
	x = find(ev, req, TR_UDP);
	if (!x && !(req->flags & ENG_F_NOTCP))
		x = find(ev, req, TR_TCP);
	return x;
}

static int rp_grow(struct replay *r)
{
	struct rp_item *q;
	size_t cap;

	/* Reclaim the delivered prefix before growing. */
	if (r->head && !r->delivering) {
		memmove(r->q, r->q + r->head, (r->n - r->head) * sizeof(*r->q));
		r->n -= r->head;
		r->head = 0;
	}
	if (r->n < r->cap)
		return 0;
	if (r->cap >= RP_MAX_PENDING)
		return -ENOSPC;
	cap = r->cap ? r->cap * 2 : 16;
	q = realloc(r->q, cap * sizeof(*q));
	if (!q)
		return -ENOMEM;
	r->q = q;
	r->cap = cap;
	return 0;
}

static int rp_submit(void *impl, const struct eng_request *req, eng_cb cb,
		     void *arg)
{
	struct replay *r = impl;
	uint8_t wire[WIRE_NAME_MAX];
	struct rp_item *it;
	int ret;

	/* The same requests as the live engine are refused. */
	if (!req || !cb || !req->qname ||
	    wire_name_from_text(wire, req->qname) < 0)
		return -EINVAL;
	if (req->addr.ss_family != AF_INET && req->addr.ss_family != AF_INET6)
		return -EINVAL;
	if (r->n == r->cap) {
		ret = rp_grow(r);
		if (ret < 0)
			return ret;
	}
	it = &r->q[r->n];
	memset(it, 0, sizeof(*it));
	it->qname = strdup(req->qname);
	if (!it->qname)
		return -ENOMEM;
	it->req = *req;
	it->req.qname = it->qname;
	it->cb = cb;
	it->arg = arg;
	it->ex = lookup(r->ev, req);
	r->n++;
	r->sent++;
	return 0;
}

/* ---- HTTP and TLS: one recorded JSON object per address ---- */

static bool addr_text_eq(const char *a, const char *b)
{
	struct eng_request ra, rb;
	return a && b && eng_addr_parse(&ra, a, 0) == 0 &&
	       eng_addr_parse(&rb, b, 0) == 0 && addr_eq(&ra.addr, b);
}

/* The recorded text of L whose "addr" is ADDR (and, when PORT is not 0,
 * whose "port" is PORT; when START is not NULL, whose "start" URL is START
 * if it has one), or NULL. */
static const char *find_record(const struct ev_strings *l, const char *addr,
			       uint16_t port, const char *start)
{
	for (size_t i = 0; i < l->n; i++) {
		json_t *j = json_loads(l->v[i], 0, NULL);
		const char *a = json_string_value(json_object_get(j, "addr"));
		const char *st = json_string_value(json_object_get(j, "start"));
		json_t *p = json_object_get(j, "port");
		bool hit = addr_text_eq(addr, a) &&
			   (!port || json_integer_value(p) == port) &&
			   (!start || !st || strcmp(st, start) == 0);
		json_decref(j);
		if (hit)
			return l->v[i];
	}
	return NULL;
}

/* Copies the string at KEY of O into OUT, undoing the \xHH escapes the
 * probe recorded (a NUL comes back as '?', as the live fetch stores it). */
static size_t unescaped(const json_t *o, const char *key, char *out, size_t len)
{
	return json_safe_decode(json_string_value(json_object_get(o, key)), out,
				len);
}

static void http_from_record(struct http_fetch *f, const char *rec)
{
	json_t *o = rec ? json_loads(rec, 0, NULL) : NULL;
	f->location[0] = '\0';
	if (!o) {
		f->status = HS_TIMEOUT;
		snprintf(f->detail, sizeof(f->detail),
			 "no recorded fetch for this address");
		return;
	}
	f->status = http_status_from_name(
		json_string_value(json_object_get(o, "status")));
	f->code = (long)json_integer_value(json_object_get(o, "code"));
	f->body_len = unescaped(o, "body", f->body, sizeof(f->body));
	f->truncated = json_is_true(json_object_get(o, "truncated"));
	f->redirects = (int)json_integer_value(json_object_get(o, "redirects"));
	unescaped(o, "url", f->url, sizeof(f->url));
	unescaped(o, "location", f->location, sizeof(f->location));
	unescaped(o, "detail", f->detail, sizeof(f->detail));
	json_decref(o);
}

static void tls_from_record(struct tls_fetch *f, const char *rec)
{
	json_t *o = rec ? json_loads(rec, 0, NULL) : NULL;
	json_t *chain = json_object_get(o, "chain"), *c;
	size_t i;
	f->n = 0;
	if (!o) {
		f->status = TS_TIMEOUT;
		snprintf(f->detail, sizeof(f->detail),
			 "no recorded handshake for this address");
		return;
	}
	f->status = tls_status_from_name(
		json_string_value(json_object_get(o, "status")));
	unescaped(o, "detail", f->detail, sizeof(f->detail));
	json_array_foreach (chain, i, c) {
		if (f->n == TLS_CHAIN_MAX || !json_is_string(c) ||
		    ev_unhex(json_string_value(c), json_string_length(c),
			     &f->der[f->n], &f->der_len[f->n]) < 0)
			break;
		f->n++;
	}
	json_decref(o);
}

static int rp_ext(struct replay *r, int kind, void *fetch, const char *rec,
		  eng_done_cb cb, void *arg)
{
	int ret;
	if (r->n == r->cap && (ret = rp_grow(r)) < 0)
		return ret;
	r->q[r->n++] = (struct rp_item){
		.kind = kind, .fetch = fetch, .rec = rec, .done = cb, .arg = arg
	};
	r->sent++;
	return 0;
}

static int rp_http(void *impl, struct http_fetch *f, eng_done_cb cb, void *arg)
{
	struct replay *r = impl;
	if (!f || !f->addr || !f->host || !f->start || !cb)
		return -EINVAL;
	return rp_ext(r, RP_HTTP, f,
		      find_record(&r->ev->http01, f->addr, 0, f->start), cb,
		      arg);
}

static int rp_tls(void *impl, struct tls_fetch *f, eng_done_cb cb, void *arg)
{
	struct replay *r = impl;
	if (!f || !f->addr || !f->host || !cb)
		return -EINVAL;
	return rp_ext(r, RP_TLS, f,
		      find_record(&r->ev->tls, f->addr, f->port, NULL), cb,
		      arg);
}

static int rp_timer(void *impl, uint32_t ms, eng_done_cb cb, void *arg)
{
	struct replay *r = impl;
	int ret;
	if (!cb)
		return -EINVAL;
	if (r->n == r->cap && (ret = rp_grow(r)) < 0)
		return ret;
	r->q[r->n++] = (struct rp_item){ .kind = RP_TIMER,
					 .done = cb,
					 .arg = arg,
					 .due_ms = r->now_ms + ms };
	return 0;
}

static void rp_deliver(struct replay *r, struct rp_item *it)
{
	if (it->kind == RP_TIMER) {
		/* Nothing to wait for offline: the clock jumps. */
		if (r->now_ms < it->due_ms)
			r->now_ms = it->due_ms;
		it->done(it->arg);
		return;
	}
	if (it->kind == RP_HTTP) {
		http_from_record(it->fetch, it->rec);
		it->done(it->arg);
		return;
	}
	if (it->kind == RP_TLS) {
		tls_from_record(it->fetch, it->rec);
		it->done(it->arg);
		return;
	}
	struct eng_response resp = {
		.status = QS_TIMEOUT,
		.transport = it->req.flags & ENG_F_TCP ? TR_TCP : TR_UDP,
		.attempts = 1,
	};
	const struct ev_exchange *x = it->ex;

	if (x) {
		resp.status = x->status;
		resp.transport = x->transport;
		resp.rtt_ms = x->rtt_ms;
		resp.wire = x->wire;
		resp.len = x->wire ? x->wire_len : 0;
		r->now_ms += x->rtt_ms;
	}
	it->cb(it->arg, &it->req, &resp);
	free(it->qname);
}

/* Delivers the results due when called; those submitted by the callbacks
 * wait for the next call. */
static size_t rp_run_once(void *impl)
{
	struct replay *r = impl;
	size_t end = r->n;

	r->delivering = true;
	while (r->head < end) {
		/* Copy out: a callback's submit may move the array. */
		struct rp_item it = r->q[r->head++];

		rp_deliver(r, &it);
	}
	r->delivering = false;
	if (r->head == r->n)
		r->head = r->n = 0;
	return r->n - r->head;
}

static size_t rp_pending(const void *impl)
{
	const struct replay *r = impl;

	return r->n - r->head;
}

static uint64_t rp_now_ms(void *impl)
{
	struct replay *r = impl;

	return r->now_ms;
}

static uint64_t rp_sent(const void *impl)
{
	const struct replay *r = impl;

	return r->sent;
}

static void rp_free(void *impl)
{
	struct replay *r = impl;

	if (!r)
		return;
	for (size_t i = r->head; i < r->n; i++)
		free(r->q[i].qname);
	free(r->q);
	free(r);
}

static const struct eng_ops rp_ops = {
	.submit = rp_submit,
	.http = rp_http,
	.tls = rp_tls,
	.timer = rp_timer,
	.run_once = rp_run_once,
	.pending = rp_pending,
	.now_ms = rp_now_ms,
	.sent = rp_sent,
	.free = rp_free,
};

int engine_replay_new(struct engine **out, const struct evidence *ev)
{
	struct replay *r;

	if (!out || !ev)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ev = ev;
	r->pub.ops = &rp_ops;
	r->pub.impl = r;
	*out = &r->pub;
	return 0;
}
