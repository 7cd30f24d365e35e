#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/dnsmsg.h"
#include "core/dnssec.h"
#include "core/sigmemo.h"

static const ldns_rr_list *section_of(const ldns_pkt *pkt, ldns_pkt_section s)
{
	switch (s) {
	case LDNS_SECTION_ANSWER:
		return ldns_pkt_answer(pkt);
	case LDNS_SECTION_AUTHORITY:
		return ldns_pkt_authority(pkt);
	default:
		return ldns_pkt_additional(pkt);
	}
}

/* True when RR is owned by OWNER; any owner will do when OWNER is NULL. */
static bool owned_by(const ldns_rr *rr, const struct dmsg_key *owner)
{
	return !owner || dmsg_key_is(owner, ldns_rr_owner(rr));
}

static ldns_rr_type covered(const ldns_rr *sig)
{
	const ldns_rdf *t = ldns_rr_rrsig_typecovered(sig);
	return t ? ldns_rdf2rr_type(t) : 0;
}

static ldns_rr_list *rrset_of(const ldns_pkt *pkt, ldns_pkt_section section,
			      const struct dmsg_key *owner, ldns_rr_type type)
{
	const ldns_rr_list *l = section_of(pkt, section);
	ldns_rr_list *out = ldns_rr_list_new();
	for (size_t i = 0; out && i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_get_type(rr) == type && owned_by(rr, owner))
			ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
	return out;
}

static ldns_rr_list *sigs_of(const ldns_pkt *pkt, ldns_pkt_section section,
			     const struct dmsg_key *owner, ldns_rr_type cov)
{
	const ldns_rr_list *l = section_of(pkt, section);
	ldns_rr_list *out = ldns_rr_list_new();
	for (size_t i = 0; out && i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
		    ldns_rr_rd_count(rr) >= 9 && covered(rr) == cov &&
		    owned_by(rr, owner))
			ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
	return out;
}

ldns_rr_list *dnssec_rrset(const ldns_pkt *pkt, ldns_pkt_section section,
			   const char *owner, ldns_rr_type type)
{
	struct dmsg_key k;
	if (owner)
		dmsg_key_init(&k, owner);
	return rrset_of(pkt, section, owner ? &k : NULL, type);
}

ldns_rr_list *dnssec_sigs(const ldns_pkt *pkt, ldns_pkt_section section,
			  const char *owner, ldns_rr_type cov)
{
	struct dmsg_key k;
	if (owner)
		dmsg_key_init(&k, owner);
	return sigs_of(pkt, section, owner ? &k : NULL, cov);
}

bool dnssec_alg_supported(uint8_t alg)
{
	switch (alg) {
	case LDNS_RSASHA1:
	case LDNS_RSASHA1_NSEC3:
	case LDNS_RSASHA256:
	case LDNS_RSASHA512:
	case LDNS_ECDSAP256SHA256:
	case LDNS_ECDSAP384SHA384:
	case LDNS_ED25519:
	case LDNS_ED448:
		return true;
	default:
		return false;
	}
}

bool dnssec_digest_supported(uint8_t digest)
{
	return digest == LDNS_SHA1 || digest == LDNS_SHA256 ||
	       digest == LDNS_SHA384;
}

static uint32_t rdf_u32(const ldns_rdf *r)
{
	return r && ldns_rdf_size(r) == 4 ? ldns_rdf2native_int32(r) : 0;
}

static uint8_t rdf_u8(const ldns_rdf *r)
{
	return r && ldns_rdf_size(r) == 1 ? ldns_rdf2native_int8(r) : 0;
}

static uint16_t rdf_u16(const ldns_rdf *r)
{
	return r && ldns_rdf_size(r) == 2 ? ldns_rdf2native_int16(r) : 0;
}

uint8_t dnssec_ds_alg(const ldns_rr *ds)
{
	return ldns_rr_rd_count(ds) >= 4 ? rdf_u8(ldns_rr_rdf(ds, 1)) : 0;
}

uint16_t dnssec_ds_keytag(const ldns_rr *ds)
{
	return ldns_rr_rd_count(ds) >= 4 ? rdf_u16(ldns_rr_rdf(ds, 0)) : 0;
}

uint8_t dnssec_key_alg(const ldns_rr *key)
{
	return ldns_rr_rd_count(key) >= 4
		       ? rdf_u8(ldns_rr_dnskey_algorithm(key))
		       : 0;
}

