/* The ACME log classifier and parsers: CA detail wordings (Let's Encrypt's
 * Boulder, Pebble, Go's resolver) to causes; small logs of each format to
 * failures, attempts and retry rows. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/acmelog.h"

static const struct {
	const char *type;
	const char *detail;
	const char *cause;
	bool secondary;
} wordings[] = {
	/* Boulder */
	{ "urn:ietf:params:acme:error:dns",
	  "DNS problem: NXDOMAIN looking up TXT for "
	  "_acme-challenge.example.com - check that a DNS record exists for "
	  "this domain",
	  "dns-nxdomain-txt", false },
	{ "urn:ietf:params:acme:error:dns",
	  "DNS problem: SERVFAIL looking up TXT for "
	  "_acme-challenge.example.com - the domain's nameservers may be "
	  "malfunctioning",
	  "dns-servfail-txt", false },
	{ "urn:ietf:params:acme:error:dns",
	  "DNS problem: REFUSED looking up TXT for _acme-challenge.example.com",
	  "dns-refused-txt", false },
	{ "urn:ietf:params:acme:error:dns",
	  "DNS problem: query timed out looking up TXT for "
	  "_acme-challenge.example.com",
	  "dns-timeout-txt", false },
	{ "urn:ietf:params:acme:error:dns",
	  "DNS problem: SERVFAIL looking up CAA for example.com - the domain's "
	  "nameservers may be malfunctioning",
	  "caa-servfail", false },
	{ "urn:ietf:params:acme:error:dns",
	  "DNS problem: query timed out looking up CAA for example.com",
	  "caa-timeout", false },
	{ "urn:ietf:params:acme:error:caa",
	  "CAA record for example.com prevents issuance", "caa-forbids",
	  false },
	{ "urn:ietf:params:acme:error:dns",
	  "DNS problem: NXDOMAIN looking up A for www.example.com - check that "
	  "a DNS record exists for this domain; DNS problem: NXDOMAIN looking "
	  "up AAAA for www.example.com",
	  "dns-nxdomain-address", false },
	{ "urn:ietf:params:acme:error:dns",
	  "During secondary validation: DNS problem: NXDOMAIN looking up TXT "
	  "for _acme-challenge.example.com",
	  "dns-nxdomain-txt", true },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "No TXT record found at _acme-challenge.example.com", "txt-missing",
	  false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Incorrect TXT record \"abc\" found at _acme-challenge.example.com",
	  "txt-mismatch", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "During secondary validation: Incorrect TXT record \"abc\" found at "
	  "_acme-challenge.example.com",
	  "txt-mismatch", true },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Invalid response from "
	  "http://example.com/.well-known/acme-challenge/tok: 404",
	  "http-404", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "203.0.113.7: Invalid response from "
	  "http://example.com/.well-known/acme-challenge/tok: 403",
	  "http-bad-status", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Invalid response from "
	  "http://example.com/.well-known/acme-challenge/tok: \"<!DOCTYPE "
	  "html><html>\"",
	  "http-key-mismatch", false },
	{ "urn:ietf:params:acme:error:connection",
	  "Fetching http://example.com/.well-known/acme-challenge/tok: Timeout "
	  "during connect (likely firewall problem)",
	  "connection-timeout", false },
	{ "urn:ietf:params:acme:error:connection",
	  "203.0.113.7: Fetching "
	  "http://dns-example.com/.well-known/acme-challenge/tok: Connection "
	  "refused",
	  "connection-refused", false },
	{ "urn:ietf:params:acme:error:connection",
	  "Fetching http://example.com/.well-known/acme-challenge/tok: "
	  "Connection reset by peer",
	  "connection-reset", false },
	{ "urn:ietf:params:acme:error:connection",
	  "Fetching http://example.com/.well-known/acme-challenge/tok: Too "
	  "many redirects",
	  "http-redirect", false },
	{ "urn:ietf:params:acme:error:dns",
	  "No valid IP addresses found for example.com", "dns-no-address",
	  false },
	{ "urn:ietf:params:acme:error:tls",
	  "remote error: tls: handshake failure", "tls-error", false },
	{ "urn:ietf:params:acme:error:rateLimited",
	  "Error creating new order :: too many failed authorizations "
	  "recently: see https://letsencrypt.org/docs/failed-validation-limit/",
	  "rate-limited-failed-validations", false },
	{ "urn:ietf:params:acme:error:rateLimited",
	  "Error creating new order :: too many certificates already issued "
	  "for \"example.com\". Retry after 2024-06-01T00:00:00Z",
	  "rate-limited-certs-per-domain", false },
	{ "urn:ietf:params:acme:error:rateLimited",
	  "Error creating new order :: too many certificates (5) already "
	  "issued for this exact set of domains in the last 168 hours",
	  "rate-limited-duplicate-certs", false },
	{ "urn:ietf:params:acme:error:rateLimited",
	  "Error creating new order :: too many new orders recently",
	  "rate-limited-new-orders", false },
	{ "urn:ietf:params:acme:error:rateLimited",
	  "Error creating new account :: too many registrations for this IP",
	  "rate-limited-accounts", false },
	{ "urn:ietf:params:acme:error:badNonce",
	  "JWS has an invalid anti-replay nonce", "bad-nonce", false },
	{ "urn:ietf:params:acme:error:malformed", "Unable to validate JWS",
	  "malformed", false },
	{ "urn:ietf:params:acme:error:serverInternal", "Error finalizing order",
	  "server-internal", false },
	{ "urn:ietf:params:acme:error:rejectedIdentifier",
	  "Error creating new order :: Cannot issue for \"localhost\": Domain "
	  "name does not end with a valid public suffix (TLD)",
	  "rejected-identifier", false },
	{ "urn:ietf:params:acme:error:badCSR",
	  "Error finalizing order :: CSR contains a public key of a known weak "
	  "type",
	  "bad-csr", false },
	{ "urn:ietf:params:acme:error:orderNotReady",
	  "Order's status (\"pending\") is not acceptable for finalization",
	  "order-not-ready", false },
	{ "urn:ietf:params:acme:error:accountDoesNotExist",
	  "No account exists with the provided key", "account", false },
	{ "urn:acme:error:unauthorized",
	  "Invalid response from "
	  "http://example.com/.well-known/acme-challenge/tok: 404",
	  "http-404", false },
	{ "unauthorized", "No TXT record found at _acme-challenge.example.com",
	  "txt-missing", false },
	/* Pebble (the lab corpus) and Go's resolver */
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Error retrieving TXT records for DNS challenge (\"DNS lookup for "
	  "\\\"_acme-challenge.x.test\\\" returned an unsuccessful response: "
	  "'\\\\x03'\")",
	  "dns-nxdomain-txt", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Error retrieving TXT records for DNS challenge (\"DNS lookup for "
	  "\\\"_acme-challenge.x.test\\\" returned an unsuccessful response: "
	  "'\\\\x02'\")",
	  "dns-servfail-txt", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Error retrieving TXT records for DNS challenge (\"DNS lookup for "
	  "\\\"_acme-challenge.x.test\\\" returned an unsuccessful response: "
	  "'\\\\x05'\")",
	  "dns-refused-txt", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "No TXT records found for DNS challenge", "txt-missing", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Correct value not found for DNS challenge", "txt-mismatch", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Non-200 status code from HTTP: "
	  "http://x.test:5002/.well-known/acme-challenge/tok returned 404",
	  "http-404", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "Non-200 status code from HTTP: "
	  "http://x.test:5002/.well-known/acme-challenge/tok returned 500",
	  "http-bad-status", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "The key authorization file from the server did not match this "
	  "challenge \"a\" != \"b\"",
	  "http-key-mismatch", false },
	{ "urn:ietf:params:acme:error:connection",
	  "Get \"http://x.test:5002/.well-known/acme-challenge/tok\": dial tcp "
	  "127.53.61.12:5002: connect: connection refused",
	  "connection-refused", false },
	{ "urn:ietf:params:acme:error:connection",
	  "Get \"http://x.test/.well-known/acme-challenge/tok\": dial tcp: "
	  "lookup x.test on 127.0.0.1:53: no such host",
	  "dns-nxdomain-address", false },
	{ "urn:ietf:params:acme:error:connection",
	  "Get \"http://x.test/.well-known/acme-challenge/tok\": dial tcp "
	  "192.0.2.1:80: i/o timeout",
	  "connection-timeout", false },
	/* clients' own checks; host names that look like rcodes */
	{ "",
	  "Waiting for DNS-01 challenge propagation: DNS record for \"x.test\" "
	  "not yet propagated",
	  "txt-not-propagated", false },
	{ "",
	  "presolve: time limit exceeded: last error: NXDOMAIN for "
	  "_acme-challenge.x.test",
	  "txt-not-propagated", false },
	{ "urn:ietf:params:acme:error:connection",
	  "Fetching "
	  "http://servfail-dns.example/.well-known/acme-challenge/tok: "
	  "Connection refused",
	  "connection-refused", false },
	{ "urn:ietf:params:acme:error:unauthorized",
	  "something no CA has said yet", "unauthorized", false },
	{ NULL, NULL, "unknown", false },
	{ "urn:example:other", "", "unknown", false },
};

static void classify_wordings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(wordings) / sizeof(wordings[0]); i++) {
		bool sec = !wordings[i].secondary;
		enum acme_cause c = acmelog_classify(wordings[i].type,
						     wordings[i].detail, &sec);
		if (strcmp(acme_cause_name(c), wordings[i].cause) != 0)
			fail_msg("#%zu \"%s\": got %s, want %s", i,
				 wordings[i].detail, acme_cause_name(c),
				 wordings[i].cause);
		assert_int_equal(sec, wordings[i].secondary);
	}
}

