/* The record view: one record (name, type) as every authoritative server
 * and every resolver serves it, derived from evidence by a pure function
 * (EV_RECORD and EV_RECORD_RESOLVER exchanges) so that `propagation`,
 * `wait`, `plan` and `analyze` see the same thing. */
#ifndef DD_CORE_VIEW_RECORD_H
#define DD_CORE_VIEW_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "core/evidence.h"
#include "core/finding.h"
#include "core/strset.h"

/* The zone tag of the EV_RECORD_RESOLVER exchanges of the local resolver
 * (the system resolver, or the first of --resolvers): SPLIT_HORIZON is
 * about that one. */
#define RV_LOCAL_TAG "local"

/* HIGH_TTL fires above this: an hour, the longest wait an ACME client or
 * an operator changing an address should have to sit out. */
#define RV_HIGH_TTL 3600

enum rv_kind { RV_AUTH = 0, RV_RESOLVER };

enum rv_status {
	RVS_DATA = 0, /* the record's data (after any CNAME chain) */
	RVS_NXDOMAIN,
	RVS_NODATA,
	RVS_ALIAS,   /* an authoritative CNAME to a name outside the zone */
	RVS_RCODE,   /* REFUSED, SERVFAIL, ... */
	RVS_NOTAUTH, /* an authoritative server's answer without AA */
	RVS_FAILED,  /* no usable response (timeout, unreachable, garbage) */
};

struct rv_row {
	int kind;	  /* enum rv_kind */
	const char *zone; /* borrowed from the evidence */
	const char *server;
	const char *addr;
	const char *qname;
	int status;  /* enum rv_status */
	int qstatus; /* enum qstatus */
	int rcode;
	bool aa;
	bool local;	      /* the local resolver */
	struct strset values; /* presentation of each record's data */
	char target[256];     /* RVS_ALIAS: where the alias leads */
	int64_t ttl;	      /* smallest TTL of the data; -1 without data */
	int64_t neg_ttl;      /* min(SOA TTL, SOA MINIMUM) of a negative
			       * answer (RFC 2308 section 5); -1 without SOA */
	uint32_t rtt_ms;
};

struct rv_view {
	const struct evidence *ev;
	const char *name; /* the record's owner */
	uint16_t type;
	const char *expect; /* NULL: the authoritative consensus */
	/* More --expect values: a row is current when it serves them all. */
	const struct ev_strings *expect_more;
	struct rv_row *rows; /* authoritative rows first, then resolvers */
	size_t n;
	/* Derived: what the authoritative servers agree on. */
	bool auth_agree;      /* every final authoritative row gives the same
			       * answer, and at least one answered */
	bool auth_has_data;   /* some final authoritative row has data */
	bool auth_all_expect; /* with --expect: every final authoritative
			       * row serves it */
	const struct rv_row *reference; /* the answer resolvers should give:
					 * an authoritative row with data
					 * (serving --expect when given);
					 * NULL when there is none */
	int64_t auth_ttl_max; /* largest TTL of the data at the servers */
	int64_t auth_neg_max; /* largest negative TTL at the servers */
	/* NS of a zone's apex or DS, read from the parent's servers: the
	 * delegation, which the registry publishes and resolvers cache
	 * (issue 15). */
	bool delegation;
	const char *parent_zone; /* with DELEGATION: the zone asked */
};

/* Derives the view from EV (EV->record_name, record_type, record_expect).
 * 0, -EINVAL when EV names no record, or -ENOMEM (V deinitialised). */
int rv_build(const struct evidence *ev, struct rv_view *v);
void rv_deinit(struct rv_view *v);

/* A row that holds the answer itself, not an alias to another zone. */
static inline bool rv_row_final(const struct rv_row *r)
{
	return r->status != RVS_ALIAS;
}
/* True when row R gives the answer the view expects: --expect among its
 * values, or else the same values as the reference. */
bool rv_row_current(const struct rv_view *v, const struct rv_row *r);
/* True when VALUE (presentation) is EXPECT as a user types it: TXT with or
 * without quotes, names with or without the final dot, any case. */
bool rv_value_matches(uint16_t type, const char *value, const char *expect);
/* Every --expect value, "A, B", into BUF ("" without --expect). */
void rv_expect_text(const struct rv_view *v, char *buf, size_t len);
/* "127.0.0.1", "NXDOMAIN", "CNAME to x.", "timeout", ... (static or V's
 * storage; valid until the next call). */
const char *rv_row_describe(const struct rv_row *r, char *buf, size_t len);
/* Seconds a resolver row keeps its answer at time NOW (the evidence was
 * gathered at EV->started): positive TTL for data, negative TTL for a
 * denial; -1 when unknown. */
int64_t rv_row_seconds_left(const struct rv_view *v, const struct rv_row *r,
			    time_t now);
/* True when the local resolver row R answers from data of its own. */
bool rv_row_split(const struct rv_view *v, const struct rv_row *r);

/* Seconds from NOW until the expected answer is visible at every server
 * and resolver if nothing changes; -1 when it never will (a server lacks
 * it, a resolver fails or answers from its own data). */
int64_t rv_eta(const struct rv_view *v, time_t now);
/* The two halves of rv_eta. A fresh resolver (the CA's) asks the servers:
 * 0 when every authoritative row serves the expected answer, -1 when some
 * do not yet (for a delegation: until the registry publishes it on every
 * server of the parent). */
int64_t rv_auth_eta(const struct rv_view *v);
/* Seconds from NOW until every listed resolver that holds another answer
 * lets its copy expire (0: all current or none listed); -1 when one never
 * will on its own (it fails, or answers from data of its own). */
int64_t rv_resolvers_eta(const struct rv_view *v, time_t now);

/* checks_propagation.c: every propagation check, findings sorted.
 * 0 or -ENOMEM. */
/* RESOLVER_UNREACHABLE for the resolvers of V that never answered
 * (checks_resolvers.c). */
int rv_check_resolvers(const struct rv_view *v, time_t now,
		       struct findings *out);
int propagation_checks_run(const struct rv_view *v, time_t now,
			   struct findings *out);

#endif
