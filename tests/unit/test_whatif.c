/* What-if delegation (--ns): the view built as if the parent delegated to
 * the servers given (core/view.c), and the comparison of findings with the
 * real delegation (core/whatif.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "core/evidence_json.h"
#include "core/finding.h"
#include "core/ns_plan.h"
#include "core/view.h"
#include "core/whatif.h"

static void add(struct findings *fs, enum finding_code code)
{
	assert_int_equal(findings_add(fs, code, NULL, NULL, "%s",
				      finding_defs[code].name),
			 0);
}

static void test_diff(void **state)
{
	(void)state;
	struct findings real, hyp;
	struct strset gone, appear;
	findings_init(&real);
	findings_init(&hyp);
	strset_init(&gone);
	strset_init(&appear);
	add(&real, F_LAME_DELEGATION);
	add(&real, F_LAME_DELEGATION); /* two servers: one code */
	add(&real, F_SOA_SERIAL_MISMATCH);
	add(&hyp, F_SOA_SERIAL_MISMATCH);
	add(&hyp, F_ZONE_UNREACHABLE);
	add(&hyp, F_DELEGATION_NS_MISMATCH);
	assert_int_equal(whatif_diff(&real, &hyp, &gone, &appear), 0);
	assert_int_equal(gone.n, 1);
	assert_string_equal(gone.v[0], "LAME_DELEGATION");
	assert_int_equal(appear.n, 2);
	assert_string_equal(appear.v[0], "DELEGATION_NS_MISMATCH");
	assert_string_equal(appear.v[1], "ZONE_UNREACHABLE");
	findings_deinit(&real);
	findings_deinit(&hyp);
	strset_deinit(&gone);
	strset_deinit(&appear);
}

static struct evidence *fixture(const char *name)
{
	char path[512], err[200];
	snprintf(path, sizeof(path), "%s/tests/fixtures/evidence/%s.json",
		 SRCDIR, name);
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);
	assert_non_null(j);
	struct evidence *ev = evidence_from_json(j, err, sizeof(err));
	json_decref(j);
	assert_non_null(ev);
	return ev;
}

/* The parent the walk found, the servers and glue given: the real
 * referral's NS set and glue play no part. */
static void test_view_delegation(void **state)
{
	(void)state;
	struct evidence *ev = fixture("serial-lag");
	struct view v;
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(v.pstate, PS_DELEGATED);
	char parent[VIEW_NAME_MAX];
	snprintf(parent, sizeof(parent), "%s", v.parent);
	assert_true(v.parent_ns.n >= 2);
	view_deinit(&v);

	assert_int_equal(ev_strings_add(&ev->what_if_ns, "ns1.serial-lag.org. "
							 "192.0.2.1"),
			 0);
	assert_int_equal(ev_strings_add(&ev->what_if_ns, "ns1.serial-lag.org. "
							 "2001:db8::1"),
			 0);
	assert_int_equal(ev_strings_add(&ev->what_if_ns, "ns.example.net."), 0);
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(v.pstate, PS_DELEGATED);
	assert_string_equal(v.zone, "serial-lag.org.");
	assert_string_equal(v.parent, parent);
	assert_int_equal(v.parent_ns.n, 2);
	const struct view_server *s = view_server_find(&v, "ns1.serial-lag."
							   "org.");
	assert_non_null(s);
	assert_true(s->in_parent);
	assert_int_equal(s->glue.n, 2);
	s = view_server_find(&v, "ns.example.net.");
	assert_non_null(s);
	assert_true(s->in_parent);
	assert_int_equal(s->glue.n, 0);
	view_deinit(&v);
	evidence_free(ev);
}

/* A domain the parent does not delegate: as if it did. */
static void test_view_undelegated(void **state)
{
	(void)state;
	struct evidence *ev = fixture("not-delegated");
	struct view v;
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(v.pstate, PS_NXDOMAIN);
	view_deinit(&v);
	assert_int_equal(ev_strings_add(&ev->what_if_ns, "ns.example.net."), 0);
	assert_int_equal(view_build(ev, &v), 0);
	assert_int_equal(v.pstate, PS_DELEGATED);
	assert_string_equal(v.zone, ev->domain);
	assert_int_equal(v.parent_ns.n, 1);
	view_deinit(&v);
	evidence_free(ev);
}

/* The times of a plan from the TTLs the views read: switch once the
 * lowered zone TTL holds, retire once the longer of the parent's and the
 * lowered one has run out; an error of the new delegation blocks. */
static void test_plan_times(void **state)
{
	(void)state;
	struct evidence *real = fixture("serial-lag");
	struct evidence *hyp = fixture("serial-lag");
	struct view rv, hv;
	struct findings fs;
	struct ns_plan p;
	findings_init(&fs);
	assert_int_equal(ev_strings_add(&hyp->what_if_ns, "ns.example.net."),
			 0);
	assert_int_equal(view_build(real, &rv), 0);
	assert_int_equal(view_build(hyp, &hv), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(ns_plan_build(&rv, &hv, &fs, 1000000, &p), 0);
	assert_true(p.ready);
	assert_true(p.parent_ttl > 0);
	assert_true(p.old_ttl > 0);
	assert_int_equal(p.to.n, 1);
	assert_true(p.from.n >= 2);
	int64_t low = p.lower ? NS_PLAN_LOW_TTL : p.old_ttl;
	assert_int_equal(p.t_switch, 1000000 + (p.lower ? p.old_ttl : 0));
	assert_int_equal(p.t_done,
			 p.t_switch +
				 (p.parent_ttl > low ? p.parent_ttl : low));
	ns_plan_deinit(&p);

	assert_int_equal(findings_add(&fs, F_LAME_DELEGATION, NULL, NULL, "x"),
			 0);
	assert_int_equal(findings_add(&fs, F_TOO_FEW_NS, NULL, NULL, "x"), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(ns_plan_build(&rv, &hv, &fs, 1000000, &p), 0);
	assert_false(p.ready);
	assert_int_equal(p.blocking.n, 2);
	ns_plan_deinit(&p);
	findings_deinit(&fs);
	view_deinit(&rv);
	view_deinit(&hv);
	evidence_free(real);
	evidence_free(hyp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_view_delegation),
		cmocka_unit_test(test_view_undelegated),
		cmocka_unit_test(test_plan_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
