/* `exporter`: dnsdoctor as a Prometheus exporter (docs/exporter.md).
 *
 * One process, one engine, one loop: the HTTP server (engine/httpd.h),
 * the scheduled checks of the configuration and the /probe checks all run
 * on it, each diagnosis on its own fiber as in fleet. /metrics renders the
 * latest results kept in memory, so a scrape never waits on the network;
 * /probe?target=…&module=… runs one diagnosis while the scraper waits,
 * as blackbox_exporter does. */
#ifndef DD_DIAG_EXPORTER_H
#define DD_DIAG_EXPORTER_H

#include <stddef.h>
#include <stdio.h>
#include "diag/request.h"

struct exporter_options {
	/* The options every check starts from (the command line's check
	 * options: --root-hints, --resolvers, --timeout, ...). */
	const struct diag_request *run;
	const char *config; /* --config FILE; NULL: /probe only */
	const char *listen; /* --listen ADDR:PORT */
	/* Adds the options written on a configuration line to R; they must
	 * be options of COMMAND. 0, or -1 with one line of why in ERR. */
	int (*parse_line)(struct diag_request *r, const char *command, int argc,
			  char **argv, char *err, size_t errlen);
	FILE *log; /* one line per event worth a line */
};

/* Serves until SIGTERM or SIGINT. Returns 0 after a clean stop, or 3
 * (after one line on LOG) when it could not start: a bad configuration,
 * a port in use. */
int diag_exporter(const struct exporter_options *o);

#endif
