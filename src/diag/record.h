/* What `propagation`, `plan` and `wait` share (diag/kind_record.c). */
#ifndef DD_DIAG_RECORD_H
#define DD_DIAG_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "core/evidence.h"
#include "core/finding.h"
#include "core/view_record.h"
#include "diag/diag.h"
#include "probe/hints.h"

/* --resolvers into H ("public" names the built-in public set); without
 * it, with DEFAULTS, the system resolver of /etc/resolv.conf only. 0 or -1
 * (diag_fail). */
int record_resolvers(struct diag *d, bool defaults, struct hints *h);
/* Runs probe_record for D's NAME TYPE into a new D->ev (saved with
 * --save-evidence when SAVE). 0 or -1 (diag_fail). */
int record_gather(struct diag *d, struct diag_env *env, const struct hints *res,
		  bool save);

/* The record view of D->ev and the propagation checks over it into
 * D->fs; sets D->exit. 0 or -1 (diag_fail). */
int record_judge(struct diag *d, struct rv_view *v);

/* D's record view V as a monitoring plugin's output, the ETA in the
 * performance data; VERDICT: the status text, NULL for the leading
 * finding's (or, with no fault, what was found). */
void record_nagios(const struct diag *d, const struct rv_view *v,
		   const char *verdict, FILE *f);

#endif
