/* Classifying an ACME failure: RFC 8555 problem type plus the detail
 * wording of Let's Encrypt's Boulder and of Pebble (which the lab corpus
 * comes from), into a cause with the dnsdoctor command that confirms it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/acmelog.h"

/* RFC 8555 §6.7, plus what Boulder sends beyond it (alreadyReplaced,
 * invalidProfile, conflict) and the RFC 9115 / ARI additions. */
static const char *const known_types[] = {
	"accountDoesNotExist",
	"alreadyRevoked",
	"badCSR",
	"badNonce",
	"badPublicKey",
	"badRevocationReason",
	"badSignatureAlgorithm",
	"caa",
	"compound",
	"connection",
	"dns",
	"externalAccountRequired",
	"incorrectResponse",
	"invalidContact",
	"malformed",
	"orderNotReady",
	"rateLimited",
	"rejectedIdentifier",
	"serverInternal",
	"tls",
	"unauthorized",
	"unsupportedContact",
	"unsupportedIdentifier",
	"userActionRequired",
	"alreadyReplaced",
	"invalidProfile",
	"conflict",
};

static const struct {
	const char *name;
	enum acme_category cat;
	const char *text;
} causes[AC_COUNT_] = {
	[AC_UNKNOWN] = { "unknown", ACAT_UNKNOWN,
			 "a failure whose wording dnsdoctor does not know "
			 "yet" },
	[AC_DNS_NXDOMAIN_TXT] = { "dns-nxdomain-txt", ACAT_CHALLENGE,
				  "the CA's resolver got NXDOMAIN for the "
				  "_acme-challenge TXT name: the record was "
				  "not there (not written, not yet on every "
				  "server, or a negative answer still "
				  "cached)" },
	[AC_DNS_SERVFAIL_TXT] = { "dns-servfail-txt", ACAT_CHALLENGE,
				  "the CA's resolver got SERVFAIL for the TXT "
				  "lookup: no name server of the zone answered "
				  "usefully (lame delegation, unreachable "
				  "servers, DNSSEC failure)" },
	[AC_DNS_REFUSED_TXT] = { "dns-refused-txt", ACAT_CHALLENGE,
				 "a name server refused the TXT query: it does "
				 "not serve the zone (lame delegation)" },
	[AC_DNS_TIMEOUT_TXT] = { "dns-timeout-txt", ACAT_CHALLENGE,
				 "the TXT lookup timed out: the zone's name "
				 "servers did not answer the CA" },
	[AC_DNS_NXDOMAIN_ADDR] = { "dns-nxdomain-address", ACAT_CHALLENGE,
				   "the name has no A/AAAA record the CA could "
				   "find (NXDOMAIN)" },
	[AC_DNS_SERVFAIL_ADDR] = { "dns-servfail-address", ACAT_CHALLENGE,
				   "the CA's resolver got SERVFAIL looking up "
				   "the address of the name" },
	[AC_DNS_REFUSED_ADDR] = { "dns-refused-address", ACAT_CHALLENGE,
				  "a name server refused the address lookup "
				  "(lame delegation)" },
	[AC_DNS_TIMEOUT_ADDR] = { "dns-timeout-address", ACAT_CHALLENGE,
				  "the address lookup timed out at the zone's "
				  "name servers" },
	[AC_DNS_NO_ADDRESS] = { "dns-no-address", ACAT_CHALLENGE,
				"the name has no usable A/AAAA address for "
				"HTTP-01 or TLS-ALPN-01" },
	[AC_DNS_PROBLEM] = { "dns-problem", ACAT_CHALLENGE,
			     "the CA had a DNS problem with the name" },
	[AC_TXT_MISSING] = { "txt-missing", ACAT_CHALLENGE,
			     "the _acme-challenge name exists but holds no TXT "
			     "record" },
	[AC_TXT_MISMATCH] = { "txt-mismatch", ACAT_CHALLENGE,
			      "a TXT record was found, but not the one for "
			      "this challenge (stale value, wrong zone, or "
			      "another server's copy)" },
	[AC_TXT_NOT_PROPAGATED] = { "txt-not-propagated", ACAT_CLIENT,
				    "the client's own propagation check gave "
				    "up before the TXT record was visible" },
	[AC_CAA_SERVFAIL] = { "caa-servfail", ACAT_CHALLENGE,
			      "the CAA lookup failed with SERVFAIL, so the CA "
			      "must refuse to issue" },
	[AC_CAA_TIMEOUT] = { "caa-timeout", ACAT_CHALLENGE,
			     "the CAA lookup timed out, so the CA must refuse "
			     "to issue" },
	[AC_CAA_LOOKUP_FAILED] = { "caa-lookup-failed", ACAT_CHALLENGE,
				   "the CAA lookup failed" },
	[AC_CAA_FORBIDS] = { "caa-forbids", ACAT_CHALLENGE,
			     "a CAA record does not allow this CA (or this "
			     "account or method)" },
	[AC_HTTP_404] = { "http-404", ACAT_CHALLENGE,
			  "the web server answered 404 for the challenge file: "
			  "wrong webroot, or the name points at another "
			  "server" },
	[AC_HTTP_BAD_STATUS] = { "http-bad-status", ACAT_CHALLENGE,
				 "the web server answered the challenge URL "
				 "with an error status" },
	[AC_HTTP_KEY_MISMATCH] = { "http-key-mismatch", ACAT_CHALLENGE,
				   "the web server answered, but not with this "
				   "challenge's key authorization (another "
				   "server or a stale file)" },
	[AC_HTTP_REDIRECT] = { "http-redirect", ACAT_CHALLENGE,
			       "the challenge URL redirected somewhere the CA "
			       "will not follow" },
	[AC_CONNECTION_REFUSED] = { "connection-refused", ACAT_CHALLENGE,
				    "nothing listens at the address the name "
				    "points to (port 80 or 443 closed)" },
	[AC_CONNECTION_TIMEOUT] = { "connection-timeout", ACAT_CHALLENGE,
				    "the CA's connection timed out: a firewall "
				    "drops it, or the name points at the wrong "
				    "address" },
	[AC_CONNECTION_RESET] = { "connection-reset", ACAT_CHALLENGE,
				  "the connection was reset by the server or a "
				  "middlebox" },
	[AC_CONNECTION_UNREACHABLE] = { "connection-unreachable",
					ACAT_CHALLENGE,
					"no route to the address the name "
					"points to" },
	[AC_CONNECTION_PROBLEM] = { "connection-problem", ACAT_CHALLENGE,
				    "the CA could not connect to the server to "
				    "validate" },
	[AC_TLS_ERROR] = { "tls-error", ACAT_CHALLENGE,
			   "the TLS handshake with the server failed" },
	[AC_RATE_LIMITED] = { "rate-limited", ACAT_RATE_LIMIT,
			      "a CA rate limit was hit" },
	[AC_RATE_LIMITED_FAILED_VALIDATIONS] = { "rate-limited-failed-"
						 "validations",
						 ACAT_RATE_LIMIT,
						 "too many failed validations "
						 "for this hostname and "
						 "account in the last hour" },
	[AC_RATE_LIMITED_NEW_ORDERS] = { "rate-limited-new-orders",
					 ACAT_RATE_LIMIT,
					 "too many new orders from this "
					 "account" },
	[AC_RATE_LIMITED_CERTS_PER_DOMAIN] = { "rate-limited-certs-per-domain",
					       ACAT_RATE_LIMIT,
					       "too many certificates for this "
					       "registered domain this week" },
	[AC_RATE_LIMITED_DUPLICATE_CERTS] = { "rate-limited-duplicate-certs",
					      ACAT_RATE_LIMIT,
					      "too many certificates for this "
					      "exact set of names this week" },
	[AC_RATE_LIMITED_ACCOUNTS] = { "rate-limited-accounts", ACAT_RATE_LIMIT,
				       "too many new accounts from this "
				       "address" },
	[AC_BAD_NONCE] = { "bad-nonce", ACAT_SERVER,
			   "the CA rejected a nonce; clients retry this by "
			   "themselves" },
	[AC_MALFORMED] = { "malformed", ACAT_ORDER,
			   "the CA found the request malformed" },
	[AC_SERVER_INTERNAL] = { "server-internal", ACAT_SERVER,
				 "an error inside the CA; retry later" },
	[AC_ACCOUNT] = { "account", ACAT_ACCOUNT,
			 "a problem with the ACME account (unknown account, "
			 "key or contact)" },
	[AC_BAD_CSR] = { "bad-csr", ACAT_ORDER,
			 "the CA refused the certificate signing request" },
	[AC_REJECTED_IDENTIFIER] = { "rejected-identifier", ACAT_ORDER,
				     "the CA will not issue for this name "
				     "(policy)" },
	[AC_ORDER_NOT_READY] = { "order-not-ready", ACAT_ORDER,
				 "the order was finalized before its "
				 "authorizations were valid" },
	[AC_UNAUTHORIZED] = { "unauthorized", ACAT_CHALLENGE,
			      "the CA found the client not authorized for the "
			      "name" },
	[AC_INCORRECT_RESPONSE] = { "incorrect-response", ACAT_CHALLENGE,
				    "the response to the challenge did not "
				    "match" },
	[AC_USER_ACTION_REQUIRED] = { "user-action-required", ACAT_ACCOUNT,
				      "the CA wants a person to act (new terms "
				      "of service)" },
	[AC_EXTERNAL_ACCOUNT_REQUIRED] = { "external-account-required",
					   ACAT_ACCOUNT,
					   "the CA requires external account "
					   "binding" },
};

