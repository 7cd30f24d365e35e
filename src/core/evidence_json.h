/* The evidence file: what `--save-evidence` writes and `analyze` reads.
 * The format is documented in docs/json.md. */
#ifndef DD_CORE_EVIDENCE_JSON_H
#define DD_CORE_EVIDENCE_JSON_H

#include <jansson.h>
#include "core/evidence.h"

#define EVIDENCE_FORMAT 1

/* Returns a new JSON object, or NULL when out of memory. */
json_t *evidence_to_json(const struct evidence *ev);

/* Builds evidence from J. On failure returns NULL and writes a one-line
 * reason (no trailing newline) into ERR. Never trusts J's shape. */
struct evidence *evidence_from_json(const json_t *j, char *err, size_t errlen);

#endif
