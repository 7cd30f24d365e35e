/* --no-private: core/addrclass.c (which addresses are special-purpose,
 * and why, for a table of IPv4 and IPv6 addresses in every text form
 * dnsdoctor writes), the evidence's record of refusals and its finding,
 * and the TLS pass refusing before it reaches the engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "core/addrclass.h"
#include "core/checks.h"
#include "core/evidence_json.h"
#include "engine/engine.h"
#include "probe/probe.h"
#include "probe/probe_cert.h"

struct addr_case {
	const char *text;
	const char *reason; /* NULL: globally reachable */
	const char *via;
};

static const struct addr_case cases[] = {
	/* IPv4 */
	{ "0.0.0.0", "\"this network\"", NULL },
	{ "0.1.2.3", "\"this network\"", NULL },
	{ "10.0.0.1", "private (RFC 1918)", NULL },
	{ "10.255.255.255", "private (RFC 1918)", NULL },
	{ "11.0.0.1", NULL, NULL },
	{ "100.63.255.255", NULL, NULL },
	{ "100.64.0.1", "shared address space (CGNAT, RFC 6598)", NULL },
	{ "100.127.255.255", "shared address space (CGNAT, RFC 6598)", NULL },
	{ "100.128.0.0", NULL, NULL },
	{ "127.0.0.1", "loopback", NULL },
	{ "127.53.1.1", "loopback", NULL },
	{ "169.254.169.254", "link-local", NULL },
	{ "172.15.255.255", NULL, NULL },
	{ "172.16.0.1", "private (RFC 1918)", NULL },
	{ "172.31.255.255", "private (RFC 1918)", NULL },
	{ "172.32.0.0", NULL, NULL },
	{ "192.0.0.8", "IETF protocol assignment", NULL },
	{ "192.0.2.1", "documentation", NULL },
	{ "192.0.3.1", NULL, NULL },
	{ "192.88.99.1", "6to4 relay anycast (deprecated)", NULL },
	{ "192.168.1.1", "private (RFC 1918)", NULL },
	{ "192.169.0.1", NULL, NULL },
	{ "198.18.0.1", "benchmarking", NULL },
	{ "198.19.255.255", "benchmarking", NULL },
	{ "198.20.0.0", NULL, NULL },
	{ "198.51.100.7", "documentation", NULL },
	{ "203.0.113.9", "documentation", NULL },
	{ "224.0.0.251", "multicast", NULL },
	{ "239.255.255.250", "multicast", NULL },
	{ "240.0.0.1", "reserved", NULL },
	{ "255.255.255.254", "reserved", NULL },
	{ "255.255.255.255", "limited broadcast", NULL },
	{ "8.8.8.8", NULL, NULL },
	{ "192.5.6.30", NULL, NULL },
	{ "223.255.255.255", NULL, NULL },
	/* the forms addresses are written in */
	{ "127.0.0.1#5353", "loopback", NULL },
	{ "127.0.0.1:53", "loopback", NULL },
	{ "[::1]:53", "loopback", NULL },
	{ "[2001:4860:4860::8888]", NULL, NULL },
	{ "fe80::1%eth0", "link-local", NULL },
	{ "9.9.9.9#53", NULL, NULL },
	/* IPv6 */
	{ "::", "unspecified", NULL },
	{ "::1", "loopback", NULL },
	{ "::2", "reserved", NULL },
	{ "::ffff:127.0.0.1", "loopback", "IPv4-mapped" },
	{ "::ffff:169.254.169.254", "link-local", "IPv4-mapped" },
	{ "::ffff:8.8.8.8", NULL, NULL },
	{ "64:ff9b::10.0.0.1", "private (RFC 1918)", "NAT64" },
	{ "64:ff9b::8.8.8.8", NULL, NULL },
	{ "64:ff9b:1::1", "NAT64 (local use)", NULL },
	{ "100::1", "discard-only", NULL },
	{ "2001::1", "IETF protocol assignment", NULL },
	{ "2001:1::1", NULL, NULL },
	{ "2001:1::4", "IETF protocol assignment", NULL },
	{ "2001:2::1", "IETF protocol assignment", NULL },
	{ "2001:3::1", NULL, NULL },
	{ "2001:4:112::1", NULL, NULL },
	{ "2001:20::1", NULL, NULL },
	{ "2001:db8::1", "documentation", NULL },
	{ "2001:200::1", NULL, NULL },
	{ "2002:7f00:1::1", "loopback", "6to4" },
	{ "2002:808:808::1", NULL, NULL },
	{ "2606:4700:4700::1111", NULL, NULL },
	{ "3fff::1", "documentation", NULL },
	{ "5f00::1", "segment routing (SRv6 SID)", NULL },
	{ "4000::1", "reserved", NULL },
	{ "fc00::1", "unique local (ULA)", NULL },
	{ "fd12:3456::1", "unique local (ULA)", NULL },
	{ "fe80::1", "link-local", NULL },
	{ "febf::1", "link-local", NULL },
	{ "fec0::1", "site-local (deprecated)", NULL },
	{ "ff02::1", "multicast", NULL },
	/* not addresses: refused */
	{ "", "not a numeric address", NULL },
	{ "localhost", "not a numeric address", NULL },
	{ "1.2.3", "not a numeric address", NULL },
	{ "[::1", "not a numeric address", NULL },
	{ "300.1.1.1", "not a numeric address", NULL },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct addr_case *c = &cases[i];
		struct addr_class got;
		bool special = addr_class_text(c->text, &got);
		if (special != (c->reason != NULL) ||
		    (c->reason && strcmp(got.reason, c->reason) != 0) ||
		    (c->via ? !got.via || strcmp(got.via, c->via) != 0
			    : got.via != NULL))
			fail_msg("%s: got %s (%s), want %s (%s)", c->text,
				 got.reason ? got.reason : "global",
				 got.via ? got.via : "-",
				 c->reason ? c->reason : "global",
				 c->via ? c->via : "-");
	}
}

