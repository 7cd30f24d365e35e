/* Wire cursor, name conversion, query building and response matching. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/wire.h"

#define T_A    1
#define T_AAAA 28
#define C_IN   1

static void test_cursor_sticky_error(void **state)
{
	static const uint8_t b[] = { 0x12, 0x34, 0x56 };
	struct wire_ctx c;

	wire_ctx_init(&c, b, sizeof(b));
	assert_int_equal(wire_read_u16(&c), 0x1234);
	assert_int_equal(wire_read_u16(&c), 0); /* one byte left: overrun */
	assert_int_equal(c.error, -EFAULT);
	assert_int_equal(wire_read_u8(&c), 0); /* sticky, even if it fits */
	assert_int_equal(wire_available(&c), 0);
}

static void test_cursor_u32_and_seek(void **state)
{
	static const uint8_t b[] = { 0xde, 0xad, 0xbe, 0xef };
	struct wire_ctx c;
	uint8_t out[4];

	wire_ctx_init(&c, b, sizeof(b));
	assert_int_equal(wire_read_u32(&c), 0xdeadbeef);
	wire_seek(&c, 1);
	wire_read_bytes(&c, out, 3);
	assert_int_equal(c.error, 0);
	assert_memory_equal(out, b + 1, 3);
	wire_seek(&c, 5);
	assert_int_equal(c.error, -EFAULT);
	wire_ctx_init(&c, NULL, 10);
	assert_int_equal(wire_read_u8(&c), 0);
	assert_int_equal(c.error, -EFAULT);
}

static void test_name_from_text(void **state)
{
	uint8_t w[WIRE_NAME_MAX];

	assert_int_equal(wire_name_from_text(w, "."), 1);
	assert_int_equal(w[0], 0);
	assert_int_equal(wire_name_from_text(w, "Example.COM."), 13);
	assert_memory_equal(w, "\7Example\3COM\0", 13);
	/* A missing final dot is taken as absolute. */
	assert_int_equal(wire_name_from_text(w, "example.com"), 13);
	assert_memory_equal(w, "\7example\3com\0", 13);
}

static void test_name_escapes(void **state)
{
	uint8_t w[WIRE_NAME_MAX];

	assert_int_equal(wire_name_from_text(w, "a\\.b.c."), 7);
	assert_memory_equal(w, "\3a.b\1c\0", 7);
	assert_int_equal(wire_name_from_text(w, "\\065\\000z."), 5);
	assert_memory_equal(w, "\3A\0z\0", 5);
	assert_int_equal(wire_name_from_text(w, "a\\256."), -EINVAL);
	assert_int_equal(wire_name_from_text(w, "a\\12."), -EINVAL);
	assert_int_equal(wire_name_from_text(w, "a\\"), -EINVAL);
}

static void test_name_rejects(void **state)
{
	uint8_t w[WIRE_NAME_MAX];
	char name[400];

	assert_int_equal(wire_name_from_text(w, ""), -EINVAL);
	assert_int_equal(wire_name_from_text(w, "a..b."), -EINVAL);
	assert_int_equal(wire_name_from_text(w, ".a."), -EINVAL);
	assert_int_equal(wire_name_from_text(w, "a.."), -EINVAL);
	/* 63 octets is the longest label, 64 is one too many. */
	memset(name, 'x', 63);
	memcpy(name + 63, ".", 2);
	assert_int_equal(wire_name_from_text(w, name), 65);
	memset(name, 'x', 64);
	memcpy(name + 64, ".", 2);
	assert_int_equal(wire_name_from_text(w, name), -EINVAL);
}

/* Builds "x.x.x...." with N labels of one letter: 2N + 1 octets. */
static void many_labels(char *buf, int n)
{
	for (int i = 0; i < n; i++) {
		buf[2 * i] = 'x';
		buf[2 * i + 1] = '.';
	}
	buf[2 * n] = '\0';
}

static void test_name_length_limit(void **state)
{
	uint8_t w[WIRE_NAME_MAX];
	char name[400];

	many_labels(name, 127); /* 255 octets: the longest name */
	assert_int_equal(wire_name_from_text(w, name), 255);
	many_labels(name, 128); /* 257 octets */
	assert_int_equal(wire_name_from_text(w, name), -EINVAL);
	/* 254 octets of labels + "yy" reaches 256 only at the last octet. */
	many_labels(name, 126);
	memcpy(name + 252, "yy.", 4);
	assert_int_equal(wire_name_from_text(w, name), -EINVAL);
}

