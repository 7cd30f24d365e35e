/* What-if delegation (--ns) in the check report: that the delegation is
 * hypothetical, and what would change against the real one. */
#ifndef DD_REPORT_WHATIF_REPORT_H
#define DD_REPORT_WHATIF_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "core/evidence.h"
#include "core/strset.h"

struct report_whatif {
	/* The codes that would go away and appear (core/whatif.h); NULL
	 * when the real delegation was not diagnosed (analyze). */
	const struct strset *gone, *appear;
};

/* "Hypothetical delegation: ..." for EV's --ns set, by PARENT; a new
 * string, NULL when EV has none or on ENOMEM. */
char *report_whatif_note(const struct evidence *ev, const char *parent);
/* "Compared with the real delegation: ..."; NULL when not compared or on
 * ENOMEM. */
char *report_whatif_diff_note(const struct report_whatif *w);
/* Adds "hypothetical_delegation" and "compared_with_real_delegation" to
 * O when EV has a --ns set. */
void report_whatif_json(const struct evidence *ev,
			const struct report_whatif *w, json_t *o);
/* The HTML section, when EV has a --ns set. */
void report_whatif_html(const struct evidence *ev, const char *parent,
			const struct report_whatif *w, FILE *f);

#endif
