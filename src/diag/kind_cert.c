/* `cert HOST[:PORT]`: the certificate on every address of HOST, as the
 * authoritative servers give the addresses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/x509.h>
#include "core/cert.h"
#include "core/fetch_status.h"
#include "core/dnsmsg.h"
#include "core/view.h"
#include "diag/inputs.h"
#include "diag/kinds.h"
#include "engine/engine.h"
#include "probe/probe.h"
#include "probe/probe_acme.h"
#include "probe/probe_cert.h"
#include "report/cert_report.h"
#include "report/nagios.h"

struct cert_state {
	char host[256];
	uint16_t port;
	const struct ev_tls *seen; /* into the evidence */
	struct cert_info *info;
	size_t n;
};

/* Splits "HOST[:PORT]" into HOST and *PORT (443 by default). 0 or -1. */
static int host_port(struct diag *d, const char *arg, char *host, size_t len,
		     uint16_t *port)
{
	const char *colon = strrchr(arg, ':');
	*port = 443;
	if (strlen(arg) >= len) {
		diag_fail(d, "cert wants HOST or HOST:PORT, not a name that "
			     "long");
		return -1;
	}
	if (!colon) {
		snprintf(host, len, "%s", arg);
		return 0;
	}
	char *end = NULL;
	long p = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || p < 1 || p > 65535 ||
	    (size_t)(colon - arg) >= len) {
		diag_fail(d, "cert wants HOST or HOST:PORT (a port from 1 to "
			     "65535)");
		return -1;
	}
	snprintf(host, len, "%.*s", (int)(colon - arg), arg);
	*port = (uint16_t)p;
	return 0;
}

/* The roots the evidence names, or the system store. */
static X509_STORE *load_store(struct diag *d, const struct cert_opts *co)
{
	X509_STORE *s = co->ca_pem ? cert_store_from_pem(co->ca_pem)
				   : X509_STORE_new();
	if (!s) {
		diag_fail(d, co->ca_pem ? "the --ca-file holds no PEM "
					  "certificate"
					: "out of memory");
		return NULL;
	}
	if (!co->ca_pem && X509_STORE_set_default_paths(s) != 1) {
		diag_fail(d, "cannot load trusted roots from the system store");
		X509_STORE_free(s);
		return NULL;
	}
	return s;
}

/* A bundle of every public root is about 200 KiB. */
#define CA_FILE_MAX (4u << 20)

/* Records what `cert` was asked, so `analyze` judges the same way. */
static int record_opts(struct diag *d, const struct diag_request *o,
		       struct evidence *ev, uint16_t port)
{
	ev->cert = (struct ev_cert_opts){ .set = true,
					  .port = port,
					  .warn_days = o->warn_days };
	if (!o->ca_file)
		return 0;
	size_t len;
	char *pem =
		diag_read_file(d, "--ca-file", o->ca_file, CA_FILE_MAX, &len);
	if (!pem)
		return -1;
	if (strlen(pem) != len) {
		free(pem);
		return diag_fail(d, "%.200s is not a PEM file", o->ca_file), -1;
	}
	/* Refused before any query is sent, not after the probe. */
	X509_STORE *st = cert_store_from_pem(pem);
	if (!st) {
		free(pem);
		return diag_fail(d, "the --ca-file holds no PEM certificate"),
		       -1;
	}
	X509_STORE_free(st);
	ev->cert.ca_pem = pem;
	return 0;
}

