/* The libuv engine: UDP with retries, TCP on truncation or on request.
 *
 * Each network query (one in-flight entry, however many waiters it has) owns
 * a struct uvq with its handles embedded: a timer, and a TCP socket when
 * needed. A uvq is freed only in the close callback of its last handle. Over
 * UDP it joins the socket its server shares with every query in flight to it
 * (udpsock.h): connected to the server, so the kernel drops datagrams from
 * any other address and an ICMP port unreachable comes back as ECONNREFUSED,
 * to every query on the socket. Its datagrams, retries included, go out on
 * that socket, each with an ID no other query there holds.
 *
 * A query's deadline (a UDP attempt, the TCP budget) that passes is acted
 * on after the loop's next poll for I/O, not at once: libuv runs timers
 * before it reads sockets, and a turn that comes late (fleet resumes every
 * diagnosis between two turns; under valgrind that takes seconds) would
 * otherwise time out a query whose answer is already waiting.
 *
 * With pacing (eng_config's rates), every datagram and connection first
 * takes a token of the engine's bucket and one of its server's (pace.h). A
 * uvq that finds none waits, in the order it came, on the engine's wait
 * list; one timer wakes the list when the next token is due. A retry waits
 * like a first send, so a server that does not answer gets at most its
 * rate, however many questions are queued for it. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <uv.h>
#include "core/wire.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/inflight.h"
#include "engine/pace.h"
#include "engine/udpsock.h"
#include "engine/uv_ext.h"

#define UVE_MAX_QUERIES 65536 /* distinct queries accepted at once */
#define QBUF_MAX	512   /* a query is at most 12 + 255 + 4 + 11 */
#define TCP_BUF_MAX	(65535 + 2)
#define ID_POOL		64
/* Draws of a fresh ID for a socket before giving up: a socket holds at
 * most 256 x 16 of the 65,536 IDs, so even then 64 draws all taken has a
 * chance of 2^-256. */
#define ID_DRAWS 64
#define CLASS_IN 1

struct uve;
struct uvq;

/* What a query does once its deadline has passed. */
typedef void (*q_deadline_fn)(struct uvq *q);

/* What a uvq waiting for a token does once it has one. */
enum q_step {
	STEP_UDP, /* join the server's UDP socket, send the first datagram */
	STEP_UDP_RETRY, /* send the next datagram */
	STEP_TCP,	/* connect over TCP */
};

struct uvq {
	struct uve *eng;
	struct ifl_entry *ent;	 /* NULL once the result is delivered */
	struct uvq *prev, *next; /* the engine's list of all uvqs */
	uv_timer_t timer;	 /* attempt, TCP budget, or deferral */
	struct usock_member um;	 /* on the server's UDP socket; its IDs */
	uv_tcp_t tcp;
	uv_connect_t conn;
	uv_write_t wreq;
	int nopen;   /* handles not yet through close_cb */
	bool tcp_on; /* initialised and not closing */
	bool done;
	int transport;
	int attempts;
	bool garbage;	/* the server sent a non-match */
	bool connected; /* the TCP connection was accepted */
	uint64_t t0_ns; /* first send; 0 before it */
	struct sockaddr_storage addr;
	uint16_t tcp_id;
	uint8_t out[2 + QBUF_MAX];
	uint8_t *rbuf; /* TCP answer, lazily; grown to its length */
	size_t rlen, rcap;
	int fail_status, fail_errno; /* for the deferred failure */
	bool waiting;		     /* on the engine's wait list */
	bool urgent;		     /* ENG_F_URGENT: waits at the front */
	enum q_step step;	     /* what to do when a token comes */
	struct uvq *wprev, *wnext;
	q_deadline_fn deadline; /* while the timer runs for a deadline */
	bool expired;		/* on the engine's list of passed ones */
	struct uvq *xprev, *xnext;
};

