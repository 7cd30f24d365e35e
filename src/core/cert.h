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
	char not_after[32];  /* "2026-01-31T12:00:00Z" */
	int64_t not_after_s; /* the same in seconds since the epoch; 0 unknown
			      */
	char sha256[65];     /* of the leaf's DER, hex */
	char names[512];     /* the DNS names it covers, ", " separated */
	char chain[160];     /* "ok" or why it does not verify */
	bool parsed;
};

/* What the handshake T recorded (pointers into T). */
struct cert_obs cert_obs_of(const struct ev_tls *t);

/* Reads O's leaf into INFO and judges it, the chain against STORE at NOW. */
void cert_describe(const struct cert_obs *o, X509_STORE *store, time_t now,
		   struct cert_info *info);

/* What `cert` judges: the handshakes with every address of HOST, the
 * roots trusted and the warning window. The checks' view, as struct view
 * is check's and struct rv_view is propagation's. */
struct cert_view {
	const char *host; /* no final dot */
	const struct cert_obs *obs;
	size_t n;
	X509_STORE *store; /* NULL: no chain is complete */
	double warn_days;
};

/* Adds CERT_EXPIRED, CERT_EXPIRING_SOON (within WARN_DAYS),
 * CERT_NAME_MISMATCH (HOST not covered), CERT_CHAIN_INCOMPLETE (no path to
 * a root of STORE) and CERT_DIFFERS_ACROSS_ADDRESSES, at NOW, with the
 * shape of checks_run and propagation_checks_run. 0 or -ENOMEM. */
int cert_checks_run(const struct cert_view *v, time_t now,
		    struct findings *out);

#endif
