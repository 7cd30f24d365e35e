/* `dnsdoctor logs`: the human report. Every string that came from a log
 * goes through fputs_safe: a log line can carry escape sequences. */
#include <string.h>
#include "report/layout.h"
#include "report/logs_report.h"
#include "report/sanitize.h"

#define DOMAINS_SHOWN	3
#define INTERVALS_SHOWN 8
#define DETAIL_SHOWN	300

/* Prints S sanitized, padded or cut to WIDTH columns (0: as is). */
static void cell(const char *s, size_t width, FILE *f)
{
	char buf[256];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : "");
	     *p && n + 4 < sizeof(buf); p++) {
		if (*p >= 0x20 && *p < 0x7f) {
			buf[n++] = (char)*p;
		} else {
			snprintf(buf + n, sizeof(buf) - n, "\\x%02x", *p);
			n += 4;
		}
	}
	buf[n] = '\0';
	if (width && n > width) {
		if (width > 3)
			memcpy(buf + width - 3, "...", 4);
		else
			buf[width] = '\0';
	}
	if (width)
		fprintf(f, "%-*s ", (int)width, buf);
	else
		fputs(buf, f);
}

static void detail_line(const char *d, FILE *f)
{
	char cut[DETAIL_SHOWN + 4];
	size_t n = strlen(d);
	if (n > DETAIL_SHOWN) {
		memcpy(cut, d, DETAIL_SHOWN);
		memcpy(cut + DETAIL_SHOWN, "...", 4);
		d = cut;
	}
	fputs_safe(d, f);
}

static void duration(int64_t s, FILE *f)
{
	if (s < 120)
		fprintf(f, "%llds", (long long)s);
	else if (s < 7200)
		fprintf(f, "%lldm", (long long)(s / 60));
	else if (s < 172800)
		fprintf(f, "%lldh", (long long)(s / 3600));
	else
		fprintf(f, "%lldd", (long long)(s / 86400));
}

static void header(const struct logs_report *r, const struct layout *l)
{
	FILE *f = l->f;
	fprintf(f, "%sdnsdoctor logs:%s ", layout_sgr(l, SGR_BOLD),
		layout_sgr(l, SGR_RESET));
	for (size_t i = 0; i < r->ninputs; i++) {
		fprintf(f, "%s", i ? ", " : "");
		fputs_safe(r->inputs[i].name, f);
		fprintf(f, " (%s)", acme_format_name(r->inputs[i].format));
	}
	fprintf(f, "\n%llu failure%s, %zu distinct, in %u client run%s",
		(unsigned long long)r->sum->failures,
		r->sum->failures == 1 ? "" : "s", r->sum->ng, r->log->runs,
		r->log->runs == 1 ? "" : "s");
	if (r->log->long_lines)
		fprintf(f, "; %zu line(s) over %u KiB were cut",
			r->log->long_lines, ACMELOG_LINE_MAX >> 10);
	if (r->log->big_json)
		fprintf(f, "; %zu JSON body(ies) over %u KiB skipped",
			r->log->big_json, ACMELOG_JSON_MAX >> 10);
	if (r->log->dropped || r->sum->ungrouped)
		fprintf(f, "; %zu event(s) over the cap dropped",
			r->log->dropped + (size_t)r->sum->ungrouped);
	fputs("\n\n", f);
}