static void test_sockaddr(void **state)
{
	(void)state;
	struct addr_class c;
	struct sockaddr_in in = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	struct sockaddr un = { .sa_family = AF_UNIX };

	inet_pton(AF_INET, "169.254.169.254", &in.sin_addr);
	assert_true(addr_class_sockaddr((struct sockaddr *)&in, &c));
	assert_string_equal(c.reason, "link-local");
	inet_pton(AF_INET, "192.5.6.30", &in.sin_addr);
	assert_false(addr_class_sockaddr((struct sockaddr *)&in, &c));
	inet_pton(AF_INET6, "fd00::53", &in6.sin6_addr);
	assert_true(addr_class_sockaddr((struct sockaddr *)&in6, &c));
	assert_string_equal(c.reason, "unique local (ULA)");
	inet_pton(AF_INET6, "2001:500:2::c", &in6.sin6_addr);
	assert_false(addr_class_sockaddr((struct sockaddr *)&in6, &c));
	assert_true(addr_class_sockaddr(&un, &c));
	assert_string_equal(c.reason, "not an Internet address");
	assert_true(addr_class_text(NULL, &c));
}

static void test_describe(void **state)
{
	(void)state;
	struct addr_class c;
	char buf[80];
	addr_class_text("::ffff:127.0.0.1", &c);
	assert_string_equal(addr_class_describe(&c, buf, sizeof(buf)), "loopbac"
								       "k, as "
								       "IPv4-"
								       "mapped "
								       "IPv6");
	addr_class_text("10.1.2.3", &c);
	assert_string_equal(addr_class_describe(&c, buf, sizeof(buf)), "private"
								       " (RFC "
								       "1918)");
	addr_class_text("1.1.1.1", &c);
	assert_string_equal(addr_class_describe(&c, buf, sizeof(buf)), "");
}

/* ADDRESS_REFUSED_PRIVATE from the evidence's record of refusals, the
 * same after the evidence's JSON round trip (analyze). */
