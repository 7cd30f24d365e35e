/* A misbehaving DNS responder for the lab: the faults no real server makes
 * on purpose, one per listening address, over UDP and TCP.
 *
 *   responder --zone NAME=FILE --listen ADDR:BEHAVIOUR [--listen ...]
 *             [--alt-source ADDR] [--pidfile FILE] [--log FILE]
 *
 * Normal answers come from FILE (a zone file, read with ldns): the records
 * of the question's name and type, NODATA or NXDOMAIN with the SOA, REFUSED
 * outside the zone. Each BEHAVIOUR (see behaviours[] below) bends that
 * answer or replaces it. With --pidfile the responder binds every socket,
 * then goes to the background and writes its PID there, so a caller that
 * waits for it to exit knows it is listening. Stop it with SIGTERM.
 *
 * This is a test program: it trusts its command line, but not the queries
 * it receives (ldns parses them; garbage is ignored). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <ldns/ldns.h>

#define MAX_LISTEN	  32
#define MAX_TCP_CONNS	  64
#define MSG_MAX		  65535
#define TRICKLE_MS	  200
#define TRICKLE_MAX_BYTES 3000 /* ten minutes of trickle at most */
#define BIG_TXT_RRS	  240
#define BIG_TXT_LEN	  250 /* 240 x ~262 octets on the wire: about 62 KB */

enum behaviour {
	B_NORMAL,
	B_WRONG_ID,	  /* the answer carries another query ID */
	B_OTHER_SOURCE,	  /* UDP answers come from --alt-source */
	B_WRONG_QUESTION, /* the answer's question has another type */
	B_GARBAGE,	  /* random bytes */
	B_COUNTS_LIE,	  /* header counts promise records that are not there */
	B_PTR_LOOP,	  /* an answer owner that is a compression loop */
	B_PTR_PAST_END,	  /* an answer owner pointing past the message */
	B_TC_SILENT,	  /* TC=1 over UDP; TCP accepts and never answers */
	B_TCP_TRICKLE,	  /* TCP: length 65535, then a byte per 200 ms */
	B_EDNS_FORMERR,	  /* FORMERR to any query with EDNS */
	B_BIG_TXT,	  /* TXT: TC over UDP, ~60 KB over TCP */
	B_ESCAPES,	  /* normal; the zone file holds the escapes */
	B_TWO_REPLIES,	  /* the answer, then a REFUSED to the same query */
	/* Old server software and middleboxes that fail or drop the record
	 * types they do not know: every other question gets the normal
	 * answer, so only the CA's CAA look-up fails (RFC 8659 section 3). */
	B_SERVFAIL_CAA, /* SERVFAIL to CAA queries */
	B_DROP_CAA,	/* no reply at all to CAA queries, UDP or TCP */
	B_SERVFAIL_TXT, /* SERVFAIL to TXT queries (a broken secondary
			 * seen by an ACME client's own propagation check) */
	/* A network that answers port 53 itself (hotel, captive portal,
	 * some home routers): NXDOMAIN without AA, recursion available, to
	 * every question, whatever the address asked. */
	B_INTERCEPT,
	/* Server software or a filter that serves SOA and the zone's data
	 * but refuses the apex NS and DNSKEY questions (some load
	 * balancers and "DNS firewalls" do). */
	B_REFUSED_NS,
	/* Name-server behaviour clients trip on (src/core/checks_behaviour.c):
	 * every other question gets the normal answer. */
	B_NO_AA,		/* the normal answer without the AA bit */
	B_EDNS_VERSION_IGNORED, /* EDNS version 1 answered as version 0 */
	B_EDNS_UNKNOWN_FORMERR, /* FORMERR to an EDNS option or an EDNS flag
				 * other than DO (old filters do) */
	B_DROP_DO,		/* no reply to a query with the DO bit */
	B_CASE_LOWER,		/* the answer's question in lower case */
	B_DROP_AAAA,		/* no reply to AAAA queries (old load
				 * balancers), UDP or TCP */
};

