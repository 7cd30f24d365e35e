/* Every lab scenario, offline: the recorded evidence of each scenario
 * (tests/fixtures/evidence, made by tests/fixtures/record) must give exactly
 * the codes its manifest names, both when the checks read the recording and
 * when the probe runs again against the replay engine serving it: from the
 * root, and from the TLD cuts the recording's root referrals put in a
 * zone-cut cache, as the second diagnosis on an engine starts. */
#include <dirent.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/checks.h"
#include "core/dname.h"
#include "core/evidence_json.h"
#include "engine/anscache.h"
#include "engine/engine.h"
#include "probe/cutcache.h"
#include "probe/probe.h"

#ifndef SRCDIR
#error "SRCDIR must name the source tree"
#endif

struct scenario {
	char name[128];
};

static struct evidence *load(const char *path)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	assert_non_null(j);
	char err[200];
	struct evidence *ev = evidence_from_json(j, err, sizeof(err));
	json_decref(j);
	if (!ev)
		fail_msg("%s: %s", path, err);
	return ev;
}

/* The warning and error codes of EV, space separated and sorted. */
static void codes_of(const struct evidence *ev, struct strset *codes)
{
	struct view v;
	struct findings fs;
	findings_init(&fs);
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(checks_run(&v, (time_t)ev->started, &fs), 0);
	for (size_t i = 0; i < fs.n; i++)
		if (fs.v[i].severity >= SEV_WARNING)
			strset_add(codes, finding_defs[fs.v[i].code].name);
	findings_deinit(&fs);
	view_deinit(&v);
}

static void expected_codes(const char *name, struct strset *codes)
{
	char path[512], line[1024];
	snprintf(path, sizeof(path), "%s/lab/scenarios/%s/manifest", SRCDIR,
		 name);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("no manifest for %s", name);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "expect=", 7) != 0)
			continue;
		for (char *p = line + 7; *p;) {
			size_t n = strcspn(p, " \t\r\n");
			if (n) {
				char code[64];
				snprintf(code, sizeof(code), "%.*s", (int)n, p);
				strset_add(codes, code);
			}
			p += n;
			p += strspn(p, " \t\r\n");
		}
	}
	fclose(f);
}

static void assert_codes(const char *what, const char *name,
			 const struct strset *want, const struct strset *got)
{
	if (strset_equal(want, got))
		return;
	char *w = strset_join(want, " "), *g = strset_join(got, " ");
	print_error("%s %s: expected {%s}, got {%s}\n", what, name, w, g);
	free(w);
	free(g);
	fail();
}

/* The servers the recording asked in ROLE (as servers of ZONE when not
 * NULL): the root servers it started from, or the resolvers it asked. */
static void hints_of(const struct evidence *ev, int role, const char *zone,
		     struct hints *h)
{
	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		bool dup = false;
		if (x->role != role || (zone && strcmp(x->zone, zone) != 0))
			continue;
		for (size_t k = 0; k < h->n; k++)
			dup |= !strcmp(h->v[k].addr, x->addr) &&
			       !strcmp(h->v[k].name, x->server);
		if (dup)
			continue;
		h->v = realloc(h->v, (h->n + 1) * sizeof(*h->v));
		assert_non_null(h->v);
		h->v[h->n].name = strdup(x->server);
		h->v[h->n].addr = strdup(x->addr);
		h->n++;
	}
}

/* A new evidence with EV's inputs, for the probe to run again. */
static struct evidence *inputs_of(const struct evidence *ev)
{
	struct evidence *ev2 = evidence_new(ev->domain, ev->started);
	assert_non_null(ev2);
	for (size_t i = 0; i < ev->n_expect_ns; i++)
		assert_int_equal(evidence_add_expect_ns(ev2, ev->expect_ns[i]),
				 0);
	for (size_t i = 0; i < ev->trust_anchor.n; i++)
		assert_int_equal(ev_strings_add(&ev2->trust_anchor,
						ev->trust_anchor.v[i]),
				 0);
	for (size_t i = 0; i < ev->what_if_ds.n; i++)
		assert_int_equal(ev_strings_add(&ev2->what_if_ds,
						ev->what_if_ds.v[i]),
				 0);
	assert_int_equal(ev_validation_copy(ev2, &ev->validation), 0);
	ev2->rrsig_warn_s = ev->rrsig_warn_s;
	return ev2;
}