static void test_refused_finding(void **state)
{
	(void)state;
	struct evidence *ev = evidence_new("example.", 1700000000);
	assert_non_null(ev);
	ev->refuse_private = true;
	assert_int_equal(evidence_add_refused(ev, EV_USE_DNS, "example.",
					      "ns1.example.", "127.0.0.1"),
			 0);
	assert_int_equal(evidence_add_refused(ev, EV_USE_DNS, "example.",
					      "ns1.example.", "127.0.0.1"),
			 0); /* once */
	assert_int_equal(evidence_add_refused(ev, EV_USE_DNS, "example.",
					      "ns1.example.", "fd00::53"),
			 0);
	assert_int_equal(evidence_add_refused(ev, EV_USE_DNS, "net.",
					      "ns1.example.", "127.0.0.1"),
			 0); /* another zone: one address in the finding */
	assert_int_equal(evidence_add_refused(ev, EV_USE_HTTP, NULL,
					      "www.example.",
					      "169.254.169.254"),
			 0);
	assert_int_equal(ev->n_refused, 4);

	char err[200];
	json_t *j = evidence_to_json(ev);
	assert_non_null(j);
	struct evidence *back = evidence_from_json(j, err, sizeof(err));
	json_decref(j);
	assert_non_null(back);
	assert_true(back->refuse_private);
	assert_int_equal(back->n_refused, 4);

	struct evidence *evs[] = { ev, back };
	for (size_t k = 0; k < 2; k++) {
		struct findings fs;
		findings_init(&fs);
		assert_int_equal(check_refused(evs[k], &fs), 2);
		assert_int_equal(fs.n, 2);
		assert_int_equal(fs.v[0].code, F_ADDRESS_REFUSED_PRIVATE);
		assert_int_equal(fs.v[0].severity, SEV_ERROR);
		assert_non_null(strstr(fs.v[0].summary, "ns1.example."));
		assert_non_null(strstr(fs.v[0].summary, "127.0.0.1 "
							"(loopback)"));
		assert_non_null(strstr(fs.v[0].summary, "fd00::53 (unique "
							"local (ULA))"));
		assert_non_null(strstr(fs.v[0].fix, "--allow-private"));
		json_t *a = json_object_get(fs.v[0].evidence, "addresses");
		assert_int_equal(json_array_size(a), 2);
		assert_int_equal(
			json_array_size(json_object_get(fs.v[0].evidence, "zone"
									  "s")),
			2);
		assert_string_equal(json_string_value(json_object_get(
					    fs.v[0].evidence, "use")),
				    "dns");
		assert_non_null(strstr(fs.v[1].summary, "169.254.169.254"));
		assert_non_null(strstr(fs.v[1].summary, "link-local"));
		findings_deinit(&fs);
	}
	evidence_free(back);
	evidence_free(ev);
}

/* The TLS pass asks the engine only for the addresses it does not refuse:
 * the refused ones have no TLS record (the replay engine answers every
 * handshake it is asked for, with a timeout when it has none recorded). */
static void test_tls_refused(void **state)
{
	(void)state;
	struct evidence *rec = evidence_new("www.example.", 1700000000);
	struct evidence *ev = evidence_new("www.example.", 1700000000);
	struct engine *eng = NULL;
	struct strset addrs;
	assert_non_null(rec);
	assert_non_null(ev);
	assert_int_equal(engine_replay_new(&eng, rec), 0);
	strset_init(&addrs);
	assert_int_equal(strset_add(&addrs, "127.0.0.1"), 0);
	assert_int_equal(strset_add(&addrs, "169.254.169.254"), 0);
	assert_int_equal(strset_add(&addrs, "93.184.216.34"), 0);

	ev->refuse_private = true;
	assert_int_equal(probe_tls(eng, ev, "www.example", 443, &addrs, 0, 100),
			 0);
	assert_int_equal(ev->n_tls, 1);
	assert_string_equal(ev->tls[0].addr, "93.184.216.34");
	assert_int_equal(ev->n_refused, 2);
	for (size_t i = 0; i < ev->n_refused; i++) {
		assert_int_equal(ev->refused[i].use, EV_USE_TLS);
		assert_string_equal(ev->refused[i].name, "www.example.");
	}

	/* Without --no-private every address is tried. */
	ev->refuse_private = false;
	assert_int_equal(probe_tls(eng, ev, "www.example", 443, &addrs, 0, 100),
			 0);
	assert_int_equal(ev->n_tls, 4);

	/* The operator's addresses are never refused; DNS-learnt ones are. */
	struct strset given;
	int nomem = 0;
	strset_init(&given);
	assert_int_equal(strset_add(&given, "127.0.0.1"), 0);
	ev->refuse_private = true;
	assert_false(probe_refuses(ev, &given, EV_USE_DNS, ".", "a.root.",
				   "127.0.0.1", &nomem));
	assert_true(probe_refuses(ev, &given, EV_USE_DNS, "com.", "a.gtld.",
				  "127.0.0.2", &nomem));
	assert_false(probe_refuses(ev, &given, EV_USE_DNS, "com.", "b.gtld.",
				   "192.5.6.30", &nomem));
	assert_int_equal(nomem, 0);
	strset_deinit(&given);

	strset_deinit(&addrs);
	engine_free(eng);
	evidence_free(ev);
	evidence_free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_refused_finding),
		cmocka_unit_test(test_tls_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
