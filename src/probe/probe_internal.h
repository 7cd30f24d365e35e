/* What the probe's passes share (probe.c: walk, look-ups, authoritative
 * view; probe_dnssec.c: keys, DS, denial and resolvers). Not an API. */
#ifndef DD_PROBE_PROBE_INTERNAL_H
#define DD_PROBE_PROBE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/evidence.h"
#include "core/strset.h"
#include "core/view.h"
#include "engine/engine.h"
#include "probe/hints.h"
#include "probe/probe.h"

/* One query of a round; kept until the probe ends so that an answer that
 * arrives after its round moved on still has somewhere to land. */
struct slot {
	struct probe *p;
	struct round *r;
	int role, transport;
	uint16_t qtype;
	unsigned flags; /* ENG_F_* asked with */
	char *zone, *server, *addr, *qname;
	bool done;
	int status;
	uint8_t *wire;
	size_t len;
	/* The exchange it became in the evidence, whose parse is memoised
	 * there (evidence_pkt): the probe reads an answer through it rather
	 * than parsing it a second time. SIZE_MAX before the answer, and
	 * when the evidence held the same question already (it keeps the
	 * first answer): then the slot parses its own, once, into PKT. */
	size_t ex;
	struct ldns_struct_pkt *pkt;
	bool pkt_parsed;
};

struct round {
	struct slot **v;
	size_t n, cap, pending;
};

/* A zone cut learnt from a referral: its servers' (name, address) pairs and
 * the names that came without glue. */
struct cut {
	char *zone;
	struct hints srv;
	struct strset glueless;
	bool glueless_looked_up;
};

struct host {
	char *name;
	struct strset addrs;
};

struct probe {
	struct engine *eng;
	struct evidence *ev;
	const struct probe_config *cfg;
	struct cut *cuts;
	size_t n_cuts, cap_cuts;
	struct host *hosts;
	size_t n_hosts, cap_hosts;
	struct strset alive, dead, looked_up;
	struct strset asked_once; /* "ROLE ADDR QNAME QTYPE" of ask_once */
	struct strset given; /* the operator's addresses: the root hints and
			      * resolvers, which --no-private never refuses */
	struct round **rounds;
	size_t n_rounds, cap_rounds;
	/* The name-server behaviour questions that follow an address's
	 * answer to the plain one: waited for last, so they ride along with
	 * the passes after the apex round. NULL until one is asked. */
	struct round *behaviour;
	int nesting;
	int nomem;
	int answers;	  /* responses of any kind */
	size_t in_flight; /* asked, result not yet in: probe_deinit waits */
};

struct round *round_new(struct probe *p);
/* Runs the engine until every query of R has its result. */
void round_wait(struct probe *p, struct round *r);
/* Whether ADDR timed out or refused the port and never answered: asking
 * it again would only wait out the same failure. */
bool probe_dead(const struct probe *p, const char *addr);
/* Asks (QNAME, QTYPE) of ADDR with ENG_F_* FLAGS (EDNS always), recording
 * the answer under ROLE as asked of SERVER as a server of ZONE. NULL when
 * the address is of a family not in use, or out of memory. */
struct slot *ask(struct probe *p, struct round *r, int role, const char *zone,
		 const char *server, const char *addr, const char *qname,
		 uint16_t qtype, unsigned flags);
/* ask, once per probe for each (ROLE, ADDR, QNAME, QTYPE), and never of a
 * dead address: a pass that runs again after new servers turned up asks
 * only what they add. */
void ask_once(struct probe *p, struct round *r, int role, const char *zone,
	      const char *server, const char *addr, const char *qname,
	      uint16_t qtype, unsigned flags);

/* The DNSSEC questions: DNSKEY at every server of every zone on the path
 * that V (delegated) knows, DS at the parent's servers, a denial proof at
 * the zone's; each asked once per probe, into R, without waiting. 0 or
 * -ENOMEM. */
int probe_dnssec_ask(struct probe *p, struct round *r, const struct view *v);
/* The DNSSEC pass: what probe_dnssec_ask has not asked yet, waited for.
 * 0 or -ENOMEM. */
int probe_dnssec_pass(struct probe *p);
/* The same, not waited for: the round into *OUT, for the caller to wait
 * on once it has sent what does not depend on it. */
int probe_dnssec_start(struct probe *p, struct round **out);
/* probe_acme.c: asks what a CA's validator asks, as EV->validation says
 * (CAA on the climb from the name, _acme-challenge TXT and the name with
 * the zone doubled, ACM CNAMEs and their typo variants, HTTP-01), of
 * every server of the zone that holds each name (for the domain's zone,
 * its --expect-ns servers too), following CNAMEs across zones. Does
 * nothing without validation options or a delegation. 0 or -ENOMEM. */
int probe_validation_pass(struct probe *p);
/* The first of those questions that go to the diagnosed zone's servers in
 * V, asked into R without waiting, so they go out with SOA and NS;
 * probe_validation_pass does not ask them again. 0 or -ENOMEM. */
int probe_validation_ask(struct probe *p, struct round *r,
			 const struct view *v);
/* Asks each resolver of RESOLVERS for the zone's SOA with and without CD,
 * into a round of its own put in *OUT (NULL when the domain is not
 * delegated), without waiting. 0 or -ENOMEM. */
int probe_resolver_ask(struct probe *p, const struct hints *resolvers,
		       struct round **out);

/* probe.c, for probe_record.c: set-up and clean-up of one run; and the
 * walk towards QNAME and the authoritative view (SOA, NS of every server)
 * of the zone that holds EV->domain (0, -EHOSTUNREACH, -ENOMEM). */
void probe_init(struct probe *p, struct engine *eng,
		const struct probe_config *cfg, struct evidence *ev);
void probe_deinit(struct probe *p);
int probe_zone_pass(struct probe *p, const char *qname, uint16_t qtype);
/* Walks towards each NAMES[i] (asking QTYPES[i]) from the deepest cut
 * already known, all names in step, until a server answers without a
 * referral; the name servers of the cuts met are looked up in the same
 * batch. Afterwards probe_cut_servers gives each name's zone without a
 * walk of its own. 0 or -ENOMEM. */
int probe_find_cuts(struct probe *p, const char *const *names,
		    const uint16_t *qtypes, size_t count);
/* Whether NAME is the apex of a zone cut already known. */
bool probe_is_cut(struct probe *p, const char *name);
/* The deepest cut known above QNAME: its name into ZONE and its servers'
 * (name, address) pairs appended to OUT, glueless ones looked up (0 or
 * -ENOMEM; ZONE untouched and OUT unchanged when no cut is known). */
int probe_cut_servers(struct probe *p, const char *qname, char *zone,
		      size_t zlen, struct hints *out);

#endif