/* The probe run again on EV2 against the replay of EV. */
static void reprobe(const struct evidence *ev, const struct hints *h,
		    const struct hints *resolvers, struct evidence *ev2)
{
	struct engine *eng = NULL;
	struct probe_config cfg = { .roots = h,
				    .resolvers = resolvers,
				    .family = 0 };
	assert_int_equal(engine_replay_new(&eng, ev), 0);
	assert_int_equal(probe_check(eng, &cfg, ev2), 0);
	engine_free(eng);
}

/* The probe run twice on one engine that keeps shared answers, as fleet
 * runs it; EV2 gets the second run. Returns how many of its exchanges
 * were answered from the first. */
static size_t reprobe_shared(const struct evidence *ev, const struct hints *h,
			     const struct hints *resolvers,
			     struct evidence *ev2)
{
	struct engine *eng = NULL;
	struct probe_config cfg = { .roots = h,
				    .resolvers = resolvers,
				    .family = 0 };
	struct evidence *first = inputs_of(ev);
	size_t n = 0;
	assert_int_equal(engine_replay_new(&eng, ev), 0);
	assert_int_equal(anscache_attach(eng, 64), 0);
	assert_int_equal(probe_check(eng, &cfg, first), 0);
	assert_int_equal(probe_check(eng, &cfg, ev2), 0);
	engine_free(eng);
	for (size_t i = 0; i < first->n_ex; i++)
		assert_false(first->ex[i].cached);
	for (size_t i = 0; i < ev2->n_ex; i++)
		n += ev2->ex[i].cached;
	evidence_free(first);
	return n;
}

/* The zone the authoritative view asked about, or NULL. */
static const char *auth_zone(const struct evidence *ev)
{
	for (size_t i = 0; i < ev->n_ex; i++)
		if (ev->ex[i].role == EV_AUTH)
			return ev->ex[i].zone;
	return NULL;
}

/* Only keys and DS of the zones above the diagnosed one are shared, and
 * the root's keys are whenever they were answered. */
static void assert_shared_above(const char *name, const struct evidence *ev,
				const struct evidence *ev4, size_t n_cached)
{
	const char *zone = auth_zone(ev4);
	bool root_keys = false;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		root_keys |= x->role == EV_DNSSEC && x->status == QS_OK &&
			     x->qtype == 48 && !strcmp(x->qname, ".") &&
			     anscache_answer_ttl(x->wire, x->wire_len) > 0;
	}
	if (root_keys && n_cached == 0)
		fail_msg("%s: the root's DNSKEY was asked again", name);
	for (size_t i = 0; i < ev4->n_ex; i++) {
		const struct ev_exchange *x = &ev4->ex[i];
		if (!x->cached)
			continue;
		assert_int_equal(x->role, EV_DNSSEC);
		assert_true(x->qtype == 48 || x->qtype == 43);
		assert_non_null(zone);
		if (dname_labels(x->qname) >= dname_labels(zone))
			fail_msg("%s: %s (type %u) of the zone %s itself "
				 "shared",
				 name, x->qname, x->qtype, zone);
	}
}

static size_t root_walks(const struct evidence *ev)
{
	size_t n = 0;
	for (size_t i = 0; i < ev->n_ex; i++)
		n += ev->ex[i].role == EV_WALK && !strcmp(ev->ex[i].zone, ".");
	return n;
}

