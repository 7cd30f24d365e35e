/* Domain names as dnsdoctor passes them around: absolute, lower-case
 * presentation strings ("example.com.", "." for the root). */
#ifndef DD_CORE_DNAME_H
#define DD_CORE_DNAME_H

#include <stdbool.h>
#include <stddef.h>

/* Checks and normalises a name typed by a user into OUT (at least 256
 * bytes): lower case, trailing dot. Letters, digits, '-' and '_' only.
 * Returns 0, or -1 with a one-line reason in ERR. */
int dname_from_user(const char *in, char *out, size_t outlen, char *err,
		    size_t errlen);

/* True when NAME equals ZONE or lies below it. */
bool dname_in(const char *name, const char *zone);
/* Number of labels; "." has 0. */
int dname_labels(const char *name);
/* The parent name of NAME into OUT; the root's parent is the root. */
void dname_parent(const char *name, char *out, size_t outlen);
/* LABEL under NAME into OUT ("_acme-challenge." under the root). The
 * snprintf result: OUTLEN or more when it did not fit. */
int dname_child(const char *label, const char *name, char *out, size_t outlen);

#endif
