/* Can the Internet reach the zone's name servers, and not all through one
 * network? Judged only in the public namespace — when every root server
 * the probe started from has a globally reachable address. A private
 * namespace (an internal root, the lab on loopback) has special-purpose
 * addresses and one-prefix server sets by design. Addresses are the
 * in-scope servers' (parent's glue, and A/AAAA from the zone's own
 * servers); glue that differs from the zone's is GLUE_MISMATCH's. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/addrclass.h"
#include "core/checks.h"

static bool public_namespace(const struct evidence *ev)
{
	for (size_t i = 0; i < ev->root_hints.n; i++) {
		const char *sp = strrchr(ev->root_hints.v[i], ' ');
		struct addr_class c;
		if (!sp || addr_class_text(sp + 1, &c))
			return false;
	}
	return ev->root_hints.n > 0;
}

int check_ns_special_address(const struct view *v, time_t now,
			     struct findings *out)
{
	(void)now;
	/* Refused ones are ADDRESS_REFUSED_PRIVATE's: not said twice. */
	if (v->pstate != PS_DELEGATED || v->ev->refuse_private ||
	    !public_namespace(v->ev))
		return 0;
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		if (!view_server_in_scope(s))
			continue;
		json_t *arr = NULL;
		struct strset text;
		strset_init(&text);
		int rc = 0;
		for (size_t j = 0; rc == 0 && j < s->n_addrs; j++) {
			struct addr_class c;
			char why[96], line[192];
			if (!addr_class_text(s->addrs[j].addr, &c))
				continue;
			addr_class_describe(&c, why, sizeof(why));
			snprintf(line, sizeof(line), "%s (%s)",
				 s->addrs[j].addr, why);
			if ((!arr && !(arr = json_array())) ||
			    (rc = strset_add(&text, line)) < 0) {
				rc = -ENOMEM;
				break;
			}
			json_array_append_new(arr,
					      json_pack("{s:s, s:s}", "address",
							s->addrs[j].addr,
							"reason", why));
		}
		char *t = rc == 0 && arr ? strset_join(&text, ", ") : NULL;
		if (rc == 0 && arr && !t)
			rc = -ENOMEM;
		if (t)
			rc = findings_add(out, F_NS_ADDRESS_SPECIAL_PURPOSE,
					  json_pack("{s:s, s:s, s:o}", "zone",
						    v->zone, "server", s->name,
						    "addresses", arr),
					  NULL,
					  "%s, a name server of %s, has an "
					  "address no "
					  "resolver on the Internet can reach: "
					  "%s.",
					  s->name, v->zone, t);
		else
			json_decref(arr);
		free(t);
		strset_deinit(&text);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The public addresses of the in-scope servers, by family; false when a
 * server's addresses are not all known (its look-up failed). */
static bool public_addrs(const struct view *v, struct strset *v4,
			 struct strset *v6, int *rc)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		if (!view_server_in_scope(s))
			continue;
		if (s->resolve == RES_FAILED)
			return false;
		for (size_t j = 0; *rc == 0 && j < s->n_addrs; j++) {
			struct addr_class c;
			const char *a = s->addrs[j].addr;
			if (addr_class_text(a, &c))
				continue;
			*rc = strset_add(strchr(a, ':') ? v6 : v4, a);
		}
	}
	return *rc == 0;
}

/* Whether every address of SET lies in one prefix of BITS (24 or 48);
 * the prefix, as text, into BUF. */
static bool one_prefix(const struct strset *set, int family, int bits,
		       char *buf, size_t len)
{
	uint8_t first[16], a[16];
	size_t bytes = (size_t)bits / 8;
	for (size_t i = 0; i < set->n; i++) {
		if (inet_pton(family, set->v[i], i ? a : first) != 1)
			return false;
		if (i && memcmp(a, first, bytes) != 0)
			return false;
	}
	memset(first + bytes, 0, sizeof(first) - bytes);
	char t[INET6_ADDRSTRLEN];
	if (!inet_ntop(family, first, t, sizeof(t)))
		return false;
	snprintf(buf, len, "%s/%d", t, bits);
	return true;
}

int check_ns_address_spread(const struct view *v, time_t now,
			    struct findings *out)
{
	(void)now;
	if (v->pstate != PS_DELEGATED || !public_namespace(v->ev))
		return 0;
	struct strset v4, v6;
	strset_init(&v4);
	strset_init(&v6);
	int rc = 0;
	if (!public_addrs(v, &v4, &v6, &rc) || v4.n + v6.n == 0)
		goto done;
	/* A family the set lacks: part of the Internet reaches none. */
	if (v4.n == 0 || v6.n == 0) {
		const char *missing = v4.n ? "IPv6" : "IPv4";
		rc = findings_add(out, F_NS_ADDRESS_FAMILY_MISSING,
				  json_pack("{s:s, s:s}", "zone", v->zone,
					    "missing", missing),
				  NULL,
				  "None of %s's name servers has an %s "
				  "address: %s",
				  v->zone, missing,
				  v4.n ? "resolvers on IPv6-only networks "
					 "reach the zone "
					 "only through a translator, if at all."
				       : "resolvers without IPv6 (most of "
					 "them, and some "
					 "CAs' validators) cannot reach the "
					 "zone at "
					 "all.");
	}
	struct {
		const struct strset *set;
		int family, bits;
	} fam[2] = { { &v4, AF_INET, 24 }, { &v6, AF_INET6, 48 } };
	for (int f = 0; rc == 0 && f < 2; f++) {
		char prefix[INET6_ADDRSTRLEN + 4];
		if (fam[f].set->n < 2 ||
		    !one_prefix(fam[f].set, fam[f].family, fam[f].bits, prefix,
				sizeof(prefix)))
			continue;
		char *list = join_names(fam[f].set);
		if (!list) {
			rc = -ENOMEM;
			break;
		}
		rc = findings_add(out, F_NS_PREFIX_NOT_DIVERSE,
				  json_pack("{s:s, s:s, s:o}", "zone", v->zone,
					    "prefix", prefix, "addresses",
					    json_strset(fam[f].set)),
				  NULL,
				  "Every %s address of %s's name servers (%s) "
				  "lies in "
				  "%s: one network, one route, one outage away "
				  "from "
				  "the zone going dark.",
				  fam[f].family == AF_INET ? "IPv4" : "IPv6",
				  v->zone, list, prefix);
		free(list);
	}
done:
	strset_deinit(&v4);
	strset_deinit(&v6);
	return rc;
}