static const char *const behaviours[] = {
	[B_NORMAL] = "normal",
	[B_WRONG_ID] = "wrong-id",
	[B_OTHER_SOURCE] = "other-source",
	[B_WRONG_QUESTION] = "wrong-question",
	[B_GARBAGE] = "garbage",
	[B_COUNTS_LIE] = "counts-lie",
	[B_PTR_LOOP] = "ptr-loop",
	[B_PTR_PAST_END] = "ptr-past-end",
	[B_TC_SILENT] = "tc-silent",
	[B_TCP_TRICKLE] = "tcp-trickle",
	[B_EDNS_FORMERR] = "edns-formerr",
	[B_BIG_TXT] = "big-txt",
	[B_ESCAPES] = "escapes",
	[B_TWO_REPLIES] = "two-replies",
	[B_SERVFAIL_CAA] = "servfail-caa",
	[B_DROP_CAA] = "drop-caa",
	[B_SERVFAIL_TXT] = "servfail-txt",
	[B_INTERCEPT] = "intercept",
	[B_REFUSED_NS] = "refused-ns",
	[B_NO_AA] = "no-aa",
	[B_EDNS_VERSION_IGNORED] = "edns-version-ignored",
	[B_EDNS_UNKNOWN_FORMERR] = "edns-unknown-formerr",
	[B_DROP_DO] = "drop-do",
	[B_CASE_LOWER] = "case-lower",
	[B_DROP_AAAA] = "drop-aaaa",
};

struct listener {
	enum behaviour b;
	struct sockaddr_in addr;
	int udp, tcp;
};

static struct {
	ldns_rdf *origin;
	ldns_zone *zone;
	struct listener l[MAX_LISTEN];
	size_t n;
	int alt; /* UDP socket on --alt-source, or -1 */
	atomic_int tcp_conns;
	FILE *log;
} g = { .alt = -1 };

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;

	if (!g.log)
		return;
	va_start(ap, fmt);
	vfprintf(g.log, fmt, ap);
	va_end(ap);
	fputc('\n', g.log);
	fflush(g.log);
}

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "responder: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---- answers from the zone ---- */

static bool name_exists(const ldns_rdf *name)
{
	const ldns_rr_list *rrs = ldns_zone_rrs(g.zone);

	if (ldns_dname_compare(name, g.origin) == 0)
		return true;
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++)
		if (ldns_dname_compare(ldns_rr_owner(ldns_rr_list_rr(rrs, i)),
				       name) == 0)
			return true;
	return false;
}

static void add_matching(ldns_pkt *a, const ldns_rdf *name, ldns_rr_type t)
{
	const ldns_rr_list *rrs = ldns_zone_rrs(g.zone);
	ldns_rr *soa = ldns_zone_soa(g.zone);

	if (t == LDNS_RR_TYPE_SOA && soa &&
	    ldns_dname_compare(name, g.origin) == 0)
		ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER, ldns_rr_clone(soa));
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		if (ldns_rr_get_type(rr) == t &&
		    ldns_dname_compare(ldns_rr_owner(rr), name) == 0)
			ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER,
					 ldns_rr_clone(rr));
	}
}

/* The answer a correct server gives to Q (a parsed query): with
 * IGNORE_VERSION, an EDNS version above 0 is not answered BADVERS. */
static ldns_pkt *answer(const ldns_pkt *q, bool ignore_version)
{
	const ldns_rr *qr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	const ldns_rdf *name = ldns_rr_owner(qr);
	ldns_pkt *a = ldns_pkt_new();

	if (!a)
		return NULL;
	ldns_pkt_set_id(a, ldns_pkt_id(q));
	ldns_pkt_set_qr(a, true);
	ldns_pkt_set_rd(a, ldns_pkt_rd(q));
	ldns_pkt_push_rr(a, LDNS_SECTION_QUESTION, ldns_rr_clone(qr));
	if (ldns_pkt_edns(q))
		ldns_pkt_set_edns_udp_size(a, 1232);
	if (ldns_pkt_edns(q) && ldns_pkt_edns_version(q) > 0 &&
	    !ignore_version) {
		/* RFC 6891 6.1.3: BADVERS (16), our version (0), no data. */
		ldns_pkt_set_edns_extended_rcode(a, 1);
		return a;
	}
	if (!ldns_dname_is_subdomain(name, g.origin) &&
	    ldns_dname_compare(name, g.origin) != 0) {
		ldns_pkt_set_rcode(a, LDNS_RCODE_REFUSED);
		return a;
	}
	ldns_pkt_set_aa(a, true);
	add_matching(a, name, ldns_rr_get_type(qr));
	if (ldns_pkt_ancount(a) == 0) {
		if (!name_exists(name))
			ldns_pkt_set_rcode(a, LDNS_RCODE_NXDOMAIN);
		if (ldns_zone_soa(g.zone))
			ldns_pkt_push_rr(a, LDNS_SECTION_AUTHORITY,
					 ldns_rr_clone(ldns_zone_soa(g.zone)));
	}
	return a;
}

