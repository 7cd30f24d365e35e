#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/wire.h"

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
	return wire_name_to_text(ldns_rdf_data(rdf), ldns_rdf_size(rdf), buf,
				 len) < 0
		       ? -1
		       : 0;
}

int dmsg_name_fit(const ldns_rdf *rdf, char *out, size_t len)
{
	char buf[DMSG_NAME_MAX];
	if (dmsg_name_to(rdf, buf, sizeof(buf)) < 0)
		return -1;
	size_t n = strlen(buf);
	if (n >= len)
		return -1;
	memcpy(out, buf, n + 1);
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

/* --- names compared in wire form --- */

/* The key's name as an ldns rdf over its own octets from OFF on (a name
 * itself: a key holds whole labels), for ldns's name functions. Not to be
 * freed; lives as long as K. */
static ldns_rdf key_rdf(const struct dmsg_key *k, size_t off)
{
	return (ldns_rdf){ ._size = k->len - off,
			   ._type = LDNS_RDF_TYPE_DNAME,
			   ._data = (void *)(k->wire + off) };
}

/* The octets ldns_rdf2buffer_str_dname escapes with a backslash; the other
 * octets it prints as themselves when they are ASCII graphic characters
 * (isascii and isgraph, C locale), and as "\DDD" when not. */
static bool escaped_as_itself(uint8_t c)
{
	return c == '.' || c == ';' || c == '(' || c == ')' || c == '\\';
}

static bool printed_plain(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

/* True when TEXT is exactly how dmsg_name prints the wire name W: ldns's
 * printing, then lower case. Written here because ldns has no such test:
 * ldns_dname_new_frm_str (and wire_name_from_text, which made W) reads
 * many spellings of one name ("Example.com", "\101.com."), while a text
 * compared with printed names only ever equalled the one printed. It
 * prints nothing: it walks TEXT along W and stops at the first octet
 * printed otherwise. The unit test holds it to ldns's printing for every
 * octet value. */
static bool printed_as(const char *t, const uint8_t *w)
{
	if (w[0] == 0)
		return strcmp(t, ".") == 0;
	for (size_t i = 0; w[i]; i += w[i] + 1) {
		for (size_t j = 1; j <= w[i]; j++) {
			uint8_t c = w[i + j];
			if (escaped_as_itself(c)) {
				if (t[0] != '\\' || (uint8_t)t[1] != c)
					return false;
				t += 2;
			} else if (!printed_plain(c)) {
				if (t[0] != '\\' || t[1] != '0' + c / 100 ||
				    t[2] != '0' + c / 10 % 10 ||
				    t[3] != '0' + c % 10)
					return false;
				t += 4;
			} else {
				if ((uint8_t)t[0] != tolower(c))
					return false;
				t++;
			}
		}
		if (*t++ != '.')
			return false;
	}
	return *t == '\0';
}

bool dmsg_key_init(struct dmsg_key *k, const char *name)
{
	int n = name ? wire_name_from_text(k->wire, name) : -EINVAL;
	k->text = name;
	k->len = 0;
	if (n < 0 || !printed_as(name, k->wire))
		return false;
	wire_name_lower(k->wire, (size_t)n);
	k->len = (size_t)n;
	return true;
}

void dmsg_key_from_rdf(struct dmsg_key *k, const ldns_rdf *rdf)
{
	k->text = NULL;
	k->len = 0;
	if (!rdf || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME ||
	    ldns_rdf_size(rdf) == 0 || ldns_rdf_size(rdf) > sizeof(k->wire))
		return;
	memcpy(k->wire, ldns_rdf_data(rdf), ldns_rdf_size(rdf));
	wire_name_lower(k->wire, ldns_rdf_size(rdf));
	k->len = ldns_rdf_size(rdf);
}

/* True when N octets of wire name W equal the lower-case octets of KEY,
 * ASCII letters compared without case. Two uncompressed names whose
 * octets agree so have the same labels (a length octet is at most 63, no
 * letter), so this is ldns_dname_compare's equality, for a tenth of what
 * ldns spends: it counts and walks labels from the right. */
static bool wire_equal(const uint8_t *key, const uint8_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = w[i];
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		if (c != key[i])
			return false;
	}
	return true;
}

bool dmsg_key_is(const struct dmsg_key *k, const ldns_rdf *rdf)
{
	/* Equal names have as many octets: the size rules most records out
	 * before ldns looks at a label. */
	if (!k->len || !rdf || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME ||
	    ldns_rdf_size(rdf) != k->len)
		return false;
	return wire_equal(k->wire, ldns_rdf_data(rdf), k->len);
}

bool dmsg_key_in(const struct dmsg_key *k, const ldns_rdf *zone)
{
	/* ZONE must equal the key's last labels. ldns_dname_is_subdomain
	 * says so for strict subdomains only, and copies both names and
	 * every label it compares to the heap; this walks the key's labels
	 * to the one where as many octets as ZONE has are left, and compares
	 * that tail. */
	if (!k->len || !zone || ldns_rdf_get_type(zone) != LDNS_RDF_TYPE_DNAME)
		return false;
	size_t zs = ldns_rdf_size(zone);
	for (size_t off = 0; off < k->len && k->len - off >= zs;
	     off += k->wire[off] + 1) {
		if (k->len - off == zs)
			return wire_equal(k->wire + off, ldns_rdf_data(zone),
					  zs);
		if (k->wire[off] == 0)
			break;
	}
	return false;
}

bool dmsg_owner_is(const ldns_rr *rr, const char *name)
{
	struct dmsg_key k;
	dmsg_key_init(&k, name);
	return dmsg_key_is(&k, ldns_rr_owner(rr));
}

static bool answer_has(const ldns_pkt *pkt, const struct dmsg_key *qname,
		       uint16_t qtype)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if ((t == qtype || t == LDNS_RR_TYPE_CNAME) &&
		    dmsg_key_is(qname, ldns_rr_owner(rr)))
			return true;
	}
	return false;
}