static const char *const category_names[] = {
	[ACAT_CHALLENGE] = "challenge",	  [ACAT_CLIENT] = "client",
	[ACAT_RATE_LIMIT] = "rate-limit", [ACAT_ORDER] = "order",
	[ACAT_ACCOUNT] = "account",	  [ACAT_SERVER] = "server",
	[ACAT_UNKNOWN] = "unknown",
};

static const char *const format_names[] = {
	[ACME_FMT_UNKNOWN] = "unknown",
	[ACME_FMT_CERTBOT_LOG] = "certbot-log",
	[ACME_FMT_CERTBOT_CONSOLE] = "certbot-console",
	[ACME_FMT_LEGO] = "lego",
	[ACME_FMT_ACMESH] = "acme.sh",
	[ACME_FMT_CM_DESCRIBE] = "cert-manager-describe",
	[ACME_FMT_CM_JSON] = "cert-manager-json",
};

const char *acme_format_name(enum acme_format f)
{
	return (unsigned)f < sizeof(format_names) / sizeof(format_names[0])
		       ? format_names[f]
		       : "unknown";
}

const char *acme_cause_name(enum acme_cause c)
{
	return (unsigned)c < AC_COUNT_ ? causes[c].name : "unknown";
}

const char *acme_cause_text(enum acme_cause c)
{
	return (unsigned)c < AC_COUNT_ ? causes[c].text : causes[0].text;
}

