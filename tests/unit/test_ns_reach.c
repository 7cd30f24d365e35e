/* Name-server addresses as the Internet sees them (checks_ns_reach.c):
 * public addresses the lab, on loopback, cannot have. A zone "example."
 * with two in-zone servers whose addresses each test chooses, under root
 * hints that are public or not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <ldns/ldns.h>
#include "core/checks.h"
#include "fake_answer.h"

/* Up to two addresses per server ("" for none), the root's address, and
 * whether the run refused special-purpose addresses. */
struct layout {
	const char *ns1[2], *ns2[2];
	const char *root;
	bool refuse_private;
};

static void add_rr(const char **slot, char *buf, size_t len, const char *name,
		   const char *addr)
{
	snprintf(buf, len, "%s %s %s", name, strchr(addr, ':') ? "AAAA" : "A",
		 addr);
	*slot = buf;
}

static struct evidence *zone(const struct layout *l)
{
	struct evidence *ev = evidence_new("example.", 1700000000);
	assert_non_null(ev);
	char hint[64];
	snprintf(hint, sizeof(hint), "a.root. %s", l->root);
	assert_int_equal(ev_strings_add(&ev->root_hints, hint), 0);
	ev->refuse_private = l->refuse_private;

	char glue[4][80];
	struct answer referral = { .status = QS_OK,
				   .au = { "example. NS ns1.example.", "example"
								       ". NS "
								       "ns2."
								       "example"
								       "." } };
	const char *const *sets[2] = { l->ns1, l->ns2 };
	const char *names[2] = { "ns1.example.", "ns2.example." };
	size_t g = 0;
	for (int s = 0; s < 2; s++)
		for (int j = 0; j < 2; j++)
			if (sets[s][j] && *sets[s][j])
				add_rr(&referral.ad[g], glue[g],
				       sizeof(glue[g]), names[s], sets[s][j]),
					g++;
	fake_add(ev, EV_WALK, ".", "a.root.", l->root, "example.",
		 LDNS_RR_TYPE_NS, TR_UDP, &referral);

	struct answer soa = { .status = QS_OK,
			      .aa = true,
			      .an = { "example. SOA ns1.example. h.example. 7 "
				      "3600 600 86400 300" } };
	struct answer ns = { .status = QS_OK,
			     .aa = true,
			     .an = { "example. NS ns1.example.", "example. NS "
								 "ns2."
								 "example." } };
	for (int s = 0; s < 2; s++) {
		/* The zone's own A and AAAA of each name, asked of ns1. */
		for (int t = 0; t < 2; t++) {
			uint16_t type = t ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A;
			struct answer a = { .status = QS_OK, .aa = true };
			char rr[2][80];
			size_t n = 0;
			for (int j = 0; j < 2; j++) {
				const char *x = sets[s][j];
				if (x && *x && (strchr(x, ':') != NULL) == t)
					add_rr(&a.an[n], rr[n], sizeof(rr[n]),
					       names[s], x),
						n++;
			}
			if (!n)
				a.au[0] = "example. SOA ns1.example. "
					  "h.example. 7 3600 600 86400 300";
			fake_add(ev, EV_RESOLVE, "example.", "ns1.example.",
				 l->ns1[0], names[s], type, TR_UDP, &a);
		}
		for (int j = 0; j < 2; j++) {
			const char *x = sets[s][j];
			if (!x || !*x)
				continue;
			fake_add(ev, EV_AUTH, "example.", names[s], x,
				 "example.", LDNS_RR_TYPE_SOA, TR_UDP, &soa);
			fake_add(ev, EV_AUTH, "example.", names[s], x,
				 "example.", LDNS_RR_TYPE_SOA, TR_TCP, &soa);
			fake_add(ev, EV_AUTH, "example.", names[s], x,
				 "example.", LDNS_RR_TYPE_NS, TR_UDP, &ns);
		}
	}
	return ev;
}

/* The codes of the three checks under test, sorted, space separated. */
static char *codes(const struct layout *l)
{
	struct evidence *ev = zone(l);
	struct view v;
	struct findings fs;
	struct strset set;
	strset_init(&set);
	findings_init(&fs);
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(check_ns_special_address(&v, 1700000000, &fs), 0);
	assert_int_equal(check_ns_address_spread(&v, 1700000000, &fs), 0);
	for (size_t i = 0; i < fs.n; i++)
		strset_add(&set, finding_defs[fs.v[i].code].name);
	char *s = strset_join(&set, " ");
	strset_deinit(&set);
	findings_deinit(&fs);
	view_deinit(&v);
	evidence_free(ev);
	return s;
}

static void expect(const struct layout *l, const char *want)
{
	char *got = codes(l);
	assert_string_equal(got, want);
	free(got);
}

static void test_spread_and_both_families(void **state)
{
	(void)state;
	expect(&(struct layout){ { "1.2.3.4", "2001:500::1" },
				 { "5.6.7.8", "2001:501::1" },
				 "198.41.0.4",
				 false },
	       "");
}

static void test_one_ipv4_prefix_no_ipv6(void **state)
{
	(void)state;
	expect(&(struct layout){ { "1.2.3.4", "" },
				 { "1.2.3.5", "" },
				 "198.41.0.4",
				 false },
	       "NS_ADDRESS_FAMILY_MISSING NS_PREFIX_NOT_DIVERSE");
}

static void test_one_ipv6_prefix(void **state)
{
	(void)state;
	/* 2001:500:1::/48 holds both; their IPv4 addresses differ. */
	expect(&(struct layout){ { "1.2.3.4", "2001:500:1::1" },
				 { "5.6.7.8", "2001:500:1:2::1" },
				 "198.41.0.4",
				 false },
	       "NS_PREFIX_NOT_DIVERSE");
}

static void test_ipv6_only(void **state)
{
	(void)state;
	expect(&(struct layout){ { "2001:500::1", "" },
				 { "2001:501::1", "" },
				 "198.41.0.4",
				 false },
	       "NS_ADDRESS_FAMILY_MISSING");
}

static void test_special_in_public_namespace(void **state)
{
	(void)state;
	expect(&(struct layout){ { "10.1.1.1", "" },
				 { "5.6.7.8", "2001:501::1" },
				 "198.41.0.4",
				 false },
	       "NS_ADDRESS_SPECIAL_PURPOSE");
}

/* An internal root: private addresses and one prefix are the design. */
static void test_private_namespace_is_not_judged(void **state)
{
	(void)state;
	expect(&(struct layout){ { "10.1.1.1", "" },
				 { "10.1.1.2", "" },
				 "10.0.0.1",
				 false },
	       "");
}

/* --no-private: ADDRESS_REFUSED_PRIVATE names them; not said twice. */
static void test_refused_not_said_twice(void **state)
{
	(void)state;
	expect(&(struct layout){ { "192.168.1.1", "2001:500::1" },
				 { "5.6.7.8", "2001:501::1" },
				 "198.41.0.4",
				 true },
	       "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread_and_both_families),
		cmocka_unit_test(test_one_ipv4_prefix_no_ipv6),
		cmocka_unit_test(test_one_ipv6_prefix),
		cmocka_unit_test(test_ipv6_only),
		cmocka_unit_test(test_special_in_public_namespace),
		cmocka_unit_test(test_private_namespace_is_not_judged),
		cmocka_unit_test(test_refused_not_said_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
