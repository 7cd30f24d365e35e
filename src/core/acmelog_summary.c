/* From failures and attempts to what the report shows: failures grouped by
 * (type, cause, challenge), the retry pattern per domain, and how close the
 * runs came to Let's Encrypt's rate limits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/acmelog.h"

#define HOUR 3600
#define GROUP_DOMAINS_MAX                                   \
	1000 /* domains listed per group; the count goes on \
	      */
#define GROUPS_MAX 512

static int64_t tmin(int64_t a, int64_t b)
{
	if (a == ACMELOG_NO_TIME)
		return b;
	if (b == ACMELOG_NO_TIME)
		return a;
	return a < b ? a : b;
}

static int64_t tmax(int64_t a, int64_t b)
{
	return a == ACMELOG_NO_TIME
		       ? b
		       : (b == ACMELOG_NO_TIME ? a : (a > b ? a : b));
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The most entries of sorted T[N] inside any window of W seconds. */
static uint32_t max_in_window(const int64_t *t, size_t n, int64_t w)
{
	size_t lo = 0, best = 0;
	for (size_t hi = 0; hi < n; hi++) {
		while (t[hi] - t[lo] >= w)
			lo++;
		if (hi - lo + 1 > best)
			best = hi - lo + 1;
	}
	return (uint32_t)best;
}

static int group_add(struct acme_summary *s, const struct acme_failure *f,
		     size_t *cap)
{
	struct acme_group *g = NULL;
	/* hostile input can invent a type per line: past GROUPS_MAX groups,
	 * failures are counted but not grouped, so this stays linear */
	for (size_t i = 0; i < s->ng; i++)
		if (s->g[i].cause == f->cause &&
		    strcmp(s->g[i].type, f->type) == 0 &&
		    strcmp(s->g[i].challenge, f->challenge) == 0) {
			g = &s->g[i];
			break;
		}
	if (!g && s->ng >= GROUPS_MAX) {
		s->ungrouped += f->count;
		return 0;
	}
	if (!g) {
		if (s->ng == *cap) {
			size_t nc = *cap ? *cap * 2 : 8;
			struct acme_group *ng = realloc(s->g, nc * sizeof(*ng));
			if (!ng)
				return -ENOMEM;
			s->g = ng;
			*cap = nc;
		}
		g = &s->g[s->ng++];
		memset(g, 0, sizeof(*g));
		g->type = f->type;
		g->detail = f->detail;
		g->challenge = f->challenge;
		g->cause = f->cause;
		g->first = g->last = ACMELOG_NO_TIME;
	}
	g->count += f->count;
	g->secondary |= f->secondary;
	g->first = tmin(g->first, f->time);
	g->last = tmax(g->last, f->time);
	if (!*f->domain || g->ndomains >= GROUP_DOMAINS_MAX)
		return 0;
	for (size_t i = 0; i < g->ndomains; i++)
		if (strcmp(g->domains[i], f->domain) == 0)
			return 0;
	char **nd = realloc(g->domains, (g->ndomains + 1) * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	g->domains = nd;
	if (!(g->domains[g->ndomains] = strdup(f->domain)))
		return -ENOMEM;
	g->ndomains++;
	return 0;
}

static int cmp_attempt(const void *a, const void *b)
{
	const struct acme_attempt *x = *(struct acme_attempt *const *)a;
	const struct acme_attempt *y = *(struct acme_attempt *const *)b;
	int c = strcmp(x->domain, y->domain);
	if (c)
		return c;
	if (x->time != y->time)
		return x->time == ACMELOG_NO_TIME ? -1
		       : y->time == ACMELOG_NO_TIME
			       ? 1
			       : (x->time > y->time) - (x->time < y->time);
	return (x->run > y->run) - (x->run < y->run);
}

/* One retry row for the attempts A[0..N) of one domain, sorted by time. */
static int retry_row(struct acme_retry *r, struct acme_attempt *const *a,
		     size_t n)
{
	int64_t *failed = malloc(n * sizeof(*failed));
	size_t nfailed = 0;
	int64_t prev = ACMELOG_NO_TIME;

	memset(r, 0, sizeof(*r));
	r->first = r->last = ACMELOG_NO_TIME;
	r->intervals = malloc(n * sizeof(*r->intervals));
	r->domain = strdup(a[0]->domain);
	if (!failed || !r->intervals || !r->domain) {
		free(failed);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		r->attempts++;
		if (a[i]->success) {
			r->successes++;
		} else {
			r->failures++;
			if (a[i]->time != ACMELOG_NO_TIME)
				failed[nfailed++] = a[i]->time;
		}
		r->first = tmin(r->first, a[i]->time);
		r->last = tmax(r->last, a[i]->time);
		if (a[i]->time != ACMELOG_NO_TIME) {
			if (prev != ACMELOG_NO_TIME)
				r->intervals[r->nintervals++] =
					a[i]->time - prev;
			prev = a[i]->time;
		}
	}
	r->max_failed_hour = max_in_window(failed, nfailed, HOUR);
	free(failed);
	return 0;
}

static int retries(const struct acme_log *log, struct acme_summary *s)
{
	struct acme_attempt **v;
	size_t i, j;
	int rc = 0;

	if (log->na == 0)
		return 0;
	if (!(v = malloc(log->na * sizeof(*v))) ||
	    !(s->r = calloc(log->na, sizeof(*s->r)))) {
		free(v);
		return -ENOMEM;
	}
	for (i = 0; i < log->na; i++)
		v[i] = &log->a[i];
	qsort(v, log->na, sizeof(*v), cmp_attempt);
	for (i = 0; i < log->na && rc == 0; i = j) {
		for (j = i + 1;
		     j < log->na && strcmp(v[j]->domain, v[i]->domain) == 0;
		     j++)
			;
		rc = retry_row(&s->r[s->nr++], v + i, j - i);
	}
	free(v);
	return rc;
}

/* The registered domain, approximated as the last two labels: dnsdoctor
 * carries no public suffix list, so "example.co.uk" counts as "co.uk". */
static const char *last_two(const char *d)
{
	const char *p = d + strlen(d), *dots[2] = { NULL, NULL };
	while (p > d) {
		p--;
		if (*p == '.') {
			if (dots[0]) {
				dots[1] = p;
				break;
			}
			dots[0] = p;
		}
	}
	return dots[1] ? dots[1] + 1 : d;
}

struct cert_ent {
	const char *reg;
	int64_t time;
	uint32_t run;
};

static int cmp_cert(const void *a, const void *b)
{
	const struct cert_ent *x = a, *y = b;
	int c = strcmp(x->reg, y->reg);
	if (c)
		return c;
	if (x->run != y->run)
		return (x->run > y->run) - (x->run < y->run);
	return (x->time > y->time) - (x->time < y->time);
}

/* Certificates: one per successful run and registered domain; the busiest
 * week of any registered domain. Sorting keeps it O(n log n) whatever the
 * input holds. */
static int certs(const struct acme_log *log, struct acme_summary *s)
{
	struct cert_ent *e = malloc((log->na + 1) * sizeof(*e));
	int64_t *t = malloc((log->na + 1) * sizeof(*t));
	size_t n = 0, i, j;

	if (!e || !t) {
		free(e);
		free(t);
		return -ENOMEM;
	}
	for (i = 0; i < log->na; i++)
		if (log->a[i].success && log->a[i].time != ACMELOG_NO_TIME)
			e[n++] = (struct cert_ent){ last_two(log->a[i].domain),
						    log->a[i].time,
						    log->a[i].run };
	qsort(e, n, sizeof(*e), cmp_cert);
	for (i = 0; i < n; i = j) {
		size_t k = 0;
		for (j = i; j < n && strcmp(e[j].reg, e[i].reg) == 0; j++)
			if (j == i || e[j].run != e[j - 1].run)
				t[k++] = e[j].time;
		qsort(t, k, sizeof(*t), cmp_i64);
		uint32_t w = max_in_window(t, k, 7 * 24 * HOUR);
		if (w > s->max_certs_week) {
			char *d = strdup(e[i].reg);
			if (!d) {
				free(e);
				free(t);
				return -ENOMEM;
			}
			free(s->certs_domain);
			s->certs_domain = d;
			s->max_certs_week = w;
		}
	}
	free(e);
	free(t);
	return 0;
}

/* Orders: one per run with a time; the busiest 3 hours. */
static int limits(const struct acme_log *log, struct acme_summary *s)
{
	int64_t *run_time = malloc(((size_t)log->runs + 1) * sizeof(*run_time));
	size_t n = 0;

	if (!run_time)
		return -ENOMEM;
	for (size_t i = 0; i <= log->runs; i++)
		run_time[i] = ACMELOG_NO_TIME;
	for (size_t i = 0; i < log->na; i++)
		if (log->a[i].run <= log->runs)
			run_time[log->a[i].run] =
				tmin(run_time[log->a[i].run], log->a[i].time);
	for (size_t i = 0; i < log->nf; i++)
		if (log->f[i].run <= log->runs)
			run_time[log->f[i].run] =
				tmin(run_time[log->f[i].run], log->f[i].time);
	for (size_t i = 1; i <= log->runs; i++)
		if (run_time[i] != ACMELOG_NO_TIME)
			run_time[n++] = run_time[i];
	qsort(run_time, n, sizeof(*run_time), cmp_i64);
	s->orders = (uint32_t)n;
	s->max_orders_3h = max_in_window(run_time, n, 3 * HOUR);
	free(run_time);
	return certs(log, s);
}

int acmelog_summarize(const struct acme_log *log, struct acme_summary *s)
{
	size_t cap = 0;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < log->nf && rc == 0; i++) {
		s->failures += log->f[i].count;
		rc = group_add(s, &log->f[i], &cap);
	}
	if (rc == 0)
		rc = retries(log, s);
	if (rc == 0)
		rc = limits(log, s);
	if (rc < 0)
		acmelog_summary_deinit(s);
	return rc;
}

void acmelog_summary_deinit(struct acme_summary *s)
{
	for (size_t i = 0; i < s->ng; i++) {
		for (size_t k = 0; k < s->g[i].ndomains; k++)
			free(s->g[i].domains[k]);
		free(s->g[i].domains);
	}
	for (size_t i = 0; i < s->nr; i++) {
		free(s->r[i].domain);
		free(s->r[i].intervals);
	}
	free(s->g);
	free(s->r);
	free(s->certs_domain);
	memset(s, 0, sizeof(*s));
}
