/* The steps of a delegation change, each with the time it may start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/layout.h"
#include "report/ns_plan_report.h"

struct step {
	const char *id; /* "lower_ttl", "prepare", "switch", "wait", "retire" */
	time_t at;
	char *text; /* owned */
};

#define MAX_STEPS 5

static void set_print(const struct strset *s, FILE *m)
{
	for (size_t i = 0; i < s->n; i++)
		fprintf(m, "%s%s", i ? ", " : "", s->v[i]);
}

/* The text of step ID of R into a new string; NULL on ENOMEM. */
static char *step_text(const struct ns_plan_report *r, const char *id)
{
	const struct ns_plan *p = r->plan;
	const char *parent = r->parent && r->parent[0] ? r->parent
						       : "the parent";
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);
	if (!m)
		return NULL;
	if (strcmp(id, "lower_ttl") == 0) {
		if (p->lower)
			fprintf(m,
				"Lower the TTL of the NS records in the zone, "
				"on the servers delegated now, from %lld s to "
				"%d s.",
				(long long)p->old_ttl, NS_PLAN_LOW_TTL);
		else if (p->old_ttl >= 0)
			fprintf(m,
				"The zone's NS TTL on the servers delegated "
				"now is %lld s: nothing to lower.",
				(long long)p->old_ttl);
		else
			fputs("No server delegated now served the zone's NS "
			      "records: there is no TTL to lower.",
			      m);
		if (p->parent_ttl >= 0)
			fprintf(m,
				" The parent's NS TTL (%lld s at %s) is set by "
				"its registry: most registrars cannot lower "
				"it.",
				(long long)p->parent_ttl, parent);
		else
			fprintf(m,
				" %s does not delegate %s now: no old "
				"delegation is cached anywhere.",
				parent, r->domain);
	} else if (strcmp(id, "prepare") == 0) {
		fputs("Make sure the new servers (", m);
		set_print(&p->to, m);
		fputs(") serve the zone, with NS records that name them: ", m);
		if (!p->ready) {
			fputs("NOT READY: ", m);
			set_print(&p->blocking, m);
			fprintf(m,
				". Fix these first (dnsdoctor check %s --ns "
				"...).",
				r->domain);
		} else if (p->blocking.n) {
			fputs("ready, with warnings: ", m);
			set_print(&p->blocking, m);
			fputc('.', m);
		} else {
			fputs("ready, the diagnosis as if delegated to them "
			      "finds no problem.",
			      m);
		}
	} else if (strcmp(id, "switch") == 0) {
		fprintf(m,
			"At %s, set the name servers of %s to the new ones%s: ",
			r->registrar, r->domain,
			p->lower ? ", once the lowered TTL holds everywhere"
				 : "");
		set_print(&p->to, m);
		if (!p->ready)
			fputs(" (not before the new servers are ready)", m);
	} else if (strcmp(id, "wait") == 0) {
		int64_t child = p->lower ? NS_PLAN_LOW_TTL : p->old_ttl;
		fprintf(m,
			"Wait until no cache holds the old delegation: %lld s "
			"after the registry publishes the change (",
			(long long)(p->t_done - p->t_switch));
		if (child >= 0)
			fprintf(m,
				"the longer of the parent's NS TTL, %lld s, "
				"and the zone's, %lld s",
				(long long)(p->parent_ttl > 0 ? p->parent_ttl
							      : 0),
				(long long)child);
		else
			fprintf(m,
				"the parent's NS TTL, %lld s; the old servers "
				"serve no NS records of the zone",
				(long long)(p->parent_ttl > 0 ? p->parent_ttl
							      : 0));
		fputs("; add the registry's publication delay).", m);
	} else {
		fputs("Retire the old servers (", m);
		set_print(&p->from, m);
		fputs("): remove the zone from them, not before this time.", m);
	}
	if (fclose(m) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* The steps of R into V; how many, or -1 on ENOMEM (V freed). */
static int steps_make(const struct ns_plan_report *r, struct step *v)
{
	const struct ns_plan *p = r->plan;
	const struct {
		const char *id;
		time_t at;
		bool on;
	} plan[MAX_STEPS] = {
		{ "lower_ttl", p->now, true },
		{ "prepare", p->now, true },
		{ "switch", p->t_switch, true },
		{ "wait", p->t_done, p->from.n > 0 },
		{ "retire", p->t_done, p->from.n > 0 },
	};
	int n = 0;
	for (size_t i = 0; i < MAX_STEPS; i++) {
		if (!plan[i].on)
			continue;
		v[n] = (struct step){ plan[i].id, plan[i].at,
				      step_text(r, plan[i].id) };
		if (!v[n++].text) {
			for (int k = 0; k < n; k++)
				free(v[k].text);
			return -1;
		}
	}
	return n;
}

static void steps_free(struct step *v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i].text);
}

