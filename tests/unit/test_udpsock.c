/* The shared UDP sockets (engine/udpsock.h) on a real loop, against plain
 * sockets on 127.0.0.1 standing in for servers, with small limits so that
 * retiring, the idle close and the bound show in a few queries. The test
 * plays both sides: it sends through the pool, reads at the "server" with
 * recvfrom, answers with sendto and runs the loop to see what the pool
 * hands back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <uv.h>
#include "engine/udpsock.h"

#define MAX_EVENTS 32

enum ev_kind { EV_ANSWER, EV_STRAY, EV_FAILED };

struct event {
	enum ev_kind kind;
	struct usock_member *m;
	uint16_t id;
	int err;
};

/* The test's state: a loop, a pool, and what the callbacks saw. */
struct fix {
	uv_loop_t loop;
	struct usock_pool *pool;
	struct event ev[MAX_EVENTS];
	int n_ev;
};

static struct fix *the_fix(struct usock_member *m)
{
	return m->owner;
}

static void record(struct usock_member *m, enum ev_kind k, uint16_t id, int err)
{
	struct fix *f = the_fix(m);

	assert_true(f->n_ev < MAX_EVENTS);
	f->ev[f->n_ev++] =
		(struct event){ .kind = k, .m = m, .id = id, .err = err };
}

static void cb_answer(struct usock_member *m, uint16_t id, const uint8_t *msg,
		      size_t len, bool partial)
{
	record(m, EV_ANSWER, id, 0);
}

static void cb_stray(struct usock_member *m)
{
	record(m, EV_STRAY, 0, 0);
}

static void cb_failed(struct usock_member *m, int uverr)
{
	record(m, EV_FAILED, 0, uverr);
}

static const struct usock_cbs cbs = {
	.answer = cb_answer,
	.stray = cb_stray,
	.failed = cb_failed,
};

static void fix_init(struct fix *f, unsigned max_queries, uint32_t idle_ms,
		     unsigned max_open)
{
	struct usock_limits lim = { .max_queries = max_queries,
				    .idle_ms = idle_ms,
				    .max_open = max_open };

	memset(f, 0, sizeof(*f));
	assert_int_equal(uv_loop_init(&f->loop), 0);
	assert_int_equal(usock_pool_new(&f->loop, &lim, &cbs, &f->pool), 0);
}

static void fix_deinit(struct fix *f)
{
	usock_pool_close(f->pool);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	usock_pool_free(f->pool);
}

static void member_init(struct fix *f, struct usock_member *m)
{
	memset(m, 0, sizeof(*m));
	m->owner = f;
}

/* ---- a "server": a bound UDP socket ---- */

struct server {
	int fd;
	struct sockaddr_storage addr;
};

static void server_open(struct server *s)
{
	struct sockaddr_in *a = (struct sockaddr_in *)&s->addr;
	socklen_t l = sizeof(*a);
	struct timeval tv = { .tv_sec = 2 };

	memset(s, 0, sizeof(*s));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(s->fd >= 0);
	assert_int_equal(bind(s->fd, (struct sockaddr *)a, l), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)a, &l), 0);
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* Receives one datagram; returns its ID and sets *PORT to its source. */
static uint16_t server_recv(struct server *s, uint16_t *port,
			    struct sockaddr_in *from)
{
	uint8_t b[512];
	socklen_t l = sizeof(*from);
	ssize_t n =
		recvfrom(s->fd, b, sizeof(b), 0, (struct sockaddr *)from, &l);

	assert_true(n >= 2);
	*port = ntohs(from->sin_port);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void server_send(struct server *s, const struct sockaddr_in *to,
			const uint8_t *b, size_t n)
{
	assert_int_equal(sendto(s->fd, b, n, 0, (const struct sockaddr *)to,
				sizeof(*to)),
			 (ssize_t)n);
}

/* Sends a datagram with ID on M's socket, as the server sees it: returns
 * its source port and sets *FROM. */
static uint16_t send_id(struct server *s, struct usock_member *m, uint16_t id,
			struct sockaddr_in *from)
{
	uint8_t q[12] = { (uint8_t)(id >> 8), (uint8_t)id };
	uint16_t port;