static void test_build_query_plain(void **state)
{
	uint8_t b[512];
	int n = wire_build_query(b, sizeof(b), 0xbeef, "example.com.", T_A,
				 C_IN, WIRE_QF_RD);

	assert_int_equal(n, 12 + 13 + 4);
	assert_int_equal(wire_id(b, (size_t)n), 0xbeef);
	assert_int_equal(wire_flags(b, (size_t)n), WIRE_RD);
	assert_int_equal(b[5], 1);  /* QDCOUNT */
	assert_int_equal(b[11], 0); /* ARCOUNT */
	assert_memory_equal(b + 12, "\7example\3com\0\0\1\0\1", 17);
}

static void test_build_query_edns_do(void **state)
{
	uint8_t b[512];
	int n = wire_build_query(b, sizeof(b), 1, "a.", T_AAAA, C_IN,
				 WIRE_QF_DO | WIRE_QF_CD);
	static const uint8_t opt[] = {
		0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0
	};

	assert_int_equal(n, 12 + 3 + 4 + 11);
	assert_int_equal(wire_flags(b, (size_t)n), WIRE_CD);
	assert_int_equal(b[11], 1); /* ARCOUNT: the OPT record */
	assert_memory_equal(b + 19, opt, sizeof(opt));
	n = wire_build_query(b, sizeof(b), 1, "a.", T_A, C_IN, WIRE_QF_EDNS);
	assert_int_equal(b[19 + 7], 0); /* no DO bit */
}

/* The name-server behaviour questions: EDNS version 1, the unknown option
 * and flag, the name in mixed case. */
static void test_build_query_behaviour(void **state)
{
	uint8_t b[512];
	int n = wire_build_query(b, sizeof(b), 1, "a.", T_A, C_IN,
				 WIRE_QF_EDNS_V1);
	assert_int_equal(n, 12 + 3 + 4 + 11);
	assert_int_equal(b[19 + 6], 1); /* version */
	n = wire_build_query(b, sizeof(b), 1, "a.", T_A, C_IN,
			     WIRE_QF_EDNS_OPT | WIRE_QF_DO);
	static const uint8_t opt[] = { 0, 0, 41, 0x04, 0xd0, 0, 0, 0x80,
				       0, 0, 4,	 0,    137,  0, 0 };
	assert_int_equal(n, 12 + 3 + 4 + 15);
	assert_memory_equal(b + 19, opt, sizeof(opt));
	n = wire_build_query(b, sizeof(b), 1, "a.", T_A, C_IN,
			     WIRE_QF_EDNS_FLAG);
	assert_int_equal(b[19 + 7] << 8 | b[19 + 8], WIRE_EDNS_UNKNOWN_FLAG);
	n = wire_build_query(b, sizeof(b), 1, "example.com.", T_A, C_IN,
			     WIRE_QF_CASE);
	assert_int_equal(n, 12 + 13 + 4);
	assert_int_equal(b[11], 0); /* no EDNS */
	assert_memory_equal(b + 12, "\7ExAmPlE\3cOm\0", 13);
	/* the answer's question matches whatever its case */
	b[2] |= 0x80;
	assert_int_equal(wire_match_response(b, (size_t)n, 1, "example.com.",
					     T_A, C_IN),
			 WM_MATCH);
}

static void test_build_query_errors(void **state)
{
	uint8_t b[512];

	assert_int_equal(wire_build_query(b, 20, 1, "example.com.", T_A, C_IN,
					  0),
			 -ENOSPC);
	assert_int_equal(wire_build_query(b, sizeof(b), 1, "a..", T_A, C_IN, 0),
			 -EINVAL);
}

/* A response to (example.com., A, IN) with id 0x1234. */
static size_t make_resp(uint8_t *b, size_t cap)
{
	int n = wire_build_query(b, cap, 0x1234, "example.com.", T_A, C_IN, 0);

	b[2] |= 0x80; /* QR */
	return (size_t)n;
}

