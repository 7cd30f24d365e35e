/* The libuv engine against a scripted responder on 127.0.0.1.
 *
 * The responder runs in a thread with plain blocking sockets, on a random
 * port (UDP and TCP share the number). Tests assert outcomes and counts,
 * never durations; the paced ones bound their counts by the bucket over
 * the time the run itself measured. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "core/wire.h"
#include "engine/engine.h"

enum mode {
	M_ANSWER,	  /* a correct answer */
	M_WRONG_ID_FIRST, /* a wrong-ID answer, then the right one */
	M_OTHER_SOURCE,	  /* REFUSED from other sockets, then NOERROR */
	M_OTHER_ONLY,	  /* answers only from another socket */
	M_SILENT,	  /* never answers */
	M_GARBAGE,	  /* only wrong-ID answers */
	M_TC,		  /* TC=1 over UDP, a full answer over TCP */
	M_TCP_BAD_ID,	  /* TC=1 over UDP, a wrong-ID answer over TCP */
	M_TCP_TC,	  /* TC=1 over UDP and over TCP */
	/* By the query's first label: "bad" a wrong-ID answer, "wq" one
	 * with another type in the question, "quiet" none; any other the
	 * answer, then REFUSED with the same ID (a second reply). */
	M_MIXED,
};

#define MAX_NAMES 16
#define MAX_SEEN  1024

struct responder {
	int udp, tcp, other, other2, stop[2];
	uint16_t port;
	enum mode mode;
	pthread_t th;
	/* Written by the thread, read after the join. */
	int udp_queries, tcp_queries;
	char names[MAX_NAMES][32];
	int n_names;
	/* Each UDP query's source port and ID. */
	uint16_t src_port[MAX_SEEN], qid[MAX_SEEN];
	int n_seen;
};

/* ---- the responder ---- */

static size_t question_end(const uint8_t *q, size_t len)
{
	size_t p = 12;

	while (p < len && q[p])
		p += (size_t)q[p] + 1;
	return p + 5 <= len ? p + 5 : 0;
}

static void record_name(struct responder *r, const uint8_t *q, size_t len)
{
	size_t p = 12, o = 0;
	char *out;

	if (r->n_names >= MAX_NAMES)
		return;
	out = r->names[r->n_names++];
	while (p < len && q[p] && o + q[p] + 2 < sizeof(r->names[0])) {
		memcpy(out + o, q + p + 1, q[p]);
		o += q[p];
		out[o++] = '.';
		p += (size_t)q[p] + 1;
	}
	out[o] = '\0';
}

/* Turns query Q into an answer in place: header + question only. */
static size_t make_answer(uint8_t *q, size_t len, bool tc, int rcode,
			  bool bad_id)
{
	size_t end = question_end(q, len);

	if (!end)
		return 0;
	q[2] = (uint8_t)(0x84 | (q[2] & 0x01) | (tc ? 0x02 : 0)); /* QR AA */
	q[3] = (uint8_t)rcode;
	memset(q + 6, 0, 6);
	if (bad_id)
		q[1] ^= 0x5a;
	return end;
}

static bool label_is(const uint8_t *q, size_t len, const char *label)
{
	size_t n = strlen(label);

	return len > 13 + n && q[12] == n && memcmp(q + 13, label, n) == 0;
}

/* The answer to Q (length LEN) in M_MIXED into B; its length, or 0. */
static size_t mixed_answer(uint8_t *b, const uint8_t *q, size_t len, int rcode)
{
	size_t a;

	if (label_is(q, len, "quiet"))
		return 0;
	memcpy(b, q, len);
	a = make_answer(b, len, false, rcode, label_is(q, len, "bad"));
	if (a && label_is(q, len, "wq"))
		b[a - 3] ^= 0x40; /* the question's type */
	return a;
}

static void record_seen(struct responder *r, const uint8_t *q, size_t len,
			const struct sockaddr_in *from)
{
	if (r->n_seen >= MAX_SEEN || len < 2)
		return;
	r->src_port[r->n_seen] = ntohs(from->sin_port);
	r->qid[r->n_seen++] = (uint16_t)(q[0] << 8 | q[1]);
}

static void send_from(int fd, const uint8_t *b, size_t n,
		      const struct sockaddr_in *to)
{
	(void)!sendto(fd, b, n, 0, (const struct sockaddr *)to, sizeof(*to));
}

