/* The zone-cut cache fleet and exporter share: what it learns from the
 * root's referrals, the deepest live cut it finds, expiry by TTL on a
 * clock the test pins, and that freeing it frees all (ASan, valgrind);
 * and that a check that needs the root's own answers stays quiet when the
 * walk started at a cached cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>
#include "core/checks.h"
#include "core/evidence.h"
#include "probe/cutcache.h"
#include "fake_answer.h"

static void test_lookup_deepest_and_expiry(void **state)
{
	(void)state;
	struct cutcache *c = cutcache_new();
	struct hints h = { 0 };
	assert_non_null(c);
	assert_int_equal(hints_add(&h, "a.nic.uk.", "192.0.2.1"), 0);
	assert_int_equal(cutcache_put(c, "uk.", &h, 5000), 0);
	assert_int_equal(cutcache_put(c, "co.uk.", &h, 3000), 0);
	assert_int_equal(cutcache_put(c, "com.", &h, 9000), 0);
	/* Put again: replaced, not added. */
	assert_int_equal(cutcache_put(c, "com.", &h, 8000), 0);
	assert_int_equal(c->n, 3);

	const struct cutcache_entry *e;
	e = cutcache_lookup(c, "www.example.co.uk.", 1000);
	assert_non_null(e);
	assert_string_equal(e->zone, "co.uk.");
	assert_string_equal(e->srv.v[0].addr, "192.0.2.1");
	e = cutcache_lookup(c, "example.com.", 1000);
	assert_non_null(e);
	assert_int_equal(e->expires_ms, 8000);
	assert_null(cutcache_lookup(c, "example.org.", 1000));
	assert_null(cutcache_lookup(c, "notcom.", 1000));

	/* co.uk. has expired at 3000: uk. covers the name, and the dead
	 * entry is gone. */
	e = cutcache_lookup(c, "www.example.co.uk.", 3000);
	assert_non_null(e);
	assert_string_equal(e->zone, "uk.");
	assert_int_equal(c->n, 2);
	assert_null(cutcache_lookup(c, "example.com.", 8000));
	assert_null(cutcache_lookup(c, "example.co.uk.", 8000));
	assert_int_equal(c->n, 0);
	hints_deinit(&h);
	cutcache_free(c);
	cutcache_free(NULL);
}

static const struct answer com_referral = {
	.status = QS_OK,
	.au = { "com. 172800 IN NS a.gtld-servers.net.", "com. 172800 IN NS "
							 "b.gtld-servers."
							 "net." },
	.ad = { "a.gtld-servers.net. 3600 IN A 192.0.2.1",
		"b.gtld-servers.net. 86400 IN A 192.0.2.2",
		"b.gtld-servers.net. 86400 IN AAAA 2001:db8::2" },
};

