#include <stdlib.h>
#include <string.h>
#include "report/graph.h"
#include "core/view_rdap.h"
#include "report/html.h"
#include "report/html_escape.h"
#include "report/html_page.h"

static void cell(const char *s, FILE *f)
{
	fputs("<td>", f);
	html_puts(s ? s : "", f);
	fputs("</td>", f);
}

static void servers(const struct view *v, FILE *f)
{
	fputs("<section id=\"servers\">\n<h2>Servers</h2>\n<div "
	      "class=\"table\"><table>\n<thead><tr><th>server</th>"
	      "<th>parent</th><th>zone</th><th>expected</th><th>address</th>"
	      "<th>answer</th><th>serial</th><th>ms</th></tr></thead>\n"
	      "<tbody>\n",
	      f);
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		size_t rows = s->n_addrs ? s->n_addrs : 1;
		for (size_t k = 0; k < rows; k++) {
			const struct view_addr *a = s->n_addrs ? &s->addrs[k]
							       : NULL;
			const struct view_probe *p = a ? view_addr_answer(a)
						       : NULL;
			char serial[16] = "", ms[16] = "";
			if (p && p->has_serial)
				snprintf(serial, sizeof(serial), "%u",
					 p->serial);
			if (p)
				snprintf(ms, sizeof(ms), "%u", p->rtt_ms);
			fputs("<tr>", f);
			cell(k ? "" : s->name, f);
			cell(k ? "" : s->in_parent ? "yes" : "no", f);
			cell(k ? "" : s->in_zone ? "yes" : "no", f);
			cell(k ? "" : s->expected ? "yes" : "", f);
			cell(a ? a->addr : "no address", f);
			cell(a && p ? view_probe_describe(p)
			     : a    ? "no answer"
				    : "",
			     f);
			cell(serial, f);
			cell(ms, f);
			fputs("</tr>\n", f);
		}
	}
	fputs("</tbody></table></div>\n</section>\n", f);
}

/* The resolvers asked (--resolvers), with the Extended DNS Error they
 * gave: its text is the resolver's, shown escaped. */
static void resolvers(const struct report_ctx *r, FILE *f)
{
	if (!r->n_resolvers)
		return;
	fputs("<section id=\"resolvers\">\n<h2>Resolvers</h2>\n<div "
	      "class=\"table\"><table>\n<thead><tr><th>resolver</th>"
	      "<th>address</th><th>answer</th><th>with CD</th><th>EDE</th>"
	      "</tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < r->n_resolvers; i++) {
		const struct dsv_resolver *x = &r->resolvers[i];
		char a[64], b[64], ede[16] = "";
		if (x->has_ede)
			snprintf(ede, sizeof(ede), "%u ", x->ede);
		fputs("<tr>", f);
		cell(x->name, f);
		cell(x->addr, f);
		cell(report_resolver_answer(x->status, x->rcode, x->ad, a,
					    sizeof(a)),
		     f);
		cell(report_resolver_answer(x->status_cd, x->rcode_cd, false, b,
					    sizeof(b)),
		     f);
		fputs("<td>", f);
		html_puts(ede, f);
		html_puts(x->has_ede ? x->ede_text : "", f);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></div>\n</section>\n", f);
}

/* The registry's view (RDAP): who the registrar is, what it holds. Every
 * string is the registry's, shown escaped. */
static void registry(const struct view *v, FILE *f)
{
	const struct view_rdap *r = v->rdap;
	char who[600];
	if (!r)
		return;
	fputs("<section id=\"registry\">\n<h2>Registry (RDAP)</h2>\n<p>", f);
	if (r->state == VR_NOT_FOUND) {
		html_puts("not registered: the registry has no such domain", f);
	} else if (r->state == VR_UNAVAILABLE) {
		html_puts("unavailable: ", f);
		html_puts(r->why, f);
	} else {
		view_rdap_registrar(r, who, sizeof(who));
		html_puts(r->d.ldh_name, f);
		html_puts(" at ", f);
		html_puts(who, f);
		fputs("<br>name servers:", f);
		for (size_t i = 0; i < r->d.n_ns; i++) {
			fputc(' ', f);
			html_puts(r->d.ns[i], f);
		}
		fputs("<br>status:", f);
		for (size_t i = 0; i < r->d.n_status; i++) {
			fputs(i ? ", " : " ", f);
			html_puts(r->d.status[i], f);
		}
	}
	fputs("</p>\n</section>\n", f);
}

int report_check_html(const struct report_ctx *r, const struct dnssec_view *dv,
		      FILE *f)
{
	const struct graph_input g = { r->view, dv, r->findings };
	const char *subject = r->asked ? r->asked : r->view->domain;
	html_head(subject, f);
	html_verdict(subject, r->findings, r->verdict, r->fix, f);
	report_whatif_html(r->view->ev, r->view->parent, r->whatif, f);
	fputs("<section id=\"graph\">\n<h2>Delegation</h2>\n", f);
	if (report_graph_svg(&g, f) < 0)
		return -1;
	fputs("\n</section>\n", f);
	html_findings(r->findings, f);
	servers(r->view, f);
	registry(r->view, f);
	resolvers(r, f);
	html_footer(r->command, r->started, r->queries, r->elapsed_ms, f);
	return ferror(f) ? -1 : 0;
}

int report_check_svg(const struct report_ctx *r, const struct dnssec_view *dv,
		     FILE *f)
{
	const struct graph_input g = { r->view, dv, r->findings };
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	if (report_graph_svg(&g, f) < 0)
		return -1;
	return ferror(f) ? -1 : 0;
}
