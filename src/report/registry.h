/* The registry's view (RDAP) in the check report (registry.c). */
#ifndef DD_REPORT_REGISTRY_H
#define DD_REPORT_REGISTRY_H

#include <jansson.h>
#include "core/view.h"

struct layout;

/* The "Registry" section; nothing when RDAP was off. */
void report_registry_text(const struct view *v, const struct layout *l);
/* {"state": "ok"|"not-found"|"unavailable", ...}, or NULL when RDAP was
 * off (docs/json.md). */
json_t *report_registry_json(const struct view *v);

#endif