static ldns_pkt *normal_answer(const ldns_pkt *q)
{
	return answer(q, false);
}

/* Whether Q carries an EDNS option, or an EDNS flag other than DO. */
static bool edns_unknown(const ldns_pkt *q)
{
	return ldns_pkt_edns(q) && ((ldns_pkt_edns_z(q) & 0x7fff) != 0 ||
				    (ldns_pkt_edns_data(q) &&
				     ldns_rdf_size(ldns_pkt_edns_data(q)) > 0));
}

/* Header and question only, with RCODE and the TC bit as given. */
static ldns_pkt *bare_answer(const ldns_pkt *q, ldns_pkt_rcode rcode, bool tc)
{
	ldns_pkt *a = ldns_pkt_new();

	if (!a)
		return NULL;
	ldns_pkt_set_id(a, ldns_pkt_id(q));
	ldns_pkt_set_qr(a, true);
	ldns_pkt_set_aa(a, rcode == LDNS_RCODE_NOERROR);
	ldns_pkt_set_tc(a, tc);
	ldns_pkt_set_rcode(a, rcode);
	ldns_pkt_push_rr(
		a, LDNS_SECTION_QUESTION,
		ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	return a;
}

/* BIG_TXT_RRS TXT records of BIG_TXT_LEN characters at the question name. */
static ldns_pkt *big_txt(const ldns_pkt *q)
{
	ldns_pkt *a = bare_answer(q, LDNS_RCODE_NOERROR, false);
	const ldns_rdf *name =
		ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0));
	uint8_t data[1 + BIG_TXT_LEN];

	for (int i = 0; a && i < BIG_TXT_RRS; i++) {
		ldns_rr *rr = ldns_rr_new();
		ldns_rr_set_type(rr, LDNS_RR_TYPE_TXT);
		ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
		data[0] = BIG_TXT_LEN;
		memset(data + 1, 'a' + i % 26, BIG_TXT_LEN);
		snprintf((char *)data + 1, 8, "%05d:", i); /* distinct records
							    */
		data[7] = ':';
		ldns_rr_set_owner(rr, ldns_rdf_clone(name));
		ldns_rr_set_ttl(rr, 300);
		ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR,
							   sizeof(data), data));
		ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER, rr);
	}
	return a;
}

