/* Prometheus exposition of results (metrics.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/array.h"
#include "report/metrics.h"
#include "report/sanitize.h"

struct family {
	const char *name, *type, *help;
};

/* In the order they are written; docs/metrics.md says the same. */
static const struct family families[M__COUNT] = {
	[M_CHECK_SUCCESS] = { "dnsdoctor_check_success", "gauge",
			      "1 when the last check ran and found no error "
			      "(exit 0 or 1), else 0." },
	[M_CHECK_EXIT] = { "dnsdoctor_check_exit_code", "gauge",
			   "Exit code of the last check: 0 ok, 1 warnings, 2 "
			   "errors, 3 could not check." },
	[M_FINDING] = { "dnsdoctor_finding", "gauge",
			"1 for each finding code the last check reported "
			"(dnsdoctor explain CODE)." },
	[M_CHECK_DURATION] = { "dnsdoctor_check_duration_seconds", "gauge",
			       "How long the last check took." },
	[M_CHECK_QUERIES] = { "dnsdoctor_check_queries", "gauge",
			      "Queries the last check sent." },
	[M_LAST_CHECK] = { "dnsdoctor_last_check_timestamp_seconds", "gauge",
			   "When the last check started (Unix time)." },
	[M_PROPAGATION_ETA] = { "dnsdoctor_propagation_eta_seconds", "gauge",
				"Seconds until the expected value is seen "
				"everywhere; 0 now, +Inf never unless "
				"something changes." },
	[M_RRSIG_EXPIRY] = { "dnsdoctor_rrsig_expiry_timestamp_seconds",
			     "gauge",
			     "When the first signature over the zone's SOA, NS "
			     "or DNSKEY set expires (Unix time)." },
	[M_CERT_NOT_AFTER] = { "dnsdoctor_cert_not_after_timestamp_seconds",
			       "gauge",
			       "The notAfter of the certificate each address "
			       "served (Unix time)." },
	[M_QUERIES_TOTAL] = { "dnsdoctor_queries_total", "counter",
			      "Queries the exporter has sent." },
	[M_CHECKS_TOTAL] = { "dnsdoctor_exporter_checks_total", "counter",
			     "Checks the exporter has run, by result." },
	[M_TARGETS] = { "dnsdoctor_exporter_targets", "gauge",
			"Targets of the configuration." },
	[M_PROBES_IN_FLIGHT] = { "dnsdoctor_exporter_probes_in_flight", "gauge",
				 "/probe requests being checked." },
	[M_RELOAD_SUCCESS] = { "dnsdoctor_exporter_config_last_reload_"
			       "successful",
			       "gauge",
			       "1 when the last configuration load worked." },
	[M_RELOAD_TIME] = { "dnsdoctor_exporter_config_last_reload_success_"
			    "timestamp_seconds",
			    "gauge",
			    "When the configuration was last loaded (Unix "
			    "time)." },
	[M_BUILD_INFO] = { "dnsdoctor_exporter_build_info", "gauge",
			   "1, labelled with the version." },
};

void mset_free(struct mset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].labels);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* V as a label value: made printable ASCII, then escaped. */
static void label_value(FILE *m, const char *v)
{
	char *safe = str_safe(v ? v : "");
	for (const char *p = safe ? safe : ""; *p; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', m);
		fputc(*p, m);
	}
	free(safe);
}

static int mset_vadd(struct mset *s, enum metric_id id, double value,
		     va_list ap)
{
	char *labels = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&labels, &len);
	if (!m)
		return -ENOMEM;
	const char *k;
	bool first = true;
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);
		fprintf(m, "%s%s=\"", first ? "{" : ",", k);
		label_value(m, v);
		fputc('"', m);
		first = false;
	}
	if (!first)
		fputc('}', m);
	if (fclose(m) != 0 || !labels ||
	    ARRAY_RESERVE(s->v, s->cap, s->n + 1) < 0) {
		free(labels);
		return -ENOMEM;
	}
	s->v[s->n++] = (struct msample){ id, labels, value };
	return 0;
}

int mset_add(struct mset *s, enum metric_id id, double value, ...)
{
	va_list ap;
	va_start(ap, value);
	int rc = mset_vadd(s, id, value, ap);
	va_end(ap);
	return rc;
}

