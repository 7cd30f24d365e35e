/* The finding catalogue: the product's vocabulary.
 *
 * A code, once shipped, is never renamed and never renumbered: append new
 * codes at the end of the enum and give each an entry in finding_defs. */
#ifndef DD_CORE_FINDING_H
#define DD_CORE_FINDING_H

#include <stddef.h>
#include <jansson.h>

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

enum finding_code {
	F_DOMAIN_NOT_DELEGATED = 0,
	F_DELEGATION_NS_MISMATCH,
	F_EXPECTED_NS_MISMATCH,
	F_LAME_DELEGATION,
	F_ZONE_UNREACHABLE,
	F_NS_UNREACHABLE,
	F_NS_NO_TCP,
	F_GLUE_MISSING,
	F_GLUE_MISMATCH,
	F_NS_NAME_UNRESOLVABLE,
	F_NS_IS_CNAME,
	F_TOO_FEW_NS,
	F_SOA_SERIAL_MISMATCH,
	F_NS_RRSET_INCONSISTENT,
	F_NS_MALFORMED_RESPONSE,
	F_NS_EDNS_INTOLERANT,
	F_NS_TCP_STALLED,
	F_DS_WITHOUT_DNSKEY,
	F_DS_NO_MATCHING_DNSKEY,
	F_RRSIG_MISSING,
	F_RRSIG_EXPIRED,
	F_RRSIG_NOT_YET_VALID,
	F_RRSIG_EXPIRING_SOON,
	F_RRSIG_INVALID,
	F_DNSKEY_ALGORITHM_UNSUPPORTED,
	F_NSEC_PROOF_INVALID,
	F_DNSSEC_BOGUS_AT_RESOLVER,
	/* propagation (issue 4) */
	F_RECORD_MISSING_ON_AUTH,
	F_RRSET_INCONSISTENT,
	F_RESOLVER_STALE,
	F_RESOLVER_NEGATIVE_CACHED,
	F_RESOLVERS_DISAGREE,
	F_SPLIT_HORIZON,
	F_HIGH_TTL,
	F_PROPAGATION_COMPLETE,
	F_CAA_FORBIDS_ISSUER,
	F_CAA_LOOKUP_FAILED,
	F_ACME_CHALLENGE_MISSING,
	F_ACME_CHALLENGE_VALUE_MISMATCH,
	F_ACME_CHALLENGE_DOUBLED_LABEL,
	F_CNAME_DANGLING,
	F_CNAME_LOOP,
	F_ACM_VALIDATION_CNAME_MISSING,
	F_HTTP01_UNREACHABLE,
	F_HTTP01_BAD_RESPONSE,
	F_CERT_EXPIRED,
	F_CERT_EXPIRING_SOON,
	F_CERT_NAME_MISMATCH,
	F_CERT_CHAIN_INCOMPLETE,
	F_CERT_DIFFERS_ACROSS_ADDRESSES,
	F__COUNT
};

struct finding_def {
	const char *name;      /* the stable code, e.g. "LAME_DELEGATION" */
	enum severity severity;
	const char *title;     /* one line, no data */
};

extern const struct finding_def finding_defs[F__COUNT];

struct finding {
	enum finding_code code;
	enum severity severity;
	char *summary;    /* one line naming the servers and values involved */
	char *fix;        /* what to do */
	json_t *evidence; /* owned; an object */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

const char *severity_name(enum severity s);
/* Returns the code named NAME (case-insensitive), or -1. */
int finding_code_from_name(const char *name);

void findings_init(struct findings *fs);
void findings_deinit(struct findings *fs);
/* Adds a finding; takes ownership of EVIDENCE (may be NULL) even on failure.
 * SUMMARY and FIX are printf formats' results, copied. 0 or -ENOMEM. */
int findings_add(struct findings *fs, enum finding_code code,
		 json_t *evidence, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Worst severity present, or -1 when there are no findings. */
int findings_worst(const struct findings *fs);
/* Sorts by severity (worst first), then code name, stably. */
void findings_sort(struct findings *fs);

#endif
