/* Special-purpose addresses, by table (core/addrclass.h says which). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "core/addrclass.h"

struct block {
	uint8_t net[16];
	int bits;
	const char *reason; /* NULL: globally reachable (an exception) */
};

static const char PRIVATE[] = "private (RFC 1918)";
static const char DOC[] = "documentation";
static const char RESERVED[] = "reserved";

/* IPv4 Special-Purpose Address Registry, most specific first. */
static const struct block v4[] = {
	{ { 0 }, 8, "\"this network\"" },
	{ { 10 }, 8, PRIVATE },
	{ { 100, 64 }, 10, "shared address space (CGNAT, RFC 6598)" },
	{ { 127 }, 8, "loopback" },
	{ { 169, 254 }, 16, "link-local" },
	{ { 172, 16 }, 12, PRIVATE },
	{ { 192, 0, 0 }, 24, "IETF protocol assignment" },
	{ { 192, 0, 2 }, 24, DOC },
	{ { 192, 88, 99 }, 24, "6to4 relay anycast (deprecated)" },
	{ { 192, 168 }, 16, PRIVATE },
	{ { 198, 18 }, 15, "benchmarking" },
	{ { 198, 51, 100 }, 24, DOC },
	{ { 203, 0, 113 }, 24, DOC },
	{ { 224 }, 4, "multicast" },
	{ { 255, 255, 255, 255 }, 32, "limited broadcast" },
	{ { 240 }, 4, RESERVED },
};

/* IPv6: the exceptions inside 2001::/23 first, then the special blocks;
 * the embedding prefixes are handled before the table. */
static const struct block v6[] = {
	{ { 0x20, 0x01, 0, 0x01, [15] = 1 }, 128, NULL },  /* PCP anycast */
	{ { 0x20, 0x01, 0, 0x01, [15] = 2 }, 128, NULL },  /* TURN anycast */
	{ { 0x20, 0x01, 0, 0x01, [15] = 3 }, 128, NULL },  /* DNS-SD SRP */
	{ { 0x20, 0x01, 0, 0x03 }, 32, NULL },		   /* AMT */
	{ { 0x20, 0x01, 0, 0x04, 0x01, 0x12 }, 48, NULL }, /* AS112-v6 */
	{ { 0x20, 0x01, 0, 0x20 }, 28, NULL },		   /* ORCHIDv2 */
	{ { 0x20, 0x01, 0, 0x30 }, 28, NULL },		   /* drone DETs */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, DOC },
	{ { 0x20, 0x01 }, 23, "IETF protocol assignment" },
	{ { 0x3f, 0xff }, 20, DOC },
	{ { 0x5f, 0x00 }, 16, "segment routing (SRv6 SID)" },
	{ { 0 }, 128, "unspecified" },
	{ { [15] = 1 }, 128, "loopback" },
	{ { 0, 0x64, 0xff, 0x9b, 0, 0x01 }, 48, "NAT64 (local use)" },
	{ { 0x01 }, 64, "discard-only" },
	{ { 0xfc }, 7, "unique local (ULA)" },
	{ { 0xfe, 0x80 }, 10, "link-local" },
	{ { 0xfe, 0xc0 }, 10, "site-local (deprecated)" },
	{ { 0xff }, 8, "multicast" },
	{ { 0x20 }, 3, NULL }, /* global unicast: the rest is reserved */
};

static bool in_block(const uint8_t *a, const struct block *b)
{
	int full = b->bits / 8, rest = b->bits % 8;
	if (memcmp(a, b->net, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (b->net[full] & mask);
}

static const struct block *find(const uint8_t *a, const struct block *t,
				size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (in_block(a, &t[i]))
			return &t[i];
	return NULL;
}

bool addr_class_v4(const uint8_t a[4], struct addr_class *out)
{
	const struct block *b = find(a, v4, sizeof(v4) / sizeof(v4[0]));
	*out = (struct addr_class){ .reason = b ? b->reason : NULL };
	return out->reason != NULL;
}

static bool embedded(const uint8_t *v4addr, const char *via,
		     struct addr_class *out)
{
	addr_class_v4(v4addr, out);
	out->via = out->reason ? via : NULL;
	return out->reason != NULL;
}

bool addr_class_v6(const uint8_t a[16], struct addr_class *out)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t nat64[12] = { 0, 0x64, 0xff, 0x9b };
	if (memcmp(a, mapped, sizeof(mapped)) == 0)
		return embedded(a + 12, "IPv4-mapped", out);
	if (memcmp(a, nat64, sizeof(nat64)) == 0)
		return embedded(a + 12, "NAT64", out);
	if (a[0] == 0x20 && a[1] == 0x02)
		return embedded(a + 2, "6to4", out);
	const struct block *b = find(a, v6, sizeof(v6) / sizeof(v6[0]));
	*out = (struct addr_class){ .reason = b ? b->reason : RESERVED };
	return out->reason != NULL;
}

bool addr_class_sockaddr(const struct sockaddr *sa, struct addr_class *out)
{
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in in;
		memcpy(&in, sa, sizeof(in));
		return addr_class_v4((const uint8_t *)&in.sin_addr, out);
	}
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 in6;
		memcpy(&in6, sa, sizeof(in6));
		return addr_class_v6(in6.sin6_addr.s6_addr, out);
	}
	*out = (struct addr_class){ .reason = "not an Internet address" };
	return true;
}

bool addr_class_text(const char *text, struct addr_class *out)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *s = text;
	size_t n;
	uint8_t a[16];

	*out = (struct addr_class){ .reason = "not a numeric address" };
	if (!s)
		return true;
	if (*s == '[') {
		s++;
		n = strcspn(s, "]");
		if (s[n] != ']')
			return true;
	} else {
		n = strcspn(s, "#%");
		/* "1.2.3.4:53": an IPv4 address with a port. */
		const char *colon = memchr(s, ':', n);
		if (colon && memchr(s, '.', n) &&
		    !memchr(colon + 1, ':', n - (size_t)(colon + 1 - s)))
			n = (size_t)(colon - s);
	}
	if (n == 0 || n >= sizeof(buf))
		return true;
	memcpy(buf, s, n);
	buf[n] = '\0';
	/* A zone index ("fe80::1%eth0") names a link: the address decides. */
	buf[strcspn(buf, "%")] = '\0';
	if (inet_pton(AF_INET, buf, a) == 1)
		return addr_class_v4(a, out);
	if (inet_pton(AF_INET6, buf, a) == 1)
		return addr_class_v6(a, out);
	return true;
}

const char *addr_class_describe(const struct addr_class *c, char *buf,
				size_t len)
{
	if (!c->reason)
		snprintf(buf, len, "%s", "");
	else if (c->via)
		snprintf(buf, len, "%s, as %s IPv6", c->reason, c->via);
	else
		snprintf(buf, len, "%s", c->reason);
	return buf;
}
