/* An HTTP server on the engine's loop, for `exporter`: libmicrohttpd
 * (a well-kept server from Debian) in its external-polling mode, its
 * epoll descriptor watched by libuv, so requests are served on the same
 * single thread as the diagnoses, with no locks. Part of the engine
 * because it owns a socket.
 *
 * A handler answers at once (httpd_reply inside the call) or later (the
 * exchange is held, the connection suspended, until httpd_reply); the
 * server's handles never count as pending work, so waiting for a
 * diagnosis's own answers never waits on a scrape. */
#ifndef DD_ENGINE_HTTPD_H
#define DD_ENGINE_HTTPD_H

#include <stddef.h>

struct engine;
struct httpd;
struct httpd_exchange;

typedef void (*httpd_handler)(void *arg, struct httpd_exchange *x);

/* Listens on LISTEN ("ADDR:PORT", "[ADDR6]:PORT") on ENG's loop (a live
 * engine only) and calls H(ARG, x) for each request. 0, or -1 with one
 * line of why in ERR. */
int httpd_start(struct engine *eng, const char *listen, httpd_handler h,
		void *arg, struct httpd **out, char *err, size_t errlen);
/* Stops listening; exchanges still held are answered 503. Accepts NULL. */
void httpd_stop(struct httpd *s);

/* The request: its method, its path (without the query), and the value of
 * query argument NAME (NULL when absent). Valid until httpd_reply. */
const char *httpd_method(const struct httpd_exchange *x);
const char *httpd_path(const struct httpd_exchange *x);
const char *httpd_arg(const struct httpd_exchange *x, const char *name);
/* How many times argument NAME was given. */
unsigned httpd_arg_count(const struct httpd_exchange *x, const char *name);

/* Answers X with STATUS and BODY (LEN bytes, taken: freed by the server)
 * of type CTYPE. X must not be used after. BODY NULL: an empty body. */
void httpd_reply(struct httpd_exchange *x, unsigned status, const char *ctype,
		 char *body, size_t len);

#endif
