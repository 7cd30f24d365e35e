/* Renderers: findings and the view they came from, as text or JSON.
 * Reports only render; every decision was made by the checks. */
#ifndef DD_REPORT_REPORT_H
#define DD_REPORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>
#include "core/evidence.h"
#include "core/finding.h"
#include "report/whatif_report.h"
#include "core/view.h"
#include "core/view_dnssec.h"

struct report_ctx {
	const char *command; /* "check", "analyze" */
	const struct view *view;
	/* The resolvers asked (--resolvers), answered or not. */
	const struct dsv_resolver *resolvers;
	size_t n_resolvers;
	const char *asked; /* the name as asked ("*.x." for a wildcard
			    * certificate); NULL: the view's domain */
	const struct findings *findings;
	const char *verdict; /* one sentence */
	const char *fix;     /* may be NULL */
	int exit_code;
	time_t started;
	uint64_t queries;
	uint64_t elapsed_ms;
	bool color;
	int width; /* columns; 0: 80 */
	/* --ns (report/whatif_report.h): what would change; NULL when not
	 * compared. The hypothetical set itself is the evidence's. */
	const struct report_whatif *whatif;
};

void report_check_text(const struct report_ctx *r, FILE *f);
/* The `check` section of the JSON envelope; NULL on ENOMEM. */
json_t *report_check_section(const struct report_ctx *r);

/* `trace`: the walk, level by level, from the evidence. */
void report_trace_text(const struct evidence *ev, uint16_t qtype,
		       uint64_t queries, uint64_t elapsed_ms, bool color,
		       FILE *f);
/* Its section of the JSON envelope: domain, type, levels, stats. */
json_t *report_trace_section(const struct evidence *ev, uint16_t qtype,
			     uint64_t queries, uint64_t elapsed_ms);

/* "NOERROR ad", "SERVFAIL", "timeout": one answer of a resolver (enum
 * qstatus STATUS, RCODE, the AD bit) into BUF, which it returns. */
const char *report_resolver_answer(int status, int rcode, bool ad, char *buf,
				   size_t len);

/* "verdict" field and exit code of a finding list (monitoring-plugin
 * convention: 0 ok, 1 warnings, 2 errors). */
const char *report_verdict_word(const struct findings *fs);
int report_exit_code(const struct findings *fs);

#endif
