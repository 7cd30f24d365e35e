/* Name-server behaviour resolvers trip on: a server that answers the
 * zone's SOA authoritatively but fails other questions about the apex a
 * resolver or a validator asks (NS when it re-checks a delegation, DNSKEY
 * when it validates, AAAA when it looks the name up: the behaviour
 * question of Zonemaster's Nameserver05). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/qstatus.h"
#include "core/wire.h"

/* How an answer to a question about the apex failed, or NULL when it did
 * not: an error rcode, or nothing usable at all. */
static const char *failure(const struct ev_exchange *x)
{
	if (x->status == QS_TIMEOUT || x->status == QS_MALFORMED)
		return qstatus_name(x->status);
	if (x->status != QS_OK)
		return NULL; /* unreachable: NS_UNREACHABLE's business */
	switch (wire_rcode(x->wire, x->wire_len)) {
	case LDNS_RCODE_REFUSED:
		return "REFUSED";
	case LDNS_RCODE_SERVFAIL:
		return "SERVFAIL";
	case LDNS_RCODE_NOTIMPL:
		return "NOTIMP";
	case LDNS_RCODE_FORMERR:
		return "FORMERR";
	default:
		return NULL;
	}
}

/* The in-scope server of V at ADDR whose SOA answer over UDP with EDNS,
 * the way the failing question was asked, was authoritative, or NULL: a
 * server that fails every UDP or EDNS question has a finding of its own
 * (NS_UNREACHABLE, NS_EDNS_INTOLERANT). */
static const struct view_server *answering(const struct view *v,
					   const char *server, const char *addr)
{
	const struct view_server *s = view_server_find(v, server);
	if (!s || !view_server_in_scope(s))
		return NULL;
	for (size_t j = 0; j < s->n_addrs; j++)
		if (strcmp(s->addrs[j].addr, addr) == 0 &&
		    s->addrs[j].soa_udp.asked &&
		    s->addrs[j].soa_udp.status == QS_OK &&
		    s->addrs[j].soa_udp.kind == RK_ANSWER)
			return s;
	return NULL;
}

int check_qtypes(const struct view *v, time_t now, struct findings *out)
{
	const struct evidence *ev = v->ev;
	struct strset seen;
	int rc = 0;

	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	strset_init(&seen);
	for (size_t i = 0; rc == 0 && i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		bool ns = x->role == EV_AUTH && x->qtype == LDNS_RR_TYPE_NS;
		bool key = x->role == EV_DNSSEC &&
			   x->qtype == LDNS_RR_TYPE_DNSKEY;
		bool aaaa = x->role == EV_BEHAVIOUR &&
			    x->qtype == LDNS_RR_TYPE_AAAA;
		const char *how;
		if ((!ns && !key && !aaaa) || strcmp(x->qname, v->zone) != 0 ||
		    strcmp(x->zone, v->zone) != 0 || !(how = failure(x)) ||
		    !answering(v, x->server, x->addr))
			continue;
		const char *type = ns ? "NS" : key ? "DNSKEY" : "AAAA";
		char key_seen[VIEW_NAME_MAX + 80];
		snprintf(key_seen, sizeof(key_seen), "%s %s %s", x->server,
			 x->addr, type);
		if (strset_has(&seen, key_seen))
			continue;
		if ((rc = strset_add(&seen, key_seen)) < 0)
			break;
		rc = findings_add(out, F_NS_QUERY_TYPE_FAILS,
				  json_pack("{s:s, s:s, s:s, s:s}", "server",
					    x->server, "address", x->addr,
					    "qtype", type, "answer", how),
				  NULL,
				  "%s (%s) answers the SOA of %s "
				  "authoritatively, but "
				  "%s to its %s question: resolvers that ask "
				  "it for "
				  "%s get no answer from this server.",
				  x->server, x->addr, v->zone, how, type,
				  ns	? "the zone's name servers"
				  : key ? "the zone's keys (every validating "
					  "resolver, "
					  "when the zone is signed)"
					: "the IPv6 address of the zone's name "
					  "(every resolver that looks it up, "
					  "as browsers and CAs do)");
	}
	strset_deinit(&seen);
	return rc;
}
