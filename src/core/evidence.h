/* Evidence: every question dnsdoctor asked, of whom, and what came back.
 *
 * The probe appends exchanges; checks read them; the JSON form
 * (evidence_json.c) lets `analyze` re-run the checks offline. Wire bytes are
 * kept verbatim so re-analysis parses exactly what the server sent. */
#ifndef DD_CORE_EVIDENCE_H
#define DD_CORE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/qstatus.h"

/* Why a query was asked. Stored by name; append only. */
enum ev_role {
	EV_WALK = 0, /* the target name, asked of a server of an ancestor zone
		      */
	EV_RESOLVE,  /* looking up a name server's address, or a walk for it */
	EV_AUTH,     /* the zone apex (SOA, NS) asked of a server of the zone */
	EV_DNSSEC,   /* DS at a parent's server, DNSKEY and a denial proof at a
		      * zone's server, for every zone on the path */
	EV_RESOLVER, /* a name asked of a recursive resolver, with and without
			CD */
	EV_AUTH_NOEDNS, /* the apex SOA asked again without EDNS, of an address
			 * that answered FORMERR or NOTIMP to it with EDNS */
	EV_VALIDATION,	/* a name a CA's validator asks (CAA on the climb,
			 * _acme-challenge TXT, ACM CNAME and their typos),
			 * asked of a server of the zone that holds it */
	EV_RECORD,	/* propagation/wait/plan: the record asked of every
			 * address of a server of the zone that holds it (and
			 * of the zone a CNAME leads to), without RD */
	EV_RECORD_RESOLVER, /* the same record asked of a resolver, with RD */
	EV_RESOLVER_ALIVE,  /* ". SOA" asked of a resolver, with RD: whether it
			     * answers at all, whatever the zone's own state */
	EV_BEHAVIOUR, /* how a server of the zone meets what clients send: the
		       * apex SOA with EDNS but no DO, with EDNS version 1,
		       * an unknown EDNS option, an unknown EDNS flag, in
		       * mixed case (EV_QF_*), AXFR over TCP (its first
		       * message), and the apex AAAA; asked with the apex
		       * questions */
	EV_ROLE__COUNT
};

struct ev_exchange {
	int role;      /* enum ev_role */
	int transport; /* enum transport */
	int status;    /* enum qstatus */
	uint16_t qtype;
	unsigned qflags; /* EV_QF_* the question was asked with */
	uint32_t rtt_ms;
	/* The answer an earlier diagnosis on the same engine got to the same
	 * question, kept for its TTL (engine/anscache.h), not asked again. */
	bool cached;
	char *zone;    /* zone the server was asked as a server of ("." root) */
	char *server;  /* the server's name, absolute, lower case */
	char *addr;    /* its address, numeric text (no port) */
	char *qname;   /* absolute, lower case */
	uint8_t *wire; /* the response as received; NULL unless QS_OK */
	size_t wire_len;
};

/* Query flags that change the answer; the same bits as the engine's
 * ENG_F_RD, ENG_F_EDNS, ENG_F_DO and ENG_F_CD. */
#define EV_QF_RD   0x01
#define EV_QF_EDNS 0x02
#define EV_QF_DO   0x04
#define EV_QF_CD   0x08
/* ENG_F_EDNS_V1, _OPT, _FLAG and ENG_F_CASE: the name-server behaviour
 * questions (EV_BEHAVIOUR). */
#define EV_QF_EDNS_V1	0x100
#define EV_QF_EDNS_OPT	0x200
#define EV_QF_EDNS_FLAG 0x400
#define EV_QF_CASE	0x800
#define EV_QF_MASK                                                     \
	(EV_QF_RD | EV_QF_EDNS | EV_QF_DO | EV_QF_CD | EV_QF_EDNS_V1 | \
	 EV_QF_EDNS_OPT | EV_QF_EDNS_FLAG | EV_QF_CASE)

/* RRSIG_EXPIRING_SOON fires below this much validity left: 3 days, about
 * what a signer's refresh margin leaves when re-signing has stalled. */
#define EV_RRSIG_WARN_DEFAULT (3 * 86400)

/* The areas `--checks` chooses: what is asked and judged. An evidence's
 * AREAS of 0 means all (and is what files written before it say). */
enum ev_area {
	EV_AREA_DELEGATION = 1, /* delegation, servers, consistency */
	EV_AREA_DNSSEC = 2,
	EV_AREA_ACME = 4, /* _acme-challenge, ACM CNAMEs, HTTP-01 */
	EV_AREA_CAA = 8,
	EV_AREA_ALL = 15,
};

/* A list of owned strings. */
struct ev_strings {
	char **v;
	size_t n;
};

/* What `check --acme/--acm` was asked: the options that shape the
 * validation findings, so `analyze` reaches the same ones. Strings are
 * owned; NULL when not given. */
