/* The engine: the only code that touches sockets.
 *
 * Callers submit (server address, name, type, flags) and get a callback with
 * the response bytes or a typed failure (enum qstatus). Two implementations sit
 * behind one table of function pointers: engine_uv.c talks to the network
 * through libuv, engine_replay.c answers from recorded evidence so that whole
 * runs can be repeated offline. */
#ifndef DD_ENGINE_ENGINE_H
#define DD_ENGINE_ENGINE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "core/qstatus.h"

struct anscache; /* engine/anscache.h */
struct evidence;
struct http_fetch; /* engine/http.h */
struct tls_fetch;  /* engine/tls.h */

#define ENG_F_RD    0x01 /* recursion desired */
#define ENG_F_EDNS  0x02 /* add an OPT record (RFC 6891) */
#define ENG_F_DO    0x04 /* DNSSEC OK; implies ENG_F_EDNS */
#define ENG_F_CD    0x08 /* checking disabled */
#define ENG_F_TCP   0x10 /* ask over TCP from the start */
#define ENG_F_NOTCP 0x20 /* on TC=1, report the truncated UDP answer */
/* May be answered from an earlier identical question's answer while its TTL
 * lasts, on an engine with a shared-answer cache (engine/anscache.h). */
#define ENG_F_SHARED 0x40
/* Paced ahead of the queries waiting for tokens: someone waits for this
 * one (an exporter's /probe) while scheduled work can wait. Never part of
 * what makes two questions the same. */
#define ENG_F_URGENT 0x80
/* Name-server behaviour questions (core/wire.h WIRE_QF_*): EDNS version 1,
 * an unknown EDNS option, an unknown EDNS flag (each implies ENG_F_EDNS),
 * and the name in mixed case. */
#define ENG_F_EDNS_V1	0x100
#define ENG_F_EDNS_OPT	0x200
#define ENG_F_EDNS_FLAG 0x400
#define ENG_F_CASE	0x800

struct eng_request {
	struct sockaddr_storage addr; /* server address, port set (53) */
	socklen_t addrlen;
	const char *qname; /* presentation form, absolute */
	uint16_t qtype;
	uint16_t qclass; /* 0 means IN */
	unsigned flags;	 /* ENG_F_* */
};

struct eng_response {
	int status;	     /* enum qstatus */
	int transport;	     /* enum transport that produced this result */
	const uint8_t *wire; /* valid only during the callback; NULL unless
				QS_OK */
	size_t len;
	uint32_t rtt_ms; /* from the first send to the result */
	int attempts;	 /* datagrams or connections used */
	int sys_errno;	 /* for QS_NETERR/QS_UNREACHABLE, the errno seen */
	bool from_cache; /* an earlier identical question's answer, kept */
};

/* One DNS query in flight, as eng_queries reports it (for a progress
 * display: the pointers are valid only during the call). */
struct eng_query_info {
	const struct sockaddr_storage *addr; /* the server's, port set */
	const char *qname; /* as its first submitter spelt it */
	uint16_t qtype;
	bool sent;	 /* false while it waits for its server's cap or pace */
	uint32_t age_ms; /* since its first datagram or connection */
};
typedef void (*eng_query_fn)(void *arg, const struct eng_query_info *q);

/* Called exactly once per submit, never from inside submit itself. */
typedef void (*eng_cb)(void *arg, const struct eng_request *req,
		       const struct eng_response *resp);
/* For HTTP and TLS exchanges, whose request and result share one struct
 * the caller keeps alive until this is called (same rules as eng_cb). */
typedef void (*eng_done_cb)(void *arg);

struct eng_ops {
	/* Queues a query. Returns 0, -EINVAL for a bad request, -ENOMEM. */
	int (*submit)(void *impl, const struct eng_request *req, eng_cb cb,
		      void *arg);
	/* Waits for and delivers at least one result if any query is in
	 * flight. Returns the number still in flight. */
	size_t (*run_once)(void *impl);
	/* An HTTP-01 fetch (engine/http.h) and a TLS handshake
	 * (engine/tls.h) on the same loop. 0, -EINVAL or -ENOMEM. */
	int (*http)(void *impl, struct http_fetch *f, eng_done_cb cb,
		    void *arg);
	int (*tls)(void *impl, struct tls_fetch *f, eng_done_cb cb, void *arg);
	/* Calls CB(ARG) once MS milliseconds from now have passed on this
	 * engine's clock (never from inside timer itself); until then it
	 * counts as pending, so run_once waits for it. The live engine
	 * sleeps on its loop; the replay engine moves its own clock
	 * forward, so polling under --replay takes no real time.
	 * 0 or -ENOMEM. */
	int (*timer)(void *impl, uint32_t ms, eng_done_cb cb, void *arg);
	size_t (*pending)(const void *impl);
	/* Monotonic milliseconds. */
	uint64_t (*now_ms)(void *impl);
	/* Queries sent to the network (datagrams and connections) so far. */
	uint64_t (*sent)(const void *impl);
	/* UDP datagrams sent again after an attempt went unanswered, and
	 * the questions that needed them (so the share answered at the first
	 * try is 1 - QUESTIONS / questions asked over UDP). NULL: none. */
	void (*retries)(const void *impl, uint64_t *datagrams,
			uint64_t *questions);
	/* What a progress display reads, NULL on an engine with nothing to
	 * show (replay). QUERIES calls FN for every DNS query in flight, one
	 * per network query however many submitters wait for it, and
	 * returns how many. TICK calls CB(ARG) every MS milliseconds while
	 * the loop runs for other work, until TICK with MS 0 stops it (one
	 * per engine: a call replaces the last). Unlike timer it is never
	 * pending: it neither keeps run_once waiting nor the loop alive.
	 * CB must not submit. 0, or a negative errno. */
	size_t (*queries)(const void *impl, eng_query_fn fn, void *arg);
	int (*tick)(void *impl, uint32_t ms, eng_done_cb cb, void *arg);
	void (*free)(void *impl);
	/* The live engine's libuv loop (a uv_loop_t), for the exporter's
	 * HTTP server (engine/httpd.h); NULL: none (replay). */
	void *(*loop)(void *impl);
	/* Runs the loop once, waiting for any event (at most MAX_MS),
	 * pending work or not: what a server does between diagnoses. NULL:
	 * none. */
	void (*serve_once)(void *impl, uint32_t max_ms);
};

