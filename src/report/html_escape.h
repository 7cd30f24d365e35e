/* Making strings that came off the network safe for an HTML page and for
 * Graphviz labels. Both first show every byte outside printable ASCII as
 * \xHH, as the text report does (report/sanitize.h), so a reader sees the
 * bytes a server really sent. */
#ifndef DD_REPORT_HTML_ESCAPE_H
#define DD_REPORT_HTML_ESCAPE_H

#include <stdio.h>

/* Writes S to F as HTML text or an attribute value: & < > " ' as
 * character references, other bytes outside printable ASCII as \xHH. */
void html_puts(const char *s, FILE *f);
/* As html_puts, with '\n' kept: for text of our own making inside <pre>
 * (JSON written 7-bit, where a server's newline is already "\n"). */
void html_puts_pre(const char *s, FILE *f);

/* S as the value of a Graphviz label (an escString, not an HTML-like
 * label): bytes outside printable ASCII as \xHH, and every backslash
 * doubled so Graphviz takes none as an escape (\N, \G, \l...).
 * Graphviz's SVG writer escapes < > & " ' itself (tests/unit/test_html.c
 * holds it to that). New string, NULL on ENOMEM. */
char *gv_label(const char *s);

#endif