struct uve {
	struct engine pub;
	uv_loop_t loop;
	struct eng_config cfg;
	struct inflight *ifl;
	struct uvq *all;
	struct uvt *timers; /* the caller's timers not yet fired */
	size_t pending;	    /* submissions not yet answered, HTTP and TLS too */
	struct httpm *http; /* created with the first HTTP fetch */
	struct tlsm *tls;   /* created with the first TLS handshake */
	uint64_t sent;
	uint64_t retried_datagrams, retried_questions;
	/* Pacing: NULL buckets are no limit; paced when either is set. */
	bool paced;
	struct pace global;
	struct pace_table *servers;
	struct uvq *whead, *wtail; /* waiting for a token, oldest first */
	uv_timer_t pace_timer;	   /* initialised only when paced */
	struct usock_pool *udp;	   /* the UDP sockets, one per server */
	/* Passed deadlines, acted on in the check phase, after the poll;
	 * the idle handle, active while there are any, keeps that poll
	 * from blocking. */
	struct uvq *xhead, *xtail;
	uv_idle_t xidle;
	uv_check_t xcheck;
	uv_timer_t serve_timer; /* serve_once's limit on its wait */
	/* The caller's tick (eng_tick): unreferenced, so never what keeps
	 * the loop running. */
	uv_timer_t tick;
	eng_done_cb tick_cb;
	void *tick_arg;
	uint16_t idpool[ID_POOL];
	size_t idleft;
};

struct uvt;
static void q_start(struct uvq *q);
static void q_unwait(struct uvq *q);

/* ---- small helpers ---- */

static int next_id(struct uve *e, uint16_t *id)
{
	*id = 0;
	if (e->idleft == 0) {
		ssize_t n = getrandom(e->idpool, sizeof(e->idpool), 0);

		if (n != (ssize_t)sizeof(e->idpool))
			return n < 0 ? -errno : -EIO;
		e->idleft = ID_POOL;
	}
	*id = e->idpool[--e->idleft];
	return 0;
}

/* A libuv error (a negative errno on Unix) as a query status. */
static int status_for(int uverr)
{
	if (uverr == UV_ECONNREFUSED || uverr == UV_EHOSTUNREACH)
		return QS_UNREACHABLE;
	return QS_NETERR;
}

static const char *q_name(const struct uvq *q)
{
	return q->ent->w[0].qname;
}

static int q_build(struct uvq *q, uint8_t *buf, size_t cap, uint16_t id)
{
	const struct ifl_key *k = &q->ent->key;

	return wire_build_query(buf, cap, id, q_name(q), k->qtype, k->qclass,
				k->flags);
}

static int q_match(const struct uvq *q, const uint8_t *msg, size_t len,
		   uint16_t id)
{
	const struct ifl_key *k = &q->ent->key;

	return wire_match_response(msg, len, id, q_name(q), k->qtype,
				   k->qclass);
}

/* ---- life cycle ---- */

static void q_unlink_free(struct uvq *q)
{
	struct uve *e = q->eng;

	if (q->prev)
		q->prev->next = q->next;
	else
		e->all = q->next;
	if (q->next)
		q->next->prev = q->prev;
	free(q->rbuf);
	free(q);
}

static void on_close(uv_handle_t *h)
{
	struct uvq *q = h->data;

	if (--q->nopen == 0)
		q_unlink_free(q);
}

/* ---- deadlines ---- */

static void q_unexpire(struct uvq *q)
{
	struct uve *e = q->eng;

	if (!q->expired)
		return;
	if (q->xprev)
		q->xprev->xnext = q->xnext;
	else
		e->xhead = q->xnext;
	if (q->xnext)
		q->xnext->xprev = q->xprev;
	else
		e->xtail = q->xprev;
	q->xprev = q->xnext = NULL;
	q->expired = false;
}

/* Stops Q's timer; a deadline passed and not yet acted on is dropped. */
static void q_disarm(struct uvq *q)
{
	uv_timer_stop(&q->timer);
	q->deadline = NULL;
	q_unexpire(q);
}

/* After the poll: the deadlines still passed are acted on. */
static void on_expired(uv_check_t *c)
{
	struct uve *e = c->data;
	struct uvq *q;

	while ((q = e->xhead)) {
		q_deadline_fn fn = q->deadline;

		q_unexpire(q);
		q->deadline = NULL;
		if (fn)
			fn(q);
	}
	uv_idle_stop(&e->xidle);
	uv_check_stop(&e->xcheck);
}

/* The idle handle's work is to be active: the poll does not block. */
static void on_idle(uv_idle_t *h)
{
	(void)h;
}

static void on_deadline(uv_timer_t *t)
{
	struct uvq *q = t->data;
	struct uve *e = q->eng;

	if (q->done || q->expired)
		return;
	q->expired = true;
	q->xnext = NULL;
	q->xprev = e->xtail;
	if (e->xtail)
		e->xtail->xnext = q;
	else
		e->xhead = q;
	e->xtail = q;
	uv_idle_start(&e->xidle, on_idle);
	uv_check_start(&e->xcheck, on_expired);
}

/* Q's deadline: FN runs MS from now, after the poll that follows. */
static void q_arm(struct uvq *q, q_deadline_fn fn, uint64_t ms)
{
	q_disarm(q);
	q->deadline = fn;
	uv_timer_start(&q->timer, on_deadline, ms, 0);
}

