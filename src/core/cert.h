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
#include "core/evidence.h"
#include "core/finding.h"

#define CERT_CHAIN_MAX 10 /* certificates kept per address */

/* One address's handshake as the evidence records it (evidence.tls). */
struct cert_seen {
	char addr[64];
	char status[24];  /* the engine's word: "ok", "timeout", ... */
	char detail[160]; /* escaped as recorded */
	uint16_t port;
	uint8_t *der[CERT_CHAIN_MAX]; /* leaf first */
	size_t der_len[CERT_CHAIN_MAX];
	size_t n;
};

/* Reads one evidence.tls record. 0, -EINVAL when TEXT is not one (nothing
 * to free then), or -ENOMEM. */
int cert_seen_read(const char *text, struct cert_seen *out);
void cert_seen_deinit(struct cert_seen *s);

/* What `cert` was asked, from evidence.cert. CA_PEM points into EV. */
struct cert_opts {
	uint16_t port;
	double warn_days;
	const char *ca_pem; /* NULL: the system store */
};
void cert_opts_read(const struct evidence *ev, struct cert_opts *out);

/* A store of the certificates in PEM text, or NULL (none, or no memory). */
X509_STORE *cert_store_from_pem(const char *pem);

/* What one address served. */
struct cert_obs {
	const char *addr;
	bool ok;		   /* a handshake completed */
	const uint8_t *const *der; /* the chain, leaf first */
	const size_t *der_len;
	size_t n;
};

/* Facts about one address's leaf, for the report. */
struct cert_info {
	char subject[256]; /* one line, RFC 2253; may hold network bytes */
	char issuer[256];
	char not_after[32]; /* "2026-01-31T12:00:00Z" */
	char sha256[65];    /* of the leaf's DER, hex */
	char names[512];    /* the DNS names it covers, ", " separated */
	char chain[160];    /* "ok" or why it does not verify */
	bool parsed;
};

/* An observation that points into S. */
struct cert_obs cert_obs_of(const struct cert_seen *s);

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
