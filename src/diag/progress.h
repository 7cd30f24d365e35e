/* The live line of a diagnosis on a terminal (issue 16): once a check has
 * run for a second, one line on stderr, redrawn in place, says how long it
 * has been, how many queries went out and which servers are still silent;
 * it is erased before the report. It only reads the engine (eng_queries)
 * on a tick that is never pending (eng_tick), so it changes no result, no
 * count and no byte of the report. */
#ifndef DD_DIAG_PROGRESS_H
#define DD_DIAG_PROGRESS_H

#include <stdio.h>

struct diag;
struct engine;
struct diag_progress;

/* Starts D's line on OUT (a terminal COLS wide) while ENG runs. NULL when
 * ENG has no tick (replay) or out of memory: a diagnosis never fails for
 * want of its progress line. */
struct diag_progress *diag_progress_start(struct diag *d, struct engine *eng,
					  int cols, FILE *out);

/* Stops the tick, erases the line if one was drawn, frees. Accepts NULL. */
void diag_progress_stop(struct diag_progress *p);

#endif
