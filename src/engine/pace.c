/* Token buckets and the table of one bucket per server (pace.h). */
#include <stdlib.h>
#include <string.h>
#include "engine/clock.h"
#include "engine/pace.h"

#define PACE_SLOTS 1024 /* hash slots of the server table (power of two) */
#define PACE_KEEP  1024 /* servers kept before full buckets are swept */

uint32_t pace_burst_for(uint32_t mqps)
{
	uint32_t b = mqps / 10000; /* a tenth of a second, in whole tokens */

	return b ? b : 1;
}

void pace_init(struct pace *p, uint32_t mqps, uint32_t burst, uint64_t now_ms)
{
	p->mqps = mqps;
	p->burst = burst ? burst : pace_burst_for(mqps);
	p->level = (uint64_t)p->burst * PACE_TOKEN;
	p->stamp_ms = now_ms;
}

static void refill(struct pace *p, uint64_t now_ms)
{
	uint64_t cap = (uint64_t)p->burst * PACE_TOKEN;
	uint64_t dt = clk_elapsed(p->stamp_ms, now_ms);

	if (now_ms > p->stamp_ms)
		p->stamp_ms = now_ms;
	if (p->level >= cap)
		return;
	/* Past the time to fill up, the product could only overflow. */
	if (dt >= (cap - p->level) / p->mqps + 1)
		p->level = cap;
	else
		p->level += dt * p->mqps;
	if (p->level > cap)
		p->level = cap;
}

uint64_t pace_wait_ms(struct pace *p, uint64_t now_ms)
{
	if (p->mqps == 0)
		return 0;
	refill(p, now_ms);
	if (p->level >= PACE_TOKEN)
		return 0;
	/* Rounded up: at that time the token is whole. */
	return (PACE_TOKEN - p->level + p->mqps - 1) / p->mqps;
}

bool pace_take(struct pace *p, uint64_t now_ms)
{
	if (pace_wait_ms(p, now_ms) != 0)
		return false;
	if (p->mqps)
		p->level -= PACE_TOKEN;
	return true;
}

bool pace_full(struct pace *p, uint64_t now_ms)
{
	if (p->mqps == 0)
		return true;
	refill(p, now_ms);
	return p->level >= (uint64_t)p->burst * PACE_TOKEN;
}

struct pace_srv {
	uint8_t addr[16];
	uint8_t alen;
	uint16_t port;
	struct pace b;
	struct pace_srv *next;
};

struct pace_table {
	uint32_t mqps;
	size_t count, sweep_at;
	struct pace_srv *slot[PACE_SLOTS];
};

struct pace_table *pace_table_new(uint32_t mqps)
{
	struct pace_table *t = calloc(1, sizeof(*t));

	if (t) {
		t->mqps = mqps;
		t->sweep_at = PACE_KEEP;
	}
	return t;
}

void pace_table_free(struct pace_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < PACE_SLOTS; i++) {
		struct pace_srv *s = t->slot[i], *next;

		for (; s; s = next) {
			next = s->next;
			free(s);
		}
	}
	free(t);
}

static size_t slot_of(const uint8_t *addr, uint8_t alen, uint16_t port)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325); /* FNV-1a 64 */

	for (size_t i = 0; i < alen; i++)
		h = (h ^ addr[i]) * UINT64_C(0x100000001b3);
	h = (h ^ (port & 0xff)) * UINT64_C(0x100000001b3);
	h = (h ^ (port >> 8)) * UINT64_C(0x100000001b3);
	return (size_t)(h & (PACE_SLOTS - 1));
}

/* Drops the buckets that are full again: they would be made the same. */
static void sweep(struct pace_table *t, uint64_t now_ms)
{
	for (size_t i = 0; i < PACE_SLOTS; i++) {
		struct pace_srv **pp = &t->slot[i];

		while (*pp) {
			struct pace_srv *s = *pp;

			if (pace_full(&s->b, now_ms)) {
				*pp = s->next;
				free(s);
				t->count--;
			} else {
				pp = &s->next;
			}
		}
	}
	t->sweep_at = t->count * 2 > PACE_KEEP ? t->count * 2 : PACE_KEEP;
}

struct pace *pace_table_get(struct pace_table *t, const uint8_t *addr,
			    uint8_t alen, uint16_t port, uint64_t now_ms)
{
	struct pace_srv *s;
	size_t i = slot_of(addr, alen, port);

	if (alen > sizeof(s->addr))
		return NULL;
	for (s = t->slot[i]; s; s = s->next)
		if (s->alen == alen && s->port == port &&
		    memcmp(s->addr, addr, alen) == 0)
			return &s->b;
	if (t->count >= t->sweep_at)
		sweep(t, now_ms);
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	memcpy(s->addr, addr, alen);
	s->alen = alen;
	s->port = port;
	pace_init(&s->b, t->mqps, 0, now_ms);
	s->next = t->slot[i];
	t->slot[i] = s;
	t->count++;
	return &s->b;
}

size_t pace_table_count(const struct pace_table *t)
{
	return t ? t->count : 0;
}