/* "2026-02-01T00:00:00Z" as Unix time; -1 when it is not one. */
static double iso_time(const char *t)
{
	struct tm tm = { 0 };
	const char *end = t ? strptime(t, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (!end || *end)
		return -1;
	return (double)timegm(&tm);
}

static int per_kind(struct mset *s, const char *kind, const char *target,
		    const json_t *env)
{
	int rc = 0;
	if (strcmp(kind, "propagation") == 0) {
		const json_t *eta = json_object_get(env, "eta_seconds");
		const char *type = json_string_value(json_object_get(env, "typ"
									  "e"));
		if (eta)
			rc = mset_add(s, M_PROPAGATION_ETA,
				      json_is_integer(eta)
					      ? (double)json_integer_value(eta)
					      : INFINITY,
				      "kind", kind, "domain", target, "type",
				      type ? type : "?", NULL);
	}
	const char *exp = json_string_value(json_object_get(env, "rrsig_"
								 "expiration"));
	if (rc == 0 && exp && iso_time(exp) >= 0)
		rc = mset_add(s, M_RRSIG_EXPIRY, iso_time(exp), "kind", kind,
			      "domain", target, NULL);
	const json_t *addrs = json_object_get(env, "addresses");
	size_t i;
	const json_t *a;
	json_array_foreach (addrs, i, a) {
		double t = iso_time(json_string_value(json_object_get(a, "not_"
									 "afte"
									 "r")));
		if (rc < 0 || i == METRICS_CERT_ADDRESSES)
			break;
		if (t >= 0)
			rc = mset_add(s, M_CERT_NOT_AFTER, t, "kind", kind,
				      "domain", target, "address",
				      json_string_value(
					      json_object_get(a, "address")),
				      NULL);
	}
	return rc;
}

int metrics_of_result(struct mset *s, const char *kind, const char *target,
		      const json_t *env)
{
	json_int_t exit = json_integer_value(json_object_get(env, "exit"));
	double started = iso_time(json_string_value(json_object_get(env, "start"
									 "e"
									 "d")));
	const json_t *fs = json_object_get(env, "findings");
	int rc = mset_add(s, M_CHECK_SUCCESS, exit <= 1 ? 1.0 : 0.0, "kind",
			  kind, "domain", target, NULL);
	if (rc == 0)
		rc = mset_add(s, M_CHECK_EXIT, (double)exit, "kind", kind,
			      "domain", target, NULL);
	/* One series per code: a code many servers show is one fault. */
	size_t i;
	const json_t *f;
	json_array_foreach (fs, i, f) {
		const char *code = json_string_value(json_object_get(f, "cod"
									"e"));
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = json_equal(json_object_get(json_array_get(fs, j),
							 "code"),
					 json_object_get(f, "code"));
		if (rc < 0)
			break;
		if (code && !dup)
			rc = mset_add(s, M_FINDING, 1.0, "kind", kind, "domain",
				      target, "code", code, "severity",
				      json_string_value(
					      json_object_get(f, "severity")),
				      NULL);
	}
	if (rc == 0)
		rc = mset_add(s, M_CHECK_DURATION,
			      (double)json_integer_value(
				      json_object_get(env, "duration_ms")) /
				      1000.0,
			      "kind", kind, "domain", target, NULL);
	const json_t *q = json_object_get(json_object_get(env, "stats"), "queri"
									 "es");
	if (rc == 0 && json_is_integer(q))
		rc = mset_add(s, M_CHECK_QUERIES, (double)json_integer_value(q),
			      "kind", kind, "domain", target, NULL);
	if (rc == 0 && started >= 0)
		rc = mset_add(s, M_LAST_CHECK, started, "kind", kind, "domain",
			      target, NULL);
	return rc < 0 ? rc : per_kind(s, kind, target, env);
}

static void value(FILE *f, double v)
{
	if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", f);
	else if (isnan(v))
		fputs("NaN", f);
	else if (v == (double)(long long)v && fabs(v) < 1e15)
		fprintf(f, "%lld", (long long)v);
	else
		fprintf(f, "%.6g", v);
}

int metrics_write(FILE *f, const struct mset *const *sets, size_t n)
{
	for (int id = 0; id < M__COUNT; id++) {
		bool head = false;
		for (size_t k = 0; k < n; k++)
			for (size_t i = 0; sets[k] && i < sets[k]->n; i++) {
				const struct msample *x = &sets[k]->v[i];
				if ((int)x->id != id)
					continue;
				if (!head)
					fprintf(f,
						"# HELP %s %s\n# TYPE %s %s\n",
						families[id].name,
						families[id].help,
						families[id].name,
						families[id].type);
				head = true;
				fprintf(f, "%s%s ", families[id].name,
					x->labels);
				value(f, x->value);
				fputc('\n', f);
			}
	}
	return ferror(f) ? -1 : 0;
}
