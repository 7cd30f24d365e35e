#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/dname.h"
#include "core/dnsmsg.h"

ldns_pkt *dmsg_parse(const uint8_t *wire, size_t len)
{
	ldns_pkt *pkt = NULL;
	if (!wire || len < 12 ||
	    ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK)
		return NULL;
	return pkt;
}

char *dmsg_rdf_str(const ldns_rdf *rdf)
{
	/* ldns_rdf2str would allocate a 64 KiB buffer for every field (a
	 * whole packet's worth); a name or an address fits in 1 KiB, and the
	 * buffer grows if ever needed. */
	ldns_buffer *b = rdf ? ldns_buffer_new(1024) : NULL;
	char *s = b && ldns_rdf2buffer_str(b, rdf) == LDNS_STATUS_OK
			  ? ldns_buffer_export2str(b)
			  : NULL;
	ldns_buffer_free(b);
	return s;
}

int dmsg_name_to(const ldns_rdf *rdf, char *buf, size_t len)
{
	if (!rdf || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME)
		return -1;
	/* A fixed buffer over BUF, big enough for any text of the name (a
	 * byte prints as \DDD at most, and the root as "."): ldns asserts
	 * that a fixed buffer is never grown, so it must not run out. */
	if (len < 4 * ldns_rdf_size(rdf) + 2)
		return -1;
	ldns_buffer b = { ._limit = len,
			  ._capacity = len,
			  ._data = (uint8_t *)buf,
			  ._fixed = 1,
			  ._status = LDNS_STATUS_OK };
	if (ldns_rdf2buffer_str(&b, rdf) != LDNS_STATUS_OK ||
	    !ldns_buffer_status_ok(&b) || ldns_buffer_position(&b) >= len)
		return -1;
	buf[ldns_buffer_position(&b)] = '\0';
	/* Lower case after printing, as ldns_dname2canonical before it: only
	 * the letters A-Z change (C locale), printed as themselves; an escape
	 * (\. or \DDD) holds none. */
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return 0;
}

char *dmsg_name(const ldns_rdf *rdf)
{
	char buf[DMSG_NAME_MAX];
	if (dmsg_name_to(rdf, buf, sizeof(buf)) == 0)
		return strdup(buf);
	if (!rdf || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME)
		return NULL;
	ldns_rdf *copy = ldns_rdf_clone(rdf);
	if (!copy)
		return NULL;
	ldns_dname2canonical(copy);
	char *s = dmsg_rdf_str(copy);
	ldns_rdf_deep_free(copy);
	return s;
}

bool dmsg_owner_is(const ldns_rr *rr, const char *name)
{
	char buf[DMSG_NAME_MAX];
	if (dmsg_name_to(ldns_rr_owner(rr), buf, sizeof(buf)) == 0)
		return strcmp(buf, name) == 0;
	char *o = dmsg_name(ldns_rr_owner(rr));
	bool eq = o && strcmp(o, name) == 0;
	free(o);
	return eq;
}

static bool answer_has(const ldns_pkt *pkt, const char *qname, uint16_t qtype)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if ((t == qtype || t == LDNS_RR_TYPE_CNAME) &&
		    dmsg_owner_is(rr, qname))
			return true;
	}
	return false;
}

/* The deepest NS owner in the authority section that is an ancestor of (or
 * equal to) QNAME. */
static bool referral_cut(const ldns_pkt *pkt, const char *qname, char *cut,
			 size_t cutlen)
{
	const ldns_rr_list *au = ldns_pkt_authority(pkt);
	int best = -1;
	for (size_t i = 0; i < ldns_rr_list_rr_count(au); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(au, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS)
			continue;
		char buf[DMSG_NAME_MAX];
		char *o = dmsg_name_to(ldns_rr_owner(rr), buf, sizeof(buf)) == 0
				  ? buf
				  : dmsg_name(ldns_rr_owner(rr));
		if (o && dname_in(qname, o) && dname_labels(o) > best &&
		    strlen(o) < cutlen) {
			best = dname_labels(o);
			snprintf(cut, cutlen, "%s", o);
		}
		if (o != buf)
			free(o);
	}
	return best >= 0;
}

enum resp_kind dmsg_classify(const ldns_pkt *pkt, const char *qname,
			     uint16_t qtype, char *cut, size_t cutlen)
{
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(pkt);
	bool aa = ldns_pkt_aa(pkt);

	if (rc == LDNS_RCODE_NXDOMAIN)
		return aa ? RK_NXDOMAIN : RK_NOTAUTH;
	if (rc != LDNS_RCODE_NOERROR)
		return RK_RCODE;
	if (answer_has(pkt, qname, qtype))
		return aa ? RK_ANSWER : RK_NOTAUTH;
	if (!aa && referral_cut(pkt, qname, cut, cutlen))
		return RK_REFERRAL;
	return aa ? RK_NODATA : RK_NOTAUTH;
}

const char *dmsg_kind_name(enum resp_kind k)
{
	switch (k) {
	case RK_ANSWER:
		return "answer";
	case RK_NODATA:
		return "nodata";
	case RK_NXDOMAIN:
		return "nxdomain";
	case RK_REFERRAL:
		return "referral";
	case RK_NOTAUTH:
		return "not-authoritative";
	default:
		return "error-rcode";
	}
}

static const ldns_rr_list *section(const ldns_pkt *pkt, ldns_pkt_section s)
{
	switch (s) {
	case LDNS_SECTION_ANSWER:
		return ldns_pkt_answer(pkt);
	case LDNS_SECTION_AUTHORITY:
		return ldns_pkt_authority(pkt);
	case LDNS_SECTION_ADDITIONAL:
		return ldns_pkt_additional(pkt);
	default:
		return NULL;
	}
}

int dmsg_targets(const ldns_pkt *pkt, ldns_pkt_section sec, const char *owner,
		 ldns_rr_type type, struct strset *out)
{
	const ldns_rr_list *l = section(pkt, sec);
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_get_type(rr) != type || ldns_rr_rd_count(rr) < 1 ||
		    !dmsg_owner_is(rr, owner))
			continue;
		char *t = dmsg_name(ldns_rr_rdf(rr, 0));
		int rc = t ? strset_add(out, t) : 0;
		free(t);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int dmsg_addrs(const ldns_pkt *pkt, ldns_pkt_section sec, const char *owner,
	       struct strset *out)
{
	const ldns_rr_list *l = section(pkt, sec);
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if ((t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA) ||
		    ldns_rr_rd_count(rr) < 1 || !dmsg_owner_is(rr, owner))
			continue;
		char *a = dmsg_rdf_str(ldns_rr_rdf(rr, 0));
		int rc = a ? strset_add(out, a) : 0;
		free(a);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int dmsg_soa_serial(const ldns_pkt *pkt, const char *owner, uint32_t *serial)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) < 3 || !dmsg_owner_is(rr, owner))
			continue;
		const ldns_rdf *s = ldns_rr_rdf(rr, 2);
		if (ldns_rdf_get_type(s) != LDNS_RDF_TYPE_INT32 ||
		    ldns_rdf_size(s) != 4)
			continue;
		*serial = ldns_rdf2native_int32(s);
		return 0;
	}
	return -ENOENT;
}
