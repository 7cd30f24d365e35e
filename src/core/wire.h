/* DNS wire format: a bounded cursor over untrusted bytes, query building and
 * response matching.
 *
 * The cursor follows Knot's contrib/wire_ctx.h: the first read past the end
 * sets a sticky error, after which every read returns 0 and the position no
 * longer moves, so a parser reads a whole record and checks the error once. */
#ifndef DD_CORE_WIRE_H
#define DD_CORE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_HDR_LEN   12
#define WIRE_NAME_MAX  255 /* octets of an uncompressed name (RFC 1035) */
#define WIRE_LABEL_MAX 63
#define WIRE_EDNS_UDP                                                       \
	1232		  /* our advertised UDP payload (DNS flag day 2020) \
			   */
#define WIRE_PTR_HOPS 127 /* compression pointers followed per name */

/* Header flag bits in the second 16-bit word. */
#define WIRE_QR 0x8000
#define WIRE_AA 0x0400
#define WIRE_TC 0x0200
#define WIRE_RD 0x0100
#define WIRE_RA 0x0080
#define WIRE_AD 0x0020
#define WIRE_CD 0x0010

struct wire_ctx {
	const uint8_t *base;
	size_t len;
	size_t pos;
	int error; /* 0, or -EFAULT once a read went past the end */
};

/* Starts a cursor over BUF[0..LEN). BUF may be NULL when LEN is 0. */
void wire_ctx_init(struct wire_ctx *c, const uint8_t *buf, size_t len);
uint8_t wire_read_u8(struct wire_ctx *c);
uint16_t wire_read_u16(struct wire_ctx *c);
uint32_t wire_read_u32(struct wire_ctx *c);
/* Copies N bytes into OUT; on overrun OUT is zeroed and the error set. */
void wire_read_bytes(struct wire_ctx *c, uint8_t *out, size_t n);
void wire_skip(struct wire_ctx *c, size_t n);
/* Moves to absolute offset OFF (OFF == len is allowed: the end). */
void wire_seek(struct wire_ctx *c, size_t off);
size_t wire_available(const struct wire_ctx *c);

/* Reads a possibly compressed name at the cursor into OUT (uncompressed wire
 * form, ASCII lower-cased) and moves past it. Pointers must point strictly
 * backwards and at most WIRE_PTR_HOPS are followed. Returns the name's length
 * (1 for the root), -EFAULT when the bytes end first (the cursor's error is
 * set), or -EINVAL for a loop, a forward pointer, a reserved label type or a
 * name over 255 octets. */
int wire_read_name(struct wire_ctx *c, uint8_t out[WIRE_NAME_MAX]);

/* Converts presentation text NAME ("www.example.com.", "." for the root; a
 * missing final dot is taken as absolute) into wire form in OUT. Handles the
 * "\DDD" and "\X" escapes. Returns the length, or -EINVAL for an empty label,
 * a label over 63 octets, a name over 255 octets or a bad escape. */
int wire_name_from_text(uint8_t out[WIRE_NAME_MAX], const char *name);

/* Writes wire name NAME of LEN octets (uncompressed, as in an ldns rdf) as
 * lower-case presentation text into OUT: exactly what ldns prints for it
 * (ldns_rdf2buffer_str), lower-cased: "." for the root, a dot after every
 * label of an absolute name, "\." "\;" "\(" "\)" "\\" for those octets,
 * "\DDD" for any other octet that is not a printable ASCII character.
 * Written here because ldns prints a name one vsnprintf per octet, which
 * was a sixth of a fleet's instructions. Returns the text's length, or
 * -EINVAL for a malformed name (a label running past LEN, LEN over 255)
 * or -ENOSPC when CAP is too small. */
int wire_name_to_text(const uint8_t *name, size_t len, char *out, size_t cap);

/* Lower-cases the ASCII letters of wire name NAME of LEN octets in place. */
void wire_name_lower(uint8_t *name, size_t len);

/* Query flags for wire_build_query. They have the values of ENG_F_* in
 * engine/engine.h (engine.c checks this at compile time) so the engine passes
 * its flags through, while the core does not include the engine. */
#define WIRE_QF_RD   0x01
#define WIRE_QF_EDNS 0x02
#define WIRE_QF_DO   0x04
#define WIRE_QF_CD   0x08
/* Name-server behaviour questions (RFC 6891 6.1.3, 6.1.4, 6.2.6; RFC 5452
 * 0x20): each implies EDNS except WIRE_QF_CASE. */
#define WIRE_QF_EDNS_V1	  0x100 /* EDNS version 1: BADVERS is due */
#define WIRE_QF_EDNS_OPT  0x200 /* WIRE_EDNS_UNKNOWN_OPTION, empty */
#define WIRE_QF_EDNS_FLAG 0x400 /* WIRE_EDNS_UNKNOWN_FLAG set */
#define WIRE_QF_CASE	  0x800 /* the name in mixed case (wire_name_mix_case) */
/* An EDNS option code and an EDNS header flag IANA has not assigned: a
 * server must ignore both, and not echo them (RFC 6891 6.1.2, 6.1.4). */
#define WIRE_EDNS_UNKNOWN_OPTION 137
#define WIRE_EDNS_UNKNOWN_FLAG	 0x0040

/* Mixes the case of the ASCII letters of wire name NAME of LEN octets as
 * WIRE_QF_CASE asks: the first letter upper case, the next lower, and so
 * on across labels. */
void wire_name_mix_case(uint8_t *name, size_t len);

/* Builds a query for (QNAME, QTYPE, QCLASS) with ID into BUF. ENG_FLAGS are
 * WIRE_QF_* (= ENG_F_*; other bits are ignored): RD and CD set header bits;
 * EDNS adds an OPT record advertising WIRE_EDNS_UDP bytes; DO sets the DO bit
 * (and implies EDNS), as do the other WIRE_QF_EDNS_*; WIRE_QF_CASE mixes
 * the name's case. Returns the length, -EINVAL for a bad name or -ENOSPC
 * when CAP is too small. */
int wire_build_query(uint8_t *buf, size_t cap, uint16_t id, const char *qname,
		     uint16_t qtype, uint16_t qclass, unsigned eng_flags);

enum wire_match {
	WM_MATCH = 0,
	WM_SHORT,	 /* shorter than its header or question claims */
	WM_NOT_RESPONSE, /* QR clear */
	WM_BAD_ID,
	WM_BAD_QUESTION, /* QDCOUNT != 1, another name/type/class, bad name */
};

/* Says whether RESP answers the query (ID, QNAME, QTYPE, QCLASS). Names are
 * compared case-insensitively (resolvers may use 0x20 randomisation).
 * Returns an enum wire_match; WM_BAD_QUESTION when QNAME itself is invalid. */
int wire_match_response(const uint8_t *resp, size_t len, uint16_t id,
			const char *qname, uint16_t qtype, uint16_t qclass);

/* Header accessors. Each returns 0 (false) when LEN < WIRE_HDR_LEN. */
uint16_t wire_id(const uint8_t *msg, size_t len);
uint16_t wire_flags(const uint8_t *msg, size_t len);
bool wire_tc(const uint8_t *msg, size_t len);
int wire_rcode(const uint8_t *msg, size_t len); /* header RCODE, 4 bits */

#endif
