/* Which share of a fleet's input a machine takes (fleet --shard K/N): a
 * stable hash of each line's text, so N machines given the same list,
 * in any order, together check every line exactly once. */
#ifndef DD_CORE_SHARD_H
#define DD_CORE_SHARD_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a, 64 bits, of the LEN bytes of S: a published function, so a
 * script can tell which shard a line went to. */
uint64_t shard_hash(const char *s, size_t len);

/* The shard (0 .. N-1) of the line S of LEN bytes. N > 0. */
unsigned shard_of(const char *s, size_t len, unsigned n);

/* Parses "K/N" (0 <= K < N <= 65536) into *K and *N. 0 or -1. */
int shard_parse(const char *text, unsigned *k, unsigned *n);

#endif
