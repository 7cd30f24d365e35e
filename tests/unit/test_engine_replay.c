/* The replay engine: answers from recorded exchanges, delivered by run_once. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core/evidence.h"
#include "core/evidence_json.h"
#include "engine/engine.h"
#include "engine/http.h"
#include "engine/tls.h"

static uint8_t udp_wire[] = { 1, 2, 3 };
static uint8_t tcp_wire[] = { 4, 5, 6, 7 };

static struct ev_exchange ex[] = {
	{ .transport = TR_UDP,
	  .status = QS_OK,
	  .qtype = 1,
	  .rtt_ms = 12,
	  .addr = "192.0.2.1",
	  .qname = "example.com.",
	  .wire = udp_wire,
	  .wire_len = sizeof(udp_wire) },
	{ .transport = TR_TCP,
	  .status = QS_OK,
	  .qtype = 1,
	  .rtt_ms = 30,
	  .addr = "192.0.2.1",
	  .qname = "example.com.",
	  .wire = tcp_wire,
	  .wire_len = sizeof(tcp_wire) },
	{ .transport = TR_UDP,
	  .status = QS_UNREACHABLE,
	  .qtype = 2,
	  .addr = "2001:db8::53",
	  .qname = "example.com." },
	{ .transport = TR_TCP,
	  .status = QS_OK,
	  .qtype = 16,
	  .qflags = EV_QF_EDNS, /* as the probe records an EDNS query */
	  .rtt_ms = 7,
	  .addr = "192.0.2.1",
	  .qname = "big.example.",
	  .wire = tcp_wire,
	  .wire_len = sizeof(tcp_wire) },
};

static struct evidence ev = { .domain = "example.com.",
			      .ex = ex,
			      .n_ex = sizeof(ex) / sizeof(ex[0]) };

struct result {
	int called, status, transport;
	size_t len;
	uint32_t rtt;
};