/* True for a wire name (LEN octets) on which the text tests dname_in and
 * dname_labels, run on its printed form, disagree with its labels: a dot
 * inside a label (printed "\.", which dname_in takes for a boundary: it
 * finds "b.c." at the end of "a\.b.c."), or a label that ends in a
 * backslash (printed "\\.", whose dot dname_labels does not count). */
static bool text_tests_err(const uint8_t *w, size_t len)
{
	for (size_t i = 0; i < len && w[i] && i + w[i] < len; i += w[i] + 1)
		if (memchr(w + i + 1, '.', w[i]) || w[i + w[i]] == '\\')
			return true;
	return false;
}

/* The text of K for the text way below: the text it was made from, else
 * its name printed into BUF (DMSG_NAME_MAX); NULL for no name. */
static const char *key_text(const struct dmsg_key *k, char *buf)
{
	if (k->text)
		return k->text;
	ldns_rdf r = key_rdf(k, 0);
	return k->len && dmsg_name_to(&r, buf, DMSG_NAME_MAX) == 0 ? buf : NULL;
}

/* True when the text of the name O, as dmsg_name prints it, is shorter
 * than LEN. An octet prints as four characters at most and a label's
 * length octet as one dot, so a name of LEN / 4 octets or fewer fits
 * without being printed; a longer one is printed into BUF (DMSG_NAME_MAX)
 * and measured. */
static bool text_fits(const ldns_rdf *o, size_t len, char *buf)
{
	if (4 * ldns_rdf_size(o) <= len)
		return true;
	return dmsg_name_to(o, buf, DMSG_NAME_MAX) == 0 && strlen(buf) < len;
}

/* The deepest NS owner in the authority section that is an ancestor of (or
 * equal to) QNAME and whose text is shorter than CUTLEN; NULL if none.
 *
 * This compared printed names with dname_in and dname_labels before, and
 * still does when QNAME is a name on which those disagree with its labels
 * (text_tests_err: hostile names only) or no printed name at all (an
 * evidence file may say anything): the verdicts on them stay what they
 * were. Otherwise every '.' in QNAME's text is a label boundary, so
 * dname_in finds an owner exactly when the owner is QNAME's last labels,
 * such an owner's labels are QNAME's and dname_labels counts them right:
 * the owners are compared in wire form, and none is printed. */
