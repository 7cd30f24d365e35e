/* Answers shared by the diagnoses of one engine, kept for their TTL.
 *
 * Fleet and exporter run many diagnoses on one engine, and every one of
 * them asks the same questions about the zones above its own: the root's
 * DNSKEY at each root server, the DS of the TLD there, the TLD's DNSKEY at
 * each of its servers. The in-flight table merges such questions only while
 * one is in the air; this keeps the answer for the least TTL of its answer
 * section, as a resolver would, so the next diagnosis gets the same bytes
 * without asking. Only questions the caller marks ENG_F_SHARED take part,
 * and only a NOERROR answer with records in its answer section is kept: a
 * failure or an empty answer is asked again.
 *
 * A hit is delivered through an engine timer of 0 ms, so the callback never
 * runs inside submit, as eng_cb promises; its response says from_cache.
 * Expiry is on the engine's clock. */
#ifndef DD_ENGINE_ANSCACHE_H
#define DD_ENGINE_ANSCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "engine/engine.h"

struct anscache;

/* Gives E a cache of at most MAX_ENTRIES answers; engine_free frees it.
 * 0, -EINVAL (E already has one, or MAX_ENTRIES is 0) or -ENOMEM. */
int anscache_attach(struct engine *e, size_t max_entries);

/* eng_submit of a request with ENG_F_SHARED on an engine with a cache. */
int anscache_submit(struct engine *e, const struct eng_request *r, eng_cb cb,
		    void *arg);

/* The least TTL of the records in the answer section of MSG (LEN bytes),
 * in seconds; -1 when the message is not a NOERROR answer with at least one
 * record there, or cannot be read. */
int64_t anscache_answer_ttl(const uint8_t *msg, size_t len);

/* Called by engine_free once the engine's implementation is freed (which
 * drops pending callbacks): frees the cache and what was waiting on it. */
void anscache_free(struct anscache *c);

#endif
