/* The result envelope every command's --json shares. Fields may be added,
 * never renamed or removed (docs/json.md). */
#include <string.h>
#include "core/causes.h"
#include "report/envelope.h"

const char *report_rfc3339(time_t t, char *buf, size_t len)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "%s", "1970-01-01T00:00:00Z");
	return buf;
}

static json_t *finding_json(const struct findings *fs, const struct finding *f)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:O}", "code",
			      finding_defs[f->code].name, "severity",
			      severity_name(f->severity), "summary", f->summary,
			      "fix", f->fix, "evidence", f->evidence);
	if (!o)
		return NULL;
	char first[512];
	json_t *subjects = json_array();
	const char *s0 = finding_subject(f, first, sizeof(first));
	if (subjects && *s0)
		json_array_append_new(subjects, json_string(s0));
	for (size_t i = 0; subjects && f->also && i < json_array_size(f->also);
	     i++)
		json_array_append(subjects,
				  json_object_get(json_array_get(f->also, i),
						  "subject"));
	if (!subjects || json_object_set_new(o, "subjects", subjects) < 0 ||
	    (f->also && json_object_set(o, "also", f->also) < 0)) {
		json_decref(o);
		return NULL;
	}
	if (f->cause >= 0 && (size_t)f->cause < fs->n) {
		const struct finding *c = &fs->v[f->cause];
		char subject[512];
		json_t *by =
			json_pack("{s:s, s:s}", "code",
				  finding_defs[c->code].name, "subject",
				  finding_subject(c, subject, sizeof(subject)));
		if (!by || json_object_set_new(o, "caused_by", by) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

json_t *report_findings_json(const struct findings *fs)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && fs && i < fs->n; i++)
		if (json_array_append_new(arr, finding_json(fs, &fs->v[i])) <
		    0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

const char *report_verdict_of_exit(int exit)
{
	switch (exit) {
	case 0:
		return "ok";
	case 1:
		return "warning";
	case 2:
		return "error";
	default:
		return "unknown";
	}
}

json_t *report_envelope(const struct report_envelope *e, json_t *section)
{
	char when[32];
	json_t *o =
		json_pack("{s:s, s:s, s:s, s:I, s:s, s:i, s:o}", "dnsdoctor",
			  DD_VERSION, "command", e->command, "started",
			  report_rfc3339(e->started, when, sizeof(when)),
			  "duration_ms", (json_int_t)e->duration_ms, "verdict",
			  report_verdict_of_exit(e->exit), "exit", e->exit,
			  "findings", report_findings_json(e->fs));
	if (!o ||
	    (e->error &&
	     json_object_set_new(o, "error", json_string(e->error)) < 0)) {
		json_decref(o);
		json_decref(section);
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach (section, k, v)
		if (!json_object_get(o, k))
			json_object_set(o, k, v);
	json_decref(section);
	return o;
}
