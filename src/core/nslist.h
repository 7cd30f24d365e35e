/* The name servers a DNS provider assigned, as given to --expect-ns: a list
 * ("a.example.net,b.example.net", or one per line with # comments) or the
 * JSON `aws route53 get-hosted-zone` prints (DelegationSet.NameServers). */
#ifndef DD_CORE_NSLIST_H
#define DD_CORE_NSLIST_H

#include <stddef.h>
#include "core/strset.h"

/* Parses TEXT (LEN bytes, may hold NULs, which are rejected) into OUT as
 * normalised names. Returns 0, or -1 with a one-line reason in ERR. */
int nslist_parse(const char *text, size_t len, struct strset *out, char *err,
		 size_t errlen);

#endif
