/* The in-flight table: merging duplicates, per-server caps, FIFO, removal. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "engine/inflight.h"

static void nop_cb(void *arg, const struct eng_request *req,
		   const struct eng_response *resp)
{
}

static void req_init(struct eng_request *r, const char *addr, const char *qname,
		     unsigned flags)
{
	assert_int_equal(eng_addr_parse(r, addr, 53), 0);
	r->qname = qname;
	r->qtype = 1;
	r->qclass = 1;
	r->flags = flags;
}

static int add(struct inflight *t, const struct eng_request *r,
	       struct ifl_entry **e)
{
	struct ifl_key k;

	assert_int_equal(ifl_key_init(&k, (const struct sockaddr *)&r->addr,
				      r->addrlen, r->qname, r->qtype, r->qclass,
				      r->flags),
			 0);
	return inflight_add(t, &k, r, nop_cb, NULL, e);
}

static void test_merge_duplicates(void **state)
{
	struct inflight *t;
	struct eng_request r1, r2, r3;
	struct ifl_entry *e1, *e2, *e3;

	assert_int_equal(inflight_new(&t, 16, 8), 0);
	req_init(&r1, "192.0.2.1", "Example.com.", 0);
	req_init(&r2, "192.0.2.1", "example.COM", 0);
	req_init(&r3, "192.0.2.1", "example.com.", ENG_F_TCP);
	assert_int_equal(add(t, &r1, &e1), IFL_STARTED);
	assert_int_equal(add(t, &r2, &e2), IFL_MERGED);
	assert_ptr_equal(e1, e2);
	assert_int_equal(e1->n_w, 2);
	/* Each waiter keeps its own spelling. */
	assert_string_equal(e1->w[1].req.qname, "example.COM");
	/* Other flags are another query. */
	assert_int_equal(add(t, &r3, &e3), IFL_STARTED);
	assert_ptr_not_equal(e1, e3);
	assert_int_equal(inflight_count(t), 2);
	inflight_free(t);
}

static void test_other_server_not_merged(void **state)
{
	struct inflight *t;
	struct eng_request r1, r2;
	struct ifl_entry *e1, *e2;

	assert_int_equal(inflight_new(&t, 16, 8), 0);
	req_init(&r1, "192.0.2.1", "a.", 0);
	req_init(&r2, "2001:db8::1", "a.", 0);
	assert_int_equal(add(t, &r1, &e1), IFL_STARTED);
	assert_int_equal(add(t, &r2, &e2), IFL_STARTED);
	assert_ptr_not_equal(e1, e2);
	eng_addr_parse(&r2, "192.0.2.1", 5353); /* another port */
	assert_int_equal(add(t, &r2, &e2), IFL_STARTED);
	assert_ptr_not_equal(e1, e2);
	inflight_free(t);
}

static void test_cap_and_fifo(void **state)
{
	static const char *const names[] = { "a.", "b.", "c.", "d.", "e." };
	struct inflight *t;
	struct eng_request r[5], other;
	struct ifl_entry *e[5], *eo, *next;
	struct ifl_key k;

	assert_int_equal(inflight_new(&t, 16, 2), 0);
	for (int i = 0; i < 5; i++) {
		req_init(&r[i], "192.0.2.1", names[i], 0);
		assert_int_equal(add(t, &r[i], &e[i]),
				 i < 2 ? IFL_STARTED : IFL_QUEUED);
	}
	/* Another server has its own cap. */
	req_init(&other, "192.0.2.2", "a.", 0);
	assert_int_equal(add(t, &other, &eo), IFL_STARTED);
	ifl_key_init(&k, (const struct sockaddr *)&r[0].addr, r[0].addrlen,
		     "x.", 1, 1, 0);
	assert_int_equal(inflight_server_active(t, &k), 2);
	assert_int_equal(inflight_server_queued(t, &k), 3);
	/* Finishing the second starts the third, then the fourth... */
	next = inflight_detach(t, e[1]);
	assert_ptr_equal(next, e[2]);
	assert_true(e[2]->active);
	ifl_entry_free(e[1]);
	next = inflight_detach(t, e[0]);
	assert_ptr_equal(next, e[3]);
	ifl_entry_free(e[0]);
	assert_int_equal(inflight_server_active(t, &k), 2);
	assert_int_equal(inflight_server_queued(t, &k), 1);
	inflight_free(t);
}