/* Closes every handle and leaves the UDP socket; the last close callback
 * frees Q. */
static void q_close(struct uvq *q)
{
	q->done = true;
	q_unexpire(q);
	usock_leave(&q->um);
	if (q->tcp_on) {
		q->tcp_on = false;
		uv_close((uv_handle_t *)&q->tcp, on_close);
	}
	if (!uv_is_closing((uv_handle_t *)&q->timer))
		uv_close((uv_handle_t *)&q->timer, on_close);
}

static struct uvq *q_new(struct uve *e, struct ifl_entry *ent,
			 const struct eng_request *req)
{
	struct uvq *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->eng = e;
	q->ent = ent;
	q->um.owner = q;
	memcpy(&q->addr, &req->addr, sizeof(q->addr));
	uv_timer_init(&e->loop, &q->timer);
	q->timer.data = q;
	q->nopen = 1;
	q->next = e->all;
	if (e->all)
		e->all->prev = q;
	e->all = q;
	return q;
}

/* Delivers the result to every waiter. The entry leaves the table first, so
 * a callback that submits the same query starts a fresh one, and the next
 * queued query for this server starts before the callbacks run (FIFO). */
static void q_finish(struct uvq *q, int status, const uint8_t *wire, size_t len,
		     int sys_errno)
{
	struct uve *e = q->eng;
	struct ifl_entry *ent = q->ent, *next;
	struct eng_response r = {
		.status = status,
		.transport = q->transport,
		.attempts = q->attempts,
		.sys_errno = sys_errno,
	};

	if (q->done || !ent)
		return;
	q_unwait(q);
	if (q->t0_ns)
		r.rtt_ms = clk_ms_u32(
			clk_ns_to_ms(clk_elapsed(q->t0_ns, uv_hrtime())));
	if (status == QS_OK || status == QS_TCP_TRUNCATED) {
		r.wire = wire;
		r.len = len;
	}
	q_close(q);
	q->ent = NULL;
	next = inflight_detach(e->ifl, ent);
	if (next)
		q_start(next->user);
	for (size_t i = 0; i < ent->n_w; i++) {
		struct ifl_waiter *w = &ent->w[i];

		e->pending--;
		w->cb(w->arg, &w->req, &r);
	}
	ifl_entry_free(ent);
}

static void on_deferred(uv_timer_t *t)
{
	struct uvq *q = t->data;

	q_finish(q, q->fail_status, NULL, 0, q->fail_errno);
}

/* Fails Q from the next loop iteration: the caller may be inside submit,
 * where callbacks must not run. */
static void q_fail_later(struct uvq *q, int status, int uverr)
{
	q->fail_status = status;
	q->fail_errno = uverr < 0 ? -uverr : uverr;
	q_disarm(q);
	uv_timer_start(&q->timer, on_deferred, 0, 0);
}

/* ---- UDP ---- */

static void udp_expired(struct uvq *q);
static void q_paced(struct uvq *q, enum q_step step);

/* A random ID no query on Q's socket has used. */
static int udp_new_id(struct uvq *q, uint16_t *id)
{
	int ret = -EADDRINUSE;

	for (int i = 0; i < ID_DRAWS && ret == -EADDRINUSE; i++) {
		ret = next_id(q->eng, id);
		if (ret == 0)
			ret = usock_take_id(&q->um, *id);
		if (ret == -EEXIST)
			ret = -EADDRINUSE;
	}
	return ret;
}

static int udp_send(struct uvq *q)
{
	struct uve *e = q->eng;
	uint16_t id;
	int n, ret;

	ret = udp_new_id(q, &id);
	if (ret < 0)
		return ret;
	n = q_build(q, q->out, QBUF_MAX, id);
	if (n < 0)
		return n;
	if (!q->t0_ns)
		q->t0_ns = uv_hrtime();
	if (q->attempts > 0) {
		e->retried_datagrams++;
		e->retried_questions += q->attempts == 1;
	}
	q->attempts++;
	e->sent++;
	/* A socket error has gone to every query on the socket, Q too
	 * (udp_failed): Q's failure is on its way, no attempt to time. */
	if (usock_send(&q->um, q->out, (size_t)n) < 0)
		return 0;
	q_arm(q, udp_expired, e->cfg.attempt_ms);
	return 0;
}

