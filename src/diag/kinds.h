/* The kinds of the diagnosis table (diag/diag.c), one file each. */
#ifndef DD_DIAG_KINDS_H
#define DD_DIAG_KINDS_H

#include "diag/diag.h"

extern const struct diag_kind diag_kind_check;	     /* kind_check.c */
extern const struct diag_kind diag_kind_trace;	     /* kind_trace.c */
extern const struct diag_kind diag_kind_propagation; /* kind_record.c */
extern const struct diag_kind diag_kind_plan;	     /* kind_record.c */
extern const struct diag_kind diag_kind_wait;	     /* kind_wait.c */
extern const struct diag_kind diag_kind_cert;	     /* kind_cert.c */
extern const struct diag_kind diag_kind_logs;	     /* kind_logs.c */
/* plan DOMAIN NS to new servers (--ns or --expect): kind_check.c; not in
 * the table: diag_run picks it for `plan` when diag_plan_ns_wanted. */
extern const struct diag_kind diag_kind_plan_ns;
bool diag_plan_ns_wanted(const struct diag_request *r);

#endif