static void test_scenario(void **state)
{
	const struct scenario *s = *state;
	char path[512];
	struct strset want, got, again, cached, shared;
	strset_init(&want);
	strset_init(&shared);
	strset_init(&got);
	strset_init(&again);
	strset_init(&cached);

	snprintf(path, sizeof(path), "%s/tests/fixtures/evidence/%s.json",
		 SRCDIR, s->name);
	struct evidence *ev = load(path);
	expected_codes(s->name, &want);
	codes_of(ev, &got);
	assert_codes("recorded", s->name, &want, &got);

	struct hints h, resolvers;
	hints_of(ev, EV_WALK, ".", &h);
	hints_of(ev, EV_RESOLVER, NULL, &resolvers);
	assert_true(h.n > 0);
	struct evidence *ev2 = inputs_of(ev);
	reprobe(ev, &h, &resolvers, ev2);
	codes_of(ev2, &again);
	assert_codes("replayed", s->name, &want, &again);

	struct cutcache *cc = cutcache_new();
	struct evidence *ev3 = inputs_of(ev);
	assert_non_null(cc);
	assert_int_equal(cutcache_learn(cc, ev, 0), 0);
	assert_int_equal(cutcache_note(cc, 0, &ev3->cached_cuts), 0);
	assert_true(ev3->cached_cuts.n > 0);
	reprobe(ev, &h, &resolvers, ev3);
	codes_of(ev3, &cached);
	assert_codes("from the cached cuts", s->name, &want, &cached);
	/* The root is walked again only when the TLD gave no referral. */
	assert_true(root_walks(ev3) == 0 || root_walks(ev3) == root_walks(ev));

	struct evidence *ev4 = inputs_of(ev);
	size_t n_cached = reprobe_shared(ev, &h, &resolvers, ev4);
	codes_of(ev4, &shared);
	assert_codes("with shared answers", s->name, &want, &shared);
	assert_shared_above(s->name, ev, ev4, n_cached);

	evidence_free(ev4);
	cutcache_free(cc);
	evidence_free(ev3);
	evidence_free(ev2);
	evidence_free(ev);
	hints_deinit(&h);
	hints_deinit(&resolvers);
	strset_deinit(&want);
	strset_deinit(&got);
	strset_deinit(&again);
	strset_deinit(&cached);
	strset_deinit(&shared);
}

/* Time is an input: the healthy signed zone, analysed a year later, has
 * expired signatures, and a year earlier not-yet-valid ones. */
static void test_pinned_time(void **state)
{
	char path[512];
	snprintf(path, sizeof(path),
		 "%s/tests/fixtures/evidence/dnssec-healthy.json", SRCDIR);
	struct evidence *ev = load(path);
	struct strset got;
	int64_t t0 = ev->started;
	const struct {
		int64_t shift;
		const char *code;
	} cases[] = {
		{ 0, NULL },
		{ 400 * 86400, "RRSIG_EXPIRED" },
		{ -400 * 86400, "RRSIG_NOT_YET_VALID" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strset_init(&got);
		ev->started = t0 + cases[i].shift;
		codes_of(ev, &got);
		if (cases[i].code)
			assert_true(strset_has(&got, cases[i].code));
		else
			assert_int_equal(got.n, 0);
		strset_deinit(&got);
	}
	evidence_free(ev);
}

int main(void)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/evidence", SRCDIR);
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	struct scenario *sc = NULL;
	struct CMUnitTest *tests = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		sc = realloc(sc, (n + 1) * sizeof(*sc));
		snprintf(sc[n].name, sizeof(sc[n].name), "%.*s", (int)(len - 5),
			 e->d_name);
		n++;
	}
	closedir(d);
	tests = calloc(n + 1, sizeof(*tests));
	for (size_t i = 0; i < n; i++) {
		tests[i].name = sc[i].name;
		tests[i].test_func = test_scenario;
		tests[i].initial_state = &sc[i];
	}
	tests[n].name = "pinned_time";
	tests[n].test_func = test_pinned_time;
	int rc = n ? _cmocka_run_group_tests("scenarios", tests, n + 1, NULL,
					     NULL)
		   : (fprintf(stderr, "no fixtures in %s\n", dir), 1);
	free(tests);
	free(sc);
	return rc;
}
