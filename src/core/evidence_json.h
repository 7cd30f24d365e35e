/* The evidence file: what `--save-evidence` writes and `analyze` reads.
 * The format is documented in docs/json.md. */
#ifndef DD_CORE_EVIDENCE_JSON_H
#define DD_CORE_EVIDENCE_JSON_H

#include <jansson.h>
#include "core/evidence.h"

/* 2: validation, cert, http01 and tls as objects (1 kept them as strings
 * and JSON texts); both are read. */
#define EVIDENCE_FORMAT	       2
#define EVIDENCE_FORMAT_OLDEST 1

/* Returns a new JSON object, or NULL when out of memory. */
json_t *evidence_to_json(const struct evidence *ev);

/* Builds evidence from J. On failure returns NULL and writes a one-line
 * reason (no trailing newline) into ERR. Never trusts J's shape. */
struct evidence *evidence_from_json(const json_t *j, char *err, size_t errlen);

/* One HTTP-01 fetch as the evidence file and the findings show it:
 * network strings escaped (json_safe). NULL on ENOMEM. */
json_t *ev_http01_json(const struct ev_http01 *h);

/* Bytes as a JSON string of lower-case hex; NULL when out of memory. */
json_t *ev_hex_json(const uint8_t *p, size_t n);
/* Hex text S of LEN digits (at most 2 * 65535) into a malloc'd buffer.
 * 0, or -1 on bad hex or no memory. */
int ev_unhex(const char *s, size_t len, uint8_t **out, size_t *outlen);
/* The value of hex digit C (either case), or -1. */
int ev_hex_digit(char c);

#endif
