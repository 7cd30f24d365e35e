/* ACME client logs: parsing certbot, lego, acme.sh and cert-manager output
 * into failures, and classifying each failure by its RFC 8555 problem type
 * and the detail wording CAs use.
 *
 * Pure code: takes text, returns data; no file I/O, no clock. Every input
 * is hostile: lines are cut at ACMELOG_LINE_MAX, JSON blocks larger than
 * ACMELOG_JSON_MAX are skipped, JSON shape is checked at every step, and the
 * number of failures and attempts kept is capped (the excess is counted). */
#ifndef DD_CORE_ACMELOG_H
#define DD_CORE_ACMELOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACMELOG_LINE_MAX   (64u << 10) /* longer lines are cut (and counted) */
#define ACMELOG_JSON_MAX   (1u << 20)  /* a certbot response body, at most */
#define ACMELOG_EVENTS_MAX 200000u     /* failures and attempts kept, each */
#define ACMELOG_NO_TIME	   INT64_MIN   /* the log gave no time */

enum acme_format {
	ACME_FMT_UNKNOWN = 0,
	ACME_FMT_CERTBOT_LOG,	  /* letsencrypt.log, the debug log */
	ACME_FMT_CERTBOT_CONSOLE, /* what certbot prints */
	ACME_FMT_LEGO,
	ACME_FMT_ACMESH,
	ACME_FMT_CM_DESCRIBE, /* kubectl describe challenge|order|certificate */
	ACME_FMT_CM_JSON,     /* kubectl get challenge -o json */
};

/* The cause behind a failure. Names (acme_cause_name) are an interface:
 * never renamed; append new causes at the end. */
enum acme_cause {
	AC_UNKNOWN = 0,
	AC_DNS_NXDOMAIN_TXT,
	AC_DNS_SERVFAIL_TXT,
	AC_DNS_REFUSED_TXT,
	AC_DNS_TIMEOUT_TXT,
	AC_DNS_NXDOMAIN_ADDR, /* NXDOMAIN looking up A or AAAA */
	AC_DNS_SERVFAIL_ADDR,
	AC_DNS_REFUSED_ADDR,
	AC_DNS_TIMEOUT_ADDR,
	AC_DNS_NO_ADDRESS, /* "No valid IP addresses found for" */
	AC_DNS_PROBLEM,	   /* urn:…:dns with wording not recognised */
	AC_TXT_MISSING,
	AC_TXT_MISMATCH,
	AC_TXT_NOT_PROPAGATED, /* the client's own propagation check gave up */
	AC_CAA_SERVFAIL,
	AC_CAA_TIMEOUT,
	AC_CAA_LOOKUP_FAILED,
	AC_CAA_FORBIDS,
	AC_HTTP_404,
	AC_HTTP_BAD_STATUS,   /* any other non-200 status */
	AC_HTTP_KEY_MISMATCH, /* 200, but not the key authorization */
	AC_HTTP_REDIRECT,
	AC_CONNECTION_REFUSED,
	AC_CONNECTION_TIMEOUT,
	AC_CONNECTION_RESET,
	AC_CONNECTION_UNREACHABLE,
	AC_CONNECTION_PROBLEM,
	AC_TLS_ERROR,
	AC_RATE_LIMITED,
	AC_RATE_LIMITED_FAILED_VALIDATIONS,
	AC_RATE_LIMITED_NEW_ORDERS,
	AC_RATE_LIMITED_CERTS_PER_DOMAIN,
	AC_RATE_LIMITED_DUPLICATE_CERTS,
	AC_RATE_LIMITED_ACCOUNTS,
	AC_BAD_NONCE,
	AC_MALFORMED,
	AC_SERVER_INTERNAL,
	AC_ACCOUNT, /* accountDoesNotExist, badPublicKey, contacts… */
	AC_BAD_CSR,
	AC_REJECTED_IDENTIFIER,
	AC_ORDER_NOT_READY,
	AC_UNAUTHORIZED, /* urn:…:unauthorized with wording not recognised */
	AC_INCORRECT_RESPONSE,
	AC_USER_ACTION_REQUIRED,
	AC_EXTERNAL_ACCOUNT_REQUIRED,
	AC_COUNT_
};

