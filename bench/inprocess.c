/* bench/inprocess: the diagnosis layer run many times in one process, on
 * one engine, as fleet and exporter will run it. Runs `check DOMAIN` COUNT
 * times back to back and prints, after 1, 10, 100, 1000 ... runs, the
 * resident set size, the heap in use (mallinfo2) and the time per run: if
 * a run leaks, RSS grows with the count.
 *
 *   bench/inprocess DOMAIN COUNT   (DNSDOCTOR_ROOT_HINTS, _TRUST_ANCHOR and
 *                                   _RESOLVERS as the CLI reads them)
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
	FILE *null = fopen("/dev/null", "w");
	long next = 1, findings = 0;
	int worst = 0;
	double t0 = now_s(), tl = t0;
	printf("%10s %10s %14s %12s %10s\n", "runs", "rss_kb", "heap_in_use_kb",
	       "ms_per_run", "findings");
	for (long i = 1; i <= count; i++) {
		struct diag d;
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
		worst = code > worst ? code : worst;
		diag_deinit(&d);
		if (i == next || i == count) {
			double t = now_s();
			struct mallinfo2 mi = mallinfo2();
			printf("%10ld %10ld %14zu %12.2f %10ld\n", i, rss_kb(),
			       mi.uordblks / 1024,
			       (t - tl) * 1000 /
				       (double)(i -
						(next / 10 ? next / 10 : 0)),
			       findings);
			tl = t;
			next *= 10;
		}
	}
	printf("total: %ld runs in %.2f s, exit of the worst run %d\n", count,
	       now_s() - t0, worst);
	fclose(null);
	diag_env_deinit(&de);
	return worst == 3 ? 3 : 0;
}
