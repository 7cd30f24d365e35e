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
#include "core/evidence.h"
#include "core/wire.h"
#include "engine/engine.h"

#define RP_MAX_PENDING 65536

struct rp_item {
	struct eng_request req;
	char *qname; /* owned copy; req.qname points here */
	eng_cb cb;
	void *arg;
	const struct ev_exchange *ex; /* NULL: no recording, a timeout */
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
 * binary, so "2001:db8::1" and "2001:DB8:0::1" are the same server. */
static bool addr_eq(const struct sockaddr_storage *sa, const char *text)
{
	uint8_t buf[16];

	if (!text)
		return false;
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		return inet_pton(AF_INET, text, buf) == 1 &&
		       memcmp(buf, &s4->sin_addr, 4) == 0;
	}
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		return inet_pton(AF_INET6, text, buf) == 1 &&
		       memcmp(buf, &s6->sin6_addr, 16) == 0;
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

static void rp_deliver(struct replay *r, struct rp_item *it)
{
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