enum acme_category acme_cause_category(enum acme_cause c)
{
	return (unsigned)c < AC_COUNT_ ? causes[c].cat : ACAT_UNKNOWN;
}

const char *acme_category_name(enum acme_category c)
{
	return (unsigned)c <= ACAT_UNKNOWN ? category_names[c] : "unknown";
}

const char *acmelog_short_type(const char *s)
{
	static const char *const prefixes[] = {
		"urn:ietf:params:acme:error:", "urn:acme:error:", /* ACME v1,
								     still in
								     old certbot
								     logs */
	};
	if (!s)
		return NULL;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(s, prefixes[i], n) == 0)
			return s + n;
	}
	return NULL;
}

bool acmelog_known_type(const char *t)
{
	for (size_t i = 0; i < sizeof(known_types) / sizeof(known_types[0]);
	     i++)
		if (t && strcmp(t, known_types[i]) == 0)
			return true;
	return false;
}

static bool has(const char *s, const char *needle)
{
	return strcasestr(s, needle) != NULL;
}

/* The record type after "looking up " (Boulder: "NXDOMAIN looking up TXT
 * for …"): 'T' TXT, 'A' A/AAAA, 'C' CAA, 0 unknown. */
static char looked_up(const char *d)
{
	const char *p = strcasestr(d, "looking up ");
	if (!p)
		return 0;
	p += strlen("looking up ");
	if (strncmp(p, "TXT", 3) == 0)
		return 'T';
	if (strncmp(p, "CAA", 3) == 0)
		return 'C';
	if (*p == 'A')
		return 'A';
	return 0;
}

/* DNS failure causes indexed by [rcode kind][record kind]. */
enum { K_NX, K_SERVFAIL, K_REFUSED, K_TIMEOUT };