static enum sig_state state_of(ldns_status st)
{
	switch (st) {
	case LDNS_STATUS_OK:
		return SIG_VALID;
	case LDNS_STATUS_CRYPTO_SIG_EXPIRED:
		return SIG_EXPIRED;
	case LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED:
		return SIG_NOT_YET;
	case LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY:
	case LDNS_STATUS_CRYPTO_NO_DNSKEY:
		return SIG_NO_KEY;
	case LDNS_STATUS_CRYPTO_UNKNOWN_ALGO:
	case LDNS_STATUS_CRYPTO_ALGO_NOT_IMPL:
		return SIG_UNSUPPORTED;
	default:
		return SIG_BOGUS;
	}
}

struct sig_result dnssec_verify(const ldns_rr_list *rrset,
				const ldns_rr_list *sigs,
				const ldns_rr_list *keys, time_t now)
{
	struct sig_result best = { SIG_NONE, 0, 0, 0, 0 };
	if (!rrset || ldns_rr_list_rr_count(rrset) == 0)
		return best;
	for (size_t i = 0; sigs && i < ldns_rr_list_rr_count(sigs); i++) {
		const ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		struct sig_result r = {
			.keytag = rdf_u16(ldns_rr_rrsig_keytag(sig)),
			.alg = rdf_u8(ldns_rr_rrsig_algorithm(sig)),
			.inception = rdf_u32(ldns_rr_rrsig_inception(sig)),
			.expiration = rdf_u32(ldns_rr_rrsig_expiration(sig)),
		};
		if (!dnssec_alg_supported(r.alg)) {
			r.state = SIG_UNSUPPORTED;
		} else {
			ldns_status st =
				keys ? sigmemo_verify(rrset, sig, keys, now)
				     : LDNS_STATUS_MEM_ERR;
			/* No memory to check it: as if no key matched, not
			 * a signature that fails. */
			r.state = st == LDNS_STATUS_MEM_ERR ? SIG_NO_KEY
							    : state_of(st);
		}
		/* Among valid signatures keep the one that lasts longest. */
		if (r.state > best.state ||
		    (r.state == best.state && r.expiration > best.expiration))
			best = r;
	}
	return best;
}

ldns_rr_list *dnssec_keys_matching(const ldns_rr_list *keys,
				   const ldns_rr_list *ds)
{
	ldns_rr_list *out = ldns_rr_list_new();
	for (size_t i = 0; out && keys && i < ldns_rr_list_rr_count(keys);
	     i++) {
		const ldns_rr *k = ldns_rr_list_rr(keys, i);
		for (size_t j = 0; ds && j < ldns_rr_list_rr_count(ds); j++) {
			if (ldns_rr_compare_ds(ldns_rr_list_rr(ds, j), k)) {
				ldns_rr_list_push_rr(out, ldns_rr_clone(k));
				break;
			}
		}
	}
	return out;
}

const char *dnssec_sig_state_name(enum sig_state s)
{
	static const char *const names[] = {
		[SIG_NONE] = "missing",
		[SIG_UNSUPPORTED] = "unsupported algorithm",
		[SIG_NO_KEY] = "no matching key",
		[SIG_BOGUS] = "does not verify",
		[SIG_NOT_YET] = "not yet valid",
		[SIG_EXPIRED] = "expired",
		[SIG_VALID] = "valid",
	};
	return s <= SIG_VALID ? names[s] : "?";
}

void dnssec_time_text(uint32_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, len, "%u", t);
}

static ldns_rr *question_rr(const char *qname, uint16_t qtype)
{
	ldns_rr *rr = ldns_rr_new();
	ldns_rdf *owner = ldns_dname_new_frm_str(qname);
	if (!rr || !owner) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(owner);
		return NULL;
	}
	ldns_rr_set_owner(rr, owner);
	ldns_rr_set_type(rr, qtype);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(rr, true);
	return rr;
}

/* The worst signature outcome over the NSEC(3) RRsets in the authority
 * section: every one of them must verify for the proof to hold. */
static struct sig_result proof_sigs(const ldns_pkt *pkt, ldns_rr_type type,
				    const ldns_rr_list *keys, time_t now)
{
	struct sig_result worst = { SIG_VALID, 0, 0, 0, 0 };
	ldns_rr_list *all =
		dnssec_rrset(pkt, LDNS_SECTION_AUTHORITY, NULL, type);
	for (size_t i = 0; all && i < ldns_rr_list_rr_count(all); i++) {
		struct dmsg_key owner;
		dmsg_key_from_rdf(&owner,
				  ldns_rr_owner(ldns_rr_list_rr(all, i)));
		ldns_rr_list *set =
			rrset_of(pkt, LDNS_SECTION_AUTHORITY, &owner, type);
		ldns_rr_list *sigs =
			sigs_of(pkt, LDNS_SECTION_AUTHORITY, &owner, type);
		struct sig_result r = dnssec_verify(set, sigs, keys, now);
		if (r.state < worst.state)
			worst = r;
		ldns_rr_list_deep_free(set);
		ldns_rr_list_deep_free(sigs);
	}
	ldns_rr_list_deep_free(all);
	return worst;
}