static void udp_expired(struct uvq *q)
{
	int ret;

	if (q->attempts < q->eng->cfg.udp_attempts) {
		if (q->eng->paced) {
			q_paced(q, STEP_UDP_RETRY);
			return;
		}
		ret = udp_send(q);
		if (ret < 0)
			q_finish(q, status_for(ret), NULL, 0, -ret);
		return;
	}
	q_finish(q, q->garbage ? QS_MALFORMED : QS_TIMEOUT, NULL, 0, 0);
}

/* A datagram with one of Q's IDs: any of them may be answered, since a
 * late answer to an earlier attempt is still the server's answer to our
 * question. One whose question is not Q's, or cut short, was meant for Q
 * and is garbage. */
static void udp_answer(struct usock_member *m, uint16_t id, const uint8_t *msg,
		       size_t len, bool partial)
{
	struct uvq *q = m->owner;

	if (q->done)
		return;
	if (partial || q_match(q, msg, len, id) != WM_MATCH) {
		q->garbage = true;
		return;
	}
	if (wire_tc(msg, len) && !(q->ent->key.flags & ENG_F_NOTCP)) {
		usock_leave(&q->um);
		q_paced(q, STEP_TCP);
		return;
	}
	q_finish(q, QS_OK, msg, len, 0);
}

/* A datagram from Q's server with an ID no query on the socket holds (or
 * none at all): it cannot be told which query it was meant for, so it
 * counts as garbage for each of them, as it would have for the one query
 * on a socket of its own. Q still takes a real answer that comes later. */
static void udp_stray(struct usock_member *m)
{
	struct uvq *q = m->owner;

	q->garbage = true;
}

/* Q's socket failed: a read or a send met ECONNREFUSED (an ICMP port
 * unreachable) or another error, which every query on the socket gets,
 * as each got its own when it had a socket of its own. From the next
 * loop iteration, since a send may come from inside submit. */
static void udp_failed(struct usock_member *m, int uverr)
{
	struct uvq *q = m->owner;

	if (q->done)
		return;
	q_unwait(q);
	q_fail_later(q, status_for(uverr), uverr);
}

static const struct usock_cbs udp_cbs = {
	.answer = udp_answer,
	.stray = udp_stray,
	.failed = udp_failed,
};

static int udp_start(struct uvq *q)
{
	int ret;

	q->transport = TR_UDP;
	ret = usock_join(q->eng->udp, &q->addr, &q->um);
	if (ret < 0)
		return ret;
	return udp_send(q);
}

/* ---- TCP ---- */

/* A server that accepted the connection and then sent nothing, or not the
 * whole answer, stalls; one that never accepted it is not there. */
static void tcp_expired(struct uvq *q)
{
	q_finish(q, q->connected ? QS_TCP_STALLED : QS_TIMEOUT, NULL, 0, 0);
}

/* The buffer starts small and grows to the length the answer's first two
 * octets announce (at most TCP_BUF_MAX): a 64 KB block per TCP question
 * made glibc consolidate its free lists at every free. */
#define TCP_BUF_FIRST 1024

static void tcp_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct uvq *q = h->data;
	size_t want = TCP_BUF_FIRST;

	(void)hint;
	if (q->rlen >= 2)
		want = 2 + ((size_t)q->rbuf[0] << 8 | q->rbuf[1]);
	if (want > q->rcap) {
		uint8_t *b = realloc(q->rbuf, want);
		if (b) {
			q->rbuf = b;
			q->rcap = want;
		}
	}
	/* A zero-length buffer makes libuv report UV_ENOBUFS. */
	buf->base = (char *)(q->rbuf ? q->rbuf + q->rlen : NULL);
	buf->len = q->rbuf ? q->rcap - q->rlen : 0;
}

static void tcp_answer(struct uvq *q, const uint8_t *msg, size_t len)
{
	if (q_match(q, msg, len, q->tcp_id) != WM_MATCH)
		q_finish(q, QS_MALFORMED, NULL, 0, 0);
	else if (wire_tc(msg, len))
		q_finish(q, QS_TCP_TRUNCATED, msg, len, 0);
	else
		q_finish(q, QS_OK, msg, len, 0);
}

static void tcp_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct uvq *q = s->data;
	size_t mlen;

	if (q->done)
		return;
	if (nread == UV_EOF) {
		/* Closed before a whole answer: garbage if anything came. */
		if (q->rlen)
			q_finish(q, QS_MALFORMED, NULL, 0, 0);
		else
			q_finish(q, QS_NETERR, NULL, 0, ECONNRESET);
		return;
	}
	if (nread < 0) {
		q_finish(q, status_for((int)nread), NULL, 0, (int)-nread);
		return;
	}
	q->rlen += (size_t)nread;
	if (q->rlen < 2)
		return;
	mlen = (size_t)q->rbuf[0] << 8 | q->rbuf[1];
	/* The buffer grows to 2 + MLEN (tcp_alloc): the message fits. */
	if (q->rlen >= 2 + mlen)
		tcp_answer(q, q->rbuf + 2, mlen);
}