static void on_udp(struct responder *r)
{
	uint8_t b[1500], c[1500];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(r->udp, b, sizeof(b), 0, (struct sockaddr *)&from,
			     &fl);
	size_t a;

	if (n <= 0)
		return;
	r->udp_queries++;
	record_name(r, b, (size_t)n);
	record_seen(r, b, (size_t)n, &from);
	memcpy(c, b, (size_t)n);
	switch (r->mode) {
	case M_MIXED:
		a = mixed_answer(c, b, (size_t)n, 0);
		if (a)
			send_from(r->udp, c, a, &from);
		if (a && !label_is(b, (size_t)n, "bad") &&
		    !label_is(b, (size_t)n, "wq")) {
			a = mixed_answer(c, b, (size_t)n, 5);
			send_from(r->udp, c, a, &from);
		}
		break;
	case M_ANSWER:
		a = make_answer(b, (size_t)n, false, 0, false);
		send_from(r->udp, b, a, &from);
		break;
	case M_WRONG_ID_FIRST:
		a = make_answer(c, (size_t)n, false, 0, true);
		send_from(r->udp, c, a, &from);
		a = make_answer(b, (size_t)n, false, 0, false);
		send_from(r->udp, b, a, &from);
		break;
	case M_OTHER_SOURCE:
	case M_OTHER_ONLY:
		a = make_answer(c, (size_t)n, false, 5, false);
		send_from(r->other, c, a, &from);
		if (r->other2 >= 0)
			send_from(r->other2, c, a, &from);
		if (r->mode == M_OTHER_SOURCE) {
			a = make_answer(b, (size_t)n, false, 0, false);
			send_from(r->udp, b, a, &from);
		}
		break;
	case M_GARBAGE:
		a = make_answer(b, (size_t)n, false, 0, true);
		send_from(r->udp, b, a, &from);
		break;
	case M_TC:
	case M_TCP_BAD_ID:
	case M_TCP_TC:
		a = make_answer(b, (size_t)n, true, 0, false);
		send_from(r->udp, b, a, &from);
		break;
	case M_SILENT:
		break;
	}
}

static bool read_all(int fd, uint8_t *b, size_t n)
{
	return recv(fd, b, n, MSG_WAITALL) == (ssize_t)n;
}

static void on_tcp(struct responder *r)
{
	uint8_t b[2 + 1500];
	size_t len, a;
	int fd = accept(r->tcp, NULL, NULL);

	if (fd < 0)
		return;
	r->tcp_queries++;
	if (!read_all(fd, b, 2))
		goto out;
	len = (size_t)b[0] << 8 | b[1];
	if (len > sizeof(b) - 2 || !read_all(fd, b + 2, len))
		goto out;
	a = make_answer(b + 2, len, r->mode == M_TCP_TC, 0,
			r->mode == M_TCP_BAD_ID);
	b[0] = (uint8_t)(a >> 8);
	b[1] = (uint8_t)a;
	(void)!send(fd, b, a + 2, MSG_NOSIGNAL);
out:
	close(fd);
}

/* Counts the datagrams still queued when the test ends. */
static void drain_udp(struct responder *r)
{
	uint8_t b[1500];

	while (recv(r->udp, b, sizeof(b), MSG_DONTWAIT) > 0)
		r->udp_queries++;
}

static void *responder_main(void *arg)
{
	struct responder *r = arg;
	struct pollfd p[3] = {
		{ .fd = r->udp, .events = POLLIN },
		{ .fd = r->tcp, .events = POLLIN },
		{ .fd = r->stop[0], .events = POLLIN },
	};

	for (;;) {
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if (p[2].revents)
			break;
		if (p[0].revents & POLLIN)
			on_udp(r);
		if (p[1].revents & POLLIN)
			on_tcp(r);
	}
	drain_udp(r);
	return NULL;
}

static int bound_socket(int type, const char *ip, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	int fd = socket(AF_INET, type, 0), one = 1;

	inet_pton(AF_INET, ip, &a.sin_addr);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint16_t port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	getsockname(fd, (struct sockaddr *)&a, &l);
	return ntohs(a.sin_port);
}

static void resp_start(struct responder *r, enum mode mode)
{
	memset(r, 0, sizeof(*r));
	r->mode = mode;
	r->udp = -1;
	/* A random TCP port, then UDP on the same number. */
	for (int i = 0; i < 20 && r->udp < 0; i++) {
		r->tcp = bound_socket(SOCK_STREAM, "127.0.0.1", 0);
		assert_true(r->tcp >= 0);
		r->port = port_of(r->tcp);
		r->udp = bound_socket(SOCK_DGRAM, "127.0.0.1", r->port);
		if (r->udp < 0)
			close(r->tcp);
	}
	assert_true(r->udp >= 0);
	assert_int_equal(listen(r->tcp, 16), 0);
	r->other = bound_socket(SOCK_DGRAM, "127.0.0.1", 0);
	assert_true(r->other >= 0);
	/* Same port, another loopback address (Linux routes all 127/8). */
	r->other2 = bound_socket(SOCK_DGRAM, "127.0.0.2", r->port);
	assert_int_equal(pipe(r->stop), 0);
	assert_int_equal(pthread_create(&r->th, NULL, responder_main, r), 0);
}

static void resp_stop(struct responder *r)
{
	(void)!write(r->stop[1], "x", 1);
	pthread_join(r->th, NULL);
	close(r->udp);
	close(r->tcp);
	close(r->other);
	if (r->other2 >= 0)
		close(r->other2);
	close(r->stop[0]);
	close(r->stop[1]);
}

/* ---- the tests ---- */

struct result {
	int called, status, transport, attempts, rcode;
	bool tc;
	uint16_t id;
	char qname[64];
};