static void test_match_ok(void **state)
{
	uint8_t b[512];
	size_t n = make_resp(b, sizeof(b));

	assert_int_equal(wire_match_response(b, n, 0x1234, "example.com.", T_A,
					     C_IN),
			 WM_MATCH);
	assert_false(wire_tc(b, n));
	b[2] |= 0x02;
	assert_true(wire_tc(b, n));
}

static void test_match_case_insensitive(void **state)
{
	uint8_t b[512];
	size_t n = make_resp(b, sizeof(b));

	b[13] = 'E';
	b[21] = 'C';
	assert_int_equal(wire_match_response(b, n, 0x1234, "eXample.com", T_A,
					     C_IN),
			 WM_MATCH);
}

static void test_match_wrong_id(void **state)
{
	uint8_t b[512];
	size_t n = make_resp(b, sizeof(b));

	assert_int_equal(wire_match_response(b, n, 0x1235, "example.com.", T_A,
					     C_IN),
			 WM_BAD_ID);
}

static void test_match_not_response(void **state)
{
	uint8_t b[512];
	size_t n = make_resp(b, sizeof(b));

	b[2] &= 0x7f;
	assert_int_equal(wire_match_response(b, n, 0x1234, "example.com.", T_A,
					     C_IN),
			 WM_NOT_RESPONSE);
}

static void test_match_wrong_question(void **state)
{
	uint8_t b[512];
	size_t n = make_resp(b, sizeof(b));

	assert_int_equal(wire_match_response(b, n, 0x1234, "example.net.", T_A,
					     C_IN),
			 WM_BAD_QUESTION);
	assert_int_equal(wire_match_response(b, n, 0x1234, "example.com.",
					     T_AAAA, C_IN),
			 WM_BAD_QUESTION);
	assert_int_equal(wire_match_response(b, n, 0x1234, "example.com.", T_A,
					     3),
			 WM_BAD_QUESTION);
	assert_int_equal(wire_match_response(b, n, 0x1234, "com.", T_A, C_IN),
			 WM_BAD_QUESTION);
	b[5] = 2; /* QDCOUNT 2 */
	assert_int_equal(wire_match_response(b, n, 0x1234, "example.com.", T_A,
					     C_IN),
			 WM_BAD_QUESTION);
	b[5] = 0;
	assert_int_equal(wire_match_response(b, n, 0x1234, "example.com.", T_A,
					     C_IN),
			 WM_BAD_QUESTION);
}

static void test_match_truncated(void **state)
{
	uint8_t b[512];
	size_t n = make_resp(b, sizeof(b));

	for (size_t len = 0; len < WIRE_HDR_LEN; len++)
		assert_int_equal(wire_match_response(b, len, 0x1234,
						     "example.com.", T_A, C_IN),
				 WM_SHORT);
	for (size_t len = WIRE_HDR_LEN; len < n; len++)
		assert_int_equal(wire_match_response(b, len, 0x1234,
						     "example.com.", T_A, C_IN),
				 WM_SHORT);
	assert_int_equal(wire_match_response(NULL, 0, 0, "a.", T_A, C_IN),
			 WM_SHORT);
}

/* Header, then a question whose name is given by the test. */
static size_t hdr(uint8_t *b)
{
	static const uint8_t h[] = {
		0x12, 0x34, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0
	};

	memcpy(b, h, sizeof(h));
	return sizeof(h);
}

static void test_match_compression_backward(void **state)
{
	/* "com." at offset 12, then "example" + a pointer back to it. */
	uint8_t b[64];
	size_t n = hdr(b);
	struct wire_ctx c;
	uint8_t name[WIRE_NAME_MAX];

	memcpy(b + n, "\3com\0", 5);		    /* offset 12 */
	memcpy(b + n + 5, "\7example\xc0\x0c", 10); /* offset 17 */
	wire_ctx_init(&c, b, n + 15);
	wire_seek(&c, 17);
	assert_int_equal(wire_read_name(&c, name), 13);
	assert_memory_equal(name, "\7example\3com\0", 13);
	assert_int_equal(wire_available(&c), 0); /* resumed after pointer */
}

static void test_match_compression_loop(void **state)
{
	uint8_t b[64];
	size_t n = hdr(b);

	/* A pointer to itself, then one to the label before it. */
	memcpy(b + n, "\xc0\x0c\0\1\0\1", 6);
	assert_int_equal(wire_match_response(b, n + 6, 0x1234, "a.", T_A, C_IN),
			 WM_BAD_QUESTION);
	memcpy(b + n, "\1a\xc0\x0c\0\1\0\1", 8);
	assert_int_equal(wire_match_response(b, n + 8, 0x1234, "a.", T_A, C_IN),
			 WM_BAD_QUESTION);
}

