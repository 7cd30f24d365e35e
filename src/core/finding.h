/* Findings: the product's vocabulary.
 *
 * Every code, its severity, title, short fix and doc live in one file,
 * src/core/findings.catalogue; the enum and finding_defs are generated
 * from it at build time (scripts/gen-catalogue). A code, once shipped, is
 * never renamed and never renumbered: new codes go at the catalogue's end. */
#ifndef DD_CORE_FINDING_H
#define DD_CORE_FINDING_H

#include <stddef.h>
#include <jansson.h>

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

/* enum finding_code: F_<CODE>, in catalogue order, and F__COUNT. */
#include "core/finding_codes.h"

struct finding_def {
	const char *name; /* the stable code, e.g. "LAME_DELEGATION" */
	enum severity severity;
	const char *title; /* one line, no data */
	const char *fix;   /* the short fix, when a check gives none */
	const char *doc;   /* docs/findings/CODE.md, for `explain` */
};

extern const struct finding_def finding_defs[F__COUNT];

struct finding {
	enum finding_code code;
	enum severity severity;
	char *summary;	  /* one line naming the servers and values involved */
	char *fix;	  /* what to do */
	json_t *evidence; /* owned; an object */
	/* The index in its set of the root fault that explains this one, or
	 * -1 (core/causes.h); findings_sort sets it. */
	long cause;
	/* The other witnesses of the same consequence of the same fault
	 * (two resolvers that fail on one bad DS are one finding): an array
	 * of {"subject", "summary", "evidence"}, or NULL. Owned. */
	json_t *also;
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

const char *severity_name(enum severity s);
/* Returns the code named NAME (case-insensitive), or -1. */
int finding_code_from_name(const char *name);

void findings_init(struct findings *fs);
void findings_deinit(struct findings *fs);
/* Adds a finding; takes ownership of EVIDENCE (may be NULL) even on failure.
 * The summary is FMT's result; FIX is copied (NULL: the catalogue's short
 * fix). 0 or -ENOMEM. */
int findings_add(struct findings *fs, enum finding_code code, json_t *evidence,
		 const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Worst severity present, or -1 when there are no findings. */
int findings_worst(const struct findings *fs);
/* Root cause first: each root fault (worst first, then by code name),
 * followed by the findings it explains (in the same order); sets every
 * finding's cause. Stable, and the same whatever order FS was in. */
void findings_sort(struct findings *fs);

#endif