static void on_result(void *arg, const struct eng_request *req,
		      const struct eng_response *resp)
{
	struct result *r = arg;

	r->called++;
	r->status = resp->status;
	r->transport = resp->transport;
	r->attempts = resp->attempts;
	r->rcode = resp->wire ? wire_rcode(resp->wire, resp->len) : -1;
	r->tc = resp->wire && wire_tc(resp->wire, resp->len);
	r->id = wire_id(resp->wire, resp->len);
	snprintf(r->qname, sizeof(r->qname), "%s", req->qname);
}

/* An engine paced at RATE queries a second in all and PER_SERVER for each
 * server (0: no limit). */
static struct engine *new_paced(int cap, int attempts, int family,
				uint32_t rate, uint32_t per_server)
{
	struct eng_config cfg;
	struct engine *e = NULL;

	eng_config_default(&cfg);
	cfg.attempt_ms = 100;
	cfg.udp_attempts = attempts;
	cfg.per_server_cap = cap;
	cfg.family = family;
	cfg.rate_mqps = rate * 1000;
	cfg.per_server_mqps = per_server * 1000;
	assert_int_equal(engine_uv_new(&e, &cfg), 0);
	return e;
}

static struct engine *new_engine(int cap, int attempts, int family)
{
	return new_paced(cap, attempts, family, 0, 0);
}

static void req_init(struct eng_request *q, uint16_t port, const char *name,
		     unsigned flags)
{
	memset(q, 0, sizeof(*q));
	assert_int_equal(eng_addr_parse(q, "127.0.0.1", port), 0);
	q->qname = name;
	q->qtype = 1;
	q->flags = flags;
}

static uint64_t sent(struct engine *e)
{
	return e->ops->sent(e->impl);
}

/* Runs one query against a responder in MODE. */
static void one_query(enum mode mode, unsigned flags, int attempts,
		      struct result *res, struct responder *r)
{
	struct engine *e = new_engine(8, attempts, 0);
	struct eng_request q;

	resp_start(r, mode);
	req_init(&q, r->port, "example.com.", flags);
	memset(res, 0, sizeof(*res));
	assert_int_equal(eng_submit(e, &q, on_result, res), 0);
	assert_int_equal(res->called, 0); /* never from inside submit */
	eng_drain(e);
	assert_int_equal(res->called, 1);
	assert_int_equal((int)sent(e), res->attempts);
	engine_free(e);
	resp_stop(r);
}

static void count_fired(void *arg)
{
	(*(int *)arg)++;
}

/* A timer counts as pending, so run_once sleeps until it fires; one not
 * yet fired when the engine is freed is dropped without its callback. */
static void test_timer(void **state)
{
	(void)state;
	struct engine *e = new_engine(8, 1, 0);
	int fired = 0, never = 0;
	uint64_t t0 = e->ops->now_ms(e->impl);
	assert_int_equal(eng_timer(e, 30, count_fired, &fired), 0);
	assert_int_equal(fired, 0); /* never from inside timer */
	assert_int_equal((int)e->ops->pending(e->impl), 1);
	eng_drain(e);
	assert_int_equal(fired, 1);
	assert_true(e->ops->now_ms(e->impl) - t0 >= 29);
	assert_int_equal((int)sent(e), 0); /* a timer sends nothing */
	assert_int_equal(eng_timer(e, 60000, count_fired, &never), 0);
	engine_free(e);
	assert_int_equal(never, 0);
}

/* What a progress display sees on each tick: the queries in flight. */
struct ticks {
	struct engine *e;
	int n;		     /* ticks */
	size_t first_n;	     /* queries the first one saw */
	int first_sent;	     /* of which sent */
	char first_q[2][32]; /* and their names */
};

static void see_query(void *arg, const struct eng_query_info *q)
{
	struct ticks *t = arg;
	char addr[64];
	assert_int_equal(eng_addr_text(q->addr, addr, sizeof(addr)), 0);
	assert_string_equal(addr, "127.0.0.1");
	assert_int_equal(q->qtype, 1);
	if (t->first_n < 2)
		snprintf(t->first_q[t->first_n], sizeof(t->first_q[0]), "%s",
			 q->qname);
	t->first_n++;
	t->first_sent += q->sent;
	if (!q->sent)
		assert_int_equal(q->age_ms, 0);
}

static void on_tick_seen(void *arg)
{
	struct ticks *t = arg;
	if (t->n++ == 0) {
		size_t n = eng_queries(t->e, see_query, t);
		assert_int_equal(n, t->first_n);
	}
}

/* A tick is never pending: it fires while the loop runs for queries (and
 * sees them: one sent, one behind its server's cap of 1) but keeps
 * nothing waiting; the engine is freed with it still running. */
