/* The command line into a diagnosis request. */
#ifndef DD_CLI_OPTIONS_H
#define DD_CLI_OPTIONS_H

#include <stdio.h>
#include "diag/request.h"

/* Parses ARGV into R. Returns 0, 1 when --help or --version was handled
 * (exit 0), or -1 after printing one line on stderr (exit 3). When ARGV
 * asks for --format nagios, R->format says so even then, and die() writes
 * nothing on stderr from here on: its line is for stdout (die_last). */
int opts_parse(struct diag_request *r, int argc, char **argv);

/* Adds the options of one fleet input line (ARGV[1..], ARGV[0] a name)
 * to O, which holds the run's. 0, or -1 with one line of why in ERR. */
int opts_parse_line(struct diag_request *o, const char *command, int argc,
		    char **argv, char *err, size_t errlen);

/* `dnsdoctor config`: the settings opts_parse read, and whence. */
void opts_config_print(FILE *f);

/* The columns of the live line a lone diagnosis shows on stderr while it
 * waits (diag/progress.h): stderr's terminal's width, or 0 for none (not
 * a terminal, TERM=dumb, --json, --replay). */
int opts_progress(const struct diag_request *o);

/* Prints "dnsdoctor: MESSAGE" on one line of stderr (not with --format
 * nagios); returns EXIT_UNKNOWN. */
int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The MESSAGE die() printed last ("" before any). */
const char *die_last(void);

#endif
