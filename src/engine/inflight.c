/* The in-flight table: duplicate merging and per-server caps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "engine/inflight.h"

struct ifl_server {
	uint8_t addr[16];
	uint8_t addr_len;
	uint16_t port;
	unsigned active;
	size_t queued;
	struct ifl_entry *qhead, *qtail; /* FIFO of waiting entries */
	struct ifl_server *hnext;
};

struct inflight {
	struct ifl_entry **ebucket;
	struct ifl_server **sbucket;
	size_t nbucket; /* a power of two, for both tables */
	size_t count, max_entries;
	unsigned cap;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

#define FNV_SEED UINT64_C(0xcbf29ce484222325)

static uint64_t server_hash(const uint8_t *addr, uint8_t alen, uint16_t port)
{
	uint64_t h = fnv(FNV_SEED, addr, alen);

	return fnv(h, &port, sizeof(port));
}

uint64_t ifl_key_hash(const struct ifl_key *k)
{
	uint64_t h = server_hash(k->addr, k->addr_len, k->port);

	h = fnv(h, k->qname, k->qname_len);
	h = fnv(h, &k->qtype, sizeof(k->qtype));
	h = fnv(h, &k->qclass, sizeof(k->qclass));
	return fnv(h, &k->flags, sizeof(k->flags));
}

/* Field by field: the struct has padding that memcmp would read. */
bool ifl_key_eq(const struct ifl_key *a, const struct ifl_key *b)
{
	return a->addr_len == b->addr_len && a->port == b->port &&
	       memcmp(a->addr, b->addr, a->addr_len) == 0 &&
	       a->qname_len == b->qname_len &&
	       memcmp(a->qname, b->qname, a->qname_len) == 0 &&
	       a->qtype == b->qtype && a->qclass == b->qclass &&
	       a->flags == b->flags;
}

int ifl_key_init(struct ifl_key *k, const struct sockaddr *sa, socklen_t salen,
		 const char *qname, uint16_t qtype, uint16_t qclass,
		 unsigned flags)
{
	int n;

	memset(k, 0, sizeof(*k));
	if (!sa || !qname)
		return -EINVAL;
	if (sa->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		memcpy(k->addr, &s4->sin_addr, 4);
		k->addr_len = 4;
		k->port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6 &&
		   salen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		memcpy(k->addr, &s6->sin6_addr, 16);
		k->addr_len = 16;
		k->port = ntohs(s6->sin6_port);
	} else {
		return -EINVAL;
	}
	n = wire_name_from_text(k->qname, qname);
	if (n < 0)
		return n;
	wire_name_lower(k->qname, (size_t)n);
	k->qname_len = (uint16_t)n;
	k->qtype = qtype;
	k->qclass = qclass;
	k->flags = flags;
	return 0;
}

int inflight_new(struct inflight **out, size_t max_entries,
		 unsigned per_server_cap)
{
	struct inflight *t;
	size_t nb = 16;

	if (!out || max_entries == 0)
		return -EINVAL;
	while (nb < max_entries && nb < (1u << 16))
		nb <<= 1;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->ebucket = calloc(nb, sizeof(*t->ebucket));
	t->sbucket = calloc(nb, sizeof(*t->sbucket));
	if (!t->ebucket || !t->sbucket) {
		inflight_free(t);
		return -ENOMEM;
	}
	t->nbucket = nb;
	t->max_entries = max_entries;
	t->cap = per_server_cap;
	*out = t;
	return 0;
}

void ifl_entry_free(struct ifl_entry *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_w; i++)
		free(e->w[i].qname);
	free(e->w);
	free(e);
}

void inflight_free(struct inflight *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->ebucket && i < t->nbucket; i++) {
		struct ifl_entry *e = t->ebucket[i], *next;

		for (; e; e = next) {
			next = e->hnext;
			ifl_entry_free(e);
		}
	}
	for (size_t i = 0; t->sbucket && i < t->nbucket; i++) {
		struct ifl_server *s = t->sbucket[i], *next;

		for (; s; s = next) {
			next = s->hnext;
			free(s);
		}
	}
	free(t->ebucket);
	free(t->sbucket);
	free(t);
}

static struct ifl_server **server_slot(const struct inflight *t,
				       const struct ifl_key *k)
{
	uint64_t h = server_hash(k->addr, k->addr_len, k->port);
	struct ifl_server **pp = &t->sbucket[h & (t->nbucket - 1)];

	for (; *pp; pp = &(*pp)->hnext) {
		struct ifl_server *s = *pp;

		if (s->addr_len == k->addr_len && s->port == k->port &&
		    memcmp(s->addr, k->addr, k->addr_len) == 0)
			break;
	}
	return pp;
}

static struct ifl_server *server_get(struct inflight *t,
				     const struct ifl_key *k)
{
	struct ifl_server **pp = server_slot(t, k);
	struct ifl_server *s = *pp;

	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	memcpy(s->addr, k->addr, sizeof(s->addr));
	s->addr_len = k->addr_len;
	s->port = k->port;
	*pp = s;
	return s;
}

/* Drops a server record once nothing refers to it. */
static void server_put(struct inflight *t, struct ifl_server *s)
{
	struct ifl_key k;
	struct ifl_server **pp;

	if (s->active || s->queued)
		return;
	memcpy(k.addr, s->addr, sizeof(k.addr));
	k.addr_len = s->addr_len;
	k.port = s->port;
	pp = server_slot(t, &k);
	if (*pp == s)
		*pp = s->hnext;
	free(s);
}

