/* DNS wire format: bounded reading, query building, response matching.
 *
 * Written here rather than with ldns, which does everything else with
 * DNS messages in dnsdoctor (parsing answers, names, DNSSEC): these are
 * the engine's hot path, run for every query and every datagram that
 * arrives (fleet sends tens of thousands a second), and must not
 * allocate. ldns builds a query as an ldns_pkt of allocated RRs and
 * renders it through an allocated buffer, and parses a whole packet to
 * read its ID and question. The bounded cursor (wire_ctx, Knot's
 * wire_ctx with a sticky error) also reads CAA's tag and value. */
#include <errno.h>
#include <string.h>
#include "core/wire.h"

#define TYPE_OPT 41
#define EDNS_DO	 0x8000

void wire_ctx_init(struct wire_ctx *c, const uint8_t *buf, size_t len)
{
	c->base = buf;
	c->len = buf ? len : 0;
	c->pos = 0;
	c->error = 0;
}

size_t wire_available(const struct wire_ctx *c)
{
	return c->error ? 0 : c->len - c->pos;
}

/* Claims N bytes at the cursor: returns them, or NULL and sets the error. */
static const uint8_t *take(struct wire_ctx *c, size_t n)
{
	const uint8_t *p;

	if (c->error)
		return NULL;
	if (n > c->len - c->pos) {
		c->error = -EFAULT;
		return NULL;
	}
	p = c->base + c->pos;
	c->pos += n;
	return p;
}

uint8_t wire_read_u8(struct wire_ctx *c)
{
	const uint8_t *p = take(c, 1);

	return p ? p[0] : 0;
}

