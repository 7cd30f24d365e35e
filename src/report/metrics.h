/* Prometheus text exposition (format 0.0.4) of diagnosis results, for
 * `exporter`: every family's HELP and TYPE once, then its samples from
 * every target. docs/metrics.md documents each family; a family, once
 * shipped, keeps its name and labels.
 *
 * A result is read from the JSON envelope of a diagnosis (docs/json.md),
 * the same contract `--json` keeps, so the exporter needs nothing of a
 * command's insides. Label values are escaped as the format says
 * (backslash, double quote, newline), after every byte outside printable
 * ASCII has been written as \xHH: a hostile name cannot break a line or
 * the UTF-8 the format requires. */
#ifndef DD_REPORT_METRICS_H
#define DD_REPORT_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

enum metric_id {
	M_CHECK_SUCCESS,
	M_CHECK_EXIT,
	M_FINDING,
	M_CHECK_DURATION,
	M_CHECK_QUERIES,
	M_LAST_CHECK,
	M_PROPAGATION_ETA,
	M_RRSIG_EXPIRY,
	M_CERT_NOT_AFTER,
	M_QUERIES_TOTAL,
	M_CHECKS_TOTAL,
	M_TARGETS,
	M_PROBES_IN_FLIGHT,
	M_RELOAD_SUCCESS,
	M_RELOAD_TIME,
	M_BUILD_INFO,
	M__COUNT
};

/* A series' addresses at most per target: findings are bounded by the
 * catalogue, certificates by this. */
#define METRICS_CERT_ADDRESSES 16

struct msample {
	enum metric_id id;
	char *labels; /* "{a=\"b\"}" escaped, or "" */
	double value;
};

/* The samples of one target (or of the exporter itself). */
struct mset {
	struct msample *v;
	size_t n, cap;
};

void mset_free(struct mset *s);

/* Adds a sample of ID with VALUE and the label pairs that follow (name,
 * value, ..., NULL). 0 or -ENOMEM. */
int mset_add(struct mset *s, enum metric_id id, double value, ...)
	__attribute__((sentinel));

/* The samples of one diagnosis from its envelope ENV (diag_json): KIND
 * ("check", "cert", "propagation") and TARGET (the domain, host or record
 * name) label every one. 0 or -ENOMEM. */
int metrics_of_result(struct mset *s, const char *kind, const char *target,
		      const json_t *env);

/* Writes the families of SETS, in family order, each HELP and TYPE once
 * for the families that have a sample. 0, or -1 when F failed. */
int metrics_write(FILE *f, const struct mset *const *sets, size_t n);

#endif