/* "2026-12-08 00:20 UTC (+1 h)" */
static void when(time_t at, time_t now, char *buf, size_t len)
{
	struct tm tm;
	char t[32] = "?";
	if (gmtime_r(&at, &tm))
		strftime(t, sizeof(t), "%Y-%m-%d %H:%M UTC", &tm);
	long long d = (long long)(at - now);
	if (d <= 0)
		snprintf(buf, len, "now, %s", t);
	else if (d < 3600)
		snprintf(buf, len, "%s (+%lld min)", t, (d + 59) / 60);
	else
		snprintf(buf, len, "%s (+%lld h %02lld min)", t, d / 3600,
			 (d % 3600 + 59) / 60);
}

void report_ns_plan_text(const struct ns_plan_report *r, FILE *f)
{
	struct layout l;
	struct step v[MAX_STEPS];
	char *line = NULL, at[80];
	layout_init(&l, f, r->color, r->width);
	layout_headline(&l,
			&(struct layout_head){ .name = r->domain,
					       .qualifier = "NS",
					       .tail = "plan of a delegation "
						       "change" },
			r->fs);
	int n = steps_make(r, v);
	for (int i = 0; i < n; i++) {
		when(v[i].at, r->plan->now, at, sizeof(at));
		if (asprintf(&line, "%d. %s: %s", i + 1, at, v[i].text) >= 0) {
			layout_note(&l, line);
			free(line);
		}
	}
	steps_free(v, n < 0 ? 0 : n);
	if ((line = report_whatif_diff_note(r->whatif))) {
		layout_note(&l, line);
		free(line);
	}
	layout_footer(&l, "Each step waits for the one before. Details of "
			  "the new servers: dnsdoctor check DOMAIN --ns ...");
}

static json_t *set_json(const struct strset *s)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < s->n; i++)
		json_array_append_new(a, json_string(s->v[i]));
	return a;
}

static json_t *ttl_json(int64_t ttl)
{
	return ttl >= 0 ? json_integer((json_int_t)ttl) : json_null();
}

json_t *report_ns_plan_json(const struct ns_plan_report *r)
{
	const struct ns_plan *p = r->plan;
	struct step v[MAX_STEPS];
	int n = steps_make(r, v);
	if (n < 0)
		return NULL;
	json_t *steps = json_array();
	for (int i = 0; steps && i < n; i++) {
		char t[32] = "";
		struct tm tm;
		if (gmtime_r(&v[i].at, &tm))
			strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_array_append_new(steps,
				      json_pack("{s:s, s:s, s:I, s:s}", "step",
						v[i].id, "at", t, "after_s",
						(json_int_t)(v[i].at - p->now),
						"text", v[i].text));
	}
	steps_free(v, n);
	return json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o}", "from",
		set_json(&p->from), "to", set_json(&p->to), "parent_ns_ttl",
		ttl_json(p->parent_ttl), "zone_ns_ttl", ttl_json(p->old_ttl),
		"new_zone_ns_ttl", ttl_json(p->new_ttl), "ready", p->ready,
		"blocking", set_json(&p->blocking), "registrar",
		r->registrar_known ? json_string(r->registrar) : json_null(),
		"steps", steps ? steps : json_array());
}
