/* The shared-answer cache, on the replay engine: what is kept, for how
 * long on the engine's clock, what is asked again, and the TTL arithmetic
 * on pinned messages. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core/evidence.h"
#include "engine/anscache.h"
#include "engine/engine.h"
#include "fake_answer.h"

struct result {
	int called, status;
	bool cached;
	size_t len;
};

static void on_result(void *arg, const struct eng_request *req,
		      const struct eng_response *resp)
{
	struct result *r = arg;
	r->called++;
	r->status = resp->status;
	r->cached = resp->from_cache;
	r->len = resp->len;
	assert_false(req->flags & ENG_F_SHARED);
}

static struct result ask(struct engine *e, const char *addr, const char *name,
			 uint16_t qtype, unsigned flags)
{
	struct eng_request q = { .qname = name,
				 .qtype = qtype,
				 .flags = flags };
	struct result r = { 0 };
	assert_int_equal(eng_addr_parse(&q, addr, 53), 0);
	assert_int_equal(eng_submit(e, &q, on_result, &r), 0);
	assert_int_equal(r.called, 0); /* never from inside submit */
	eng_drain(e);
	assert_int_equal(r.called, 1);
	return r;
}

static void tick(void *arg)
{
	(void)arg;
}

/* Moves the replay engine's clock MS forward. */
static void wait_ms(struct engine *e, uint32_t ms)
{
	assert_int_equal(eng_timer(e, ms, tick, NULL), 0);
	eng_drain(e);
}

static struct evidence *lab(void)
{
	struct evidence *ev = evidence_new("x.example.", 0);
	assert_non_null(ev);
	struct answer keys = { .status = QS_OK,
			       .aa = true,
			       .an = { "example. 300 IN A 192.0.2.7", "example."
								      " 60 IN "
								      "A "
								      "192.0.2."
								      "8" } };
	struct answer nodata = { .status = QS_OK,
				 .aa = true,
				 .au = { "example. 300 IN SOA ns. h. 1 2 3 4 "
					 "300" } };
	struct answer servfail = { .status = QS_OK, .rcode = 2 };
	fake_add(ev, EV_DNSSEC, "example.", "ns.", "192.0.2.1", "example.", 1,
		 TR_UDP, &keys);
	fake_add(ev, EV_DNSSEC, "example.", "ns.", "192.0.2.1", "example.", 43,
		 TR_UDP, &nodata);
	fake_add(ev, EV_DNSSEC, "example.", "ns.", "192.0.2.2", "example.", 1,
		 TR_UDP, &servfail);
	for (size_t i = 0; i < ev->n_ex; i++) /* asked as the probe asks */
		ev->ex[i].qflags = EV_QF_DO;
	return ev;
}

static void test_kept_for_least_ttl(void **state)
{
	struct evidence *ev = lab();
	struct engine *e;
	assert_int_equal(engine_replay_new(&e, ev), 0);
	assert_int_equal(anscache_attach(e, 16), 0);
	assert_int_equal(anscache_attach(e, 16), -EINVAL);

	struct result r =
		ask(e, "192.0.2.1", "example.", 1, ENG_F_SHARED | ENG_F_DO);
	assert_int_equal(r.status, QS_OK);
	assert_false(r.cached);
	assert_int_equal(e->ops->sent(e->impl), 1);
	/* Same question, another spelling: from the cache, not sent. */
	r = ask(e, "192.0.2.1", "EXAMPLE", 1, ENG_F_SHARED | ENG_F_DO);
	assert_true(r.cached);
	assert_true(r.len > 12);
	assert_int_equal(e->ops->sent(e->impl), 1);
	/* Not marked shared, other flags, another address: asked. */
	r = ask(e, "192.0.2.1", "example.", 1, ENG_F_DO);
	assert_false(r.cached);
	r = ask(e, "192.0.2.1", "example.", 1, ENG_F_SHARED);
	assert_int_equal(r.status, QS_TIMEOUT); /* none recorded without DO */
	assert_int_equal(e->ops->sent(e->impl), 3);
	/* The least TTL of the answer section is 60 s. */
	wait_ms(e, 59999);
	assert_true(ask(e, "192.0.2.1", "example.", 1, ENG_F_SHARED | ENG_F_DO)
			    .cached);
	wait_ms(e, 1);
	r = ask(e, "192.0.2.1", "example.", 1, ENG_F_SHARED | ENG_F_DO);
	assert_false(r.cached);
	assert_int_equal(e->ops->sent(e->impl), 4);
	engine_free(e);
	evidence_free(ev);
}

