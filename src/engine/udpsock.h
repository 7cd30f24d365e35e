/* Shared UDP sockets (engine-internal): one connected socket per server
 * address and port, kept open and shared by every query in flight to it.
 *
 * A socket per question costs socket, connect and close on every query;
 * fleet spent most of its kernel time there. A pool keeps one "current"
 * socket per address. Queries join it, take their IDs on it (unique on
 * the socket for its whole life, so no two queries in flight share one
 * and a late answer is never taken for a newer question), and leave it
 * when done. The socket stays connected: the kernel drops datagrams from
 * any other address and reports an ICMP port unreachable as
 * ECONNREFUSED.
 *
 * A socket is retired (new queries get a new socket, with a new random
 * port) after it has carried LIMITS.max_queries queries, and closed once
 * the queries on it have left; a current socket idle for LIMITS.idle_ms
 * is closed. At most LIMITS.max_open sockets are shared at once; past
 * that, the oldest idle one is closed, and when none is idle a query
 * gets a socket of its own, closed when it leaves (as before sockets
 * were shared).
 *
 * What arrives is handed to the owner through struct usock_cbs, by ID:
 * a datagram whose ID a query on the socket holds goes to that query (the
 * owner checks the question); one whose ID belongs to a query that has
 * left is dropped (a late or repeated answer: with a socket per query it
 * met a closed port); one with any other ID, or too short to hold one,
 * goes to every query on the socket as a stray. An error on the socket
 * (from a read, or a send that finds an ICMP error pending) goes to
 * every query on it: they all asked the same address. */
#ifndef DD_ENGINE_UDPSOCK_H
#define DD_ENGINE_UDPSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

/* IDs one query may take on a socket: one per UDP attempt. */
#define USOCK_MAX_IDS 16

struct usock;
struct usock_pool;

/* A query's place on a socket, embedded in the query. OWNER is given
 * back to the callbacks. */
struct usock_member {
	void *owner;
	struct usock *sock; /* NULL when on none */
	struct usock_member *prev, *next;
	uint16_t ids[USOCK_MAX_IDS];
	int n_ids;
};

/* Called from the loop, never from inside a usock_* call except
 * usock_send (failed). A callback may make M leave, or join and leave
 * other members. */
struct usock_cbs {
	/* A datagram carrying ID, one of M's; PARTIAL when it was cut. */
	void (*answer)(struct usock_member *m, uint16_t id, const uint8_t *msg,
		       size_t len, bool partial);
	/* A datagram no query on M's socket can be told to own. */
	void (*stray)(struct usock_member *m);
	/* M's socket failed with UVERR (a negative libuv error); M is no
	 * longer on it. */
	void (*failed)(struct usock_member *m, int uverr);
};

struct usock_limits {
	unsigned max_queries; /* queries a socket carries, then retires */
	uint32_t idle_ms;     /* a current socket idle this long closes */
	unsigned max_open;    /* shared sockets open at once */
};

/* The engine's limits, with the reasons for them (udpsock.c). */
void usock_limits_default(struct usock_limits *l);

/* A pool on LOOP. Returns 0 and sets *OUT, or -ENOMEM. */
int usock_pool_new(uv_loop_t *loop, const struct usock_limits *limits,
		   const struct usock_cbs *cbs, struct usock_pool **out);
/* Closes every socket (members still on one are dropped without a
 * callback) and the pool's timer. The loop must then run until they are
 * closed; then usock_pool_free. Accepts NULL. */
void usock_pool_close(struct usock_pool *p);
/* Frees a pool closed and run down. Accepts NULL. */
void usock_pool_free(struct usock_pool *p);

/* Puts M (on no socket) on the socket of ADDR, making one if needed.
 * Returns 0, -ENOMEM or a libuv error from making the socket. */
int usock_join(struct usock_pool *p, const struct sockaddr_storage *addr,
	       struct usock_member *m);
/* Takes M off its socket; its IDs stay taken there, so a late answer to
 * one is dropped. No-op when M is on none. */
void usock_leave(struct usock_member *m);

/* Takes ID for M on its socket. Returns 0, -EEXIST when the socket has
 * used ID already (draw another), -ENOSPC when M holds USOCK_MAX_IDS, or
 * -ENOMEM. */
int usock_take_id(struct usock_member *m, uint16_t id);

/* Sends LEN bytes of BUF on M's socket. Returns 0 when the datagram went
 * or was lost to a full buffer (as the network may lose it); on a socket
 * error, every member, M included, gets it through cbs->failed before
 * this returns it. */
int usock_send(struct usock_member *m, const uint8_t *buf, size_t len);

/* Sockets open (shared or not, not closing), for tests. */
size_t usock_pool_open(const struct usock_pool *p);

#endif