static void tcp_written(uv_write_t *req, int status)
{
	struct uvq *q = req->data;

	if (q->done || status == UV_ECANCELED)
		return;
	if (status < 0)
		q_finish(q, status_for(status), NULL, 0, -status);
}

static int tcp_send_query(struct uvq *q)
{
	uv_buf_t buf;
	uint16_t id;
	int n, ret;

	ret = next_id(q->eng, &id);
	if (ret < 0)
		return ret;
	n = q_build(q, q->out + 2, QBUF_MAX, id);
	if (n < 0)
		return n;
	q->tcp_id = id;
	q->out[0] = (uint8_t)(n >> 8);
	q->out[1] = (uint8_t)n;
	buf = uv_buf_init((char *)q->out, (unsigned)n + 2);
	q->wreq.data = q;
	ret = uv_write(&q->wreq, (uv_stream_t *)&q->tcp, &buf, 1, tcp_written);
	if (ret < 0)
		return ret;
	return uv_read_start((uv_stream_t *)&q->tcp, tcp_alloc, tcp_read);
}

static void tcp_connected(uv_connect_t *req, int status)
{
	struct uvq *q = req->data;
	int ret;

	if (q->done || status == UV_ECANCELED)
		return;
	if (status < 0) {
		q_finish(q, status_for(status), NULL, 0, -status);
		return;
	}
	q->connected = true;
	ret = tcp_send_query(q);
	if (ret < 0)
		q_finish(q, status_for(ret), NULL, 0, -ret);
}

static int tcp_connect(struct uvq *q)
{
	struct uve *e = q->eng;
	int ret;

	ret = uv_tcp_init_ex(&e->loop, &q->tcp, q->addr.ss_family);
	if (ret < 0)
		return ret;
	q->tcp.data = q;
	q->nopen++;
	q->tcp_on = true;
	q->conn.data = q;
	ret = uv_tcp_connect(&q->conn, &q->tcp,
			     (const struct sockaddr *)&q->addr, tcp_connected);
	if (ret < 0)
		return ret;
	if (!q->t0_ns)
		q->t0_ns = uv_hrtime();
	q->attempts++;
	e->sent++;
	q_arm(q, tcp_expired, e->cfg.tcp_ms);
	return 0;
}

static void tcp_start(struct uvq *q)
{
	int ret;

	q->transport = TR_TCP;
	ret = tcp_connect(q);
	if (ret < 0)
		q_fail_later(q, status_for(ret), ret);
}

/* ---- the engine ---- */

static bool family_allowed(const struct uve *e, int af)
{
	if (e->cfg.family == 4)
		return af == AF_INET;
	if (e->cfg.family == 6)
		return af == AF_INET6;
	return true;
}

static void q_start(struct uvq *q)
{
	q->transport = q->ent->key.flags & ENG_F_TCP ? TR_TCP : TR_UDP;
	if (!family_allowed(q->eng, q->addr.ss_family)) {
		q_fail_later(q, QS_NETERR, EAFNOSUPPORT);
		return;
	}
	q_paced(q, q->transport == TR_TCP ? STEP_TCP : STEP_UDP);
}

/* Q has its tokens: its next send goes out. Failures are deferred, since
 * the caller may be inside submit. */
static void q_step(struct uvq *q)
{
	int ret = 0;

	switch (q->step) {
	case STEP_UDP:
		ret = udp_start(q);
		break;
	case STEP_UDP_RETRY:
		ret = udp_send(q);
		break;
	case STEP_TCP:
		tcp_start(q);
		return;
	}
	if (ret < 0)
		q_fail_later(q, status_for(ret), ret);
}

static void q_unwait(struct uvq *q)
{
	struct uve *e = q->eng;

	if (!q->waiting)
		return;
	if (q->wprev)
		q->wprev->wnext = q->wnext;
	else
		e->whead = q->wnext;
	if (q->wnext)
		q->wnext->wprev = q->wprev;
	else
		e->wtail = q->wprev;
	q->wprev = q->wnext = NULL;
	q->waiting = false;
}

static void on_pace(uv_timer_t *t);

