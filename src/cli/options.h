/* Command-line options shared by the commands. */
#ifndef DD_CLI_OPTIONS_H
#define DD_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define EXIT_OK 0
#define EXIT_WARNING 1
#define EXIT_ERROR 2
#define EXIT_UNKNOWN 3 /* could not carry out the check */

struct opts {
	const char *command;
	const char *args[64];  /* positional arguments after the command (logs FILE...) */
	size_t n_args;
	const char *root_hints;
	const char *expect_ns;
	const char *save_evidence;
	const char *replay;    /* answer from an evidence file (tests) */
	const char *trust_anchor;
	const char *resolvers;
	const char *ds[8];     /* --ds, a DS not published yet */
	size_t n_ds;
	double rrsig_warn_days;
	double timeout;        /* seconds per query, all retries */
	int family;
	bool json;
	bool run_checks;    /* logs: run the recommended checks */
	bool list;          /* explain --list */
	bool color;
	const char *expect;  /* propagation, wait: --expect VALUE */
	bool timeout_given;  /* wait: --timeout is the whole wait */
	bool resolvers_given; /* wait: --resolvers on the command line, not
			       * DNSDOCTOR_RESOLVERS */
	/* check --acme / --acm (issue 5) */
	bool acme;
	const char *ca;          /* --ca NAME|DOMAIN */
	const char *challenge;   /* --challenge dns-01|http-01 */
	const char *txt;         /* --txt VALUE */
	const char *account_uri; /* --account-uri URI */
	const char *token;       /* --token: HTTP-01 token */
	const char *key_auth;    /* --key-auth: the body HTTP-01 expects */
	const char *acm[16];     /* --acm NAME=TARGET */
	const char *ca_file;     /* cert --ca-file: trusted roots (PEM) */
	double warn_days;        /* cert --warn-days (21) */
	size_t n_acm;
};

/* Parses ARGV. Returns 0, 1 when --help or --version was handled (exit 0),
 * or -1 after printing one line on stderr (exit 3). */
int opts_parse(struct opts *o, int argc, char **argv);

/* Prints "dnsdoctor: MESSAGE" on one line of stderr; returns EXIT_UNKNOWN. */
int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void usage(FILE *f);

#endif
