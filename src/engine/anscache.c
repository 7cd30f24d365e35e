/* Answers shared by the diagnoses of one engine (anscache.h).
 *
 * A hash table of answers keyed as the in-flight table keys questions, and
 * a list of the submissions still waiting on it (a miss in the air, a hit
 * waiting for its timer): engine_free drops their callbacks, so the cache
 * frees them. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "core/qstatus.h"
#include "core/wire.h"
#include "engine/anscache.h"
#include "engine/inflight.h"

struct ac_entry {
	struct ifl_key key;
	uint8_t *wire;
	size_t len;
	int transport;
	uint32_t rtt_ms;
	uint64_t expires_ms; /* engine clock */
	struct ac_entry *hnext;
};

struct ac_wait {
	struct anscache *c;
	struct ac_wait *prev, *next;
	eng_cb cb;
	void *arg;
	struct ifl_key key;	  /* a miss: where its answer goes */
	struct eng_request req;	  /* a hit: the request as submitted */
	char *qname;		  /* a hit: req.qname, owned */
	struct eng_response resp; /* a hit: what it is told */
	uint8_t *wire;		  /* a hit: a copy; the entry may go first */
};

struct anscache {
	struct engine *eng;
	struct ac_entry **bucket;
	size_t nbucket, count, max;
	struct ac_wait *waits;
};

int64_t anscache_answer_ttl(const uint8_t *msg, size_t len)
{
	struct wire_ctx c;
	uint8_t name[WIRE_NAME_MAX];
	int64_t least = -1;

	if (len < WIRE_HDR_LEN || wire_rcode(msg, len) != 0)
		return -1;
	wire_ctx_init(&c, msg, len);
	wire_skip(&c, 4);
	uint16_t qd = wire_read_u16(&c), an = wire_read_u16(&c);
	wire_skip(&c, 4);
	for (uint16_t i = 0; i < qd && !c.error; i++) {
		if (wire_read_name(&c, name) < 0)
			return -1;
		wire_skip(&c, 4);
	}
	for (uint16_t i = 0; i < an && !c.error; i++) {
		if (wire_read_name(&c, name) < 0)
			return -1;
		wire_skip(&c, 4); /* type, class */
		uint32_t ttl = wire_read_u32(&c);
		wire_skip(&c, wire_read_u16(&c));
		/* RFC 2181, 8: a TTL with the top bit set counts as 0. */
		int64_t t = ttl & 0x80000000u ? 0 : (int64_t)ttl;
		if (least < 0 || t < least)
			least = t;
	}
	return c.error ? -1 : least;
}

static struct ac_entry **slot_of(struct anscache *c, const struct ifl_key *k)
{
	struct ac_entry **pp = &c->bucket[ifl_key_hash(k) & (c->nbucket - 1)];
	while (*pp && !ifl_key_eq(&(*pp)->key, k))
		pp = &(*pp)->hnext;
	return pp;
}

static void entry_unlink_free(struct anscache *c, struct ac_entry **pp)
{
	struct ac_entry *x = *pp;
	*pp = x->hnext;
	free(x->wire);
	free(x);
	c->count--;
}

/* Room for one more: what has expired goes first; a cache full of live
 * answers keeps them and lets the newcomer be asked again next time. */
static bool make_room(struct anscache *c, uint64_t now)
{
	for (size_t b = 0; c->count >= c->max && b < c->nbucket; b++)
		for (struct ac_entry **pp = &c->bucket[b]; *pp;)
			if ((*pp)->expires_ms <= now)
				entry_unlink_free(c, pp);
			else
				pp = &(*pp)->hnext;
	return c->count < c->max;
}

static void keep(struct anscache *c, const struct ifl_key *k,
		 const struct eng_response *resp, uint64_t now)
{
	int64_t ttl = anscache_answer_ttl(resp->wire, resp->len);
	if (resp->status != QS_OK || ttl <= 0)
		return;
	uint8_t *wire = malloc(resp->len);
	if (!wire)
		return; /* a cache that cannot keep an answer asks again */
	memcpy(wire, resp->wire, resp->len);
	struct ac_entry **pp = slot_of(c, k), *x = *pp;
	if (!x) {
		if (!make_room(c, now) || !(x = calloc(1, sizeof(*x)))) {
			free(wire);
			return;
		}
		x->key = *k;
		/* make_room may have emptied the chain PP was in. */
		pp = slot_of(c, k);
		*pp = x;
		c->count++;
	}
	free(x->wire);
	x->wire = wire;
	x->len = resp->len;
	x->transport = resp->transport;
	x->rtt_ms = resp->rtt_ms;
	x->expires_ms = now + (uint64_t)ttl * 1000;
}