static void test_tick_and_queries(void **state)
{
	(void)state;
	struct responder r;
	struct result a = { 0 }, b = { 0 };
	struct eng_request q;
	struct engine *e = new_engine(1, 2, 0);
	struct ticks t = { .e = e };

	resp_start(&r, M_SILENT);
	assert_int_equal(eng_tick(e, 20, on_tick_seen, &t), 0);
	assert_int_equal((int)e->ops->pending(e->impl), 0);
	eng_drain(e); /* nothing to wait for: returns at once */
	assert_int_equal(t.n, 0);
	req_init(&q, r.port, "a.example.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &a), 0);
	req_init(&q, r.port, "b.example.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &b), 0);
	assert_int_equal((int)e->ops->pending(e->impl), 2);
	assert_int_equal(eng_queries(e, NULL, NULL), 2);
	eng_drain(e);
	assert_int_equal(a.status, QS_TIMEOUT);
	assert_int_equal(b.status, QS_TIMEOUT);
	assert_true(t.n >= 1);
	assert_int_equal(t.first_n, 2);
	assert_int_equal(t.first_sent, 1);
	assert_true(strcmp(t.first_q[0], "a.example.") == 0 ||
		    strcmp(t.first_q[1], "a.example.") == 0);
	assert_int_equal(eng_queries(e, see_query, &t), 0);
	/* Stopped, it fires no more; started again, it is freed with the
	 * engine. */
	int n = t.n;
	assert_int_equal(eng_tick(e, 0, NULL, NULL), 0);
	req_init(&q, r.port, "c.example.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &a), 0);
	eng_drain(e);
	assert_int_equal(t.n, n);
	assert_int_equal(eng_tick(e, 20, on_tick_seen, &t), 0);
	engine_free(e);
	resp_stop(&r);
}

static void test_answer(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_ANSWER, ENG_F_RD | ENG_F_DO, 3, &res, &r);
	assert_int_equal(res.status, QS_OK);
	assert_int_equal(res.transport, TR_UDP);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(res.rcode, 0);
	assert_int_equal(r.udp_queries, 1);
	assert_string_equal(r.names[0], "example.com.");
}

static void test_wrong_id_then_right(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_WRONG_ID_FIRST, 0, 3, &res, &r);
	assert_int_equal(res.status, QS_OK);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(r.udp_queries, 1);
}

static void test_other_source_ignored(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_OTHER_SOURCE, 0, 3, &res, &r);
	assert_int_equal(res.status, QS_OK);
	assert_int_equal(res.rcode, 0); /* not the REFUSED from elsewhere */
	assert_int_equal(res.attempts, 1);
}

static void test_other_source_only_times_out(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_OTHER_ONLY, 0, 2, &res, &r);
	assert_int_equal(res.status, QS_TIMEOUT);
	assert_int_equal(res.attempts, 2);
	assert_int_equal(r.udp_queries, 2);
}

static void test_timeout_attempts(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_SILENT, 0, 3, &res, &r);
	assert_int_equal(res.status, QS_TIMEOUT);
	assert_int_equal(res.attempts, 3);
	assert_int_equal(r.udp_queries, 3);
}

static void test_garbage_is_malformed(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_GARBAGE, 0, 2, &res, &r);
	assert_int_equal(res.status, QS_MALFORMED);
	assert_int_equal(res.attempts, 2);
	assert_int_equal(r.udp_queries, 2);
}

static void test_tc_then_tcp(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_TC, ENG_F_EDNS, 3, &res, &r);
	assert_int_equal(res.status, QS_OK);
	assert_int_equal(res.transport, TR_TCP);
	assert_false(res.tc);
	assert_int_equal(res.attempts, 2); /* a datagram and a connection */
	assert_int_equal(r.udp_queries, 1);
	assert_int_equal(r.tcp_queries, 1);
}

static void test_tc_notcp(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_TC, ENG_F_NOTCP, 3, &res, &r);
	assert_int_equal(res.status, QS_OK);
	assert_int_equal(res.transport, TR_UDP);
	assert_true(res.tc);
	assert_int_equal(r.tcp_queries, 0);
}

static void test_tcp_from_start(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_TC, ENG_F_TCP, 3, &res, &r);
	assert_int_equal(res.status, QS_OK);
	assert_int_equal(res.transport, TR_TCP);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(r.udp_queries, 0);
	assert_int_equal(r.tcp_queries, 1);
}

static void test_tcp_bad_answer(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_TCP_BAD_ID, 0, 3, &res, &r);
	assert_int_equal(res.status, QS_MALFORMED);
	assert_int_equal(res.transport, TR_TCP);
}

static void test_tcp_truncated(void **state)
{
	struct result res;
	struct responder r;

	one_query(M_TCP_TC, 0, 3, &res, &r);
	assert_int_equal(res.status, QS_TCP_TRUNCATED);
	assert_int_equal(res.transport, TR_TCP);
	assert_true(res.tc); /* the bytes are still given */
}

static uint16_t closed_port(void)
{
	int fd = bound_socket(SOCK_DGRAM, "127.0.0.1", 0);
	uint16_t port;

	assert_true(fd >= 0);
	port = port_of(fd);
	close(fd);
	return port;
}