static const ldns_rdf *referral_cut(const ldns_pkt *pkt,
				    const struct dmsg_key *qname, size_t cutlen)
{
	const ldns_rr_list *au = ldns_pkt_authority(pkt);
	bool q_text = !qname->len || text_tests_err(qname->wire, qname->len);
	char qbuf[DMSG_NAME_MAX];
	const char *qtext = NULL;
	const ldns_rdf *cut = NULL;
	int best = -1;
	for (size_t i = 0; i < ldns_rr_list_rr_count(au); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(au, i);
		const ldns_rdf *o = ldns_rr_owner(rr);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS ||
		    ldns_rdf_get_type(o) != LDNS_RDF_TYPE_DNAME)
			continue;
		char buf[DMSG_NAME_MAX];
		bool in;
		int labels;
		if (q_text) {
			if (!qtext && !(qtext = key_text(qname, qbuf)))
				return NULL;
			if (dmsg_name_to(o, buf, sizeof(buf)) < 0)
				continue;
			in = dname_in(qtext, buf) && strlen(buf) < cutlen;
			labels = dname_labels(buf);
		} else {
			in = dmsg_key_in(qname, o);
			labels = ldns_dname_label_count(o);
		}
		if (!in || labels <= best ||
		    (!q_text && !text_fits(o, cutlen, buf)))
			continue;
		best = labels;
		cut = o;
	}
	return cut;
}

enum resp_kind dmsg_classify_key(const ldns_pkt *pkt,
				 const struct dmsg_key *qname, uint16_t qtype,
				 const ldns_rdf **cut, size_t cutlen)
{
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(pkt);
	bool aa = ldns_pkt_aa(pkt);
	const ldns_rdf *c;

	if (cut)
		*cut = NULL;
	if (rc == LDNS_RCODE_NXDOMAIN)
		return aa ? RK_NXDOMAIN : RK_NOTAUTH;
	if (rc != LDNS_RCODE_NOERROR)
		return RK_RCODE;
	if (answer_has(pkt, qname, qtype))
		return aa ? RK_ANSWER : RK_NOTAUTH;
	if (!aa && (c = referral_cut(pkt, qname, cutlen))) {
		if (cut)
			*cut = c;
		return RK_REFERRAL;
	}
	return aa ? RK_NODATA : RK_NOTAUTH;
}

enum resp_kind dmsg_classify(const ldns_pkt *pkt, const char *qname,
			     uint16_t qtype, char *cut, size_t cutlen)
{
	struct dmsg_key k;
	const ldns_rdf *c;
	dmsg_key_init(&k, qname);
	enum resp_kind kind = dmsg_classify_key(pkt, &k, qtype, &c, cutlen);
	/* The cut's text fits: referral_cut took no other. */
	if (kind == RK_REFERRAL)
		dmsg_name_fit(c, cut, cutlen);
	return kind;
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

/* True when dmsg_name would print RDF, the target of a record. */
static bool printable_name(const ldns_rdf *rdf)
{
	return rdf && ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME &&
	       ldns_rdf_size(rdf) <= LDNS_MAX_DOMAINLEN;
}

int dmsg_targets_key(const ldns_pkt *pkt, ldns_pkt_section sec,
		     const struct dmsg_key *owner, ldns_rr_type type,
		     struct strset *out)
{
	const ldns_rr_list *l = section(pkt, sec);
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		char t[DMSG_NAME_MAX];
		if (ldns_rr_get_type(rr) != type || ldns_rr_rd_count(rr) < 1 ||
		    !dmsg_key_is(owner, ldns_rr_owner(rr)) ||
		    dmsg_name_to(ldns_rr_rdf(rr, 0), t, sizeof(t)) < 0)
			continue;
		int rc = strset_add(out, t);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int dmsg_targets(const ldns_pkt *pkt, ldns_pkt_section sec, const char *owner,
		 ldns_rr_type type, struct strset *out)
{
	struct dmsg_key k;
	dmsg_key_init(&k, owner);
	return dmsg_targets_key(pkt, sec, &k, type, out);
}

bool dmsg_has_targets(const ldns_pkt *pkt, ldns_pkt_section sec,
		      const struct dmsg_key *owner, ldns_rr_type type)
{
	const ldns_rr_list *l = section(pkt, sec);
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_get_type(rr) == type && ldns_rr_rd_count(rr) >= 1 &&
		    dmsg_key_is(owner, ldns_rr_owner(rr)) &&
		    printable_name(ldns_rr_rdf(rr, 0)))
			return true;
	}
	return false;
}

