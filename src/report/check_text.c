/* The human report of `check`: the verdict and the fix first, then every
 * finding, then the servers side by side. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <idn2.h>
#include "core/dnsmsg.h"
#include "report/report.h"
#include "report/sanitize.h"

#define RED    "\033[31m"
#define YELLOW "\033[33m"
#define GREEN  "\033[32m"
#define BOLD   "\033[1m"
#define DIM    "\033[2m"
#define RESET  "\033[0m"

static const char *sev_color(bool color, int sev)
{
	if (!color)
		return "";
	return sev == SEV_ERROR ? RED : sev == SEV_WARNING ? YELLOW : GREEN;
}

static const char *c(bool color, const char *code)
{
	return color ? code : "";
}

/* Prints TEXT (network-derived) wrapped at WIDTH, each line indented. */
static void wrap(FILE *f, const char *text, int indent, int width)
{
	char *safe = str_safe(text);
	const char *p = safe ? safe : "";
	int col = indent;
	fprintf(f, "%*s", indent, "");
	while (*p) {
		size_t word = strcspn(p, " ");
		if (col > indent && col + (int)word > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		}
		fprintf(f, "%.*s", (int)word, p);
		col += (int)word;
		p += word;
		if (*p == ' ') {
			p++;
			if (*p && col + 1 <= width) {
				fputc(' ', f);
				col++;
			}
		}
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

static const char *listed(const struct view_server *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", s->in_parent ? "parent," : "",
		 s->in_zone ? "zone," : "", s->expected ? "expected," : "",
		 s->cname ? "cname," : "");
	size_t n = strlen(buf);
	if (n)
		buf[n - 1] = '\0';
	else
		snprintf(buf, len, "-");
	return buf;
}

struct row {
	char name[VIEW_NAME_MAX], addr[64], listed[40], udp[40], tcp[40],
		serial[16];
	char *ns;
};

static void rows_print(FILE *f, struct row *rows, size_t n, bool color)
{
	int w[6] = { 6, 7, 6, 7, 7, 6 };
	for (size_t i = 0; i < n; i++) {
		const char *cols[6] = { rows[i].name,	rows[i].addr,
					rows[i].listed, rows[i].udp,
					rows[i].tcp,	rows[i].serial };
		for (int k = 0; k < 6; k++)
			if ((int)strlen(cols[k]) > w[k])
				w[k] = (int)strlen(cols[k]);
	}
	fprintf(f, "%s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  NS RRSET%s\n",
		c(color, BOLD), w[0], "SERVER", w[1], "ADDRESS", w[2], "LISTED",
		w[3], "UDP SOA", w[4], "TCP SOA", w[5], "SERIAL",
		c(color, RESET));
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  ", w[0],
			rows[i].name, w[1], rows[i].addr, w[2], rows[i].listed,
			w[3], rows[i].udp, w[4], rows[i].tcp, w[5],
			rows[i].serial);
		fputs_safe(rows[i].ns ? rows[i].ns : "-", f);
		fputc('\n', f);
	}
}

