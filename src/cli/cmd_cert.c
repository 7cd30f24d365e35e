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
#include "probe/probe.h"
#include "probe/probe_acme.h"
#include "probe/probe_cert.h"
#include "report/report.h"
#include "report/sanitize.h"
#include "core/validation.h"

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

/* The roots the evidence names, or the system store. */
static X509_STORE *load_store(const struct cert_opts *co)
{
	X509_STORE *s = co->ca_pem ? cert_store_from_pem(co->ca_pem) : X509_STORE_new();
	if (!s) {
		die(co->ca_pem ? "the --ca-file holds no PEM certificate" : "out of memory");
		return NULL;
	}
	if (!co->ca_pem && X509_STORE_set_default_paths(s) != 1) {
		die("cannot load trusted roots from the system store");
		X509_STORE_free(s);
		return NULL;
	}
	return s;
}

static void text_report(const char *host, uint16_t port,
			const struct cert_seen *t, const struct cert_info *info,
			size_t n, const struct findings *fs, FILE *f)
{
	fprintf(f, "%s port %u: %s\n\n", host, port, report_verdict_word(fs));
	for (size_t i = 0; i < n; i++) {
		fputs("  ", f);
		fputs_safe(t[i].addr, f);
		fprintf(f, "%*s", (int)(strlen(t[i].addr) < 16 ? 17 - strlen(t[i].addr) : 1), "");
		if (!info[i].parsed) {
			fputs_safe(t[i].status, f);
			fputc(' ', f);
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
		       const struct cert_seen *t, const struct cert_info *info,
		       size_t n, const struct findings *fs, FILE *f)
{
	json_t *addrs = json_array(), *finds = json_array();
	for (size_t i = 0; addrs && i < n; i++) {
		json_t *a = json_pack("{s:s, s:s, s:s}", "address", t[i].addr,
				      "status", t[i].status, "detail", t[i].detail);
		if (a && info[i].parsed)
			json_object_update_new(a, json_pack("{s:o, s:o, s:s, s:s, s:o, s:o}",
				"subject", json_safe(info[i].subject),
				"issuer", json_safe(info[i].issuer),
				"not_after", info[i].not_after, "sha256", info[i].sha256,
				"names", json_safe(info[i].names),
				"chain", json_safe(info[i].chain)));
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

int report_cert_evidence(const struct opts *o, const struct evidence *ev)
{
	struct cert_opts co;
	struct cert_seen *seen = calloc(ev->tls.n ? ev->tls.n : 1, sizeof(*seen));
	struct cert_info *info = calloc(ev->tls.n ? ev->tls.n : 1, sizeof(*info));
	struct cert_obs *obs = calloc(ev->tls.n ? ev->tls.n : 1, sizeof(*obs));
	X509_STORE *store = NULL;
	struct findings fs;
	char host[256];
	size_t n = 0, ok = 0;
	int code = EXIT_UNKNOWN;

	findings_init(&fs);
	cert_opts_read(ev, &co);
	snprintf(host, sizeof(host), "%.*s", (int)strlen(ev->domain) - 1, ev->domain);
	if (!seen || !info || !obs) {
		die("out of memory");
		goto out;
	}
	if (!(store = load_store(&co)))
		goto out;
	for (size_t i = 0; i < ev->tls.n; i++) {
		int rc = cert_seen_read(ev->tls.v[i], &seen[n]);
		if (rc == -ENOMEM) {
			die("out of memory");
			goto out;
		}
		if (rc < 0) {
			die("evidence tls record %zu is not a TLS result", i);
			goto out;
		}
		obs[n] = cert_obs_of(&seen[n]);
		cert_describe(&obs[n], store, (time_t)ev->started, &info[n]);
		ok += info[n++].parsed;
	}
	if (n == 0) {
		die("%s has no A or AAAA record at its authoritative servers", ev->domain);
		goto out;
	}
	if (!ok) {
		/* Nothing was judged: status 3, one line (docs/exit-codes.md). */
		die("no address of %s completed a TLS handshake on port %u: %s %s%s%s%s",
		    host, co.port, seen[0].addr, seen[0].status,
		    seen[0].detail[0] ? " (" : "", seen[0].detail, seen[0].detail[0] ? ")" : "");
		goto out;
	}
	if (cert_check(host, obs, n, store, (time_t)ev->started, co.warn_days, &fs) < 0) {
		die("out of memory");
		goto out;
	}
	findings_sort(&fs);
	if (o->json) {
		if (json_report(host, co.port, seen, info, n, &fs, stdout) < 0) {
			die("cannot write the report");
			goto out;
		}
	} else {
		text_report(host, co.port, seen, info, n, &fs, stdout);
	}
	code = report_exit_code(&fs);
out:
	for (size_t i = 0; seen && i < n; i++)
		cert_seen_deinit(&seen[i]);
	free(seen);
	free(info);
	free(obs);
	X509_STORE_free(store);
	findings_deinit(&fs);
	return code;
}

/* A bundle of every public root is about 200 KiB. */
#define CA_FILE_MAX (4u << 20)

static int add_ca_pem(struct evidence *ev, const char *pem)
{
	size_t len = strlen(pem);
	char *item = malloc(len + 8);
	if (!item)
		return die("out of memory"), -1;
	memcpy(item, "ca_pem=", 7);
	memcpy(item + 7, pem, len + 1);
	int rc = ev_strings_add(&ev->cert, item) < 0 ? (die("out of memory"), -1) : 0;
	free(item);
	return rc;
}

/* Records what `cert` was asked, so `analyze` judges the same way. */
static int record_opts(const struct opts *o, struct evidence *ev, uint16_t port)
{
	char line[64];
	snprintf(line, sizeof(line), "port=%u", port);
	if (ev_strings_add(&ev->cert, line) < 0)
		return die("out of memory"), -1;
	snprintf(line, sizeof(line), "warn_days=%g", o->warn_days);
	if (ev_strings_add(&ev->cert, line) < 0)
		return die("out of memory"), -1;
	if (!o->ca_file)
		return 0;
	size_t len;
	char *pem = read_file_capped("--ca-file", o->ca_file, CA_FILE_MAX, &len);
	if (!pem)
		return -1;
	if (strlen(pem) != len) {
		free(pem);
		return die("%.200s is not a PEM file", o->ca_file), -1;
	}
	/* Refused before any query is sent, not after the probe. */
	X509_STORE *st = cert_store_from_pem(pem);
	if (!st) {
		free(pem);
		return die("the --ca-file holds no PEM certificate"), -1;
	}
	X509_STORE_free(st);
	int rc = add_ca_pem(ev, pem);
	free(pem);
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
	int code = EXIT_UNKNOWN;

	strset_init(&addrs);
	if (o->n_args != 1)
		return die("cert wants exactly one HOST[:PORT] (see dnsdoctor --help)");
	snprintf(arg, sizeof(arg), "%s", o->args[0]);
	if (host_port(arg, host, sizeof(host), &port) < 0 ||
	    domain_arg(host, domain, sizeof(domain)) < 0 ||
	    load_hints(o, &hints) < 0 || make_engine(o, &eng, &replay) < 0)
		goto out;
	/* A server that closes mid-handshake must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	ev = evidence_new(domain, (int64_t)time(NULL));
	if (!ev) {
		die("out of memory");
		goto out;
	}
	if (replay)
		ev->started = replay->started;
	if (!(ev->command = strdup("cert"))) {
		die("out of memory");
		goto out;
	}
	if (record_opts(o, ev, port) < 0)
		goto out;
	/* A replay judges against the roots it was recorded with, unless
	 * --ca-file names others. */
	struct cert_opts was;
	if (replay && !o->ca_file) {
		cert_opts_read(replay, &was);
		if (was.ca_pem && (add_ca_pem(ev, was.ca_pem) < 0))
			goto out;
	}
	struct probe_config cfg = { .roots = &hints, .family = o->family };
	int rc = probe_check(eng, &cfg, ev);
	if (rc == 0)
		rc = probe_host_addrs(eng, &cfg, ev, &addrs);
	snprintf(host, sizeof(host), "%.*s", (int)strlen(domain) - 1, domain);
	uint32_t ms = o->timeout * 2000 > 5000 ? (uint32_t)(o->timeout * 2000) : 5000;
	if (rc == 0)
		rc = probe_tls(eng, ev, host, port, &addrs, o->family, ms);
	if (probe_failed(rc))
		goto out;
	if (o->save_evidence && save_evidence(ev, o->save_evidence) < 0)
		goto out;
	code = report_cert_evidence(o, ev);
out:
	strset_deinit(&addrs);
	engine_free(eng);
	evidence_free(replay);
	evidence_free(ev);
	hints_deinit(&hints);
	return code;
}
