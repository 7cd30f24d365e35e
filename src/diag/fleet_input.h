/* fleet's input and its earlier output: lines read as they are consumed
 * (never the whole list in memory), and the rows of a cut-off run. */
#ifndef DD_DIAG_FLEET_INPUT_H
#define DD_DIAG_FLEET_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define FLEET_LINE_MAX	 4096 /* longer lines are one "too long" row */
#define FLEET_TOKENS_MAX 64

/* One line: its text, trimmed of the newline, surrounding blanks and a
 * trailing "# comment"; the tokens split on blanks point into WORDS. */
struct fleet_line {
	unsigned long no; /* 1-based */
	char text[FLEET_LINE_MAX + 1];
	size_t len;
	bool too_long;
	char words[FLEET_LINE_MAX + 1];
	char *tok[FLEET_TOKENS_MAX];
	int n_tok;
	bool too_many; /* more tokens than FLEET_TOKENS_MAX */
};

/* Reads the next line of F into L (L->no counts every line, blank and
 * comment ones too). Returns 1 for a line to check, 0 for a blank or
 * comment line, -1 at the end of F (or a read error: ferror(F)). */
int fleet_line_read(FILE *f, struct fleet_line *l);

/* Lines already done by an earlier run, by number: a bit set. */
struct fleet_done {
	unsigned char *bits;
	size_t n_bytes;
	unsigned long count;
};

/* Reads the rows of OUT (a run's --json output, perhaps cut off or with
 * rows marked "interrupted"), keeps in D the lines that have a complete
 * row, and rewrites OUT with only those rows, so the rows appended next
 * complete it without a duplicate. A missing OUT is an empty one.
 * 0, or -1 with one line of why in ERR. */
int fleet_done_load(struct fleet_done *d, const char *out, char *err,
		    size_t errlen);
bool fleet_done_has(const struct fleet_done *d, unsigned long line);
void fleet_done_free(struct fleet_done *d);

#endif
