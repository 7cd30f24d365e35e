/* The delegation graph of a check as SVG, laid out by Graphviz (dot):
 * root -> TLD -> zone, each zone a box; the parent's NS set, the zone's
 * own and the expected one (--expect-ns) side by side, each server and
 * address a node; DS -> DNSKEY for DNSSEC. What the findings blame is
 * drawn red and labelled with the finding's code. */
#ifndef DD_REPORT_GRAPH_H
#define DD_REPORT_GRAPH_H

#include <stdio.h>
#include "core/finding.h"
#include "core/view.h"
#include "core/view_dnssec.h"

struct graph_input {
	const struct view *view;
	const struct dnssec_view *dv; /* NULL: no DNSSEC links drawn */
	const struct findings *fs;
};

/* Writes the graph to F as one <svg> element (no XML prolog, so it can be
 * inlined in HTML). Every string of the evidence is escaped
 * (report/html_escape.h). 0, or -1 when Graphviz or memory failed. */
int report_graph_svg(const struct graph_input *in, FILE *f);

#endif