static void on_result(void *arg, const struct eng_request *req,
		      const struct eng_response *resp)
{
	struct result *r = arg;

	r->called++;
	r->status = resp->status;
	r->transport = resp->transport;
	r->len = resp->len;
	r->rtt = resp->rtt_ms;
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

static void test_replay_matches(void **state)
{
	struct engine *e;
	struct result r;

	assert_int_equal(engine_replay_new(&e, &ev), 0);
	r = ask(e, "192.0.2.1", "EXAMPLE.com.", 1, 0);
	assert_int_equal(r.status, QS_OK);
	assert_int_equal(r.transport, TR_UDP);
	assert_int_equal(r.len, sizeof(udp_wire));
	assert_int_equal(r.rtt, 12);
	r = ask(e, "192.0.2.1", "example.com", 1, ENG_F_TCP);
	assert_int_equal(r.transport, TR_TCP);
	assert_int_equal(r.len, sizeof(tcp_wire));
	r = ask(e, "2001:DB8:0::53", "example.com.", 2, 0);
	assert_int_equal(r.status, QS_UNREACHABLE);
	assert_int_equal(e->ops->sent(e->impl), 3);
	engine_free(e);
}

static void test_replay_no_match_times_out(void **state)
{
	struct engine *e;
	struct result r;

	assert_int_equal(engine_replay_new(&e, &ev), 0);
	r = ask(e, "192.0.2.2", "example.com.", 1, 0);
	assert_int_equal(r.status, QS_TIMEOUT);
	r = ask(e, "192.0.2.1", "example.com.", 28, 0);
	assert_int_equal(r.status, QS_TIMEOUT);
	/* Only a TCP exchange recorded, and TCP fallback not allowed. */
	r = ask(e, "192.0.2.1", "big.example.", 16, ENG_F_NOTCP);
	assert_int_equal(r.status, QS_TIMEOUT);
	engine_free(e);
}

/* A UDP query the live engine finished over TCP was stored as TCP. */
static void test_replay_tc_fallback(void **state)
{
	struct engine *e;
	struct result r;

	assert_int_equal(engine_replay_new(&e, &ev), 0);
	r = ask(e, "192.0.2.1", "big.example.", 16, ENG_F_EDNS);
	assert_int_equal(r.status, QS_OK);
	assert_int_equal(r.transport, TR_TCP);
	engine_free(e);
}

static void test_replay_free_pending(void **state)
{
	struct engine *e;
	struct eng_request q = { .qname = "a.", .qtype = 1 };
	struct result r = { 0 };

	assert_int_equal(engine_replay_new(&e, &ev), 0);
	assert_int_equal(eng_addr_parse(&q, "192.0.2.1", 53), 0);
	for (int i = 0; i < 40; i++)
		assert_int_equal(eng_submit(e, &q, on_result, &r), 0);
	q.qname = "a..";
	assert_int_equal(eng_submit(e, &q, on_result, &r), -EINVAL);
	assert_int_equal(e->ops->pending(e->impl), 40);
	engine_free(e);
	assert_int_equal(r.called, 0);
}

static char *http_recs[] = {
	"{\"addr\": \"2001:DB8::80\", \"url\": \"http://www.example/x\", "
	"\"status\": \"ok\","
	" \"code\": 200, \"body\": \"tok.\\\\x1b[31m\\\\x5c\", \"truncated\": "
	"false,"
	" \"redirects\": 1, \"detail\": \"\"}",
	"{\"addr\": \"192.0.2.80\", \"status\": \"redirect-refused\", "
	"\"code\": 302,"
	" \"body\": \"\", \"detail\": \"redirect to "
	"http://www.example:8080/\"}",
};
static char *tls_recs[] = {
	"{\"addr\": \"192.0.2.44\", \"port\": 8443, \"host\": \"www.example\","
	" \"status\": \"ok\", \"detail\": \"\", \"chain\": [\"3082\", "
	"\"00ff\"]}",
	"{\"addr\": \"192.0.2.44\", \"port\": 443, \"host\": \"www.example\","
	" \"status\": \"handshake-failed\", \"detail\": \"alert\", \"chain\": "
	"[]}",
};

/* Evidence of format 1 holding RECS (JSON texts) as its list KEY: the
 * loader turns them into typed records. */
static struct evidence *with_records(const char *key, char **recs, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(recs[i]));
	json_t *j = json_pack("{s:i, s:s, s:i, s:[], s:o}",
			      "dnsdoctor_evidence", 1, "domain", "www.example.",
			      "started", 0, "exchanges", key, a);
	char err[160];
	struct evidence *got = evidence_from_json(j, err, sizeof(err));
	json_decref(j);
	assert_non_null(got);
	return got;
}

static void count_done(void *arg)
{
	(*(int *)arg)++;
}

