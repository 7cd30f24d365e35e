/* Shared UDP sockets: a table of current sockets by address, an idle list,
 * and per socket the IDs it has carried. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "engine/clock.h"
#include "engine/udpsock.h"

#define BUCKETS	    1024 /* a power of two, above the default max_open */
#define IDS_FIRST   64	 /* slots of a socket's first ID table */
#define DGRAM_MAX   65536
#define UDP_ID_SIZE 2 /* the ID is a datagram's first two bytes */

/* The limits, and why:
 * - 256 queries a socket. A source port that stays the same for long
 *   gives an off-path forger who learns it only the 16-bit ID to guess;
 *   256 keeps the window short and still spreads the cost of socket,
 *   connect and close (what sharing saves) over 256 queries, well under
 *   1% of it left. It also keeps a socket's IDs few (at most 256 per
 *   UDP attempt, of 65,536), so a fresh ID is seldom drawn twice.
 * - 2 s idle. Longer than the gaps between the rounds of one diagnosis
 *   against a server (a round trip, a UDP attempt of 800 ms, wait's
 *   polls under a second apart), so a server in use keeps its socket;
 *   short enough that a process asking now and then (the exporter, every
 *   60 s) gets a new port each round, and that a socket is not held open
 *   long for a server nobody asks any more.
 * - 512 sockets shared. Each is a file descriptor: half of the usual
 *   soft limit of 1,024, the rest left to TCP, HTTP and TLS. At 8
 *   queries in flight per server (the engine's default cap) that is
 *   4,096 queries in flight before a query needs a socket of its own. */
void usock_limits_default(struct usock_limits *l)
{
	l->max_queries = 256;
	l->idle_ms = 2000;
	l->max_open = 512;
}

/* One ID a socket has carried; M is NULL once its query has left. */
struct id_slot {
	struct usock_member *m;
	uint16_t id;
	bool used;
};

struct usock {
	struct usock_pool *pool;
	uv_udp_t h;
	struct sockaddr_storage addr;
	struct usock *prev, *next;   /* the pool's open sockets */
	struct usock *hnext;	     /* bucket chain, while current */
	struct usock *iprev, *inext; /* the idle list, while idle */
	struct usock_member *members;
	unsigned carried; /* queries that joined */
	uint64_t idle_since;
	bool current; /* in the table: new queries join it */
	bool idle;
	bool closing;
	/* Open addressing, linear probing, never more than half full; IDs
	 * are drawn at random, so their low bits are the hash. */
	struct id_slot *slots;
	uint32_t cap, used;
};

struct usock_pool {
	uv_loop_t *loop;
	struct usock_limits lim;
	struct usock_cbs cbs;
	struct usock *open; /* every socket not closing */
	size_t n_open;
	struct usock *ihead, *itail; /* idle current sockets, oldest first */
	uv_timer_t idle_timer;
	struct usock *table[BUCKETS];
	uint8_t buf[DGRAM_MAX]; /* a read completes before the next */
};

/* ---- addresses ---- */

static const uint8_t *addr_bytes(const struct sockaddr_storage *a, size_t *len,
				 uint16_t *port)
{
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)a;

		*len = 16;
		*port = s6->sin6_port;
		return s6->sin6_addr.s6_addr;
	}
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)a;

	*len = 4;
	*port = s4->sin_port;
	return (const uint8_t *)&s4->sin_addr;
}

static bool addr_eq(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b)
{
	size_t la, lb;
	uint16_t pa, pb;
	const uint8_t *ba = addr_bytes(a, &la, &pa);
	const uint8_t *bb = addr_bytes(b, &lb, &pb);

	if (a->ss_family != b->ss_family || la != lb || pa != pb ||
	    memcmp(ba, bb, la) != 0)
		return false;
	return a->ss_family != AF_INET6 ||
	       ((const struct sockaddr_in6 *)a)->sin6_scope_id ==
		       ((const struct sockaddr_in6 *)b)->sin6_scope_id;
}