static enum acme_cause dns_cause(int kind, char rec)
{
	static const enum acme_cause txt[] = { AC_DNS_NXDOMAIN_TXT,
					       AC_DNS_SERVFAIL_TXT,
					       AC_DNS_REFUSED_TXT,
					       AC_DNS_TIMEOUT_TXT };
	static const enum acme_cause addr[] = { AC_DNS_NXDOMAIN_ADDR,
						AC_DNS_SERVFAIL_ADDR,
						AC_DNS_REFUSED_ADDR,
						AC_DNS_TIMEOUT_ADDR };
	if (rec == 'C')
		return kind == K_SERVFAIL  ? AC_CAA_SERVFAIL
		       : kind == K_TIMEOUT ? AC_CAA_TIMEOUT
					   : AC_CAA_LOOKUP_FAILED;
	if (rec == 'A')
		return addr[kind];
	return txt[kind];
}

/* The DNS rcode kind a detail names, or -1. Boulder writes "NXDOMAIN
 * looking up …"; Pebble "returned an unsuccessful response: '\x03'" (the
 * rcode as a byte) and Go's resolver "no such host", "server misbehaving". */
static int dns_kind(const char *d)
{
	const char *p = strstr(d, "unsuccessful response: '");
	if (p) {
		p += strlen("unsuccessful response: '");
		while (*p == '\\')
			p++;
		if (p[0] == 'x' && p[1] == '0') {
			switch (p[2]) {
			case '3':
				return K_NX;
			case '2':
				return K_SERVFAIL;
			case '5':
				return K_REFUSED;
			default:
				return K_SERVFAIL;
			}
		}
	}
	/* rcode words and "DNS" case-sensitive: host names in the detail
	 * are lower case and may well contain "dns" or "servfail". */
	if (strstr(d, "NXDOMAIN") || has(d, "no such host"))
		return K_NX;
	if (strstr(d, "SERVFAIL") || has(d, "server misbehaving"))
		return K_SERVFAIL;
	if (strstr(d, "REFUSED looking up"))
		return K_REFUSED;
	if ((has(d, "timeout") || has(d, "timed out")) &&
	    (has(d, "looking up") || strstr(d, "DNS") || strstr(d, "lookup ")))
		return K_TIMEOUT;
	return -1;
}

/* The HTTP status in "Invalid response from URL: 404" (Boulder) or
 * "URL returned 404" (Pebble); 0 when none. */
static int http_status(const char *d)
{
	const char *p = strcasestr(d, "Invalid response from ");
	const char *q;
	if (p) {
		p += strlen("Invalid response from ");
		/* the status follows the URL: "…/token: 404" */
		q = strstr(p, ": ");
		if (q && q[2] >= '1' && q[2] <= '5' && q[3] >= '0' &&
		    q[3] <= '9' && q[4] >= '0' && q[4] <= '9' &&
		    (q[5] == '\0' || q[5] == ' ' || q[5] == ',' || q[5] == '"'))
			return (q[2] - '0') * 100 + (q[3] - '0') * 10 +
			       (q[4] - '0');
		return -1; /* a response, but no status: a body mismatch */
	}
	p = strstr(d, " returned ");
	if (p && strcasestr(d, "http")) {
		p += strlen(" returned ");
		if (p[0] >= '1' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9' &&
		    p[2] >= '0' && p[2] <= '9')
			return (p[0] - '0') * 100 + (p[1] - '0') * 10 +
			       (p[2] - '0');
	}
	return 0;
}

static enum acme_cause rate_cause(const char *d)
{
	if (has(d, "failed authorizations") || has(d, "failed validation"))
		return AC_RATE_LIMITED_FAILED_VALIDATIONS;
	if (has(d, "new orders"))
		return AC_RATE_LIMITED_NEW_ORDERS;
	if (has(d, "exact set") || has(d, "duplicate"))
		return AC_RATE_LIMITED_DUPLICATE_CERTS;
	if (has(d, "certificates already issued") ||
	    has(d, "registered domain") || has(d, "certificates per"))
		return AC_RATE_LIMITED_CERTS_PER_DOMAIN;
	if (has(d, "registrations") || has(d, "new accounts"))
		return AC_RATE_LIMITED_ACCOUNTS;
	return AC_RATE_LIMITED;
}

