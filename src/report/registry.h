/* The registry's view (RDAP) in the check report (registry.c). */
#ifndef DD_REPORT_REGISTRY_H
#define DD_REPORT_REGISTRY_H

#include <jansson.h>

struct layout;

struct view_rdap;

/* The "Registry" section of R (a view's rdap, or view_rdap_new's);
 * nothing when R is NULL (RDAP was off). */
void report_registry_text(const struct view_rdap *r, const struct layout *l);
/* {"state": "ok"|"not-found"|"unavailable", ...}, or NULL when R is NULL
 * (docs/json.md). */
json_t *report_registry_json(const struct view_rdap *r);

#endif
