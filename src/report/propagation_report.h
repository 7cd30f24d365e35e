/* Renderers of `propagation` and `plan` (and of `wait` on a timeout):
 * the record view and its findings. Schema: docs/json.md. */
#ifndef DD_REPORT_PROPAGATION_REPORT_H
#define DD_REPORT_PROPAGATION_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>
#include "core/finding.h"
#include "core/view_record.h"
#include "report/layout.h"

/* In the one layout (layout.h): the ETA and the leading fault on top,
 * the findings, then one row per server address and resolver. */
void report_propagation_text(const struct rv_view *v, const struct findings *fs,
			     time_t now, const struct layout *l);
/* The `propagation` (and `wait`) section of the JSON envelope: name, type,
 * expect, eta_seconds, views. NULL on ENOMEM. */
json_t *report_propagation_section(const struct rv_view *v, time_t now);

/* `plan`: the numbers a change is planned from. */
struct rv_plan {
	int64_t auth_ttl;      /* largest TTL at the servers; -1 unknown */
	int64_t neg_ttl;       /* largest negative TTL at the servers; -1 */
	int64_t resolver_left; /* longest a resolver still holds its answer */
	int64_t worst_now;     /* the longest an old answer survives a change
				* made now */
	int64_t low_ttl;       /* the TTL to lower to first */
	int64_t change_after;  /* seconds from now until the change is safe */
	int64_t raise_after;   /* seconds after the change to raise it back */
};

/* Pure: the plan from the view, with LOW_TTL the TTL to lower to. */
void rv_plan_build(const struct rv_view *v, time_t now, int64_t low_ttl,
		   struct rv_plan *out);
void report_plan_text(const struct rv_view *v, const struct rv_plan *pl,
		      time_t now, FILE *f);
/* The `plan` section of the JSON envelope; NULL on ENOMEM. */
json_t *report_plan_section(const struct rv_view *v, const struct rv_plan *pl,
			    time_t now);

#endif