static int cert_gather(struct diag *d, struct diag_env *env)
{
	const struct diag_request *o = d->req;
	char arg[300], domain[256], host[256];
	uint16_t port;
	struct hints hints = { 0 };
	struct strset addrs;
	int ret = -1;

	strset_init(&addrs);
	if (o->n_args != 1)
		return diag_fail(d, "cert wants exactly one HOST[:PORT] (see "
				    "dnsdoctor --help)");
	snprintf(arg, sizeof(arg), "%s", o->args[0]);
	if (host_port(d, arg, host, sizeof(host), &port) < 0 ||
	    diag_domain_arg(d, host, domain, sizeof(domain)) < 0 ||
	    diag_replay_matches(d, domain) < 0 ||
	    diag_load_hints(d, o, &hints) < 0)
		goto out;
	if (diag_evidence_start(d, domain, &hints, NULL) < 0)
		goto out;
	if (record_opts(d, o, d->ev, port) < 0)
		goto out;
	/* A replay judges against the roots it was recorded with, unless
	 * --ca-file names others. */
	struct cert_opts was;
	if (env->replay && !o->ca_file) {
		cert_opts_read(env->replay, &was);
		if (was.ca_pem &&
		    ev_set_string(&d->ev->cert.ca_pem, was.ca_pem) < 0) {
			diag_fail(d, "out of memory");
			goto out;
		}
	}
	struct probe_config cfg = { .roots = &hints, .family = o->family };
	int rc = probe_check(env->eng, &cfg, d->ev);
	if (rc == 0)
		rc = probe_host_addrs(env->eng, &cfg, d->ev, &addrs);
	snprintf(host, sizeof(host), "%.*s", (int)strlen(domain) - 1, domain);
	uint32_t ms = o->timeout * 2000 > 5000 ? (uint32_t)(o->timeout * 2000)
					       : 5000;
	if (rc == 0)
		rc = probe_tls(env->eng, d->ev, host, port, &addrs, o->family,
			       ms);
	if (diag_probe_failed(d, rc))
		goto out;
	if (o->save_evidence &&
	    diag_save_evidence(d, d->ev, o->save_evidence) < 0)
		goto out;
	ret = 0;
out:
	strset_deinit(&addrs);
	hints_deinit(&hints);
	return ret;
}

/* Why no address was tried: "no such record" is only said when the
 * authoritative servers were asked and answered. */
static void no_address(struct diag *d, const struct evidence *ev)
{
	struct view v;
	bool answered = false, asked = false;
	if (view_build(ev, &v) < 0) {
		diag_fail(d, "out of memory");
		return;
	}
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != EV_VALIDATION ||
		    strcmp(x->qname, ev->domain) != 0 ||
		    (x->qtype != LDNS_RR_TYPE_A &&
		     x->qtype != LDNS_RR_TYPE_AAAA))
			continue;
		asked = true;
		/* An answer counts when a server answers for the zone: AA,
		 * NOERROR or NXDOMAIN (REFUSED or SERVFAIL says nothing). */
		ldns_pkt *pkt = x->status == QS_OK
					? dmsg_parse(x->wire, x->wire_len)
					: NULL;
		if (pkt && ldns_pkt_aa(pkt) &&
		    (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR ||
		     ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN))
			answered = true;
		ldns_pkt_free(pkt);
	}
	if (v.pstate == PS_NXDOMAIN)
		diag_fail(d, "%s does not exist: the parent zone %s denies it",
			  ev->domain, v.parent);
	else if (v.pstate != PS_DELEGATED)
		diag_fail(d,
			  "no server on the way to %s answered: its addresses "
			  "could not be asked",
			  ev->domain);
	else if (answered)
		diag_fail(d,
			  "%s has no A or AAAA record at its authoritative "
			  "servers",
			  ev->domain);
	else
		diag_fail(d,
			  "the addresses of %s are unknown: no authoritative "
			  "server of %s answered for them%s (dnsdoctor check "
			  "%s says why)",
			  ev->domain, v.zone,
			  asked ? "" : ", none was reachable", v.zone);
	view_deinit(&v);
}