static void types_and_names(void **state)
{
	(void)state;
	assert_string_equal(acmelog_short_type("urn:ietf:params:acme:error:"
					       "dns"),
			    "dns");
	assert_string_equal(acmelog_short_type("urn:acme:error:tls"), "tls");
	assert_null(acmelog_short_type("dns"));
	assert_true(acmelog_known_type("rateLimited"));
	assert_true(acmelog_known_type("userActionRequired"));
	assert_false(acmelog_known_type("ratelimited"));
	/* every cause has a name, a sentence and a category */
	for (int c = 0; c < AC_COUNT_; c++) {
		assert_non_null(acme_cause_name(c));
		assert_true(strlen(acme_cause_text(c)) > 10);
		assert_true(acme_cause_category(c) <= ACAT_UNKNOWN);
	}
	assert_string_equal(acme_category_name(acme_cause_category(
				    AC_RATE_LIMITED_NEW_ORDERS)),
			    "rate-limit");
}

static void commands(void **state)
{
	char *out[4];
	int n;
	(void)state;
	n = acmelog_commands(AC_TXT_MISSING, "www.example.com", out, 4);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "dnsdoctor propagation "
				    "_acme-challenge.www.example.com TXT");
	assert_string_equal(out[1], "dnsdoctor check www.example.com --acme "
				    "--challenge dns-01");
	for (int i = 0; i < n; i++)
		free(out[i]);
	n = acmelog_commands(AC_DNS_SERVFAIL_TXT, "*.example.com", out, 1);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "dnsdoctor check example.com");
	free(out[0]);
	n = acmelog_commands(AC_TLS_ERROR, "example.com", out, 4);
	assert_true(n >= 1);
	assert_string_equal(out[0], "dnsdoctor cert example.com");
	for (int i = 0; i < n; i++)
		free(out[i]);
	assert_int_equal(
		acmelog_commands(AC_RATE_LIMITED, "example.com", out, 4), 0);
	assert_int_equal(acmelog_commands(AC_TXT_MISSING, "", out, 4), 0);
}

