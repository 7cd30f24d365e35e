/* Reading DNS responses (through ldns) the way the checks and the probe need:
 * what kind of answer it is, and the names, addresses and serials in it. */
#ifndef DD_CORE_DNSMSG_H
#define DD_CORE_DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ldns/ldns.h>
#include "core/strset.h"

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

/* True when RR is owned by NAME (absolute, lower case). */
bool dmsg_owner_is(const ldns_rr *rr, const char *name);

/* Classifies PKT as the answer to (QNAME, QTYPE). For RK_REFERRAL, the
 * delegated zone is written to CUT (at least 256 bytes). */
enum resp_kind dmsg_classify(const ldns_pkt *pkt, const char *qname,
			     uint16_t qtype, char *cut, size_t cutlen);

const char *dmsg_kind_name(enum resp_kind k);

/* Adds the targets of OWNER's records of TYPE (NS, CNAME) in SECTION. */
int dmsg_targets(const ldns_pkt *pkt, ldns_pkt_section section,
		 const char *owner, ldns_rr_type type, struct strset *out);
/* Adds the A and AAAA addresses of OWNER in SECTION, as text. */
int dmsg_addrs(const ldns_pkt *pkt, ldns_pkt_section section, const char *owner,
	       struct strset *out);
/* Serial of the SOA of OWNER in the answer section; 0 when found. */
int dmsg_soa_serial(const ldns_pkt *pkt, const char *owner, uint32_t *serial);

#endif