static void table(const struct logs_report *r, const struct layout *l)
{
	FILE *f = l->f;
	char a[32], b[32];
	fprintf(f, "%s%-3s %-18s %-28s %-9s %5s  %-32s %-20s LAST%s\n",
		layout_sgr(l, SGR_BOLD), "#", "TYPE", "CAUSE", "CHALLENGE",
		"COUNT", "DOMAINS", "FIRST", layout_sgr(l, SGR_RESET));
	for (size_t i = 0; i < r->sum->ng; i++) {
		const struct acme_group *g = &r->sum->g[i];
		char doms[160] = "";
		size_t n = 0;
		for (size_t k = 0; k < g->ndomains && k < DOMAINS_SHOWN; k++)
			n += (size_t)snprintf(
				doms + n,
				n < sizeof(doms) ? sizeof(doms) - n : 0, "%s%s",
				k ? "," : "", g->domains[k]);
		if (g->ndomains > DOMAINS_SHOWN && n < sizeof(doms))
			snprintf(doms + n, sizeof(doms) - n, " +%zu",
				 g->ndomains - DOMAINS_SHOWN);
		fprintf(f, "%-3zu ", i + 1);
		cell(*g->type ? g->type : "-", 18, f);
		cell(acme_cause_name(g->cause), 28, f);
		cell(*g->challenge ? g->challenge : "-", 9, f);
		fprintf(f, "%5llu  ", (unsigned long long)g->count);
		cell(g->ndomains ? doms : "-", 32, f);
		fprintf(f, "%-20s %s\n", logs_time(r, g->first, a, sizeof(a)),
			logs_time(r, g->last, b, sizeof(b)));
	}
	fputc('\n', f);
}

static void check_result(const struct logs_check *c, const struct layout *l)
{
	FILE *f = l->f;
	const json_t *fs = c->result ? json_object_get(c->result, "findings")
				     : NULL;
	size_t i, shown = 0;
	const json_t *v;
	if (c->error) {
		fputs("           -> ", f);
		fputs_safe(c->error, f);
		fputc('\n', f);
		return;
	}
	if (!c->ran)
		return;
	json_array_foreach (fs, i, v) {
		const char *sev = json_string_value(json_object_get(v, "severit"
								       "y"));
		if (sev && strcmp(sev, "info") == 0)
			continue;
		fputs("           -> ", f);
		layout_severity(l,
				strcmp(sev ? sev : "", "error") == 0
					? SEV_ERROR
					: SEV_WARNING,
				0);
		fputc(' ', f);
		cell(json_string_value(json_object_get(v, "code")), 0, f);
		fputs(": ", f);
		fputs_safe(json_string_value(json_object_get(v, "summary"))
				   ?: "",
			   f);
		fputc('\n', f);
		shown++;
	}
	if (!shown)
		fprintf(f, "           -> no DNS fault found (exit %d)\n",
			c->exit_code);
}

static void causes(const struct logs_report *r, const struct layout *l)
{
	FILE *f = l->f;
	for (size_t i = 0; i < r->sum->ng; i++) {
		const struct acme_group *g = &r->sum->g[i];
		const struct logs_group_checks *gc = &r->checks[i];
		fprintf(f, "[%zu] %s (%s): %s\n", i + 1,
			acme_cause_name(g->cause),
			acme_category_name(acme_cause_category(g->cause)),
			acme_cause_text(g->cause));
		fputs("    detail: ", f);
		detail_line(g->detail, f);
		fputc('\n', f);
		char server[256], answer[32];
		if (g->cause == AC_TXT_NOT_PROPAGATED &&
		    acmelog_precheck(g->detail, server, sizeof(server), answer,
				     sizeof(answer))) {
			/* The CA may well pick that very server: it is the one
			 * to look at (dnsdoctor propagation lists every one).
			 */
			fputs("    the client gave up on: ", f);
			fputs_safe(server[0] ? server : "a server", f);
			fputs(" answering ", f);
			fputs_safe(answer[0] ? answer : "something else", f);
			fputc('\n', f);
		}
		if (g->secondary)
			fputs("    seen by the CA's secondary validation: the "
			      "primary saw it otherwise\n",
			      f);
		if (gc->n == 0) {
			fputs("    confirm: no DNS check explains this cause\n",
			      f);
			continue;
		}
		fputs("    confirm:\n", f);
		for (size_t k = 0; k < gc->n; k++) {
			fputs("      ", f);
			fputs_safe(gc->c[k].command, f);
			fputc('\n', f);
			check_result(&gc->c[k], l);
		}
	}
	fputc('\n', f);
}

