#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/finding.h"

const struct finding_def finding_defs[F__COUNT] = {
	[F_DOMAIN_NOT_DELEGATED] = { "DOMAIN_NOT_DELEGATED", SEV_ERROR,
		"the parent zone does not delegate the domain" },
	[F_DELEGATION_NS_MISMATCH] = { "DELEGATION_NS_MISMATCH", SEV_WARNING,
		"the parent's NS set differs from the zone's own NS RRset" },
	[F_EXPECTED_NS_MISMATCH] = { "EXPECTED_NS_MISMATCH", SEV_ERROR,
		"the delegation differs from the name servers the provider assigned" },
	[F_LAME_DELEGATION] = { "LAME_DELEGATION", SEV_ERROR,
		"a delegated server does not answer authoritatively" },
	[F_ZONE_UNREACHABLE] = { "ZONE_UNREACHABLE", SEV_ERROR,
		"no delegated server answers authoritatively" },
	[F_NS_UNREACHABLE] = { "NS_UNREACHABLE", SEV_ERROR,
		"a name server address does not answer" },
	[F_NS_NO_TCP] = { "NS_NO_TCP", SEV_WARNING,
		"a name server answers over UDP but not over TCP" },
	[F_GLUE_MISSING] = { "GLUE_MISSING", SEV_ERROR,
		"the parent has no glue for an in-zone name server" },
	[F_GLUE_MISMATCH] = { "GLUE_MISMATCH", SEV_WARNING,
		"glue at the parent differs from the name server's address" },
	[F_NS_NAME_UNRESOLVABLE] = { "NS_NAME_UNRESOLVABLE", SEV_ERROR,
		"a name server's name has no address" },
	[F_NS_IS_CNAME] = { "NS_IS_CNAME", SEV_ERROR,
		"a name server's name is an alias (CNAME)" },
	[F_TOO_FEW_NS] = { "TOO_FEW_NS", SEV_WARNING,
		"fewer than two name servers" },
	[F_SOA_SERIAL_MISMATCH] = { "SOA_SERIAL_MISMATCH", SEV_WARNING,
		"authoritative servers serve different SOA serials" },
	[F_NS_RRSET_INCONSISTENT] = { "NS_RRSET_INCONSISTENT", SEV_WARNING,
		"authoritative servers serve different NS RRsets" },
	[F_NS_MALFORMED_RESPONSE] = { "NS_MALFORMED_RESPONSE", SEV_ERROR,
		"a name server answers with bytes that are not a usable response" },
	[F_NS_EDNS_INTOLERANT] = { "NS_EDNS_INTOLERANT", SEV_WARNING,
		"a name server rejects queries with EDNS" },
	[F_NS_TCP_STALLED] = { "NS_TCP_STALLED", SEV_ERROR,
		"a name server accepts TCP but never completes an answer" },
	[F_DS_WITHOUT_DNSKEY] = { "DS_WITHOUT_DNSKEY", SEV_ERROR,
		"the parent publishes a DS but the zone is not signed" },
	[F_DS_NO_MATCHING_DNSKEY] = { "DS_NO_MATCHING_DNSKEY", SEV_ERROR,
		"no DNSKEY of the zone matches the DS at the parent" },
	[F_RRSIG_MISSING] = { "RRSIG_MISSING", SEV_ERROR,
		"a server serves a signed zone's data without signatures" },
	[F_RRSIG_EXPIRED] = { "RRSIG_EXPIRED", SEV_ERROR,
		"signatures have expired" },
	[F_RRSIG_NOT_YET_VALID] = { "RRSIG_NOT_YET_VALID", SEV_ERROR,
		"signatures are not valid yet" },
	[F_RRSIG_EXPIRING_SOON] = { "RRSIG_EXPIRING_SOON", SEV_WARNING,
		"signatures expire soon" },
	[F_RRSIG_INVALID] = { "RRSIG_INVALID", SEV_ERROR,
		"signatures do not verify" },
	[F_DNSKEY_ALGORITHM_UNSUPPORTED] = { "DNSKEY_ALGORITHM_UNSUPPORTED", SEV_WARNING,
		"the zone is signed only with algorithms validators do not use" },
	[F_NSEC_PROOF_INVALID] = { "NSEC_PROOF_INVALID", SEV_ERROR,
		"the proof that a name does not exist does not verify" },
	[F_DNSSEC_BOGUS_AT_RESOLVER] = { "DNSSEC_BOGUS_AT_RESOLVER", SEV_ERROR,
		"a validating resolver answers SERVFAIL where the data exists" },
	[F_RECORD_MISSING_ON_AUTH] = { "RECORD_MISSING_ON_AUTH", SEV_ERROR,
		"an authoritative server does not serve the record" },
	[F_RRSET_INCONSISTENT] = { "RRSET_INCONSISTENT", SEV_WARNING,
		"authoritative servers serve different data for the record" },
	[F_RESOLVER_STALE] = { "RESOLVER_STALE", SEV_WARNING,
		"a resolver still holds an old answer" },
	[F_RESOLVER_NEGATIVE_CACHED] = { "RESOLVER_NEGATIVE_CACHED", SEV_WARNING,
		"a resolver still holds a cached \"does not exist\" answer" },
	[F_RESOLVERS_DISAGREE] = { "RESOLVERS_DISAGREE", SEV_WARNING,
		"resolvers give different answers for the record" },
	[F_SPLIT_HORIZON] = { "SPLIT_HORIZON", SEV_WARNING,
		"the local resolver answers from its own data, not the public zone" },
	[F_HIGH_TTL] = { "HIGH_TTL", SEV_WARNING,
		"the record's TTL makes every change slow to propagate" },
	[F_PROPAGATION_COMPLETE] = { "PROPAGATION_COMPLETE", SEV_INFO,
		"every server and resolver serves the same answer" },
	[F_CAA_FORBIDS_ISSUER] = { "CAA_FORBIDS_ISSUER", SEV_ERROR,
		"CAA does not let the CA issue for the name" },
	[F_CAA_LOOKUP_FAILED] = { "CAA_LOOKUP_FAILED", SEV_ERROR,
		"the CAA look-up fails, so the CA refuses to issue" },
	[F_ACME_CHALLENGE_MISSING] = { "ACME_CHALLENGE_MISSING", SEV_ERROR,
		"the _acme-challenge TXT record is missing on delegated servers" },
	[F_ACME_CHALLENGE_VALUE_MISMATCH] = { "ACME_CHALLENGE_VALUE_MISMATCH", SEV_ERROR,
		"the _acme-challenge TXT record holds another value" },
	[F_ACME_CHALLENGE_DOUBLED_LABEL] = { "ACME_CHALLENGE_DOUBLED_LABEL", SEV_ERROR,
		"a challenge record sits at a name with the zone pasted twice" },
	[F_CNAME_DANGLING] = { "CNAME_DANGLING", SEV_ERROR,
		"a validation CNAME points at a name that does not exist" },
	[F_CNAME_LOOP] = { "CNAME_LOOP", SEV_ERROR,
		"a validation CNAME chain loops" },
	[F_ACM_VALIDATION_CNAME_MISSING] = { "ACM_VALIDATION_CNAME_MISSING", SEV_ERROR,
		"the ACM validation CNAME is missing or mistyped on delegated servers" },
	[F_HTTP01_UNREACHABLE] = { "HTTP01_UNREACHABLE", SEV_ERROR,
		"an address of the name does not answer HTTP on port 80" },
	[F_HTTP01_BAD_RESPONSE] = { "HTTP01_BAD_RESPONSE", SEV_ERROR,
		"an address does not serve the HTTP-01 key authorisation" },
	[F_CERT_EXPIRED] = { "CERT_EXPIRED", SEV_ERROR,
		"a certificate served is expired or not yet valid" },
	[F_CERT_EXPIRING_SOON] = { "CERT_EXPIRING_SOON", SEV_WARNING,
		"a certificate served expires soon" },
	[F_CERT_NAME_MISMATCH] = { "CERT_NAME_MISMATCH", SEV_ERROR,
		"a certificate served does not cover the name" },
	[F_CERT_CHAIN_INCOMPLETE] = { "CERT_CHAIN_INCOMPLETE", SEV_ERROR,
		"a certificate chain served does not lead to a trusted root" },
	[F_CERT_DIFFERS_ACROSS_ADDRESSES] = { "CERT_DIFFERS_ACROSS_ADDRESSES", SEV_WARNING,
		"the addresses of the name serve different certificates" },
};

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}

