/* The tables of commands.h and the help written from them. */
#include <string.h>
#include "cli/commands.h"

#define HELP_COL 27 /* where an option's text starts */

const struct cli_opt cli_opts[] = {
	{ "expect-ns", OPT_EXPECT_NS, true, "NAMES|@FILE",
	  "name servers your DNS provider assigned (comma\n"
	  "list, a file of names, or aws route53\n"
	  "get-hosted-zone JSON)" },
	{ "root-hints", OPT_ROOT_HINTS, true, "FILE",
	  "root servers to start from (named.root format)" },
	{ "trust-anchor", OPT_TRUST_ANCHOR, true, "FILE",
	  "DNSSEC trust anchor: DS or DNSKEY records of the\n"
	  "root (default: the IANA root anchors, built in)" },
	{ "resolvers", OPT_RESOLVERS, true, "LIST|@FILE",
	  "resolvers to ask: ADDR or NAME=ADDR, comma\n"
	  "separated, or a file of them" },
	{ "ds", OPT_DS, true, "RECORD",
	  "check a DS not published yet against the zone's\n"
	  "keys (repeatable)" },
	{ "ns", OPT_NS, true, "NAME[/ADDR],...",
	  "what if the parent delegated to exactly these\n"
	  "servers (repeatable; ADDR: the glue, else the\n"
	  "name is looked up; docs/whatif.md)" },
	{ "rrsig-warn-days", OPT_RRSIG_WARN_DAYS, true, "DAYS",
	  "warn when signatures expire sooner (3)" },
	{ "rdap-bootstrap", OPT_RDAP_BOOTSTRAP, true, "FILE|URL",
	  "the RDAP bootstrap for DNS (RFC 9224; default:\n"
	  "IANA's, cached; off with --root-hints unless\n"
	  "given)" },
	{ "no-rdap", OPT_NO_RDAP, false, NULL,
	  "do not ask the registry (RDAP)" },
	{ "expiry-warn-days", OPT_EXPIRY_WARN_DAYS, true, "DAYS",
	  "warn when the registration expires sooner (30)" },
	{ "acme", OPT_ACME, false, NULL,
	  "check what an ACME CA checks: CAA, _acme-challenge" },
	{ "ca", OPT_CA, true, "NAME|DOMAIN",
	  "the CA for CAA (letsencrypt, amazon, google,\n"
	  "sectigo, zerossl, digicert, or an issuer domain)" },
	{ "challenge", OPT_CHALLENGE, true, "TYPE",
	  "dns-01 (default) or http-01" },
	{ "txt", OPT_TXT, true, "VALUE",
	  "the TXT value the CA expects at _acme-challenge" },
	{ "account-uri", OPT_ACCOUNT_URI, true, "URI",
	  "the ACME account, for CAA accounturi (RFC 8657)" },
	{ "token", OPT_TOKEN, true, "TOKEN",
	  "HTTP-01: the token to fetch from every address" },
	{ "key-auth", OPT_KEY_AUTH, true, "VALUE",
	  "HTTP-01: the body expected (default: TOKEN.*)" },
	{ "acm", OPT_ACM, true, "NAME=TARGET",
	  "an ACM validation CNAME to check (repeatable)" },
	{ "checks", OPT_CHECKS, true, "AREA,...",
	  "only these of delegation, dnssec, acme, caa\n"
	  "(default: all)" },
	{ "expect", OPT_EXPECT, true, "VALUE",
	  "a value the record should have (repeatable: it\n"
	  "must have them all)" },
	{ "certbot", OPT_CERTBOT, false, NULL,
	  "as certbot's --manual-auth-hook: the TXT record\n"
	  "_acme-challenge.$CERTBOT_DOMAIN, the value\n"
	  "$CERTBOT_VALIDATION (no NAME TYPE)" },
	{ "lego", OPT_LEGO, false, NULL,
	  "as lego's exec provider: the arguments are lego's\n"
	  "(present FQDN VALUE; cleanup exits 0)" },
	{ "ca-file", OPT_CA_FILE, true, "FILE",
	  "trusted roots, PEM (default: the system store)" },
	{ "warn-days", OPT_WARN_DAYS, true, "DAYS",
	  "warn when a certificate expires sooner (21)" },
	{ "run-checks", OPT_RUN_CHECKS, false, NULL,
	  "also run the check each failure calls for" },
	{ "log-tz", OPT_LOG_TZ, true, "+HH:MM|ZONE",
	  "the zone of the logs' local times" },
	{ "list", OPT_LIST, false, NULL, "every code, its severity and title" },
	{ "concurrency", OPT_CONCURRENCY, true, "N",
	  "domains checked at once (64)" },
	{ "shard", OPT_SHARD, true, "K/N|auto",
	  "only the lines whose hash falls in share K of N\n"
	  "(0-based; auto: from Slurm or Kubernetes)" },
	{ "resume", OPT_RESUME, true, "OUT",
	  "with --json: append to OUT, skipping the lines it\n"
	  "has a row for (a cut-off last row is redone)" },
	{ "rate", OPT_RATE, true, "QPS",
	  "queries a second in all, retries included (0: no\n"
	  "limit; fleet and exporter 500, other commands\n"
	  "none)" },
	{ "per-server-rate", OPT_PER_SERVER_RATE, true, "QPS",
	  "queries a second to each server address (0: no\n"
	  "limit; fleet and exporter 20, other commands\n"
	  "none)" },
	{ "config", OPT_CONFIG, true, "FILE",
	  "the targets to check on a schedule, and the\n"
	  "modules of /probe (docs/exporter.md)" },
	{ "listen", OPT_LISTEN, true, "ADDR:PORT",
	  "where to serve /metrics and /probe\n"
	  "(127.0.0.1:9553)" },
	{ "server-timeout", OPT_SERVER_TIMEOUT, true, "SECONDS",
	  "wait for one server's answer, retries included\n"
	  "(2.4)" },
	{ "timeout", OPT_TIMEOUT, true, "SECONDS",
	  "the same as --server-timeout (which wins when\n"
	  "both are given); for wait, the whole wait" },
	{ "no-private", OPT_NO_PRIVATE, false, NULL,
	  "never connect to loopback, link-local, private\n"
	  "or other special addresses learnt from DNS\n"
	  "(fleet's default; docs/usage.md)" },
	{ "allow-private", OPT_ALLOW_PRIVATE, false, NULL,
	  "connect to them all the same (an internal zone,\n"
	  "a lab): lifts --no-private and fleet's default" },
	{ NULL, OPT_FAMILY4, false, NULL, "IPv4 only" },
	{ NULL, OPT_FAMILY6, false, NULL, "IPv6 only" },
	{ "save-evidence", OPT_SAVE_EVIDENCE, true, "FILE",
	  "write every query and answer to FILE" },
	{ "replay", OPT_REPLAY, true, "FILE",
	  "answer every query (and HTTP/TLS exchange) from\n"
	  "evidence saved before: nothing is sent" },
	{ "json", OPT_JSON, false, NULL,
	  "machine-readable output (docs/json.md)" },
	{ "format", OPT_FORMAT, true, "FORMAT",
	  "text (default), json (as --json), or nagios: a\n"
	  "monitoring plugin's status line, perfdata and\n"
	  "findings (check, cert, propagation, wait,\n"
	  "analyze; docs/nagios.md); html: one page with\n"
	  "the delegation graph (check, analyze) or the\n"
	  "timeline (propagation), svg: the graph alone\n"
	  "(docs/html.md)" },
	{ "output", OPT_OUTPUT, true, "FILE",
	  "write the report to FILE, not stdout (also\n"
	  "-o FILE; '-': stdout)" },
	{ "color", OPT_COLOR, true, "WHEN",
	  "auto (default: on a terminal, not with NO_COLOR\n"
	  "or TERM=dumb), always (for less -R), never" },
	{ "no-color", OPT_NO_COLOR, false, NULL, "as --color=never" },
	{ "help", OPT_HELP, false, NULL, "this help" },
	{ "version", OPT_VERSION, false, NULL, "the version" },
};
const size_t cli_n_opts = sizeof(cli_opts) / sizeof(cli_opts[0]);
_Static_assert(sizeof(cli_opts) / sizeof(cli_opts[0]) <= CLI_MAX_OPTS, "CLI_"
								       "MAX_"
								       "OPTS "
								       "is too "
								       "small");