/* Causes named by the type alone, whatever the wording. */
static enum acme_cause type_only(const char *t, const char *d)
{
	static const struct {
		const char *type;
		enum acme_cause cause;
	} tab[] = {
		{ "badNonce", AC_BAD_NONCE },
		{ "malformed", AC_MALFORMED },
		{ "serverInternal", AC_SERVER_INTERNAL },
		{ "accountDoesNotExist", AC_ACCOUNT },
		{ "badPublicKey", AC_ACCOUNT },
		{ "badSignatureAlgorithm", AC_ACCOUNT },
		{ "invalidContact", AC_ACCOUNT },
		{ "unsupportedContact", AC_ACCOUNT },
		{ "badCSR", AC_BAD_CSR },
		{ "rejectedIdentifier", AC_REJECTED_IDENTIFIER },
		{ "unsupportedIdentifier", AC_REJECTED_IDENTIFIER },
		{ "orderNotReady", AC_ORDER_NOT_READY },
		{ "userActionRequired", AC_USER_ACTION_REQUIRED },
		{ "externalAccountRequired", AC_EXTERNAL_ACCOUNT_REQUIRED },
	};
	if (strcmp(t, "rateLimited") == 0)
		return rate_cause(d);
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(t, tab[i].type) == 0)
			return tab[i].cause;
	return AC_UNKNOWN;
}

static enum acme_cause by_wording(const char *t, const char *d)
{
	int kind, st;
	char rec = looked_up(d);

	if (has(d, "too many ") &&
	    (has(d, "rate limit") || has(d, "already issued") ||
	     has(d, "recently") || has(d, "orders")))
		return rate_cause(d);
	if (has(d, "CAA record for") || has(d, "prevents issuance") ||
	    (strcmp(t, "caa") == 0 && rec != 'C'))
		return AC_CAA_FORBIDS;
	if (has(d, "No TXT record found") || has(d, "No TXT records found"))
		return AC_TXT_MISSING;
	if (has(d, "Incorrect TXT record") || has(d, "Correct value not found "
						     "for DNS challenge"))
		return AC_TXT_MISMATCH;
	/* the client gave up on its own check (cert-manager; lego's
	 * "presolve: time limit exceeded: last error: …"): before an rcode
	 * test, which would read lego's "last error: NXDOMAIN" as the CA's */
	if (has(d, "not yet propagated") ||
	    has(d, "time limit exceeded: last error") ||
	    has(d, "did not return the expected TXT record") ||
	    has(d, "waiting for DNS record propagation"))
		return AC_TXT_NOT_PROPAGATED;
	if (has(d, "No valid IP addresses found") ||
	    has(d, "no valid A records") || has(d, "No valid AAAA records"))
		return AC_DNS_NO_ADDRESS;
	kind = dns_kind(d);
	if (kind >= 0) {
		if (!rec && (strstr(d, "TXT") || has(d, "_acme-challenge")))
			rec = 'T';
		if (!rec && kind == K_TIMEOUT)
			rec = 'A';
		/* "Get http://x/…: dial tcp: lookup x: no such host": the
		 * address of an HTTP-01 name. */
		if (!rec && (has(d, "dial tcp") || has(d, "http")))
			rec = 'A';
		if (rec)
			return dns_cause(kind, rec);
		return kind == K_NX ? AC_DNS_NXDOMAIN_ADDR : AC_DNS_PROBLEM;
	}
	if (has(d, "key authorization file from the server did not match") ||
	    has(d, "The key authorization"))
		return AC_HTTP_KEY_MISMATCH;
	if (has(d, "redirect"))
		return AC_HTTP_REDIRECT;
	if (has(d, "connection refused"))
		return AC_CONNECTION_REFUSED;
	if (has(d, "Timeout during connect") || has(d, "i/o timeout") ||
	    has(d, "Timeout after connect") || has(d, "Timeout during read") ||
	    has(d, "context deadline exceeded") || has(d, "timed out"))
		return AC_CONNECTION_TIMEOUT;
	if (has(d, "connection reset"))
		return AC_CONNECTION_RESET;
	if (has(d, "no route to host") || has(d, "network is unreachable"))
		return AC_CONNECTION_UNREACHABLE;
	st = http_status(d);
	if (st == 404)
		return AC_HTTP_404;
	if (st > 0 && st != 200)
		return AC_HTTP_BAD_STATUS;
	if (st == 200 || st < 0)
		return AC_HTTP_KEY_MISMATCH;
	if (strcmp(t, "tls") == 0 || has(d, "tls: ") ||
	    has(d, "TLS handshake") || has(d, "remote error: tls") ||
	    has(d, "ALPN"))
		return AC_TLS_ERROR;
	if (rec == 'C')
		return AC_CAA_LOOKUP_FAILED;
	if (strcmp(t, "dns") == 0)
		return AC_DNS_PROBLEM;
	if (strcmp(t, "connection") == 0)
		return AC_CONNECTION_PROBLEM;
	if (strcmp(t, "incorrectResponse") == 0)
		return AC_INCORRECT_RESPONSE;
	if (strcmp(t, "unauthorized") == 0)
		return AC_UNAUTHORIZED;
	return AC_UNKNOWN;
}

