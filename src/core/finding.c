#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/causes.h"
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
		json_decref(fs->v[i].also);
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
	f->cause = -1;
	f->also = NULL;
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

/* Whether A goes after B: by RANK (worst first), then code name. */
static bool after(const struct finding *a, int rank_a, const struct finding *b,
		  int rank_b)
{
	return rank_b > rank_a ||
	       (rank_b == rank_a && strcmp(finding_defs[b->code].name,
					   finding_defs[a->code].name) < 0);
}

/* Insertion sort by KEY (stable; finding lists are short). KEY[i] is the
 * rank of FS->v[i] and moves with it. */
static void sort_by(struct findings *fs, int *key)
{
	for (size_t i = 1; i < fs->n; i++) {
		struct finding t = fs->v[i];
		int k = key[i];
		size_t j = i;
		while (j > 0 && after(&fs->v[j - 1], key[j - 1], &t, k)) {
			fs->v[j] = fs->v[j - 1];
			key[j] = key[j - 1];
			j--;
		}
		fs->v[j] = t;
		key[j] = k;
	}
}

/* Folds F into KEEP's list of other witnesses; F's own strings go. */
static int fold(struct finding *keep, struct finding *f)
{
	char subject[512];
	json_t *w = json_pack("{s:s, s:s, s:O}", "subject",
			      finding_subject(f, subject, sizeof(subject)),
			      "summary", f->summary, "evidence", f->evidence);
	if (!w || (!keep->also && !(keep->also = json_array())) ||
	    json_array_append_new(keep->also, w) < 0) {
		json_decref(w);
		return -1;
	}
	json_t *more = f->also; /* F may have folded others already */
	for (size_t i = 0; more && i < json_array_size(more); i++)
		if (json_array_append(keep->also, json_array_get(more, i)) < 0)
			return -1;
	free(f->summary);
	free(f->fix);
	json_decref(f->evidence);
	json_decref(f->also);
	return 0;
}

/* One finding per fault, not per witness: the consequences of one root
 * with one code (grouped together, next to each other, by the sort) are
 * one finding, the first, listing the others in its ALSO. A root is never
 * merged: two lame servers nothing explains are two faults. Without
 * memory to fold, the witnesses stay separate findings. */
static void merge_witnesses(struct findings *fs)
{
	size_t w = 0;
	long *moved = calloc(fs->n, sizeof(*moved));
	if (!moved)
		return;
	for (size_t r = 0; r < fs->n; r++) {
		struct finding *f = &fs->v[r];
		struct finding *prev = w ? &fs->v[w - 1] : NULL;
		if (prev && f->cause >= 0 && prev->code == f->code &&
		    moved[f->cause] == prev->cause && fold(prev, f) == 0) {
			moved[r] = (long)w - 1;
			continue;
		}
		moved[r] = (long)w;
		f->cause = f->cause >= 0 ? moved[f->cause] : -1;
		fs->v[w++] = *f;
	}
	fs->n = w;
	free(moved);
}

void findings_sort(struct findings *fs)
{
	if (fs->n == 0)
		return;
	/* A rank is severity * 1024 plus, for a root, how many findings it
	 * explains (at most 1023). */
	int *key = calloc(fs->n, sizeof(*key));
	bool *emitted = calloc(fs->n, sizeof(*emitted));
	struct finding *out = calloc(fs->n, sizeof(*out));
	for (size_t i = 0; key && i < fs->n; i++)
		key[i] = (int)fs->v[i].severity * 1024;
	if (key)
		sort_by(fs, key); /* worst first, whatever follows */
	if (!key || !emitted || !out) {
		for (size_t i = 0; i < fs->n; i++)
			fs->v[i].cause = -1; /* no memory to group */
		goto out;
	}
	findings_link(fs);
	/* A root's group ranks by its worst member (a warning that explains
	 * an error leads), then by how much it explains. */
	for (size_t i = 0; i < fs->n; i++) {
		long r = fs->v[i].cause;
		if (r < 0)
			continue;
		if ((int)fs->v[i].severity * 1024 > (key[r] & ~1023))
			key[r] = (int)fs->v[i].severity * 1024 |
				 (key[r] & 1023);
		if ((key[r] & 1023) < 1023)
			key[r]++;
	}
	size_t n = 0;
	for (size_t pass = 0; pass < fs->n; pass++) {
		/* The next root by its group's rank. */
		long best = -1;
		for (size_t i = 0; i < fs->n; i++)
			if (fs->v[i].cause == -1 && !emitted[i] &&
			    (best < 0 ||
			     after(&fs->v[best], key[best], &fs->v[i], key[i])))
				best = (long)i;
		if (best < 0)
			break;
		emitted[best] = true;
		size_t at = n;
		out[n++] = fs->v[best];
		out[at].cause = -1;
		for (size_t i = 0; i < fs->n; i++)
			if (fs->v[i].cause == best) {
				out[n] = fs->v[i];
				out[n++].cause = (long)at;
			}
	}
	if (n == fs->n) { /* every finding is a root or under one */
		memcpy(fs->v, out, n * sizeof(*out));
		merge_witnesses(fs);
	}
out:
	free(key);
	free(emitted);
	free(out);
}
