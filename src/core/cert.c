#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <jansson.h>
#include "core/cert.h"
#include "core/fetch_status.h"
#include "core/evidence_json.h"

void cert_opts_read(const struct evidence *ev, struct cert_opts *out)
{
	*out = (struct cert_opts){ .port = 443, .warn_days = 21 };
	if (!ev->cert.set)
		return;
	out->port = ev->cert.port;
	out->warn_days = ev->cert.warn_days;
	out->ca_pem = ev->cert.ca_pem;
}

X509_STORE *cert_store_from_pem(const char *pem)
{
	X509_STORE *st = X509_STORE_new();
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *x;
	int n = 0;
	while (st && b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		n += X509_STORE_add_cert(st, x) == 1;
		X509_free(x);
	}
	ERR_clear_error();
	BIO_free(b);
	if (st && n == 0) {
		X509_STORE_free(st);
		st = NULL;
	}
	return st;
}

struct cert_obs cert_obs_of(const struct ev_tls *t)
{
	return (struct cert_obs){ .addr = t->addr,
				  .ok = t->status == TS_OK,
				  .der = (const uint8_t *const *)t->der,
				  .der_len = t->der_len,
				  .n = t->n };
}

static X509 *leaf_of(const struct cert_obs *o)
{
	if (!o->ok || o->n == 0)
		return NULL;
	const unsigned char *p = o->der[0];
	return d2i_X509(NULL, &p, (long)o->der_len[0]);
}

static void name_line(const X509_NAME *nm, char *out, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	out[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253) >= 0) {
		int n = BIO_read(b, out, (int)len - 1);
		out[n > 0 ? n : 0] = '\0';
	}
	BIO_free(b);
}

/* T as text into OUT, and as seconds since the epoch (0 unknown). */
static int64_t time_text(const ASN1_TIME *t, char *out, size_t len)
{
	struct tm tm;
	out[0] = '\0';
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return (int64_t)timegm(&tm);
}

static void dns_names(X509 *x, char *out, size_t len)
{
	GENERAL_NAMES *gens =
		X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		if (g->type != GEN_DNS)
			continue;
		const unsigned char *s = ASN1_STRING_get0_data(g->d.dNSName);
		int n = ASN1_STRING_length(g->d.dNSName);
		if (used + (size_t)n + 3 >= len)
			break;
		if (used) {
			memcpy(out + used, ", ", 2);
			used += 2;
		}
		/* Network bytes: only what a host name may hold survives. */
		for (int k = 0; k < n; k++)
			out[used++] = s[k] > 0x20 && s[k] < 0x7f ? (char)s[k]
								 : '?';
		out[used] = '\0';
	}
	GENERAL_NAMES_free(gens);
}

/* Verifies LEAF with the rest of O's chain as untrusted intermediates.
 * Time is not checked here: expiry has codes of its own. */
static void chain_text(const struct cert_obs *o, X509 *leaf, X509_STORE *store,
		       time_t now, char *out, size_t len)
{
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	snprintf(out, len, "not checked");
	if (!untrusted || !ctx || !store)
		goto out;
	for (size_t i = 1; i < o->n; i++) {
		const unsigned char *p = o->der[i];
		X509 *c = d2i_X509(NULL, &p, (long)o->der_len[i]);
		if (c && !sk_X509_push(untrusted, c))
			X509_free(c);
	}
	if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1)
		goto out;
	/* No time at all (set_time would win over NO_CHECK_TIME): an expired
	 * certificate is CERT_EXPIRED, not also an incomplete chain. */
	X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
				    X509_V_FLAG_NO_CHECK_TIME);
	if (X509_verify_cert(ctx) == 1)
		snprintf(out, len, "ok");
	else
		snprintf(out, len, "%s",
			 X509_verify_cert_error_string(
				 X509_STORE_CTX_get_error(ctx)));
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(untrusted, X509_free);
}

void cert_describe(const struct cert_obs *o, X509_STORE *store, time_t now,
		   struct cert_info *info)
{
	memset(info, 0, sizeof(*info));
	X509 *x = leaf_of(o);
	if (!x)
		return;
	info->parsed = true;
	name_line(X509_get_subject_name(x), info->subject,
		  sizeof(info->subject));
	name_line(X509_get_issuer_name(x), info->issuer, sizeof(info->issuer));
	info->not_after_s = time_text(X509_get0_notAfter(x), info->not_after,
				      sizeof(info->not_after));
	dns_names(x, info->names, sizeof(info->names));
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (EVP_Digest(o->der[0], o->der_len[0], md, &mdlen, EVP_sha256(),
		       NULL) == 1)
		for (unsigned i = 0; i < mdlen && i < 32; i++)
			snprintf(info->sha256 + 2 * i, 3, "%02x", md[i]);
	chain_text(o, x, store, now, info->chain, sizeof(info->chain));
	X509_free(x);
}