static void test_learn_from_root_referrals(void **state)
{
	(void)state;
	struct evidence *ev = evidence_new("example.com.", 0);
	struct cutcache *c = cutcache_new();
	assert_non_null(ev);
	assert_non_null(c);
	fake_add(ev, EV_WALK, ".", "a.root-servers.net.", "198.41.0.4",
		 "example.com.", LDNS_RR_TYPE_NS, TR_UDP, &com_referral);
	/* Another root server, for a name server's address: one more
	 * server, and a shorter TTL, which wins. */
	const struct answer other = {
		.status = QS_OK,
		.au = { "com. 600 IN NS c.gtld-servers.net." },
		.ad = { "c.gtld-servers.net. 900 IN A 192.0.2.3" },
	};
	fake_add(ev, EV_RESOLVE, ".", "b.root-servers.net.", "170.247.170.2",
		 "ns1.example.com.", LDNS_RR_TYPE_A, TR_UDP, &other);
	/* A TLD whose servers came without glue is not kept. */
	const struct answer glueless = {
		.status = QS_OK,
		.au = { "org. 172800 IN NS ns.example.net." },
	};
	fake_add(ev, EV_RESOLVE, ".", "a.root-servers.net.", "198.41.0.4",
		 "ns2.example.org.", LDNS_RR_TYPE_A, TR_UDP, &glueless);
	/* Nor a cut below a TLD, nor a referral from anything but the
	 * root. */
	const struct answer deeper = {
		.status = QS_OK,
		.au = { "example.com. 3600 IN NS ns1.example.com." },
		.ad = { "ns1.example.com. 3600 IN A 192.0.2.9" },
	};
	fake_add(ev, EV_WALK, "com.", "a.gtld-servers.net.", "192.0.2.1",
		 "example.com.", LDNS_RR_TYPE_NS, TR_UDP, &deeper);

	assert_int_equal(cutcache_learn(c, ev, 10000), 0);
	assert_int_equal(c->n, 1);
	const struct cutcache_entry *e =
		cutcache_lookup(c, "www.example.com.", 10000);
	assert_non_null(e);
	assert_string_equal(e->zone, "com.");
	assert_int_equal(e->srv.n, 4);
	assert_int_equal(e->expires_ms, 10000 + 600 * 1000);

	struct ev_strings notes = { 0 };
	assert_int_equal(cutcache_note(c, 10000, &notes), 0);
	assert_int_equal(notes.n, 4);
	assert_string_equal(notes.v[0], "com. a.gtld-servers.net. 192.0.2.1");
	for (size_t i = 0; i < notes.n; i++)
		free(notes.v[i]);
	free(notes.v);

	/* A later run's referral replaces what the earlier left, servers
	 * and expiry both. */
	struct evidence *later = evidence_new("example.com.", 0);
	assert_non_null(later);
	fake_add(later, EV_WALK, ".", "a.root-servers.net.", "198.41.0.4",
		 "example.com.", LDNS_RR_TYPE_NS, TR_UDP, &com_referral);
	assert_int_equal(cutcache_learn(c, later, 20000), 0);
	e = cutcache_lookup(c, "example.com.", 20000);
	assert_non_null(e);
	assert_int_equal(e->srv.n, 3);
	assert_int_equal(e->expires_ms, 20000 + 3600 * 1000);
	assert_non_null(cutcache_lookup(c, "example.com.", 3619999));
	assert_null(cutcache_lookup(c, "example.com.", 3620000));

	evidence_free(later);
	evidence_free(ev);
	cutcache_free(c);
}

/* A walk from the cached com. cut asks the root nothing: whether the
 * network answers in the root's place cannot be told, and is not said. A
 * root that answers without authority or referral still is. */
static void test_intercepted_needs_the_root(void **state)
{
	(void)state;
	struct evidence *ev = evidence_new("example.com.", 0);
	struct findings fs;
	assert_non_null(ev);
	findings_init(&fs);
	assert_int_equal(ev_strings_add(&ev->cached_cuts, "com. "
							  "a.gtld-servers.net. "
							  "192.0.2.1"),
			 0);
	const struct answer deeper = {
		.status = QS_OK,
		.au = { "example.com. 3600 IN NS ns1.example.com." },
		.ad = { "ns1.example.com. 3600 IN A 192.0.2.9" },
	};
	fake_add(ev, EV_WALK, "com.", "a.gtld-servers.net.", "192.0.2.1",
		 "example.com.", LDNS_RR_TYPE_NS, TR_UDP, &deeper);
	assert_int_equal(check_intercepted(ev, &fs), 0);
	assert_int_equal(fs.n, 0);
	const struct answer fake = { .status = QS_OK,
				     .rcode = LDNS_RCODE_REFUSED };
	fake_add(ev, EV_WALK, ".", "a.root-servers.net.", "198.41.0.4",
		 "example.com.", LDNS_RR_TYPE_NS, TR_UDP, &fake);
	assert_int_equal(check_intercepted(ev, &fs), 1);
	assert_int_equal(fs.v[0].code, F_NETWORK_DNS_INTERCEPTED);
	findings_deinit(&fs);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_deepest_and_expiry),
		cmocka_unit_test(test_learn_from_root_referrals),
		cmocka_unit_test(test_intercepted_needs_the_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
