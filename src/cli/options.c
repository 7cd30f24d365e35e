#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/options.h"
#include "cli/version.h"

#define SERVER_TIMEOUT_MAX_S 300
#define WAIT_TIMEOUT_MAX_S   86400

/* While a fleet line is parsed, its errors go here instead of stderr:
 * they become that line's row. */
static char *line_error;
static size_t line_error_len;
/* The last line die() printed, for --format nagios's status line; with
 * that format asked, die() keeps it for stdout and leaves stderr alone
 * (Icinga 2 mixes a plugin's stderr into its output). */
static char last_error[512];
static bool die_quiet;
/* The settings of the files and the environment: the run's strings point
 * into it, so it lives as long as the process. */
static struct config config;

int die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (line_error) {
		vsnprintf(line_error, line_error_len, fmt, ap);
		va_end(ap);
		return EXIT_UNKNOWN;
	}
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	if (!die_quiet)
		fprintf(stderr, "dnsdoctor: %s\n", last_error);
	return EXIT_UNKNOWN;
}

const char *die_last(void)
{
	return last_error;
}

/* Colour by default on a terminal that can show it, unless NO_COLOR
 * (no-color.org) says otherwise. */
static bool color_auto(void)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && !(no && *no) &&
	       !(term && strcmp(term, "dumb") == 0);
}

/* The width of the terminal FD is: COLUMNS when set (as ls and less read
 * it), else the terminal's; 0 off a terminal. */
static int columns_of(int fd)
{
	const char *env = getenv("COLUMNS");
	char *end = NULL;
	long n = env && *env ? strtol(env, &end, 10) : 0;
	if (env && *env && end && !*end && n >= 40 && n <= 1000)
		return (int)n;
	struct winsize ws;
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 0;
}

/* The width to wrap the text report at; 0 (the default, 80) off a
 * terminal. */
static int columns(void)
{
	return columns_of(STDOUT_FILENO);
}

