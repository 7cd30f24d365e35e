/* RDAP, read: the IANA bootstrap for DNS (RFC 9224) and a registry's
 * domain object (RFC 9083, as the gTLD RDAP response profile shapes it).
 *
 * Pure parsers over bytes that came off the network: every string is
 * bounded, every list capped, and anything of the wrong shape is an error
 * naming what was wrong, never a crash. The probe fetches, the checks read
 * what these return; nothing here does I/O. */
#ifndef DD_CORE_RDAP_H
#define DD_CORE_RDAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RDAP_BODY_MAX                                    \
	(1u << 20) /* a domain object is 5-30 KB; IANA's \
		    * bootstrap ~40 KB */
#define RDAP_TIME_MS                               \
	5000 /* the whole RDAP exchange, bootstrap \
	      * included */
#define RDAP_REDIRECTS	5
#define RDAP_NS_MAX	32
#define RDAP_STATUS_MAX 32
#define RDAP_DS_MAX	16
#define RDAP_TEXT_MAX	256 /* any one string kept */

/* IANA's bootstrap file for DNS. */
#define RDAP_IANA_BOOTSTRAP "https://data.iana.org/rdap/dns.json"

/* The base URL serving DOMAIN (absolute, lower case) in the bootstrap
 * JSON of LEN bytes: the entry with the longest matching suffix, its first
 * https URL (else its first URL), into URL. 1 found, 0 no service for the
 * domain's TLD, -1 not a bootstrap file (ERR says why). */
int rdap_bootstrap_find(const char *json, size_t len, const char *domain,
			char *url, size_t urllen, char *err, size_t errlen);

/* BASE + "domain/" + DOMAIN without its final dot, into OUT. 0, or -1 when
 * it does not fit. */
int rdap_query_url(const char *base, const char *domain, char *out,
		   size_t outlen);

struct rdap_ds {
	unsigned key_tag, algorithm, digest_type;
	char digest[RDAP_TEXT_MAX]; /* hex, upper case */
};

struct rdap_domain {
	char handle[RDAP_TEXT_MAX];
	char ldh_name[RDAP_TEXT_MAX];	     /* absolute, lower case */
	char ns[RDAP_NS_MAX][RDAP_TEXT_MAX]; /* absolute, lower case */
	size_t n_ns;
	/* RDAP status values as the server wrote them ("client hold");
	 * compare with rdap_status_has. */
	char status[RDAP_STATUS_MAX][64];
	size_t n_status;
	/* The registrar entity: its vCard "fn", its "IANA Registrar ID"
	 * public ID and its URL (vCard "url", else a link). "" when absent.
	 * Raw: a renderer escapes them. */
	char registrar[RDAP_TEXT_MAX];
	char registrar_iana[32];
	char registrar_url[RDAP_TEXT_MAX];
	char abuse_email[RDAP_TEXT_MAX];
	/* Events, unix time; 0 when absent. */
	int64_t registered, expires, changed;
	bool delegation_signed, has_secure_dns;
	struct rdap_ds ds[RDAP_DS_MAX];
	size_t n_ds;
};

/* Parses a domain object of LEN bytes into D. 0, or -1 with ERR saying
 * what is wrong ("invalid JSON at line 1", "no objectClassName domain"). */
int rdap_domain_parse(const char *json, size_t len, struct rdap_domain *d,
		      char *err, size_t errlen);

/* Whether D carries STATUS, matched the way RFC 8056 maps EPP statuses:
 * "clientHold", "client hold" and "CLIENT_HOLD" are one status. */
bool rdap_status_has(const struct rdap_domain *d, const char *status);

/* An RFC 3339 time ("2026-12-17T10:00:00Z", fractions and offsets too)
 * as unix time; -1 when it is not one. */
int64_t rdap_time(const char *s);

#endif
