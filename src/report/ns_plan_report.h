/* `plan DOMAIN NS` to new servers (core/ns_plan.h): the steps with their
 * clock times, as text and as the JSON section's "ns_plan". */
#ifndef DD_REPORT_NS_PLAN_REPORT_H
#define DD_REPORT_NS_PLAN_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "core/ns_plan.h"
#include "report/whatif_report.h"

struct ns_plan_report {
	const char *domain, *parent; /* absolute; parent "" when unknown */
	const struct ns_plan *plan;
	const char *registrar;		    /* from RDAP, or "the registrar" */
	bool registrar_known;		    /* RDAP named it */
	const struct report_whatif *whatif; /* may be NULL */
	const struct findings *fs; /* the new delegation's, for the headline */
	bool color;
	int width;
};

void report_ns_plan_text(const struct ns_plan_report *r, FILE *f);
/* The "ns_plan" object; NULL on ENOMEM. */
json_t *report_ns_plan_json(const struct ns_plan_report *r);

#endif