/* Where in the ACME flow a cause belongs (the seed's "authorization /
 * challenge / rateLimited" triage). */
enum acme_category {
	ACAT_CHALLENGE = 0, /* the CA could not validate a challenge */
	ACAT_CLIENT,	    /* the client's own check gave up before asking */
	ACAT_RATE_LIMIT,
	ACAT_ORDER, /* the request was refused: CSR, identifier, order */
	ACAT_ACCOUNT,
	ACAT_SERVER, /* the CA's side: serverInternal, badNonce */
	ACAT_UNKNOWN,
};

/* One failure as logged. Strings are owned, never NULL ("" when unknown). */
struct acme_failure {
	char *type; /* short RFC 8555 type: "dns", "unauthorized", … */
	char *detail;
	char *domain;
	char *challenge; /* "dns-01", "http-01", … */
	int64_t time;	 /* Unix seconds or ACMELOG_NO_TIME */
	uint32_t run;	 /* the client run (attempt) it belongs to */
	uint32_t count;	 /* times it happened (cert-manager "x3 over 5m") */
	uint32_t input;	 /* which input it came from */
	enum acme_cause cause;
	bool secondary; /* "During secondary validation: …" */
};

/* One domain in one client run: an attempt, successful or not. */
struct acme_attempt {
	char *domain;
	int64_t time;
	uint32_t run;
	bool success;
};

struct acme_log {
	struct acme_failure *f;
	size_t nf, capf;
	struct acme_attempt *a;
	size_t na, capa;
	uint32_t runs; /* client runs seen, over every input */
	uint32_t inputs;
	size_t lines;
	size_t long_lines; /* lines cut at ACMELOG_LINE_MAX */
	size_t big_json;   /* JSON blocks skipped for size */
	size_t dropped;	   /* failures or attempts over ACMELOG_EVENTS_MAX */
	/* Times written without a zone (certbot, lego: the machine's local
	 * time; acme.sh with a zone name other than UTC) are read as UTC
	 * minus TZ_OFFSET, the offset the caller knows (--log-tz); without
	 * one, LOCAL_TIMES says such times were seen and are not UTC. */
	int64_t tz_offset; /* seconds east of UTC */
	bool tz_given;
	bool local_times;
};

void acmelog_init(struct acme_log *log);
void acmelog_deinit(struct acme_log *log);

/* Detects the format of TEXT (LEN bytes, need not be NUL-terminated). */
enum acme_format acmelog_detect(const char *text, size_t len);

/* Parses one input of format FMT (ACME_FMT_UNKNOWN: detect) into LOG,
 * appending to what earlier inputs gave, so retries are seen across
 * rotated logs. *FMT_OUT (may be NULL) gets the format used.
 * Returns 0, -EINVAL when the format is not recognised, or -ENOMEM. */
int acmelog_parse(struct acme_log *log, const char *text, size_t len,
		  enum acme_format fmt, enum acme_format *fmt_out);

/* Classifies a failure from its problem TYPE (full URN, short name or
 * NULL) and DETAIL (may be NULL). *SECONDARY (may be NULL) is set when the
 * detail is a "During secondary validation" one. */
enum acme_cause acmelog_classify(const char *type, const char *detail,
				 bool *secondary);

/* "urn:ietf:params:acme:error:dns" -> "dns"; NULL when S is not an ACME
 * error URN. Points into S. */
const char *acmelog_short_type(const char *s);
/* Whether SHORT is one of the problem types of RFC 8555 §6.7 or one the
 * Let's Encrypt CA adds. */
bool acmelog_known_type(const char *short_type);

const char *acme_format_name(enum acme_format f);
const char *acme_cause_name(enum acme_cause c);
/* One sentence: what the cause means for the operator. */
const char *acme_cause_text(enum acme_cause c);
enum acme_category acme_cause_category(enum acme_cause c);
const char *acme_category_name(enum acme_category c);