static void civil_time(void **state)
{
	(void)state;
	assert_int_equal(acmelog_civil_time(1970, 1, 1, 0, 0, 0), 0);
	assert_int_equal(acmelog_civil_time(2000, 2, 29, 12, 0, 0), 951825600);
	assert_int_equal(acmelog_civil_time(2024, 6, 1, 12, 0, 0), 1717243200);
}

static struct acme_log parse(const char *text, enum acme_format want)
{
	struct acme_log log;
	enum acme_format got;
	acmelog_init(&log);
	assert_int_equal(acmelog_parse(&log, text, strlen(text),
				       ACME_FMT_UNKNOWN, &got),
			 0);
	assert_string_equal(acme_format_name(got), acme_format_name(want));
	return log;
}

static void certbot_log_dedup(void **state)
{
	/* the problem in the authorization body and again in the summary:
	 * one failure */
	const char *text =
		"2024-06-01 12:00:00,000:DEBUG:certbot._internal.main:certbot "
		"version: 2.1.0\n"
		"2024-06-01 "
		"12:00:01,000:DEBUG:certbot._internal.display.obj:Notifying "
		"user: Requesting a certificate for a.example and b.example\n"
		"2024-06-01 12:00:02,000:DEBUG:acme.client:Received "
		"response:\nHTTP 200\n\n{\n"
		"  \"status\": \"invalid\", \"identifier\": {\"type\": "
		"\"dns\", \"value\": \"a.example\"},\n"
		"  \"challenges\": [{\"type\": \"dns-01\", \"status\": "
		"\"invalid\", \"error\": {\n"
		"    \"type\": \"urn:ietf:params:acme:error:dns\", \"detail\": "
		"\"DNS problem: NXDOMAIN looking up TXT for "
		"_acme-challenge.a.example\", \"status\": 400}}]\n}\n"
		"2024-06-01 12:00:03,000:DEBUG:acme.client:Received "
		"response:\nHTTP 200\n\n{\n"
		"  \"status\": \"valid\", \"identifier\": {\"type\": \"dns\", "
		"\"value\": \"b.example\"}, \"challenges\": []\n}\n"
		"2024-06-01 "
		"12:00:04,000:DEBUG:certbot._internal.display.obj:Notifying "
		"user: \n"
		"Certbot failed to authenticate some domains (authenticator: "
		"manual). The Certificate Authority reported these problems:\n"
		"  Domain: a.example\n  Type:   dns\n  Detail: DNS problem: "
		"NXDOMAIN looking up TXT for _acme-challenge.a.example\n";
	struct acme_log log = parse(text, ACME_FMT_CERTBOT_LOG);
	struct acme_summary s;
	(void)state;
	assert_int_equal(log.nf, 1);
	assert_string_equal(log.f[0].domain, "a.example");
	assert_string_equal(log.f[0].challenge, "dns-01");
	assert_string_equal(log.f[0].type, "dns");
	assert_int_equal(log.f[0].time, 1717243202);
	assert_int_equal(log.runs, 1);
	assert_int_equal(acmelog_summarize(&log, &s), 0);
	assert_int_equal(s.nr, 2);
	assert_string_equal(s.r[0].domain, "a.example");
	assert_int_equal(s.r[0].failures, 1);
	assert_string_equal(s.r[1].domain, "b.example");
	assert_int_equal(s.r[1].successes, 1);
	acmelog_summary_deinit(&s);
	acmelog_deinit(&log);
}

