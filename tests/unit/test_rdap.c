/* core/rdap.c and core/view_rdap.c: the bootstrap's longest match, the
 * domain object as gTLD registries shape it, and hostile bytes (wrong
 * types, huge strings, too many entries, bad dates) that must give an
 * error or a bounded result, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/evidence.h"
#include "core/fetch_status.h"
#include "core/rdap.h"
#include "core/view_rdap.h"

static const char boot[] = "{\"version\":\"1.0\",\"services\":["
			   "[[\"uk\"],[\"http://uk.example/rdap/\"]],"
			   "[[\"co.uk\"],[\"http://co.example/\",\"https://"
			   "co.example/\"]],"
			   "[[\"com\",\"net\"],[\"https://com.example/v1\"]],"
			   "[[\"org\"],[\"ftp://org.example/\"]]]}";

static void bootstrap_longest_match_https_first(void **state)
{
	char url[256], q[300], err[200];
	(void)state;
	assert_int_equal(rdap_bootstrap_find(boot, strlen(boot), "x.co.uk.",
					     url, sizeof(url), err,
					     sizeof(err)),
			 1);
	assert_string_equal(url, "https://co.example/");
	assert_int_equal(rdap_bootstrap_find(boot, strlen(boot), "x.uk.", url,
					     sizeof(url), err, sizeof(err)),
			 1);
	assert_string_equal(url, "http://uk.example/rdap/");
	assert_int_equal(rdap_bootstrap_find(boot, strlen(boot), "example.net.",
					     url, sizeof(url), err,
					     sizeof(err)),
			 1);
	assert_int_equal(rdap_query_url(url, "example.net.", q, sizeof(q)), 0);
	assert_string_equal(q, "https://com.example/v1/domain/example.net");
	/* No http(s) URL, no entry, and "xuk." is not under "uk.". */
	assert_int_equal(rdap_bootstrap_find(boot, strlen(boot), "a.org.", url,
					     sizeof(url), err, sizeof(err)),
			 0);
	assert_int_equal(rdap_bootstrap_find(boot, strlen(boot), "a.xuk.", url,
					     sizeof(url), err, sizeof(err)),
			 0);
	assert_int_equal(rdap_bootstrap_find("[1]", 3, "a.com.", url,
					     sizeof(url), err, sizeof(err)),
			 -1);
	assert_int_equal(rdap_bootstrap_find("{\"x\":1}", 7, "a.com.", url,
					     sizeof(url), err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "services"));
}

static const char profile[] =
	"{\"objectClassName\":\"domain\",\"handle\":\"1_DOMAIN_COM-VRSN\","
	"\"ldhName\":\"EXAMPLE.COM\",\"status\":[\"client hold\","
	"\"client transfer prohibited\"],"
	"\"entities\":[{\"objectClassName\":\"entity\",\"roles\":"
	"[\"registrar\"],\"publicIds\":[{\"type\":\"IANA Registrar ID\","
	"\"identifier\":\"292\"}],\"vcardArray\":[\"vcard\",[[\"version\",{},"
	"\"text\",\"4.0\"],[\"fn\",{},\"text\",\"MarkMonitor Inc.\"]]],"
	"\"links\":[{\"rel\":\"about\",\"href\":\"http://"
	"www.markmonitor.com\"}],"
	"\"entities\":[{\"roles\":[\"abuse\"],\"vcardArray\":[\"vcard\",[["
	"\"email\",{},\"text\",\"abuse@markmonitor.com\"]]]}]}],"
	"\"events\":[{\"eventAction\":\"registration\",\"eventDate\":"
	"\"1997-09-15T04:00:00Z\"},{\"eventAction\":\"expiration\","
	"\"eventDate\":\"2028-09-14T04:00:00Z\"},{\"eventAction\":"
	"\"last changed\",\"eventDate\":\"2019-09-09T15:39:04.5+02:00\"}],"
	"\"secureDNS\":{\"delegationSigned\":true,\"dsData\":[{\"keyTag\":"
	"370,\"algorithm\":13,\"digestType\":2,\"digest\":\"be74\"}]},"
	"\"nameservers\":[{\"objectClassName\":\"nameserver\",\"ldhName\":"
	"\"NS1.GOOGLE.COM\"},{\"ldhName\":\"ns2.google.com.\"}]}";

static void domain_profile(void **state)
{
	struct rdap_domain *d = malloc(sizeof(*d));
	char err[200];
	(void)state;
	assert_non_null(d);
	assert_int_equal(rdap_domain_parse(profile, strlen(profile), d, err,
					   sizeof(err)),
			 0);
	assert_string_equal(d->ldh_name, "example.com.");
	assert_int_equal(d->n_ns, 2);
	assert_string_equal(d->ns[0], "ns1.google.com.");
	assert_string_equal(d->ns[1], "ns2.google.com.");
	assert_true(rdap_status_has(d, "clientHold"));
	assert_true(rdap_status_has(d, "CLIENT_TRANSFER_PROHIBITED"));
	assert_false(rdap_status_has(d, "serverHold"));
	assert_string_equal(d->registrar, "MarkMonitor Inc.");
	assert_string_equal(d->registrar_iana, "292");
	assert_string_equal(d->registrar_url, "http://www.markmonitor.com");
	assert_string_equal(d->abuse_email, "abuse@markmonitor.com");
	assert_int_equal(d->registered, 874296000);
	assert_int_equal(d->expires, 1852516800);
	assert_int_equal(d->changed, 1568043544 - 7200);
	assert_true(d->delegation_signed);
	assert_int_equal(d->n_ds, 1);
	assert_int_equal(d->ds[0].key_tag, 370);
	assert_string_equal(d->ds[0].digest, "BE74");
	free(d);
}