static void test_replay_http_from_records(void **state)
{
	(void)state;
	struct evidence *e = with_records("http01", http_recs, 2);
	struct engine *eng;
	struct http_fetch f[3] = {
		{ .host = "www.example",
		  .addr = "2001:db8::80",
		  .start = "http://www.example/x" },
		{ .host = "www.example",
		  .addr = "192.0.2.80",
		  .start = "http://www.example/x" },
		{ .host = "www.example",
		  .addr = "192.0.2.81",
		  .start = "http://www.example/x" },
	};
	int done = 0;
	assert_int_equal(engine_replay_new(&eng, e), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(
			eng->ops->http(eng->impl, &f[i], count_done, &done), 0);
	assert_int_equal(done, 0); /* never from inside the submit */
	eng_drain(eng);
	assert_int_equal(done, 3);
	assert_int_equal(f[0].status, HS_OK);
	assert_int_equal(f[0].code, 200);
	assert_int_equal(f[0].redirects, 1);
	/* The escapes the probe wrote come back as the bytes received. */
	assert_string_equal(f[0].body, "tok.\x1b[31m\\");
	assert_int_equal(f[0].body_len, 10);
	assert_int_equal(f[1].status, HS_REDIRECT_BAD);
	assert_string_equal(f[1].detail, "redirect to "
					 "http://www.example:8080/");
	assert_int_equal(f[2].status, HS_TIMEOUT);
	engine_free(eng);
	evidence_free(e);
}

static void test_replay_tls_by_address_and_port(void **state)
{
	(void)state;
	struct evidence *e = with_records("tls", tls_recs, 2);
	struct engine *eng;
	struct tls_fetch t[3] = {
		{ .host = "www.example", .addr = "192.0.2.44", .port = 8443 },
		{ .host = "www.example", .addr = "192.0.2.44", .port = 443 },
		{ .host = "www.example", .addr = "192.0.2.45", .port = 443 },
	};
	int done = 0;
	assert_int_equal(engine_replay_new(&eng, e), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(
			eng->ops->tls(eng->impl, &t[i], count_done, &done), 0);
	eng_drain(eng);
	assert_int_equal(done, 3);
	assert_int_equal(t[0].status, TS_OK);
	assert_int_equal(t[0].n, 2);
	assert_int_equal(t[0].der_len[0], 2);
	assert_int_equal(t[0].der[0][0], 0x30);
	assert_int_equal(t[0].der[1][1], 0xff);
	assert_int_equal(t[1].status, TS_HANDSHAKE);
	assert_string_equal(t[1].detail, "alert");
	assert_int_equal(t[1].n, 0);
	assert_int_equal(t[2].status, TS_TIMEOUT);
	for (int i = 0; i < 3; i++)
		tls_fetch_deinit(&t[i]);
	engine_free(eng);
	evidence_free(e);
}

static void count_fired(void *arg)
{
	(*(int *)arg)++;
}

/* Offline, a timer moves the replay clock instead of waiting: a poll
 * loop with --replay ends as soon as its answers are used up. */
static void test_replay_timer_moves_clock(void **state)
{
	(void)state;
	struct engine *e;
	int fired = 0, never = 0;
	assert_int_equal(engine_replay_new(&e, &ev), 0);
	assert_int_equal(e->ops->now_ms(e->impl), 0);
	struct result r = ask(e, "192.0.2.1", "example.com.", 1, 0);
	assert_int_equal(r.rtt, 12);
	assert_int_equal(e->ops->now_ms(e->impl), 12);
	assert_int_equal(eng_timer(e, 500, count_fired, &fired), 0);
	assert_int_equal(fired, 0);
	assert_int_equal((int)e->ops->pending(e->impl), 1);
	eng_drain(e);
	assert_int_equal(fired, 1);
	assert_int_equal(e->ops->now_ms(e->impl), 512);
	assert_int_equal(e->ops->sent(e->impl), 1); /* a timer sends nothing */
	assert_int_equal(eng_timer(e, 500, count_fired, &never), 0);
	engine_free(e);
	assert_int_equal(never, 0);
}

/* Offline there is nothing to show a progress line for: no tick, no
 * queries to list. */
static void test_replay_no_tick(void **state)
{
	(void)state;
	struct engine *e;
	int fired = 0;
	assert_int_equal(engine_replay_new(&e, &ev), 0);
	assert_int_equal(eng_tick(e, 20, count_fired, &fired), -ENOTSUP);
	assert_int_equal(eng_queries(e, NULL, NULL), 0);
	engine_free(e);
	assert_int_equal(fired, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_matches),
		cmocka_unit_test(test_replay_timer_moves_clock),
		cmocka_unit_test(test_replay_no_tick),
		cmocka_unit_test(test_replay_no_match_times_out),
		cmocka_unit_test(test_replay_tc_fallback),
		cmocka_unit_test(test_replay_free_pending),
		cmocka_unit_test(test_replay_http_from_records),
		cmocka_unit_test(test_replay_tls_by_address_and_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