static void test_closed_port_unreachable(void **state)
{
	struct engine *e = new_engine(8, 3, 0);
	struct eng_request q;
	struct result res = { 0 };

	req_init(&q, closed_port(), "example.com.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &res), 0);
	eng_drain(e);
	assert_int_equal(res.called, 1);
	assert_int_equal(res.status, QS_UNREACHABLE);
	assert_int_equal(res.attempts, 1);
	engine_free(e);
}

static void test_tcp_refused_unreachable(void **state)
{
	struct engine *e = new_engine(8, 3, 0);
	int fd = bound_socket(SOCK_STREAM, "127.0.0.1", 0);
	struct eng_request q;
	struct result res = { 0 };

	assert_true(fd >= 0); /* bound, not listening: connections refused */
	req_init(&q, port_of(fd), "example.com.", ENG_F_TCP);
	assert_int_equal(eng_submit(e, &q, on_result, &res), 0);
	eng_drain(e);
	close(fd);
	assert_int_equal(res.called, 1);
	assert_int_equal(res.status, QS_UNREACHABLE);
	assert_int_equal(res.transport, TR_TCP);
	engine_free(e);
}

static void test_duplicates_merged(void **state)
{
	struct engine *e = new_engine(8, 3, 0);
	struct eng_request q1, q2;
	struct result r1 = { 0 }, r2 = { 0 };
	struct responder r;

	resp_start(&r, M_ANSWER);
	req_init(&q1, r.port, "Example.COM.", ENG_F_DO);
	req_init(&q2, r.port, "example.com", ENG_F_DO);
	assert_int_equal(eng_submit(e, &q1, on_result, &r1), 0);
	assert_int_equal(eng_submit(e, &q2, on_result, &r2), 0);
	assert_int_equal(e->ops->pending(e->impl), 2);
	eng_drain(e);
	assert_int_equal(r1.called, 1);
	assert_int_equal(r2.called, 1);
	assert_int_equal(r1.status, QS_OK);
	assert_int_equal(r2.status, QS_OK);
	assert_int_equal(r1.id, r2.id);
	/* Each waiter sees its own request. */
	assert_string_equal(r2.qname, "example.com");
	assert_int_equal(sent(e), 1);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(r.udp_queries, 1);
}

static void test_per_server_cap(void **state)
{
	static const char *const names[] = { "a.", "b.", "c.", "d.", "e." };
	struct engine *e = new_engine(2, 3, 0);
	struct eng_request q[5];
	struct result res[5] = { 0 };
	struct responder r;

	resp_start(&r, M_ANSWER);
	for (int i = 0; i < 5; i++) {
		req_init(&q[i], r.port, names[i], 0);
		assert_int_equal(eng_submit(e, &q[i], on_result, &res[i]), 0);
	}
	assert_int_equal(sent(e), 2); /* the other three wait their turn */
	eng_drain(e);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(res[i].called, 1);
		assert_int_equal(res[i].status, QS_OK);
	}
	assert_int_equal(sent(e), 5);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(r.udp_queries, 5);
	for (int i = 0; i < 5; i++)
		assert_string_equal(r.names[i], names[i]); /* FIFO */
}

