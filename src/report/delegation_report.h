/* The ETA of a record's view in words, and the delegation part of
 * `propagation` (NS at a zone's apex, DS): the parent's servers, a fresh
 * resolver (the CA's) and each listed resolver. Schema: docs/json.md. */
#ifndef DD_REPORT_DELEGATION_REPORT_H
#define DD_REPORT_DELEGATION_REPORT_H

#include <time.h>
#include <jansson.h>
#include "core/view_record.h"
#include "report/layout.h"

/* "ETA: 57 s (2026-12-08 00:01:02 UTC)…" into BUF: now, in N s, never,
 * or for a delegation the parent does not publish yet, unknown until the
 * registry does. */
void report_eta_text(const struct rv_view *v, time_t now, char *buf,
		     size_t len);
/* The "Delegation" section; nothing unless V is a delegation. */
void report_delegation_text(const struct rv_view *v, time_t now,
			    const struct layout *l);
/* {"parent_zone", "parent_addresses", "parent_current", "parent_ttl",
 * "fresh_resolver_eta_seconds", "resolvers_eta_seconds", "resolvers":
 * [{"server", "addr", "eta_seconds"}]}; NULL unless V is a delegation (or
 * on ENOMEM). */
json_t *report_delegation_json(const struct rv_view *v, time_t now);

#endif