struct ev_acm {
	char *name;   /* absolute, lower case */
	char *target; /* absolute, lower case */
};
struct ev_validation {
	bool acme;
	bool wildcard; /* the certificate is for *.DOMAIN */
	char *ca, *challenge, *txt, *account_uri, *token, *key_auth;
	struct ev_acm *acm;
	size_t n_acm, cap_acm;
};

/* One HTTP-01 fetch from one address, as the engine reported it. The body
 * is the bytes the server sent (NULs as '?', at most the engine's limit),
 * NUL-terminated: checks compare raw bytes, reports escape them. */
struct ev_http01 {
	char *addr;	/* numeric address connected to */
	char *start;	/* the URL fetched first */
	char *url;	/* the last URL fetched */
	char *location; /* a redirect to another host: where; or NULL */
	char *detail;	/* curl's error text, or the refused redirect */
	char *body;
	size_t body_len;
	int status; /* enum http_status (core/fetch_status.h) */
	long code;  /* the last HTTP status code, 0 if none */
	bool truncated;
	int redirects;
};

/* The RDAP exchange of `check` (core/rdap.h): where the bootstrap came
 * from, the query URL it gave and what the registry's server sent. The
 * body is kept raw (at most RDAP_BODY_MAX bytes, NULs as '?') and parsed
 * by the checks, so `analyze` judges exactly what was received. */
struct ev_rdap {
	char *bootstrap;  /* the bootstrap's file or URL */
	char *boot_error; /* why the bootstrap could not be used; or NULL */
	char *url;	  /* the query; NULL: no RDAP service for the TLD */
	char *final_url;  /* after redirects */
	char *content_type;
	char *detail; /* curl's error text, the refused redirect */
	char *body;
	size_t body_len;
	int status;	  /* enum http_status (core/fetch_status.h) */
	long code;	  /* the last HTTP status code, 0 if none */
	long retry_after; /* seconds a 429 or 503 asked for; 0 none */
	bool truncated;	  /* the body was longer than RDAP_BODY_MAX */
	int redirects;
	uint32_t ms; /* how long the exchange took */
};

/* What `cert` was asked: SET once recorded; CA_PEM the --ca-file roots
 * (NULL: the system store), so `analyze` judges against the same roots. */
struct ev_cert_opts {
	bool set;
	uint16_t port;
	double warn_days;
	char *ca_pem;
};

/* One TLS handshake with one address: the chain it served. */
#define EV_TLS_CHAIN_MAX 10 /* certificates kept, as the engine keeps */
struct ev_tls {
	char *addr, *host, *detail; /* host: the SNI sent */
	uint16_t port;
	int status;    /* enum tls_status (core/fetch_status.h) */
	uint8_t **der; /* leaf first */
	size_t *der_len;
	size_t n;
};

/* What a refused address would have been used for (--no-private). Stored
 * by name; append only. */
enum ev_use {
	EV_USE_DNS = 0, /* a query to a name server */
	EV_USE_HTTP,	/* an HTTP-01 fetch from a web host */
	EV_USE_TLS,	/* a TLS handshake with a host (cert) */
	EV_USE__COUNT
};

/* An address learnt from DNS that was not contacted because it is
 * special-purpose (core/addrclass.h) and the run refused those
 * (--no-private; fleet and exporter by default). Nothing was sent to it. */
struct ev_refused {
	int use;    /* enum ev_use */
	char *zone; /* DNS: the zone the server was to be asked as a server
		     * of; "" otherwise */
	char *name; /* the server or host whose address it is, absolute */
	char *addr; /* the address, numeric text */
};

