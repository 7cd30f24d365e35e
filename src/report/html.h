/* `check` as one self-contained HTML page (docs/html.md): the verdict and
 * its fix first, the delegation graph (report/graph.h) inline, the
 * findings grouped by cause, the servers. No script, no external
 * resource: a Content-Security-Policy that allows none. */
#ifndef DD_REPORT_HTML_H
#define DD_REPORT_HTML_H

#include <stdio.h>
#include "core/view_dnssec.h"
#include "report/report.h"

/* The page of R; DV (NULL: none) draws the DS -> DNSKEY links. 0, or -1
 * when the graph could not be drawn or F written. */
int report_check_html(const struct report_ctx *r, const struct dnssec_view *dv,
		      FILE *f);
/* The graph alone, as an SVG document. 0 or -1. */
int report_check_svg(const struct report_ctx *r, const struct dnssec_view *dv,
		     FILE *f);

#endif