/* Sends what the buckets allow from the wait list, oldest first, and sets
 * the timer for the next token due. A query whose server has no token is
 * passed over, so it holds up no other server; when the engine's bucket is
 * empty nothing more can go. */
static void pace_release(struct uve *e)
{
	uint64_t now = clk_ns_to_ms(uv_hrtime()), soonest = UINT64_MAX;
	struct uvq *q = e->whead, *next;

	for (; q; q = next) {
		const struct ifl_key *k = &q->ent->key;
		struct pace *s = NULL;
		uint64_t wait = pace_wait_ms(&e->global, now);

		next = q->wnext;
		if (wait) {
			soonest = wait < soonest ? wait : soonest;
			break;
		}
		if (e->servers) {
			s = pace_table_get(e->servers, k->addr, k->addr_len,
					   k->port, now);
			/* Out of memory: this one goes unpaced. */
			wait = s ? pace_wait_ms(s, now) : 0;
		}
		if (wait) {
			soonest = wait < soonest ? wait : soonest;
			continue;
		}
		pace_take(&e->global, now);
		if (s)
			pace_take(s, now);
		q_unwait(q);
		q_step(q);
		/* A send that finds its socket failed takes every query on
		 * it off the list (udp_failed), NEXT perhaps among them. */
		if (next && !next->waiting)
			next = e->whead;
	}
	uv_timer_stop(&e->pace_timer);
	if (e->whead)
		uv_timer_start(&e->pace_timer, on_pace,
			       soonest == UINT64_MAX ? 1 : soonest, 0);
}

static void on_pace(uv_timer_t *t)
{
	pace_release(t->data);
}

/* Q's next send, now or when its tokens are there. Unpaced, it is sent at
 * once, as before pacing existed. */
static void q_paced(struct uvq *q, enum q_step step)
{
	struct uve *e = q->eng;

	q->step = step;
	if (!e->paced) {
		q_step(q);
		return;
	}
	/* The attempt timer of a UDP query that turned to TCP must not fire
	 * a retry while it waits. */
	q_disarm(q);
	q->waiting = true;
	/* An urgent one goes after the urgent ones already waiting, ahead
	 * of the rest: the tokens are the same, the order is not. */
	struct uvq *after = q->urgent ? NULL : e->wtail;
	for (struct uvq *w = e->whead; q->urgent && w && w->urgent;
	     w = w->wnext)
		after = w;
	q->wprev = after;
	q->wnext = after ? after->wnext : e->whead;
	if (q->wnext)
		q->wnext->wprev = q;
	else
		e->wtail = q;
	if (after)
		after->wnext = q;
	else
		e->whead = q;
	pace_release(e);
}

/* Undoes a submission whose uvq could not be made. */
static void submit_undo(struct uve *e, struct ifl_entry *ent)
{
	struct ifl_entry *next = inflight_detach(e->ifl, ent);

	ifl_entry_free(ent);
	e->pending--;
	if (next)
		q_start(next->user);
}

static int uve_submit(void *impl, const struct eng_request *req, eng_cb cb,
		      void *arg)
{
	struct uve *e = impl;
	struct ifl_entry *ent;
	struct ifl_key key;
	unsigned flags;
	struct uvq *q;
	int ret;

	if (!req || !cb || !req->qname)
		return -EINVAL;
	/* Callers submit between turns of the loop, after work of their
	 * own (fleet resumes every diagnosis between two turns): the
	 * query's timers must count from now, not from the last turn. */
	uv_update_time(&e->loop);
	flags = req->flags & ~(unsigned)ENG_F_URGENT;
	if (flags & ENG_F_DO)
		flags |= ENG_F_EDNS;
	ret = ifl_key_init(&key, (const struct sockaddr *)&req->addr,
			   req->addrlen, req->qname, req->qtype,
			   req->qclass ? req->qclass : CLASS_IN, flags);
	if (ret < 0)
		return ret;
	ret = inflight_add(e->ifl, &key, req, cb, arg, &ent);
	if (ret < 0)
		return ret;
	e->pending++;
	if (ret == IFL_MERGED)
		return 0;
	q = q_new(e, ent, req);
	if (!q) {
		submit_undo(e, ent);
		return -ENOMEM;
	}
	ent->user = q;
	q->urgent = (req->flags & ENG_F_URGENT) != 0;
	if (ret == IFL_STARTED)
		q_start(q);
	return 0;
}

static int uve_http(void *impl, struct http_fetch *f, eng_done_cb cb, void *arg)
{
	struct uve *e = impl;
	int rc;
	if (!e->http && (rc = httpm_new(&e->loop, &e->pending, &e->http)) < 0)
		return rc;
	if ((rc = httpm_add(e->http, f, cb, arg)) < 0)
		return rc;
	e->pending++;
	e->sent++;
	return 0;
}