struct evidence {
	char *domain;	  /* absolute, lower case, as diagnosed */
	int64_t started;  /* unix time the probe began */
	char **expect_ns; /* --expect-ns names, absolute, lower case */
	size_t n_expect_ns;
	/* Options that shape findings travel with the evidence, so that
	 * `analyze` reaches the same findings. */
	struct ev_strings trust_anchor; /* DS/DNSKEY records, presentation */
	struct ev_strings what_if_ds;	/* --ds: a DS set not published yet */
	/* --ns: the delegation diagnosed instead of the parent's, "NAME" or
	 * "NAME ADDR" each (names absolute, lower case); empty: the real
	 * one. The view takes it as the parent's NS set and glue. */
	struct ev_strings what_if_ns;
	/* What the probe started from, "NAME ADDR" each: the root servers
	 * and the resolvers asked, so that --replay and analyze need no
	 * flags to reach the same place. */
	struct ev_strings root_hints;
	struct ev_strings resolvers;
	/* "ZONE NAME ADDR" each: the TLD cuts the walks and look-ups could
	 * start from instead of the root, learnt by earlier diagnoses on the
	 * same engine (fleet, logs --run-checks); empty for a lone one. */
	struct ev_strings cached_cuts;
	int64_t rrsig_warn_s; /* RRSIG_EXPIRING_SOON window */
	unsigned areas;	      /* EV_AREA_* asked and judged; 0: all */
	/* Labels of the domain's public suffix by the Public Suffix List
	 * (2 for foo.co.uk.); 0 when no list was read. An NXDOMAIN from a
	 * zone that deep or shallower means "not registered". */
	int suffix_labels;
	struct ev_validation validation; /* --acme/--acm and friends */
	struct ev_http01 *http01;	 /* HTTP-01 fetches, one per address */
	size_t n_http01, cap_http01;
	struct ev_cert_opts cert; /* what `cert` was asked */
	struct ev_rdap *rdap;	  /* NULL: RDAP was off */
	int64_t expiry_warn_s; /* DOMAIN_EXPIRING window (--expiry-warn-days) */
	struct ev_tls *tls;    /* TLS handshakes, one per address */
	size_t n_tls, cap_tls;
	/* --no-private: addresses learnt from DNS that are special-purpose
	 * were not contacted; each is in REFUSED (once per use, zone, name
	 * and address). */
	bool refuse_private;
	struct ev_refused *refused;
	size_t n_refused, cap_refused;
	struct ev_exchange *ex;
	size_t n_ex, cap_ex;
	/* Open-addressing index of EX by question (evidence_add): slot
	 * holds index + 1, 0 is empty; a power of two, at most half full. */
	size_t *ex_index, ex_index_cap;
	/* Which command gathered the evidence ("check" when NULL) and, for
	 * propagation, wait and plan, the record it is about, so that
	 * `analyze` runs the same checks (docs/json.md). */
	char *command;
	char *record_name; /* absolute, lower case */
	uint16_t record_type;
	char *record_expect; /* --expect VALUE, or NULL */
	/* Every further --expect: the record must serve them all. */
	struct ev_strings record_expect_more;
	/* Each exchange's answer parsed, by index, once it was asked for
	 * (evidence_pkt): a memo, not part of the evidence. Every view of a
	 * diagnosis reads the answers again; parsing them once for all was
	 * the largest share of fleet's CPU after the kernel's. */
	struct ldns_struct_pkt **pkt;
	unsigned char *pkt_parsed;
	size_t pkt_cap;
};

/* Returns a new, empty evidence for DOMAIN, or NULL when out of memory. */
struct evidence *evidence_new(const char *domain, int64_t started);
void evidence_free(struct evidence *ev);

/* Copies NAME into the expected name server list. 0 or -ENOMEM. */
int evidence_add_expect_ns(struct evidence *ev, const char *name);

/* The answer of exchange I parsed (owned by EV, freed with it), or NULL:
 * no answer, one that does not parse, or no memory to parse it. Parsed
 * once; exchanges are never changed once added, so the memo holds. */
const struct ldns_struct_pkt *evidence_pkt(const struct evidence *ev, size_t i);

/* Appends a copy of X (strings and wire are copied). An exchange identical in
 * role, zone, server, addr, qname, qtype and transport to one already held is
 * not added again. Returns 0, or -ENOMEM. */
int evidence_add(struct evidence *ev, const struct ev_exchange *x);

/* Append deep copies of the typed records (strings and bytes copied).
 * 0 or -ENOMEM. */
int evidence_add_http01(struct evidence *ev, const struct ev_http01 *h);
int evidence_add_tls(struct evidence *ev, const struct ev_tls *t);
int evidence_add_acm(struct evidence *ev, const char *name, const char *target);
/* Records that ADDR of NAME (a server of ZONE for EV_USE_DNS; ZONE may be
 * NULL) was refused for USE; a record already held is not added again.
 * 0 or -ENOMEM. */
int evidence_add_refused(struct evidence *ev, int use, const char *zone,
			 const char *name, const char *addr);
const char *ev_use_name(int use);
int ev_use_from_name(const char *name);
/* Copies SRC's options into DST's validation (DST's own are kept). 0 or
 * -ENOMEM. */
int ev_validation_copy(struct evidence *dst, const struct ev_validation *src);
/* *FIELD = a copy of S (any earlier value freed). 0 or -ENOMEM. */
int ev_set_string(char **field, const char *s);

/* Frees R and every string it holds; NULL is fine. */
void ev_rdap_free(struct ev_rdap *r);

/* Appends a copy of S to L. 0 or -ENOMEM. */
int ev_strings_add(struct ev_strings *l, const char *s);

/* Whether EV's --checks include AREA. */
static inline bool ev_area_on(const struct evidence *ev, unsigned area)
{
	return ev->areas == 0 || (ev->areas & area) != 0;
}
/* "delegation,dnssec" (comma separated: delegation, dnssec, acme, caa)
 * into *AREAS. 0, or -1 naming the bad word in BAD (of BADLEN bytes). */
int ev_areas_parse(const char *list, unsigned *areas, char *bad, size_t badlen);
/* The name of the one area AREA, or NULL. */
const char *ev_area_name(unsigned area);

const char *ev_role_name(int role);
int ev_role_from_name(const char *name);

#endif
