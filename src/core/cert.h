/* `cert`: judging the certificates that the addresses of one name serve.
 * Pure: the certificates (DER, as received), the trust store and the time
 * are inputs. */
#ifndef DD_CORE_CERT_H
#define DD_CORE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <openssl/x509.h>
#include "core/finding.h"

/* What one address served. */
struct cert_obs {
	const char *addr;
	bool ok;                    /* a handshake completed */
	const uint8_t *const *der;  /* the chain, leaf first */
	const size_t *der_len;
	size_t n;
};

/* Facts about one address's leaf, for the report. */
struct cert_info {
	char subject[256];  /* one line, RFC 2253; may hold network bytes */
	char issuer[256];
	char not_after[32]; /* "2026-01-31T12:00:00Z" */
	char sha256[65];    /* of the leaf's DER, hex */
	char names[512];    /* the DNS names it covers, ", " separated */
	char chain[160];    /* "ok" or why it does not verify */
	bool parsed;
};

/* Reads O's leaf into INFO and judges it, the chain against STORE at NOW. */
void cert_describe(const struct cert_obs *o, X509_STORE *store, time_t now,
		   struct cert_info *info);

/* Adds CERT_EXPIRED, CERT_EXPIRING_SOON (within WARN_DAYS),
 * CERT_NAME_MISMATCH (HOST not covered), CERT_CHAIN_INCOMPLETE (no path to
 * a root of STORE) and CERT_DIFFERS_ACROSS_ADDRESSES for the N
 * observations. 0 or -ENOMEM. */
int cert_check(const char *host, const struct cert_obs *o, size_t n,
	       X509_STORE *store, time_t now, double warn_days,
	       struct findings *out);

#endif
