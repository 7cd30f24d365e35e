/* The monitoring plugin's output (nagios.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "report/nagios.h"
#include "report/sanitize.h"

/* Codes named on the status line, at most; "+N more" says the rest. */
#define NAGIOS_CODES_MAX 4

static const char *const status_words[] = { "OK", "WARNING", "CRITICAL",
					    "UNKNOWN" };

/* Where to cut SAFE (made safe, longer than MAX) so that it and "..."
 * fit in MAX: after a word when one ends near, never inside a \xHH, and
 * with no space left before the dots. */
static size_t cut_at(const char *safe, size_t max)
{
	size_t cut = max - 3;
	for (size_t i = cut; i > 0 && i + 24 > cut; i--)
		if (safe[i] == ' ') {
			cut = i;
			break;
		}
	for (size_t back = 1; back <= 3 && back <= cut; back++)
		if (safe[cut - back] == '\\' && safe[cut - back + 1] == 'x') {
			cut -= back;
			break;
		}
	while (cut > 0 && safe[cut - 1] == ' ')
		cut--;
	return cut;
}

/* TEXT made safe for a plugin's output, cut to MAX bytes. */
static void put_text(const char *text, size_t max, FILE *f)
{
	char *safe = str_safe_plugin(text ? text : "");
	if (!safe) {
		fputs("(out of memory)", f);
		return;
	}
	size_t len = strlen(safe);
	if (len <= max) {
		fputs(safe, f);
	} else {
		fwrite(safe, 1, cut_at(safe, max), f);
		fputs("...", f);
	}
	free(safe);
}

/* "CODE, CODE, +2 more - ": the codes of the warnings and errors, each
 * once, root causes first (the findings' order); nothing when none. */
static void codes_put(const struct findings *fs, FILE *m)
{
	size_t named = 0, more = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *x = &fs->v[i];
		bool seen = false;
		if (x->severity < SEV_WARNING)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = fs->v[j].code == x->code &&
			       fs->v[j].severity >= SEV_WARNING;
		if (seen)
			continue;
		if (named == NAGIOS_CODES_MAX) {
			more++;
			continue;
		}
		fprintf(m, "%s%s", named++ ? ", " : "",
			finding_defs[x->code].name);
	}
	if (more)
		fprintf(m, ", +%zu more", more);
	if (named)
		fputs(" - ", m);
}

static void status_text(const struct nagios_report *r, const char *verdict,
			FILE *f)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m) {
		fputs("(out of memory)", f);
		return;
	}
	fprintf(m, "%s: ", r->subject ? r->subject : "?");
	if (r->exit > 0)
		codes_put(r->fs, m);
	fputs(verdict ? verdict : "", m);
	if (fclose(m) == 0)
		put_text(text, NAGIOS_STATUS_MAX, f);
	else
		fputs("(out of memory)", f);
	free(text);
}

/* The performance data: label=value[UOM][;warn;crit], one space apart.
 * The labels are fixed names: no quoting is needed. */
static void perfdata(const struct nagios_report *r, FILE *f)
{
	size_t errors = 0, warnings = 0;
	for (size_t i = 0; i < r->fs->n; i++) {
		errors += r->fs->v[i].severity == SEV_ERROR;
		warnings += r->fs->v[i].severity == SEV_WARNING;
	}
	fprintf(f,
		"queries=%" PRIu64 " duration=%" PRIu64 ".%03us errors=%zu "
		"warnings=%zu",
		r->queries, r->duration_ms / 1000,
		(unsigned)(r->duration_ms % 1000), errors, warnings);
	for (size_t i = 0; i < r->n_perf; i++) {
		const struct nagios_perf *p = &r->perf[i];
		fprintf(f, " %s=%" PRId64 "%s", p->label, p->value,
			p->uom ? p->uom : "");
		if (p->warn || p->crit)
			fprintf(f, ";%s;%s", p->warn ? p->warn : "",
				p->crit ? p->crit : "");
	}
}

/* One finding: "error CODE: summary", indented under its cause, with the
 * other witnesses of the same fault. */
static void finding_line(const struct finding *x, FILE *f)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	if (!m)
		return;
	fprintf(m, "%s%s %s: %s", x->cause >= 0 ? "  " : "",
		severity_name(x->severity), finding_defs[x->code].name,
		x->summary);
	size_t n = json_array_size(x->also);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(
			json_object_get(json_array_get(x->also, i), "subject"));
		fprintf(m, "%s%s", i ? ", " : " Also: ", s && *s ? s : "?");
	}
	if (n)
		fprintf(m, " (%zu in all).", n + 1);
	if (fclose(m) == 0) {
		put_text(line, NAGIOS_LINE_MAX, f);
		fputc('\n', f);
	}
	free(line);
}

void report_nagios(const struct nagios_report *r, FILE *f)
{
	const struct findings *fs = r->fs;
	int exit = r->exit >= 0 && r->exit <= 2 ? r->exit : 3;
	const struct finding *lead = exit > 0 && fs->n ? &fs->v[0] : NULL;
	const char *verdict = r->verdict ? r->verdict
			      : lead	 ? lead->summary
					 : "";
	const char *fix = r->fix ? r->fix : lead ? lead->fix : NULL;

	fprintf(f, "DNSDOCTOR %s - ", status_words[exit]);
	status_text(r, verdict, f);
	fputs(" | ", f);
	perfdata(r, f);
	fputc('\n', f);
	for (size_t i = 0; i < fs->n; i++) {
		if (i == NAGIOS_FINDINGS_MAX) {
			fprintf(f, "and %zu more findings (--json lists all)\n",
				fs->n - i);
			break;
		}
		finding_line(&fs->v[i], f);
	}
	if (exit > 0 && fix) {
		char *line = NULL;
		if (asprintf(&line, "Fix: %s", fix) >= 0) {
			put_text(line, NAGIOS_LINE_MAX, f);
			fputc('\n', f);
			free(line);
		}
	}
}

const char *nagios_name(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	if (n > 1 && name[n - 1] == '.')
		n--;
	snprintf(buf, len, "%.*s", (int)n, name);
	return buf;
}

void report_nagios_unknown(const char *why, FILE *f)
{
	fputs("DNSDOCTOR UNKNOWN - ", f);
	put_text(why, NAGIOS_STATUS_MAX, f);
	fputc('\n', f);
}
