#include <stdlib.h>
#include "core/shard.h"

uint64_t shard_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

unsigned shard_of(const char *s, size_t len, unsigned n)
{
	return (unsigned)(shard_hash(s, len) % n);
}

static int number(const char *s, char **end, unsigned long max, unsigned *out)
{
	if (*s < '0' || *s > '9')
		return -1;
	unsigned long v = strtoul(s, end, 10);
	if (v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int shard_parse(const char *text, unsigned *k, unsigned *n)
{
	char *end;
	if (number(text, &end, 65535, k) < 0 || *end != '/' ||
	    number(end + 1, &end, 65536, n) < 0 || *end || *n == 0 || *k >= *n)
		return -1;
	return 0;
}
