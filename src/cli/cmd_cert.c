/* dnsdoctor cert HOST[:PORT]: the certificate on every address of HOST,
 * as the authoritative servers give the addresses. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/x509.h>
#include "cli/common.h"
#include "core/cert.h"
#include "engine/tls.h"
#include "probe/probe.h"
#include "probe/probe_acme.h"
#include "report/report.h"
#include "report/sanitize.h"

/* Splits "HOST[:PORT]" into HOST and *PORT (443 by default). 0 or -1. */
static int host_port(const char *arg, char *host, size_t len, uint16_t *port)
{
	const char *colon = strrchr(arg, ':');
	*port = 443;
	if (strlen(arg) >= len) {
		die("cert wants HOST or HOST:PORT, not a name that long");
		return -1;
	}
	if (!colon) {
		snprintf(host, len, "%s", arg);
		return 0;
	}
	char *end = NULL;
	long p = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || p < 1 || p > 65535 || (size_t)(colon - arg) >= len) {
		die("cert wants HOST or HOST:PORT (a port from 1 to 65535)");
		return -1;
	}
	snprintf(host, len, "%.*s", (int)(colon - arg), arg);
	*port = (uint16_t)p;
	return 0;
}

static X509_STORE *load_store(const struct opts *o)
{
	X509_STORE *s = X509_STORE_new();
	if (!s) {
		die("out of memory");
		return NULL;
	}
	if (o->ca_file ? X509_STORE_load_file(s, o->ca_file) != 1
		       : X509_STORE_set_default_paths(s) != 1) {
		die("cannot load trusted roots from %.200s",
		    o->ca_file ? o->ca_file : "the system store");
		X509_STORE_free(s);
		return NULL;
	}
	return s;
}

static void text_report(const char *host, uint16_t port,
			const struct tls_fetch *t, const struct cert_info *info,
			size_t n, const struct findings *fs, FILE *f)
{
	fprintf(f, "%s port %u: %s\n\n", host, port, report_verdict_word(fs));
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %-16s ", t[i].addr);
		if (t[i].status != TS_OK || !info[i].parsed) {
			fprintf(f, "%s ", tls_status_name(t[i].status));
			fputs_safe(t[i].detail, f);
			fputc('\n', f);
			continue;
		}
		fputs("until ", f);
		fputs_safe(info[i].not_after, f);
		fputs("  sha256 ", f);
		fprintf(f, "%.16s  ", info[i].sha256);
		fputs_safe(info[i].names[0] ? info[i].names : info[i].subject, f);
		fputs("  chain ", f);
		fputs_safe(info[i].chain, f);
		fputc('\n', f);
	}
	fprintf(f, "\nFindings (%zu)\n", fs->n);
	for (size_t i = 0; i < fs->n; i++) {
		fprintf(f, "  %-7s %s\n          ", severity_name(fs->v[i].severity),
			finding_defs[fs->v[i].code].name);
		fputs_safe(fs->v[i].summary, f);
		fputs("\n          ", f);
		fputs_safe(fs->v[i].fix, f);
		fputc('\n', f);
	}
}

static int json_report(const char *host, uint16_t port,
		       const struct tls_fetch *t, const struct cert_info *info,
		       size_t n, const struct findings *fs, FILE *f)
{
	json_t *addrs = json_array(), *finds = json_array();
	for (size_t i = 0; addrs && i < n; i++) {
		json_t *a = json_pack("{s:s, s:s, s:s}", "address", t[i].addr,
				      "status", tls_status_name(t[i].status),
				      "detail", t[i].detail);
		if (a && info[i].parsed)
			json_object_update_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
				"subject", info[i].subject, "issuer", info[i].issuer,
				"not_after", info[i].not_after, "sha256", info[i].sha256,
				"names", info[i].names, "chain", info[i].chain));
		json_array_append_new(addrs, a);
	}
	for (size_t i = 0; finds && i < fs->n; i++)
		json_array_append_new(finds, json_pack("{s:s, s:s, s:s, s:s, s:O}",
			"code", finding_defs[fs->v[i].code].name,
			"severity", severity_name(fs->v[i].severity),
			"summary", fs->v[i].summary, "fix", fs->v[i].fix,
			"evidence", fs->v[i].evidence));
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:i, s:o, s:o}",
			      "dnsdoctor", DD_VERSION, "command", "cert", "host", host,
			      "port", (json_int_t)port, "verdict", report_verdict_word(fs),
			      "exit", report_exit_code(fs), "addresses", addrs,
			      "findings", finds);
	if (!o)
		return -ENOMEM;
	int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) < 0 ? -EIO : 0;
	fputc('\n', f);
	json_decref(o);
	return rc;
}