/* Addresses and facts gathered per code, one finding each. */
struct group {
	FILE *f;
	char *text;
	size_t len;
	json_t *items;
	int n;
};

static int group_add(struct group *g, const char *addr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int group_add(struct group *g, const char *addr, const char *fmt, ...)
{
	va_list ap;
	if (!g->f && !(g->f = open_memstream(&g->text, &g->len)))
		return -ENOMEM;
	if (!g->items && !(g->items = json_array()))
		return -ENOMEM;
	fprintf(g->f, "%s%s (", g->n++ ? "; " : "", addr);
	va_start(ap, fmt);
	vfprintf(g->f, fmt, ap);
	va_end(ap);
	fputc(')', g->f);
	json_array_append_new(g->items, json_string(addr));
	return 0;
}

static int group_emit(struct group *g, struct findings *out,
		      enum finding_code code, const char *host,
		      const char *what, const char *fix)
{
	if (!g->n)
		return 0;
	fclose(g->f);
	g->f = NULL;
	json_t *ev =
		json_pack("{s:s, s:o}", "host", host, "addresses", g->items);
	g->items = NULL;
	return findings_add(out, code, ev, fix, "%s %s: %s.", host, what,
			    g->text ? g->text : "");
}

static void group_free(struct group *g)
{
	if (g->f)
		fclose(g->f);
	free(g->text);
	json_decref(g->items);
}

int cert_checks_run(const struct cert_view *v, time_t now, struct findings *out)
{
	const char *host = v->host;
	const struct cert_obs *o = v->obs;
	struct group expired = { 0 }, soon = { 0 }, name = { 0 }, chain = { 0 },
		     differs = { 0 };
	int rc = 0, distinct = 0;
	char first[65] = "";
	time_t warn_at = now + (time_t)(v->warn_days * 86400);

	for (size_t i = 0; rc == 0 && i < v->n; i++) {
		struct cert_info info;
		X509 *x = leaf_of(&o[i]);
		if (!x)
			continue;
		cert_describe(&o[i], v->store, now, &info);
		const ASN1_TIME *na = X509_get0_notAfter(x);
		const ASN1_TIME *nb = X509_get0_notBefore(x);
		if (X509_cmp_time(na, &now) < 0 || X509_cmp_time(nb, &now) > 0)
			rc = group_add(&expired, o[i].addr, "valid until %s",
				       info.not_after);
		else if (X509_cmp_time(na, &warn_at) < 0)
			rc = group_add(&soon, o[i].addr, "valid until %s",
				       info.not_after);
		if (rc == 0 && X509_check_host(x, host, 0, 0, NULL) != 1)
			rc = group_add(&name, o[i].addr, "covers %s",
				       info.names[0] ? info.names
						     : info.subject);
		if (rc == 0 && strcmp(info.chain, "ok") != 0)
			rc = group_add(&chain, o[i].addr, "%s", info.chain);
		if (rc == 0) {
			if (!first[0])
				snprintf(first, sizeof(first), "%s",
					 info.sha256);
			distinct |= strcmp(first, info.sha256) != 0;
			rc = group_add(&differs, o[i].addr,
				       "SHA-256 %.16s..., until %s, %s",
				       info.sha256, info.not_after,
				       info.names[0] ? info.names
						     : info.subject);
		}
		X509_free(x);
	}
	if (rc == 0)
		rc = group_emit(&expired, out, F_CERT_EXPIRED, host,
				"serves a certificate that has expired (or is "
				"not valid yet) at",
				"Deploy the renewed certificate to every "
				"server behind these addresses and reload "
				"them; check that renewal (certbot/lego timer, "
				"ACM) runs.");
	if (rc == 0)
		rc = group_emit(&soon, out, F_CERT_EXPIRING_SOON, host,
				"serves a certificate that expires soon at",
				"Renew now, and find out why automatic renewal "
				"has not (ACME clients renew 30 days before "
				"expiry).");
	if (rc == 0)
		rc = group_emit(&name, out, F_CERT_NAME_MISMATCH, host,
				"is not among the names of the certificate "
				"served at",
				"Serve a certificate whose subjectAltName "
				"covers the name (or add the name to the "
				"certificate and reissue); check the server's "
				"SNI configuration.");
	if (rc == 0)
		rc = group_emit(&chain, out, F_CERT_CHAIN_INCOMPLETE, host,
				"serves a chain that does not lead to a "
				"trusted root at",
				"Serve the full chain (the leaf and every "
				"intermediate: fullchain.pem, not cert.pem).");
	if (rc == 0 && distinct)
		rc = group_emit(&differs, out, F_CERT_DIFFERS_ACROSS_ADDRESSES,
				host,
				"serves different certificates on different "
				"addresses",
				"Deploy the same (current) certificate to "
				"every server and load balancer behind the "
				"name.");
	group_free(&expired);
	group_free(&soon);
	group_free(&name);
	group_free(&chain);
	group_free(&differs);
	return rc;
}
