/* `fleet`: `check` for every domain of a list, many at once on one engine
 * (each diagnosis on its own fiber), one row per line as each finishes.
 * docs/fleet.md is the contract: input, rows, summary, --shard, --resume,
 * signals and exit codes. */
#ifndef DD_DIAG_FLEET_H
#define DD_DIAG_FLEET_H

#include <stddef.h>
#include <stdio.h>
#include "diag/request.h"

struct fleet_config {
	/* The run: args[0] the input (FILE or "-"), the check options every
	 * line starts from, json, concurrency, shard, resume. */
	const struct diag_request *run;
	/* Adds the options written after a domain on a line to R (which holds
	 * the run's); they must be options of COMMAND. 0, or -1 with one line
	 * of why in ERR. */
	int (*parse_line)(struct diag_request *r, const char *command, int argc,
			  char **argv, char *err, size_t errlen);
	FILE *out; /* rows, or the human report (unless --resume) */
	FILE *log; /* the summary; progress when it is a terminal */
};

/* Runs the fleet. Returns the worst exit code of its rows, or 3 (after
 * one line on LOG) when the run could not start, was stopped by a signal,
 * or could not write its output. */
int diag_fleet(const struct fleet_config *c);

#endif
