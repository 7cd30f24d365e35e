/* What `propagation`, `wait` and `plan` share (cmd_propagation.c). */
#ifndef DD_CLI_RECORD_H
#define DD_CLI_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include "cli/options.h"
#include "core/evidence.h"
#include "probe/hints.h"

/* --resolvers into H; without it, with DEFAULTS, the system resolver then
 * the built-in public ones. 0 or -1 (message printed). */
int record_resolvers(const struct opts *o, bool defaults, struct hints *h);
/* NAME TYPE and --expect checked. 0 or -1 (message printed). */
int record_args(const struct opts *o, const char *cmd, char *name, size_t len,
		uint16_t *type);
/* Runs probe_record for CMD into a new *OUT (saved with --save-evidence);
 * *QUERIES the queries sent. 0 or -1 (message printed). */
int record_gather(const struct opts *o, const char *cmd, const struct hints *res,
		  struct evidence **out, uint64_t *queries);

#endif
