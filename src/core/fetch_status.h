/* How an HTTP-01 fetch or a TLS handshake ended: the statuses the engine
 * reports, the evidence records by name and the checks judge. One table,
 * so the three cannot disagree on a word. */
#ifndef DD_CORE_FETCH_STATUS_H
#define DD_CORE_FETCH_STATUS_H

enum http_status {
	HS_OK = 0,  /* an HTTP response arrived (any code) */
	HS_CONNECT, /* connection refused or unreachable */
	HS_TIMEOUT,
	HS_REDIRECT_BAD,   /* redirect to a scheme or port a CA refuses */
	HS_REDIRECT_OTHER, /* redirect to another host: not followed by the
			    * engine, the probe resolves it (see location) */
	HS_TOO_MANY_REDIRECTS,
	HS_ERROR, /* any other transfer error */
};

enum tls_status {
	TS_OK = 0,
	TS_CONNECT,   /* TCP connection refused or unreachable */
	TS_TIMEOUT,   /* no TCP connection or no handshake in time */
	TS_HANDSHAKE, /* TLS failed (alert, not TLS at all) */
	TS_ERROR,
};

/* "ok", "connect-failed", "timeout", "redirect-refused",
 * "redirect-other-host", "too-many-redirects", "error". */
const char *http_status_name(int status);
/* The status a record names; an unknown word reads as HS_ERROR. */
int http_status_from_name(const char *word);

/* "ok", "connect-failed", "timeout", "handshake-failed", "error". */
const char *tls_status_name(int status);
/* The status a record names; an unknown word reads as TS_ERROR. */
int tls_status_from_name(const char *word);

#endif