static int uve_tls(void *impl, struct tls_fetch *f, eng_done_cb cb, void *arg)
{
	struct uve *e = impl;
	int rc;
	if (!e->tls && (rc = tlsm_new(&e->loop, &e->pending, &e->tls)) < 0)
		return rc;
	if ((rc = tlsm_add(e->tls, f, cb, arg)) < 0)
		return rc;
	e->pending++;
	e->sent++;
	return 0;
}

/* A timer of the caller's: its handle embedded, freed in its close
 * callback. */
struct uvt {
	struct uve *eng;
	struct uvt *prev, *next; /* the engine's timers not yet fired */
	uv_timer_t h;
	eng_done_cb cb;
	void *arg;
};

static void t_closed(uv_handle_t *h)
{
	free(h->data);
}

static void t_unlink(struct uvt *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		t->eng->timers = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->prev = t->next = NULL;
}

static void t_fired(uv_timer_t *h)
{
	struct uvt *t = h->data;
	t_unlink(t);
	t->eng->pending--;
	uv_close((uv_handle_t *)&t->h, t_closed);
	t->cb(t->arg);
}

static int uve_timer(void *impl, uint32_t ms, eng_done_cb cb, void *arg)
{
	struct uve *e = impl;
	struct uvt *t;
	int rc;
	if (!cb)
		return -EINVAL;
	uv_update_time(&e->loop); /* from now, as in uve_submit */
	if (!(t = calloc(1, sizeof(*t))))
		return -ENOMEM;
	*t = (struct uvt){ .eng = e, .cb = cb, .arg = arg };
	if ((rc = uv_timer_init(&e->loop, &t->h)) < 0) {
		free(t);
		return rc;
	}
	t->h.data = t;
	if ((rc = uv_timer_start(&t->h, t_fired, ms, 0)) < 0) {
		uv_close((uv_handle_t *)&t->h, t_closed);
		return rc;
	}
	t->next = e->timers;
	if (e->timers)
		e->timers->prev = t;
	e->timers = t;
	e->pending++;
	return 0;
}

static size_t uve_queries(const void *impl, eng_query_fn fn, void *arg)
{
	const struct uve *e = impl;
	uint64_t now = uv_hrtime();
	size_t n = 0;

	for (const struct uvq *q = e->all; q; q = q->next) {
		if (q->done || !q->ent)
			continue;
		struct eng_query_info i = {
			.addr = &q->addr,
			.qname = q_name(q),
			.qtype = q->ent->key.qtype,
			.sent = q->t0_ns != 0,
		};
		if (q->t0_ns)
			i.age_ms = clk_ms_u32(
				clk_ns_to_ms(clk_elapsed(q->t0_ns, now)));
		n++;
		if (fn)
			fn(arg, &i);
	}
	return n;
}

static void on_tick(uv_timer_t *h)
{
	struct uve *e = h->data;

	if (e->tick_cb)
		e->tick_cb(e->tick_arg);
}

static int uve_tick(void *impl, uint32_t ms, eng_done_cb cb, void *arg)
{
	struct uve *e = impl;

	uv_timer_stop(&e->tick);
	e->tick_cb = NULL;
	e->tick_arg = NULL;
	if (ms == 0)
		return 0;
	if (!cb)
		return -EINVAL;
	e->tick_cb = cb;
	e->tick_arg = arg;
	uv_update_time(&e->loop); /* from now, as in uve_submit */
	return uv_timer_start(&e->tick, on_tick, ms, ms);
}

static size_t uve_run_once(void *impl)
{
	struct uve *e = impl;

	if (e->pending)
		uv_run(&e->loop, UV_RUN_ONCE);
	return e->pending;
}

static size_t uve_pending(const void *impl)
{
	const struct uve *e = impl;

	return e->pending;
}

static uint64_t uve_now_ms(void *impl)
{
	return clk_ns_to_ms(uv_hrtime());
}

static void uve_retries(const void *impl, uint64_t *datagrams,
			uint64_t *questions)
{
	const struct uve *e = impl;
	*datagrams = e->retried_datagrams;
	*questions = e->retried_questions;
}

static uint64_t uve_sent(const void *impl)
{
	const struct uve *e = impl;

	return e->sent;
}

/* Closes every handle, runs the loop until their close callbacks have freed
 * every uvq, then frees the table with any undelivered waiters. */
