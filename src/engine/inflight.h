/* The in-flight table: every query the engine has accepted and not yet
 * answered, keyed by (server address and port, case-folded name, type,
 * class, flags).
 *
 * It does two jobs. A submission identical to one already in the table is
 * merged: it becomes one more waiter on the same entry, and every waiter gets
 * the one result. And it caps the queries in flight per server: an entry past
 * the cap waits in that server's FIFO and becomes active when an earlier one
 * is detached. It is a pure data structure (no I/O, no clock), bounded in
 * entries and in waiters per entry. */
#ifndef DD_ENGINE_INFLIGHT_H
#define DD_ENGINE_INFLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "core/wire.h"
#include "engine/engine.h"

#define IFL_MAX_WAITERS 1024

struct ifl_key {
	uint8_t addr[16];
	uint8_t addr_len; /* 4 or 16 */
	uint16_t port;
	uint8_t qname[WIRE_NAME_MAX]; /* wire form, lower case */
	uint16_t qname_len;
	uint16_t qtype;
	uint16_t qclass;
	unsigned flags;
};

/* One submitter waiting for an entry's result. REQ is its own request (with
 * its own spelling of the name); REQ.qname points to QNAME, owned here. */
struct ifl_waiter {
	eng_cb cb;
	void *arg;
	struct eng_request req;
	char *qname;
};

struct ifl_server;

struct ifl_entry {
	struct ifl_key key;
	struct ifl_waiter *w; /* n_w waiters, in submission order */
	size_t n_w, cap_w;
	bool active; /* counted against its server's cap */
	bool urgent; /* ENG_F_URGENT: queued ahead of the others */
	void *user;  /* the engine's per-query state */
	/* Private to inflight.c. */
	struct ifl_entry *hnext;
	struct ifl_entry *qnext;
	struct ifl_server *srv;
	bool linked;
};

/* What inflight_add did with a submission. */
enum ifl_added {
	IFL_MERGED = 0,	 /* joined an existing entry as one more waiter */
	IFL_STARTED = 1, /* a new entry, active: the caller starts it now */
	IFL_QUEUED = 2,	 /* a new entry waiting behind its server's cap */
};

struct inflight;

/* A table of at most MAX_ENTRIES entries with PER_SERVER_CAP active entries
 * per server (address and port; 0 means no cap). Returns 0 and sets *OUT,
 * -EINVAL or -ENOMEM. */
int inflight_new(struct inflight **out, size_t max_entries,
		 unsigned per_server_cap);
/* Frees the table and every entry still in it. Accepts NULL. */
void inflight_free(struct inflight *t);

/* Builds the key of a request. Returns 0, or -EINVAL for an address that is
 * not IPv4/IPv6 or a name wire_name_from_text rejects. */
int ifl_key_init(struct ifl_key *k, const struct sockaddr *sa, socklen_t salen,
		 const char *qname, uint16_t qtype, uint16_t qclass,
		 unsigned flags);
/* A key's hash and equality, for the tables that hold keys. */
uint64_t ifl_key_hash(const struct ifl_key *k);
bool ifl_key_eq(const struct ifl_key *a, const struct ifl_key *b);

/* Adds a waiter (CB, ARG, a copy of REQ and its name) under KEY. Sets *OUT to
 * its entry. Returns an enum ifl_added, -ENOSPC when the table or the
 * entry's waiter list is full, or -ENOMEM. */
int inflight_add(struct inflight *t, const struct ifl_key *key,
		 const struct eng_request *req, eng_cb cb, void *arg,
		 struct ifl_entry **out);

/* Takes E (active or queued) out of the table, so later submissions no
 * longer merge into it, and frees its server slot. Returns the entry that
 * became active in its place (the caller starts it), or NULL. E stays
 * allocated for the caller to read its waiters; free it with ifl_entry_free. */
struct ifl_entry *inflight_detach(struct inflight *t, struct ifl_entry *e);
/* Frees a detached entry. Accepts NULL. */
void ifl_entry_free(struct ifl_entry *e);

/* Entries in the table (active and queued). */
size_t inflight_count(const struct inflight *t);
/* Active and queued entries for the server in KEY. */
unsigned inflight_server_active(const struct inflight *t,
				const struct ifl_key *key);
size_t inflight_server_queued(const struct inflight *t,
			      const struct ifl_key *key);

#endif