static size_t to_wire(ldns_pkt *a, uint8_t *out)
{
	uint8_t *w = NULL;
	size_t n = 0;

	if (!a || ldns_pkt2wire(&w, a, &n) != LDNS_STATUS_OK || n > MSG_MAX) {
		ldns_pkt_free(a);
		free(w);
		return 0;
	}
	memcpy(out, w, n);
	free(w);
	ldns_pkt_free(a);
	return n;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The offset just past the question of the message in OUT (uncompressed,
 * as ldns writes it), or 0. */
static size_t question_end(const uint8_t *out, size_t n)
{
	size_t off = 12;

	while (off < n && out[off])
		off += 1u + out[off];
	off += 1 + 4;
	return off <= n ? off : 0;
}

/* Header and question of Q, then one answer record whose owner is the
 * compression pointer PTR (two octets) or a pointer loop when PTR is 0. */
static size_t bad_pointer(const ldns_pkt *q, unsigned ptr, uint8_t *out)
{
	size_t n = to_wire(bare_answer(q, LDNS_RCODE_NOERROR, false), out);
	size_t qe = question_end(out, n);

	if (!qe || qe + 18 > MSG_MAX)
		return 0;
	n = qe;
	put16(out + 6, 1); /* ANCOUNT */
	if (ptr == 0) {	   /* two pointers that point at each other */
		put16(out + n, 0xc000 | (unsigned)(n + 2));
		put16(out + n + 2, 0xc000 | (unsigned)n);
		n += 4;
	} else {
		put16(out + n, 0xc000 | ptr);
		n += 2;
	}
	memcpy(out + n, "\x00\x06\x00\x01\x00\x00\x0e\x10\x00\x00", 10);
	return n + 10;
}

static size_t garbage(uint8_t *out)
{
	uint8_t len;

	if (getrandom(&len, 1, 0) != 1)
		len = 99;
	size_t n = 12u + len;
	if (getrandom(out, n, 0) != (ssize_t)n)
		memset(out, 0xa5, n);
	return n;
}

/* The reply to the query QW of QLEN octets, per behaviour B, into OUT; 0
 * for none. SECOND asks for the second reply of B_TWO_REPLIES. */
static size_t reply(enum behaviour b, bool tcp, const uint8_t *qw, size_t qlen,
		    uint8_t *out, bool second)
{
	ldns_pkt *q = NULL;
	size_t n;

	if (b == B_GARBAGE)
		return garbage(out);
	if (ldns_wire2pkt(&q, qw, qlen) != LDNS_STATUS_OK || !q ||
	    ldns_pkt_qdcount(q) != 1 || ldns_pkt_qr(q)) {
		ldns_pkt_free(q);
		return 0;
	}
	ldns_rr_type t =
		ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(q), 0));
	switch (b) {
	case B_TC_SILENT:
		n = to_wire(bare_answer(q, LDNS_RCODE_NOERROR, true), out);
		break;
	case B_EDNS_FORMERR:
		n = to_wire(ldns_pkt_edns(q)
				    ? bare_answer(q, LDNS_RCODE_FORMERR, false)
				    : normal_answer(q),
			    out);
		break;
	case B_BIG_TXT:
		if (t == LDNS_RR_TYPE_TXT)
			n = to_wire(tcp ? big_txt(q)
					: bare_answer(q, LDNS_RCODE_NOERROR,
						      true),
				    out);
		else
			n = to_wire(normal_answer(q), out);
		break;
	case B_PTR_LOOP:
		n = bad_pointer(q, 0, out);
		break;
	case B_PTR_PAST_END:
		n = bad_pointer(q, 0x3ff, out);
		break;
	case B_TWO_REPLIES:
		n = to_wire(second ? bare_answer(q, LDNS_RCODE_REFUSED, false)
				   : normal_answer(q),
			    out);
		break;
	case B_SERVFAIL_CAA:
		n = to_wire(t == LDNS_RR_TYPE_CAA
				    ? bare_answer(q, LDNS_RCODE_SERVFAIL, false)
				    : normal_answer(q),
			    out);
		break;
	case B_INTERCEPT: {
		ldns_pkt *a = bare_answer(q, LDNS_RCODE_NXDOMAIN, false);
		if (a) {
			ldns_pkt_set_ra(a, true);
			ldns_pkt_set_rd(a, ldns_pkt_rd(q));
		}
		n = to_wire(a, out);
		break;
	}
	case B_SERVFAIL_TXT:
		n = to_wire(t == LDNS_RR_TYPE_TXT
				    ? bare_answer(q, LDNS_RCODE_SERVFAIL, false)
				    : normal_answer(q),
			    out);
		break;
	case B_REFUSED_NS:
		n = to_wire(t == LDNS_RR_TYPE_NS || t == LDNS_RR_TYPE_DNSKEY
				    ? bare_answer(q, LDNS_RCODE_REFUSED, false)
				    : normal_answer(q),
			    out);
		break;
	case B_NO_AA: {
		ldns_pkt *a = normal_answer(q);
		if (a)
			ldns_pkt_set_aa(a, false);
		n = to_wire(a, out);
		break;
	}
	case B_EDNS_VERSION_IGNORED:
		n = to_wire(answer(q, true), out);
		break;
	case B_EDNS_UNKNOWN_FORMERR:
		n = to_wire(edns_unknown(q)
				    ? bare_answer(q, LDNS_RCODE_FORMERR, false)
				    : normal_answer(q),
			    out);
		break;
	case B_DROP_DO:
		/* Over TCP too, as a filter in front of both would. */
		n = ldns_pkt_edns_do(q) ? 0 : to_wire(normal_answer(q), out);
		break;
	case B_CASE_LOWER: {
		ldns_pkt *a = normal_answer(q);
		if (a)
			ldns_dname2canonical(ldns_rr_owner(
				ldns_rr_list_rr(ldns_pkt_question(a), 0)));
		n = to_wire(a, out);
		break;
	}
	case B_DROP_AAAA:
		n = t == LDNS_RR_TYPE_AAAA ? 0 : to_wire(normal_answer(q), out);
		break;
	case B_DROP_CAA:
		/* Over TCP too: the connection stays open with nothing
		 * sent for this query, until the client gives up on it. */
		n = t == LDNS_RR_TYPE_CAA ? 0 : to_wire(normal_answer(q), out);
		break;
	default:
		n = to_wire(normal_answer(q), out);
	}
	ldns_pkt_free(q);
	if (n < 12)
		return n;
	if (b == B_WRONG_ID)
		put16(out, (unsigned)(out[0] << 8 | out[1]) ^ 0x5a5a);
	if (b == B_COUNTS_LIE)
		for (int k = 6; k < 12; k += 2)
			put16(out + k,
			      (unsigned)(out[k] << 8 | out[k + 1]) + 5);
	if (b == B_WRONG_QUESTION) {
		size_t qe = question_end(out, n);
		if (qe)
			put16(out + qe - 4, t == LDNS_RR_TYPE_TXT
						    ? LDNS_RR_TYPE_A
						    : LDNS_RR_TYPE_TXT);
	}
	return n;
}

