#include <stdlib.h>
#include <string.h>
#include "report/html_escape.h"
#include "report/html_page.h"
#include "report/report.h"

/* No script may run and nothing may be fetched: styles are inline, the
 * graph is inline SVG, images (none yet) only data: URLs. */
static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; "
			  "img-src data:; base-uri 'none'; form-action 'none'";

/* Light and dark from the reader's setting; the graph's black strokes and
 * text follow the page's colour; print drops the backgrounds. */
static const char style[] =
	":root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#555;"
	"--line:#ccc;--err:#c62828;--warn:#a15c00;--ok:#2e7d32;"
	"--band:#f4f4f4;--okbg:#c8e6c9;--oldbg:#ffe0b2;--badbg:#ffcdd2}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#161616;"
	"--muted:#aaa;--line:#444;--err:#ef5350;--warn:#ffb74d;--ok:#81c784;"
	"--band:#222;--okbg:#1e3a20;--oldbg:#4a3310;--badbg:#4a1c1c}}\n"
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
	"#graph svg [stroke=\"#c62828\"]{stroke:var(--err)}"
	"#graph svg [fill=\"#c62828\"]{fill:var(--err)}\n"
	"article{border:1px solid var(--line);border-radius:4px;"
	"padding:.3rem .8rem;margin:.6rem 0}\n"
	"table{border-collapse:collapse;width:100%;font-size:.9em}"
	"th,td{border-bottom:1px solid var(--line);padding:.25rem .4rem;"
	"text-align:left;vertical-align:top;word-break:break-word}\n"
	".table{overflow-x:auto}footer{color:var(--muted);font-size:.85em;"
	"margin-top:2rem}\n"
	".tl-row{display:grid;grid-template-columns:minmax(8rem,30%) 1fr;"
	"gap:.5rem;align-items:center;border-bottom:1px solid var(--line);"
	"padding:.15rem 0;font-size:.9em;word-break:break-all}\n"
	".tl-bar{position:relative;display:flex;min-height:1.6rem}\n"
	".tl-bar span{overflow:hidden;white-space:nowrap;text-overflow:"
	"ellipsis;padding:0 .3rem;line-height:1.6rem;font-size:.85em}\n"
	".cur{background:var(--okbg)}.old{background:var(--oldbg)}"
	".bad{background:var(--badbg)}\n"
	".tl-eta{position:absolute;top:0;bottom:0;border-left:2px dashed "
	"var(--err)}\n"
	"@media (max-width:40rem){.tl-row{grid-template-columns:1fr}"
	"#graph svg{max-width:none}.table table{min-width:36rem}}\n"
	"@media print{body{max-width:none}#verdict,pre{background:none}"
	"article{break-inside:avoid}#graph svg{max-height:24cm}}\n";

void html_head(const char *subject, FILE *f)
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
	html_puts(subject, f);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

void html_verdict(const char *subject, const struct findings *fs,
		  const char *cause, const char *fix, FILE *f)
{
	const char *word = report_verdict_word(fs);
	fprintf(f, "<header id=\"verdict\" class=\"%s\">\n<h1>", word);
	html_puts(subject, f);
	fprintf(f, ": <span class=\"word\">%s</span></h1>\n", word);
	if (cause) {
		fputs("<p id=\"cause\">", f);
		html_puts(cause, f);
		fputs("</p>\n", f);
	}
	if (fix) {
		fputs("<p id=\"fix\"><strong>Fix:</strong> ", f);
		html_puts(fix, f);
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

void html_findings(const struct findings *fs, FILE *f)
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

void html_footer(const char *command, time_t started, uint64_t queries,
		 uint64_t elapsed_ms, FILE *f)
{
	char when[32] = "";
	struct tm tm;
	if (gmtime_r(&started, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(f,
		"<footer>dnsdoctor %s, %s of %s: %llu queries, %llu ms."
		"</footer>\n</body>\n</html>\n",
		DD_VERSION, command, when, (unsigned long long)queries,
		(unsigned long long)elapsed_ms);
}