/* What every command that asks the network takes. */
#define NET_OPTS                                                               \
	OPT_ROOT_HINTS, OPT_SERVER_TIMEOUT, OPT_TIMEOUT, OPT_FAMILY4,          \
		OPT_FAMILY6, OPT_RATE, OPT_PER_SERVER_RATE, OPT_SAVE_EVIDENCE, \
		OPT_REPLAY, PRIVATE_OPTS
/* Whether addresses learnt from DNS may be special-purpose ones. */
#define PRIVATE_OPTS OPT_NO_PRIVATE, OPT_ALLOW_PRIVATE
#define OUT_OPTS     OPT_JSON, OPT_FORMAT, OPT_COLOR, OPT_NO_COLOR, OPT_HELP
#define CHECK_OPTS                                                             \
	OPT_EXPECT_NS, OPT_TRUST_ANCHOR, OPT_RESOLVERS, OPT_DS,                \
		OPT_RRSIG_WARN_DAYS, OPT_ACME, OPT_CA, OPT_CHALLENGE, OPT_TXT, \
		OPT_ACCOUNT_URI, OPT_TOKEN, OPT_KEY_AUTH, OPT_ACM, OPT_CHECKS

/* RDAP: check and trace alone ask the registry (fleet would flood
 * registries' rate limits). */