struct engine {
	const struct eng_ops *ops;
	void *impl;
	/* Set by a scheduler of many diagnoses on this engine (diag/fiber.h):
	 * eng_step yields to it instead of running the loop, and ASKED, when
	 * set, counts the questions of the diagnosis now running. */
	void (*yield)(void *arg);
	void *yield_arg;
	uint64_t *asked;
	/* Set by that scheduler while a diagnosis someone waits for runs:
	 * its questions are ENG_F_URGENT. */
	bool urgent;
	struct anscache *answers; /* NULL: every question is asked */
};

struct eng_config {
	uint32_t attempt_ms; /* UDP wait per attempt (default 800) */
	int udp_attempts;    /* UDP datagrams per query (default 3) */
	uint32_t tcp_ms;     /* whole TCP exchange budget (default 3000) */
	int per_server_cap;  /* queries in flight per address (default 8) */
	int family;	     /* 0 any, 4 IPv4 only, 6 IPv6 only */
	/* Pacing (engine/pace.h), in 1/1000 query per second; 0: no limit.
	 * Every datagram and connection, retries included, takes a token of
	 * the whole engine's bucket and one of its server's; a query with
	 * none waits. */
	uint32_t rate_mqps;
	uint32_t per_server_mqps;
};

void eng_config_default(struct eng_config *cfg);

/* A libuv engine. Returns 0 and sets *out, or a negative errno. */
int engine_uv_new(struct engine **out, const struct eng_config *cfg);

/* An engine that answers from EV's exchanges: a query matching an exchange's
 * (addr, qname, qtype, transport) gets its recorded status and bytes; any
 * other query gets QS_TIMEOUT. HTTP fetches and TLS handshakes are answered
 * from EV's http01 and tls records by address (a missing one times out).
 * EV must outlive the engine. */
int engine_replay_new(struct engine **out, const struct evidence *ev);

/* Accepts NULL. Results still pending are dropped without callbacks. */
void engine_free(struct engine *eng);

/* eng_submit of a question marked ENG_F_SHARED: from the engine's cache
 * when it has one, else asked without the mark. */
int eng_submit_shared(struct engine *e, const struct eng_request *r, eng_cb cb,
		      void *arg);

static inline int eng_submit(struct engine *e, const struct eng_request *r,
			     eng_cb cb, void *arg)
{
	struct eng_request u;
	if (e->asked)
		++*e->asked;
	if (e->urgent) {
		u = *r;
		u.flags |= ENG_F_URGENT;
		r = &u;
	}
	if (r->flags & ENG_F_SHARED)
		return eng_submit_shared(e, r, cb, arg);
	return e->ops->submit(e->impl, r, cb, arg);
}

/* What a caller does while it waits for its own results: runs the loop
 * once, or, under a scheduler, lets it run the loop for everyone. */
static inline void eng_step(struct engine *e)
{
	if (e->yield)
		e->yield(e->yield_arg);
	else
		e->ops->run_once(e->impl);
}

static inline int eng_timer(struct engine *e, uint32_t ms, eng_done_cb cb,
			    void *arg)
{
	return e->ops->timer(e->impl, ms, cb, arg);
}

static inline void eng_retries(const struct engine *e, uint64_t *datagrams,
			       uint64_t *questions)
{
	*datagrams = *questions = 0;
	if (e->ops->retries)
		e->ops->retries(e->impl, datagrams, questions);
}

/* The queries in flight (struct eng_ops's QUERIES): how many, each
 * given to FN; 0 on an engine that cannot tell. */
static inline size_t eng_queries(const struct engine *e, eng_query_fn fn,
				 void *arg)
{
	return e->ops->queries ? e->ops->queries(e->impl, fn, arg) : 0;
}

/* A tick every MS milliseconds that is never pending (struct eng_ops's
 * TICK); MS 0 stops it. 0, -ENOTSUP on an engine without one, or a
 * negative errno. */
static inline int eng_tick(struct engine *e, uint32_t ms, eng_done_cb cb,
			   void *arg)
{
	return e->ops->tick ? e->ops->tick(e->impl, ms, cb, arg) : -ENOTSUP;
}

/* Steps until no query is in flight on the whole engine. */
void eng_drain(struct engine *e);

/* An eng_done_cb counting down the size_t ARG points to, and the loop
 * that waits for such a count to reach 0: what a caller needs to submit a
 * batch of HTTP or TLS exchanges and wait for all of them. */
void eng_count_down(void *arg);
void eng_run_until_zero(struct engine *e, const size_t *left);

/* Fills REQ's address from numeric text ADDR and PORT; "ADDR#PORT" names
 * its own port. 0 or -EINVAL. */
int eng_addr_parse(struct eng_request *req, const char *addr, uint16_t port);
/* Writes the numeric address of SA (no port) into BUF. 0 or -EINVAL. */
int eng_addr_text(const struct sockaddr_storage *sa, char *buf, size_t len);

#endif
