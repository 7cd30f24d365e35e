/* HTTP-01 fetches: one URL from each of several addresses, in parallel,
 * through libcurl's multi interface driven by the engine's libuv loop.
 * Part of the engine because it owns the sockets. Names are never resolved
 * here: every connection goes to the address given, so nothing reaches a
 * resolver, and no connection is reused for another address.
 *
 * RDAP fetches (RDAP set) share the multi handle with other rules: the
 * URL's host is the registry's, named by the bootstrap, so curl resolves
 * it (a literal address needs no resolving); redirects go to any http(s)
 * URL but never to a special-purpose address other than the first one
 * connected to; the body goes to the caller's buffer, capped; one deadline
 * covers the whole exchange, redirects included. */
#ifndef DD_ENGINE_HTTP_H
#define DD_ENGINE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_BODY_MAX	   512 /* bytes kept; a key authorisation is ~87 */
#define HTTP_REDIRECTS_MAX 10  /* what Let's Encrypt follows */

#include "core/fetch_status.h" /* enum http_status and its names */
#include "engine/engine.h"     /* eng_done_cb */

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
	/* RDAP (see above): HOST and ADDR unused; the body goes to BIG, a
	 * buffer of BIG_MAX + 1 bytes the caller owns, BIG_LEN bytes
	 * NUL-terminated (NULs written as '?'); TIMEOUT_MS is the deadline
	 * of the whole. */
	bool rdap;
	char *big;
	size_t big_max, big_len;
	char ctype[128];  /* Content-Type of the last response */
	long retry_after; /* seconds a Retry-After header asked for */
};

struct engine;

/* Fetches every F[i] at once through ENG and waits for all of them.
 * Redirects are followed as a CA's validator follows them: http or https,
 * ports 80 and 443, the same host (always to the same address), at most
 * HTTP_REDIRECTS_MAX; HTTPS certificates are not checked (CAs do not
 * either for HTTP-01). 0 or -ENOMEM. */
int http_fetch_all(struct engine *eng, struct http_fetch *f, size_t n);

/* Starts F (RDAP set, or HTTP-01) through ENG and returns; CB(ARG) is
 * called when it ends, from the loop (eng_step). 0, -EINVAL or -ENOMEM. */
int http_fetch_start(struct engine *eng, struct http_fetch *f, eng_done_cb cb,
		     void *arg);

#endif
