/* `fleet`: one NDJSON row per input line, the summary on stderr, and the
 * human report of the broken domains grouped by root cause. Rows carry
 * the same finding objects `check --json` prints, from the same writer. */
#ifndef DD_REPORT_FLEET_REPORT_H
#define DD_REPORT_FLEET_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "core/finding.h"

struct fleet_row {
	unsigned long line; /* 1-based, in the input */
	const char *domain; /* as written; NULL: the line is not a domain */
	const char *input;  /* the line's text, for a line that is not one */
	int exit;	    /* 0, 1, 2; 3: not a domain, or not checked */
	const struct findings *fs; /* NULL without a diagnosis */
	const char *error;	   /* with exit 3: why */
	uint64_t queries;	   /* questions this diagnosis asked */
	uint64_t duration_ms;
	bool interrupted; /* stopped by a signal before it was done */
};

/* The row as an object; NULL on ENOMEM. */
json_t *report_fleet_row(const struct fleet_row *r);

/* The broken domains of one root cause (the first finding of each). */
struct fleet_group {
	enum finding_code code;
	char **domains;
	size_t n, cap;
};

struct fleet_summary {
	unsigned long lines;	   /* rows written */
	unsigned long by_exit[4];  /* rows by exit code */
	unsigned long not_domain;  /* rows of lines that were not domains */
	unsigned long interrupted; /* rows marked interrupted */
	unsigned long by_code[F__COUNT]; /* domains with each code */
	uint64_t elapsed_ms;
	uint64_t queries;	   /* sent to the network by the whole run */
	uint64_t retries, retried; /* datagrams sent again; their questions */
	bool stopped;		   /* a signal ended the run early */
};

/* The summary, a few lines, for stderr. */
void report_fleet_summary(const struct fleet_summary *s, FILE *f);

/* Without --json: the N groups, most domains first (G is sorted here);
 * the summary follows on stderr. */
void report_fleet_text(struct fleet_group *g, size_t n,
		       const struct fleet_summary *s, FILE *f);

#endif