static void test_family_rejected(void **state)
{
	struct engine *e = new_engine(8, 3, 6);
	struct eng_request q;
	struct result res = { 0 };

	req_init(&q, 53, "example.com.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &res), 0);
	assert_int_equal(res.called, 0);
	eng_drain(e);
	assert_int_equal(res.called, 1);
	assert_int_equal(res.status, QS_NETERR);
	assert_int_equal(sent(e), 0);
	engine_free(e);
}

static void test_bad_requests(void **state)
{
	struct engine *e = new_engine(8, 3, 0);
	struct eng_request q;
	struct result res = { 0 };

	req_init(&q, 53, "a..b.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &res), -EINVAL);
	req_init(&q, 53, "a.", 0);
	q.addr.ss_family = AF_UNIX;
	assert_int_equal(eng_submit(e, &q, on_result, &res), -EINVAL);
	assert_int_equal(eng_addr_parse(&q, "not-an-address", 53), -EINVAL);
	assert_int_equal(e->ops->pending(e->impl), 0);
	engine_free(e);
	engine_free(NULL);
}

/* Freeing with queries in flight drops them: no callback, no leak. */
static void test_free_with_pending(void **state)
{
	struct engine *e = new_engine(1, 3, 0);
	struct eng_request q1, q2;
	struct result r1 = { 0 }, r2 = { 0 };
	struct responder r;

	resp_start(&r, M_SILENT);
	req_init(&q1, r.port, "a.", ENG_F_TCP);
	req_init(&q2, r.port, "b.", 0);
	assert_int_equal(eng_submit(e, &q1, on_result, &r1), 0);
	assert_int_equal(eng_submit(e, &q2, on_result, &r2), 0);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(r1.called + r2.called, 0);
}

/* At 10 queries a second per server (a burst of one), five questions to
 * one server: one goes at once, the others wait for their tokens, in the
 * order they came, and all are answered. A closed port is another server:
 * its question does not wait behind them. */
static void test_paced_per_server(void **state)
{
	static const char *const names[] = { "a.", "b.", "c.", "d.", "e." };
	struct engine *e = new_paced(8, 3, 0, 0, 10);
	struct eng_request q[6];
	struct result res[6] = { 0 };
	struct responder r;

	resp_start(&r, M_ANSWER);
	uint64_t t0 = e->ops->now_ms(e->impl);
	for (int i = 0; i < 5; i++) {
		req_init(&q[i], r.port, names[i], 0);
		assert_int_equal(eng_submit(e, &q[i], on_result, &res[i]), 0);
	}
	assert_int_equal(sent(e), 1);
	req_init(&q[5], closed_port(), "f.", 0);
	assert_int_equal(eng_submit(e, &q[5], on_result, &res[5]), 0);
	assert_int_equal(sent(e), 2);
	eng_drain(e);
	uint64_t elapsed = e->ops->now_ms(e->impl) - t0;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(res[i].called, 1);
		assert_int_equal(res[i].status, QS_OK);
	}
	assert_int_equal(res[5].status, QS_UNREACHABLE);
	assert_int_equal(sent(e), 6);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(r.udp_queries, 5);
	/* The burst (1) and 10 a second over the run's own time. */
	assert_true(r.udp_queries <= 1 + 10 * (int)elapsed / 1000);
	for (int i = 0; i < 5; i++)
		assert_string_equal(r.names[i], names[i]); /* FIFO */
}

/* A question someone waits for (ENG_F_URGENT, or asked while the engine
 * is marked urgent) goes ahead of those already waiting for a token, and
 * still merges with the same question asked without the mark. */
static void test_paced_urgent_first(void **state)
{
	static const char *const names[] = { "a.", "b.", "c.", "u.", "v." };
	struct engine *e = new_paced(8, 3, 0, 0, 10);
	struct eng_request q[6];
	struct result res[6] = { 0 };
	struct responder r;

	resp_start(&r, M_ANSWER);
	for (int i = 0; i < 3; i++) {
		req_init(&q[i], r.port, names[i], 0);
		assert_int_equal(eng_submit(e, &q[i], on_result, &res[i]), 0);
	}
	req_init(&q[3], r.port, names[3], ENG_F_URGENT);
	assert_int_equal(eng_submit(e, &q[3], on_result, &res[3]), 0);
	e->urgent = true;
	req_init(&q[4], r.port, names[4], 0);
	assert_int_equal(eng_submit(e, &q[4], on_result, &res[4]), 0);
	e->urgent = false;
	/* the same as b., marked: one question */
	req_init(&q[5], r.port, names[1], ENG_F_URGENT);
	assert_int_equal(eng_submit(e, &q[5], on_result, &res[5]), 0);
	eng_drain(e);
	for (int i = 0; i < 6; i++)
		assert_int_equal(res[i].status, QS_OK);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(r.udp_queries, 5);
	/* a. went at once (the burst); the urgent ones next, in order */
	assert_string_equal(r.names[0], "a.");
	assert_string_equal(r.names[1], "u.");
	assert_string_equal(r.names[2], "v.");
	assert_string_equal(r.names[3], "b.");
	assert_string_equal(r.names[4], "c.");
}

/* A server that never answers: every retry waits for a token too, so it
 * gets no more than its rate however many questions wait for it. */
static void test_paced_retries(void **state)
{
	static const char *const names[] = { "a.", "b.", "c." };
	struct engine *e = new_paced(8, 3, 0, 0, 20);
	struct eng_request q[3];
	struct result res[3] = { 0 };
	struct responder r;

	resp_start(&r, M_SILENT);
	uint64_t t0 = e->ops->now_ms(e->impl);
	for (int i = 0; i < 3; i++) {
		req_init(&q[i], r.port, names[i], 0);
		assert_int_equal(eng_submit(e, &q[i], on_result, &res[i]), 0);
	}
	eng_drain(e);
	uint64_t elapsed = e->ops->now_ms(e->impl) - t0;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(res[i].status, QS_TIMEOUT);
		assert_int_equal(res[i].attempts, 3);
	}
	/* The burst (1) and 20 a second over the run's own time. */
	assert_true(sent(e) <= 1 + 20 * elapsed / 1000);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(r.udp_queries, 9);
}

/* The engine's own rate holds over every server: two servers at 10 a
 * second in all. A TC answer's TCP connection takes a token as well. */
static void test_paced_global(void **state)
{
	struct engine *e = new_paced(8, 3, 0, 10, 0);
	struct eng_request q[4];
	struct result res[4] = { 0 };
	struct responder r;

	resp_start(&r, M_TC);
	uint64_t t0 = e->ops->now_ms(e->impl);
	req_init(&q[0], r.port, "a.", 0);
	req_init(&q[1], r.port, "b.", 0);
	req_init(&q[2], closed_port(), "c.", 0);
	req_init(&q[3], r.port, "d.", ENG_F_TCP);
	for (int i = 0; i < 4; i++)
		assert_int_equal(eng_submit(e, &q[i], on_result, &res[i]), 0);
	assert_int_equal(sent(e), 1);
	eng_drain(e);
	uint64_t elapsed = e->ops->now_ms(e->impl) - t0;
	assert_int_equal(res[0].status, QS_OK);
	assert_int_equal(res[0].transport, TR_TCP);
	assert_int_equal(res[1].status, QS_OK);
	assert_int_equal(res[2].status, QS_UNREACHABLE);
	assert_int_equal(res[3].status, QS_OK);
	/* Two datagrams and two connections to the responder, one to the
	 * closed port: six tokens. */
	assert_int_equal(sent(e), 6);
	assert_true(sent(e) <= 1 + 10 * elapsed / 1000);
	engine_free(e);
	resp_stop(&r);
}