static struct ac_wait *wait_new(struct anscache *c, eng_cb cb, void *arg)
{
	struct ac_wait *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->c = c;
	w->cb = cb;
	w->arg = arg;
	w->next = c->waits;
	if (c->waits)
		c->waits->prev = w;
	c->waits = w;
	return w;
}

static void wait_free(struct ac_wait *w)
{
	struct anscache *c = w->c;
	if (w->prev)
		w->prev->next = w->next;
	else
		c->waits = w->next;
	if (w->next)
		w->next->prev = w->prev;
	free(w->qname);
	free(w->wire);
	free(w);
}

static void miss_done(void *arg, const struct eng_request *req,
		      const struct eng_response *resp)
{
	struct ac_wait *w = arg;
	struct engine *e = w->c->eng;
	keep(w->c, &w->key, resp, e->ops->now_ms(e->impl));
	w->cb(w->arg, req, resp);
	wait_free(w);
}

static void hit_fire(void *arg)
{
	struct ac_wait *w = arg;
	w->cb(w->arg, &w->req, &w->resp);
	wait_free(w);
}

static int hit(struct anscache *c, const struct ac_entry *x,
	       const struct eng_request *r, eng_cb cb, void *arg)
{
	struct ac_wait *w = wait_new(c, cb, arg);
	if (!w)
		return -ENOMEM;
	w->req = *r;
	w->req.flags &= ~(unsigned)ENG_F_SHARED;
	w->qname = strdup(r->qname);
	w->wire = malloc(x->len);
	if (!w->qname || !w->wire) {
		wait_free(w);
		return -ENOMEM;
	}
	w->req.qname = w->qname;
	memcpy(w->wire, x->wire, x->len);
	w->resp = (struct eng_response){ .status = QS_OK,
					 .transport = x->transport,
					 .wire = w->wire,
					 .len = x->len,
					 .rtt_ms = x->rtt_ms,
					 .from_cache = true };
	int rc = eng_timer(c->eng, 0, hit_fire, w);
	if (rc < 0)
		wait_free(w);
	return rc;
}

int anscache_submit(struct engine *e, const struct eng_request *r, eng_cb cb,
		    void *arg)
{
	struct anscache *c = e->answers;
	struct eng_request plain = *r;
	struct ifl_key k;

	plain.flags &= ~(unsigned)ENG_F_SHARED;
	if (ifl_key_init(&k, (const struct sockaddr *)&r->addr, r->addrlen,
			 r->qname, r->qtype, r->qclass ? r->qclass : 1,
			 plain.flags) < 0)
		return -EINVAL;
	struct ac_entry **pp = slot_of(c, &k);
	if (*pp && (*pp)->expires_ms > e->ops->now_ms(e->impl))
		return hit(c, *pp, r, cb, arg);
	if (*pp)
		entry_unlink_free(c, pp);
	struct ac_wait *w = wait_new(c, cb, arg);
	if (!w)
		return -ENOMEM;
	w->key = k;
	int rc = e->ops->submit(e->impl, &plain, miss_done, w);
	if (rc < 0)
		wait_free(w);
	return rc;
}

int anscache_attach(struct engine *e, size_t max_entries)
{
	struct anscache *c;
	size_t nb = 16;

	if (e->answers || max_entries == 0)
		return -EINVAL;
	while (nb < max_entries && nb < ((size_t)1 << 20))
		nb <<= 1;
	if (!(c = calloc(1, sizeof(*c))) ||
	    !(c->bucket = calloc(nb, sizeof(*c->bucket)))) {
		free(c);
		return -ENOMEM;
	}
	c->eng = e;
	c->nbucket = nb;
	c->max = max_entries;
	e->answers = c;
	return 0;
}

void anscache_free(struct anscache *c)
{
	if (!c)
		return;
	while (c->waits)
		wait_free(c->waits);
	for (size_t b = 0; b < c->nbucket; b++)
		while (c->bucket[b])
			entry_unlink_free(c, &c->bucket[b]);
	free(c->bucket);
	free(c);
}
