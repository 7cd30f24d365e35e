#include <stdlib.h>
#include <string.h>
#include "report/envelope.h"
#include "report/fleet_report.h"
#include "report/sanitize.h"

/* A network or input string, escaped so the row stays 7-bit and one line
 * (the writer also ensures ASCII). */
static json_t *safe(const char *s)
{
	char *t = str_safe(s ? s : "");
	json_t *j = t ? json_string(t) : NULL;
	free(t);
	return j;
}

json_t *report_fleet_row(const struct fleet_row *r)
{
	json_t *o = json_pack("{s:I}", "line", (json_int_t)r->line);
	if (!o)
		return NULL;
	int bad = 0;
	if (!r->domain) {
		bad |= json_object_set_new(o, "input", safe(r->input));
		bad |= json_object_set_new(o, "error", safe(r->error));
		bad |= json_object_set_new(o, "exit", json_integer(3));
	} else {
		json_t *fs = r->fs ? report_findings_json(r->fs) : json_array();
		bad |= json_object_set_new(o, "domain", safe(r->domain));
		bad |= json_object_set_new(
			o, "verdict",
			json_string(report_verdict_of_exit(r->exit)));
		bad |= json_object_set_new(o, "exit", json_integer(r->exit));
		bad |= json_object_set_new(o, "findings", fs);
		bad |= json_object_set_new(
			o, "queries", json_integer((json_int_t)r->queries));
		bad |= json_object_set_new(
			o, "duration_ms",
			json_integer((json_int_t)r->duration_ms));
		if (r->exit == 3 && r->error)
			bad |= json_object_set_new(o, "error", safe(r->error));
	}
	if (r->interrupted)
		bad |= json_object_set_new(o, "interrupted", json_true());
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static double per_s(unsigned long n, uint64_t ms)
{
	return ms ? (double)n * 1000.0 / (double)ms : 0;
}

void report_fleet_summary(const struct fleet_summary *s, FILE *f)
{
	unsigned long domains = s->lines - s->not_domain;
	fprintf(f,
		"fleet: %lu lines, %lu domains in %.1f s (%.0f domains/s, "
		"%.0f queries/s), %llu retries (%llu questions not answered "
		"at the first try)%s\n",
		s->lines, domains, (double)s->elapsed_ms / 1000.0,
		per_s(domains, s->elapsed_ms),
		per_s((unsigned long)s->queries, s->elapsed_ms),
		(unsigned long long)s->retries, (unsigned long long)s->retried,
		s->stopped ? ", stopped by a signal" : "");
	fprintf(f,
		"  ok %lu, warning %lu, error %lu, not checked %lu, not a "
		"domain %lu",
		s->by_exit[0], s->by_exit[1], s->by_exit[2],
		s->by_exit[3] - s->not_domain, s->not_domain);
	if (s->interrupted)
		fprintf(f, ", interrupted %lu", s->interrupted);
	fputc('\n', f);
	bool any = false;
	for (size_t c = 0; c < F__COUNT; c++) {
		if (!s->by_code[c])
			continue;
		fprintf(f, "%s%s %lu",
			any ? ", " : "  codes: ", finding_defs[c].name,
			s->by_code[c]);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

static int by_size(const void *a, const void *b)
{
	const struct fleet_group *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return (int)x->code - (int)y->code;
}

void report_fleet_text(struct fleet_group *g, size_t n,
		       const struct fleet_summary *s, FILE *f)
{
	qsort(g, n, sizeof(*g), by_size);
	unsigned long broken = s->by_exit[1] + s->by_exit[2];
	if (!broken) {
		fprintf(f, "No domain has a problem (%lu checked).\n",
			s->by_exit[0]);
		return;
	}
	fprintf(f, "%lu of %lu domains have a problem, by root cause:\n",
		broken, s->lines - s->not_domain);
	for (size_t i = 0; i < n; i++) {
		if (!g[i].n)
			continue;
		const struct finding_def *d = &finding_defs[g[i].code];
		fprintf(f, "\n%s (%zu %s, %s): %s\n", d->name, g[i].n,
			g[i].n == 1 ? "domain" : "domains",
			severity_name(d->severity), d->title);
		for (size_t k = 0; k < g[i].n; k++) {
			fputs("  ", f);
			fputs_safe(g[i].domains[k], f);
			fputc('\n', f);
		}
	}
	fprintf(f, "\ndnsdoctor check DOMAIN tells what to fix for each.\n");
}