#define RDAP_OPTS OPT_RDAP_BOOTSTRAP, OPT_NO_RDAP, OPT_EXPIRY_WARN_DAYS
static const int check_opts[] = { CHECK_OPTS, OPT_NS,	  RDAP_OPTS, NET_OPTS,
				  OUT_OPTS,   OPT_OUTPUT, 0 };
/* fleet writes no evidence: each domain's is check's to save. */
static const int fleet_opts[] = { CHECK_OPTS,
				  OPT_CONCURRENCY,
				  OPT_SHARD,
				  OPT_RESUME,
				  OPT_ROOT_HINTS,
				  OPT_SERVER_TIMEOUT,
				  OPT_TIMEOUT,
				  OPT_FAMILY4,
				  OPT_FAMILY6,
				  OPT_RATE,
				  OPT_PER_SERVER_RATE,
				  PRIVATE_OPTS,
				  OUT_OPTS,
				  0 };
/* The command line's check options are the defaults of every check. */
static const int exporter_opts[] = {
	CHECK_OPTS,	    OPT_CONFIG,	   OPT_LISTEN,
	OPT_CA_FILE,	    OPT_WARN_DAYS, OPT_ROOT_HINTS,
	OPT_SERVER_TIMEOUT, OPT_TIMEOUT,   OPT_FAMILY4,
	OPT_FAMILY6,	    OPT_RATE,	   OPT_PER_SERVER_RATE,
	PRIVATE_OPTS,	    OPT_HELP,	   0
};
static const int trace_opts[] = { OPT_RDAP_BOOTSTRAP, OPT_NO_RDAP, NET_OPTS,
				  OUT_OPTS, 0 };
/* plan NS to new servers (--ns, or --expect): the check of the new
 * delegation, its DNSSEC included (docs/whatif.md). */
static const int plan_opts[] = { OPT_EXPECT,
				 OPT_NS,
				 OPT_DS,
				 OPT_TRUST_ANCHOR,
				 OPT_RESOLVERS,
				 OPT_RDAP_BOOTSTRAP,
				 OPT_NO_RDAP,
				 NET_OPTS,
				 OUT_OPTS,
				 OPT_OUTPUT,
				 0 };
/* propagation and plan of NS (a delegation) ask RDAP too. */
static const int record_opts[] = { OPT_EXPECT,	       OPT_RESOLVERS,
				   OPT_RDAP_BOOTSTRAP, OPT_NO_RDAP,
				   NET_OPTS,	       OUT_OPTS,
				   OPT_OUTPUT,	       0 };
static const int wait_opts[] = {
	OPT_EXPECT, OPT_CERTBOT, OPT_LEGO, OPT_RESOLVERS, NET_OPTS, OUT_OPTS, 0
};
static const int cert_opts[] = { OPT_CA_FILE, OPT_WARN_DAYS, NET_OPTS, OUT_OPTS,
				 0 };