/* ---- UDP ---- */

static void udp_query(const struct listener *l)
{
	static uint8_t in[MSG_MAX], out[MSG_MAX];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t got = recvfrom(l->udp, in, sizeof(in), 0,
			       (struct sockaddr *)&from, &fl);
	size_t n;

	if (got <= 0)
		return;
	n = reply(l->b, false, in, (size_t)got, out, false);
	if (n == 0)
		return;
	if (l->b == B_OTHER_SOURCE && g.alt >= 0) {
		sendto(g.alt, out, n, 0, (struct sockaddr *)&from, fl);
		return;
	}
	sendto(l->udp, out, n, 0, (struct sockaddr *)&from, fl);
	if (l->b == B_TWO_REPLIES) {
		n = reply(l->b, false, in, (size_t)got, out, true);
		if (n)
			sendto(l->udp, out, n, 0, (struct sockaddr *)&from, fl);
	}
}

/* ---- TCP: one thread per connection, blocking I/O ---- */

struct conn {
	int fd;
	enum behaviour b;
};

static bool read_full(int fd, uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

static bool write_full(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool send_msg(int fd, const uint8_t *m, size_t n)
{
	uint8_t len[2];

	put16(len, (unsigned)n);
	return write_full(fd, len, 2) && write_full(fd, m, n);
}

/* Waits until the client closes the connection. */
static void hold(int fd)
{
	uint8_t buf[512];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void trickle(int fd)
{
	const struct timespec pause = { 0, TRICKLE_MS * 1000000L };
	uint8_t b = 0;

	if (!write_full(fd, (const uint8_t *)"\xff\xff", 2))
		return;
	for (int i = 0; i < TRICKLE_MAX_BYTES; i++) {
		nanosleep(&pause, NULL);
		if (!write_full(fd, &b, 1))
			return;
	}
}

static void tcp_serve(struct conn *c)
{
	static _Thread_local uint8_t in[MSG_MAX], out[MSG_MAX];
	uint8_t len[2];
	size_t n;

	if (c->b == B_TCP_TRICKLE) {
		trickle(c->fd);
		return;
	}
	while (read_full(c->fd, len, 2)) {
		size_t qlen = (size_t)len[0] << 8 | len[1];
		if (!read_full(c->fd, in, qlen))
			return;
		if (c->b == B_TC_SILENT) {
			hold(c->fd);
			return;
		}
		n = reply(c->b, true, in, qlen, out, false);
		if (n && !send_msg(c->fd, out, n))
			return;
		if (c->b == B_TWO_REPLIES) {
			n = reply(c->b, true, in, qlen, out, true);
			if (n && !send_msg(c->fd, out, n))
				return;
		}
	}
}

static void *tcp_thread(void *arg)
{
	struct conn *c = arg;

	tcp_serve(c);
	close(c->fd);
	free(c);
	atomic_fetch_sub(&g.tcp_conns, 1);
	return NULL;
}

static void tcp_accept(const struct listener *l)
{
	pthread_t t;
	pthread_attr_t attr;
	int fd = accept(l->tcp, NULL, NULL);
	struct conn *c;

	if (fd < 0)
		return;
	if (atomic_load(&g.tcp_conns) >= MAX_TCP_CONNS ||
	    !(c = malloc(sizeof(*c)))) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->b = l->b;
	atomic_fetch_add(&g.tcp_conns, 1);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, tcp_thread, c) != 0) {
		atomic_fetch_sub(&g.tcp_conns, 1);
		close(fd);
		free(c);
	}
	pthread_attr_destroy(&attr);
}

/* ---- set-up ---- */

static int bound(int type, const struct sockaddr_in *a)
{
	int one = 1, fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)a, sizeof(*a)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void parse_addr(const char *text, struct sockaddr_in *a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons(53);
	if (inet_pton(AF_INET, text, &a->sin_addr) != 1)
		die("not an IPv4 address: %s", text);
	if ((ntohl(a->sin_addr.s_addr) >> 24) != 127)
		die("refusing to listen outside 127.0.0.0/8: %s", text);
}

static void add_listener(const char *spec)
{
	char addr[64];
	const char *colon = strchr(spec, ':');
	struct listener *l = &g.l[g.n];
	size_t i;

	if (!colon || (size_t)(colon - spec) >= sizeof(addr) ||
	    g.n == MAX_LISTEN)
		die("--listen wants ADDR:BEHAVIOUR, not %s", spec);
	memcpy(addr, spec, (size_t)(colon - spec));
	addr[colon - spec] = '\0';
	for (i = 0; i < sizeof(behaviours) / sizeof(behaviours[0]); i++)
		if (strcmp(behaviours[i], colon + 1) == 0)
			break;
	if (i == sizeof(behaviours) / sizeof(behaviours[0]))
		die("unknown behaviour %s", colon + 1);
	l->b = (enum behaviour)i;
	parse_addr(addr, &l->addr);
	l->udp = bound(SOCK_DGRAM, &l->addr);
	l->tcp = bound(SOCK_STREAM, &l->addr);
	if (l->udp < 0 || l->tcp < 0)
		die("cannot bind %s port 53", addr);
	g.n++;
}

static void load_zone(const char *spec)
{
	char name[256];
	const char *eq = strchr(spec, '=');
	int line = 0;

	if (!eq || (size_t)(eq - spec) >= sizeof(name))
		die("--zone wants NAME=FILE, not %s", spec);
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = '\0';
	g.origin = ldns_dname_new_frm_str(name);
	FILE *f = fopen(eq + 1, "r");
	if (!g.origin || !f)
		die("cannot read zone %s", spec);
	if (ldns_zone_new_frm_fp_l(&g.zone, f, g.origin, 300, LDNS_RR_CLASS_IN,
				   &line) != LDNS_STATUS_OK)
		die("zone file %s does not parse", eq + 1);
	fclose(f);
}

/* Goes to the background once every socket is bound: the parent writes the
 * child's PID to PIDFILE and exits 0. */
static void daemonise(const char *pidfile)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid > 0) {
		FILE *f = fopen(pidfile, "w");
		if (!f || fprintf(f, "%ld\n", (long)pid) < 0 ||
		    fclose(f) != 0) {
			kill(pid, SIGTERM);
			die("cannot write %s", pidfile);
		}
		_exit(0);
	}
	setsid();
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		if (!g.log)
			dup2(null, 2);
		close(null);
	}
}

