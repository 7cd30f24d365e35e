/* `propagation` as a page: the ETA and the leading fault on top, then a
 * timeline of what each server and resolver serves until when, the ETA a
 * dashed line across it, then the findings. The timeline is rows of
 * proportional bars in CSS, no layout of its own. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <ldns/ldns.h>
#include "report/delegation_report.h"
#include "report/html.h"
#include "report/html_escape.h"
#include "report/html_page.h"

static void utc(time_t t, char *buf, size_t len)
{
	struct tm tm;
	buf[0] = '\0';
	if (gmtime_r(&t, &tm))
		strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* What row R serves for how long: the seconds it still holds an old
 * answer (0: it serves the expected one now), or -1: no end in sight. */
static int64_t row_left(const struct rv_view *v, const struct rv_row *r,
			time_t now)
{
	if (rv_row_current(v, r))
		return 0;
	if (r->kind != RV_RESOLVER || r->status == RVS_FAILED)
		return -1;
	return rv_row_seconds_left(v, r, now);
}

/* A share of the axis, as a CSS percentage. */
static double pct(int64_t s, int64_t span)
{
	return span > 0 ? 100.0 * (double)s / (double)span : 0;
}

static void bar(const char *cls, double width, const char *text, FILE *f)
{
	fprintf(f, "<span class=\"%s\" style=\"width:%.2f%%\">", cls, width);
	html_puts(text, f);
	fputs("</span>", f);
}

static void row(const struct rv_view *v, const struct rv_row *r, time_t now,
		int64_t span, int64_t eta, FILE *f)
{
	char buf[512], until[40];
	const char *said = rv_row_describe(r, buf, sizeof(buf));
	int64_t left = row_left(v, r, now);
	const char *state = left == 0  ? "current"
			    : left > 0 ? "stale"
				       : "stuck";
	fprintf(f, "<div class=\"tl-row\" data-kind=\"%s\" data-state=\"%s\">",
		r->kind == RV_AUTH ? "auth" : "resolver", state);
	fputs("<div class=\"tl-who\">", f);
	fputs(r->kind == RV_AUTH ? "auth " : "resolver ", f);
	html_puts(r->server ? r->server : "", f);
	if (r->addr && (!r->server || strcmp(r->server, r->addr) != 0)) {
		fputs(" <small>", f);
		html_puts(r->addr, f);
		fputs("</small>", f);
	}
	fputs("</div><div class=\"tl-bar\">", f);
	if (left == 0) {
		bar("cur", 100, said, f);
	} else if (left > 0) {
		utc(now + (time_t)left, until, sizeof(until));
		char text[600];
		snprintf(text, sizeof(text), "%s until %s", said, until);
		bar("old", pct(left, span), text, f);
		bar("cur", 100 - pct(left, span), "then the new answer", f);
	} else {
		bar("bad", 100, said, f);
	}
	if (eta >= 0)
		fprintf(f, "<i class=\"tl-eta\" style=\"left:%.2f%%\"></i>",
			pct(eta, span));
	fputs("</div></div>\n", f);
}

static void timeline(const struct rv_view *v, time_t now, FILE *f)
{
	int64_t eta = rv_eta(v, now), span = eta > 0 ? eta : 0;
	for (size_t i = 0; i < v->n; i++)
		if (row_left(v, &v->rows[i], now) > span)
			span = row_left(v, &v->rows[i], now);
	/* Room after the last change, so the line never sits on the edge. */
	span = span < 60 ? 60 : span + span / 10;
	char from[40], to[40], at[40];
	utc(now, from, sizeof(from));
	utc(now + (time_t)span, to, sizeof(to));
	fputs("<section id=\"timeline\">\n<h2>Timeline</h2>\n<p>From ", f);
	fprintf(f, "%s to %s. ", from, to);
	if (eta >= 0) {
		utc(now + (time_t)eta, at, sizeof(at));
		fprintf(f,
			"<span id=\"eta\">ETA: %s (%" PRId64 " s)</span>, the "
			"dashed line.",
			at, eta);
	} else {
		char text[600];
		report_eta_text(v, now, text, sizeof(text));
		fputs("<span id=\"eta\">", f);
		html_puts(text, f);
		fputs("</span>", f);
	}
	fputs("</p>\n<div class=\"tl\">\n", f);
	for (size_t i = 0; i < v->n; i++)
		row(v, &v->rows[i], now, span, eta, f);
	fputs("</div>\n</section>\n", f);
}

int report_propagation_html(const struct rv_view *v, const struct findings *fs,
			    const struct html_run *run, FILE *f)
{
	char subject[300], eta_text[600];
	char *type = ldns_rr_type2str((ldns_rr_type)v->type);
	snprintf(subject, sizeof(subject), "%s %s", v->name, type ? type : "?");
	free(type);
	report_eta_text(v, run->started, eta_text, sizeof(eta_text));
	const struct finding *lead = fs->n ? &fs->v[0] : NULL;
	char *cause = NULL;
	if (asprintf(&cause, "%s%s%s", eta_text, lead ? " " : "",
		     lead ? lead->summary : "") < 0)
		return -1;
	html_head(subject, f);
	html_verdict(subject, fs, cause, lead ? lead->fix : NULL, f);
	free(cause);
	timeline(v, run->started, f);
	html_findings(fs, f);
	html_footer(run->command, run->started, run->queries, run->elapsed_ms,
		    f);
	return ferror(f) ? -1 : 0;
}