static size_t addr_bucket(const struct sockaddr_storage *a)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t len;
	uint16_t port;
	const uint8_t *b = addr_bytes(a, &len, &port);

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	h = (h ^ port) * UINT64_C(0x100000001b3);
	return (size_t)(h & (BUCKETS - 1));
}

/* The socket is connected, so the kernel checks the sender already;
 * checking again costs nothing. */
static bool from_server(const struct sockaddr *from,
			const struct sockaddr_storage *server)
{
	struct sockaddr_storage f;

	if (!from ||
	    (from->sa_family != AF_INET && from->sa_family != AF_INET6))
		return false;
	memset(&f, 0, sizeof(f));
	memcpy(&f, from,
	       from->sa_family == AF_INET ? sizeof(struct sockaddr_in)
					  : sizeof(struct sockaddr_in6));
	return addr_eq(&f, server);
}

/* ---- IDs ---- */

static struct id_slot *id_find(const struct usock *s, uint16_t id)
{
	uint32_t mask = s->cap - 1;

	if (!s->cap)
		return NULL;
	for (uint32_t i = id & mask;; i = (i + 1) & mask) {
		if (!s->slots[i].used)
			return NULL;
		if (s->slots[i].id == id)
			return &s->slots[i];
	}
}

static void id_put(struct id_slot *slots, uint32_t cap, const struct id_slot *e)
{
	uint32_t i = e->id & (cap - 1);

	while (slots[i].used)
		i = (i + 1) & (cap - 1);
	slots[i] = *e;
}

static int id_grow(struct usock *s)
{
	uint32_t cap = s->cap ? s->cap * 2 : IDS_FIRST;
	struct id_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->cap; i++)
		if (s->slots[i].used)
			id_put(slots, cap, &s->slots[i]);
	free(s->slots);
	s->slots = slots;
	s->cap = cap;
	return 0;
}

int usock_take_id(struct usock_member *m, uint16_t id)
{
	struct usock *s = m->sock;
	struct id_slot e = { .m = m, .id = id, .used = true };
	int ret;

	if (!s)
		return -EINVAL;
	if (id_find(s, id))
		return -EEXIST;
	if (m->n_ids >= USOCK_MAX_IDS)
		return -ENOSPC;
	if ((s->used + 1) * 2 > s->cap && (ret = id_grow(s)) < 0)
		return ret;
	id_put(s->slots, s->cap, &e);
	s->used++;
	m->ids[m->n_ids++] = id;
	return 0;
}

/* ---- the lists ---- */

static void table_remove(struct usock *s)
{
	struct usock **pp = &s->pool->table[addr_bucket(&s->addr)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == s) {
			*pp = s->hnext;
			break;
		}
	}
	s->hnext = NULL;
	s->current = false;
}

static struct usock *table_find(const struct usock_pool *p,
				const struct sockaddr_storage *addr)
{
	struct usock *s = p->table[addr_bucket(addr)];

	while (s && !addr_eq(&s->addr, addr))
		s = s->hnext;
	return s;
}

static void idle_remove(struct usock *s)
{
	struct usock_pool *p = s->pool;

	if (!s->idle)
		return;
	if (s->iprev)
		s->iprev->inext = s->inext;
	else
		p->ihead = s->inext;
	if (s->inext)
		s->inext->iprev = s->iprev;
	else
		p->itail = s->iprev;
	s->iprev = s->inext = NULL;
	s->idle = false;
}

static void on_idle(uv_timer_t *t);

static void idle_push(struct usock *s)
{
	struct usock_pool *p = s->pool;

	s->idle = true;
	s->idle_since = uv_now(p->loop);
	s->inext = NULL;
	s->iprev = p->itail;
	if (p->itail)
		p->itail->inext = s;
	else
		p->ihead = s;
	p->itail = s;
	if (!uv_is_active((uv_handle_t *)&p->idle_timer))
		uv_timer_start(&p->idle_timer, on_idle, p->lim.idle_ms, 0);
}

static bool idle_expired(const struct usock *s, uint64_t now)
{
	return s->idle &&
	       clk_elapsed(s->idle_since, now) >= s->pool->lim.idle_ms;
}