int main(int argc, char **argv)
{
	const char *pidfile = NULL;
	struct pollfd pfd[2 * MAX_LISTEN];

	for (int i = 1; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			die("option %s needs a value", argv[i]);
		if (strcmp(argv[i], "--listen") == 0) {
			add_listener(v);
		} else if (strcmp(argv[i], "--zone") == 0) {
			load_zone(v);
		} else if (strcmp(argv[i], "--alt-source") == 0) {
			struct sockaddr_in a;
			parse_addr(v, &a);
			if ((g.alt = bound(SOCK_DGRAM, &a)) < 0)
				die("cannot bind %s port 53", v);
		} else if (strcmp(argv[i], "--pidfile") == 0) {
			pidfile = v;
		} else if (strcmp(argv[i], "--log") == 0) {
			if (!(g.log = fopen(v, "a")))
				die("cannot open %s", v);
		} else {
			die("unknown option %s", argv[i]);
		}
	}
	if (!g.zone || g.n == 0)
		die("%s", "usage: responder --zone NAME=FILE --listen "
			  "ADDR:BEHAVIOUR ...");
	if (pidfile)
		daemonise(pidfile);
	for (size_t i = 0; i < g.n; i++) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &g.l[i].addr.sin_addr, a, sizeof(a));
		logf_("listening on %s: %s", a, behaviours[g.l[i].b]);
		pfd[2 * i] =
			(struct pollfd){ .fd = g.l[i].udp, .events = POLLIN };
		pfd[2 * i + 1] =
			(struct pollfd){ .fd = g.l[i].tcp, .events = POLLIN };
	}
	for (;;) {
		if (poll(pfd, 2 * g.n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		for (size_t i = 0; i < 2 * g.n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (i % 2)
				tcp_accept(&g.l[i / 2]);
			else
				udp_query(&g.l[i / 2]);
		}
	}
}
