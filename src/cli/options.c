#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/options.h"

/* While a fleet line is parsed, its errors go here instead of stderr:
 * they become that line's row. */
static char *line_error;
static size_t line_error_len;

int die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (line_error) {
		vsnprintf(line_error, line_error_len, fmt, ap);
		va_end(ap);
		return EXIT_UNKNOWN;
	}
	fputs("dnsdoctor: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_UNKNOWN;
}

void usage(FILE *f)
{
	fputs("usage: dnsdoctor COMMAND [ARGS] [OPTIONS]\n"
	      "\n"
	      "commands:\n"
	      "  check DOMAIN          diagnose the delegation and name "
	      "servers of DOMAIN\n"
	      "  trace DOMAIN [TYPE]   show the delegation path from the "
	      "roots, every server\n"
	      "  analyze FILE          re-run the checks on evidence saved "
	      "with --save-evidence\n"
	      "  explain CODE          explain a finding code (--list: every "
	      "code)\n"
	      "  cert HOST[:PORT]      the TLS certificate on every address of "
	      "HOST (443)\n"
	      "  logs FILE...          classify the failures in certbot, lego, "
	      "acme.sh or\n"
	      "                        cert-manager output ('-' for stdin; "
	      "--run-checks;\n"
	      "                        --log-tz +HH:MM|ZONE: the zone of their "
	      "local times)\n"
	      "  propagation NAME TYPE [--expect VALUE]\n"
	      "                        the record at every authoritative "
	      "server and resolver,\n"
	      "                        stale and negative caches, and when it "
	      "is visible everywhere\n"
	      "  wait NAME TYPE --expect VALUE [--timeout S]\n"
	      "                        block until every authoritative server "
	      "(and, with\n"
	      "                        --resolvers, every resolver) serves "
	      "VALUE (docs/wait.md)\n"
	      "  plan NAME TYPE        TTLs now, the worst case of a change, "
	      "and when to change\n"
	      "  fleet FILE|-          check every domain of a list, one per "
	      "line (options may\n"
	      "                        follow a domain); --json: one row per "
	      "line (docs/fleet.md)\n"
	      "\n"
	      "options:\n"
	      "  --expect-ns NAMES|@FILE  name servers your DNS provider "
	      "assigned (comma list,\n"
	      "                           a file of names, or aws route53 "
	      "get-hosted-zone JSON)\n"
	      "  --root-hints FILE        root servers to start from "
	      "(named.root format)\n"
	      "  --save-evidence FILE     write every query and answer to "
	      "FILE\n"
	      "  --replay FILE            answer every query (and HTTP/TLS "
	      "exchange) from\n"
	      "                           evidence saved before: nothing is "
	      "sent\n"
	      "  --trust-anchor FILE      DNSSEC trust anchor: DS or DNSKEY "
	      "records of the root\n"
	      "                           (default: the IANA root anchors, "
	      "built in)\n"
	      "  --resolvers LIST|@FILE   resolvers to ask with and without "
	      "CD: ADDR or NAME=ADDR,\n"
	      "                           comma separated, or a file of them\n"
	      "  --ds RECORD              check a DS not published yet against "
	      "the zone's keys\n"
	      "  --rrsig-warn-days DAYS   warn when signatures expire sooner "
	      "(3)\n"
	      "  --acme                   check what an ACME CA checks: CAA, "
	      "_acme-challenge\n"
	      "  --ca NAME|DOMAIN         the CA for CAA (letsencrypt, amazon, "
	      "google, sectigo,\n"
	      "                           zerossl, digicert, or an issuer "
	      "domain)\n"
	      "  --challenge TYPE         dns-01 (default) or http-01\n"
	      "  --txt VALUE              the TXT value the CA expects at "
	      "_acme-challenge\n"
	      "  --account-uri URI        the ACME account, for CAA accounturi "
	      "(RFC 8657)\n"
	      "  --token TOKEN            HTTP-01: the token to fetch from "
	      "every address\n"
	      "  --key-auth VALUE         HTTP-01: the body expected (default: "
	      "TOKEN.*)\n"
	      "  --acm NAME=TARGET        an ACM validation CNAME to check "
	      "(repeatable)\n"
	      "  --ca-file FILE           cert: trusted roots, PEM (default: "
	      "the system store)\n"
	      "  --warn-days DAYS         cert: warn when a certificate "
	      "expires sooner (21)\n"
	      "  --json                   machine-readable output "
	      "(docs/json.md)\n"
	      "  --checks AREA,...        check, fleet: only these of "
	      "delegation, dnssec, acme,\n"
	      "                           caa (default: all)\n"
	      "  --concurrency N          fleet: domains checked at once "
	      "(64)\n"
	      "  --shard K/N|auto         fleet: only the lines whose hash "
	      "falls in share K\n"
	      "                           of N (0-based; auto: from Slurm or "
	      "Kubernetes)\n"
	      "  --resume OUT             fleet --json: append to OUT, "
	      "skipping the lines it\n"
	      "                           has a row for (a cut-off last row "
	      "is redone)\n"
	      "  --rate QPS               queries a second in all, retries "
	      "included (0: no\n"
	      "                           limit; fleet 500, other commands "
	      "none)\n"
	      "  --per-server-rate QPS    queries a second to each server "
	      "address (0: no\n"
	      "                           limit; fleet 20, other commands "
	      "none)\n"
	      "  --timeout SECONDS        wait for one server's answer, "
	      "retries included (2.4)\n"
	      "  -4, -6                   IPv4 or IPv6 only\n"
	      "  --no-color               no colour (also NO_COLOR)\n"
	      "  -h, --help, --version\n"
	      "\n"
	      "exit status: 0 no problem, 1 warnings, 2 errors, 3 could not "
	      "check\n",
	      f);
}

