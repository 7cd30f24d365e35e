/* The zone's keys as a set, from each server's DNSKEY answer: RSA keys of
 * a size validators and RFC 5702 no longer accept or soon will not, and
 * algorithms in the key set that do not sign the apex RRsets (RFC 4035
 * 2.2: every algorithm of the DNSKEY set signs every RRset). Verifying the
 * signatures is checks_dnssec.c's; here only their algorithms count. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/dnssec.h"

#define RSA_MIN_BITS 2048 /* NIST SP 800-131A: shorter RSA is disallowed */
#define RSA_MAX_BITS 4096 /* RFC 3110 and RFC 5702: no longer key allowed */

static size_t count(const ldns_rr_list *l)
{
	return l ? ldns_rr_list_rr_count(l) : 0;
}

static bool is_rsa(uint8_t alg)
{
	return alg == LDNS_RSAMD5 || alg == LDNS_RSASHA1 ||
	       alg == LDNS_RSASHA1_NSEC3 || alg == LDNS_RSASHA256 ||
	       alg == LDNS_RSASHA512;
}

/* The modulus length in bits of an RSA public key in DNSKEY form (RFC
 * 3110 2: exponent length in one octet, or 0 and two octets; exponent;
 * modulus); 0 when the key is malformed. */
static unsigned rsa_bits(const ldns_rdf *key)
{
	const uint8_t *p = ldns_rdf_data(key);
	size_t n = ldns_rdf_size(key), at = 1, elen;
	if (n < 1)
		return 0;
	elen = p[0];
	if (elen == 0) {
		if (n < 3)
			return 0;
		elen = (size_t)p[1] << 8 | p[2];
		at = 3;
	}
	if (elen == 0 || at + elen >= n)
		return 0;
	at += elen;
	while (at < n && p[at] == 0) /* leading zero octets */
		at++;
	if (at == n)
		return 0;
	unsigned bits = (unsigned)(n - at) * 8;
	for (uint8_t top = p[at]; !(top & 0x80); top <<= 1)
		bits--;
	return bits;
}

/* The DNSKEY sets the zone's servers answered with authority, one list per
 * exchange index (NULL for the others); the caller frees with keys_free. */
static ldns_rr_list **keys_by_exchange(const struct view *v)
{
	const struct evidence *ev = v->ev;
	ldns_rr_list **out = calloc(ev->n_ex ? ev->n_ex : 1, sizeof(*out));
	for (size_t i = 0; out && i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const ldns_pkt *pkt;
		if (x->role != EV_DNSSEC || x->qtype != LDNS_RR_TYPE_DNSKEY ||
		    x->status != QS_OK || strcmp(x->qname, v->zone) != 0 ||
		    strcmp(x->zone, v->zone) != 0 || !(pkt = view_pkt(v, i)) ||
		    ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR ||
		    !ldns_pkt_aa(pkt))
			continue;
		out[i] = dnssec_rrset(pkt, LDNS_SECTION_ANSWER, v->zone,
				      LDNS_RR_TYPE_DNSKEY);
	}
	return out;
}

static void keys_free(const struct view *v, ldns_rr_list **k)
{
	for (size_t i = 0; k && i < v->ev->n_ex; i++)
		ldns_rr_list_deep_free(k[i]);
	free(k);
}

int check_rsa_key_size(const struct view *v, time_t now, struct findings *out)
{
	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	ldns_rr_list **k = keys_by_exchange(v);
	if (!k)
		return -ENOMEM;
	json_t *arr = NULL;
	struct strset seen, text;
	strset_init(&seen);
	strset_init(&text);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < v->ev->n_ex; i++) {
		for (size_t j = 0; rc == 0 && j < count(k[i]); j++) {
			const ldns_rr *key = ldns_rr_list_rr(k[i], j);
			uint8_t alg = dnssec_key_alg(key);
			if (!is_rsa(alg) || ldns_rr_rd_count(key) < 4)
				continue;
			unsigned bits = rsa_bits(ldns_rr_rdf(key, 3));
			if (bits >= RSA_MIN_BITS && bits <= RSA_MAX_BITS)
				continue;
			uint16_t tag = ldns_calc_keytag(key);
			char id[64], line[128];
			snprintf(id, sizeof(id), "%u/%u", tag, alg);
			if (strset_has(&seen, id))
				continue;
			snprintf(line, sizeof(line),
				 "key %u (algorithm %u): %s", tag, alg,
				 bits ? "" : "malformed, no modulus");
			if (bits)
				snprintf(line + strlen(line),
					 sizeof(line) - strlen(line), "%u bits",
					 bits);
			if ((rc = strset_add(&seen, id)) < 0 ||
			    (rc = strset_add(&text, line)) < 0)
				break;
			if (!arr && !(arr = json_array())) {
				rc = -ENOMEM;
				break;
			}
			json_array_append_new(
				arr, json_pack("{s:i, s:i, s:i}", "keytag", tag,
					       "algorithm", alg, "bits", bits));
		}
	}
	char *t = rc == 0 && arr ? strset_join(&text, "; ") : NULL;
	if (rc == 0 && arr && !t)
		rc = -ENOMEM;
	if (t)
		rc = findings_add(out, F_DNSKEY_RSA_KEY_SIZE,
				  json_pack("{s:s, s:o}", "zone", v->zone,
					    "keys", arr),
				  NULL,
				  "%s has RSA keys outside %d to %d bits (%s): "
				  "shorter keys are considered breakable and "
				  "some validators refuse them; longer ones "
				  "RFC 5702 does not allow.",
				  v->zone, RSA_MIN_BITS, RSA_MAX_BITS, t);
	else
		json_decref(arr);
	free(t);
	strset_deinit(&seen);
	strset_deinit(&text);
	keys_free(v, k);
	return rc;
}

