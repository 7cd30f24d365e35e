/* DNSSEC over ldns for the checks: verify signatures at an injected time,
 * match keys to DS records, read denial proofs and Extended DNS Errors.
 * Pure: no clock, no I/O. */
#ifndef DD_CORE_DNSSEC_H
#define DD_CORE_DNSSEC_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <ldns/ldns.h>

enum sig_state {
	SIG_NONE = 0,	 /* no RRSIG covers the RRset */
	SIG_UNSUPPORTED, /* only algorithms a validator cannot use */
	SIG_NO_KEY,	 /* no key of the set has the signature's tag */
	SIG_BOGUS,	 /* the signature does not verify */
	SIG_NOT_YET,	 /* verifies, but its inception is in the future */
	SIG_EXPIRED,	 /* verifies, but it has expired */
	SIG_VALID,
};

struct sig_result {
	enum sig_state state;
	uint16_t keytag;
	uint8_t alg;
	uint32_t inception, expiration;
};

/* Records of TYPE owned by OWNER in SECTION, cloned into a new list
 * (never NULL unless out of memory). RRSIG: those covering COVERED. */
ldns_rr_list *dnssec_rrset(const ldns_pkt *pkt, ldns_pkt_section section,
			   const char *owner, ldns_rr_type type);
ldns_rr_list *dnssec_sigs(const ldns_pkt *pkt, ldns_pkt_section section,
			  const char *owner, ldns_rr_type covered);

/* The best outcome of any signature of SIGS over RRSET with KEYS at NOW
 * (a validator needs only one good signature). */
struct sig_result dnssec_verify(const ldns_rr_list *rrset,
				const ldns_rr_list *sigs,
				const ldns_rr_list *keys, time_t now);

/* The DNSKEYs of KEYS that some DS of DS matches (new list of clones). */
ldns_rr_list *dnssec_keys_matching(const ldns_rr_list *keys,
				   const ldns_rr_list *ds);

/* Algorithms a validator of today uses (RFC 8624); others make a zone
 * insecure, not bogus. */
bool dnssec_alg_supported(uint8_t alg);
bool dnssec_digest_supported(uint8_t digest);
uint8_t dnssec_ds_alg(const ldns_rr *ds);
uint16_t dnssec_ds_keytag(const ldns_rr *ds);
uint8_t dnssec_key_alg(const ldns_rr *key);

const char *dnssec_sig_state_name(enum sig_state s);
/* "TAG/alg N, ..." for the keys (or, with DS, the DS records) of L into
 * BUF; "none" when L is empty or NULL. */
void dnssec_keytags(const ldns_rr_list *l, bool ds, char *buf, size_t len);
/* "YYYY-MM-DD HH:MM UTC" into BUF. */
void dnssec_time_text(uint32_t t, char *buf, size_t len);

enum denial_state {
	DENIAL_NA = 0,	/* the name exists, or the answer is not a denial */
	DENIAL_OK,	/* NSEC/NSEC3 prove it, signatures valid */
	DENIAL_MISSING, /* a denial without NSEC or NSEC3 records */
	DENIAL_BAD,	/* the records do not prove it or do not verify */
};

/* Judges the NXDOMAIN/NODATA answer PKT to (QNAME, QTYPE) with the zone
 * keys KEYS at NOW; the signature outcome of the proof goes to *SIG. */
enum denial_state dnssec_denial(const ldns_pkt *pkt, const char *qname,
				uint16_t qtype, const ldns_rr_list *keys,
				time_t now, struct sig_result *sig);

/* The first Extended DNS Error (RFC 8914) of PKT: 0 and its code and
 * text (EXTRA_TEXT, made printable), or -1 when there is none. */
int dnssec_ede(const ldns_pkt *pkt, uint16_t *code, char *text, size_t len);

/* The minimum TTL of a list, 0 when empty. */
uint32_t dnssec_ttl(const ldns_rr_list *l);

#endif