/* Freeing with queries waiting for tokens drops them too. */
static void test_paced_free_waiting(void **state)
{
	struct engine *e = new_paced(8, 3, 0, 1, 1);
	struct eng_request q1, q2;
	struct result r1 = { 0 }, r2 = { 0 };
	struct responder r;

	resp_start(&r, M_SILENT);
	req_init(&q1, r.port, "a.", 0);
	req_init(&q2, r.port, "b.", ENG_F_TCP);
	assert_int_equal(eng_submit(e, &q1, on_result, &r1), 0);
	assert_int_equal(eng_submit(e, &q2, on_result, &r2), 0);
	assert_int_equal(sent(e), 1);
	assert_int_equal(e->ops->pending(e->impl), 2);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(r1.called + r2.called, 0);
}

/* The source ports the responder saw. */
static int distinct_ports(const struct responder *r)
{
	int n = 0;

	for (int i = 0; i < r->n_seen; i++) {
		int j = 0;

		while (j < i && r->src_port[j] != r->src_port[i])
			j++;
		n += j == i;
	}
	return n;
}

/* No ID used twice on one source port. */
static void assert_ids_unique_per_port(const struct responder *r)
{
	for (int i = 0; i < r->n_seen; i++)
		for (int j = 0; j < i; j++)
			assert_false(r->src_port[j] == r->src_port[i] &&
				     r->qid[j] == r->qid[i]);
}

/* N distinct questions to the responder in MODE, at once (CAP in flight);
 * RES[i] gets the result of "nI.". */
static void many_queries(int n, int cap, enum mode mode, struct result *res,
			 struct responder *r)
{
	struct engine *e = new_engine(cap, 3, 0);
	char(*names)[16] = calloc((size_t)n, sizeof(*names));
	struct eng_request q;

	assert_non_null(names);
	resp_start(r, mode);
	for (int i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "n%d.", i);
		req_init(&q, r->port, names[i], 0);
		assert_int_equal(eng_submit(e, &q, on_result, &res[i]), 0);
	}
	eng_drain(e);
	engine_free(e);
	resp_stop(r);
	free(names);
}

/* Questions in flight to one server share one socket: one source port,
 * each datagram with an ID of its own. */
static void test_shared_socket(void **state)
{
	struct result res[20] = { 0 };
	struct responder r;

	many_queries(20, 8, M_ANSWER, res, &r);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(res[i].called, 1);
		assert_int_equal(res[i].status, QS_OK);
		assert_int_equal(res[i].attempts, 1);
	}
	assert_int_equal(r.udp_queries, 20);
	assert_int_equal(distinct_ports(&r), 1);
	assert_ids_unique_per_port(&r);
}

/* A socket retires after 256 queries: the next ones come from a new port,
 * and no ID is used twice on either. */
static void test_socket_retired(void **state)
{
	static struct result res[300];
	struct responder r;

	memset(res, 0, sizeof(res));
	many_queries(300, 8, M_ANSWER, res, &r);
	for (int i = 0; i < 300; i++)
		assert_int_equal(res[i].status, QS_OK);
	assert_int_equal(r.n_seen, 300);
	assert_int_equal(distinct_ports(&r), 2);
	assert_ids_unique_per_port(&r);
}

/* Nothing listens: every question on the shared socket is unreachable
 * after its first datagram, as each was with a socket of its own. */
static void test_shared_unreachable(void **state)
{
	static const char *const names[] = { "a.", "b.", "c.", "d.", "e." };
	struct engine *e = new_engine(8, 3, 0);
	struct eng_request q[5];
	struct result res[5] = { 0 };
	uint16_t port = closed_port();

	for (int i = 0; i < 5; i++) {
		req_init(&q[i], port, names[i], 0);
		assert_int_equal(eng_submit(e, &q[i], on_result, &res[i]), 0);
	}
	eng_drain(e);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(res[i].called, 1);
		assert_int_equal(res[i].status, QS_UNREACHABLE);
		assert_int_equal(res[i].attempts, 1);
	}
	assert_int_equal(sent(e), 5);
	engine_free(e);
}

/* Three questions on one socket, NAMES[0] answered badly; the results. */
static void mixed(const char *const names[3], struct result res[3])
{
	struct engine *e = new_engine(8, 2, 0);
	struct eng_request q[3];
	struct responder r;

	resp_start(&r, M_MIXED);
	memset(res, 0, 3 * sizeof(*res));
	for (int i = 0; i < 3; i++) {
		req_init(&q[i], r.port, names[i], 0);
		assert_int_equal(eng_submit(e, &q[i], on_result, &res[i]), 0);
	}
	eng_drain(e);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(distinct_ports(&r), 1);
}

/* An answer with a query's ID and another question is that query's
 * garbage alone; a second reply to an answered query is dropped. */
