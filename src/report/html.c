#include <stdlib.h>
#include <string.h>
#include "report/graph.h"
#include "report/html.h"
#include "report/html_escape.h"

/* No script may run and nothing may be fetched: styles are inline, the
 * graph is inline SVG, images (none yet) only data: URLs. */
static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; "
			  "img-src data:; base-uri 'none'; form-action 'none'";

/* Light and dark from the reader's setting; the graph's black strokes and
 * text follow the page's colour; print drops the backgrounds. */
static const char style[] =
	":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#555;"
	"--line:#ccc;--err:#c62828;--warn:#a15c00;--ok:#2e7d32;"
	"--band:#f4f4f4}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#161616;"
	"--muted:#aaa;--line:#444;--err:#ef5350;--warn:#ffb74d;--ok:#81c784;"
	"--band:#222}}\n"
	"body{font:15px/1.45 system-ui,sans-serif;color:var(--fg);"
	"background:var(--bg);margin:0 auto;max-width:70rem;padding:1rem}\n"
	"h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;"
	"border-bottom:1px solid var(--line);padding-bottom:.2rem}\n"
	"#verdict{border-left:6px solid var(--ok);background:var(--band);"
	"padding:.6rem 1rem}\n"
	"#verdict.warning{border-color:var(--warn)}"
	"#verdict.error{border-color:var(--err)}\n"
	".word{text-transform:uppercase;font-weight:700}"
	".error .word,.sev-error>h3{color:var(--err)}"
	".warning .word,.sev-warning>h3{color:var(--warn)}\n"
	"code,pre{font-family:ui-monospace,monospace;font-size:.9em}\n"
	"pre{white-space:pre-wrap;word-break:break-all;background:var(--band);"
	"padding:.5rem}\n"
	"#graph{overflow-x:auto}#graph svg{max-width:100%;height:auto}\n"
	"#graph svg text:not([fill]){fill:var(--fg)}\n"
	"#graph svg [stroke=\"black\"]{stroke:var(--fg)}\n"
	"#graph svg [fill=\"black\"]{fill:var(--fg)}\n"
	"#graph svg .fault text{font-weight:700}\n"
	"article{border:1px solid var(--line);border-radius:4px;"
	"padding:.3rem .8rem;margin:.6rem 0}\n"
	"table{border-collapse:collapse;width:100%;font-size:.9em}"
	"th,td{border-bottom:1px solid var(--line);padding:.25rem .4rem;"
	"text-align:left;vertical-align:top;word-break:break-word}\n"
	".table{overflow-x:auto}footer{color:var(--muted);font-size:.85em;"
	"margin-top:2rem}\n"
	"@media print{body{max-width:none}#verdict,pre{background:none}"
	"article{break-inside:avoid}#graph svg{max-height:24cm}}\n";

static const char *domain_of(const struct report_ctx *r)
{
	return r->asked ? r->asked : r->view->domain;
}

static void head(const struct report_ctx *r, FILE *f)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n",
	      f);
	fprintf(f,
		"<meta http-equiv=\"Content-Security-Policy\" "
		"content=\"%s\">\n",
		csp);
	fputs("<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n"
	      "<title>dnsdoctor: ",
	      f);
	html_puts(domain_of(r), f);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

static void verdict(const struct report_ctx *r, FILE *f)
{
	const char *word = report_verdict_word(r->findings);
	fprintf(f, "<header id=\"verdict\" class=\"%s\">\n<h1>", word);
	html_puts(domain_of(r), f);
	fprintf(f, ": <span class=\"word\">%s</span></h1>\n", word);
	if (r->verdict) {
		fputs("<p id=\"cause\">", f);
		html_puts(r->verdict, f);
		fputs("</p>\n", f);
	}
	if (r->fix) {
		fputs("<p id=\"fix\"><strong>Fix:</strong> ", f);
		html_puts(r->fix, f);
		fputs("</p>\n", f);
	}
	fputs("</header>\n", f);
}

static void finding(const struct finding *x, bool root, FILE *f)
{
	const char *sev = severity_name(x->severity);
	fprintf(f, "<article class=\"finding sev-%s\" data-code=\"%s\">\n", sev,
		finding_defs[x->code].name);
	fprintf(f, "<h3><code>%s</code> <small>%s%s</small></h3>\n",
		finding_defs[x->code].name, sev, root ? ", the cause" : "");
	fputs("<p class=\"summary\">", f);
	html_puts(x->summary ? x->summary : "", f);
	fputs("</p>\n", f);
	if (root && x->fix) {
		fputs("<p class=\"fix\"><strong>Fix:</strong> ", f);
		html_puts(x->fix, f);
		fputs("</p>\n", f);
	}
	/* The evidence as JSON, 7-bit: a server's odd bytes stay visible as
	 * escapes. */
	char *j = x->evidence ? json_dumps(x->evidence,
					   JSON_INDENT(1) | JSON_ENSURE_ASCII |
						   JSON_PRESERVE_ORDER)
			      : NULL;
	if (j) {
		fputs("<details><summary>evidence</summary><pre>", f);
		html_puts_pre(j, f);
		fputs("</pre></details>\n", f);
		free(j);
	}
}

/* Each root fault, then the findings it explains inside it. */
static void findings(const struct findings *fs, FILE *f)
{
	fputs("<section id=\"findings\">\n<h2>Findings</h2>\n", f);
	if (!fs->n)
		fputs("<p>Nothing to report.</p>\n", f);
	for (size_t i = 0; i < fs->n; i++) {
		if (fs->v[i].cause >= 0 && (size_t)fs->v[i].cause != i)
			continue;
		finding(&fs->v[i], true, f);
		bool any = false;
		for (size_t k = 0; k < fs->n; k++) {
			if (k == i || fs->v[k].cause != (long)i)
				continue;
			if (!any)
				fputs("<p>Explained by it:</p>\n", f);
			any = true;
			finding(&fs->v[k], false, f);
			fputs("</article>\n", f);
		}
		fputs("</article>\n", f);
	}
	fputs("</section>\n", f);
}

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

int report_check_html(const struct report_ctx *r, const struct dnssec_view *dv,
		      FILE *f)
{
	const struct graph_input g = { r->view, dv, r->findings };
	head(r, f);
	verdict(r, f);
	fputs("<section id=\"graph\">\n<h2>Delegation</h2>\n", f);
	if (report_graph_svg(&g, f) < 0)
		return -1;
	fputs("\n</section>\n", f);
	findings(r->findings, f);
	servers(r->view, f);
	char when[32] = "";
	struct tm tm;
	if (gmtime_r(&r->started, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(f,
		"<footer>dnsdoctor %s, %s of %s: %llu queries, %llu ms."
		"</footer>\n</body>\n</html>\n",
		DD_VERSION, r->command, when, (unsigned long long)r->queries,
		(unsigned long long)r->elapsed_ms);
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
