/* HTTP-01 fetches: one URL from each of several addresses, in parallel,
 * through libcurl's multi interface driven by the engine's libuv loop.
 * Part of the engine because it owns the sockets. Names are never resolved
 * here: every connection goes to the address given, so nothing reaches a
 * resolver, and no connection is reused for another address. */
#ifndef DD_ENGINE_HTTP_H
#define DD_ENGINE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_BODY_MAX	   512 /* bytes kept; a key authorisation is ~87 */
#define HTTP_REDIRECTS_MAX 10  /* what Let's Encrypt follows */

#include "core/fetch_status.h" /* enum http_status and its names */

struct http_fetch {
	/* in */
	const char *host;  /* the URL's host, no final dot: redirects to
			    * another host are not followed (see location) */
	const char *addr;  /* numeric address to connect to */
	const char *start; /* the URL fetched first, http: or https: */
	uint32_t timeout_ms;
	/* out */
	int status;		      /* enum http_status */
	long code;		      /* the last HTTP status code, 0 if none */
	char body[HTTP_BODY_MAX + 1]; /* NULs written as '?' */
	size_t body_len;
	bool truncated; /* the body was longer than HTTP_BODY_MAX */
	int redirects;
	char url[512];	    /* the last URL fetched */
	char location[512]; /* HS_REDIRECT_OTHER: where it pointed; the
			     * caller resolves that host and fetches it */
	char detail[256];   /* curl's error text, or the refused redirect */
};

struct engine;

/* Fetches every F[i] at once through ENG and waits for all of them.
 * Redirects are followed as a CA's validator follows them: http or https,
 * ports 80 and 443, the same host (always to the same address), at most
 * HTTP_REDIRECTS_MAX; HTTPS certificates are not checked (CAs do not
 * either for HTTP-01). 0 or -ENOMEM. */
int http_fetch_all(struct engine *eng, struct http_fetch *f, size_t n);

#endif
