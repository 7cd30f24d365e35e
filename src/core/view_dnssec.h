/* The DNSSEC view: for every zone from the root to the zone diagnosed, the
 * DS set a validator starts from and what each server's keys and
 * signatures make of it at time NOW. Derived purely from evidence. */
#ifndef DD_CORE_VIEW_DNSSEC_H
#define DD_CORE_VIEW_DNSSEC_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "core/dnssec.h"
#include "core/evidence.h"
#include "core/view.h"

struct dsv_server {
	char *name, *addr;
	bool answered;	     /* DNSKEY question answered authoritatively */
	const char *failure; /* otherwise, why not ("timeout", "REFUSED") */
	ldns_rr_list *keys;  /* the DNSKEYs it serves */
	uint32_t keys_ttl;
	bool key_match;		   /* one of them matches the DS set */
	struct sig_result key_sig; /* DNSKEY RRset under the matching keys */
	/* For the zone diagnosed only: */
	bool soa_seen, ns_seen;
	struct sig_result soa_sig, ns_sig;
	bool denial_seen;
	enum denial_state denial;
	struct sig_result denial_sig;
};

struct dsv_zone {
	char name[VIEW_NAME_MAX];
	ldns_rr_list *ds; /* the DS set validators use for this zone */
	bool ds_anchor;	  /* the trust anchor (the root) */
	bool ds_what_if;  /* --ds, not published */
	int ds_answers;	  /* parent servers that answered the DS question */
	uint32_t ds_ttl;
	struct sig_result ds_sig; /* the DS RRset under the parent's keys */
	ldns_rr_list *keys; /* keys validated through the DS set, else all seen
			     */
	bool keys_valid;
	struct dsv_server *srv;
	size_t n_srv;
};

struct dsv_resolver {
	char *name, *addr;
	int status, status_cd; /* enum qstatus of the two questions */
	int rcode, rcode_cd;   /* -1 without an answer */
	bool ad;
	bool has_ede;
	uint16_t ede;
	char ede_text[512];
};

struct dnssec_view {
	struct dsv_zone *z; /* shallowest first; the last is the zone diagnosed
			     */
	size_t n;
	bool anchored; /* a trust anchor was given (or built in) */
	struct dsv_resolver *r;
	size_t n_r;
	int64_t warn_s;
	char denial_name[VIEW_NAME_MAX + 20];
};

/* EV is the evidence V was built from: its answers are read from V's
 * table (view_pkt). 0, or -ENOMEM (D is then deinitialised). */
int dnssec_view_build(const struct evidence *ev, const struct view *v,
		      time_t now, struct dnssec_view *d);
/* Only D's resolvers (D->r, D->n_r), in the order they were named: what a
 * report lists, without verifying the chain again. 0 or -ENOMEM. */
int dnssec_view_resolvers(const struct evidence *ev, const struct view *v,
			  struct dnssec_view *d);
void dnssec_view_deinit(struct dnssec_view *d);

/* The earliest expiration of the signatures over the zone's DNSKEY, SOA
 * and NS sets that verify at NOW, on any of its servers, into *OUT (Unix
 * time): what a monitor alerts on before RRSIG_EXPIRING_SOON. 1 found, 0
 * none (unsigned, or nothing verifies), -ENOMEM. */
int dnssec_earliest_expiration(const struct evidence *ev, const struct view *v,
			       time_t now, int64_t *out);

#endif