	assert_int_equal(usock_take_id(m, id), 0);
	assert_int_equal(usock_send(m, q, sizeof(q)), 0);
	assert_int_equal(server_recv(s, &port, from), id);
	return port;
}

/* Runs the loop until N_EV events have come (or a second has passed). */
static void run_until(struct fix *f, int n_ev)
{
	for (int i = 0; i < 100 && f->n_ev < n_ev; i++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		if (f->n_ev < n_ev)
			usleep(10000);
	}
	assert_int_equal(f->n_ev, n_ev);
}

/* ---- the tests ---- */

/* Three queries share a socket; the fourth, past max_queries, gets a new
 * one (another port); the retired socket closes once its queries leave. */
static void test_share_and_retire(void **state)
{
	struct fix f;
	struct server s;
	struct usock_member m[4];
	struct sockaddr_in from;
	uint16_t port[4];

	fix_init(&f, 3, 10000, 8);
	server_open(&s);
	for (int i = 0; i < 4; i++) {
		member_init(&f, &m[i]);
		assert_int_equal(usock_join(f.pool, &s.addr, &m[i]), 0);
		port[i] = send_id(&s, &m[i], (uint16_t)(100 + i), &from);
	}
	assert_int_equal(port[0], port[1]);
	assert_int_equal(port[0], port[2]);
	assert_int_not_equal(port[0], port[3]);
	assert_int_equal(usock_pool_open(f.pool), 2);
	for (int i = 0; i < 3; i++)
		usock_leave(&m[i]);
	assert_int_equal(usock_pool_open(f.pool), 1);
	usock_leave(&m[3]);
	/* Current, idle: kept for the next query. */
	assert_int_equal(usock_pool_open(f.pool), 1);
	fix_deinit(&f);
	close(s.fd);
}

/* An ID is taken on a socket for its whole life: not twice while its
 * query is there, nor after it has left (a late answer to it must not
 * reach a newer query). A new socket starts afresh. */
static void test_ids_unique(void **state)
{
	struct fix f;
	struct server s;
	struct usock_member a, b, c;

	fix_init(&f, 2, 10000, 8);
	server_open(&s);
	member_init(&f, &a);
	member_init(&f, &b);
	member_init(&f, &c);
	assert_int_equal(usock_join(f.pool, &s.addr, &a), 0);
	assert_int_equal(usock_join(f.pool, &s.addr, &b), 0);
	assert_int_equal(usock_take_id(&a, 7), 0);
	assert_int_equal(usock_take_id(&b, 7), -EEXIST);
	usock_leave(&a);
	assert_int_equal(usock_take_id(&b, 7), -EEXIST);
	assert_int_equal(usock_take_id(&b, 8), 0);
	/* The first socket carried two: C is on a new one. */
	assert_int_equal(usock_join(f.pool, &s.addr, &c), 0);
	assert_int_equal(usock_take_id(&c, 7), 0);
	for (int i = 0; i < USOCK_MAX_IDS - 1; i++)
		assert_int_equal(usock_take_id(&c, (uint16_t)(1000 + i)), 0);
	assert_int_equal(usock_take_id(&c, 999), -ENOSPC);
	usock_leave(&b);
	usock_leave(&c);
	fix_deinit(&f);
	close(s.fd);
}

/* Hundreds of IDs on one socket (the table grows): each is still known,
 * and an answer still finds the query holding it. */
static void test_many_ids(void **state)
{
	enum { N = 100, PER = 3 };
	static struct usock_member m[N];
	struct fix f;
	struct server s;
	struct usock_member other;
	struct sockaddr_in from;
	uint8_t msg[12] = { 0 };

	fix_init(&f, 1000, 10000, 8);
	server_open(&s);
	for (int i = 0; i < N; i++) {
		member_init(&f, &m[i]);
		assert_int_equal(usock_join(f.pool, &s.addr, &m[i]), 0);
		for (int k = 0; k < PER; k++)
			assert_int_equal(usock_take_id(&m[i],
						       (uint16_t)(i * 97 + k)),
					 0);
	}
	member_init(&f, &other);
	assert_int_equal(usock_join(f.pool, &s.addr, &other), 0);
	for (int i = 0; i < N; i++)
		for (int k = 0; k < PER; k++)
			assert_int_equal(usock_take_id(&other,
						       (uint16_t)(i * 97 + k)),
					 -EEXIST);
	send_id(&s, &other, 60000, &from);
	msg[0] = (57 * 97 + 2) >> 8, msg[1] = (57 * 97 + 2) & 0xff;
	server_send(&s, &from, msg, sizeof(msg));
	run_until(&f, 1);
	assert_int_equal(f.ev[0].kind, EV_ANSWER);
	assert_ptr_equal(f.ev[0].m, &m[57]);
	for (int i = 0; i < N; i++)
		usock_leave(&m[i]);
	usock_leave(&other);
	fix_deinit(&f);
	close(s.fd);
}

/* A datagram goes to the query holding its ID; one with an ID nobody on
 * the socket took, or too short to hold one, to every query on it as a
 * stray; one whose query has left, to nobody. */
static void test_dispatch(void **state)
{
	struct fix f;
	struct server s;
	struct usock_member a, b, gone;
	struct sockaddr_in from;
	uint8_t msg[12] = { 0 };

	fix_init(&f, 100, 10000, 8);
	server_open(&s);
	member_init(&f, &a);
	member_init(&f, &b);
	member_init(&f, &gone);
	assert_int_equal(usock_join(f.pool, &s.addr, &gone), 0);
	assert_int_equal(usock_join(f.pool, &s.addr, &a), 0);
	assert_int_equal(usock_join(f.pool, &s.addr, &b), 0);
	send_id(&s, &gone, 0x0102, &from);
	send_id(&s, &a, 0x0a0b, &from);
	send_id(&s, &b, 0x0b0c, &from);
	usock_leave(&gone);

	msg[0] = 0x0b, msg[1] = 0x0c;
	server_send(&s, &from, msg, sizeof(msg));
	run_until(&f, 1);
	assert_int_equal(f.ev[0].kind, EV_ANSWER);
	assert_ptr_equal(f.ev[0].m, &b);
	assert_int_equal(f.ev[0].id, 0x0b0c);

	msg[0] = 0x01, msg[1] = 0x02; /* GONE's: dropped */
	server_send(&s, &from, msg, sizeof(msg));
	msg[0] = 0x55, msg[1] = 0x55; /* nobody's: a stray for A and B */
	server_send(&s, &from, msg, sizeof(msg));
	run_until(&f, 3);
	assert_int_equal(f.ev[1].kind, EV_STRAY);
	assert_int_equal(f.ev[2].kind, EV_STRAY);
	assert_true((f.ev[1].m == &a && f.ev[2].m == &b) ||
		    (f.ev[1].m == &b && f.ev[2].m == &a));

	server_send(&s, &from, msg, 1); /* too short for an ID */
	run_until(&f, 5);
	assert_int_equal(f.ev[3].kind, EV_STRAY);
	assert_int_equal(f.ev[4].kind, EV_STRAY);
	usock_leave(&a);
	usock_leave(&b);
	fix_deinit(&f);
	close(s.fd);
}

/* Nothing listens: the port unreachable comes back once, as
 * ECONNREFUSED, and every query on the socket gets it; the socket closes
 * and the next query gets a new one. */
static void test_refused_fails_every_member(void **state)
{
	struct fix f;
	struct server s;
	struct usock_member m[3], later;
	uint8_t q[12] = { 0 };

	fix_init(&f, 100, 10000, 8);
	server_open(&s);
	close(s.fd); /* the address is now a closed port */
	for (int i = 0; i < 3; i++) {
		member_init(&f, &m[i]);
		assert_int_equal(usock_join(f.pool, &s.addr, &m[i]), 0);
		assert_int_equal(usock_take_id(&m[i], (uint16_t)i), 0);
	}
	assert_int_equal(usock_send(&m[0], q, sizeof(q)), 0);
	run_until(&f, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(f.ev[i].kind, EV_FAILED);
		assert_int_equal(f.ev[i].err, UV_ECONNREFUSED);
		assert_null(m[i].sock);
	}
	assert_int_equal(usock_pool_open(f.pool), 0);
	member_init(&f, &later);
	assert_int_equal(usock_join(f.pool, &s.addr, &later), 0);
	assert_int_equal(usock_pool_open(f.pool), 1);
	usock_leave(&later);
	fix_deinit(&f);
}

static void count_fired(uv_timer_t *t)
{
	(*(int *)t->data)++;
}

/* A socket idle for idle_ms closes; the next query gets a new port. */
static void test_idle_close(void **state)
{
	struct fix f;
	struct server s;
	struct usock_member m;
	struct sockaddr_in from;
	uv_timer_t t;
	int fired = 0;

	fix_init(&f, 100, 20, 8);
	server_open(&s);
	member_init(&f, &m);
	assert_int_equal(usock_join(f.pool, &s.addr, &m), 0);
	send_id(&s, &m, 1, &from);
	usock_leave(&m);
	assert_int_equal(usock_pool_open(f.pool), 1);
	uv_timer_init(&f.loop, &t);
	t.data = &fired;
	uv_timer_start(&t, count_fired, 60, 0);
	uv_run(&f.loop, UV_RUN_DEFAULT); /* the idle timer is unreferenced */
	assert_int_equal(fired, 1);
	assert_int_equal(usock_pool_open(f.pool), 0);
	assert_int_equal(usock_join(f.pool, &s.addr, &m), 0);
	assert_int_equal(usock_pool_open(f.pool), 1);
	send_id(&s, &m, 1, &from); /* ID 1 is free again: a new socket */
	usock_leave(&m);
	uv_close((uv_handle_t *)&t, NULL);
	fix_deinit(&f);
	close(s.fd);
}

/* At the bound, the oldest idle socket closes for a new one; with none
 * idle, a query gets a socket of its own, closed when it leaves. */
static void test_bound(void **state)
{
	struct fix f;
	struct server s[3];
	struct usock_member a, b, c, c2;
	struct sockaddr_in from;

	fix_init(&f, 100, 10000, 2);
	for (int i = 0; i < 3; i++)
		server_open(&s[i]);
	member_init(&f, &a);
	member_init(&f, &b);
	member_init(&f, &c);
	member_init(&f, &c2);
	assert_int_equal(usock_join(f.pool, &s[0].addr, &a), 0);
	assert_int_equal(usock_join(f.pool, &s[1].addr, &b), 0);
	assert_int_equal(usock_join(f.pool, &s[2].addr, &c), 0);
	assert_int_equal(usock_join(f.pool, &s[2].addr, &c2), 0);
	assert_int_equal(usock_pool_open(f.pool), 4); /* two of their own */
	assert_ptr_not_equal(c.sock, c2.sock);
	send_id(&s[2], &c, 1, &from);
	usock_leave(&c);
	usock_leave(&c2);
	assert_int_equal(usock_pool_open(f.pool), 2);
	usock_leave(&a); /* idle, the oldest */
	usock_leave(&b);
	assert_int_equal(usock_join(f.pool, &s[2].addr, &c), 0);
	assert_int_equal(usock_pool_open(f.pool), 2);
	/* A's socket went: A's server gets a new one, closing B's. */
	assert_int_equal(usock_join(f.pool, &s[0].addr, &a), 0);
	assert_int_equal(usock_pool_open(f.pool), 2);
	assert_int_equal(usock_join(f.pool, &s[1].addr, &b), 0);
	assert_int_equal(usock_pool_open(f.pool), 3); /* B's is its own */
	usock_leave(&a);
	usock_leave(&b);
	usock_leave(&c);
	fix_deinit(&f);
	for (int i = 0; i < 3; i++)
		close(s[i].fd);
}

/* Closing the pool with queries still on sockets drops them: no
 * callback, nothing leaks. */
static void test_close_with_members(void **state)
{
	struct fix f;
	struct server s;
	struct usock_member a, b;

	fix_init(&f, 100, 10000, 8);
	server_open(&s);
	member_init(&f, &a);
	member_init(&f, &b);
	assert_int_equal(usock_join(f.pool, &s.addr, &a), 0);
	assert_int_equal(usock_join(f.pool, &s.addr, &b), 0);
	assert_int_equal(usock_take_id(&a, 1), 0);
	fix_deinit(&f);
	assert_null(a.sock);
	assert_null(b.sock);
	assert_int_equal(f.n_ev, 0);
	close(s.fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share_and_retire),
		cmocka_unit_test(test_ids_unique),
		cmocka_unit_test(test_many_ids),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_refused_fails_every_member),
		cmocka_unit_test(test_idle_close),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_close_with_members),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