static void domain_hostile(void **state)
{
	struct rdap_domain *d = malloc(sizeof(*d));
	char err[200], *big;
	(void)state;
	assert_non_null(d);
	assert_int_equal(rdap_domain_parse("{\"objectClassName\":\"domain\"",
					   27, d, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "invalid JSON"));
	assert_int_equal(rdap_domain_parse("[1,2]", 5, d, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "wrong shape"));
	assert_int_equal(rdap_domain_parse("{\"objectClassName\":\"entity\"}",
					   28, d, err, sizeof(err)),
			 -1);
	assert_int_equal(rdap_domain_parse(NULL, 0, d, err, sizeof(err)), -1);
	/* Every field of the wrong type: parsed, nothing kept. */
	static const char types[] =
		"{\"objectClassName\":\"domain\",\"ldhName\":7,\"nameservers\":"
		"{\"a\":1},\"status\":[1,null,{}],\"entities\":[{\"roles\":"
		"\"registrar\"},{\"roles\":[\"registrar\"],\"vcardArray\":"
		"[\"vcard\",[[\"fn\"]]],\"publicIds\":7}],\"events\":[{"
		"\"eventAction\":\"expiration\",\"eventDate\":"
		"\"2028-13-40T99:00:00Z\"}],\"secureDNS\":{\"dsData\":[{"
		"\"keyTag\":\"1\"}]}}";
	assert_int_equal(rdap_domain_parse(types, strlen(types), d, err,
					   sizeof(err)),
			 0);
	assert_int_equal(d->n_ns, 0);
	assert_int_equal(d->n_status, 0);
	assert_string_equal(d->registrar, "");
	assert_int_equal(d->expires, 0);
	assert_int_equal(d->n_ds, 0);
	/* A 100 kB name is cut to the bound; 100 name servers to the cap. */
	size_t n = 200000;
	assert_non_null(big = malloc(n));
	size_t k = (size_t)snprintf(big, n,
				    "{\"objectClassName\":\"domain\","
				    "\"ldhName\":\"");
	memset(big + k, 'a', 100000);
	k += 100000;
	k += (size_t)snprintf(big + k, n - k, "\",\"nameservers\":[");
	for (int i = 0; i < 100; i++)
		k += (size_t)snprintf(big + k, n - k,
				      "%s{\"ldhName\":\"n%d.x\"}", i ? "," : "",
				      i);
	k += (size_t)snprintf(big + k, n - k, "]}");
	assert_int_equal(rdap_domain_parse(big, k, d, err, sizeof(err)), 0);
	assert_int_equal(strlen(d->ldh_name), RDAP_TEXT_MAX - 1);
	assert_int_equal(d->n_ns, RDAP_NS_MAX);
	free(big);
	free(d);
}

static void times(void **state)
{
	(void)state;
	assert_int_equal(rdap_time("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(rdap_time("2026-12-07T10:00:00.123Z"), 1796637600);
	assert_int_equal(rdap_time("2026-12-07T12:00:00+02:00"), 1796637600);
	assert_int_equal(rdap_time("2026-12-07T10:00:00"), -1);
	assert_int_equal(rdap_time("2026-12-07"), -1);
	assert_int_equal(rdap_time("2026-12-07T10:00:00Zjunk"), -1);
	assert_int_equal(rdap_time(NULL), -1);
}

/* view_rdap: the reasons RDAP_UNAVAILABLE prints, from the record. */
static void judged(void **state)
{
	struct evidence *ev = evidence_new("example.com.", 0);
	struct view_rdap *r;
	(void)state;
	assert_non_null(ev);
	assert_int_equal(view_rdap_new(ev, &r), 0);
	assert_null(r); /* RDAP off */
	assert_non_null(ev->rdap = calloc(1, sizeof(*ev->rdap)));
	ev->rdap->bootstrap = strdup("boot.json");
	assert_int_equal(view_rdap_new(ev, &r), 0);
	assert_int_equal(r->state, VR_UNAVAILABLE);
	assert_non_null(strstr(r->why, "names no RDAP service for com."));
	view_rdap_free(r);
	ev->rdap->url = strdup("http://r/domain/example.com");
	ev->rdap->status = HS_OK;
	ev->rdap->code = 429;
	ev->rdap->retry_after = 60;
	assert_int_equal(view_rdap_new(ev, &r), 0);
	assert_non_null(strstr(r->why, "HTTP 429 (rate limited, Retry-After "
				       "60 s)"));
	view_rdap_free(r);
	ev->rdap->code = 404;
	assert_int_equal(view_rdap_new(ev, &r), 0);
	assert_int_equal(r->state, VR_NOT_FOUND);
	view_rdap_free(r);
	ev->rdap->code = 200;
	ev->rdap->content_type = strdup("application/rdap+json; charset=utf-8");
	ev->rdap->body = strdup(profile);
	ev->rdap->body_len = strlen(profile);
	assert_int_equal(view_rdap_new(ev, &r), 0);
	assert_int_equal(r->state, VR_OK);
	assert_int_equal(r->ns.n, 2);
	char who[400];
	view_rdap_registrar(r, who, sizeof(who));
	assert_string_equal(who, "the registrar MarkMonitor Inc. (IANA 292, "
				 "http://www.markmonitor.com)");
	view_rdap_free(r);
	ev->rdap->truncated = true;
	assert_int_equal(view_rdap_new(ev, &r), 0);
	assert_non_null(strstr(r->why, "over the size limit"));
	view_rdap_free(r);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bootstrap_longest_match_https_first),
		cmocka_unit_test(domain_profile),
		cmocka_unit_test(domain_hostile),
		cmocka_unit_test(times),
		cmocka_unit_test(judged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
