/* The one human layout (layout.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <idn2.h>
#include <jansson.h>
#include "report/layout.h"
#include "report/sanitize.h"

void layout_init(struct layout *l, FILE *f, bool color, int width)
{
	l->f = f;
	l->color = color;
	/* Two columns spare, as 78 of 80 always were. */
	l->cols = (width >= 40 ? width : 80) - 2;
}

const char *layout_sgr(const struct layout *l, const char *code)
{
	return l->color ? code : "";
}

static const char *sev_sgr(const struct layout *l, int sev)
{
	return layout_sgr(l, sev == SEV_ERROR	  ? SGR_RED
			     : sev == SEV_WARNING ? SGR_YELLOW
						  : SGR_GREEN);
}

const char *layout_word(const struct findings *fs)
{
	int worst = findings_worst(fs);
	return worst == SEV_ERROR     ? "ERROR"
	       : worst == SEV_WARNING ? "WARNING"
				      : "OK";
}

void layout_wrap(const struct layout *l, const char *text, int indent)
{
	FILE *f = l->f;
	char *safe = str_safe(text);
	const char *p = safe ? safe : "";
	int col = indent;
	fprintf(f, "%*s", indent, "");
	while (*p) {
		size_t word = strcspn(p, " ");
		/* The space before a word goes out with it: no line ends in
		 * one. */
		if (col > indent && col + 1 + (int)word > l->cols) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)word, p);
		col += (int)word;
		p += word;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
	free(safe);
}

/* NAME (made safe), preceded by its Unicode form when it holds A-labels
 * ("bücher.example. (xn--bcher-kva.example.)"). The Unicode form is shown
 * only when it converts back to NAME exactly, so no code point IDNA
 * forbids (controls, bidi overrides) can ride in on an xn-- label. */
static void unicode_name(const char *name, FILE *f)
{
	char *u = NULL, *back = NULL;

	if (strstr(name, "xn--") &&
	    idn2_to_unicode_8z8z(name, &u, 0) == IDN2_OK &&
	    idn2_to_ascii_8z(u, &back, IDN2_NONTRANSITIONAL) == IDN2_OK &&
	    strcasecmp(back, name) == 0 && strcmp(u, name) != 0) {
		fprintf(f, "%s (", u);
		fputs_safe(name, f);
		fputc(')', f);
	} else {
		fputs_safe(name, f);
	}
	idn2_free(u);
	idn2_free(back);
}

void layout_headline(const struct layout *l, const struct layout_head *h,
		     const struct findings *fs)
{
	FILE *f = l->f;
	int worst = findings_worst(fs);
	fputs(layout_sgr(l, SGR_BOLD), f);
	if (h->prefix)
		fputs_safe(h->prefix, f);
	unicode_name(h->name ? h->name : "", f);
	if (h->qualifier) {
		fputc(' ', f);
		fputs_safe(h->qualifier, f);
	}
	fprintf(f, "%s  %s%s%s", layout_sgr(l, SGR_RESET),
		sev_sgr(l, worst < 0 ? SEV_INFO : worst), layout_word(fs),
		layout_sgr(l, SGR_RESET));
	if (h->tail && *h->tail) {
		fputs("  ", f);
		fputs_safe(h->tail, f);
	}
	fputc('\n', f);
}

void layout_verdict(const struct layout *l, const char *verdict,
		    const char *fix)
{
	fputc('\n', l->f);
	layout_wrap(l, verdict, 2);
	if (fix) {
		fprintf(l->f, "\n%s  Fix:%s\n", layout_sgr(l, SGR_BOLD),
			layout_sgr(l, SGR_RESET));
		layout_wrap(l, fix, 4);
	}
}

void layout_note(const struct layout *l, const char *text)
{
	fputc('\n', l->f);
	layout_wrap(l, text, 2);
}

void layout_severity(const struct layout *l, enum severity sev, int pad)
{
	fprintf(l->f, "%s%-*s%s", sev_sgr(l, (int)sev), pad, severity_name(sev),
		layout_sgr(l, SGR_RESET));
}

/* "Also: B, C (3 in all)." for a finding that stands for several
 * witnesses of one fault. */
static void also_print(const struct layout *l, const struct finding *x,
		       int indent)
{
	size_t n = json_array_size(x->also);
	if (!n)
		return;
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	if (!m)
		return;
	fputs("Also: ", m);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(
			json_object_get(json_array_get(x->also, i), "subject"));
		if (i)
			fputs(", ", m);
		fputs(s && *s ? s : "?", m);
	}
	fprintf(m, " (%zu in all).", n + 1);
	if (fclose(m) == 0 && line)
		layout_wrap(l, line, indent);
	free(line);
}

void layout_findings(const struct layout *l, const struct findings *fs)
{
	FILE *f = l->f;
	size_t errors = 0, warnings = 0;
	if (!fs->n)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		errors += fs->v[i].severity == SEV_ERROR;
		warnings += fs->v[i].severity == SEV_WARNING;
	}
	fprintf(f, "\n%sFindings%s (%zu error%s, %zu warning%s)\n",
		layout_sgr(l, SGR_BOLD), layout_sgr(l, SGR_RESET), errors,
		errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *x = &fs->v[i];
		/* What a root fault explains comes under it. */
		int in = x->cause >= 0 ? 4 : 0;
		if (in && (i == 0 || fs->v[i - 1].cause < 0))
			fprintf(f, "%*s%sbecause of %s:%s\n", 10, "",
				layout_sgr(l, SGR_DIM),
				finding_defs[fs->v[x->cause].code].name,
				layout_sgr(l, SGR_RESET));
		fprintf(f, "%*s  ", in, "");
		layout_severity(l, x->severity, 7);
		fprintf(f, " %s\n", finding_defs[x->code].name);
		layout_wrap(l, x->summary, 10 + in);
		also_print(l, x, 10 + in);
		/* Several servers with one fault share one fix: say it once. */
		if (i + 1 < fs->n && fs->v[i + 1].code == x->code &&
		    strcmp(fs->v[i + 1].fix, x->fix) == 0)
			continue;
		fputs(layout_sgr(l, SGR_DIM), f);
		layout_wrap(l, x->fix, 10 + in);
		fputs(layout_sgr(l, SGR_RESET), f);
	}
}

void layout_section(const struct layout *l, const char *title,
		    const char *subject)
{
	fprintf(l->f, "\n%s%s%s", layout_sgr(l, SGR_BOLD), title,
		layout_sgr(l, SGR_RESET));
	if (subject) {
		fputc(' ', l->f);
		fputs_safe(subject, l->f);
	}
	fputc('\n', l->f);
}

void layout_footer(const struct layout *l, const char *text)
{
	fprintf(l->f, "\n%s", layout_sgr(l, SGR_DIM));
	fputs_safe(text, l->f);
	fprintf(l->f, "%s\n", layout_sgr(l, SGR_RESET));
}
