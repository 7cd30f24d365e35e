/* cert.c on certificates made here (self-signed, EC P-256), at a pinned
 * time: expiry, the warning window, names, chain and differing addresses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include "core/cert.h"
#include "core/evidence_json.h"

#define NOW ((time_t)1700000000)
#define DAY 86400

struct made {
	X509 *x;
	uint8_t *der;
	size_t len;
};

/* A self-signed certificate for the DNS name SAN, valid from NOW+FROM to
 * NOW+TO seconds. */
static struct made make(const char *san, long from, long to)
{
	struct made m = { 0 };
	EVP_PKEY *k = EVP_EC_gen("P-256");
	assert_non_null(k);
	m.x = X509_new();
	X509_set_version(m.x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(m.x), 1);
	X509_time_adj_ex(X509_getm_notBefore(m.x), 0, from, &(time_t){ NOW });
	X509_time_adj_ex(X509_getm_notAfter(m.x), 0, to, &(time_t){ NOW });
	X509_NAME *nm = X509_get_subject_name(m.x);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
				   (const unsigned char *)san, -1, -1, 0);
	X509_set_issuer_name(m.x, nm);
	X509_set_pubkey(m.x, k);
	char ext[300];
	snprintf(ext, sizeof(ext), "DNS:%s", san);
	X509_EXTENSION *e =
		X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, ext);
	X509_add_ext(m.x, e, -1);
	X509_EXTENSION_free(e);
	e = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints,
				"critical,CA:TRUE");
	X509_add_ext(m.x, e, -1);
	X509_EXTENSION_free(e);
	assert_true(X509_sign(m.x, k, EVP_sha256()) > 0);
	unsigned char *der = NULL;
	int len = i2d_X509(m.x, &der);
	assert_true(len > 0);
	m.der = malloc((size_t)len);
	memcpy(m.der, der, (size_t)len);
	m.len = (size_t)len;
	OPENSSL_free(der);
	EVP_PKEY_free(k);
	return m;
}

static void unmake(struct made *m)
{
	X509_free(m->x);
	free(m->der);
}

/* The codes for addresses serving A (and B when not NULL) as HOST, with
 * STORE trusting ROOT (when not NULL). */
static char *codes(const char *host, struct made *a, struct made *b,
		   struct made *root, double warn_days)
{
	X509_STORE *store = X509_STORE_new();
	if (root)
		X509_STORE_add_cert(store, root->x);
	const uint8_t *da[1] = { a->der }, *db[1] = { b ? b->der : NULL };
	size_t la[1] = { a->len }, lb[1] = { b ? b->len : 0 };
	struct cert_obs o[2] = {
		{ .addr = "192.0.2.1",
		  .ok = true,
		  .der = da,
		  .der_len = la,
		  .n = 1 },
		{ .addr = "192.0.2.2",
		  .ok = true,
		  .der = db,
		  .der_len = lb,
		  .n = 1 },
	};
	struct findings fs;
	findings_init(&fs);
	const struct cert_view v = { .host = host,
				     .obs = o,
				     .n = b ? 2 : 1,
				     .store = store,
				     .warn_days = warn_days };
	assert_int_equal(cert_checks_run(&v, NOW, &fs), 0);
	char *out = calloc(1, 512);
	size_t used = 0;
	for (size_t i = 0; i < fs.n && used < 400; i++)
		used += (size_t)snprintf(out + used, 512 - used, "%s%s",
					 i ? " " : "",
					 finding_defs[fs.v[i].code].name);
	findings_deinit(&fs);
	X509_STORE_free(store);
	return out;
}