static void subproblems(void **state)
{
	const char *text = "2024-06-01 "
			   "12:00:00,000:DEBUG:certbot._internal.main:certbot "
			   "version: 2.1.0\n"
			   "2024-06-01 12:00:02,000:DEBUG:acme.client:Received "
			   "response:\n{\n"
			   "\"type\": \"urn:ietf:params:acme:error:compound\", "
			   "\"detail\": \"several\",\n"
			   "\"subproblems\": [\n"
			   " {\"type\": \"urn:ietf:params:acme:error:caa\", "
			   "\"detail\": \"CAA record for x.example prevents "
			   "issuance\", \"identifier\": {\"type\": \"dns\", "
			   "\"value\": \"x.example\"}},\n"
			   " {\"type\": "
			   "\"urn:ietf:params:acme:error:rejectedIdentifier\", "
			   "\"detail\": \"nope\", \"identifier\": {\"type\": "
			   "\"dns\", \"value\": \"y.example\"}}]\n}\n";
	struct acme_log log = parse(text, ACME_FMT_CERTBOT_LOG);
	(void)state;
	assert_int_equal(log.nf, 2);
	assert_string_equal(log.f[0].domain, "x.example");
	assert_string_equal(acme_cause_name(log.f[0].cause), "caa-forbids");
	assert_string_equal(log.f[1].domain, "y.example");
	assert_string_equal(acme_cause_name(log.f[1].cause), "rejected-"
							     "identifier");
	acmelog_deinit(&log);
}