int finding_code_from_name(const char *name)
{
	for (int i = 0; i < F__COUNT; i++)
		if (strcasecmp(finding_defs[i].name, name) == 0)
			return i;
	return -1;
}

void findings_init(struct findings *fs)
{
	memset(fs, 0, sizeof(*fs));
}

void findings_deinit(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].summary);
		free(fs->v[i].fix);
		json_decref(fs->v[i].evidence);
	}
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* Sentences often end with an absolute name ("... ns1.example."), whose own
 * dot then doubles the full stop: keep one. */
static void single_stops(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (r[0] == '.' && r[1] == '.' && (r[2] == '\0' || r[2] == ' ' || r[2] == ';'))
			continue;
		*w++ = *r;
	}
	*w = '\0';
}

int findings_add(struct findings *fs, enum finding_code code,
		 json_t *evidence, const char *fix, const char *fmt, ...)
{
	char *summary = NULL;
	va_list ap;

	va_start(ap, fmt);
	int n = vasprintf(&summary, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto nomem;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		struct finding *v = realloc(fs->v, cap * sizeof(*v));
		if (!v)
			goto nomem;
		fs->v = v;
		fs->cap = cap;
	}
	struct finding *f = &fs->v[fs->n];
	f->code = code;
	f->severity = finding_defs[code].severity;
	f->summary = summary;
	f->fix = strdup(fix ? fix : "");
	f->evidence = evidence ? evidence : json_object();
	if (f->fix)
		single_stops(f->fix);
	single_stops(summary);
	if (!f->fix || !f->evidence) {
		free(f->fix);
		json_decref(f->evidence);
		free(summary);
		return -ENOMEM;
	}
	fs->n++;
	return 0;
nomem:
	free(summary);
	json_decref(evidence);
	return -ENOMEM;
}

int findings_worst(const struct findings *fs)
{
	int worst = -1;
	for (size_t i = 0; i < fs->n; i++)
		if ((int)fs->v[i].severity > worst)
			worst = fs->v[i].severity;
	return worst;
}

void findings_sort(struct findings *fs)
{
	/* Insertion sort: stable, and finding lists are short. */
	for (size_t i = 1; i < fs->n; i++) {
		struct finding t = fs->v[i];
		size_t j = i;
		while (j > 0 && (fs->v[j - 1].severity < t.severity ||
				 (fs->v[j - 1].severity == t.severity &&
				  strcmp(finding_defs[fs->v[j - 1].code].name,
					 finding_defs[t.code].name) > 0))) {
			fs->v[j] = fs->v[j - 1];
			j--;
		}
		fs->v[j] = t;
	}
}
