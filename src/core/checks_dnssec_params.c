/* DNSSEC parameters the RFCs of today advise against, read from the
 * answers the DNSSEC pass got: the DS digest types at the parent (RFC
 * 8624 section 3.3: SHA-256 is what validators must support; SHA-1 is
 * being retired) and the NSEC3 parameters of the zone (RFC 9276: no extra
 * iterations, no salt). Chain faults are checks_dnssec.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/dnssec.h"

/* Marks in SEEN the third field (a DS's digest type, a DNSKEY's
 * algorithm: both 8 bits) of every TYPE record of V's zone in the answers
 * the DNSSEC pass got to its TYPE question; true when any was seen. */
static bool field3_seen(const struct view *v, ldns_rr_type type, bool seen[256])
{
	const struct evidence *ev = v->ev;
	bool any = false;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const ldns_pkt *pkt;
		if (x->role != EV_DNSSEC || x->qtype != type ||
		    x->status != QS_OK || strcmp(x->qname, v->zone) != 0 ||
		    !(pkt = view_pkt(v, i)))
			continue;
		ldns_rr_list *set =
			dnssec_rrset(pkt, LDNS_SECTION_ANSWER, v->zone, type);
		for (size_t k = 0; set && k < ldns_rr_list_rr_count(set); k++) {
			const ldns_rr *rr = ldns_rr_list_rr(set, k);
			if (ldns_rr_rd_count(rr) < 4)
				continue;
			seen[ldns_rdf2native_int8(ldns_rr_rdf(rr, 2))] = true;
			any = true;
		}
		ldns_rr_list_deep_free(set);
	}
	return any;
}

int check_ds_digest(const struct view *v, time_t now, struct findings *out)
{
	bool seen[256] = { false };

	(void)now;
	if (v->pstate != PS_DELEGATED || !v->parent[0])
		return 0;
	bool any = field3_seen(v, LDNS_RR_TYPE_DS, seen);
	/* SHA-256 or SHA-384 present: every validator has a digest to use. */
	if (!any || seen[LDNS_SHA256] || seen[LDNS_SHA384])
		return 0;
	json_t *types = json_array();
	char text[256] = "";
	for (int d = 0; d < 256; d++) {
		if (!seen[d])
			continue;
		json_array_append_new(types, json_integer(d));
		size_t at = strlen(text);
		snprintf(text + at, sizeof(text) - at, "%s%d%s", at ? ", " : "",
			 d,
			 d == LDNS_SHA1 ? " (SHA-1)"
			 : d == 3	? " (GOST R 34.11-94, not to be used)"
					: " (not assigned)");
	}
	return findings_add(out, F_DS_DIGEST_NOT_SHA256,
			    json_pack("{s:s, s:s, s:o}", "zone", v->zone,
				      "parent", v->parent, "digest_types",
				      types),
			    NULL,
			    "The parent %s publishes the DS of %s with digest "
			    "type %s only, and no SHA-256 one: validators that "
			    "no longer accept SHA-1 (or never knew the type) "
			    "treat the zone as unsigned, or fail it.",
			    v->parent, v->zone, text);
}