static int cert_judge(struct diag *d)
{
	const struct evidence *ev = d->ev;
	struct cert_opts co;
	struct cert_obs *obs = calloc(ev->n_tls ? ev->n_tls : 1, sizeof(*obs));
	struct cert_state *s = calloc(1, sizeof(*s));
	X509_STORE *store = NULL;
	size_t ok = 0;
	int ret = -1;

	d->state = s;
	if (!s || !obs ||
	    !(s->info = calloc(ev->n_tls ? ev->n_tls : 1, sizeof(*s->info)))) {
		diag_fail(d, "out of memory");
		goto out;
	}
	cert_opts_read(ev, &co);
	s->port = co.port;
	snprintf(s->host, sizeof(s->host), "%.*s", (int)strlen(ev->domain) - 1,
		 ev->domain);
	if (!(store = load_store(d, &co)))
		goto out;
	s->seen = ev->tls;
	for (size_t i = 0; i < ev->n_tls; i++) {
		obs[s->n] = cert_obs_of(&s->seen[s->n]);
		cert_describe(&obs[s->n], store, (time_t)ev->started,
			      &s->info[s->n]);
		ok += s->info[s->n++].parsed;
	}
	/* Addresses it would not connect to (--no-private): when they
	 * were all there was, they are the report. */
	int refused = diag_refusals(d);
	if (refused < 0)
		goto out;
	if (s->n == 0 && refused > 0) {
		d->exit = diag_exit_of(&d->fs);
		ret = 0;
		goto out;
	}
	if (s->n == 0) {
		no_address(d, ev);
		goto out;
	}
	if (!ok) {
		/* Nothing was judged: status 3, one line (docs/exit-codes.md).
		 */
		const struct ev_tls *t = &s->seen[0];
		const char *detail = t->detail ? t->detail : "";
		diag_fail(d,
			  "no address of %s completed a TLS handshake on port "
			  "%u: %s %s%s%s%s",
			  s->host, co.port, t->addr, tls_status_name(t->status),
			  detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
		goto out;
	}
	const struct cert_view cv = { .host = s->host,
				      .obs = obs,
				      .n = s->n,
				      .store = store,
				      .warn_days = co.warn_days };
	if (cert_checks_run(&cv, (time_t)ev->started, &d->fs) < 0) {
		diag_fail(d, "out of memory");
		goto out;
	}
	d->exit = diag_exit_of(&d->fs);
	ret = 0;
out:
	free(obs);
	X509_STORE_free(store);
	return ret;
}

static void cert_text(const struct diag *d, FILE *f)
{
	const struct cert_state *s = d->state;
	struct layout l;
	layout_init(&l, f, d->req->color, d->req->width);
	report_cert_text(s->host, s->port, s->seen, s->info, s->n, &d->fs, &l);
}

static json_t *cert_section(const struct diag *d)
{
	const struct cert_state *s = d->state;
	return report_cert_section(s->host, s->port, s->seen, s->info, s->n);
}

/* Whole days from the evidence's time to the earliest notAfter of the
 * leaves that were read, rounded down (a certificate expired an hour ago
 * is -1); false when no leaf was read. */
static bool days_left(const struct diag *d, int64_t *out)
{
	const struct cert_state *s = d->state;
	bool any = false;
	int64_t first = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct cert_info *x = &s->info[i];
		if (!x->parsed || !x->not_after_s)
			continue;
		if (!any || x->not_after_s < first)
			first = x->not_after_s;
		any = true;
	}
	if (any) {
		int64_t secs = first - (int64_t)d->ev->started;
		*out = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	}
	return any;
}

static void cert_nagios(const struct diag *d, FILE *f)
{
	const struct cert_state *s = d->state;
	struct cert_opts co;
	char subject[300], ok[160], warn[32];
	int64_t days = 0;
	bool known = days_left(d, &days);

	cert_opts_read(d->ev, &co);
	snprintf(subject, sizeof(subject), "%s:%u", s->host, s->port);
	snprintf(ok, sizeof(ok),
		 "no fault found in the certificate%s the %zu address%s "
		 "served",
		 s->n == 1 ? "" : "s", s->n, s->n == 1 ? "" : "es");
	if (known)
		snprintf(ok + strlen(ok), sizeof(ok) - strlen(ok),
			 "; %s expires in %lld days",
			 s->n == 1 ? "it" : "the first", (long long)days);
	/* Nagios ranges: "21:" alerts below 21, "0:" below 0. */
	snprintf(warn, sizeof(warn), "%g:", co.warn_days);
	const struct nagios_perf perf = { .label = "cert_days_left",
					  .value = days,
					  .uom = "",
					  .warn = warn,
					  .crit = "0:" };
	const struct nagios_report r = {
		.subject = subject,
		.exit = d->exit,
		.fs = &d->fs,
		.verdict = d->exit ? NULL : ok,
		.queries = d->queries,
		.duration_ms = d->duration_ms,
		.perf = &perf,
		.n_perf = known,
	};
	report_nagios(&r, f);
}

static void cert_deinit(struct diag *d)
{
	struct cert_state *s = d->state;
	if (!s)
		return;
	free(s->info);
	free(s);
	d->state = NULL;
}

const struct diag_kind diag_kind_cert = {
	.name = "cert",
	.gather = cert_gather,
	.judge = cert_judge,
	.text = cert_text,
	.section = cert_section,
	.nagios = cert_nagios,
	.deinit = cert_deinit,
};
