/* The probe decides what to ask and records every answer as evidence. It
 * draws no conclusions: where it needs to know what the evidence says so
 * far (which zone, which servers), it builds the same view the checks use. */
#ifndef DD_PROBE_PROBE_H
#define DD_PROBE_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include "core/evidence.h"
#include "core/strset.h"
#include "core/view_record.h"
#include "engine/engine.h"
#include "probe/hints.h"

/* With EV->refuse_private, whether ADDR, an address of NAME learnt from
 * DNS, is special-purpose (core/addrclass.h) and so must not be contacted
 * for USE (enum ev_use); each one refused is recorded in EV (ZONE: for
 * EV_USE_DNS, the zone NAME serves; may be NULL). ALLOWED (may be NULL)
 * holds the addresses the operator named (root hints, resolvers): never
 * refused. Sets *NOMEM when the record could not be kept (the address is
 * refused all the same). */
bool probe_refuses(struct evidence *ev, const struct strset *allowed, int use,
		   const char *zone, const char *name, const char *addr,
		   int *nomem);

struct rdap_config;

struct probe_config {
	const struct hints *roots;
	const struct hints *resolvers;	/* NULL: no resolver view */
	int family;			/* 0 both, 4 IPv4 only, 6 IPv6 only */
	const struct rdap_config *rdap; /* NULL: no RDAP (probe_rdap.h) */
	/* probe_check asks every address of the zone's servers the apex
	 * SOA without DO (EV_BEHAVIOUR) with the apex questions; with
	 * BEHAVIOUR, an address that answers it is also asked the other
	 * name-server behaviour questions. Off for fleet: six more
	 * questions per address, about the servers rather than the
	 * domain. */
	bool behaviour;
	/* The DNS-01 denial question (probe_dnssec_ask) only once a server
	 * of the zone has answered DNSKEY with keys: an unsigned zone (most
	 * are) is spared one question per address, a signed one waits one
	 * more round trip for it. Fleet's choice: throughput over latency. */
	bool denial_when_signed;
};

/* Gathers what `check` needs into EV: the walk from the roots to the zone
 * of EV->domain, the addresses of every name server named by the parent,
 * by the zone or by EV->expect_ns, and SOA and NS from each address over
 * UDP, SOA over TCP; DNSKEY and DS of every zone on the path and a denial
 * proof; with CFG->resolvers, the zone's SOA from each resolver with and
 * without CD; and, when EV->validation asks for it (--acme, --acm), what a
 * CA's validator asks; with CFG->rdap, the registry's RDAP record, fetched
 * while the DNS questions are asked. Every question goes out as soon as
 * what it depends on is known. Returns 0; -EHOSTUNREACH when no root server
 * answered; -ENOMEM. */
int probe_check(struct engine *eng, const struct probe_config *cfg,
		struct evidence *ev);

/* The walk for `trace`: every server at every level, waiting for all of
 * them, down to and including the servers of the zone that answers QTYPE
 * for EV->domain. Same returns as probe_check. */
int probe_trace(struct engine *eng, const struct probe_config *cfg,
		uint16_t qtype, struct evidence *ev);

/* For `propagation`, `wait` and `plan`: the walk to the zone that holds
 * EV->record_name (EV->domain is the same name), the zone's SOA and NS at
 * every server, then EV->record_type of the name at every address of
 * every server (EV_RECORD, no RD; CNAMEs out of the zone followed to the
 * target zone's servers) and, with CFG->resolvers, at every resolver
 * (EV_RECORD_RESOLVER, RD; the first tagged RV_LOCAL_TAG). Same returns
 * as probe_check, and -EINVAL when EV names no record. */
int probe_record(struct engine *eng, const struct probe_config *cfg,
		 struct evidence *ev);

/* One address `wait` polls; the strings are borrowed from the record
 * view it came from. */
struct probe_wait_target {
	int role; /* EV_RECORD or EV_RECORD_RESOLVER */
	const char *zone, *server, *addr, *qname;
	bool done; /* serves the expected value (or cannot be asked) */
	int polls;
	char answer[200]; /* what it served last, described */
	uint64_t next_ms, interval_ms;
	bool inflight;
};

struct probe_wait {
	struct probe_wait_target *t;
	size_t n, n_done;
	uint64_t start_ms, last_done_ms; /* engine clock */
	uint64_t queries;		 /* sent while polling */
	/* Called after each turn of the loop (a progress display); may be
	 * NULL. */
	void (*progress)(const struct probe_wait *w, void *arg);
	void *progress_arg;
};

/* Polls every address of V, the record view of EV as probe_record
 * gathered it, until each serves EV->record_expect or LIMIT_MS of the
 * engine's clock have passed (W->n_done < W->n then). W is zeroed by the
 * caller, who may set progress; free it with probe_wait_deinit. Returns 0,
 * -EINVAL when EV expects no value, -ENOMEM. */
int probe_wait(struct engine *eng, const struct evidence *ev,
	       const struct rv_view *v, uint64_t limit_ms,
	       struct probe_wait *w);
void probe_wait_deinit(struct probe_wait *w);

#endif