static void test_failures_asked_again(void **state)
{
	struct evidence *ev = lab();
	struct engine *e;
	assert_int_equal(engine_replay_new(&e, ev), 0);
	assert_int_equal(anscache_attach(e, 16), 0);
	for (int i = 0; i < 2; i++) {
		/* An empty answer, a SERVFAIL, no answer at all. */
		assert_false(ask(e, "192.0.2.1", "example.", 43,
				 ENG_F_SHARED | ENG_F_DO)
				     .cached);
		assert_false(ask(e, "192.0.2.2", "example.", 1,
				 ENG_F_SHARED | ENG_F_DO)
				     .cached);
		assert_int_equal(ask(e, "192.0.2.3", "example.", 1,
				     ENG_F_SHARED | ENG_F_DO)
					 .status,
				 QS_TIMEOUT);
	}
	assert_int_equal(e->ops->sent(e->impl), 6);
	engine_free(e);
	evidence_free(ev);
}

/* Full of live answers: the newcomer is not kept; once they expire, it is. */
static void test_bounded(void **state)
{
	struct evidence *ev = lab();
	struct engine *e;
	assert_int_equal(engine_replay_new(&e, ev), 0);
	assert_int_equal(anscache_attach(e, 1), 0);
	ask(e, "192.0.2.1", "example.", 1, ENG_F_SHARED | ENG_F_DO);
	assert_true(ask(e, "192.0.2.1", "example.", 1, ENG_F_SHARED | ENG_F_DO)
			    .cached);
	wait_ms(e, 61000);
	assert_false(ask(e, "192.0.2.1", "example.", 1, ENG_F_SHARED | ENG_F_DO)
			     .cached);
	engine_free(e);
	evidence_free(ev);
}

/* A hit waiting for its timer when the engine goes: freed, no callback. */
static void test_free_with_hit_pending(void **state)
{
	struct evidence *ev = lab();
	struct engine *e;
	struct result r = { 0 };
	struct eng_request q = { .qname = "example.",
				 .qtype = 1,
				 .flags = ENG_F_SHARED | ENG_F_DO };
	assert_int_equal(engine_replay_new(&e, ev), 0);
	assert_int_equal(anscache_attach(e, 4), 0);
	ask(e, "192.0.2.1", "example.", 1, ENG_F_SHARED | ENG_F_DO);
	assert_int_equal(eng_addr_parse(&q, "192.0.2.1", 53), 0);
	assert_int_equal(eng_submit(e, &q, on_result, &r), 0);
	assert_int_equal(eng_submit(e, &q, on_result, &r), 0);
	q.qname = "other.example.";
	assert_int_equal(eng_submit(e, &q, on_result, &r), 0); /* a miss */
	engine_free(e);
	assert_int_equal(r.called, 0);
	evidence_free(ev);
}

/* Without a cache the mark is dropped and the question asked. */
static void test_no_cache(void **state)
{
	struct evidence *ev = lab();
	struct engine *e;
	assert_int_equal(engine_replay_new(&e, ev), 0);
	for (int i = 0; i < 2; i++)
		assert_false(ask(e, "192.0.2.1", "example.", 1,
				 ENG_F_SHARED | ENG_F_DO)
				     .cached);
	assert_int_equal(e->ops->sent(e->impl), 2);
	engine_free(e);
	evidence_free(ev);
}

static void test_answer_ttl(void **state)
{
	/* Header (NOERROR, 1 question, 2 answers), "a." A IN, then two A
	 * records for "a." by pointer: TTLs 7 and 2^31 + 5. */
	uint8_t m[] = { 0,   1, 0x84, 0, 0, 1,	 0,    2,  0,	0,    0,  0, 1,
			'a', 0, 0,    1, 0, 1,	 0xc0, 12, 0,	1,    0,  1, 0,
			0,   0, 7,    0, 4, 192, 0,    2,  1,	0xc0, 12, 0, 1,
			0,   1, 0x80, 0, 0, 5,	 0,    4,  192, 0,    2,  2 };
	/* The top bit set counts as 0 (RFC 2181). */
	assert_int_equal(anscache_answer_ttl(m, sizeof(m)), 0);
	m[41] = 0; /* the second TTL: 5 */
	assert_int_equal(anscache_answer_ttl(m, sizeof(m)), 5);
	assert_int_equal(anscache_answer_ttl(m, sizeof(m) - 1), -1);
	assert_int_equal(anscache_answer_ttl(m, 11), -1);
	m[3] = 3; /* NXDOMAIN */
	assert_int_equal(anscache_answer_ttl(m, sizeof(m)), -1);
	m[3] = 0;
	m[7] = 0; /* no answer records */
	assert_int_equal(anscache_answer_ttl(m, sizeof(m)), -1);
	m[7] = 2;
	m[31] = 0xc0; /* a pointer as the first answer's type: bytes, fine */
	m[19] = 0xc0; /* the first answer's name points at itself: a loop */
	m[20] = 19;
	assert_int_equal(anscache_answer_ttl(m, sizeof(m)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_for_least_ttl),
		cmocka_unit_test(test_failures_asked_again),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_free_with_hit_pending),
		cmocka_unit_test(test_no_cache),
		cmocka_unit_test(test_answer_ttl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
