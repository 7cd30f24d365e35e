/* What one diagnosis is asked: the kind, its arguments and options, as
 * the command line gives them (src/cli/options.c parses argv into it) or
 * as fleet and exporter will give them for each target. Strings are
 * borrowed and must outlive the diagnosis. */
#ifndef DD_DIAG_REQUEST_H
#define DD_DIAG_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#define EXIT_OK	     0
#define EXIT_WARNING 1
#define EXIT_ERROR   2
#define EXIT_UNKNOWN 3 /* could not carry out the check */

/* How a diagnosis is written (--format; --json is DIAG_JSON). */
enum diag_format {
	DIAG_TEXT,
	DIAG_JSON,
	DIAG_NAGIOS, /* a monitoring plugin's output (docs/nagios.md) */
	DIAG_HTML,   /* one self-contained page with the graph (docs/html.md) */
	DIAG_SVG,    /* the delegation graph alone */
};

struct diag_request {
	const char *command;  /* the kind: "check", "wait", ... */
	const char *args[64]; /* positional arguments after the command (logs
				 FILE...) */
	size_t n_args;
	const char *root_hints;
	const char *expect_ns;
	const char *save_evidence;
	const char *replay; /* answer from an evidence file (tests) */
	const char *trust_anchor;
	const char *resolvers;
	const char *ds[8]; /* --ds, a DS not published yet */
	size_t n_ds;
	/* --ns NAME[/ADDR],... (each a comma list): check and plan as if
	 * the parent delegated to these (docs/whatif.md). */
	const char *ns[16];
	size_t n_ns;
	double rrsig_warn_days;
	/* check: RDAP (issue 15). RDAP_DEFAULT: the command line's check,
	 * where RDAP is on unless NO_RDAP or a custom root_hints without
	 * RDAP_BOOTSTRAP; fleet and exporter leave it false. */
	const char *rdap_bootstrap; /* FILE or http(s) URL */
	bool no_rdap, rdap_default;
	double expiry_warn_days; /* 0: 30 */
	double timeout; /* seconds per query, all retries; wait: the whole wait
			 */
	double server_timeout; /* --server-timeout: per query; 0 not given */
	int family;
	enum diag_format format; /* --format, --json */
	const char *output;	 /* -o FILE: the report there, not on stdout */
	bool run_checks;	 /* logs: run the recommended checks */
	bool list;		 /* explain --list */
	const char *log_tz; /* logs --log-tz: the zone of the logs' local times
			     */
	bool color;
	int width; /* columns the text report may use: the terminal's, or
		      COLUMNS; 0: the default (80) */
	/* The live line on stderr while a check waits (diag/progress.h):
	 * the columns of the terminal stderr is; 0: none. The CLI sets it
	 * for a lone diagnosis, never for fleet. */
	int progress;
	const char *expect; /* propagation, wait: --expect VALUE */
	/* Every further --expect: the set the record must serve (issue 15).
	 */
	const char *expect_more[15];
	size_t n_expect_more;
	bool certbot, lego;   /* wait: from certbot's hook or lego's exec */
	bool timeout_given;   /* wait: --timeout is the whole wait */
	bool resolvers_given; /* wait: --resolvers on the command line, not
			       * DNSDOCTOR_RESOLVERS */
	bool no_default_resolvers; /* propagation: only --resolvers, never the
				    * built-in ones (logs --run-checks) */
	/* check --acme / --acm (issue 5) */
	bool acme;
	const char *ca;		 /* --ca NAME|DOMAIN */
	const char *challenge;	 /* --challenge dns-01|http-01 */
	const char *txt;	 /* --txt VALUE */
	const char *account_uri; /* --account-uri URI */
	const char *token;	 /* --token: HTTP-01 token */
	const char *key_auth;	 /* --key-auth: the body HTTP-01 expects */
	const char *acm[16];	 /* --acm NAME=TARGET */
	const char *ca_file;	 /* cert --ca-file: trusted roots (PEM) */
	double warn_days;	 /* cert --warn-days (21) */
	size_t n_acm;
	const char *checks; /* check, fleet: --checks AREA,... (all) */
	const char *config; /* exporter --config FILE */
	const char *listen; /* exporter --listen ADDR:PORT */
	/* check: the earliest RRSIG expiration of the zone in the JSON
	 * (rrsig_expiration): exporter's metric, a look the checks do not
	 * need otherwise. */
	bool rrsig_expiry;
	/* fleet: the run's own options (docs/fleet.md) */
	unsigned concurrency; /* diagnoses in flight; 0: the default */
	const char *shard;    /* "K/N", "auto" or "auto/N" */
	const char *resume;   /* OUT: rows already there are not redone */
	/* --rate, --per-server-rate: queries a second for the whole run and
	 * for each server address; 0 is no limit, below 0 the command's
	 * default (none, but for fleet). */
	double rate;
	double per_server_rate;
	/* --no-private (fleet and exporter: unless --allow-private): never
	 * connect to a special-purpose address (loopback, link-local,
	 * private, ...) learnt from DNS; each is a finding instead
	 * (docs/usage.md, "Addresses dnsdoctor refuses"). */
	bool refuse_private;
	/* check: leave out the name-server behaviour questions but the
	 * plain one (EDNS version and options, 0x20, AXFR, AAAA); fleet
	 * sets it: they cost six questions per server address and say
	 * nothing about the domain that the same servers' other rows do
	 * not. */
	bool no_behaviour;
	/* check: ask the DNS-01 denial question only of a zone known to be
	 * signed (probe_config.denial_when_signed); fleet sets it. */
	bool denial_when_signed;
};

#endif