int cmd_cert(const struct opts *o)
{
	char arg[300], domain[256], host[256];
	uint16_t port;
	struct hints hints = { 0 };
	struct engine *eng = NULL;
	struct evidence *ev = NULL, *replay = NULL;
	struct strset addrs;
	struct tls_fetch *t = NULL;
	struct cert_info *info = NULL;
	struct cert_obs *obs = NULL;
	X509_STORE *store = NULL;
	struct findings fs;
	int code = EXIT_UNKNOWN;

	strset_init(&addrs);
	findings_init(&fs);
	if (o->n_args != 1)
		return die("cert wants exactly one HOST[:PORT] (see dnsdoctor --help)");
	if (o->replay)
		return die("cert cannot replay evidence: TLS is not recorded");
	snprintf(arg, sizeof(arg), "%s", o->args[0]);
	if (host_port(arg, host, sizeof(host), &port) < 0 ||
	    domain_arg(host, domain, sizeof(domain)) < 0 ||
	    !(store = load_store(o)) || load_hints(o, &hints) < 0 ||
	    make_engine(o, &eng, &replay) < 0)
		goto out;
	/* A server that closes mid-handshake must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	ev = evidence_new(domain, (int64_t)time(NULL));
	if (!ev) {
		die("out of memory");
		goto out;
	}
	struct probe_config cfg = { .roots = &hints, .family = o->family };
	int rc = probe_check(eng, &cfg, ev);
	if (rc == 0)
		rc = probe_host_addrs(eng, &cfg, ev, &addrs);
	if (probe_failed(rc))
		goto out;
	if (addrs.n == 0) {
		die("%s has no A or AAAA record at its authoritative servers", domain);
		goto out;
	}
	snprintf(host, sizeof(host), "%.*s", (int)strlen(domain) - 1, domain);
	t = calloc(addrs.n, sizeof(*t));
	info = calloc(addrs.n, sizeof(*info));
	obs = calloc(addrs.n, sizeof(*obs));
	if (!t || !info || !obs) {
		die("out of memory");
		goto out;
	}
	uint32_t ms = o->timeout * 2000 > 5000 ? (uint32_t)(o->timeout * 2000) : 5000;
	for (size_t i = 0; i < addrs.n; i++)
		t[i] = (struct tls_fetch){ .host = host, .addr = addrs.v[i],
					   .port = port, .timeout_ms = ms };
	if (tls_fetch_all(t, addrs.n) < 0) {
		die("out of memory");
		goto out;
	}
	time_t now = time(NULL);
	size_t ok = 0;
	for (size_t i = 0; i < addrs.n; i++) {
		obs[i] = (struct cert_obs){ .addr = t[i].addr, .ok = t[i].status == TS_OK,
			.der = (const uint8_t *const *)t[i].der, .der_len = t[i].der_len,
			.n = t[i].n };
		cert_describe(&obs[i], store, now, &info[i]);
		ok += info[i].parsed;
	}
	if (cert_check(host, obs, addrs.n, store, now, o->warn_days, &fs) < 0) {
		die("out of memory");
		goto out;
	}
	if (o->json) {
		if (json_report(host, port, t, info, addrs.n, &fs, stdout) < 0) {
			die("cannot write the report");
			goto out;
		}
	} else {
		text_report(host, port, t, info, addrs.n, &fs, stdout);
	}
	/* No address completed a handshake: nothing was judged. */
	code = ok ? report_exit_code(&fs) : EXIT_UNKNOWN;
out:
	for (size_t i = 0; t && i < addrs.n; i++)
		tls_fetch_deinit(&t[i]);
	free(t);
	free(info);
	free(obs);
	X509_STORE_free(store);
	findings_deinit(&fs);
	strset_deinit(&addrs);
	engine_free(eng);
	evidence_free(replay);
	evidence_free(ev);
	hints_deinit(&hints);
	return code;
}
