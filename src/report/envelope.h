/* One result envelope and one JSON writer for every command (the schema:
 * docs/result.schema.json). Reports only render. */
#ifndef DD_REPORT_ENVELOPE_H
#define DD_REPORT_ENVELOPE_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>
#include "core/finding.h"

struct report_envelope {
	const char *command;
	time_t started; /* written as RFC 3339 UTC */
	uint64_t duration_ms;
	int exit; /* 0, 1, 2; 3: could not be carried out */
	const struct findings *fs;
	const char *error; /* with exit 3: why; else NULL */
};

/* The findings as JSON objects (code, severity, summary, fix, evidence);
 * NULL on ENOMEM. */
json_t *report_findings_json(const struct findings *fs);

/* "ok", "warning", "error", or "unknown" for exit 3. */
const char *report_verdict_of_exit(int exit);

/* { dnsdoctor, command, started, duration_ms, verdict, exit, findings,
 * [error], then SECTION's fields } as an object (SECTION taken); NULL on
 * ENOMEM. */
json_t *report_envelope(const struct report_envelope *e, json_t *section);

/* "2024-06-01T12:00:00Z" for T into BUF (at least 21 bytes). */
const char *report_rfc3339(time_t t, char *buf, size_t len);

#endif
