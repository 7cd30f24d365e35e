/* Root cause first: which finding explains which. A consequence (a
 * resolver's SERVFAIL, a challenge record the CA will not find, a zone no
 * server answers for) points at the fault behind it, so the report can
 * lead with the fault and its fix and list the consequences under it.
 * Pure: the links follow from the findings alone. */
#ifndef DD_CORE_CAUSES_H
#define DD_CORE_CAUSES_H

#include <stddef.h>
#include "core/finding.h"

/* Sets each finding's cause: the index in FS of the root fault that
 * explains it, or -1 for a finding nothing here explains. */
void findings_link(struct findings *fs);

/* What F is about, for a cause's "subject": the resolver, server, name or
 * zone its evidence names (with the address when it differs), or "". */
const char *finding_subject(const struct finding *f, char *buf, size_t len);

#endif
