/* Checks: pure functions from evidence (through the view) to findings.
 * No I/O, no clock: NOW is passed in. */
#ifndef DD_CORE_CHECKS_H
#define DD_CORE_CHECKS_H

#include <time.h>
#include "core/evidence.h"
#include "core/finding.h"
#include "core/view.h"

typedef int (*check_fn)(const struct view *v, time_t now, struct findings *out);

struct check_def {
	const char *name;
	check_fn fn;
	unsigned area; /* EV_AREA_*: --checks runs it when it names it */
};

extern const struct check_def check_table[];
extern const size_t check_table_len;

/* Runs every check of the areas V's evidence asks for (--checks; all by
 * default) and sorts the findings. 0 or -ENOMEM. */
int checks_run(const struct view *v, time_t now, struct findings *out);

/* The headline of a report: what is wrong in one sentence and the one fix
 * that matters most. Both malloc'd; *FIX is NULL when nothing needs fixing.
 * 0 or -ENOMEM. */
int verdict_build(const struct view *v, const struct findings *fs,
		  char **summary, char **fix);

/* Checks by area (checks_delegation.c, checks_consistency.c). */
int check_not_delegated(const struct view *v, time_t now, struct findings *out);
int check_expected_ns(const struct view *v, time_t now, struct findings *out);
int check_reachability(const struct view *v, time_t now, struct findings *out);
int check_lame(const struct view *v, time_t now, struct findings *out);
int check_zone_unreachable(const struct view *v, time_t now,
			   struct findings *out);
int check_glue(const struct view *v, time_t now, struct findings *out);
int check_ns_names(const struct view *v, time_t now, struct findings *out);
int check_too_few_ns(const struct view *v, time_t now, struct findings *out);
int check_parent_ns(const struct view *v, time_t now, struct findings *out);
int check_shared_address(const struct view *v, time_t now,
			 struct findings *out);
int check_referral_size(const struct view *v, time_t now, struct findings *out);
int check_qtypes(const struct view *v, time_t now, struct findings *out);
/* checks_behaviour.c: EDNS version, options and flags, DO, 0x20, AXFR. */
int check_behaviour(const struct view *v, time_t now, struct findings *out);
int check_ns_rrsets(const struct view *v, time_t now, struct findings *out);
int check_soa_serials(const struct view *v, time_t now, struct findings *out);
int check_dnssec(const struct view *v, time_t now, struct findings *out);
int check_ds_digest(const struct view *v, time_t now, struct findings *out);
int check_nsec3_params(const struct view *v, time_t now, struct findings *out);
int check_dnskey_algorithms(const struct view *v, time_t now,
			    struct findings *out);
/* checks_dnssec_keys.c: RSA key sizes; algorithms that do not sign. */
int check_rsa_key_size(const struct view *v, time_t now, struct findings *out);
int check_algorithm_coverage(const struct view *v, time_t now,
			     struct findings *out);
/* checks_ns_reach.c, in the public namespace only: special-purpose
 * name-server addresses; a missing address family; one prefix. */
int check_ns_special_address(const struct view *v, time_t now,
			     struct findings *out);
int check_ns_address_spread(const struct view *v, time_t now,
			    struct findings *out);
/* checks_cds.c: CDS and CDNSKEY (RFC 7344, RFC 8078). */
int check_cds(const struct view *v, time_t now, struct findings *out);
/* The zone's own keys and signatures, for check_dnssec when the chain from
 * the trust anchor does not reach the zone; INSECURE_ABOVE: because a zone
 * above it is unsigned (a missing DS is then not the zone's fault). */
struct dnssec_view;
int check_dnssec_own(const struct view *v, const struct dnssec_view *d,
		     bool insecure_above, time_t now, struct findings *out);
/* checks_hostile.c: servers that answer, but wrongly. */
int check_malformed(const struct view *v, time_t now, struct findings *out);
int check_edns(const struct view *v, time_t now, struct findings *out);
int check_tcp_stalled(const struct view *v, time_t now, struct findings *out);

/* checks_network.c: NETWORK_DNS_INTERCEPTED when every root address that
 * answered did so without authority or referral. 1 when added, 0 when
 * not, -ENOMEM. Runs on the evidence alone: such a walk has no view. */
int check_intercepted(const struct evidence *ev, struct findings *out);

/* checks_refused.c: ADDRESS_REFUSED_PRIVATE, one finding per server or
 * host (and use) whose special-purpose addresses learnt from DNS the run
 * did not contact (--no-private). Runs on the evidence alone, for every
 * kind. The number of findings added, or -ENOMEM. */
int check_refused(const struct evidence *ev, struct findings *out);

/* checks_resolvers.c: --resolvers that never answered. */
int check_resolvers_unreachable(const struct view *v, time_t now,
				struct findings *out);

/* checks_caa.c, checks_acme.c: with --acme / --acm only. */
int check_caa(const struct view *v, time_t now, struct findings *out);
int check_acme_challenge(const struct view *v, time_t now,
			 struct findings *out);
int check_acm(const struct view *v, time_t now, struct findings *out);
int check_http01(const struct view *v, time_t now, struct findings *out);

/* checks_rdap.c: the registry's view (RDAP) against the DNS. */
int check_rdap_unavailable(const struct view *v, time_t now,
			   struct findings *out);
int check_registry_hold(const struct view *v, time_t now, struct findings *out);
int check_pending_delete(const struct view *v, time_t now,
			 struct findings *out);
int check_domain_expiry(const struct view *v, time_t now, struct findings *out);
int check_registrar_ns(const struct view *v, time_t now, struct findings *out);
int check_rdap_ds(const struct view *v, time_t now, struct findings *out);

/* Helpers shared by the check files. */
json_t *json_strset(const struct strset *s);
/* "a., b. and c." into a new string; NULL on ENOMEM. */
char *join_names(const struct strset *s);
/* "a.example, b.example": names as a registrar's form takes them (no
 * trailing dot), comma separated; NULL on ENOMEM. */
char *join_hosts(const struct strset *s);

#endif