/* What a client's own propagation check last saw, read from its message
 * ("NS ns2.example. returned NXDOMAIN for ...", "NS x did not return the
 * expected TXT record", "... i/o timeout"): the server (absolute, or "")
 * and its answer ("NXDOMAIN", "SERVFAIL", "other TXT", "timeout", ...).
 * False when DETAIL says neither. */
bool acmelog_precheck(const char *detail, char *server, size_t slen,
		      char *answer, size_t alen);

/* The diagnoses that confirm a cause, by name, not by command line: the
 * diagnosis layer runs them in-process (logs --run-checks). */
enum acme_confirm {
	ACK_CHECK = 0,	     /* check DOMAIN */
	ACK_CHECK_DNS01,     /* check DOMAIN --acme --challenge dns-01 */
	ACK_CHECK_HTTP01,    /* check DOMAIN --acme --challenge http-01 */
	ACK_PROPAGATION_TXT, /* propagation _acme-challenge.DOMAIN TXT */
	ACK_PROPAGATION_A,   /* propagation DOMAIN A */
	ACK_CERT,	     /* cert DOMAIN */
	ACK__END
};

/* The diagnoses that confirm CAUSE, most telling first, into OUT (at most
 * MAX). Returns how many. */
int acmelog_confirms(enum acme_cause cause, enum acme_confirm *out, size_t max);
/* The command line of C for DOMAIN ("*." dropped), a new string; NULL on
 * ENOMEM. */
char *acmelog_confirm_command(enum acme_confirm c, const char *domain);

/* The dnsdoctor commands that confirm CAUSE for DOMAIN, most telling
 * first, into OUT (at most MAX; each a new string the caller frees).
 * Returns how many, or -ENOMEM. */
int acmelog_commands(enum acme_cause cause, const char *domain, char **out,
		     size_t max);

/* ---- the summary: failures grouped, retries per domain, rate limits ---- */

/* Let's Encrypt's limits the retry pattern is compared with. */
#define LE_FAILED_VALIDATIONS_PER_HOUR 5   /* per account, hostname, hour */
#define LE_NEW_ORDERS_PER_3H	       300 /* per account, 3 hours */
#define LE_CERTS_PER_DOMAIN_PER_WEEK   50  /* per registered domain, week */

struct acme_group {
	const char *type; /* borrowed from the first failure */
	const char *detail;
	const char *challenge;
	enum acme_cause cause;
	bool secondary;
	char **domains; /* owned copies, in first-seen order */
	size_t ndomains;
	uint64_t count;
	int64_t first, last;
};

struct acme_retry {
	char *domain;
	uint32_t attempts; /* runs that tried the domain */
	uint32_t failures; /* runs in which it failed */
	uint32_t successes;
	int64_t first, last;
	int64_t *intervals; /* seconds between attempts, attempts-1 (timed) */
	size_t nintervals;
	uint32_t max_failed_hour; /* most failed runs in any 60 minutes */
};

struct acme_summary {
	struct acme_group *g;
	size_t ng;
	struct acme_retry *r;
	size_t nr;
	uint64_t failures;
	uint64_t ungrouped; /* failures past the group cap (hostile input) */
	uint32_t orders;    /* runs (orders) with a time */
	uint32_t max_orders_3h;	 /* most runs in any 3 hours */
	uint32_t max_certs_week; /* most certificates for one registered domain
				  */
	char *certs_domain;	 /* that registered domain, or NULL */
};

/* Builds S from LOG (S borrows strings from LOG for types and details).
 * 0 or -ENOMEM. */
int acmelog_summarize(const struct acme_log *log, struct acme_summary *s);
void acmelog_summary_deinit(struct acme_summary *s);

/* The Unix time of a civil UTC date; pure (no tz, no locale). */
int64_t acmelog_civil_time(int y, int mon, int d, int h, int mi, int s);

#endif
