/* `check` as one self-contained HTML page (docs/html.md): the verdict and
 * its fix first, the delegation graph (report/graph.h) inline, the
 * findings grouped by cause, the servers. No script, no external
 * resource: a Content-Security-Policy that allows none. */
#ifndef DD_REPORT_HTML_H
#define DD_REPORT_HTML_H

#include <stdio.h>
#include "core/view_dnssec.h"
#include "core/view_record.h"
#include "report/report.h"

/* What the footer says of the run. */
struct html_run {
	const char *command;
	time_t started; /* also "now" for the checks */
	uint64_t queries, elapsed_ms;
};

/* The page of R; DV (NULL: none) draws the DS -> DNSKEY links. 0, or -1
 * when the graph could not be drawn or F written. */
int report_check_html(const struct report_ctx *r, const struct dnssec_view *dv,
		      FILE *f);
/* The graph alone, as an SVG document. 0 or -1. */
int report_check_svg(const struct report_ctx *r, const struct dnssec_view *dv,
		     FILE *f);
/* `propagation`: the ETA and the leading fault, the timeline of what each
 * server and resolver serves until when (the ETA a line across it), the
 * findings. 0, or -1 when F could not be written or memory ran out. */
int report_propagation_html(const struct rv_view *v, const struct findings *fs,
			    const struct html_run *run, FILE *f);

#endif
