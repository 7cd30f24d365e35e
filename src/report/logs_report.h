/* `dnsdoctor logs`: rendering the classified failures of ACME client logs
 * (src/core/acmelog.h) as a table or as JSON (docs/logs.md). */
#ifndef DD_REPORT_LOGS_REPORT_H
#define DD_REPORT_LOGS_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "core/acmelog.h"

/* One recommended command for one domain, and what running it gave. */
struct logs_check {
	char *domain;
	char *command; /* "dnsdoctor check example.com" */
	bool ran;      /* --run-checks ran it */
	int exit_code;
	const json_t *result; /* its JSON output, borrowed; NULL if none */
	char *error;	      /* why it gave nothing, or NULL */
};

struct logs_group_checks {
	struct logs_check *c;
	size_t n;
};

struct logs_input {
	const char *name;
	enum acme_format format;
	size_t lines;
};

struct logs_report {
	const struct logs_input *inputs;
	size_t ninputs;
	const struct acme_log *log;
	const struct acme_summary *sum;
	const struct logs_group_checks *checks; /* one per sum->g */
	bool run_checks;
	bool color;
	int width; /* columns; 0: 80 */
	int exit_code;
};

void report_logs_text(const struct logs_report *r, FILE *f);
/* The `logs` section of the JSON envelope; NULL on ENOMEM. */
json_t *report_logs_section(const struct logs_report *r);

/* Shared by both renderers. */
const char *logs_format_of(const struct logs_report *r);
/* "2024-06-01T12:00:00Z" into BUF, or "-" when T is ACMELOG_NO_TIME. */
const char *logs_time(const struct logs_report *r, int64_t t, char *buf,
		      size_t len);
/* "+09:00" for an offset of OFF seconds east of UTC. */
const char *logs_tz_text(int64_t off, char *buf, size_t len);
/* True when the times are the log's own local time, zone unknown (no Z). */
bool logs_local_times(const struct logs_report *r);
/* "ok", "close", "at-limit", "over-limit" for N against LIMIT. */
const char *logs_limit_status(uint64_t n, uint64_t limit);

#endif