enum acme_cause acmelog_classify(const char *type, const char *detail,
				 bool *secondary)
{
	static const char sec[] = "During secondary validation: ";
	const char *t = type ? type : "", *d = detail ? detail : "", *s;
	enum acme_cause c;

	if ((s = acmelog_short_type(t)))
		t = s;
	if (secondary)
		*secondary = false;
	/* Boulder prefixes what a remote perspective saw; the cause is the
	 * rest, but the flag matters: the primary saw it otherwise. */
	if (strncasecmp(d, sec, sizeof(sec) - 1) == 0) {
		d += sizeof(sec) - 1;
		if (secondary)
			*secondary = true;
	}
	c = type_only(t, d);
	if (c != AC_UNKNOWN)
		return c;
	return by_wording(t, d);
}

/* ---- commands ---- */

/* Appends TEMPLATE with its one "%s" replaced by DOMAIN (no printf: the
 * templates are data, and -Wformat-nonliteral is right to object). */
static int push(char **out, size_t max, size_t *n, const char *tmpl,
		const char *domain)
{
	const char *at = strstr(tmpl, "%s");
	size_t pre = at ? (size_t)(at - tmpl) : strlen(tmpl);
	size_t dl = at ? strlen(domain) : 0;
	size_t post = at ? strlen(at + 2) : 0;
	char *s;
	if (*n >= max)
		return 0;
	if (!(s = malloc(pre + dl + post + 1)))
		return -ENOMEM;
	memcpy(s, tmpl, pre);
	memcpy(s + pre, domain, dl);
	memcpy(s + pre + dl, at ? at + 2 : "", post);
	s[pre + dl + post] = '\0';
	out[(*n)++] = s;
	return 0;
}

/* The command line of each confirming diagnosis, DOMAIN at %s. */
static const char *const confirm_tmpl[] = {
	[ACK_CHECK] = "dnsdoctor check %s",
	[ACK_CHECK_DNS01] = "dnsdoctor check %s --acme --challenge dns-01",
	[ACK_CHECK_HTTP01] = "dnsdoctor check %s --acme --challenge http-01",
	[ACK_PROPAGATION_TXT] = "dnsdoctor propagation _acme-challenge.%s TXT",
	[ACK_PROPAGATION_A] = "dnsdoctor propagation %s A",
	[ACK_CERT] = "dnsdoctor cert %s",
};