static void retries(const struct logs_report *r, const struct layout *l)
{
	FILE *f = l->f;
	char a[32], b[32];
	if (r->sum->nr == 0)
		return;
	fprintf(f,
		"%sRetries per domain%s (compared with Let's Encrypt's limit "
		"of %d failed validations per account, hostname and hour):\n",
		layout_sgr(l, SGR_BOLD), layout_sgr(l, SGR_RESET),
		LE_FAILED_VALIDATIONS_PER_HOUR);
	fprintf(f, "%s%-32s %8s %6s %4s  %-20s %-20s %-12s INTERVALS%s\n",
		layout_sgr(l, SGR_BOLD), "DOMAIN", "ATTEMPTS", "FAILED", "OK",
		"FIRST", "LAST", "FAILED/HOUR", layout_sgr(l, SGR_RESET));
	for (size_t i = 0; i < r->sum->nr; i++) {
		const struct acme_retry *rt = &r->sum->r[i];
		char lim[32];
		cell(rt->domain, 32, f);
		fprintf(f, "%8u %6u %4u  %-20s %-20s ", rt->attempts,
			rt->failures, rt->successes,
			logs_time(r, rt->first, a, sizeof(a)),
			logs_time(r, rt->last, b, sizeof(b)));
		snprintf(lim, sizeof(lim), "%u/%d %s", rt->max_failed_hour,
			 LE_FAILED_VALIDATIONS_PER_HOUR,
			 logs_limit_status(rt->max_failed_hour,
					   LE_FAILED_VALIDATIONS_PER_HOUR));
		fprintf(f, "%-12s ", lim);
		for (size_t k = 0; k < rt->nintervals && k < INTERVALS_SHOWN;
		     k++) {
			fputs(k ? " " : "", f);
			duration(rt->intervals[k], f);
		}
		if (rt->nintervals > INTERVALS_SHOWN)
			fprintf(f, " +%zu", rt->nintervals - INTERVALS_SHOWN);
		if (rt->nintervals == 0)
			fputs("-", f);
		fputc('\n', f);
	}
	fputc('\n', f);
}

static void limits(const struct logs_report *r, const struct layout *l)
{
	FILE *f = l->f;
	const struct acme_summary *s = r->sum;
	fprintf(f, "%sRate limits%s", layout_sgr(l, SGR_BOLD),
		layout_sgr(l, SGR_RESET));
	fprintf(f,
		" (Let's Encrypt): new orders: %u in the busiest 3 "
		"hours of %d "
		"allowed per account (%s)",
		s->max_orders_3h, LE_NEW_ORDERS_PER_3H,
		logs_limit_status(s->max_orders_3h, LE_NEW_ORDERS_PER_3H));
	if (s->certs_domain) {
		fprintf(f, "; certificates: %u for ", s->max_certs_week);
		fputs_safe(s->certs_domain, f);
		fprintf(f,
			" in the busiest week of %d allowed per registered "
			"domain (%s)",
			LE_CERTS_PER_DOMAIN_PER_WEEK,
			logs_limit_status(s->max_certs_week,
					  LE_CERTS_PER_DOMAIN_PER_WEEK));
	}
	if (logs_local_times(r))
		fputs(".\nTimes are the logs' own local time (certbot and lego "
		      "write "
		      "no zone); --log-tz +HH:MM (or a zone name) converts "
		      "them to UTC.\n",
		      f);
	else if (r->log->tz_given) {
		char off[16];
		fprintf(f,
			".\nTimes are UTC (local times converted from UTC%s, "
			"--log-tz).\n",
			logs_tz_text(r->log->tz_offset, off, sizeof(off)));
	} else
		fputs(".\nTimes are UTC.\n", f);
}

void report_logs_text(const struct logs_report *r, FILE *f)
{
	struct layout l;
	layout_init(&l, f, r->color, r->width);
	header(r, &l);
	if (r->sum->ng) {
		table(r, &l);
		causes(r, &l);
	} else {
		fputs("No failure found.\n\n", f);
	}
	retries(r, &l);
	limits(r, &l);
}
