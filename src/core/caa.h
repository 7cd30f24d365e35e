/* CAA (RFC 8659, RFC 8657): parsing the record and deciding whether a CA
 * may issue. Pure: no I/O, bounded reads over untrusted bytes. */
#ifndef DD_CORE_CAA_H
#define DD_CORE_CAA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAA_TAG_MAX	  15 /* RFC 8659 4.1: a tag is 1 to 15 letters/digits */
#define CAA_VALUE_MAX	  1024 /* longer values are cut; no CA reads further */
#define CAA_FLAG_CRITICAL 0x80

struct caa_rr {
	uint8_t flags;
	char tag[CAA_TAG_MAX + 1];     /* lower case */
	char value[CAA_VALUE_MAX + 1]; /* NUL-terminated copy; may hold any
					* byte but NUL (NULs become '?') */
	size_t value_len;
};

/* Parses CAA rdata (flags, tag length, tag, value) of LEN bytes at RDATA.
 * Returns 0, or -EINVAL when the bytes are not a CAA record (short, empty
 * or over-long tag, a tag with characters other than letters and digits). */
int caa_parse(const uint8_t *rdata, size_t len, struct caa_rr *out);

/* The domains a CA writes in `issue`: its issuer domain names. */
struct caa_ca {
	const char *name;	/* "Let's Encrypt" */
	const char *domains[8]; /* NULL-terminated */
};

/* Looks a CA up by a name ("letsencrypt", "amazon", "acm", "google",
 * "sectigo", "zerossl", "digicert") or by one of its issuer domains.
 * NULL when unknown (the caller then takes the text as the domain). */
const struct caa_ca *caa_ca_find(const char *name_or_domain);

/* A request to issue, as the CA sees it. */
struct caa_request {
	const char *const *issuers; /* the CA's issuer domains, NULL-terminated
				     */
	bool wildcard;		    /* a name "*.x": issuewild applies */
	const char *account_uri;    /* the ACME account (RFC 8657), or NULL */
	const char *method;	    /* "dns-01", "http-01", or NULL */
};

enum caa_verdict {
	CAA_PERMITS = 0,
	CAA_FORBIDS_NO_ISSUER, /* no issue/issuewild names the CA */
	CAA_FORBIDS_CRITICAL,  /* an unknown tag with the critical flag */
	CAA_FORBIDS_ACCOUNT,   /* accounturi names another account */
	CAA_FORBIDS_METHOD,    /* validationmethods leaves out the method */
	CAA_FORBIDS_NO_WILD_ISSUER, /* for a wildcard: issuewild records
				     * exist and none names the CA */
};

/* Decides on the relevant RRset SET of N records (RFC 8659 4.2-4.3 and
 * RFC 8657 3-4). An empty set permits any CA. Without an account URI in
 * REQ, an accounturi parameter is not held against the request. */
enum caa_verdict caa_decide(const struct caa_rr *set, size_t n,
			    const struct caa_request *req);

/* A short English phrase for V ("no issue record names the CA"). */
const char *caa_verdict_text(enum caa_verdict v);

/* Copies the issuer domain of an issue/issuewild VALUE (lower case, no
 * spaces) into OUT; "" for a value that names no CA (";" or empty). */
void caa_issuer_of(const char *value, char *out, size_t outlen);

#endif
