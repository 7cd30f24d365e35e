/* The zone cuts many diagnoses on one engine share, so that fleet and
 * exporter ask the root once per TTL instead of once per domain.
 *
 * Only cuts the root delegates (the TLDs) are kept, learnt from the root's
 * referrals recorded in a diagnosis's evidence, and only when every name
 * server came with glue: a walk that starts at such a cut still asks the
 * TLD's servers about the domain, so the parent's referral is recorded as
 * in a walk from the root. Expiry is on the engine's clock (milliseconds),
 * passed in, so tests pin it. A diagnosis that uses the cache writes the
 * cuts it started from into its evidence (cached_cuts), which is what
 * `--replay` starts from again. */
#ifndef DD_PROBE_CUTCACHE_H
#define DD_PROBE_CUTCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "core/evidence.h"
#include "probe/hints.h"

struct cutcache_entry {
	char *zone;	     /* absolute, lower case ("com.") */
	struct hints srv;    /* (NS name, glue address) pairs */
	uint64_t expires_ms; /* engine clock: learnt + the least TTL */
};

struct cutcache {
	struct cutcache_entry *v;
	size_t n, cap;
};

/* An empty cache; free it with cutcache_free (NULL is fine). */
struct cutcache *cutcache_new(void);
void cutcache_free(struct cutcache *c);

/* Keeps copies of ZONE's servers SRV until EXPIRES_MS, replacing what was
 * held for ZONE. 0 or -ENOMEM. */
int cutcache_put(struct cutcache *c, const char *zone, const struct hints *srv,
		 uint64_t expires_ms);

/* The deepest cut still live at NOW_MS that NAME is in or at, or NULL.
 * Frees the expired entries it meets. */
const struct cutcache_entry *cutcache_lookup(struct cutcache *c,
					     const char *name, uint64_t now_ms);

/* Appends every cut live at NOW_MS to OUT as "ZONE NAME ADDR", one string
 * per server address (the evidence's cached_cuts). 0 or -ENOMEM. */
int cutcache_note(struct cutcache *c, uint64_t now_ms, struct ev_strings *out);

/* Learns the TLD cuts from the root's referrals in EV (walks and look-ups
 * asked of zone "."), each expiring LEARNT_MS plus the least TTL of its NS
 * and glue records. 0 or -ENOMEM. */
int cutcache_learn(struct cutcache *c, const struct evidence *ev,
		   uint64_t learnt_ms);

#endif