static void expect(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void test_cert_clean(void **state)
{
	struct made a = make("www.example", -DAY, 60 * DAY);
	expect(codes("www.example", &a, NULL, &a, 21), "");
	unmake(&a);
}

static void test_cert_expired_and_not_yet_valid(void **state)
{
	struct made a = make("www.example", -90 * DAY, -DAY);
	struct made b = make("www.example", DAY, 90 * DAY);
	expect(codes("www.example", &a, NULL, &a, 21), "CERT_EXPIRED");
	expect(codes("www.example", &b, NULL, &b, 21), "CERT_EXPIRED");
	unmake(&a);
	unmake(&b);
}

static void test_cert_warn_window(void **state)
{
	struct made a = make("www.example", -DAY, 10 * DAY);
	expect(codes("www.example", &a, NULL, &a, 21), "CERT_EXPIRING_SOON");
	expect(codes("www.example", &a, NULL, &a, 5), "");
	unmake(&a);
}

static void test_cert_name(void **state)
{
	struct made a = make("*.example.com", -DAY, 60 * DAY);
	expect(codes("www.example.com", &a, NULL, &a, 21), "");
	/* A wildcard covers one label, not two, nor the name itself. */
	expect(codes("a.b.example.com", &a, NULL, &a, 21), "CERT_NAME_"
							   "MISMATCH");
	expect(codes("example.com", &a, NULL, &a, 21), "CERT_NAME_MISMATCH");
	unmake(&a);
}

static void test_cert_chain(void **state)
{
	struct made a = make("www.example", -DAY, 60 * DAY);
	expect(codes("www.example", &a, NULL, NULL, 21), "CERT_CHAIN_"
							 "INCOMPLETE");
	unmake(&a);
}

static void test_cert_differs(void **state)
{
	struct made a = make("www.example", -DAY, 60 * DAY);
	struct made b = make("www.example", -DAY, 60 * DAY);
	/* Both trusted only through A: B's chain is incomplete as well. */
	expect(codes("www.example", &a, &b, &a, 21), "CERT_CHAIN_INCOMPLETE "
						     "CERT_DIFFERS_ACROSS_"
						     "ADDRESSES");
	expect(codes("www.example", &a, &a, &a, 21), "");
	unmake(&a);
	unmake(&b);
}

/* A leaf that is not DER at all is skipped, not a crash. */
static void test_cert_garbage(void **state)
{
	static const uint8_t junk[] = { 0x30, 0x82, 0xff, 0xff, 0x01 };
	const uint8_t *d[1] = { junk };
	size_t l[1] = { sizeof(junk) };
	struct cert_obs o = {
		.addr = "192.0.2.1", .ok = true, .der = d, .der_len = l, .n = 1
	};
	struct cert_info info;
	struct findings fs;
	findings_init(&fs);
	cert_describe(&o, NULL, NOW, &info);
	assert_false(info.parsed);
	const struct cert_view v = {
		.host = "www.example", .obs = &o, .n = 1, .warn_days = 21
	};
	assert_int_equal(cert_checks_run(&v, NOW, &fs), 0);
	assert_int_equal(fs.n, 0);
	findings_deinit(&fs);
}

/* Evidence holding the one "tls" record REC (format 2, an object), or
 * NULL with the loader's reason in ERR. */
static struct evidence *with_tls(json_t *rec, char *err, size_t len)
{
	json_t *j = json_pack("{s:i, s:s, s:i, s:[], s:{s:i, s:f}, s:[O]}",
			      "dnsdoctor_evidence", 2, "domain", "www.example.",
			      "started", 0, "exchanges", "cert", "port", 443,
			      "warn_days", 21.0, "tls", rec);
	struct evidence *ev = evidence_from_json(j, err, len);
	json_decref(j);
	return ev;
}

/* A record as the probe writes it, read back into an observation that
 * judges like the original; broken records are refused, never half-read. */
static void test_cert_tls_record_roundtrip(void **state)
{
	(void)state;
	struct made a = make("www.example", -DAY, 60 * DAY);
	json_t *hex = ev_hex_json(a.der, a.len);
	json_t *rec = json_pack("{s:s, s:i, s:s, s:s, s:s, s:[o]}", "addr",
				"192.0.2.1", "port", 443, "host", "www.example",
				"status", "ok", "detail", "", "chain", hex);
	char err[160];
	struct evidence *ev = with_tls(rec, err, sizeof(err));
	assert_non_null(ev);
	assert_int_equal(ev->n_tls, 1);
	assert_string_equal(ev->tls[0].addr, "192.0.2.1");
	assert_int_equal(ev->tls[0].port, 443);
	assert_int_equal(ev->tls[0].n, 1);
	assert_memory_equal(ev->tls[0].der[0], a.der, a.len);
	struct cert_obs o = cert_obs_of(&ev->tls[0]);
	assert_true(o.ok);
	struct cert_info info;
	cert_describe(&o, NULL, NOW, &info);
	assert_true(info.parsed);
	assert_string_equal(info.names, "www.example");
	/* Written back, the record is the same object. */
	json_t *back = evidence_to_json(ev);
	assert_true(json_equal(json_array_get(json_object_get(back, "tls"), 0),
			       rec));
	json_decref(back);
	evidence_free(ev);

	static const char *const bad[] = {
		"\"\"",
		"[]",
		"{\"addr\": 1}",
		"{\"addr\": \"a\", \"status\": \"ok\", \"port\": 0, \"chain\": "
		"[]}",
		"{\"addr\": \"a\", \"status\": \"ok\", \"port\": 443, "
		"\"chain\": [\"0g\"]}",
		"{\"addr\": \"a\", \"status\": \"ok\", \"port\": 443, "
		"\"chain\": [\"3082\", 7]}",
		/* format 1: the object as text */
		"\"{\\\"addr\\\": 1}\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *b = json_loads(bad[i], JSON_DECODE_ANY, NULL);
		assert_non_null(b);
		assert_null(with_tls(b, err, sizeof(err)));
		assert_non_null(strstr(err, "not a TLS result"));
		json_decref(b);
	}
	json_decref(rec);
	unmake(&a);
}

static void test_cert_opts_and_store(void **state)
{
	(void)state;
	struct made root = make("root.example", -DAY, 60 * DAY);
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, root.x);
	char *pem = NULL;
	long len = BIO_get_mem_data(b, &pem);
	char *item = malloc((size_t)len + 8);
	memcpy(item, "ca_pem=", 7);
	memcpy(item + 7, pem, (size_t)len);
	item[7 + len] = '\0';
	/* Format 1 kept the options as words. */
	json_t *j = json_pack("{s:i, s:s, s:i, s:[], s:[s, s, s, s]}",
			      "dnsdoctor_evidence", 1, "domain", "www.example.",
			      "started", 0, "exchanges", "cert", "port=8443",
			      "warn_days=7.5", item, "port=99999");
	char err[160];
	struct evidence *ev = evidence_from_json(j, err, sizeof(err));
	json_decref(j);
	assert_non_null(ev);
	struct cert_opts co;
	cert_opts_read(ev, &co);
	assert_int_equal(co.port, 8443); /* an out-of-range port is ignored */
	assert_true(co.warn_days == 7.5);
	assert_non_null(co.ca_pem);
	X509_STORE *st = cert_store_from_pem(co.ca_pem);
	assert_non_null(st);
	X509_STORE_free(st);
	assert_null(cert_store_from_pem("not a certificate"));
	ev->cert.set = false;
	cert_opts_read(ev, &co);
	assert_int_equal(co.port, 443);
	assert_null(co.ca_pem);
	evidence_free(ev);
	free(item);
	BIO_free(b);
	unmake(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cert_clean),
		cmocka_unit_test(test_cert_expired_and_not_yet_valid),
		cmocka_unit_test(test_cert_warn_window),
		cmocka_unit_test(test_cert_name),
		cmocka_unit_test(test_cert_chain),
		cmocka_unit_test(test_cert_differs),
		cmocka_unit_test(test_cert_garbage),
		cmocka_unit_test(test_cert_tls_record_roundtrip),
		cmocka_unit_test(test_cert_opts_and_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