/* Drops M from its socket's member list and its IDs' owner; the IDs stay
 * taken. */
static void member_unlink(struct usock_member *m)
{
	struct usock *s = m->sock;

	for (int i = 0; i < m->n_ids; i++) {
		struct id_slot *e = id_find(s, m->ids[i]);

		if (e)
			e->m = NULL;
	}
	if (m->prev)
		m->prev->next = m->next;
	else
		s->members = m->next;
	if (m->next)
		m->next->prev = m->prev;
	m->prev = m->next = NULL;
	m->sock = NULL;
	m->n_ids = 0;
}

static void member_link(struct usock *s, struct usock_member *m)
{
	idle_remove(s);
	m->sock = s;
	m->n_ids = 0;
	m->prev = NULL;
	m->next = s->members;
	if (s->members)
		s->members->prev = m;
	s->members = m;
}

/* ---- a socket's life ---- */

static void on_closed(uv_handle_t *h)
{
	struct usock *s = h->data;

	free(s->slots);
	free(s);
}

/* Closes S now; members still on it are dropped without a callback. */
static void sock_close(struct usock *s)
{
	struct usock_pool *p = s->pool;

	if (s->closing)
		return;
	s->closing = true;
	while (s->members)
		member_unlink(s->members);
	if (s->current)
		table_remove(s);
	idle_remove(s);
	if (s->prev)
		s->prev->next = s->next;
	else
		p->open = s->next;
	if (s->next)
		s->next->prev = s->prev;
	p->n_open--;
	uv_close((uv_handle_t *)&s->h, on_closed);
}

/* New queries go to another socket; S closes once its members leave. */
static void sock_retire(struct usock *s)
{
	if (s->current)
		table_remove(s);
	idle_remove(s);
	if (!s->members)
		sock_close(s);
}

/* Every member gets ERR: they all asked the same address, and the
 * kernel reports an ICMP error once, to whichever call comes first. */
static void sock_fail(struct usock *s, int err)
{
	struct usock_member *m;

	if (s->current)
		table_remove(s);
	idle_remove(s);
	while ((m = s->members)) {
		member_unlink(m);
		s->pool->cbs.failed(m, err);
	}
	sock_close(s);
}

static void on_idle(uv_timer_t *t)
{
	struct usock_pool *p = t->data;
	uint64_t now = uv_now(p->loop);

	while (p->ihead && idle_expired(p->ihead, now))
		sock_close(p->ihead);
	if (p->ihead)
		uv_timer_start(t, on_idle,
			       p->lim.idle_ms -
				       clk_elapsed(p->ihead->idle_since, now),
			       0);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct usock *s = h->data;

	(void)hint;
	buf->base = (char *)s->pool->buf;
	buf->len = sizeof(s->pool->buf);
}

/* A datagram goes to the query holding its ID; one whose query has left
 * is dropped; any other is a stray for every query on the socket, since
 * none can be told to be the one it was meant for. */
static void dispatch(struct usock *s, const uint8_t *msg, size_t len,
		     bool partial)
{
	const struct usock_cbs *cbs = &s->pool->cbs;
	struct usock_member *m, *next;

	if (len >= UDP_ID_SIZE) {
		uint16_t id = (uint16_t)(msg[0] << 8 | msg[1]);
		struct id_slot *e = id_find(s, id);

		if (e) {
			if (e->m)
				cbs->answer(e->m, id, msg, len, partial);
			return;
		}
	}
	for (m = s->members; m; m = next) {
		next = m->next;
		cbs->stray(m);
	}
}

static void on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
		    const struct sockaddr *from, unsigned flags)
{
	struct usock *s = h->data;

	if (s->closing)
		return;
	if (nread < 0) {
		sock_fail(s, (int)nread);
		return;
	}
	/* nread 0 and no sender: nothing more to read now. */
	if (!from_server(from, &s->addr))
		return;
	dispatch(s, (const uint8_t *)buf->base, (size_t)nread,
		 flags & UV_UDP_PARTIAL);
}