/* An A or AAAA address into BUF (ADDR_TEXT_MAX), as dmsg_rdf_str prints
 * it, without allocating: a fixed ldns buffer over BUF, which is longer
 * than any address's text (INET6_ADDRSTRLEN). 0, or -1 when RDF is no
 * address. */
#define ADDR_TEXT_MAX 64
static int addr_to(const ldns_rdf *rdf, char *buf)
{
	ldns_rdf_type t = rdf ? ldns_rdf_get_type(rdf) : LDNS_RDF_TYPE_NONE;
	if (t != LDNS_RDF_TYPE_A && t != LDNS_RDF_TYPE_AAAA)
		return -1;
	if (t == LDNS_RDF_TYPE_A && ldns_rdf_size(rdf) == 4) {
		/* What inet_ntop writes, without its sprintf per octet
		 * (an address is printed for every glue record seen). */
		const uint8_t *a = ldns_rdf_data(rdf);
		char *o = buf;
		for (int i = 0; i < 4; i++) {
			if (a[i] >= 100)
				*o++ = (char)('0' + a[i] / 100);
			if (a[i] >= 10)
				*o++ = (char)('0' + a[i] / 10 % 10);
			*o++ = (char)('0' + a[i] % 10);
			*o++ = i < 3 ? '.' : '\0';
		}
		return 0;
	}
	ldns_buffer b = { ._limit = ADDR_TEXT_MAX,
			  ._capacity = ADDR_TEXT_MAX,
			  ._data = (uint8_t *)buf,
			  ._fixed = 1,
			  ._status = LDNS_STATUS_OK };
	if (ldns_rdf2buffer_str(&b, rdf) != LDNS_STATUS_OK ||
	    !ldns_buffer_status_ok(&b) ||
	    ldns_buffer_position(&b) >= ADDR_TEXT_MAX)
		return -1;
	buf[ldns_buffer_position(&b)] = '\0';
	return 0;
}

int dmsg_addrs_key(const ldns_pkt *pkt, ldns_pkt_section sec,
		   const struct dmsg_key *owner, struct strset *out)
{
	const ldns_rr_list *l = section(pkt, sec);
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if ((t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA) ||
		    ldns_rr_rd_count(rr) < 1 ||
		    !dmsg_key_is(owner, ldns_rr_owner(rr)))
			continue;
		char buf[ADDR_TEXT_MAX];
		const ldns_rdf *rdf = ldns_rr_rdf(rr, 0);
		char *a = addr_to(rdf, buf) == 0 ? buf : dmsg_rdf_str(rdf);
		int rc = a ? strset_add(out, a) : 0;
		if (a != buf)
			free(a);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int dmsg_addrs(const ldns_pkt *pkt, ldns_pkt_section sec, const char *owner,
	       struct strset *out)
{
	struct dmsg_key k;
	dmsg_key_init(&k, owner);
	return dmsg_addrs_key(pkt, sec, &k, out);
}

int dmsg_soa_serial_key(const ldns_pkt *pkt, const struct dmsg_key *owner,
			uint32_t *serial)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) < 3 ||
		    !dmsg_key_is(owner, ldns_rr_owner(rr)))
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

int dmsg_soa_serial(const ldns_pkt *pkt, const char *owner, uint32_t *serial)
{
	struct dmsg_key k;
	dmsg_key_init(&k, owner);
	return dmsg_soa_serial_key(pkt, &k, serial);
}