/* Urgent entries wait ahead of the others, in their own order. */
static void test_urgent_queued_first(void **state)
{
	static const char *const names[] = { "a.", "b.", "c.", "u.", "v." };
	struct inflight *t;
	struct eng_request r[5];
	struct ifl_entry *e[5];

	assert_int_equal(inflight_new(&t, 16, 1), 0);
	for (int i = 0; i < 5; i++) {
		req_init(&r[i], "192.0.2.1", names[i],
			 i >= 3 ? ENG_F_URGENT : 0);
		assert_int_equal(add(t, &r[i], &e[i]),
				 i == 0 ? IFL_STARTED : IFL_QUEUED);
	}
	static const int order[] = { 0, 3, 4, 1, 2 };
	for (int i = 0; i < 4; i++) {
		struct ifl_entry *next = inflight_detach(t, e[order[i]]);
		assert_ptr_equal(next, e[order[i + 1]]);
		ifl_entry_free(e[order[i]]);
	}
	assert_null(inflight_detach(t, e[2]));
	ifl_entry_free(e[2]);
	inflight_free(t);
}

static void test_remove_queued_and_readd(void **state)
{
	struct inflight *t;
	struct eng_request r1, r2, r3;
	struct ifl_entry *e1, *e2, *e3, *e4;

	assert_int_equal(inflight_new(&t, 16, 1), 0);
	req_init(&r1, "192.0.2.1", "a.", 0);
	req_init(&r2, "192.0.2.1", "b.", 0);
	req_init(&r3, "192.0.2.1", "c.", 0);
	assert_int_equal(add(t, &r1, &e1), IFL_STARTED);
	assert_int_equal(add(t, &r2, &e2), IFL_QUEUED);
	assert_int_equal(add(t, &r3, &e3), IFL_QUEUED);
	/* Cancelling a queued entry starts nothing and keeps the order. */
	assert_null(inflight_detach(t, e2));
	ifl_entry_free(e2);
	assert_ptr_equal(inflight_detach(t, e1), e3);
	/* A detached entry no longer merges: the same query is new again. */
	assert_int_equal(add(t, &r1, &e4), IFL_QUEUED);
	assert_ptr_not_equal(e4, e1);
	ifl_entry_free(e1);
	assert_null(inflight_detach(t, e4));
	ifl_entry_free(e4);
	assert_null(inflight_detach(t, e3));
	ifl_entry_free(e3);
	assert_int_equal(inflight_count(t), 0);
	inflight_free(t);
}

static void test_bounds(void **state)
{
	struct inflight *t;
	struct eng_request r1, r2, r3;
	struct ifl_entry *e;
	int ret = 0;

	assert_int_equal(inflight_new(&t, 2, 0), 0);
	req_init(&r1, "192.0.2.1", "a.", 0);
	req_init(&r2, "192.0.2.1", "b.", 0);
	req_init(&r3, "192.0.2.1", "c.", 0);
	assert_int_equal(add(t, &r1, &e), IFL_STARTED);
	assert_int_equal(add(t, &r2, &e), IFL_STARTED); /* cap 0: no cap */
	assert_int_equal(add(t, &r3, &e), -ENOSPC);
	for (int i = 0; i < IFL_MAX_WAITERS + 5 && ret >= 0; i++)
		ret = add(t, &r1, &e);
	assert_int_equal(ret, -ENOSPC);
	assert_int_equal(e->n_w, IFL_MAX_WAITERS);
	inflight_free(t);
}

static void test_bad_keys(void **state)
{
	struct ifl_key k;
	struct eng_request r;

	req_init(&r, "192.0.2.1", "a.", 0);
	assert_int_equal(ifl_key_init(&k, (const struct sockaddr *)&r.addr,
				      r.addrlen, "a..", 1, 1, 0),
			 -EINVAL);
	r.addr.ss_family = AF_UNIX;
	assert_int_equal(ifl_key_init(&k, (const struct sockaddr *)&r.addr,
				      r.addrlen, "a.", 1, 1, 0),
			 -EINVAL);
	inflight_free(NULL);
	ifl_entry_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_duplicates),
		cmocka_unit_test(test_other_server_not_merged),
		cmocka_unit_test(test_cap_and_fifo),
		cmocka_unit_test(test_urgent_queued_first),
		cmocka_unit_test(test_remove_queued_and_readd),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_bad_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
