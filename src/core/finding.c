#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/finding.h"

const struct finding_def finding_defs[F__COUNT] = {
	[F_DOMAIN_NOT_DELEGATED] = { "DOMAIN_NOT_DELEGATED", SEV_ERROR,
		"the parent zone does not delegate the domain" },
	[F_DELEGATION_NS_MISMATCH] = { "DELEGATION_NS_MISMATCH", SEV_WARNING,
		"the parent's NS set differs from the zone's own NS RRset" },
	[F_EXPECTED_NS_MISMATCH] = { "EXPECTED_NS_MISMATCH", SEV_ERROR,
		"the delegation differs from the name servers the provider assigned" },
	[F_LAME_DELEGATION] = { "LAME_DELEGATION", SEV_ERROR,
		"a delegated server does not answer authoritatively" },
	[F_ZONE_UNREACHABLE] = { "ZONE_UNREACHABLE", SEV_ERROR,
		"no delegated server answers authoritatively" },
	[F_NS_UNREACHABLE] = { "NS_UNREACHABLE", SEV_ERROR,
		"a name server address does not answer" },
	[F_NS_NO_TCP] = { "NS_NO_TCP", SEV_WARNING,
		"a name server answers over UDP but not over TCP" },
	[F_GLUE_MISSING] = { "GLUE_MISSING", SEV_ERROR,
		"the parent has no glue for an in-zone name server" },
	[F_GLUE_MISMATCH] = { "GLUE_MISMATCH", SEV_WARNING,
		"glue at the parent differs from the name server's address" },
	[F_NS_NAME_UNRESOLVABLE] = { "NS_NAME_UNRESOLVABLE", SEV_ERROR,
		"a name server's name has no address" },
	[F_NS_IS_CNAME] = { "NS_IS_CNAME", SEV_ERROR,
		"a name server's name is an alias (CNAME)" },
	[F_TOO_FEW_NS] = { "TOO_FEW_NS", SEV_WARNING,
		"fewer than two name servers" },
	[F_SOA_SERIAL_MISMATCH] = { "SOA_SERIAL_MISMATCH", SEV_WARNING,
		"authoritative servers serve different SOA serials" },
	[F_NS_RRSET_INCONSISTENT] = { "NS_RRSET_INCONSISTENT", SEV_WARNING,
		"authoritative servers serve different NS RRsets" },
};

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
		if (r[0] == '.' && r[1] == '.' && (r[2] == '\0' || r[2] == ' ' || r[2] == ';'))
			continue;
		*w++ = *r;
	}
	*w = '\0';
}

int findings_add(struct findings *fs, enum finding_code code,
		 json_t *evidence, const char *fix, const char *fmt, ...)
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
	f->fix = strdup(fix ? fix : "");
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
				  fs->v[j - 1].code > t.code))) {
			fs->v[j] = fs->v[j - 1];
			j--;
		}
		fs->v[j] = t;
	}
}