/* The algorithms of the zone keys of KEYS (flag 256 set, revoke bit 128
 * clear) into HAVE. */
static void key_algs(const ldns_rr_list *keys, bool have[256])
{
	for (size_t i = 0; i < count(keys); i++) {
		const ldns_rr *key = ldns_rr_list_rr(keys, i);
		if (ldns_rr_rd_count(key) < 4)
			continue;
		uint16_t flags = ldns_rdf2native_int16(ldns_rr_rdf(key, 0));
		if ((flags & 0x0100) && !(flags & 0x0080))
			have[dnssec_key_alg(key)] = true;
	}
}

/* The algorithms of the RRSIGs over TYPE at the apex in PKT into SIGNED;
 * false when there is none (an unsigned RRset is another check's). */
static bool sig_algs(const struct view *v, const ldns_pkt *pkt,
		     ldns_rr_type type, bool signed_by[256])
{
	ldns_rr_list *sigs =
		dnssec_sigs(pkt, LDNS_SECTION_ANSWER, v->zone, type);
	bool any = false;
	for (size_t i = 0; i < count(sigs); i++) {
		const ldns_rr *s = ldns_rr_list_rr(sigs, i);
		if (ldns_rr_rd_count(s) < 2)
			continue;
		signed_by[ldns_rdf2native_int8(ldns_rr_rdf(s, 1))] = true;
		any = true;
	}
	ldns_rr_list_deep_free(sigs);
	return any;
}

/* The keys the server at ADDR answered, or NULL. */
static const ldns_rr_list *keys_at(const struct view *v, ldns_rr_list **k,
				   const char *addr)
{
	for (size_t i = 0; i < v->ev->n_ex; i++)
		if (k[i] && strcmp(v->ev->ex[i].addr, addr) == 0)
			return k[i];
	return NULL;
}

int check_algorithm_coverage(const struct view *v, time_t now,
			     struct findings *out)
{
	const struct evidence *ev = v->ev;
	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	ldns_rr_list **k = keys_by_exchange(v);
	if (!k)
		return -ENOMEM;
	/* The JSON keeps each server's RRset; the sentence the union. */
	json_t *arr = NULL;
	struct strset algs_all, rrsets, servers;
	strset_init(&algs_all);
	strset_init(&rrsets);
	strset_init(&servers);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const ldns_pkt *pkt;
		bool dnskey = k[i] != NULL;
		bool apex = x->role == EV_AUTH && x->transport == TR_UDP &&
			    x->status == QS_OK && !strcmp(x->qname, v->zone) &&
			    (x->qtype == LDNS_RR_TYPE_SOA ||
			     x->qtype == LDNS_RR_TYPE_NS);
		if ((!dnskey && !apex) || !(pkt = view_pkt(v, i)))
			continue;
		const ldns_rr_list *keys = dnskey ? k[i]
						  : keys_at(v, k, x->addr);
		bool have[256] = { false }, signed_by[256] = { false };
		key_algs(keys, have);
		if (!sig_algs(v, pkt, x->qtype, signed_by))
			continue;
		json_t *algs = NULL;
		for (int a = 0; rc == 0 && a < 256; a++) {
			if (!have[a] || signed_by[a])
				continue;
			char num[4];
			snprintf(num, sizeof(num), "%d", a);
			if ((!algs && !(algs = json_array())) ||
			    (rc = strset_add(&algs_all, num)) < 0)
				rc = -ENOMEM;
			else
				json_array_append_new(algs, json_integer(a));
		}
		if (!algs)
			continue;
		char *type = ldns_rr_type2str(x->qtype), *who = NULL;
		if (rc == 0 &&
		    (!type || (!arr && !(arr = json_array())) ||
		     asprintf(&who, "%s (%s)", x->server, x->addr) < 0))
			rc = -ENOMEM, who = NULL;
		if (rc == 0 && ((rc = strset_add(&rrsets, type)) < 0 ||
				(rc = strset_add(&servers, who)) < 0))
			rc = -ENOMEM;
		if (rc == 0)
			json_array_append_new(
				arr,
				json_pack("{s:s, s:s, s:s, s:O}", "server",
					  x->server, "address", x->addr,
					  "rrset", type, "algorithms", algs));
		json_decref(algs);
		free(type);
		free(who);
	}
	char *a = NULL, *r = NULL, *w = NULL;
	if (rc == 0 && arr &&
	    (!(a = join_names(&algs_all)) || !(r = join_names(&rrsets)) ||
	     !(w = join_names(&servers))))
		rc = -ENOMEM;
	if (rc == 0 && arr)
		rc = findings_add(out, F_DNSKEY_ALGORITHM_NOT_SIGNING,
				  json_pack("{s:s, s:o}", "zone", v->zone,
					    "rrsets", arr),
				  NULL,
				  "%s's DNSKEY set holds algorithm %s, but "
				  "%s at %s carry no signature of it: RFC 4035 "
				  "asks for a signature by each algorithm, "
				  "and validators that enforce it (Unbound "
				  "with harden-algo-downgrade) fail the zone.",
				  v->zone, a, r, w);
	else
		json_decref(arr);
	free(a);
	free(r);
	free(w);
	strset_deinit(&algs_all);
	strset_deinit(&rrsets);
	strset_deinit(&servers);
	keys_free(v, k);
	return rc;
}
