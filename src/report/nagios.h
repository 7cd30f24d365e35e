/* A monitoring plugin's output, as the Monitoring Plugins Development
 * Guidelines describe it and Nagios, Icinga, Naemon and Checkmk read it
 * (docs/nagios.md):
 *
 *   DNSDOCTOR CRITICAL - example.com: LAME_DELEGATION - No server ... |
 * queries=55 duration=0.022s errors=2 warnings=0 error LAME_DELEGATION:
 * ns1.example.net. (192.0.2.1) answers REFUSED ... error ZONE_UNREACHABLE: ...
 * (a consequence, under its cause) Fix: ...
 *
 * The status word follows the exit code (0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN). Every string is made safe: no control byte, no byte
 * outside ASCII, no '|' (each written \xHH), so one line stays one line
 * and the performance data start at the one " | " written here. */
#ifndef DD_REPORT_NAGIOS_H
#define DD_REPORT_NAGIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/finding.h"

/* The status text after "DNSDOCTOR STATUS - ", at most (a longer one is
 * cut, ending in "..."). */
#define NAGIOS_STATUS_MAX 200
/* One line of the long output, at most. */
#define NAGIOS_LINE_MAX 300
/* Findings listed in the long output; a line says how many more. With
 * the limits above the whole output stays under the 8 KB Nagios 4 keeps. */
#define NAGIOS_FINDINGS_MAX 20

/* One more performance datum: LABEL=VALUE[UOM][;WARN;CRIT]. */
struct nagios_perf {
	const char *label; /* a fixed name: lower-case ASCII and '_' */
	int64_t value;
	const char *uom;  /* "" or "s" */
	const char *warn; /* a threshold range ("21:"), or NULL */
	const char *crit;
};

struct nagios_report {
	/* What was checked: "example.com", "_acme-challenge.example.com
	 * TXT", "www.example.com:443". */
	const char *subject;
	int exit; /* 0, 1 or 2: the status word */
	/* Sorted: each root cause, then what it explains. */
	const struct findings *fs;
	/* The sentence after the codes (the verdict); NULL: the first
	 * finding's summary. With exit 0, what was found in order. */
	const char *verdict;
	/* The fix of the whole, for the last line; NULL: the first
	 * finding's fix when something is wrong. */
	const char *fix;
	uint64_t queries;
	uint64_t duration_ms;
	const struct nagios_perf *perf; /* after the ones every run has */
	size_t n_perf;
};

/* The status line with its performance data, then one line per finding
 * and the fix. */
void report_nagios(const struct nagios_report *r, FILE *f);

/* NAME without its final dot ("example.com"; the root stays "."), into
 * BUF; returns BUF. */
const char *nagios_name(const char *name, char *buf, size_t len);

/* "DNSDOCTOR UNKNOWN - WHY": the run could not be carried out (exit 3). */
void report_nagios_unknown(const char *why, FILE *f);

#endif
