#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "report/html_escape.h"
#include "report/whatif_report.h"

/* "ns1.example.net. (192.0.2.1, 192.0.2.2), ns2.example.org." from the
 * "NAME" and "NAME ADDR" lines of EV->what_if_ns, names in the order
 * given. */
static void delegation_print(const struct evidence *ev, FILE *m)
{
	const struct ev_strings *ns = &ev->what_if_ns;
	bool first = true;
	for (size_t i = 0; i < ns->n; i++) {
		char name[256], addr[64];
		int k = sscanf(ns->v[i], "%255s %63s", name, addr);
		bool seen = false;
		for (size_t j = 0; k >= 1 && j < i; j++) {
			char other[256];
			seen |= sscanf(ns->v[j], "%255s", other) == 1 &&
				strcmp(other, name) == 0;
		}
		if (k < 1 || seen)
			continue;
		fprintf(m, "%s%s", first ? "" : ", ", name);
		first = false;
		bool open = false;
		for (size_t j = i; j < ns->n; j++) {
			char n2[256], a2[64];
			if (sscanf(ns->v[j], "%255s %63s", n2, a2) != 2 ||
			    strcmp(n2, name) != 0)
				continue;
			fprintf(m, "%s%s", open ? ", " : " (", a2);
			open = true;
		}
		if (open)
			fputc(')', m);
	}
}

char *report_whatif_note(const struct evidence *ev, const char *parent)
{
	char *s = NULL;
	size_t len = 0;
	if (!ev->what_if_ns.n)
		return NULL;
	FILE *m = open_memstream(&s, &len);
	if (!m)
		return NULL;
	fprintf(m,
		"Hypothetical delegation (--ns): diagnosed as if %s delegated "
		"%s to ",
		parent && parent[0] ? parent : "the parent", ev->domain);
	delegation_print(ev, m);
	fputs("; the parent does not publish this, and no resolver sees it "
	      "yet.",
	      m);
	if (fclose(m) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void codes_print(const struct strset *s, FILE *m)
{
	for (size_t i = 0; i < s->n; i++)
		fprintf(m, "%s%s", i ? ", " : "", s->v[i]);
}

char *report_whatif_diff_note(const struct report_whatif *w)
{
	char *s = NULL;
	size_t len = 0;
	if (!w || !w->gone || !w->appear)
		return NULL;
	FILE *m = open_memstream(&s, &len);
	if (!m)
		return NULL;
	fputs("Compared with the real delegation: ", m);
	if (!w->gone->n && !w->appear->n)
		fputs("the same problems.", m);
	if (w->gone->n) {
		fputs("would go away: ", m);
		codes_print(w->gone, m);
	}
	if (w->gone->n && w->appear->n)
		fputs(" / ", m);
	if (w->appear->n) {
		fputs("would appear: ", m);
		codes_print(w->appear, m);
	}
	if (fclose(m) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

void report_whatif_json(const struct evidence *ev,
			const struct report_whatif *w, json_t *o)
{
	const struct ev_strings *ns = &ev->what_if_ns;
	if (!ns->n)
		return;
	/* [{"name", "addresses"}], one per name, in the order given. */
	json_t *a = json_array();
	for (size_t i = 0; a && i < ns->n; i++) {
		char name[256], addr[64];
		int k = sscanf(ns->v[i], "%255s %63s", name, addr);
		if (k < 1)
			continue;
		json_t *e = NULL, *x;
		size_t j;
		json_array_foreach (a, j, x)
			if (strcmp(json_string_value(json_object_get(x, "nam"
									"e")),
				   name) == 0)
				e = x;
		if (!e) {
			e = json_pack("{s:s, s:[]}", "name", name, "addresses");
			if (!e || json_array_append_new(a, e) < 0)
				continue;
		}
		if (k == 2)
			json_array_append_new(json_object_get(e, "addresses"),
					      json_string(addr));
	}
	json_object_set_new(o, "hypothetical_delegation", a ? a : json_null());
	json_t *cmp = w && w->gone && w->appear
			      ? json_pack("{s:o, s:o}", "would_go_away",
					  json_strset(w->gone), "would_appear",
					  json_strset(w->appear))
			      : NULL;
	json_object_set_new(o, "compared_with_real_delegation",
			    cmp ? cmp : json_null());
}

void report_whatif_html(const struct evidence *ev, const char *parent,
			const struct report_whatif *w, FILE *f)
{
	char *note = report_whatif_note(ev, parent);
	if (!note)
		return;
	char *diff = report_whatif_diff_note(w);
	fputs("<section id=\"what-if\">\n<h2>What if</h2>\n<p>", f);
	html_puts(note, f);
	if (diff) {
		fputs("</p>\n<p>", f);
		html_puts(diff, f);
	}
	fputs("</p>\n</section>\n", f);
	free(note);
	free(diff);
}
