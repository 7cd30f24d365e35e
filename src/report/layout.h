/* One human layout for every command, so check, propagation, wait, cert
 * and logs speak with one voice:
 *
 *   SUBJECT  ERROR  (what the subject is)
 *
 *     The verdict: the root cause's summary.
 *
 *     Fix:
 *       The root cause's fix.
 *
 *   Findings (1 error, 2 warnings)
 *     error   CODE
 *             summary, wrapped
 *             fix, dimmed
 *                 because of CODE:
 *         warning CODE   (a consequence, under its cause)
 *
 *   Section title of the command's own table
 *     ...
 *
 * Width, colour and the escaping of everything that came off the network
 * are decided here once. */
#ifndef DD_REPORT_LAYOUT_H
#define DD_REPORT_LAYOUT_H

#include <stdbool.h>
#include <stdio.h>
#include "core/finding.h"

#define SGR_RED	   "\033[31m"
#define SGR_YELLOW "\033[33m"
#define SGR_GREEN  "\033[32m"
#define SGR_BOLD   "\033[1m"
#define SGR_DIM	   "\033[2m"
#define SGR_RESET  "\033[0m"

struct layout {
	FILE *f;
	bool color;
	int cols; /* text wraps before this column */
};

/* WIDTH: the terminal's columns (0: 80). */
void layout_init(struct layout *l, FILE *f, bool color, int width);

/* CODE when colour is on, "" otherwise. */
const char *layout_sgr(const struct layout *l, const char *code);

/* "ERROR", "WARNING" or "OK": the worst severity of FS, for headlines. */
const char *layout_word(const struct findings *fs);

struct layout_head {
	const char *prefix;    /* before the name, as is ("*.") */
	const char *name;      /* a domain name: shown with its Unicode
				* form when it holds A-labels */
	const char *qualifier; /* after the name ("TXT", "port 443") */
	const char *tail;      /* after the verdict word ("(in zone x)") */
};

/* The first line: subject, the worst severity of FS, what the subject
 * is. Every part is shown safe. */
void layout_headline(const struct layout *l, const struct layout_head *h,
		     const struct findings *fs);

/* The verdict paragraph and, when FIX is given, its fix. */
void layout_verdict(const struct layout *l, const char *verdict,
		    const char *fix);

/* A paragraph after a blank line, indented like the verdict. */
void layout_note(const struct layout *l, const char *text);

/* TEXT (from the network or not: it is made safe) wrapped at the width,
 * each line indented by INDENT. */
void layout_wrap(const struct layout *l, const char *text, int indent);

/* "error", padded to PAD columns, in the severity's colour. */
void layout_severity(const struct layout *l, enum severity sev, int pad);

/* "Findings (N errors, M warnings)" and every finding, each cause
 * before what it explains; nothing when FS is empty. */
void layout_findings(const struct layout *l, const struct findings *fs);

/* A blank line, then TITLE in bold and SUBJECT (made safe) after it. */
void layout_section(const struct layout *l, const char *title,
		    const char *subject);

/* A blank line, then TEXT dimmed: counts and pointers at the end. */
void layout_footer(const struct layout *l, const char *text);

#endif
