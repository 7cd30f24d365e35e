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
#include "core/evidence.h"
#include "core/wire.h"
#include "engine/engine.h"
#include "engine/http.h"
#include "engine/tls.h"

#define RP_MAX_PENDING 65536

enum rp_kind { RP_DNS, RP_HTTP, RP_TLS, RP_TIMER, RP_RDAP };

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
	const void *rec; /* the ev_http01 or ev_tls; NULL: none, a timeout */
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

/* The recorded fetch from ADDR whose first URL is START (when recorded),
 * or NULL. */
static const struct ev_http01 *find_http01(const struct evidence *ev,
					   const char *addr, const char *start)
{
	for (size_t i = 0; i < ev->n_http01; i++) {
		const struct ev_http01 *h = &ev->http01[i];
		if (addr_text_eq(addr, h->addr) &&
		    (!h->start || !h->start[0] || strcmp(h->start, start) == 0))
			return h;
	}
	return NULL;
}

/* The recorded handshake with ADDR on PORT, or NULL. */
static const struct ev_tls *find_tls(const struct evidence *ev,
				     const char *addr, uint16_t port)
{
	for (size_t i = 0; i < ev->n_tls; i++)
		if (addr_text_eq(addr, ev->tls[i].addr) &&
		    ev->tls[i].port == port)
			return &ev->tls[i];
	return NULL;
}

/* Copies S (NULL as "") into OUT of LEN bytes. */
static void copy_text(char *out, size_t len, const char *s)
{
	snprintf(out, len, "%s", s ? s : "");
}

static void http_from_record(struct http_fetch *f, const struct ev_http01 *h)
{
	f->location[0] = '\0';
	if (!h) {
		f->status = HS_TIMEOUT;
		snprintf(f->detail, sizeof(f->detail),
			 "no recorded fetch for this address");
		return;
	}
	f->status = h->status;
	f->code = h->code;
	f->body_len = h->body_len < HTTP_BODY_MAX ? h->body_len : HTTP_BODY_MAX;
	memcpy(f->body, h->body, f->body_len);
	f->body[f->body_len] = '\0';
	f->truncated = h->truncated;
	f->redirects = h->redirects;
	copy_text(f->url, sizeof(f->url), h->url);
	copy_text(f->location, sizeof(f->location), h->location);
	copy_text(f->detail, sizeof(f->detail), h->detail);
}

static void tls_from_record(struct tls_fetch *f, const struct ev_tls *t)
{
	f->n = 0;
	if (!t) {
		f->status = TS_TIMEOUT;
		snprintf(f->detail, sizeof(f->detail),
			 "no recorded handshake for this address");
		return;
	}
	f->status = t->status;
	copy_text(f->detail, sizeof(f->detail), t->detail);
	for (size_t i = 0; i < t->n && f->n < TLS_CHAIN_MAX; i++) {
		if (!(f->der[f->n] = malloc(t->der_len[i] ? t->der_len[i] : 1)))
			break;
		if (t->der_len[i])
			memcpy(f->der[f->n], t->der[i], t->der_len[i]);
		f->der_len[f->n++] = t->der_len[i];
	}
}

static int rp_ext(struct replay *r, int kind, void *fetch, const void *rec,
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

/* The recorded RDAP exchange that started at START, or NULL. */
static const struct ev_rdap *find_rdap(const struct evidence *ev,
				       const char *start)
{
	const struct ev_rdap *r = ev->rdap;
	return r && r->url && strcmp(r->url, start) == 0 ? r : NULL;
}

static void rdap_from_record(struct http_fetch *f, const struct ev_rdap *h)
{
	f->location[0] = '\0';
	f->big_len = 0;
	f->big[0] = '\0';
	if (!h) {
		f->status = HS_TIMEOUT;
		snprintf(f->detail, sizeof(f->detail),
			 "no recorded RDAP exchange for this URL");
		return;
	}
	f->status = h->status;
	f->code = h->code;
	f->big_len = h->body_len < f->big_max ? h->body_len : f->big_max;
	if (f->big_len)
		memcpy(f->big, h->body, f->big_len);
	f->big[f->big_len] = '\0';
	f->truncated = h->truncated;
	f->redirects = h->redirects;
	f->retry_after = h->retry_after;
	copy_text(f->url, sizeof(f->url), h->final_url);
	copy_text(f->ctype, sizeof(f->ctype), h->content_type);
	copy_text(f->detail, sizeof(f->detail), h->detail);
}

static int rp_http(void *impl, struct http_fetch *f, eng_done_cb cb, void *arg)
{
	struct replay *r = impl;
	if (f && f->rdap && f->start && f->big && cb)
		return rp_ext(r, RP_RDAP, f, find_rdap(r->ev, f->start), cb,
			      arg);
	if (!f || !f->addr || !f->host || !f->start || !cb)
		return -EINVAL;
	return rp_ext(r, RP_HTTP, f, find_http01(r->ev, f->addr, f->start), cb,
		      arg);
}

static int rp_tls(void *impl, struct tls_fetch *f, eng_done_cb cb, void *arg)
{
	struct replay *r = impl;
	if (!f || !f->addr || !f->host || !cb)
		return -EINVAL;
	return rp_ext(r, RP_TLS, f, find_tls(r->ev, f->addr, f->port), cb, arg);
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
	if (it->kind == RP_RDAP) {
		rdap_from_record(it->fetch, it->rec);
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
/* Delivers the answer or fetch queued that the live run got first; when
 * only timers are left, the one due first (the clock jumps to it). Timers then
 * fire in the order of their deadlines, as they would live, whoever set
 * them (several diagnoses share an engine under fleet). */
static size_t rp_run_once(void *impl)
{
	struct replay *r = impl;
	size_t end = r->n;
	bool answers = false;

	for (size_t i = r->head; i < end && !answers; i++)
		answers = r->q[i].kind != RP_TIMER;
	r->delivering = true;
	if (!answers && r->head < end) {
		size_t first = r->head;
		for (size_t i = r->head + 1; i < end; i++)
			if (r->q[i].due_ms < r->q[first].due_ms)
				first = i;
		struct rp_item it = r->q[first];
		memmove(&r->q[first], &r->q[first + 1],
			(r->n - first - 1) * sizeof(*r->q));
		r->n--;
		rp_deliver(r, &it);
	} else {
		/* One answer per call: the one the live run got first (its
		 * exchange's place in the evidence, where answers were
		 * appended as they came; unrecorded ones, which timed out,
		 * and fetches after). The probe then moves on after each
		 * answer as it did live: a root server that answered late
		 * live is not picked first offline. */
		size_t first = end, key = SIZE_MAX;
		for (size_t i = r->head; i < end; i++) {
			const struct rp_item *q = &r->q[i];
			size_t k = q->kind == RP_DNS && q->ex
					   ? (size_t)(q->ex - r->ev->ex)
					   : SIZE_MAX - 1;
			if (q->kind != RP_TIMER && (first == end || k < key)) {
				first = i;
				key = k;
			}
		}
		/* Copy out: a callback's submit may move the array. */
		struct rp_item it = r->q[first];
		memmove(&r->q[first], &r->q[first + 1],
			(r->n - first - 1) * sizeof(*r->q));
		r->n--;
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