static void lego_retries_window(void **state)
{
	/* 6 runs 10 minutes apart: 6 failed runs inside one hour */
	char text[4096];
	size_t n = 0;
	struct acme_log log;
	struct acme_summary s;
	(void)state;
	for (int i = 0; i < 6; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "2024/06/01 12:%02d:00 [INFO] "
				      "[r.example] acme: Obtaining bundled SAN "
				      "certificate\n"
				      "2024/06/01 12:%02d:00 [INFO] "
				      "[r.example] acme: use dns-01 solver\n"
				      "2024/06/01 12:%02d:05 Could not obtain "
				      "certificates:\n\terror: one or more "
				      "domains had a problem:\n"
				      "[r.example] acme: error: 403 :: "
				      "urn:ietf:params:acme:error:unauthorized "
				      ":: No TXT record found at "
				      "_acme-challenge.r.example\n",
				      i * 10, i * 10, i * 10);
	log = parse(text, ACME_FMT_LEGO);
	assert_int_equal(log.nf, 6);
	assert_int_equal(acmelog_summarize(&log, &s), 0);
	assert_int_equal(s.ng, 1);
	assert_int_equal(s.g[0].count, 6);
	assert_string_equal(s.g[0].challenge, "dns-01");
	assert_int_equal(s.g[0].first, 1717243205);
	assert_int_equal(s.g[0].last, 1717243205 + 50 * 60);
	assert_int_equal(s.nr, 1);
	assert_int_equal(s.r[0].attempts, 6);
	assert_int_equal(s.r[0].nintervals, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(s.r[0].intervals[i], 600);
	assert_int_equal(s.r[0].max_failed_hour, 6);
	assert_int_equal(s.max_orders_3h, 6);
	acmelog_summary_deinit(&s);
	acmelog_deinit(&log);
}

static void acmesh_and_cm(void **state)
{
	const char *sh = "[Sat Jun  1 12:00:00 UTC 2024] Single "
			 "domain='s.example'\n"
			 "[Sat Jun  1 12:00:10 UTC 2024] Verifying: s.example\n"
			 "[Sat Jun  1 12:00:12 UTC 2024] "
			 "error='\"error\":{\"type\":\"urn:ietf:params:acme:"
			 "error:dns\",\"detail\":\"DNS problem: SERVFAIL "
			 "looking up TXT for _acme-challenge.s.example\"'\n"
			 "[Sat Jun  1 12:00:12 UTC 2024] Invalid status, "
			 "s.example:Verify error detail:DNS problem: SERVFAIL "
			 "looking up TXT for _acme-challenge.s.example\n";
	const char *cm =
		"Name:         c\nAPI Version:  acme.cert-manager.io/v1\nKind: "
		"        Challenge\n"
		"Spec:\n  Dns Name:  c.example\n  Type:      HTTP-01\n"
		"Status:\n  Reason:  Error accepting authorization: acme: "
		"authorization error for c.example: 403 "
		"urn:ietf:params:acme:error:unauthorized: Invalid response "
		"from http://c.example/.well-known/acme-challenge/t: 404\n"
		"Events:\n  Type     Reason  Age               From  Message\n"
		"  Warning  Failed  1m (x4 over 9m)   cert-manager-challenges  "
		"Accepting challenge authorization failed: acme: authorization "
		"error for c.example: 403 "
		"urn:ietf:params:acme:error:unauthorized: Invalid response "
		"from http://c.example/.well-known/acme-challenge/t: 404\n";
	struct acme_log log = parse(sh, ACME_FMT_ACMESH);
	(void)state;
	assert_int_equal(log.nf, 1);
	assert_string_equal(log.f[0].type, "dns");
	assert_string_equal(log.f[0].domain, "s.example");
	assert_string_equal(acme_cause_name(log.f[0].cause), "dns-servfail-"
							     "txt");
	assert_int_equal(log.f[0].time, 1717243212);
	acmelog_deinit(&log);

	log = parse(cm, ACME_FMT_CM_DESCRIBE);
	assert_int_equal(log.nf, 1);
	assert_int_equal(log.f[0].count, 4);
	assert_string_equal(log.f[0].challenge, "http-01");
	assert_string_equal(acme_cause_name(log.f[0].cause), "http-404");
	acmelog_deinit(&log);
}

static void hostile(void **state)
{
	struct acme_log log;
	enum acme_format f;
	/* NUL bytes, no newline, unknown text */
	static const char junk[] = "\0\0\0garbage\xff\xfe";
	static const char deep_head[] = "2024-06-01 "
					"12:00:00,000:DEBUG:x:certbot version: "
					"1\n{\n";
	char *deep;
	size_t n = 0;
	(void)state;
	acmelog_init(&log);
	assert_int_equal(acmelog_parse(&log, junk, sizeof(junk) - 1,
				       ACME_FMT_UNKNOWN, &f),
			 -EINVAL);
	assert_int_equal(acmelog_parse(&log, "", 0, ACME_FMT_UNKNOWN, &f),
			 -EINVAL);
	acmelog_deinit(&log);
	/* a JSON body nested past the walker's depth: no crash, no failure */
	deep = malloc(200000);
	assert_non_null(deep);
	memcpy(deep, deep_head, sizeof(deep_head) - 1);
	n = sizeof(deep_head) - 1;
	for (int i = 0; i < 5000; i++)
		deep[n++] = '[';
	deep[n++] = '\n';
	deep[n++] = '}';
	deep[n++] = '\n';
	acmelog_init(&log);
	assert_int_equal(acmelog_parse(&log, deep, n, ACME_FMT_UNKNOWN, &f), 0);
	assert_int_equal(log.nf, 0);
	acmelog_deinit(&log);
	free(deep);
}

/* acme.sh's own DNS check: a run that ends while it still says "Not valid
 * yet" failed on propagation; one that ends in "All success" did not. */
static void test_acmesh_dns_check(void **state)
{
	(void)state;
	static const char waiting[] =
		"[Sat Dec  6 20:49:01 UTC 2025] Single domain='a.example'\n"
		"[Sat Dec  6 20:49:09 UTC 2025] Let's check each DNS record "
		"now. Sleeping for 20 seconds first.\n"
		"[Sat Dec  6 20:49:30 UTC 2025] Checking a.example for "
		"_acme-challenge.a.example\n"
		"[Sat Dec  6 20:49:31 UTC 2025] Not valid yet, let's wait for "
		"10 seconds then check the next one.\n"
		"[Sat Dec  6 20:49:42 UTC 2025] Let's wait for 10 seconds and "
		"check again.\n"
		"[Sat Dec  6 20:49:53 UTC 2025] Checking a.example for "
		"_acme-challenge.a.example\n"
		"[Sat Dec  6 20:49:53 UTC 2025] Not valid yet, let's wait for "
		"10 seconds then check the next one.\n"
		"[Sat Dec  6 20:50:20 UTC 2025] Single domain='b.example'\n"
		"[Sat Dec  6 20:50:21 UTC 2025] Checking b.example for "
		"_acme-challenge.b.example\n"
		"[Sat Dec  6 20:50:22 UTC 2025] Not valid yet, let's wait for "
		"10 seconds then check the next one.\n"
		"[Sat Dec  6 20:50:33 UTC 2025] Checking b.example for "
		"_acme-challenge.b.example\n"
		"[Sat Dec  6 20:50:33 UTC 2025] Success for domain b.example "
		"'_acme-challenge.b.example'.\n"
		"[Sat Dec  6 20:50:33 UTC 2025] All success, let's return\n";
	struct acme_log log;
	enum acme_format f;
	acmelog_init(&log);
	assert_int_equal(acmelog_parse(&log, waiting, sizeof(waiting) - 1,
				       ACME_FMT_UNKNOWN, &f),
			 0);
	assert_int_equal(f, ACME_FMT_ACMESH);
	assert_int_equal(log.nf, 1);
	assert_string_equal(log.f[0].domain, "a.example");
	assert_int_equal(log.f[0].cause, AC_TXT_NOT_PROPAGATED);
	assert_non_null(strstr(log.f[0].detail, "after 2 checks"));
	acmelog_deinit(&log);
}

/* lego's own propagation check, in the words lego 4 gives up with. */
static void test_precheck(void **state)
{
	(void)state;
	char srv[256], ans[32];
	static const struct {
		const char *detail, *server, *answer;
	} cases[] = {
		{ "time limit exceeded: last error: NS ns2.example.net. "
		  "returned NXDOMAIN for "
		  "_acme-challenge.example.com.",
		  "ns2.example.net.", "NXDOMAIN" },
		{ "time limit exceeded: last error: NS ns1.example.net. "
		  "returned SERVFAIL for "
		  "_acme-challenge.example.com.",
		  "ns1.example.net.", "SERVFAIL" },
		{ "time limit exceeded: last error: NS ns1.example.net. did "
		  "not return the "
		  "expected TXT record [fqdn: _acme-challenge.example.com., "
		  "value: abc]: old",
		  "ns1.example.net.", "other TXT" },
		{ "time limit exceeded: last error: read udp "
		  "10.0.0.1:5353->192.0.2.53:53: i/o "
		  "timeout",
		  "192.0.2.53", "timeout" },
		{ "time limit exceeded: last error: read udp "
		  "[::1]:5353->[2001:db8::53]:53: "
		  "i/o timeout",
		  "2001:db8::53", "timeout" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(acmelog_precheck(cases[i].detail, srv, sizeof(srv),
					     ans, sizeof(ans)));
		assert_string_equal(srv, cases[i].server);
		assert_string_equal(ans, cases[i].answer);
		/* and the cause */
		assert_int_equal(acmelog_classify("", cases[i].detail, NULL),
				 AC_TXT_NOT_PROPAGATED);
	}
	assert_false(acmelog_precheck("connection refused", srv, sizeof(srv),
				      ans, sizeof(ans)));
	assert_false(
		acmelog_precheck(NULL, srv, sizeof(srv), ans, sizeof(ans)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precheck),
		cmocka_unit_test(test_acmesh_dns_check),
		cmocka_unit_test(classify_wordings),
		cmocka_unit_test(types_and_names),
		cmocka_unit_test(commands),
		cmocka_unit_test(civil_time),
		cmocka_unit_test(certbot_log_dedup),
		cmocka_unit_test(subproblems),
		cmocka_unit_test(lego_retries_window),
		cmocka_unit_test(acmesh_and_cm),
		cmocka_unit_test(hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
