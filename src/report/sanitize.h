/* Making strings that came off the network safe for a terminal. */
#ifndef DD_REPORT_SANITIZE_H
#define DD_REPORT_SANITIZE_H

#include <stdio.h>

/* Writes S to F with every byte outside printable ASCII (controls, DEL,
 * bytes >= 0x80) written as \xHH, so no escape sequence,
 * NUL or invalid text from a server reaches the terminal raw. */
void fputs_safe(const char *s, FILE *f);

/* The same into a new string; NULL on ENOMEM. */
char *str_safe(const char *s);

/* As str_safe, with '|' also written as \x7c: Nagios and Icinga read a
 * plugin's output up to the first '|' of a line as text and the rest as
 * performance data (docs/nagios.md). NULL on ENOMEM. */
char *str_safe_plugin(const char *s);

#endif
