/* The memo is a direct-mapped table keyed by a SHA-256 of the wire form of
 * the signature, the RRset and the keys: a different byte anywhere is a
 * different key, and a hostile zone cannot make two inputs share one (a
 * weaker hash could be collided to pass a forged signature off as a
 * verified one). A collision of slots only forgets an older entry. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <openssl/evp.h>
#include "core/sigmemo.h"

#define MEMO_SLOTS 1024

static struct {
	unsigned char digest[32];
	ldns_status status;
	bool used;
} memo[MEMO_SLOTS];

/* SHA-256 of SIG, RRSET and KEYS in wire form into OUT; false when it
 * cannot be had (no memory): then nothing is remembered. */
static bool digest_of(const ldns_rr_list *rrset, const ldns_rr *sig,
		      const ldns_rr_list *keys, unsigned char out[32])
{
	ldns_buffer *b = ldns_buffer_new(1024);
	bool ok = b && ldns_rr2buffer_wire(b, sig, LDNS_SECTION_ANSWER) ==
			       LDNS_STATUS_OK;
	/* A separator that no wire record starts with keeps the RRset's
	 * records and the keys apart. */
	for (size_t i = 0; ok && i < ldns_rr_list_rr_count(rrset); i++)
		ok = ldns_rr2buffer_wire(b, ldns_rr_list_rr(rrset, i),
					 LDNS_SECTION_ANSWER) == LDNS_STATUS_OK;
	ok = ok && ldns_buffer_reserve(b, 1) &&
	     (ldns_buffer_write_u8(b, 0xff), true);
	for (size_t i = 0; ok && keys && i < ldns_rr_list_rr_count(keys); i++)
		ok = ldns_rr2buffer_wire(b, ldns_rr_list_rr(keys, i),
					 LDNS_SECTION_ANSWER) == LDNS_STATUS_OK;
	unsigned int n = 0;
	ok = ok &&
	     EVP_Digest(ldns_buffer_begin(b), ldns_buffer_position(b), out, &n,
			EVP_sha256(), NULL) == 1 &&
	     n == 32;
	ldns_buffer_free(b);
	return ok;
}

/* ldns's own test of the validity period (RFC 4034 3.1.5: serial number
 * arithmetic on 32-bit times). */
static ldns_status check_times(const ldns_rr *sig, time_t now)
{
	uint32_t inc = ldns_rdf2native_int32(ldns_rr_rrsig_inception(sig));
	uint32_t exp = ldns_rdf2native_int32(ldns_rr_rrsig_expiration(sig));
	uint32_t t = (uint32_t)now;
	if ((int32_t)(exp - inc) < 0)
		return LDNS_STATUS_CRYPTO_EXPIRATION_BEFORE_INCEPTION;
	if ((int32_t)(t - inc) < 0)
		return LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED;
	if ((int32_t)(exp - t) < 0)
		return LDNS_STATUS_CRYPTO_SIG_EXPIRED;
	return LDNS_STATUS_OK;
}

ldns_status sigmemo_verify(const ldns_rr_list *rrset, const ldns_rr *sig,
			   const ldns_rr_list *keys, time_t now)
{
	if (ldns_rr_rd_count(sig) < 9 || !keys)
		return LDNS_STATUS_CRYPTO_NO_DNSKEY;
	unsigned char d[32];
	bool keyed = digest_of(rrset, sig, keys, d);
	size_t slot = 0;
	if (keyed) {
		memcpy(&slot, d, sizeof(slot));
		slot %= MEMO_SLOTS;
	}
	ldns_status st;
	if (keyed && memo[slot].used && !memcmp(memo[slot].digest, d, 32)) {
		st = memo[slot].status;
	} else {
		ldns_rr_list *good = ldns_rr_list_new();
		st = good ? ldns_verify_rrsig_keylist_notime(rrset, sig, keys,
							     good)
			  : LDNS_STATUS_MEM_ERR;
		ldns_rr_list_free(good); /* holds pointers into KEYS */
		if (keyed && st != LDNS_STATUS_MEM_ERR) {
			memcpy(memo[slot].digest, d, 32);
			memo[slot].status = st;
			memo[slot].used = true;
		}
	}
	return st == LDNS_STATUS_OK ? check_times(sig, now) : st;
}
