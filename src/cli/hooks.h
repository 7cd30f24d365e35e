/* wait --certbot and wait --lego: the name, type and value from what the
 * ACME client hands its hook. */
#ifndef DD_CLI_HOOKS_H
#define DD_CLI_HOOKS_H

#include <stddef.h>
#include "diag/request.h"

#define HOOK_DONE 1 /* nothing to do: exit 0 (lego's cleanup) */

/* Fills O's NAME TYPE and --expect from certbot's environment or lego's
 * arguments when O asks for it; NAME (LEN bytes) holds a name made here.
 * 0, HOOK_DONE, or EXIT_UNKNOWN after one line on stderr. */
int hooks_apply(struct diag_request *o, char *name, size_t len);

#endif