static void servers_print(const struct view *v, FILE *f, bool color)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < v->n_srv; i++)
		n += v->srv[i].n_addrs ? v->srv[i].n_addrs : 1;
	if (n == 0)
		return;
	struct row *rows = calloc(n, sizeof(*rows));
	if (!rows)
		return;
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		for (size_t j = 0; j < (s->n_addrs ? s->n_addrs : 1);
		     j++, k++) {
			struct row *r = &rows[k];
			char *safe = str_safe(s->name);
			snprintf(r->name, sizeof(r->name), "%s",
				 safe ? safe : "?");
			free(safe);
			listed(s, r->listed, sizeof(r->listed));
			if (!s->n_addrs) {
				snprintf(r->addr, sizeof(r->addr),
					 "(no address)");
				snprintf(r->udp, sizeof(r->udp), "-");
				snprintf(r->tcp, sizeof(r->tcp), "-");
				snprintf(r->serial, sizeof(r->serial), "-");
				continue;
			}
			const struct view_addr *a = &s->addrs[j];
			snprintf(r->addr, sizeof(r->addr), "%s%s", a->addr,
				 a->glue ? " (glue)" : "");
			snprintf(r->udp, sizeof(r->udp), "%s",
				 a->soa_udp.asked
					 ? view_probe_describe(&a->soa_udp)
					 : "-");
			snprintf(r->tcp, sizeof(r->tcp), "%s",
				 a->soa_tcp.asked
					 ? view_probe_describe(&a->soa_tcp)
					 : "-");
			const struct view_probe *p = view_addr_answer(a);
			if (p && p->has_serial)
				snprintf(r->serial, sizeof(r->serial), "%u",
					 p->serial);
			else
				snprintf(r->serial, sizeof(r->serial), "-");
			r->ns = a->ns_udp.ns.n ? strset_join(&a->ns_udp.ns, " ")
					       : NULL;
		}
	}
	rows_print(f, rows, n, color);
	for (size_t i = 0; i < n; i++)
		free(rows[i].ns);
	free(rows);
}

/* "NOERROR ad", "SERVFAIL", "timeout": one answer of a resolver. */
static const char *resolver_answer(int status, int rcode, bool ad, char *buf,
				   size_t len)
{
	const ldns_lookup_table *t = ldns_lookup_by_id(ldns_rcodes, rcode);
	if (status != QS_OK)
		snprintf(buf, len, "%s", qstatus_name(status));
	else
		snprintf(buf, len, "%s%s", t ? t->name : "?", ad ? " ad" : "");
	return buf;
}

static void resolvers_print(const struct report_ctx *r, FILE *f)
{
	char a[64], b[64];
	fprintf(f, "  %-24s %-40s %-16s %s\n", "RESOLVER", "ADDRESS", "ANSWER",
		"WITH CD");
	for (size_t i = 0; i < r->n_resolvers; i++) {
		const struct dsv_resolver *x = &r->resolvers[i];
		char *name = str_safe(x->name), *addr = str_safe(x->addr);
		fprintf(f, "  %-24s %-40s %-16s %s\n", name ? name : "?",
			addr ? addr : "?",
			resolver_answer(x->status, x->rcode, x->ad, a,
					sizeof(a)),
			resolver_answer(x->status_cd, x->rcode_cd, false, b,
					sizeof(b)));
		free(name);
		free(addr);
	}
}

/* "Also: B, C (3 in all)." for a finding that stands for several
 * witnesses of one fault. */
static void also_print(FILE *f, const struct finding *x, int indent, int cols)
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
		fputs_safe(s && *s ? s : "?", m);
	}
	fprintf(m, " (%zu in all).", n + 1);
	if (fclose(m) == 0 && line)
		wrap(f, line, indent, cols);
	free(line);
}

