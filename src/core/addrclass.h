/* Special-purpose addresses: whether an IPv4 or IPv6 address is one a
 * service that checks other people's domains must not connect to because
 * DNS said so (loopback, link-local, private, multicast, documentation,
 * reserved...). Pure; no I/O.
 *
 * The tables follow the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries (RFC 6890 and its successors), with these simplifications:
 *  - every block of the IPv4 registry whose "globally reachable" is false
 *    or N/A is special, and 192.0.0.0/24 as a whole (its two globally
 *    reachable /32s, 192.0.0.9 and .10, included);
 *  - 224.0.0.0/4 (multicast), 240.0.0.0/4 (reserved) and
 *    255.255.255.255 are special;
 *  - in IPv6, anything outside 2000::/3 (global unicast) is special, with
 *    a reason for the blocks the registry names (::, ::1, fc00::/7,
 *    fe80::/10, ff00::/8, 100::/64, 64:ff9b:1::/48, fec0::/10); the rest
 *    is "reserved";
 *  - an IPv6 address that carries an IPv4 address a router or the kernel
 *    will use (::ffff:0:0/96 IPv4-mapped, 64:ff9b::/96 NAT64, 2002::/16
 *    6to4) is judged by that IPv4 address;
 *  - 2001::/23 (IETF protocol assignments) is special but for the
 *    blocks the registry marks globally reachable (2001:1::1 to ::3,
 *    2001:3::/32, 2001:4:112::/48, 2001:20::/28, 2001:30::/28);
 *    2001:db8::/32, 3fff::/20 (documentation) and 5f00::/16 (SRv6 SIDs)
 *    are special. */
#ifndef DD_CORE_ADDRCLASS_H
#define DD_CORE_ADDRCLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct addr_class {
	/* Why the address is special ("loopback", "private (RFC 1918)",
	 * ...), static text; NULL when it is globally reachable. */
	const char *reason;
	/* The IPv6 form that carries the IPv4 address judged
	 * ("IPv4-mapped", "NAT64", "6to4"), or NULL. */
	const char *via;
};

/* Judges the 4 bytes of an IPv4 address (network order) into *OUT.
 * Returns true when it is special. */
bool addr_class_v4(const uint8_t a[4], struct addr_class *out);
/* The same for the 16 bytes of an IPv6 address. */
bool addr_class_v6(const uint8_t a[16], struct addr_class *out);
/* The same for SA (AF_INET or AF_INET6; any other family is special,
 * reason "not an Internet address"). */
bool addr_class_sockaddr(const struct sockaddr *sa, struct addr_class *out);
/* The same for numeric text: "192.0.2.1", "2001:db8::1", and the forms
 * dnsdoctor writes addresses in: "ADDR#PORT", "[V6]", "[V6]:PORT",
 * "V6%SCOPE". Text that is none of those is special, reason "not a
 * numeric address". */
bool addr_class_text(const char *text, struct addr_class *out);

/* "loopback", or with an embedded address "loopback, as IPv4-mapped
 * IPv6", into BUF; "" when C is not special. Returns BUF. */
const char *addr_class_describe(const struct addr_class *c, char *buf,
				size_t len);

#endif