enum denial_state dnssec_denial(const ldns_pkt *pkt, const char *qname,
				uint16_t qtype, const ldns_rr_list *keys,
				time_t now, struct sig_result *sig)
{
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(pkt);
	bool nodata = rc == LDNS_RCODE_NOERROR &&
		      ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) == 0;
	memset(sig, 0, sizeof(*sig));
	if (rc != LDNS_RCODE_NXDOMAIN && !nodata)
		return DENIAL_NA;
	ldns_rr_list *nsec = dnssec_rrset(pkt, LDNS_SECTION_AUTHORITY, NULL,
					  LDNS_RR_TYPE_NSEC);
	ldns_rr_list *nsec3 = dnssec_rrset(pkt, LDNS_SECTION_AUTHORITY, NULL,
					   LDNS_RR_TYPE_NSEC3);
	ldns_rr_list *sigs = dnssec_rrset(pkt, LDNS_SECTION_AUTHORITY, NULL,
					  LDNS_RR_TYPE_RRSIG);
	ldns_rr *q = question_rr(qname, qtype);
	enum denial_state d = DENIAL_MISSING;
	bool use3 = nsec3 && ldns_rr_list_rr_count(nsec3) > 0;
	if (q && (use3 || (nsec && ldns_rr_list_rr_count(nsec) > 0))) {
		ldns_status st =
			use3 ? ldns_dnssec_verify_denial_nsec3(
				       q, nsec3, sigs, rc, qtype, nodata)
			     : ldns_dnssec_verify_denial(q, nsec, sigs);
		*sig = proof_sigs(pkt,
				  use3 ? LDNS_RR_TYPE_NSEC3 : LDNS_RR_TYPE_NSEC,
				  keys, now);
		d = st == LDNS_STATUS_OK && sig->state == SIG_VALID
			    ? DENIAL_OK
			    : DENIAL_BAD;
	}
	ldns_rr_free(q);
	ldns_rr_list_deep_free(nsec);
	ldns_rr_list_deep_free(nsec3);
	ldns_rr_list_deep_free(sigs);
	return d;
}

int dnssec_ede(const ldns_pkt *pkt, uint16_t *code, char *text, size_t len)
{
	/* ldns parses options lazily into the packet it owns; the packet is
	 * not changed in any way that matters to callers. */
	ldns_edns_option_list *l =
		ldns_pkt_edns_get_option_list((ldns_pkt *)pkt);
	for (size_t i = 0; l && i < ldns_edns_option_list_get_count(l); i++) {
		ldns_edns_option *o = ldns_edns_option_list_get_option(l, i);
		if (!o || ldns_edns_get_code(o) != LDNS_EDNS_EDE ||
		    ldns_edns_get_size(o) < 2)
			continue;
		const uint8_t *d = ldns_edns_get_data(o);
		size_t n = ldns_edns_get_size(o) - 2, w = 0;
		*code = (uint16_t)(d[0] << 8 | d[1]);
		for (size_t k = 0; k < n && w + 1 < len; k++)
			text[w++] = d[2 + k] >= 0x20 && d[2 + k] < 0x7f
					    ? (char)d[2 + k]
					    : '?';
		if (len)
			text[w] = '\0';
		return 0;
	}
	return -1;
}

uint32_t dnssec_ttl(const ldns_rr_list *l)
{
	uint32_t ttl = 0;
	for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++) {
		uint32_t t = ldns_rr_ttl(ldns_rr_list_rr(l, i));
		if (i == 0 || t < ttl)
			ttl = t;
	}
	return ttl;
}

void dnssec_keytags(const ldns_rr_list *l, bool ds, char *buf, size_t len)
{
	size_t w = 0;
	buf[0] = '\0';
	for (size_t i = 0; l && i < ldns_rr_list_rr_count(l) && w < len; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		int n = snprintf(buf + w, len - w, "%s%u/alg %u", i ? ", " : "",
				 ds ? dnssec_ds_keytag(rr)
				    : ldns_calc_keytag(rr),
				 ds ? dnssec_ds_alg(rr) : dnssec_key_alg(rr));
		if (n < 0)
			break;
		w += (size_t)n;
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}