void report_check_text(const struct report_ctx *r, FILE *f)
{
	/* Two columns spare, as 78 of 80 always were. */
	int cols = (r->width >= 40 ? r->width : 80) - 2;
	const struct view *v = r->view;
	const struct findings *fs = r->findings;
	int worst = findings_worst(fs);
	const char *word = worst == SEV_ERROR	  ? "ERROR"
			   : worst == SEV_WARNING ? "WARNING"
						  : "OK";
	size_t errors = 0, warnings = 0;

	for (size_t i = 0; i < fs->n; i++) {
		errors += fs->v[i].severity == SEV_ERROR;
		warnings += fs->v[i].severity == SEV_WARNING;
	}
	fprintf(f, "%s", c(r->color, BOLD));
	if (r->asked && strncmp(r->asked, "*.", 2) == 0)
		fputs("*.", f); /* the certificate's name, checked at its base
				 */
	unicode_name(v->domain, f);
	fprintf(f, "%s  ", c(r->color, RESET));
	fprintf(f, "%s%s%s", sev_color(r->color, worst < 0 ? SEV_INFO : worst),
		word, c(r->color, RESET));
	if (strcmp(v->zone, v->domain) != 0) {
		fprintf(f, "  (in zone ");
		fputs_safe(v->zone, f);
		fputc(')', f);
	}
	if (v->parent[0]) {
		fprintf(f, "  delegated by ");
		fputs_safe(v->parent, f);
	}
	fprintf(f, "\n\n");
	wrap(f, r->verdict, 2, cols);
	if (r->fix) {
		fprintf(f, "\n%s  Fix:%s\n", c(r->color, BOLD),
			c(r->color, RESET));
		wrap(f, r->fix, 4, cols);
	}
	if (v->domain_nxdomain) {
		char *note;
		if (asprintf(&note,
			     "Note: %s has no records: the servers of %s "
			     "answer NXDOMAIN for it.",
			     v->domain, v->zone) >= 0) {
			fputc('\n', f);
			wrap(f, note, 2, cols);
			free(note);
		}
	}
	if (fs->n) {
		fprintf(f, "\n%sFindings%s (%zu error%s, %zu warning%s)\n",
			c(r->color, BOLD), c(r->color, RESET), errors,
			errors == 1 ? "" : "s", warnings,
			warnings == 1 ? "" : "s");
		for (size_t i = 0; i < fs->n; i++) {
			const struct finding *x = &fs->v[i];
			/* What a root fault explains comes under it. */
			int in = x->cause >= 0 ? 4 : 0;
			if (in && (i == 0 || fs->v[i - 1].cause < 0))
				fprintf(f, "%*s%sbecause of %s:%s\n", 10, "",
					c(r->color, DIM),
					finding_defs[fs->v[x->cause].code].name,
					c(r->color, RESET));
			fprintf(f, "%*s  %s%-7s%s %s\n", in, "",
				sev_color(r->color, x->severity),
				severity_name(x->severity), c(r->color, RESET),
				finding_defs[x->code].name);
			wrap(f, x->summary, 10 + in, cols);
			also_print(f, x, 10 + in, cols);
			/* Several servers with one fault share one fix: say it
			 * once. */
			if (i + 1 < fs->n && fs->v[i + 1].code == x->code &&
			    strcmp(fs->v[i + 1].fix, x->fix) == 0)
				continue;
			fprintf(f, "%s", c(r->color, DIM));
			wrap(f, x->fix, 10 + in, cols);
			fprintf(f, "%s", c(r->color, RESET));
		}
	}
	if (v->n_srv) {
		fprintf(f, "\n%sServers%s of %s\n", c(r->color, BOLD),
			c(r->color, RESET), v->zone);
		servers_print(v, f, r->color);
	}
	if (r->n_resolvers) {
		fprintf(f, "\n%sResolvers%s asked for %s SOA\n",
			c(r->color, BOLD), c(r->color, RESET), v->zone);
		resolvers_print(r, f);
	}
	if (v->ev->areas && v->ev->areas != EV_AREA_ALL) {
		fprintf(f, "\n%sChecked only:", c(r->color, DIM));
		for (unsigned bit = 1; bit <= EV_AREA_ALL; bit <<= 1)
			if (v->ev->areas & bit)
				fprintf(f, " %s", ev_area_name(bit));
		fprintf(f, " (--checks).%s\n", c(r->color, RESET));
	}
	fprintf(f,
		"\n%s%llu queries in %llu ms. Details of a code: dnsdoctor "
		"explain CODE%s\n",
		c(r->color, DIM), (unsigned long long)r->queries,
		(unsigned long long)r->elapsed_ms, c(r->color, RESET));
}

const char *report_verdict_word(const struct findings *fs)
{
	int worst = findings_worst(fs);
	return worst == SEV_ERROR     ? "error"
	       : worst == SEV_WARNING ? "warning"
				      : "ok";
}

int report_exit_code(const struct findings *fs)
{
	int worst = findings_worst(fs);
	return worst == SEV_ERROR ? 2 : worst == SEV_WARNING ? 1 : 0;
}
