/* Pacing: token buckets that bound how fast the engine sends.
 *
 * fleet asks servers it does not run, thousands of domains at a time; the
 * in-flight cap (inflight.h) bounds how many questions wait on a server at
 * once, not how many it is sent per second, and a server that answers at
 * once (or refuses at once) would get them as fast as the loop turns. A
 * bucket holds up to BURST tokens and gains RATE a second; each datagram or
 * connection takes one. The arithmetic is pure integers with the time passed
 * in, so every case is unit-tested with pinned inputs: a token is 10^6
 * micro-tokens and a rate is given in thousandths of a query per second
 * (mqps), so one millisecond adds exactly MQPS micro-tokens. */
#ifndef DD_ENGINE_PACE_H
#define DD_ENGINE_PACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PACE_TOKEN UINT64_C(1000000) /* micro-tokens in one token */

struct pace {
	uint32_t mqps;	   /* rate, 1/1000 query per second; 0: no limit */
	uint32_t burst;	   /* tokens the bucket holds when full, >= 1 */
	uint64_t level;	   /* micro-tokens now */
	uint64_t stamp_ms; /* when LEVEL was last brought up to date */
};

/* The burst of a bucket of rate MQPS: a tenth of a second's worth, at least
 * one token. So in any window of T seconds a bucket lets through at most
 * rate * (T + 0.1) + 1 sends, close to the rate even over one second. */
uint32_t pace_burst_for(uint32_t mqps);

/* A full bucket at NOW_MS. BURST 0 means pace_burst_for(MQPS). */
void pace_init(struct pace *p, uint32_t mqps, uint32_t burst, uint64_t now_ms);

/* Milliseconds from NOW_MS until a token is there; 0 when one is (always
 * with no limit). Brings the bucket up to NOW_MS; a NOW_MS earlier than the
 * last one seen adds nothing. */
uint64_t pace_wait_ms(struct pace *p, uint64_t now_ms);

/* Takes a token if one is there at NOW_MS. */
bool pace_take(struct pace *p, uint64_t now_ms);

/* True when the bucket at NOW_MS is full: it then holds nothing a fresh
 * bucket would not, and can be dropped. */
bool pace_full(struct pace *p, uint64_t now_ms);

/* One bucket per server (address and port), made full when first seen.
 * Buckets that have filled up again are dropped as the table grows, so a
 * long run over many servers keeps only the ones recently asked. */
struct pace_table;

struct pace_table *pace_table_new(uint32_t mqps);
void pace_table_free(struct pace_table *t);
/* The bucket of ADDR (ALEN bytes, 4 or 16) and PORT, made if it is new;
 * NULL when out of memory. Valid until the next call. */
struct pace *pace_table_get(struct pace_table *t, const uint8_t *addr,
			    uint8_t alen, uint16_t port, uint64_t now_ms);
size_t pace_table_count(const struct pace_table *t);

#endif
