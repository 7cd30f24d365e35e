/* The delegation view: what the evidence says about one zone, derived by a
 * pure function so that `check` and `analyze` see the same thing.
 *
 * The zone diagnosed is the domain itself when a parent delegates it, or
 * the zone that holds it when the domain is an ordinary name inside a zone. */
#ifndef DD_CORE_VIEW_H
#define DD_CORE_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include "core/dnsmsg.h"
#include "core/evidence.h"
#include "core/strset.h"

#define VIEW_NAME_MAX 256

enum parent_state {
	PS_UNKNOWN = 0, /* no ancestor's server answered usefully */
	PS_DELEGATED,	/* a parent refers the zone to name servers */
	PS_NXDOMAIN,	/* the root or a TLD says the name does not exist */
};

enum resolve_state {
	RES_NONE = 0, /* never looked up */
	RES_OK,	      /* authoritative addresses found */
	RES_NXDOMAIN,
	RES_NODATA, /* the name exists without A or AAAA */
	RES_FAILED, /* no authoritative answer could be had */
};

/* One question (SOA or NS at the apex) at one address. */
struct view_probe {
	bool asked;
	int status; /* enum qstatus */
	int rcode;
	bool aa;
	enum resp_kind kind;
	bool has_serial;
	uint32_t serial;
	uint32_t rtt_ms;
	struct strset ns; /* NS names in an authoritative NS answer */
};

struct view_addr {
	char *addr;
	bool glue;     /* given as glue by the parent */
	bool resolved; /* an authoritative A/AAAA of the name */
	struct view_probe soa_udp, soa_tcp, ns_udp;
	struct view_probe soa_noedns; /* SOA over UDP without EDNS, asked only
				       * after FORMERR/NOTIMP to EDNS */
	struct view_probe soa_nodo;   /* SOA over UDP with EDNS, without DO
				       * (EV_BEHAVIOUR), when asked */
};

struct view_server {
	char *name;
	bool in_parent, in_zone, expected;
	bool in_bailiwick;  /* the name lies inside the zone itself */
	struct strset glue; /* the parent's glue addresses for the name */
	struct strset auth_addrs;
	enum resolve_state resolve;
	char *cname; /* alias target when the name is a CNAME */
	struct view_addr *addrs;
	size_t n_addrs;
};

struct view {
	const struct evidence *ev; /* what the view was derived from */
	char domain[VIEW_NAME_MAX];
	char zone[VIEW_NAME_MAX];
	char parent[VIEW_NAME_MAX]; /* "" when unknown */
	enum parent_state pstate;
	bool domain_inside_zone;   /* the domain is a name inside `zone` */
	bool domain_nxdomain;	   /* ... and `zone`'s servers answer NXDOMAIN
				    * for it: it has no records */
	char alias[VIEW_NAME_MAX]; /* ... or it is a CNAME to this; "" when
				    * not */
	bool cohosted; /* the parent's servers serve the zone too and
			* answer its NS instead of referring */
	struct strset parent_ns;
	struct strset parent_servers_nx; /* servers of the deepest zone asked
					  * that said NXDOMAIN */
	struct strset expect_ns;
	struct view_server *srv;
	size_t n_srv;
	size_t n_exchanges;
	struct view_rdap *rdap; /* the registry's view; NULL: RDAP off */
	struct region *region;	/* all the view's memory: one free */
};

/* Derives the view from EV. 0, or -ENOMEM (V is then deinitialised). */
int view_build(const struct evidence *ev, struct view *v);
void view_deinit(struct view *v);

/* The answer of exchange I of V's evidence, parsed when first asked for
 * and kept with the evidence (evidence_pkt): every scan over the evidence,
 * and every view built from it, asks for it again. NULL when the exchange
 * got no response, or its bytes are not a DNS message. */
const ldns_pkt *view_pkt(const struct view *v, size_t i);

/* Finds a server by name, or NULL. */
const struct view_server *view_server_find(const struct view *v,
					   const char *name);
/* The first probe of an address that got a response: SOA over UDP, else
 * SOA over TCP. NULL when neither did. An address that rejects EDNS
 * (view_addr_edns_intolerant) is judged by its answer without EDNS, as a
 * resolver that retries without EDNS would see it. */
const struct view_probe *view_addr_answer(const struct view_addr *a);
/* True when the address answered the SOA question with EDNS FORMERR or
 * NOTIMP, and without EDNS authoritatively. */
bool view_addr_edns_intolerant(const struct view_addr *a);
/* True when the address answered the SOA without DO authoritatively, but
 * with DO (the apex questions) no authoritative answer over UDP or TCP:
 * NS_DROPS_DO, which explains its silence to the other checks. */
bool view_addr_drops_do(const struct view_addr *a);
/* True when the address answered the SOA question authoritatively. */
bool view_addr_authoritative(const struct view_addr *a);
/* A server is in scope of consistency checks when the parent or the zone
 * names it; servers only named by --expect-ns are not. */
static inline bool view_server_in_scope(const struct view_server *s)
{
	return s->in_parent || s->in_zone;
}

/* Who delegates V's zone, for sentences: the parent zone, or for the root
 * the root hints it was reached by. */
static inline const char *view_delegator(const struct view *v)
{
	return v->parent[0] ? v->parent : "the root hints";
}

/* True when PICK holds for some address of S. */
bool view_server_any(const struct view_server *s,
		     bool (*pick)(const struct view_addr *));

/* Describes how an address answered, e.g. "REFUSED", "timeout",
 * "a referral", "no AA bit". Static storage. */
const char *view_probe_describe(const struct view_probe *p);

#endif