int acmelog_confirms(enum acme_cause cause, enum acme_confirm *out, size_t max)
{
	/* Which check explains which cause: TXT faults are a propagation
	 * question first; DNS rcodes and CAA failures a delegation one;
	 * HTTP and connection faults the address the name points to. */
	static const enum acme_confirm txt[] = { ACK_PROPAGATION_TXT,
						 ACK_CHECK_DNS01, ACK_CHECK,
						 ACK__END };
	static const enum acme_confirm deleg[] = { ACK_CHECK, ACK_CHECK_DNS01,
						   ACK_PROPAGATION_TXT,
						   ACK__END };
	static const enum acme_confirm addr[] = { ACK_CHECK, ACK_PROPAGATION_A,
						  ACK__END };
	static const enum acme_confirm http[] = { ACK_CHECK_HTTP01,
						  ACK_PROPAGATION_A, ACK_CHECK,
						  ACK__END };
	static const enum acme_confirm caa[] = { ACK_CHECK, ACK__END };
	static const enum acme_confirm tls[] = { ACK_CERT, ACK_PROPAGATION_A,
						 ACK__END };
	const enum acme_confirm *list;
	size_t n = 0;

	switch (cause) {
	case AC_DNS_NXDOMAIN_TXT:
	case AC_TXT_MISSING:
	case AC_TXT_MISMATCH:
	case AC_TXT_NOT_PROPAGATED:
		list = txt;
		break;
	case AC_DNS_SERVFAIL_TXT:
	case AC_DNS_REFUSED_TXT:
	case AC_DNS_TIMEOUT_TXT:
	case AC_DNS_PROBLEM:
		list = deleg;
		break;
	case AC_DNS_NXDOMAIN_ADDR:
	case AC_DNS_SERVFAIL_ADDR:
	case AC_DNS_REFUSED_ADDR:
	case AC_DNS_TIMEOUT_ADDR:
	case AC_DNS_NO_ADDRESS:
		list = addr;
		break;
	case AC_CAA_SERVFAIL:
	case AC_CAA_TIMEOUT:
	case AC_CAA_LOOKUP_FAILED:
	case AC_CAA_FORBIDS:
		list = caa;
		break;
	case AC_HTTP_404:
	case AC_HTTP_BAD_STATUS:
	case AC_HTTP_KEY_MISMATCH:
	case AC_HTTP_REDIRECT:
	case AC_CONNECTION_REFUSED:
	case AC_CONNECTION_TIMEOUT:
	case AC_CONNECTION_RESET:
	case AC_CONNECTION_UNREACHABLE:
	case AC_CONNECTION_PROBLEM:
		list = http;
		break;
	case AC_TLS_ERROR:
		list = tls;
		break;
	default:
		return 0; /* no DNS check explains a rate limit or a bad CSR */
	}
	for (; *list != ACK__END && n < max; list++)
		out[n++] = *list;
	return (int)n;
}

char *acmelog_confirm_command(enum acme_confirm c, const char *domain)
{
	char *out[1];
	size_t n = 0;
	if (c >= ACK__END || !domain)
		return NULL;
	if (strncmp(domain, "*.", 2) == 0)
		domain += 2; /* a wildcard is validated at its base name */
	return push(out, 1, &n, confirm_tmpl[c], domain) < 0 || n == 0 ? NULL
								       : out[0];
}

int acmelog_commands(enum acme_cause cause, const char *domain, char **out,
		     size_t max)
{
	enum acme_confirm c[ACK__END];
	if (!domain || !*domain)
		return 0;
	int n = acmelog_confirms(cause, c, max < ACK__END ? max : ACK__END);
	for (int i = 0; i < n; i++)
		if (!(out[i] = acmelog_confirm_command(c[i], domain))) {
			while (i)
				free(out[--i]);
			return -ENOMEM;
		}
	return n;
}

bool acmelog_precheck(const char *detail, char *server, size_t slen,
		      char *answer, size_t alen)
{
	const char *ns = detail ? strstr(detail, "NS ") : NULL, *p;
	server[0] = answer[0] = '\0';
	if (!detail)
		return false;
	if (ns) {
		ns += 3;
		size_t n = strcspn(ns, " ");
		snprintf(server, slen, "%.*s", (int)n, ns);
		p = ns + n;
		if (strncmp(p, " returned ", 10) == 0) {
			p += strlen(" returned ");
			snprintf(answer, alen, "%.*s", (int)strcspn(p, " "), p);
		} else if (strstr(p, "did not return the expected TXT "
				     "record")) {
			snprintf(answer, alen, "%s", "other TXT");
		}
	}
	if (!answer[0] &&
	    (strstr(detail, "i/o timeout") || strstr(detail, "timed out"))) {
		snprintf(answer, alen, "%s", "timeout");
		/* Go's "read udp 10.0.0.1:5353->192.0.2.53:53: i/o timeout":
		 * the server is the address after the arrow, port dropped. */
		const char *arrow = server[0] ? NULL : strstr(detail, "->");
		const char *end = arrow ? strstr(arrow, ": i/o timeout") : NULL;
		if (end) {
			arrow += 2;
			const char *colon = end;
			while (colon > arrow && colon[-1] != ':')
				colon--;
			if (colon > arrow + 1)
				snprintf(server, slen, "%.*s",
					 (int)(colon - 1 - arrow), arrow);
			size_t sl = strlen(server);
			if (sl > 2 && server[0] == '[' &&
			    server[sl - 1] == ']') {
				memmove(server, server + 1, sl - 2);
				server[sl - 2] = '\0';
			}
		}
	}
	return server[0] || answer[0];
}