static void test_match_pointer_past_end(void **state)
{
	uint8_t b[64];
	size_t n = hdr(b);

	memcpy(b + n, "\1a\xc0\x30\0\1\0\1", 8); /* forward, past the end */
	assert_int_equal(wire_match_response(b, n + 8, 0x1234, "a.", T_A, C_IN),
			 WM_BAD_QUESTION);
	memcpy(b + n, "\1a\xc0", 3); /* pointer cut in half */
	assert_int_equal(wire_match_response(b, n + 3, 0x1234, "a.", T_A, C_IN),
			 WM_SHORT);
	memcpy(b + n,
	       "\x3f"
	       "ab",
	       3); /* label longer than data */
	assert_int_equal(wire_match_response(b, n + 3, 0x1234, "a.", T_A, C_IN),
			 WM_SHORT);
	memcpy(b + n,
	       "\x41"
	       "ab\0\0\1\0\1",
	       8); /* reserved label type */
	assert_int_equal(wire_match_response(b, n + 8, 0x1234, "a.", T_A, C_IN),
			 WM_BAD_QUESTION);
}

static void test_match_pointer_chain_hops(void **state)
{
	/* 200 pointers, each to the one before: backwards, but too many hops.
	 */
	uint8_t b[12 + 2 + 400 + 4];
	size_t n = hdr(b);

	b[n] = 0; /* offset 12: the root name */
	for (int i = 0; i < 200; i++) {
		size_t at = n + 1 + 2 * (size_t)i;
		size_t to = i == 0 ? n : at - 2;

		b[at] = (uint8_t)(0xc0 | to >> 8);
		b[at + 1] = (uint8_t)to;
	}
	{
		struct wire_ctx c;
		uint8_t name[WIRE_NAME_MAX];

		wire_ctx_init(&c, b, n + 1 + 400);
		wire_seek(&c, n + 1 + 2 * 199);
		assert_int_equal(wire_read_name(&c, name), -EINVAL);
		wire_ctx_init(&c, b, n + 1 + 400);
		wire_seek(&c, n + 1 + 2 * 9); /* 10 hops: fine */
		assert_int_equal(wire_read_name(&c, name), 1);
	}
}

/* Random bytes must never crash or read out of bounds (ASan watches). */
static void test_match_random_bytes(void **state)
{
	uint8_t *b;
	unsigned seed = 12345;
	int m;

	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(rand_r(&seed) % 80);

		b = malloc(len ? len : 1);
		assert_non_null(b);
		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)rand_r(&seed);
		if (len > 2 && round % 2)
			b[2] |= 0x80;
		if (len > 5 && round % 3)
			b[4] = 0, b[5] = 1;
		m = wire_match_response(b, len, wire_id(b, len), "a.b.", T_A,
					C_IN);
		assert_true(m >= WM_MATCH && m <= WM_BAD_QUESTION);
		(void)wire_tc(b, len);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_sticky_error),
		cmocka_unit_test(test_cursor_u32_and_seek),
		cmocka_unit_test(test_name_from_text),
		cmocka_unit_test(test_name_escapes),
		cmocka_unit_test(test_name_rejects),
		cmocka_unit_test(test_name_length_limit),
		cmocka_unit_test(test_build_query_plain),
		cmocka_unit_test(test_build_query_edns_do),
		cmocka_unit_test(test_build_query_behaviour),
		cmocka_unit_test(test_build_query_errors),
		cmocka_unit_test(test_match_ok),
		cmocka_unit_test(test_match_case_insensitive),
		cmocka_unit_test(test_match_wrong_id),
		cmocka_unit_test(test_match_not_response),
		cmocka_unit_test(test_match_wrong_question),
		cmocka_unit_test(test_match_truncated),
		cmocka_unit_test(test_match_compression_backward),
		cmocka_unit_test(test_match_compression_loop),
		cmocka_unit_test(test_match_pointer_past_end),
		cmocka_unit_test(test_match_pointer_chain_hops),
		cmocka_unit_test(test_match_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