/* With --run-checks, logs runs checks: it takes what they ask with. */
static const int logs_opts[] = { OPT_LOG_TZ,
				 OPT_RUN_CHECKS,
				 OPT_RESOLVERS,
				 OPT_TRUST_ANCHOR,
				 OPT_ROOT_HINTS,
				 OPT_SERVER_TIMEOUT,
				 OPT_TIMEOUT,
				 OPT_FAMILY4,
				 OPT_FAMILY6,
				 OPT_RATE,
				 OPT_PER_SERVER_RATE,
				 OUT_OPTS,
				 0 };
static const int analyze_opts[] = { OUT_OPTS, OPT_OUTPUT, 0 };
static const int explain_opts[] = { OPT_LIST, OUT_OPTS, 0 };
static const int help_opts[] = { OPT_HELP, 0 };
/* What the configuration files set (cli/config.c), to see a command line
 * override them. */
static const int config_opts[] = {
	OPT_RESOLVERS,	     OPT_TRUST_ANCHOR, OPT_ROOT_HINTS,
	OPT_SERVER_TIMEOUT,  OPT_TIMEOUT,      OPT_COLOR,
	OPT_NO_COLOR,	     OPT_CA,	       OPT_CA_FILE,
	OPT_RRSIG_WARN_DAYS, OPT_WARN_DAYS,    OPT_RATE,
	OPT_PER_SERVER_RATE, OPT_HELP,	       0
};