int opts_progress(const struct diag_request *o)
{
	const char *term = getenv("TERM");
	if (o->format != DIAG_TEXT || o->replay || !isatty(STDERR_FILENO) ||
	    (term && strcmp(term, "dumb") == 0))
		return 0;
	int cols = columns_of(STDERR_FILENO);
	return cols ? cols : 80;
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

/* Seconds between 0.05 and MAX for OPT, into *OUT. */
static int parse_seconds(double *out, const char *opt, double max,
			 const char *s)
{
	char *end = NULL;
	double t = strtod(s, &end);
	if (!end || *end || end == s || !(t >= 0.05 && t <= max)) {
		die("%s wants seconds between 0.05 and %.0f, not '%.40s'", opt,
		    max, s);
		return -1;
	}
	*out = t;
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

/* An option as given: getopt's value and its value. */
struct given {
	int c;
	char *arg;
};

/* --format FORMAT: text, json (as --json), or nagios for the commands
 * that write it. */
static int parse_format(struct diag_request *o, const char *s)
{
	static const struct {
		const char *name;
		enum diag_format format;
	} formats[] = { { "text", DIAG_TEXT },
			{ "json", DIAG_JSON },
			{ "nagios", DIAG_NAGIOS },
			{ "html", DIAG_HTML },
			{ "svg", DIAG_SVG } };
	size_t i = 0;
	while (i < sizeof(formats) / sizeof(formats[0]) &&
	       strcmp(formats[i].name, s) != 0)
		i++;
	if (i == sizeof(formats) / sizeof(formats[0])) {
		die("--format wants text, json, nagios, html or svg, not "
		    "'%.40s'",
		    s);
		return -1;
	}
	/* An unknown command is main's to say. */
	if (formats[i].format == DIAG_NAGIOS && cli_cmd_find(o->command) &&
	    !cli_cmd_nagios(o->command)) {
		die("%s does not take --format nagios: it is for check, cert, "
		    "propagation, wait and analyze (docs/nagios.md)",
		    o->command);
		return -1;
	}
	if ((formats[i].format == DIAG_HTML || formats[i].format == DIAG_SVG) &&
	    cli_cmd_find(o->command) &&
	    !cli_cmd_html(o->command, formats[i].format == DIAG_SVG)) {
		die("%s does not take --format %s: it is for check%s and "
		    "analyze (docs/html.md)",
		    o->command, s,
		    formats[i].format == DIAG_HTML ? ", propagation" : "");
		return -1;
	}
	o->format = formats[i].format;
	return 0;
}

/* --json is --format json; two formats asked are an error, not the last
 * one winning. 0 or -1. */
static int formats_agree(const struct given *g, size_t n)
{
	const struct given *seen = NULL;
	for (size_t i = 0; i < n; i++) {
		if (g[i].c != OPT_JSON && g[i].c != OPT_FORMAT)
			continue;
		const char *f = g[i].c == OPT_JSON ? "json" : g[i].arg;
		const char *was = !seen			? NULL
				  : seen->c == OPT_JSON ? "json"
							: seen->arg;
		if (was && strcmp(f, was) != 0) {
			die("%s%.40s and %s%.40s exclude each other",
			    seen->c == OPT_JSON ? "--json" : "--format ",
			    seen->c == OPT_JSON ? "" : was,
			    g[i].c == OPT_JSON ? "--json" : "--format ",
			    g[i].c == OPT_JSON ? "" : f);
			return -1;
		}
		seen = &g[i];
	}
	return 0;
}

/* Options that belong to the whole run, not to one line of a fleet. */
static bool run_only(int c)
{
	return c == OPT_HELP || c == OPT_VERSION || c == OPT_REPLAY ||
	       c == OPT_SAVE_EVIDENCE || c == OPT_JSON || c == OPT_FORMAT ||
	       c == OPT_CONCURRENCY || c == OPT_SHARD || c == OPT_RESUME ||
	       c == OPT_RATE || c == OPT_PER_SERVER_RATE ||
	       /* the engine's, which every line shares */
	       c == OPT_TIMEOUT || c == OPT_SERVER_TIMEOUT ||
	       /* a line of the input must not lift the run's refusal */
	       c == OPT_NO_PRIVATE || c == OPT_ALLOW_PRIVATE;
}

/* getopt's table, from the one in commands.c. */
static void longopts_fill(struct option *lo)
{
	size_t n = 0;
	for (size_t i = 0; i < cli_n_opts; i++)
		if (cli_opts[i].name)
			lo[n++] = (struct option){ cli_opts[i].name,
						   cli_opts[i].has_arg
							   ? required_argument
							   : no_argument,
						   NULL, cli_opts[i].val };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
}

/* Option VAL given to COMMAND, which does not take it: one line. An
 * unknown command is main's to say. 0 or -1. */
static int refuse_foreign(const char *command, int val)
{
	const struct cli_cmd *c = cli_cmd_find(command);
	char name[48];
	if (!c || cli_cmd_takes(c, val))
		return 0;
	die("%s does not take %s (see dnsdoctor %s --help)", command,
	    cli_opt_spelling(cli_opt_find(val), name), command);
	return -1;
}

/* The commands that check other people's domains as a service refuse
 * special-purpose addresses learnt from DNS unless --allow-private. */
static bool refuses_private_by_default(const char *command)
{
	return strcmp(command, "fleet") == 0 ||
	       strcmp(command, "exporter") == 0;
}

/* --no-private, --allow-private and the command's default into O. 0 or
 * -1 after one line on why. */
static int private_policy(struct diag_request *o, const struct given *g,
			  size_t n)
{
	bool no = false, allow = false;
	for (size_t i = 0; i < n; i++) {
		no |= g[i].c == OPT_NO_PRIVATE;
		allow |= g[i].c == OPT_ALLOW_PRIVATE;
	}
	if (no && allow) {
		die("--no-private and --allow-private exclude each other");
		return -1;
	}
	o->refuse_private = no ||
			    (!allow && refuses_private_by_default(o->command));
	return 0;
}

/* The project's version; from a checkout, git describe's too: a tag
 * ("v1.2.0-3-gabc1234") says it all, a bare commit goes beside it. */
static void print_version(void)
{
	const char *d = DD_GIT_DESCRIBE;
	if (strcmp(d, DD_VERSION) == 0)
		printf("dnsdoctor %s\n", DD_VERSION);
	else if (d[0] == 'v' && isdigit((unsigned char)d[1]))
		printf("dnsdoctor %s\n", d + 1);
	else
		printf("dnsdoctor %s (git %s)\n", DD_VERSION, d);
}

/* Applies option C (getopt's value) with its value ARG to O. 0, or -1
 * after one line on why. */
static int apply_one(struct diag_request *o, int c, char *arg)
{
	switch (c) {
	case '4':
	case '6':
		if (o->family && o->family != c - '0') {
			die("-4 and -6 exclude each other");
			return -1;
		}
		o->family = c - '0';
		break;
	case OPT_EXPECT_NS:
		o->expect_ns = arg;
		break;
	case OPT_ROOT_HINTS:
		o->root_hints = arg;
		break;
	case OPT_SAVE_EVIDENCE:
		o->save_evidence = arg;
		break;
	case OPT_REPLAY:
		o->replay = arg;
		break;
	case OPT_TIMEOUT:
		/* wait's is the whole wait: lego's users give slow DNS
		 * providers 10 minutes and more. */
		if (parse_seconds(&o->timeout, "--timeout",
				  o->command && !strcmp(o->command, "wait")
					  ? WAIT_TIMEOUT_MAX_S
					  : SERVER_TIMEOUT_MAX_S,
				  arg) < 0)
			return -1;
		o->timeout_given = true;
		break;
	case OPT_SERVER_TIMEOUT:
		if (parse_seconds(&o->server_timeout, "--server-timeout",
				  SERVER_TIMEOUT_MAX_S, arg) < 0)
			return -1;
		break;
	case OPT_EXPECT:
		/* Every --expect adds a value to the set to wait for. */
		if (!o->expect) {
			o->expect = arg;
			break;
		}
		if (o->n_expect_more ==
		    sizeof(o->expect_more) / sizeof(o->expect_more[0])) {
			die("at most %zu --expect values",
			    o->n_expect_more + 1);
			return -1;
		}
		o->expect_more[o->n_expect_more++] = arg;
		break;
	case OPT_CERTBOT:
		o->certbot = true;
		break;
	case OPT_LEGO:
		o->lego = true;
		break;
	case OPT_LIST:
		o->list = true;
		break;
	case OPT_LOG_TZ:
		o->log_tz = arg;
		break;
	case OPT_TRUST_ANCHOR:
		o->trust_anchor = arg;
		break;
	case OPT_RESOLVERS:
		o->resolvers = arg;
		o->resolvers_given = true;
		break;
	case OPT_DS:
		if (o->n_ds == sizeof(o->ds) / sizeof(o->ds[0])) {
			die("at most %zu --ds records", o->n_ds);
			return -1;
		}
		o->ds[o->n_ds++] = arg;
		break;
	case OPT_NS:
		if (o->n_ns == sizeof(o->ns) / sizeof(o->ns[0])) {
			die("at most %zu --ns options", o->n_ns);
			return -1;
		}
		o->ns[o->n_ns++] = arg;
		break;
	case OPT_RRSIG_WARN_DAYS:
		if (parse_days(o, arg) < 0)
			return -1;
		break;
	case OPT_RDAP_BOOTSTRAP:
		o->rdap_bootstrap = arg;
		break;
	case OPT_NO_RDAP:
		o->no_rdap = true;
		break;
	case OPT_EXPIRY_WARN_DAYS: {
		char *end = NULL;
		double d = strtod(arg, &end);
		if (!end || *end || end == arg || !(d >= 0 && d <= 3650)) {
			die("--expiry-warn-days wants days between 0 and "
			    "3650, not '%.40s'",
			    arg);
			return -1;
		}
		/* 0 would read as "the default": a tiny window instead. */
		o->expiry_warn_days = d > 0 ? d : 1e-6;
		break;
	}
	case OPT_RUN_CHECKS:
		o->run_checks = true;
		break;
	case OPT_OUTPUT:
		o->output = strcmp(arg, "-") == 0 ? NULL : arg;
		break;
	case OPT_JSON:
		o->format = DIAG_JSON;
		break;
	case OPT_FORMAT:
		if (parse_format(o, arg) < 0)
			return -1;
		break;
	case OPT_COLOR:
		if (strcmp(arg, "always") && strcmp(arg, "never") &&
		    strcmp(arg, "auto")) {
			die("--color wants auto, always or never, not '%.40s'",
			    arg);
			return -1;
		}
		/* A flag on the command line wins over NO_COLOR. */
		o->color = strcmp(arg, "auto") ? strcmp(arg, "always") == 0
					       : color_auto();
		break;
	case OPT_NO_COLOR:
		o->color = false;
		break;
	case OPT_ACME:
		o->acme = true;
		break;
	case OPT_CA:
		o->ca = arg;
		break;
	case OPT_CHALLENGE:
		if (strcmp(arg, "dns-01") && strcmp(arg, "http-"
							 "01")) {
			die("--challenge wants dns-01 or http-01, not "
			    "'%.40s'",
			    arg);
			return -1;
		}
		o->challenge = arg;
		o->acme = true;
		break;
	case OPT_TXT:
		o->txt = arg;
		o->acme = true;
		break;
	case OPT_ACCOUNT_URI:
		o->account_uri = arg;
		break;
	case OPT_ACM:
		if (o->n_acm == sizeof(o->acm) / sizeof(o->acm[0])) {
			die("at most %zu --acm records", o->n_acm);
			return -1;
		}
		o->acm[o->n_acm++] = arg;
		break;
	case OPT_TOKEN:
		/* RFC 8555 8.1: base64url only; anything else would
		 * change the URL fetched. */
		if (!*arg ||
		    strspn(arg,
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
			   "jklmnopqrstuvwxyz0123456789-_") != strlen(arg) ||
		    strlen(arg) > 256) {
			die("--token wants a base64url ACME token (A-Z "
			    "a-z 0-9 - _)");
			return -1;
		}
		o->token = arg;
		break;
	case OPT_KEY_AUTH:
		o->key_auth = arg;
		break;
	case OPT_CA_FILE:
		o->ca_file = arg;
		break;
	case OPT_WARN_DAYS: {
		char *end = NULL;
		double d = strtod(arg, &end);
		if (!end || *end || end == arg || !(d >= 0 && d <= 3650)) {
			die("--warn-days wants days between 0 and "
			    "3650, not '%.40s'",
			    arg);
			return -1;
		}
		o->warn_days = d;
		break;
	}
	case OPT_CONCURRENCY:
		if (parse_concurrency(o, arg) < 0)
			return -1;
		break;
	case OPT_SHARD:
		o->shard = arg;
		break;
	case OPT_RESUME:
		o->resume = arg;
		break;
	case OPT_RATE:
		if (parse_rate(&o->rate, "--rate", arg) < 0)
			return -1;
		break;
	case OPT_PER_SERVER_RATE:
		if (parse_rate(&o->per_server_rate, "--per-server-rate", arg) <
		    0)
			return -1;
		break;
	case OPT_CHECKS:
		o->checks = arg;
		break;
	case OPT_CONFIG:
		o->config = arg;
		break;
	case OPT_LISTEN:
		o->listen = arg;
		break;
	default:
		break;
	}
	return 0;
}

/* config_check_fn: VALUE as option VAL's on the command line, applied to
 * a request thrown away, its complaint caught in WHY. */
static int check_value(int val, const char *value, char *why, size_t whylen)
{
	struct diag_request scratch = { 0 };
	line_error = why;
	line_error_len = whylen;
	why[0] = '\0';
	int rc = apply_one(&scratch, val, (char *)value);
	line_error = NULL;
	return rc;
}

/* The files' and the environment's settings into O, under the command
 * line's G. 0 or -1 after one line on why. */
static int apply_config(struct diag_request *o, const struct given *g, size_t n)
{
	char err[600];
	if (config_load(&config, check_value, err, sizeof(err)) < 0) {
		die("%s", err);
		return -1;
	}
	for (size_t i = 0; i < config_n_settings; i++) {
		const struct config_value *v = &config.v[i];
		int val = config_settings[i].val;
		/* wait's --timeout is the whole wait, not a default; --ca
		 * is for --acme alone (opts_apply). */
		if (v->origin == CONFIG_DEFAULT || val == OPT_CA ||
		    (val == OPT_TIMEOUT && strcmp(o->command, "wait") == 0))
			continue;
		if (apply_one(o, val, (char *)v->value) < 0)
			return -1;
	}
	/* wait tells --resolvers and --timeout given from defaults. */
	o->resolvers_given = false;
	o->timeout_given = false;
	for (size_t i = 0; i < n; i++) {
		int k = config_find(g[i].c == OPT_NO_COLOR ? OPT_COLOR
							   : g[i].c);
		if (k < 0)
			continue;
		struct config_value *v = &config.v[k];
		v->origin = CONFIG_COMMAND_LINE;
		snprintf(v->value, sizeof(v->value), "%s",
			 g[i].c == OPT_NO_COLOR ? "never" : g[i].arg);
		v->where[0] = '\0';
	}
	return 0;
}

void opts_config_print(FILE *f)
{
	config_print(f, &config);
}

/* Applies the options of ARGV to O. LINE: the options of one fleet
 * line, where whole-run options are refused. The command (found after
 * every option, as getopt moves it) is known before any value is read: an
 * option it does not take is refused first. */
static int apply_given(struct diag_request *o, const struct given *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (apply_one(o, g[i].c, g[i].arg) < 0)
			return -1;
	return 0;
}

/* LINE: the options of one line of a fleet list or an exporter
 * configuration, which must be options of LINE_CMD and of no whole run. */
static int opts_apply(struct diag_request *o, int argc, char **argv, bool line,
		      const char *line_cmd)
{
	struct option longopts[CLI_MAX_OPTS + 1];
	struct given given[128];
	size_t n = 0;
	bool help = false;
	char name[48];
	longopts_fill(longopts);
	opterr = 0;
	optind = 0; /* glibc: start afresh, whatever was parsed before */
	int c;
	while ((c = getopt_long(argc, argv, ":46ho:", longopts, NULL)) != -1) {
		if (c == ':') {
			die("option '%.60s' needs a value", argv[optind - 1]);
			return -1;
		}
		if (c == '?' || !cli_opt_find(c)) {
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
		cli_opt_spelling(cli_opt_find(c), name);
		if (line && run_only(c)) {
			die("'%s' is an option of the whole run, not of one "
			    "line",
			    name);
			return -1;
		}
		if (line && !cli_cmd_takes(cli_cmd_find(line_cmd), c)) {
			die("'%s' is not an option of %s", name, line_cmd);
			return -1;
		}
		if (c == OPT_VERSION) {
			print_version();
			return 1;
		}
		help |= c == OPT_HELP;
		if (n == sizeof(given) / sizeof(given[0])) {
			die("too many options (at most %zu)", n);
			return -1;
		}
		given[n++] = (struct given){ c, optarg };
	}
	if (line && optind < argc) {
		die("'%.60s' is not an option: the %s, then its options",
		    argv[optind],
		    strcmp(line_cmd, "check") == 0 ? "domain" : "arguments");
		return -1;
	}
	if (line)
		return apply_given(o, given, n);
	if (help) {
		if (cli_help(stdout, optind < argc ? argv[optind] : NULL) < 0) {
			die("unknown command '%.40s' (see dnsdoctor --help)",
			    argv[optind]);
			return -1;
		}
		return 1;
	}
	if (optind >= argc) {
		die("no command given (see dnsdoctor --help)");
		return -1;
	}
	o->command = argv[optind++];
	for (size_t i = 0; i < n; i++)
		if (refuse_foreign(o->command, given[i].c) < 0)
			return -1;
	if (formats_agree(given, n) < 0)
		return -1;
	for (; optind < argc; optind++) {
		if (o->n_args == sizeof(o->args) / sizeof(o->args[0])) {
			die("too many arguments (see dnsdoctor --help)");
			return -1;
		}
		o->args[o->n_args++] = argv[optind];
	}
	if (private_policy(o, given, n) < 0)
		return -1;
	if (strcmp(o->command, "help") != 0 && apply_config(o, given, n) < 0)
		return -1;
	if (apply_given(o, given, n) < 0)
		return -1;
	o->rdap_default = strcmp(o->command, "check") == 0 ||
			  strcmp(o->command, "trace") == 0 ||
			  strcmp(o->command, "propagation") == 0;
	int ca = config_find(OPT_CA);
	if (o->acme && !o->ca && config.v[ca].origin != CONFIG_DEFAULT)
		o->ca = config.v[ca].value;
	return 0;
}

/* Whether ARGV asks for --format nagios, read before anything else: a
 * run that fails on a bad argument still owes Nagios its status line on
 * stdout. getopt's own reading, so abbreviations and "--" count as in
 * the real pass; every error is left to that pass. */
static bool nagios_asked(int argc, char **argv)
{
	struct option longopts[CLI_MAX_OPTS + 1];
	bool nagios = false;
	int c;
	longopts_fill(longopts);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":46ho:", longopts, NULL)) != -1)
		if (c == OPT_FORMAT)
			nagios = strcmp(optarg, "nagios") == 0;
	return nagios;
}

int opts_parse(struct diag_request *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	if ((die_quiet = nagios_asked(argc, argv)))
		o->format = DIAG_NAGIOS;
	o->timeout = 2.4;
	o->color = color_auto();
	o->width = columns();
	o->rrsig_warn_days = 3;
	o->warn_days = 21;
	o->rate = -1;
	o->per_server_rate = -1;
	return opts_apply(o, argc, argv, false, NULL);
}

int opts_parse_line(struct diag_request *o, const char *command, int argc,
		    char **argv, char *err, size_t errlen)
{
	line_error = err;
	line_error_len = errlen;
	err[0] = '\0';
	int rc = opts_apply(o, argc, argv, true, command);
	line_error = NULL;
	return rc < 0 ? -1 : 0;
}