int check_nsec3_params(const struct view *v, time_t now, struct findings *out)
{
	const struct evidence *ev = v->ev;

	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const ldns_pkt *pkt;
		if (x->role != EV_DNSSEC || x->qtype != LDNS_RR_TYPE_TXT ||
		    x->status != QS_OK || strcmp(x->zone, v->zone) != 0 ||
		    !(pkt = view_pkt(v, i)))
			continue;
		const ldns_rr_list *auth = ldns_pkt_authority(pkt);
		for (size_t k = 0; k < ldns_rr_list_rr_count(auth); k++) {
			const ldns_rr *rr = ldns_rr_list_rr(auth, k);
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3 ||
			    ldns_rr_rd_count(rr) < 4)
				continue;
			uint16_t iter =
				ldns_rdf2native_int16(ldns_rr_rdf(rr, 2));
			const ldns_rdf *salt = ldns_rr_rdf(rr, 3);
			/* The salt rdata: a length octet, then the salt. */
			size_t slen = ldns_rdf_size(salt)
					      ? ldns_rdf_data(salt)[0]
					      : 0;
			if (iter == 0 && slen == 0)
				return 0; /* one proof is enough to know */
			char *s = dmsg_rdf_str(salt);
			int rc = findings_add(
				out, F_NSEC3_PARAMS_NOT_RECOMMENDED,
				json_pack("{s:s, s:s, s:s, s:i, s:s}", "zone",
					  v->zone, "server", x->server,
					  "address", x->addr, "iterations",
					  (int)iter, "salt", s ? s : "?"),
				NULL,
				"%s's NSEC3 chain uses %u extra iteration%s "
				"and "
				"%s salt (%s): RFC 9276 asks for 0 and none; "
				"validators treat high iteration counts as "
				"insecure or answer SERVFAIL.",
				v->zone, (unsigned)iter, iter == 1 ? "" : "s",
				slen ? "a" : "no", s ? s : "?");
			free(s);
			return rc;
		}
	}
	return 0;
}

/* RFC 8624 section 3.1, for signing: RSAMD5, DSA, DSA-NSEC3-SHA1 and
 * ECC-GOST must not be used, RSASHA1 and RSASHA1-NSEC3-SHA1 are not
 * recommended; a number IANA's registry does not assign to a signing
 * algorithm (0, 2 DH, 4, 9, 11, 18 to 22, 24 to 251, 255) no validator can
 * use. NULL for the others (17 SM2SM3 and 23 ECC-GOST12, assigned in 2024,
 * and 252 to 254, private and indirect). */
static const char *deprecated_alg(uint8_t alg)
{
	if (alg == 0 || alg == 2 || alg == 4 || alg == 9 || alg == 11 ||
	    (alg >= 18 && alg <= 22) || (alg >= 24 && alg <= 251) || alg == 255)
		return "not an assigned signing algorithm, no validator can "
		       "use it";
	switch (alg) {
	case LDNS_RSAMD5:
		return "RSAMD5, must not be used";
	case LDNS_DSA:
		return "DSA, must not be used";
	case LDNS_DSA_NSEC3:
		return "DSA-NSEC3-SHA1, must not be used";
	case LDNS_ECC_GOST:
		return "ECC-GOST, must not be used";
	case LDNS_RSASHA1:
		return "RSASHA1, not recommended";
	case LDNS_RSASHA1_NSEC3:
		return "RSASHA1-NSEC3-SHA1, not recommended";
	default:
		return NULL;
	}
}

int check_dnskey_algorithms(const struct view *v, time_t now,
			    struct findings *out)
{
	bool seen[256] = { false };

	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	field3_seen(v, LDNS_RR_TYPE_DNSKEY, seen);
	json_t *algs = NULL;
	char text[256] = "";
	for (int a = 0; a < 256; a++) {
		const char *why = seen[a] ? deprecated_alg((uint8_t)a) : NULL;
		if (!why)
			continue;
		if (!algs && !(algs = json_array()))
			return -ENOMEM;
		json_array_append_new(algs, json_integer(a));
		size_t at = strlen(text);
		snprintf(text + at, sizeof(text) - at, "%s%d (%s)",
			 at ? ", " : "", a, why);
	}
	if (!algs)
		return 0;
	return findings_add(out, F_DNSKEY_ALGORITHM_DEPRECATED,
			    json_pack("{s:s, s:o}", "zone", v->zone,
				      "algorithms", algs),
			    NULL,
			    "%s is signed with algorithm %s (RFC 8624): "
			    "validators are dropping it, and a zone they "
			    "cannot validate is treated as unsigned.",
			    v->zone, text);
}