static void uve_free(void *impl)
{
	struct uve *e = impl;

	if (!e)
		return;
	for (struct uvq *q = e->all; q; q = q->next)
		if (!q->done)
			q_close(q);
	/* Timers not yet fired are dropped without their callbacks. */
	while (e->timers) {
		struct uvt *t = e->timers;
		t_unlink(t);
		uv_close((uv_handle_t *)&t->h, t_closed);
	}
	usock_pool_close(e->udp);
	uv_close((uv_handle_t *)&e->xidle, NULL);
	uv_close((uv_handle_t *)&e->xcheck, NULL);
	uv_close((uv_handle_t *)&e->serve_timer, NULL);
	uv_close((uv_handle_t *)&e->tick, NULL);
	httpm_close(e->http);
	tlsm_close(e->tls);
	e->whead = e->wtail = NULL;
	if (e->paced)
		uv_close((uv_handle_t *)&e->pace_timer, NULL);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	uv_loop_close(&e->loop);
	usock_pool_free(e->udp);
	inflight_free(e->ifl);
	pace_table_free(e->servers);
	free(e);
}

static void *uve_loop(void *impl)
{
	struct uve *e = impl;
	return &e->loop;
}

static void serve_timer_fired(uv_timer_t *t)
{
	(void)t; /* it only ends the wait */
}

static void uve_serve_once(void *impl, uint32_t max_ms)
{
	struct uve *e = impl;
	uv_timer_start(&e->serve_timer, serve_timer_fired, max_ms, 0);
	uv_run(&e->loop, UV_RUN_ONCE);
	uv_timer_stop(&e->serve_timer);
}

static const struct eng_ops uve_ops = {
	.submit = uve_submit,
	.http = uve_http,
	.tls = uve_tls,
	.timer = uve_timer,
	.run_once = uve_run_once,
	.pending = uve_pending,
	.now_ms = uve_now_ms,
	.sent = uve_sent,
	.retries = uve_retries,
	.queries = uve_queries,
	.tick = uve_tick,
	.free = uve_free,
	.loop = uve_loop,
	.serve_once = uve_serve_once,
};

int engine_uv_new(struct engine **out, const struct eng_config *cfg)
{
	struct usock_limits lim;
	struct uve *e;
	int ret;

	/* Each attempt takes an ID a query keeps on its socket. */
	if (!out || !cfg || cfg->udp_attempts < 1 ||
	    cfg->udp_attempts > USOCK_MAX_IDS || cfg->per_server_cap < 0 ||
	    (cfg->family != 0 && cfg->family != 4 && cfg->family != 6))
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->cfg = *cfg;
	ret = inflight_new(&e->ifl, UVE_MAX_QUERIES,
			   (unsigned)cfg->per_server_cap);
	if (ret < 0)
		goto fail_ifl;
	ret = uv_loop_init(&e->loop);
	if (ret < 0)
		goto fail_loop;
	uv_idle_init(&e->loop, &e->xidle);
	uv_check_init(&e->loop, &e->xcheck);
	uv_timer_init(&e->loop, &e->serve_timer);
	e->xcheck.data = e;
	uv_timer_init(&e->loop, &e->tick);
	uv_unref((uv_handle_t *)&e->tick);
	e->tick.data = e;
	usock_limits_default(&lim);
	ret = usock_pool_new(&e->loop, &lim, &udp_cbs, &e->udp);
	if (ret < 0)
		goto fail_pool;
	e->paced = cfg->rate_mqps || cfg->per_server_mqps;
	if (e->paced) {
		uint64_t now = clk_ns_to_ms(uv_hrtime());

		pace_init(&e->global, cfg->rate_mqps, 0, now);
		if (cfg->per_server_mqps &&
		    !(e->servers = pace_table_new(cfg->per_server_mqps))) {
			ret = -ENOMEM;
			goto fail_pace;
		}
		uv_timer_init(&e->loop, &e->pace_timer);
		e->pace_timer.data = e;
	}
	e->pub.ops = &uve_ops;
	e->pub.impl = e;
	*out = &e->pub;
	return 0;

fail_pace:
	usock_pool_close(e->udp);
fail_pool:
	uv_close((uv_handle_t *)&e->xidle, NULL);
	uv_close((uv_handle_t *)&e->xcheck, NULL);
	uv_close((uv_handle_t *)&e->tick, NULL);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	usock_pool_free(e->udp);
	uv_loop_close(&e->loop);
fail_loop:
	inflight_free(e->ifl);
fail_ifl:
	free(e);
	return ret;
}
