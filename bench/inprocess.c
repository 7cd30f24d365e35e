/* bench/inprocess: the diagnosis layer run many times in one process, on
 * one engine, as fleet and exporter will run it. Runs `check DOMAIN` COUNT
 * times back to back and prints, after 1, 10, 100, 1000 ... runs, the
 * resident set size, the heap in use (mallinfo2) and the time per run: if
 * a run leaks, RSS grows with the count. Also the queries per run: the
 * first run walks from the root, the following ones from the TLD cuts the
 * engine's zone-cut cache learnt, and their findings must be the first's.
 *
 *   bench/inprocess DOMAIN COUNT   (DNSDOCTOR_ROOT_HINTS, _TRUST_ANCHOR and
 *                                   _RESOLVERS as the CLI reads them;
 *                                   INPROCESS_SAVE=PREFIX saves the
 *                                   evidence of run N to PREFIX-N.json;
 *                                   INPROCESS_NO_CUTS=1 runs without the
 *                                   zone-cut cache, for comparison)
 *
 * Written here rather than as a dnsdoctor command: it measures the layer
 * itself, and fleet will be the user-facing way to do this. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "diag/diag.h"
#include "probe/cutcache.h"

static long rss_kb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* D's findings as one text: codes and summaries, in order. */
static char *findings_text(const struct diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < d->fs.n; i++)
		fprintf(f, "%s %s\n", finding_defs[d->fs.v[i].code].name,
			d->fs.v[i].summary);
	fclose(f);
	return buf;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3 || atol(argv[2]) < 1) {
		fprintf(stderr, "usage: inprocess DOMAIN COUNT\n");
		return 3;
	}
	long count = atol(argv[2]);
	struct diag_request req = {
		.command = "check",
		.args = { argv[1] },
		.n_args = 1,
		.root_hints = env("DNSDOCTOR_ROOT_HINTS"),
		.trust_anchor = env("DNSDOCTOR_TRUST_ANCHOR"),
		.resolvers = env("DNSDOCTOR_RESOLVERS"),
		.timeout = 2.4,
		.rrsig_warn_days = 3,
		.warn_days = 21,
	};
	struct diag_env de;
	char err[512];
	if (diag_env_init(&de, &req, err, sizeof(err)) < 0) {
		fprintf(stderr, "inprocess: %s\n", err);
		return 3;
	}
	if (env("INPROCESS_NO_CUTS")) {
		cutcache_free(de.cuts);
		de.cuts = NULL;
	}
	FILE *null = fopen("/dev/null", "w");
	long next = 1, findings = 0, differ = 0;
	uint64_t queries = 0;
	int worst = 0;
	char *first = NULL;
	double t0 = now_s(), tl = t0;
	printf("%10s %10s %14s %12s %16s %10s\n", "runs", "rss_kb",
	       "heap_in_use_kb", "ms_per_run", "queries_per_run", "findings");
	for (long i = 1; i <= count; i++) {
		struct diag d;
		char save[4096];
		if (env("INPROCESS_SAVE")) {
			snprintf(save, sizeof(save), "%s-%ld.json",
				 env("INPROCESS_SAVE"), i);
			req.save_evidence = save;
		}
		int code = diag_run(&d, &req, &de);
		if (code == 3) {
			fprintf(stderr, "inprocess: run %ld: %s\n", i, d.error);
			diag_deinit(&d);
			worst = 3;
			break;
		}
		/* Render it too, as a run does, to /dev/null. */
		diag_render(&d, DIAG_JSON, null);
		findings += (long)d.fs.n;
		queries += d.queries;
		worst = code > worst ? code : worst;
		char *text = findings_text(&d);
		if (!first)
			first = text;
		else if (!text || strcmp(text, first) != 0)
			differ++;
		if (text != first)
			free(text);
		diag_deinit(&d);
		if (i == next || i == count) {
			double t = now_s();
			struct mallinfo2 mi = mallinfo2();
			long runs = i - (next / 10 ? next / 10 : 0);
			printf("%10ld %10ld %14zu %12.2f %16.1f %10ld\n", i,
			       rss_kb(), mi.uordblks / 1024,
			       (t - tl) * 1000 / (double)runs,
			       (double)queries / (double)runs, findings);
			tl = t;
			queries = 0;
			next *= 10;
		}
	}
	printf("total: %ld runs in %.2f s, exit of the worst run %d\n", count,
	       now_s() - t0, worst);
	printf("runs whose findings differ from the first run's: %ld\n",
	       differ);
	free(first);
	fclose(null);
	diag_env_deinit(&de);
	return worst == 3 || differ ? 3 : 0;
}
