/* What the CAA, ACME and ACM checks share: the options that travel with the
 * evidence (evidence.validation), one authoritative answer read the way a
 * validator reads it, and the typos people make pasting validation records.
 * Pure: no I/O, no clock. */
#ifndef DD_CORE_VALIDATION_H
#define DD_CORE_VALIDATION_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "core/caa.h"
#include "core/evidence.h"
#include "core/strset.h"
#include <jansson.h>
#include "core/view.h"

#define VAL_ACM_MAX 16
#define VAL_TXT_MAX 512 /* an ACME TXT value is 43 characters */

struct val_acm {
	char name[VIEW_NAME_MAX];   /* absolute, lower case */
	char target[VIEW_NAME_MAX]; /* absolute, lower case */
};

struct val_opts {
	bool acme;
	bool wildcard;		 /* the certificate is for *.DOMAIN */
	const char *ca;		 /* --ca, or NULL */
	const char *challenge;	 /* "dns-01", "http-01", or NULL (dns-01) */
	const char *txt;	 /* --txt, or NULL */
	const char *account_uri; /* --account-uri, or NULL */
	const char *token;	 /* --token: the HTTP-01 token, or NULL */
	const char *key_auth;	 /* --key-auth: the body HTTP-01 expects */
	struct val_acm acm[VAL_ACM_MAX];
	size_t n_acm;
};

/* EV's validation options (pointers into EV), ACM records at most
 * VAL_ACM_MAX. */
void val_opts_read(const struct evidence *ev, struct val_opts *o);

/* True when O asks for the HTTP-01 check. */
static inline bool val_http01(const struct val_opts *o)
{
	return o->acme && o->challenge && strcmp(o->challenge, "http-01") == 0;
}

/* The token fetched when --token is not given: any HTTP answer then shows
 * the address is reachable, none can show the right body. */
#define VAL_PROBE_TOKEN "dnsdoctor-reachability-check"

/* The issuer domains of the CA O names: --ca (a known CA or a domain),
 * else Amazon when only --acm is given, else Let's Encrypt. OWN holds a
 * domain that is not in the table. Returns a NULL-terminated list and sets
 * *CA_NAME to a name for humans. */
const char *const *val_issuers(const struct val_opts *o, const char *own[2],
			       const char **ca_name);

/* One exchange read as a validator reads it: the records owned by the
 * question's name. */
struct val_ans {
	bool answered; /* a parseable response arrived */
	bool failed;   /* timeout, unreachable, SERVFAIL */
	int rcode;
	enum resp_kind kind;
	char cname[VIEW_NAME_MAX]; /* "" unless the name is an alias */
	struct strset txt;	   /* TXT values (character strings joined) */
	struct caa_rr *caa;	   /* CAA records */
	size_t n_caa;
};

/* Reads X into A (always initialised; deinit it). 0 or -ENOMEM. */
int val_ans_read(const struct ev_exchange *x, struct val_ans *a);
void val_ans_deinit(struct val_ans *a);

/* Every validation-pass answer to (QNAME, QTYPE), at most VAL_SET_MAX. */
#define VAL_SET_MAX 48
struct val_set {
	size_t n;
	const struct ev_exchange *x[VAL_SET_MAX];
	struct val_ans a[VAL_SET_MAX];
	bool expected_only[VAL_SET_MAX]; /* val_expected_only */
};

/* Reads the answers of V's evidence into S (deinit it). 0 or -ENOMEM. */
int val_set_read(const struct view *v, const char *qname, uint16_t qtype,
		 struct val_set *s);
void val_set_deinit(struct val_set *s);

/* A JSON string of network text S with bytes outside printable ASCII
 * written as \\xHH, so the JSON stays valid UTF-8. */
json_t *json_safe(const char *s);

/* The bytes S stood for before json_safe escaped them, written to OUT
 * (at most LEN - 1 of them, then a NUL; an escaped NUL comes back as
 * '?'). Returns how many were written. Checks compare these raw bytes,
 * as the CA does; the escaped form is only for display. */
size_t json_safe_decode(const char *s, char *out, size_t len);

/* True when X, an exchange of the zone V diagnoses, went to a server that
 * only --expect-ns names: a server the CA never asks. */
bool val_expected_only(const struct view *v, const struct ev_exchange *x);

/* "_acme-challenge.NAME" for V's domain (a leading "*." dropped), and the
 * same with V's zone pasted once more: "_acme-challenge.NAME.ZONE". Either
 * is "" when too long for a name. */
void val_challenge_names(const struct view *v, char *name, char *doubled,
			 size_t len);

enum val_typo {
	TYPO_NONE = 0,	    /* the same name */
	TYPO_DOUBLED,	    /* the zone (or domain) pasted once more */
	TYPO_NO_UNDERSCORE, /* the leading underscore lost */
	TYPO_TRAILING,	    /* the right name with stray text after it */
	TYPO_CASE_OR_OTHER, /* some other name */
};

/* How FOUND differs from WANT, both absolute names, for a record in ZONE.
 * "_a.example.com.example.com." for "_a.example.com." is TYPO_DOUBLED (a
 * target written without its final dot in a zone file gets the zone
 * appended the same way). */
enum val_typo val_typo_of(const char *found, const char *want,
			  const char *zone);
const char *val_typo_text(enum val_typo t);

/* The names where a mistyped record for NAME in ZONE may sit, in the
 * order of val_typo: doubled, without underscore. Either "" when it does
 * not apply. */
void val_typo_names(const char *name, const char *zone, char *doubled,
		    char *no_underscore, size_t len);

#endif
