/* The parts every HTML page of report/ shares (html.c, html_record.c):
 * the head with its Content-Security-Policy and styles, the verdict at
 * the top, the findings grouped by cause, the footer. Every string given
 * is escaped (html_escape.h). */
#ifndef DD_REPORT_HTML_PAGE_H
#define DD_REPORT_HTML_PAGE_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "core/finding.h"

/* From <!DOCTYPE> to <body>; SUBJECT titles the page. */
void html_head(const char *subject, FILE *f);
/* OK / WARNING / ERROR of FS for SUBJECT, the cause and the fix (either
 * may be NULL). */
void html_verdict(const char *subject, const struct findings *fs,
		  const char *cause, const char *fix, FILE *f);
/* Each root fault, then the findings it explains inside it. */
void html_findings(const struct findings *fs, FILE *f);
/* What ran, when, at what cost; closes the page. */
void html_footer(const char *command, time_t started, uint64_t queries,
		 uint64_t elapsed_ms, FILE *f);

#endif