static struct ifl_entry *entry_find(const struct inflight *t,
				    const struct ifl_key *k)
{
	struct ifl_entry *e = t->ebucket[ifl_key_hash(k) & (t->nbucket - 1)];

	for (; e; e = e->hnext)
		if (ifl_key_eq(&e->key, k))
			return e;
	return NULL;
}

static int add_waiter(struct ifl_entry *e, const struct eng_request *req,
		      eng_cb cb, void *arg)
{
	struct ifl_waiter *w;

	if (e->n_w == e->cap_w) {
		size_t cap = e->cap_w ? e->cap_w * 2 : 2;

		if (e->n_w >= IFL_MAX_WAITERS)
			return -ENOSPC;
		w = realloc(e->w, cap * sizeof(*w));
		if (!w)
			return -ENOMEM;
		e->w = w;
		e->cap_w = cap;
	}
	w = &e->w[e->n_w];
	w->qname = strdup(req->qname);
	if (!w->qname)
		return -ENOMEM;
	w->cb = cb;
	w->arg = arg;
	w->req = *req;
	w->req.qname = w->qname;
	e->n_w++;
	return 0;
}

/* At the tail; an urgent entry after the urgent ones already queued,
 * ahead of the rest. */
static void queue_push(struct ifl_server *s, struct ifl_entry *e)
{
	struct ifl_entry *after = e->urgent ? NULL : s->qtail;
	for (struct ifl_entry *q = s->qhead; e->urgent && q && q->urgent;
	     q = q->qnext)
		after = q;
	e->qnext = after ? after->qnext : s->qhead;
	if (after)
		after->qnext = e;
	else
		s->qhead = e;
	if (!e->qnext)
		s->qtail = e;
	s->queued++;
}

/* Links a fresh entry into the table and its server's accounting. */
static int entry_link(struct inflight *t, struct ifl_entry *e,
		      struct ifl_server *s)
{
	struct ifl_entry **b =
		&t->ebucket[ifl_key_hash(&e->key) & (t->nbucket - 1)];

	e->hnext = *b;
	*b = e;
	e->srv = s;
	e->linked = true;
	t->count++;
	if (t->cap == 0 || s->active < t->cap) {
		s->active++;
		e->active = true;
		return IFL_STARTED;
	}
	queue_push(s, e);
	return IFL_QUEUED;
}

int inflight_add(struct inflight *t, const struct ifl_key *key,
		 const struct eng_request *req, eng_cb cb, void *arg,
		 struct ifl_entry **out)
{
	struct ifl_entry *e = entry_find(t, key);
	struct ifl_server *s;
	int ret;

	if (e) {
		ret = add_waiter(e, req, cb, arg);
		if (ret < 0)
			return ret;
		*out = e;
		return IFL_MERGED;
	}
	if (t->count >= t->max_entries)
		return -ENOSPC;
	e = calloc(1, sizeof(*e));
	s = e ? server_get(t, key) : NULL;
	if (!s) {
		free(e);
		return -ENOMEM;
	}
	e->key = *key;
	e->urgent = (req->flags & ENG_F_URGENT) != 0;
	ret = add_waiter(e, req, cb, arg);
	if (ret < 0) {
		ifl_entry_free(e);
		server_put(t, s);
		return ret;
	}
	*out = e;
	return entry_link(t, e, s);
}

static void hash_unlink(struct inflight *t, struct ifl_entry *e)
{
	struct ifl_entry **pp =
		&t->ebucket[ifl_key_hash(&e->key) & (t->nbucket - 1)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == e) {
			*pp = e->hnext;
			return;
		}
	}
}

static void queue_unlink(struct ifl_server *s, struct ifl_entry *e)
{
	struct ifl_entry **pp = &s->qhead, *prev = NULL;

	for (; *pp; prev = *pp, pp = &(*pp)->qnext) {
		if (*pp == e) {
			*pp = e->qnext;
			if (s->qtail == e)
				s->qtail = prev;
			s->queued--;
			return;
		}
	}
}

static struct ifl_entry *queue_pop(struct ifl_server *s)
{
	struct ifl_entry *e = s->qhead;

	if (!e)
		return NULL;
	s->qhead = e->qnext;
	if (!s->qhead)
		s->qtail = NULL;
	s->queued--;
	e->qnext = NULL;
	return e;
}

struct ifl_entry *inflight_detach(struct inflight *t, struct ifl_entry *e)
{
	struct ifl_server *s;
	struct ifl_entry *next = NULL;

	if (!t || !e || !e->linked)
		return NULL;
	s = e->srv;
	hash_unlink(t, e);
	e->linked = false;
	e->srv = NULL;
	t->count--;
	if (!e->active) {
		queue_unlink(s, e);
		server_put(t, s);
		return NULL;
	}
	e->active = false;
	s->active--;
	next = queue_pop(s);
	if (next) {
		next->active = true;
		s->active++;
	}
	server_put(t, s);
	return next;
}

size_t inflight_count(const struct inflight *t)
{
	return t ? t->count : 0;
}

unsigned inflight_server_active(const struct inflight *t,
				const struct ifl_key *key)
{
	struct ifl_server *s = *server_slot(t, key);

	return s ? s->active : 0;
}

size_t inflight_server_queued(const struct inflight *t,
			      const struct ifl_key *key)
{
	struct ifl_server *s = *server_slot(t, key);

	return s ? s->queued : 0;
}
