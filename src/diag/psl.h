/* The Public Suffix List through libpsl (Debian's libpsl, which libcurl
 * loads anyway): how many labels of a name are a suffix under which the
 * public registers names ("co.uk." for "foo.co.uk."), IDN rules and the
 * private section included. */
#ifndef DD_DIAG_PSL_H
#define DD_DIAG_PSL_H

#include <stddef.h>
#include <libpsl.h>

/* Loads the list at PATH, or (PATH NULL) the one DNSDOCTOR_PUBLIC_SUFFIX_LIST
 * names, or Debian's (publicsuffix). *OUT is NULL when PATH and the
 * variable are unset and no list is installed. 0, or -1 with one line
 * in ERR. */
int diag_psl_load(const char *path, psl_ctx_t **out, char *err, size_t errlen);

/* The number of labels of NAME's public suffix (NAME absolute, A-labels);
 * with no rule matching, the implicit "*": 1. 0 for the root. */
int diag_psl_suffix_labels(const psl_ctx_t *psl, const char *name);

#endif