uint16_t wire_read_u16(struct wire_ctx *c)
{
	const uint8_t *p = take(c, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

uint32_t wire_read_u32(struct wire_ctx *c)
{
	const uint8_t *p = take(c, 4);

	if (!p)
		return 0;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void wire_read_bytes(struct wire_ctx *c, uint8_t *out, size_t n)
{
	const uint8_t *p = take(c, n);

	if (p)
		memcpy(out, p, n);
	else if (n)
		memset(out, 0, n);
}

void wire_skip(struct wire_ctx *c, size_t n)
{
	take(c, n);
}

void wire_seek(struct wire_ctx *c, size_t off)
{
	if (c->error)
		return;
	if (off > c->len)
		c->error = -EFAULT;
	else
		c->pos = off;
}

static uint8_t lower(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch + ('a' - 'A')) : ch;
}

int wire_name_to_text(const uint8_t *name, size_t len, char *out, size_t cap)
{
	size_t pos = 0, o = 0;
	if (!name || len == 0 || len > WIRE_NAME_MAX)
		return -EINVAL;
	if (len == 1) {
		if (cap < 2)
			return -ENOSPC;
		memcpy(out, ".", 2);
		return 1;
	}
	/* ldns stops at a zero octet or at LEN, printing a dot after a label
	 * only when octets follow it. */
	while (pos < len && name[pos] != 0) {
		size_t l = name[pos++];
		if (l > len - pos)
			return -EINVAL;
		for (size_t i = 0; i < l; i++) {
			uint8_t c = name[pos++];
			/* At most 4 octets for this one, a dot, the NUL. */
			if (cap - o < 6)
				return -ENOSPC;
			if (c == '.' || c == ';' || c == '(' || c == ')' ||
			    c == '\\') {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (c > 0x20 && c < 0x7f) {
				out[o++] = (char)lower(c);
			} else {
				out[o++] = '\\';
				out[o++] = (char)('0' + c / 100);
				out[o++] = (char)('0' + c / 10 % 10);
				out[o++] = (char)('0' + c % 10);
			}
		}
		if (pos < len) {
			if (cap - o < 2)
				return -ENOSPC;
			out[o++] = '.';
		}
	}
	out[o] = '\0';
	return (int)o;
}

void wire_name_lower(uint8_t *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		name[i] = lower(name[i]);
}

/* Follows one compression pointer whose first octet B has been read. The
 * target must lie before *LIMIT, the lowest offset this name has visited, and
 * becomes the new limit: targets strictly decrease, so a loop cannot exist;
 * the hop limit is a second guard. */
static int follow_ptr(struct wire_ctx *c, uint8_t b, size_t *limit, int *hops,
		      size_t *resume)
{
	uint8_t lo = wire_read_u8(c);
	size_t target = (size_t)(b & 0x3f) << 8 | lo;

	if (c->error)
		return -EFAULT;
	if (*resume == 0)
		*resume = c->pos; /* the name ends after its first pointer */
	if (target >= *limit || ++*hops > WIRE_PTR_HOPS)
		return -EINVAL;
	*limit = target;
	c->pos = target;
	return 0;
}

int wire_read_name(struct wire_ctx *c, uint8_t out[WIRE_NAME_MAX])
{
	size_t n = 0, resume = 0, limit = c->pos;
	int hops = 0, ret;

	for (;;) {
		uint8_t b = wire_read_u8(c);

		if (c->error)
			return -EFAULT;
		if ((b & 0xc0) == 0xc0) {
			ret = follow_ptr(c, b, &limit, &hops, &resume);
			if (ret < 0)
				return ret;
			continue;
		}
		if (b & 0xc0)
			return -EINVAL; /* 0x40/0x80 label types: obsolete */
		if (n + 1 + b > WIRE_NAME_MAX)
			return -EINVAL;
		out[n++] = b;
		if (b == 0)
			break;
		wire_read_bytes(c, out + n, b);
		if (c->error)
			return -EFAULT;
		wire_name_lower(out + n, b);
		n += b;
	}
	if (resume)
		c->pos = resume;
	return (int)n;
}

/* Decodes the escape at *P ("\DDD" or "\X"; *P is just past the backslash)
 * into *OUT and advances *P. */
static int unescape(const char **p, uint8_t *out)
{
	const char *s = *p;
	unsigned v = 0;

	if (s[0] >= '0' && s[0] <= '9') {
		for (int i = 0; i < 3; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -EINVAL;
			v = v * 10 + (unsigned)(s[i] - '0');
		}
		if (v > 255)
			return -EINVAL;
		*out = (uint8_t)v;
		*p = s + 3;
		return 0;
	}
	if (s[0] == '\0')
		return -EINVAL;
	*out = (uint8_t)s[0];
	*p = s + 1;
	return 0;
}

int wire_name_from_text(uint8_t out[WIRE_NAME_MAX], const char *name)
{
	const char *p = name;
	size_t n = 0, lab = 0; /* lab: offset of the current length octet */

	if (!name || !*name)
		return -EINVAL;
	if (strcmp(name, ".") == 0) {
		out[0] = 0;
		return 1;
	}
	out[0] = 0;
	n = 1;
	while (*p) {
		uint8_t ch;

		if (*p == '.') {
			if (n - lab - 1 == 0)
				return -EINVAL; /* empty label */
			out[lab] = (uint8_t)(n - lab - 1);
			p++;
			if (!*p)
				break;
			if (n >= WIRE_NAME_MAX)
				return -EINVAL;
			lab = n;
			out[n++] = 0;
			continue;
		}
		if (*p == '\\') {
			p++;
			if (unescape(&p, &ch) < 0)
				return -EINVAL;
		} else {
			ch = (uint8_t)*p++;
		}
		if (n - lab - 1 >= WIRE_LABEL_MAX || n + 1 >= WIRE_NAME_MAX)
			return -EINVAL;
		out[n++] = ch;
	}
	if (n - lab - 1 > 0) { /* a final label without its dot */
		out[lab] = (uint8_t)(n - lab - 1);
		if (n >= WIRE_NAME_MAX)
			return -EINVAL;
	}
	out[n++] = 0;
	return (int)n;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Writes an OPT pseudo-record (RFC 6891) at P for ENG_FLAGS: 11 octets,
 * 15 with the unknown option. Returns its length. */
static size_t put_opt(uint8_t *p, unsigned eng_flags)
{
	uint16_t flags = eng_flags & WIRE_QF_DO ? EDNS_DO : 0;
	bool opt = eng_flags & WIRE_QF_EDNS_OPT;

	if (eng_flags & WIRE_QF_EDNS_FLAG)
		flags |= WIRE_EDNS_UNKNOWN_FLAG;
	p[0] = 0; /* owner: root */
	put16(p + 1, TYPE_OPT);
	put16(p + 3, WIRE_EDNS_UDP); /* class: UDP payload size */
	p[5] = 0;		     /* extended RCODE */
	p[6] = eng_flags & WIRE_QF_EDNS_V1 ? 1 : 0; /* version */
	put16(p + 7, flags);
	put16(p + 9, opt ? 4 : 0); /* RDLENGTH */
	if (opt) {		   /* the option, empty */
		put16(p + 11, WIRE_EDNS_UNKNOWN_OPTION);
		put16(p + 13, 0);
	}
	return opt ? 15 : 11;
}

/* WIRE_QF_CASE: every other letter of the name upper case, starting with
 * the first (RFC 5452's 0x20 bit, made deterministic so the checks know
 * what was sent without a field of their own). */
void wire_name_mix_case(uint8_t *name, size_t len)
{
	bool up = true;
	for (size_t i = 0; i < len && name[i];) {
		size_t l = name[i++];
		for (size_t j = 0; j < l && i < len; j++, i++) {
			uint8_t c = name[i];
			if (c >= 'a' && c <= 'z') {
				if (up)
					name[i] = (uint8_t)(c - 'a' + 'A');
				up = !up;
			} else if (c >= 'A' && c <= 'Z') {
				if (!up)
					name[i] = (uint8_t)(c - 'A' + 'a');
				up = !up;
			}
		}
	}
}

int wire_build_query(uint8_t *buf, size_t cap, uint16_t id, const char *qname,
		     uint16_t qtype, uint16_t qclass, unsigned eng_flags)
{
	uint8_t name[WIRE_NAME_MAX];
	bool edns = eng_flags & (WIRE_QF_EDNS | WIRE_QF_DO | WIRE_QF_EDNS_V1 |
				 WIRE_QF_EDNS_OPT | WIRE_QF_EDNS_FLAG);
	bool opt = edns && (eng_flags & WIRE_QF_EDNS_OPT);
	uint16_t flags = 0;
	int nlen = wire_name_from_text(name, qname);
	size_t total;

	if (nlen < 0)
		return nlen;
	if (eng_flags & WIRE_QF_CASE)
		wire_name_mix_case(name, (size_t)nlen);
	total = WIRE_HDR_LEN + (size_t)nlen + 4 + (edns ? 11 : 0) +
		(opt ? 4 : 0);
	if (!buf || total > cap)
		return -ENOSPC;
	if (eng_flags & WIRE_QF_RD)
		flags |= WIRE_RD;
	if (eng_flags & WIRE_QF_CD)
		flags |= WIRE_CD;
	put16(buf, id);
	put16(buf + 2, flags);
	put16(buf + 4, 1); /* QDCOUNT */
	put16(buf + 6, 0);
	put16(buf + 8, 0);
	put16(buf + 10, edns ? 1 : 0); /* ARCOUNT */
	memcpy(buf + WIRE_HDR_LEN, name, (size_t)nlen);
	put16(buf + WIRE_HDR_LEN + nlen, qtype);
	put16(buf + WIRE_HDR_LEN + nlen + 2, qclass);
	if (edns)
		put_opt(buf + WIRE_HDR_LEN + nlen + 4, eng_flags);
	return (int)total;
}

static int match_question(struct wire_ctx *c, const char *qname, uint16_t qtype,
			  uint16_t qclass)
{
	uint8_t want[WIRE_NAME_MAX], got[WIRE_NAME_MAX];
	int wlen = wire_name_from_text(want, qname);
	int glen;
	uint16_t t, k;

	if (wlen < 0)
		return WM_BAD_QUESTION;
	wire_name_lower(want, (size_t)wlen);
	glen = wire_read_name(c, got);
	if (glen == -EFAULT)
		return WM_SHORT;
	if (glen < 0)
		return WM_BAD_QUESTION;
	t = wire_read_u16(c);
	k = wire_read_u16(c);
	if (c->error)
		return WM_SHORT;
	if (glen != wlen || memcmp(want, got, (size_t)glen) != 0)
		return WM_BAD_QUESTION;
	if (t != qtype || k != qclass)
		return WM_BAD_QUESTION;
	return WM_MATCH;
}

int wire_match_response(const uint8_t *resp, size_t len, uint16_t id,
			const char *qname, uint16_t qtype, uint16_t qclass)
{
	struct wire_ctx c;
	uint16_t rid, flags, qd;

	wire_ctx_init(&c, resp, len);
	rid = wire_read_u16(&c);
	flags = wire_read_u16(&c);
	qd = wire_read_u16(&c);
	wire_skip(&c, 6);
	if (c.error)
		return WM_SHORT;
	if (!(flags & WIRE_QR))
		return WM_NOT_RESPONSE;
	if (rid != id)
		return WM_BAD_ID;
	if (qd != 1)
		return WM_BAD_QUESTION;
	return match_question(&c, qname, qtype, qclass);
}

uint16_t wire_id(const uint8_t *msg, size_t len)
{
	return msg && len >= WIRE_HDR_LEN ? (uint16_t)(msg[0] << 8 | msg[1])
					  : 0;
}

uint16_t wire_flags(const uint8_t *msg, size_t len)
{
	return msg && len >= WIRE_HDR_LEN ? (uint16_t)(msg[2] << 8 | msg[3])
					  : 0;
}

bool wire_tc(const uint8_t *msg, size_t len)
{
	return wire_flags(msg, len) & WIRE_TC;
}

int wire_rcode(const uint8_t *msg, size_t len)
{
	return wire_flags(msg, len) & 0x000f;
}