static const struct option longopts[] = {
	{ "expect-ns", required_argument, NULL, 'e' },
	{ "root-hints", required_argument, NULL, 'r' },
	{ "save-evidence", required_argument, NULL, 's' },
	{ "replay", required_argument, NULL, 'R' },
	{ "trust-anchor", required_argument, NULL, 'T' },
	{ "resolvers", required_argument, NULL, 'E' },
	{ "ds", required_argument, NULL, 'D' },
	{ "rrsig-warn-days", required_argument, NULL, 'W' },
	{ "timeout", required_argument, NULL, 't' },
	{ "json", no_argument, NULL, 'j' },
	{ "run-checks", no_argument, NULL, 'K' },
	{ "no-color", no_argument, NULL, 'C' },
	{ "acme", no_argument, NULL, 0x100 },
	{ "ca", required_argument, NULL, 0x101 },
	{ "challenge", required_argument, NULL, 0x102 },
	{ "txt", required_argument, NULL, 0x103 },
	{ "account-uri", required_argument, NULL, 0x104 },
	{ "acm", required_argument, NULL, 0x105 },
	{ "token", required_argument, NULL, 0x106 },
	{ "key-auth", required_argument, NULL, 0x107 },
	{ "ca-file", required_argument, NULL, 0x108 },
	{ "warn-days", required_argument, NULL, 0x109 },
	{ "expect", required_argument, NULL, 0x200 },
	{ "list", no_argument, NULL, 0x201 },
	{ "log-tz", required_argument, NULL, 0x202 },
	{ "concurrency", required_argument, NULL, 0x300 },
	{ "shard", required_argument, NULL, 0x301 },
	{ "resume", required_argument, NULL, 0x302 },
	{ "rate", required_argument, NULL, 0x303 },
	{ "per-server-rate", required_argument, NULL, 0x304 },
	{ "checks", required_argument, NULL, 0x305 },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char *env_or_null(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static int parse_days(struct diag_request *o, const char *s)
{
	char *end = NULL;
	double d = strtod(s, &end);
	if (!end || *end || end == s || !(d >= 0 && d <= 365)) {
		die("--rrsig-warn-days wants days between 0 and 365, not "
		    "'%.40s'",
		    s);
		return -1;
	}
	o->rrsig_warn_days = d;
	return 0;
}

static int parse_timeout(struct diag_request *o, const char *s)
{
	char *end = NULL;
	double t = strtod(s, &end);
	if (!end || *end || end == s || !(t >= 0.05 && t <= 300)) {
		die("--timeout wants seconds between 0.05 and 300, not '%.40s'",
		    s);
		return -1;
	}
	o->timeout = t;
	return 0;
}

static int parse_concurrency(struct diag_request *o, const char *s)
{
	char *end = NULL;
	long n = strtol(s, &end, 10);
	if (!end || *end || end == s || n < 1 || n > 10000) {
		die("--concurrency wants a count between 1 and 10000, not "
		    "'%.40s'",
		    s);
		return -1;
	}
	o->concurrency = (unsigned)n;
	return 0;
}

/* --rate and --per-server-rate: 0 (no limit), or from a thousandth of a
 * query a second (the bucket's unit, engine/pace.h) to a million. */
static int parse_rate(double *out, const char *opt, const char *s)
{
	char *end = NULL;
	double r = strtod(s, &end);
	if (!end || *end || end == s ||
	    !(r == 0 || (r >= 0.001 && r <= 1000000))) {
		die("%s wants queries per second between 0.001 and 1000000, "
		    "or 0 for no limit, not '%.40s'",
		    opt, s);
		return -1;
	}
	*out = r;
	return 0;
}

/* Options that belong to the whole run, not to one line of a fleet. */
static bool run_only(int c)
{
	return c == 'h' || c == 'V' || c == 'R' || c == 's' || c == 'j' ||
	       c == 'K' || c == 0x201 || c == 0x300 || c == 0x301 ||
	       c == 0x302 || c == 0x303 || c == 0x304;
}

/* Applies the options of ARGV to O. LINE: the options of one fleet
 * line, where whole-run options are refused. */
static int opts_apply(struct diag_request *o, int argc, char **argv, bool line)
{
	opterr = 0;
	optind = 0; /* glibc: start afresh, whatever was parsed before */
	int c;
	while ((c = getopt_long(argc, argv, ":46h", longopts, NULL)) != -1) {
		if (line && run_only(c)) {
			die("'%.60s' is an option of the whole run, not of one "
			    "line",
			    argv[optind - 1]);
			return -1;
		}
		switch (c) {
		case '4':
		case '6':
			if (o->family && o->family != c - '0') {
				die("-4 and -6 exclude each other");
				return -1;
			}
			o->family = c - '0';
			break;
		case 'e':
			o->expect_ns = optarg;
			break;
		case 'r':
			o->root_hints = optarg;
			break;
		case 's':
			o->save_evidence = optarg;
			break;
		case 'R':
			o->replay = optarg;
			break;
		case 't':
			if (parse_timeout(o, optarg) < 0)
				return -1;
			o->timeout_given = true;
			break;
		case 0x200:
			o->expect = optarg;
			break;
		case 0x201:
			o->list = true;
			break;
		case 0x202:
			o->log_tz = optarg;
			break;
		case 'T':
			o->trust_anchor = optarg;
			break;
		case 'E':
			o->resolvers = optarg;
			o->resolvers_given = true;
			break;
		case 'D':
			if (o->n_ds == sizeof(o->ds) / sizeof(o->ds[0])) {
				die("at most %zu --ds records", o->n_ds);
				return -1;
			}
			o->ds[o->n_ds++] = optarg;
			break;
		case 'W':
			if (parse_days(o, optarg) < 0)
				return -1;
			break;
		case 'K':
			o->run_checks = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'C':
			o->color = false;
			break;
		case 0x100:
			o->acme = true;
			break;
		case 0x101:
			o->ca = optarg;
			break;
		case 0x102:
			if (strcmp(optarg, "dns-01") && strcmp(optarg, "http-"
								       "01")) {
				die("--challenge wants dns-01 or http-01, not "
				    "'%.40s'",
				    optarg);
				return -1;
			}
			o->challenge = optarg;
			o->acme = true;
			break;
		case 0x103:
			o->txt = optarg;
			o->acme = true;
			break;
		case 0x104:
			o->account_uri = optarg;
			break;
		case 0x105:
			if (o->n_acm == sizeof(o->acm) / sizeof(o->acm[0])) {
				die("at most %zu --acm records", o->n_acm);
				return -1;
			}
			o->acm[o->n_acm++] = optarg;
			break;
		case 0x106:
			/* RFC 8555 8.1: base64url only; anything else would
			 * change the URL fetched. */
			if (!*optarg ||
			    strspn(optarg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
					   "jklmnopqrstuvwxyz0123456789-_") !=
				    strlen(optarg) ||
			    strlen(optarg) > 256) {
				die("--token wants a base64url ACME token (A-Z "
				    "a-z 0-9 - _)");
				return -1;
			}
			o->token = optarg;
			break;
		case 0x107:
			o->key_auth = optarg;
			break;
		case 0x108:
			o->ca_file = optarg;
			break;
		case 0x109: {
			char *end = NULL;
			double d = strtod(optarg, &end);
			if (!end || *end || end == optarg ||
			    !(d >= 0 && d <= 3650)) {
				die("--warn-days wants days between 0 and "
				    "3650, not '%.40s'",
				    optarg);
				return -1;
			}
			o->warn_days = d;
			break;
		}
		case 0x300:
			if (parse_concurrency(o, optarg) < 0)
				return -1;
			break;
		case 0x301:
			o->shard = optarg;
			break;
		case 0x302:
			o->resume = optarg;
			break;
		case 0x303:
			if (parse_rate(&o->rate, "--rate", optarg) < 0)
				return -1;
			break;
		case 0x304:
			if (parse_rate(&o->per_server_rate, "--per-server-rate",
				       optarg) < 0)
				return -1;
			break;
		case 0x305:
			o->checks = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("dnsdoctor %s\n", DD_VERSION);
			return 1;
		case ':':
			die("option '%.60s' needs a value", argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				die("unknown option '-%c' (see dnsdoctor "
				    "--help)",
				    optopt);
			else
				die("unknown option '%.60s' (see dnsdoctor "
				    "--help)",
				    argv[optind - 1]);
			return -1;
		}
	}
	if (line) {
		if (optind < argc) {
			die("'%.60s' is not an option: one domain per line, "
			    "then its options",
			    argv[optind]);
			return -1;
		}
		return 0;
	}
	if (optind >= argc) {
		die("no command given (see dnsdoctor --help)");
		return -1;
	}
	o->command = argv[optind++];
	for (; optind < argc; optind++) {
		if (o->n_args == sizeof(o->args) / sizeof(o->args[0])) {
			die("too many arguments (see dnsdoctor --help)");
			return -1;
		}
		o->args[o->n_args++] = argv[optind];
	}
	return 0;
}

int opts_parse(struct diag_request *o, int argc, char **argv)
{
	const char *env;
	memset(o, 0, sizeof(*o));
	o->timeout = 2.4;
	o->color = isatty(STDOUT_FILENO) &&
		   !((env = getenv("NO_COLOR")) && *env);
	o->root_hints = env_or_null("DNSDOCTOR_ROOT_HINTS");
	o->trust_anchor = env_or_null("DNSDOCTOR_TRUST_ANCHOR");
	o->resolvers = env_or_null("DNSDOCTOR_RESOLVERS");
	o->rrsig_warn_days = 3;
	o->warn_days = 21;
	o->rate = -1;
	o->per_server_rate = -1;
	return opts_apply(o, argc, argv, false);
}

int opts_parse_line(struct diag_request *o, int argc, char **argv, char *err,
		    size_t errlen)
{
	line_error = err;
	line_error_len = errlen;
	err[0] = '\0';
	int rc = opts_apply(o, argc, argv, true);
	line_error = NULL;
	return rc < 0 ? -1 : 0;
}
