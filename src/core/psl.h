/* The Public Suffix List (publicsuffix.org), read from its text form: how
 * many labels of a name are a suffix under which the public registers
 * names ("co.uk." for "foo.co.uk."). Pure: the list's text is an input. */
#ifndef DD_CORE_PSL_H
#define DD_CORE_PSL_H

#include <stddef.h>

/* The number of labels of NAME's public suffix (NAME absolute, lower
 * case) by the rules in TEXT (LEN bytes, the list's format: one rule per
 * line, "//" comments, "*." wildcards, "!" exceptions). With no rule
 * matching, the implicit rule "*": 1. Rules in Unicode are not matched
 * (NAME holds A-labels). 0 for the root. */
int psl_suffix_labels(const char *text, size_t len, const char *name);

#endif
