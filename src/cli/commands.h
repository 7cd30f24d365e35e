/* The commands and the options, each described once: the source of the
 * usage, of each command's --help, of getopt's table, and of the rule
 * that a command refuses an option it does not use, and of the man pages
 * and shell completions (gendoc.c, at build time). */
#ifndef DD_CLI_COMMANDS_H
#define DD_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* getopt's values: the short letter where there is one. */
enum cli_opt_val {
	OPT_FAMILY4 = '4',
	OPT_FAMILY6 = '6',
	OPT_HELP = 'h',
	OPT_OUTPUT = 'o',
	OPT_VERSION = 'V',
	OPT_EXPECT_NS = 0x100,
	OPT_ROOT_HINTS,
	OPT_SAVE_EVIDENCE,
	OPT_REPLAY,
	OPT_TRUST_ANCHOR,
	OPT_RESOLVERS,
	OPT_DS,
	OPT_RRSIG_WARN_DAYS,
	OPT_TIMEOUT,
	OPT_JSON,
	OPT_FORMAT,
	OPT_RUN_CHECKS,
	OPT_NO_COLOR,
	OPT_ACME,
	OPT_CA,
	OPT_CHALLENGE,
	OPT_TXT,
	OPT_ACCOUNT_URI,
	OPT_ACM,
	OPT_TOKEN,
	OPT_KEY_AUTH,
	OPT_CA_FILE,
	OPT_WARN_DAYS,
	OPT_EXPECT,
	OPT_LIST,
	OPT_LOG_TZ,
	OPT_CONCURRENCY,
	OPT_SHARD,
	OPT_RESUME,
	OPT_RATE,
	OPT_PER_SERVER_RATE,
	OPT_CHECKS,
	OPT_SERVER_TIMEOUT,
	OPT_CERTBOT,
	OPT_LEGO,
	OPT_COLOR,
	OPT_CONFIG,
	OPT_LISTEN,
	OPT_NO_PRIVATE,
	OPT_ALLOW_PRIVATE,
	OPT_RDAP_BOOTSTRAP,
	OPT_NO_RDAP,
	OPT_EXPIRY_WARN_DAYS,
	OPT_NS,
};

struct cli_opt {
	const char *name; /* long name without "--"; NULL for -4 and -6 */
	int val;	  /* enum cli_opt_val */
	bool has_arg;
	const char *arg;  /* what the value is, in help: "FILE" */
	const char *help; /* lines joined by '\n', each under 52 columns */
};

struct cli_cmd {
	const char *name;
	const char *args;    /* after the name in the synopsis */
	const char *summary; /* lines joined by '\n', for the list */
	const char *about;   /* a paragraph for its --help */
	const char *example; /* lines joined by '\n' */
	const int *opts;     /* the options it takes, 0-terminated */
};

#define CLI_MAX_OPTS 64 /* entries of cli_opts, at most */

extern const struct cli_opt cli_opts[];
extern const size_t cli_n_opts;
extern const struct cli_cmd cli_cmds[];
extern const size_t cli_n_cmds;

const struct cli_cmd *cli_cmd_find(const char *name);
const struct cli_opt *cli_opt_find(int val);
bool cli_cmd_takes(const struct cli_cmd *c, int val);
/* True when COMMAND writes --format nagios (check, cert, propagation,
 * wait, and analyze of their evidence). */
bool cli_cmd_nagios(const char *command);
/* True when COMMAND writes --format html (check, propagation, analyze of
 * their evidence), or with SVG --format svg (check, analyze). */
bool cli_cmd_html(const char *command, bool svg);

/* "--name" or "-4": how the option is written. */
const char *cli_opt_spelling(const struct cli_opt *o, char buf[48]);

/* The list of commands and the options they share. */
void cli_usage(FILE *f);
/* One command's synopsis, what it does, its options, an example and the
 * exit codes. */
void cli_cmd_help(FILE *f, const struct cli_cmd *c);
/* COMMAND's help, or the usage when COMMAND is NULL; -1 (nothing
 * printed) when no command has that name. */
int cli_help(FILE *f, const char *command);

#endif