static void test_wrong_question_blames_its_query(void **state)
{
	static const char *const names[] = { "wq.", "quiet.", "ok." };
	struct result res[3];

	mixed(names, res);
	assert_int_equal(res[0].status, QS_MALFORMED);
	assert_int_equal(res[1].status, QS_TIMEOUT);
	assert_int_equal(res[1].attempts, 2);
	assert_int_equal(res[2].status, QS_OK);
	assert_int_equal(res[2].rcode, 0); /* the first reply, not REFUSED */
}

/* An answer with an ID no query holds cannot be told whose it is: every
 * query on the socket then saw garbage, and one that gets no answer
 * reports it; one answered is still answered. */
static void test_stray_blames_every_query(void **state)
{
	static const char *const names[] = { "bad.", "quiet.", "ok." };
	struct result res[3];

	mixed(names, res);
	assert_int_equal(res[0].status, QS_MALFORMED);
	assert_int_equal(res[1].status, QS_MALFORMED);
	assert_int_equal(res[2].status, QS_OK);
}

/* A query submitted after the caller worked a while without running the
 * loop (fleet resumes every diagnosis between two turns) gets its whole
 * attempt from the submission: no retry for time that passed before it. */
static void test_deadline_from_submit(void **state)
{
	struct engine *e = new_engine(8, 3, 0);
	struct eng_request q;
	struct result r1 = { 0 }, r2 = { 0 };
	struct responder r;

	resp_start(&r, M_ANSWER);
	req_init(&q, r.port, "a.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &r1), 0);
	eng_drain(e);
	usleep(300 * 1000); /* three attempts' worth (100 ms), loop idle */
	req_init(&q, r.port, "b.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &r2), 0);
	eng_drain(e);
	assert_int_equal(r2.status, QS_OK);
	assert_int_equal(r2.attempts, 1);
	engine_free(e);
	resp_stop(&r);
	assert_int_equal(r.udp_queries, 2);
}

/* A deadline that passes while the loop is not running, with the answer
 * already waiting in the socket, is not a timeout: the answer is read
 * first (libuv runs timers before it polls). One attempt, so a timeout
 * would be the result. */
static void test_answer_waiting_at_deadline(void **state)
{
	struct engine *e = new_engine(8, 1, 0);
	struct eng_request q;
	struct result res = { 0 };
	struct responder r;

	resp_start(&r, M_ANSWER);
	req_init(&q, r.port, "a.", 0);
	assert_int_equal(eng_submit(e, &q, on_result, &res), 0);
	usleep(300 * 1000); /* past the 100 ms attempt, the loop idle */
	eng_drain(e);
	assert_int_equal(res.status, QS_OK);
	assert_int_equal(res.attempts, 1);
	engine_free(e);
	resp_stop(&r);
}

/* More UDP attempts than IDs a query keeps on its socket are refused. */
static void test_too_many_attempts(void **state)
{
	struct eng_config cfg;
	struct engine *e = NULL;

	eng_config_default(&cfg);
	cfg.udp_attempts = 17;
	assert_int_equal(engine_uv_new(&e, &cfg), -EINVAL);
	assert_null(e);
}

static void test_addr_text(void **state)
{
	struct eng_request q;
	char buf[64];

	assert_int_equal(eng_addr_parse(&q, "2001:DB8::1", 53), 0);
	assert_int_equal(eng_addr_text(&q.addr, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2001:db8::1");
	assert_int_equal(eng_addr_text(&q.addr, buf, 4), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_wrong_id_then_right),
		cmocka_unit_test(test_other_source_ignored),
		cmocka_unit_test(test_other_source_only_times_out),
		cmocka_unit_test(test_timeout_attempts),
		cmocka_unit_test(test_garbage_is_malformed),
		cmocka_unit_test(test_tc_then_tcp),
		cmocka_unit_test(test_tc_notcp),
		cmocka_unit_test(test_tcp_from_start),
		cmocka_unit_test(test_tcp_bad_answer),
		cmocka_unit_test(test_tcp_truncated),
		cmocka_unit_test(test_closed_port_unreachable),
		cmocka_unit_test(test_tcp_refused_unreachable),
		cmocka_unit_test(test_duplicates_merged),
		cmocka_unit_test(test_per_server_cap),
		cmocka_unit_test(test_family_rejected),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_free_with_pending),
		cmocka_unit_test(test_paced_per_server),
		cmocka_unit_test(test_paced_retries),
		cmocka_unit_test(test_paced_urgent_first),
		cmocka_unit_test(test_paced_global),
		cmocka_unit_test(test_paced_free_waiting),
		cmocka_unit_test(test_shared_socket),
		cmocka_unit_test(test_socket_retired),
		cmocka_unit_test(test_shared_unreachable),
		cmocka_unit_test(test_wrong_question_blames_its_query),
		cmocka_unit_test(test_stray_blames_every_query),
		cmocka_unit_test(test_deadline_from_submit),
		cmocka_unit_test(test_answer_waiting_at_deadline),
		cmocka_unit_test(test_too_many_attempts),
		cmocka_unit_test(test_addr_text),
		cmocka_unit_test(test_tick_and_queries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