const struct cli_cmd cli_cmds[] = {
	{ "check", "DOMAIN",
	  "diagnose the delegation and name servers of\n"
	  "DOMAIN",
	  "Walks the delegation of DOMAIN from the root, asks every name\n"
	  "server the parent names and the zone names, and says what stops\n"
	  "it resolving or a certificate from being issued: lame or\n"
	  "unreachable servers, a delegation that differs from the zone or\n"
	  "from what your provider assigned (--expect-ns), disagreeing\n"
	  "servers, DNSSEC faults; with --acme or --acm, what the CA will\n"
	  "check (CAA, the challenge records). After a second, a line on\n"
	  "stderr (a terminal only) says which servers are still silent.",
	  "dnsdoctor check example.com --expect-ns ns-1.awsdns-01.org,"
	  "ns-2.awsdns-02.com\n"
	  "dnsdoctor check example.com --acme --ca letsencrypt --json",
	  check_opts },
	{ "trace", "DOMAIN [TYPE]",
	  "show the delegation path from the roots, every\n"
	  "server",
	  "Asks every server at every level from the root down to the zone\n"
	  "that answers TYPE (NS by default) for DOMAIN, and shows what\n"
	  "each one said.",
	  "dnsdoctor trace www.example.com A", trace_opts },
	{ "propagation", "NAME TYPE",
	  "the record at every authoritative server and\n"
	  "resolver, stale and negative caches, and when it is\n"
	  "visible everywhere",
	  "Asks every authoritative server of the zone holding NAME, and\n"
	  "the resolvers, for its TYPE record; says which serve an old\n"
	  "value or a cached denial, and until when. NS of a zone's own\n"
	  "name and DS are the delegation: asked of every server of the\n"
	  "parent, with when a fresh resolver (the CA's) and each resolver\n"
	  "use the new one (docs/wait.md).",
	  "dnsdoctor propagation _acme-challenge.example.com TXT --expect "
	  "abc123",
	  record_opts },
	{ "wait", "NAME TYPE --expect VALUE",
	  "block until every authoritative server (and, with\n"
	  "--resolvers, every resolver) serves VALUE\n"
	  "(docs/wait.md)",
	  "Polls every authoritative server (and every --resolvers\n"
	  "resolver) until each serves VALUE, then exits 0; exits 2 when\n"
	  "--timeout (the whole wait here: 300 s by default) runs out.",
	  "dnsdoctor wait _acme-challenge.example.com TXT --expect abc123 "
	  "--timeout 300\n"
	  "certbot ... --manual-auth-hook 'publish-txt && dnsdoctor wait "
	  "--certbot'",
	  wait_opts },
	{ "plan", "NAME TYPE",
	  "TTLs now, the worst case of a change, and when to\n"
	  "change",
	  "Reads the TTLs that decide how long an old value of NAME's TYPE\n"
	  "record can be served after a change, and says when a change\n"
	  "made now is visible everywhere. For NS with --ns (or --expect)\n"
	  "the new name servers: the steps of the delegation change with\n"
	  "their clock times, and whether the new servers are ready (as\n"
	  "check --ns).",
	  "dnsdoctor plan www.example.com A\n"
	  "dnsdoctor plan example.com NS --ns ns1.new-dns.net,ns2.new-dns.org",
	  plan_opts },
	{ "cert", "HOST[:PORT]",
	  "the TLS certificate on every address of HOST (443)",
	  "Connects to every address of HOST and checks the certificate\n"
	  "each serves: the chain, the names, the expiry.",
	  "dnsdoctor cert www.example.com --warn-days 30", cert_opts },
	{ "logs", "FILE...",
	  "classify the failures in certbot, lego, acme.sh or\n"
	  "cert-manager output ('-' for stdin)",
	  "Reads ACME client output and names each failure, the finding it\n"
	  "matches and the check that confirms it (--run-checks runs it).",
	  "journalctl -u certbot | dnsdoctor logs - --run-checks", logs_opts },
	{ "fleet", "FILE|-",
	  "check every domain of a list, one per line (options\n"
	  "may follow a domain); --json: one row per line\n"
	  "(docs/fleet.md)",
	  "Checks every domain of FILE in one process, many at once, and\n"
	  "reports the broken ones grouped by cause; a line may carry a\n"
	  "domain's own check options after its name.",
	  "dnsdoctor fleet domains.txt --json > rows.ndjson\n"
	  "dnsdoctor fleet domains.txt --checks delegation --shard auto",
	  fleet_opts },
	{ "exporter", "",
	  "serve Prometheus metrics: the checks of --config on\n"
	  "a schedule, and /probe?target= (docs/exporter.md)",
	  "Runs as a service: checks the targets of --config FILE every\n"
	  "interval and serves their latest results on /metrics, and runs a\n"
	  "check of /probe?target=DOMAIN&module=NAME while the scraper\n"
	  "waits. SIGHUP reloads the configuration; SIGTERM stops.",
	  "dnsdoctor exporter --config /etc/dnsdoctor/exporter.conf\n"
	  "curl 'http://127.0.0.1:9553/probe?target=example.com'",
	  exporter_opts },
	{ "analyze", "FILE",
	  "re-run the checks on evidence saved with\n"
	  "--save-evidence",
	  "Judges evidence saved by an earlier run again, offline, with the\n"
	  "checks of this version.",
	  "dnsdoctor analyze evidence.json --json", analyze_opts },
	{ "explain", "CODE|--list",
	  "explain a finding code (--list: every code)",
	  "Prints the document of a finding code: what it means, why it\n"
	  "matters, how to fix it.",
	  "dnsdoctor explain LAME_DELEGATION\n"
	  "dnsdoctor explain --list",
	  explain_opts },
	{ "config", "",
	  "the settings of the configuration files and the\n"
	  "environment, and where each came from",
	  "Prints every setting the configuration files can hold, the value\n"
	  "in force and where it came from: the command line, then the\n"
	  "environment (DNSDOCTOR_NAME), then "
	  "$XDG_CONFIG_HOME/dnsdoctor/config\n"
	  "(~/.config/dnsdoctor/config), then /etc/dnsdoctor/config. Each\n"
	  "line of a file is NAME = VALUE, NAME a long option's\n"
	  "(docs/config.md).",
	  "dnsdoctor config\n"
	  "DNSDOCTOR_RESOLVERS=192.0.2.53 dnsdoctor config --timeout 5",
	  config_opts },
	{ "help", "[COMMAND]", "this list, or a command's own help",
	  "Prints the list of commands, or COMMAND's own help.",
	  "dnsdoctor help check", help_opts },
};
const size_t cli_n_cmds = sizeof(cli_cmds) / sizeof(cli_cmds[0]);

const struct cli_cmd *cli_cmd_find(const char *name)
{
	for (size_t i = 0; name && i < cli_n_cmds; i++)
		if (strcmp(cli_cmds[i].name, name) == 0)
			return &cli_cmds[i];
	return NULL;
}

const struct cli_opt *cli_opt_find(int val)
{
	for (size_t i = 0; i < cli_n_opts; i++)
		if (cli_opts[i].val == val)
			return &cli_opts[i];
	return NULL;
}

