/* Reading DNS responses (through ldns) the way the checks and the probe need:
 * what kind of answer it is, and the names, addresses and serials in it. */
#ifndef DD_CORE_DNSMSG_H
#define DD_CORE_DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ldns/ldns.h>
#include "core/strset.h"
#include "core/wire.h"

enum resp_kind {
	RK_ANSWER, /* authoritative data for the question (or a CNAME to it) */
	RK_NODATA, /* authoritative: the name exists, no data of that type */
	RK_NXDOMAIN, /* authoritative: the name does not exist */
	RK_REFERRAL, /* NS for a zone at or below the question's ancestors */
	RK_NOTAUTH,  /* NOERROR without AA and without a referral */
	RK_RCODE,    /* REFUSED, SERVFAIL, NOTAUTH, FORMERR, ... */
};

/* Parses wire bytes. Returns NULL when they are not a DNS message. */
ldns_pkt *dmsg_parse(const uint8_t *wire, size_t len);

/* RDF in presentation format, a new string; NULL on ENOMEM. */
char *dmsg_rdf_str(const ldns_rdf *rdf);
/* Canonical presentation of a name rdf ("example.com."); NULL on ENOMEM. */
char *dmsg_name(const ldns_rdf *rdf);
/* The same into BUF, without allocating: 0, or -1 when RDF is not a name
 * or LEN is less than 4 bytes per byte of the name, plus 2 (its longest
 * text). DMSG_NAME_MAX holds any name (255 bytes on the wire). */
#define DMSG_NAME_MAX 1024
int dmsg_name_to(const ldns_rdf *rdf, char *buf, size_t len);
/* The same into OUT when the text is shorter than LEN, however long the
 * longest text of a name of its size would be: 0, or -1 (OUT untouched). */
int dmsg_name_fit(const ldns_rdf *rdf, char *out, size_t len);

/* A name looked for among the records of packets, in wire form and lower
 * case: made once from the text dnsdoctor passes names around in (what
 * dmsg_name prints), then compared with the names of records as they are,
 * without printing them. A text that is not a name exactly as dmsg_name
 * prints one (upper case, no final dot, an escape where dmsg_name prints
 * none or the other way round) is kept, and equals no name: a printed name
 * never equalled it either. A key is a value on the stack: no allocation,
 * nothing to free. */
struct dmsg_key {
	const char *text; /* the text the key was made from (borrowed: it
			   * must outlive the key), or NULL */
	size_t len;	  /* octets in WIRE; 0 when TEXT is no printed name */
	uint8_t wire[WIRE_NAME_MAX];
};

/* Makes K from NAME (absolute, lower case; NULL names nothing). Returns
 * true when NAME is a name as dmsg_name prints it. */
bool dmsg_key_init(struct dmsg_key *k, const char *name);
/* Makes K from the name in RDF, lower-cased (K->text is NULL). A RDF that
 * is no name makes a key that equals no name. */
void dmsg_key_from_rdf(struct dmsg_key *k, const ldns_rdf *rdf);
/* True when RDF is the name K, letters compared without case. */
bool dmsg_key_is(const struct dmsg_key *k, const ldns_rdf *rdf);
/* True when K is the name ZONE or lies below it (at a label boundary). */
bool dmsg_key_in(const struct dmsg_key *k, const ldns_rdf *zone);

/* True when RR is owned by NAME (absolute, lower case). In a loop over a
 * packet's records, make a dmsg_key of NAME once and use dmsg_key_is. */
bool dmsg_owner_is(const ldns_rr *rr, const char *name);

/* Classifies PKT as the answer to (QNAME, QTYPE). For RK_REFERRAL, the
 * delegated zone is written to CUT (at least 256 bytes). */
enum resp_kind dmsg_classify(const ldns_pkt *pkt, const char *qname,
			     uint16_t qtype, char *cut, size_t cutlen);
/* The same with QNAME as a key, and for RK_REFERRAL the delegated zone
 * given as the owner of its NS records in PKT (*CUT, valid as long as PKT;
 * NULL for other kinds), not printed: it is printed only if the caller
 * keeps its text. CUTLEN is the room that text must fit in, as for
 * dmsg_classify. CUT may be NULL. */
enum resp_kind dmsg_classify_key(const ldns_pkt *pkt,
				 const struct dmsg_key *qname, uint16_t qtype,
				 const ldns_rdf **cut, size_t cutlen);

const char *dmsg_kind_name(enum resp_kind k);

/* Adds the targets of OWNER's records of TYPE (NS, CNAME) in SECTION. */
int dmsg_targets(const ldns_pkt *pkt, ldns_pkt_section section,
		 const char *owner, ldns_rr_type type, struct strset *out);
int dmsg_targets_key(const ldns_pkt *pkt, ldns_pkt_section section,
		     const struct dmsg_key *owner, ldns_rr_type type,
		     struct strset *out);
/* True when OWNER has a record of TYPE (NS, CNAME) with a target in
 * SECTION: what dmsg_targets would add something for, without printing. */
bool dmsg_has_targets(const ldns_pkt *pkt, ldns_pkt_section section,
		      const struct dmsg_key *owner, ldns_rr_type type);
/* Adds the A and AAAA addresses of OWNER in SECTION, as text. */
int dmsg_addrs(const ldns_pkt *pkt, ldns_pkt_section section, const char *owner,
	       struct strset *out);
int dmsg_addrs_key(const ldns_pkt *pkt, ldns_pkt_section section,
		   const struct dmsg_key *owner, struct strset *out);
/* Serial of the SOA of OWNER in the answer section; 0 when found. */
int dmsg_soa_serial(const ldns_pkt *pkt, const char *owner, uint32_t *serial);
int dmsg_soa_serial_key(const ldns_pkt *pkt, const struct dmsg_key *owner,
			uint32_t *serial);

#endif
