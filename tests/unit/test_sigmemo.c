/* core/sigmemo.c: a remembered signature check answers what ldns answers,
 * at every time asked, and a changed byte is never taken for a remembered
 * one. Keys and signatures are made here with ldns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <ldns/ldns.h>
#include "core/sigmemo.h"

#define T0 1700000000u

struct fixture {
	ldns_key_list *keys;
	ldns_rr_list *pub, *rrset, *sigs;
};

static int setup(void **state)
{
	static struct fixture f;
	ldns_key *k =
		ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	assert_non_null(k);
	ldns_rdf *owner = ldns_dname_new_frm_str("example.");
	ldns_key_set_pubkey_owner(k, owner);
	ldns_key_set_flags(k, 257);
	ldns_rr *kr = ldns_key2rr(k);
	ldns_key_set_keytag(k, ldns_calc_keytag(kr));
	ldns_rr_free(kr);
	ldns_key_set_inception(k, T0);
	ldns_key_set_expiration(k, T0 + 86400);
	f.keys = ldns_key_list_new();
	ldns_key_list_push_key(f.keys, k);
	f.pub = ldns_rr_list_new();
	ldns_rr_list_push_rr(f.pub, ldns_key2rr(k));
	f.rrset = ldns_rr_list_new();
	ldns_rr *rr = NULL;
	assert_int_equal(ldns_rr_new_frm_str(&rr, "example. 300 IN A 192.0.2.1",
					     0, NULL, NULL),
			 LDNS_STATUS_OK);
	ldns_rr_list_push_rr(f.rrset, rr);
	f.sigs = ldns_sign_public(f.rrset, f.keys);
	assert_non_null(f.sigs);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	ldns_rr_list_deep_free(f->sigs);
	ldns_rr_list_deep_free(f->rrset);
	ldns_rr_list_deep_free(f->pub);
	ldns_key_list_free(f->keys);
	return 0;
}

static void test_same_as_ldns_at_every_time(void **state)
{
	struct fixture *f = *state;
	const ldns_rr *sig = ldns_rr_list_rr(f->sigs, 0);
	time_t when[] = { T0 + 10, T0 - 10, T0 + 86400 + 10, T0 + 20 };
	/* The first call fills the memo; the later ones read it and must
	 * still judge the period at their own time. */
	for (size_t i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		ldns_rr_list *good = ldns_rr_list_new();
		ldns_status want = ldns_verify_rrsig_keylist_time(
			f->rrset, sig, f->pub, when[i], good);
		ldns_rr_list_free(good);
		assert_int_equal(sigmemo_verify(f->rrset, sig, f->pub, when[i]),
				 want);
	}
	assert_int_equal(sigmemo_verify(f->rrset, sig, f->pub, T0 + 10),
			 LDNS_STATUS_OK);
	assert_int_equal(sigmemo_verify(f->rrset, sig, f->pub, T0 - 10),
			 LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED);
	assert_int_equal(sigmemo_verify(f->rrset, sig, f->pub, T0 + 86410),
			 LDNS_STATUS_CRYPTO_SIG_EXPIRED);
}

static void test_changed_data_is_not_remembered_as_good(void **state)
{
	struct fixture *f = *state;
	const ldns_rr *sig = ldns_rr_list_rr(f->sigs, 0);
	assert_int_equal(sigmemo_verify(f->rrset, sig, f->pub, T0 + 10),
			 LDNS_STATUS_OK);
	ldns_rr_list *other = ldns_rr_list_new();
	ldns_rr *rr = NULL;
	assert_int_equal(ldns_rr_new_frm_str(&rr, "example. 300 IN A 192.0.2.2",
					     0, NULL, NULL),
			 LDNS_STATUS_OK);
	ldns_rr_list_push_rr(other, rr);
	assert_int_not_equal(sigmemo_verify(other, sig, f->pub, T0 + 10),
			     LDNS_STATUS_OK);
	/* Asked twice: the remembered failure, not a remembered success. */
	assert_int_not_equal(sigmemo_verify(other, sig, f->pub, T0 + 10),
			     LDNS_STATUS_OK);
	ldns_rr_list_deep_free(other);
}

static void test_other_keys_are_another_question(void **state)
{
	struct fixture *f = *state;
	const ldns_rr *sig = ldns_rr_list_rr(f->sigs, 0);
	ldns_key *k2 =
		ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	assert_non_null(k2);
	ldns_key_set_pubkey_owner(k2, ldns_dname_new_frm_str("example."));
	ldns_key_set_flags(k2, 257);
	ldns_rr *kr = ldns_key2rr(k2);
	ldns_key_set_keytag(k2, ldns_calc_keytag(kr));
	ldns_rr_free(kr);
	ldns_rr_list *pub2 = ldns_rr_list_new();
	ldns_rr_list_push_rr(pub2, ldns_key2rr(k2));
	assert_int_equal(sigmemo_verify(f->rrset, sig, f->pub, T0 + 10),
			 LDNS_STATUS_OK);
	assert_int_not_equal(sigmemo_verify(f->rrset, sig, pub2, T0 + 10),
			     LDNS_STATUS_OK);
	ldns_rr_list_deep_free(pub2);
	ldns_key_deep_free(k2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_ldns_at_every_time),
		cmocka_unit_test(test_changed_data_is_not_remembered_as_good),
		cmocka_unit_test(test_other_keys_are_another_question),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