bool cli_cmd_takes(const struct cli_cmd *c, int val)
{
	if (val == OPT_HELP || val == OPT_VERSION)
		return true;
	for (const int *v = c->opts; *v; v++)
		if (*v == val)
			return true;
	return false;
}

bool cli_cmd_nagios(const char *command)
{
	static const char *const nagios[] = { "check", "cert", "propagation",
					      "wait", "analyze" };
	for (size_t i = 0; command && i < sizeof(nagios) / sizeof(nagios[0]);
	     i++)
		if (strcmp(nagios[i], command) == 0)
			return true;
	return false;
}

bool cli_cmd_html(const char *command, bool svg)
{
	return command && (strcmp(command, "check") == 0 ||
			   strcmp(command, "analyze") == 0 ||
			   (!svg && strcmp(command, "propagation") == 0));
}

const char *cli_opt_spelling(const struct cli_opt *o, char buf[48])
{
	if (o->name)
		snprintf(buf, 48, "--%s", o->name);
	else
		snprintf(buf, 48, "-%c", o->val);
	return buf;
}

/* TEXT's lines, the first after what is already on the line (COL columns
 * used), the others indented to INDENT. */
static void lines_at(FILE *f, int col, int indent, const char *text)
{
	fprintf(f, "%*s", col < indent ? indent - col : 1, "");
	for (const char *p = text; *p; p++) {
		fputc(*p, f);
		if (*p == '\n' && p[1])
			fprintf(f, "%*s", indent, "");
	}
	fputc('\n', f);
}

static void opt_line(FILE *f, const struct cli_opt *o)
{
	char name[48];
	int col = fprintf(f, "  %s%s%s", cli_opt_spelling(o, name),
			  o->arg ? " " : "", o->arg ? o->arg : "");
	if (col >= HELP_COL - 1) {
		fputc('\n', f);
		col = 0;
	}
	lines_at(f, col, HELP_COL, o->help);
}

static void exit_codes(FILE *f)
{
	fputs("\nexit status: 0 no problem, 1 warnings, 2 errors, 3 could not "
	      "check\n",
	      f);
}

void cli_usage(FILE *f)
{
	static const int shared[] = { NET_OPTS, OPT_JSON, OPT_FORMAT,
				      OPT_NO_COLOR, 0 };
	fputs("usage: dnsdoctor COMMAND [ARGS] [OPTIONS]\n\ncommands:\n", f);
	for (size_t i = 0; i < cli_n_cmds; i++) {
		const struct cli_cmd *c = &cli_cmds[i];
		int col = fprintf(f, "  %s %s", c->name, c->args);
		if (col >= HELP_COL - 1) {
			fputc('\n', f);
			col = 0;
		}
		lines_at(f, col, HELP_COL - 3, c->summary);
	}
	fputs("\noptions of the commands that ask the network:\n", f);
	for (const int *v = shared; *v; v++)
		opt_line(f, cli_opt_find(*v));
	fputs("  -h, --help               this list; after a command, its own "
	      "options\n"
	      "  --version                the version\n"
	      "\n'dnsdoctor COMMAND --help' (or 'dnsdoctor help COMMAND') "
	      "shows a command's\noptions and an example.\n",
	      f);
	exit_codes(f);
}

int cli_help(FILE *f, const char *command)
{
	const struct cli_cmd *c = command ? cli_cmd_find(command) : NULL;
	if (command && !c)
		return -1;
	if (c)
		cli_cmd_help(f, c);
	else
		cli_usage(f);
	return 0;
}

void cli_cmd_help(FILE *f, const struct cli_cmd *c)
{
	fprintf(f, "usage: dnsdoctor %s%s%s%s\n\n%s\n", c->name,
		c->args[0] ? " " : "", c->args,
		c->opts[0] && c->opts[0] != OPT_HELP ? " [OPTIONS]" : "",
		c->about);
	bool any = false;
	for (size_t i = 0; i < cli_n_opts; i++) {
		const struct cli_opt *o = &cli_opts[i];
		if (o->val == OPT_HELP || o->val == OPT_VERSION ||
		    !cli_cmd_takes(c, o->val))
			continue;
		if (!any)
			fputs("\noptions:\n", f);
		any = true;
		opt_line(f, o);
	}
	fputs("\nexample:\n", f);
	lines_at(f, 0, 2, c->example);
	exit_codes(f);
}
