#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/finding.h"

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "info";
	}
}

int finding_code_from_name(const char *name)
{
	for (int i = 0; i < F__COUNT; i++)
		if (strcasecmp(finding_defs[i].name, name) == 0)
			return i;
	return -1;
}

void findings_init(struct findings *fs)
{
	memset(fs, 0, sizeof(*fs));
}

void findings_deinit(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].summary);
		free(fs->v[i].fix);
		json_decref(fs->v[i].evidence);
	}
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* Sentences often end with an absolute name ("... ns1.example."), whose own
 * dot then doubles the full stop: keep one. */
static void single_stops(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (r[0] == '.' && r[1] == '.' &&
		    (r[2] == '\0' || r[2] == ' ' || r[2] == ';'))
			continue;
		*w++ = *r;
	}
	*w = '\0';
}

int findings_add(struct findings *fs, enum finding_code code, json_t *evidence,
		 const char *fix, const char *fmt, ...)
{
	char *summary = NULL;
	va_list ap;

	va_start(ap, fmt);
	int n = vasprintf(&summary, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto nomem;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		struct finding *v = realloc(fs->v, cap * sizeof(*v));
		if (!v)
			goto nomem;
		fs->v = v;
		fs->cap = cap;
	}
	struct finding *f = &fs->v[fs->n];
	f->code = code;
	f->severity = finding_defs[code].severity;
	f->summary = summary;
	f->fix = strdup(fix ? fix : finding_defs[code].fix);
	f->evidence = evidence ? evidence : json_object();
	if (f->fix)
		single_stops(f->fix);
	single_stops(summary);
	if (!f->fix || !f->evidence) {
		free(f->fix);
		json_decref(f->evidence);
		free(summary);
		return -ENOMEM;
	}
	fs->n++;
	return 0;
nomem:
	free(summary);
	json_decref(evidence);
	return -ENOMEM;
}

int findings_worst(const struct findings *fs)
{
	int worst = -1;
	for (size_t i = 0; i < fs->n; i++)
		if ((int)fs->v[i].severity > worst)
			worst = fs->v[i].severity;
	return worst;
}

void findings_sort(struct findings *fs)
{
	/* Insertion sort: stable, and finding lists are short. */
	for (size_t i = 1; i < fs->n; i++) {
		struct finding t = fs->v[i];
		size_t j = i;
		while (j > 0 && (fs->v[j - 1].severity < t.severity ||
				 (fs->v[j - 1].severity == t.severity &&
				  strcmp(finding_defs[fs->v[j - 1].code].name,
					 finding_defs[t.code].name) > 0))) {
			fs->v[j] = fs->v[j - 1];
			j--;
		}
		fs->v[j] = t;
	}
}