static int sock_open(struct usock_pool *p, const struct sockaddr_storage *addr,
		     struct usock **out)
{
	struct usock *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	s->pool = p;
	memcpy(&s->addr, addr, sizeof(s->addr));
	ret = uv_udp_init_ex(p->loop, &s->h, addr->ss_family);
	if (ret < 0) {
		free(s);
		return ret;
	}
	s->h.data = s;
	/* Unbound, so connect binds a kernel-chosen random port. */
	ret = uv_udp_connect(&s->h, (const struct sockaddr *)addr);
	if (ret == 0)
		ret = uv_udp_recv_start(&s->h, on_alloc, on_recv);
	if (ret < 0) {
		s->closing = true;
		uv_close((uv_handle_t *)&s->h, on_closed);
		return ret;
	}
	s->next = p->open;
	if (p->open)
		p->open->prev = s;
	p->open = s;
	p->n_open++;
	*out = s;
	return 0;
}

/* A socket for ADDR that new queries can join: the current one, or a new
 * one in the table, or, with every shared socket busy, one of M's own. */
static int sock_for(struct usock_pool *p, const struct sockaddr_storage *addr,
		    struct usock **out)
{
	struct usock *s = table_find(p, addr);
	size_t b;
	int ret;

	if (s && idle_expired(s, uv_now(p->loop)))
		sock_close(s); /* the timer has not come round yet */
	else if (s)
		return *out = s, 0;
	if (p->n_open >= p->lim.max_open && p->ihead)
		sock_close(p->ihead);
	ret = sock_open(p, addr, &s);
	if (ret < 0)
		return ret;
	if (p->n_open <= p->lim.max_open) {
		b = addr_bucket(addr);
		s->hnext = p->table[b];
		p->table[b] = s;
		s->current = true;
	}
	*out = s;
	return 0;
}

int usock_join(struct usock_pool *p, const struct sockaddr_storage *addr,
	       struct usock_member *m)
{
	struct usock *s;
	int ret;

	if (m->sock)
		return -EINVAL;
	ret = sock_for(p, addr, &s);
	if (ret < 0)
		return ret;
	member_link(s, m);
	if (++s->carried >= p->lim.max_queries || !s->current)
		sock_retire(s);
	return 0;
}

void usock_leave(struct usock_member *m)
{
	struct usock *s = m->sock;

	if (!s)
		return;
	member_unlink(m);
	if (s->members)
		return;
	if (s->current)
		idle_push(s);
	else
		sock_close(s);
}

int usock_send(struct usock_member *m, const uint8_t *buf, size_t len)
{
	uv_buf_t b = uv_buf_init((char *)buf, (unsigned)len);
	int ret;

	if (!m->sock)
		return UV_EBADF;
	ret = uv_udp_try_send(&m->sock->h, &b, 1, NULL);
	if (ret >= 0 || ret == UV_EAGAIN || ret == UV_ENOBUFS)
		return 0;
	sock_fail(m->sock, ret);
	return ret;
}

/* ---- the pool ---- */

int usock_pool_new(uv_loop_t *loop, const struct usock_limits *limits,
		   const struct usock_cbs *cbs, struct usock_pool **out)
{
	struct usock_pool *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->loop = loop;
	p->lim = *limits;
	if (p->lim.max_queries < 1)
		p->lim.max_queries = 1;
	p->cbs = *cbs;
	uv_timer_init(loop, &p->idle_timer);
	p->idle_timer.data = p;
	/* Housekeeping: it never keeps the loop running. */
	uv_unref((uv_handle_t *)&p->idle_timer);
	*out = p;
	return 0;
}

void usock_pool_close(struct usock_pool *p)
{
	if (!p)
		return;
	while (p->open)
		sock_close(p->open);
	uv_close((uv_handle_t *)&p->idle_timer, NULL);
}

void usock_pool_free(struct usock_pool *p)
{
	free(p);
}

size_t usock_pool_open(const struct usock_pool *p)
{
	return p ? p->n_open : 0;
}
