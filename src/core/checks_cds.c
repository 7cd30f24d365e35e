/* CDS and CDNSKEY (RFC 7344, RFC 8078): what a zone asks its parent to
 * publish as its DS. Parents that scan for them (and registrars that
 * bootstrap DNSSEC from them) act on what the servers say, so the sets must
 * agree across servers, point at keys the zone really has, say the same in
 * both forms, and be signed by a key the parent's DS already trusts. The
 * delete form asks the parent to make the zone unsigned. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/dnssec.h"

/* What one address of the zone answered to DNSKEY, CDS and CDNSKEY. */
struct cds_at {
	const struct ev_exchange *x; /* the CDS question, for its names */
	ldns_rr_list *keys, *cds, *cdnskey, *cds_sigs, *cdnskey_sigs;
	bool cds_ok, cdnskey_ok, keys_ok; /* answered, authoritatively */
};

static size_t count(const ldns_rr_list *l)
{
	return l ? ldns_rr_list_rr_count(l) : 0;
}

/* An answer that speaks for the zone: NOERROR with AA. */
static const ldns_pkt *apex_answer(const struct view *v, size_t i)
{
	const struct ev_exchange *x = &v->ev->ex[i];
	const ldns_pkt *pkt;
	if (x->role != EV_DNSSEC || x->status != QS_OK ||
	    strcmp(x->qname, v->zone) != 0 || strcmp(x->zone, v->zone) != 0 ||
	    !(pkt = view_pkt(v, i)) ||
	    ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR || !ldns_pkt_aa(pkt))
		return NULL;
	return pkt;
}

static struct cds_at *at_get(struct cds_at **at, size_t *n,
			     const struct ev_exchange *x)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*at)[i].x->addr, x->addr) == 0)
			return &(*at)[i];
	struct cds_at *g = realloc(*at, (*n + 1) * sizeof(*g));
	if (!g)
		return NULL;
	*at = g;
	g[*n] = (struct cds_at){ .x = x };
	return &g[(*n)++];
}

static void at_free_one(struct cds_at *a)
{
	ldns_rr_list_deep_free(a->keys);
	ldns_rr_list_deep_free(a->cds);
	ldns_rr_list_deep_free(a->cdnskey);
	ldns_rr_list_deep_free(a->cds_sigs);
	ldns_rr_list_deep_free(a->cdnskey_sigs);
}

static int gather(const struct view *v, struct cds_at **out, size_t *n)
{
	const struct evidence *ev = v->ev;
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		uint16_t t = x->qtype;
		if (t != LDNS_RR_TYPE_CDS && t != LDNS_RR_TYPE_CDNSKEY &&
		    t != LDNS_RR_TYPE_DNSKEY)
			continue;
		const ldns_pkt *pkt = apex_answer(v, i);
		if (!pkt)
			continue;
		struct cds_at *a = at_get(out, n, x);
		if (!a)
			return -ENOMEM;
		ldns_rr_list *set =
			dnssec_rrset(pkt, LDNS_SECTION_ANSWER, v->zone, t);
		if (!set)
			return -ENOMEM;
		if (t == LDNS_RR_TYPE_DNSKEY) {
			ldns_rr_list_deep_free(a->keys);
			a->keys = set;
			a->keys_ok = true;
			continue;
		}
		ldns_rr_list *sigs =
			dnssec_sigs(pkt, LDNS_SECTION_ANSWER, v->zone, t);
		if (!sigs) {
			ldns_rr_list_deep_free(set);
			return -ENOMEM;
		}
		if (t == LDNS_RR_TYPE_CDS) {
			a->x = x;
			ldns_rr_list_deep_free(a->cds);
			ldns_rr_list_deep_free(a->cds_sigs);
			a->cds = set, a->cds_sigs = sigs, a->cds_ok = true;
		} else {
			ldns_rr_list_deep_free(a->cdnskey);
			ldns_rr_list_deep_free(a->cdnskey_sigs);
			a->cdnskey = set, a->cdnskey_sigs = sigs;
			a->cdnskey_ok = true;
		}
	}
	return 0;
}

/* The records of L as one sorted text, so that two servers' sets compare
 * whatever order they came in. */
static char *set_text(const ldns_rr_list *l)
{
	struct strset s;
	strset_init(&s);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < count(l); i++) {
		ldns_rr *c = ldns_rr_clone(ldns_rr_list_rr(l, i));
		char *t = NULL;
		if (c) {
			ldns_rr_set_ttl(c, 0);
			t = ldns_rr2str(c);
			ldns_rr_free(c);
		}
		if (!t) {
			rc = -ENOMEM;
			break;
		}
		t[strcspn(t, "\n")] = '\0';
		rc = strset_add(&s, t);
		free(t);
	}
	char *out = rc == 0 ? strset_join(&s, " | ") : NULL;
	strset_deinit(&s);
	return out;
}

/* True when the record's algorithm (a CDS's second field, a CDNSKEY's
 * third) is 0: the delete form (RFC 8078 4). */
static bool is_delete(const ldns_rr *rr)
{
	size_t field = ldns_rr_get_type(rr) == LDNS_RR_TYPE_CDS ? 1 : 2;
	return ldns_rr_rd_count(rr) > field &&
	       ldns_rdf2native_int8(ldns_rr_rdf(rr, field)) == 0;
}

/* A clone of L with every record's type set to TYPE: CDS and DS (and
 * CDNSKEY and DNSKEY) share their rdata, and ldns matches only the
 * latter. */
static ldns_rr_list *as_type(const ldns_rr_list *l, ldns_rr_type type)
{
	ldns_rr_list *out = ldns_rr_list_clone(l);
	for (size_t i = 0; out && i < count(out); i++)
		ldns_rr_set_type(ldns_rr_list_rr(out, i), type);
	return out;
}

/* The parent's DS set for the zone, from the first parent server that
 * answered it; NULL when none did. */
static ldns_rr_list *parent_ds(const struct view *v)
{
	const struct evidence *ev = v->ev;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		const ldns_pkt *pkt;
		if (x->role != EV_DNSSEC || x->qtype != LDNS_RR_TYPE_DS ||
		    x->status != QS_OK || strcmp(x->qname, v->zone) != 0 ||
		    !(pkt = view_pkt(v, i)) ||
		    ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR)
			continue;
		return dnssec_rrset(pkt, LDNS_SECTION_ANSWER, v->zone,
				    LDNS_RR_TYPE_DS);
	}
	return NULL;
}

/* What is wrong with one server's sets: up to 6 reasons into WHY; their
 * number. DS: the parent's DS set (may be empty). */
static size_t judge_at(const struct cds_at *a, const ldns_rr_list *ds,
		       time_t now, const char *why[6])
{
	size_t k = 0;
	bool del = false, keys = false;
	for (size_t i = 0; i < count(a->cds); i++)
		*(is_delete(ldns_rr_list_rr(a->cds, i)) ? &del : &keys) = true;
	for (size_t i = 0; i < count(a->cdnskey); i++)
		*(is_delete(ldns_rr_list_rr(a->cdnskey, i)) ? &del : &keys) =
			true;
	if (del && keys)
		why[k++] = "it mixes the delete form with keys";
	if (keys && !del) {
		ldns_rr_list *cds = as_type(a->cds, LDNS_RR_TYPE_DS);
		ldns_rr_list *cdk = as_type(a->cdnskey, LDNS_RR_TYPE_DNSKEY);
		ldns_rr_list *m = dnssec_keys_matching(a->keys, cds);
		if (count(m) < count(cds))
			why[k++] = "a CDS matches no key of the DNSKEY set";
		ldns_rr_list_deep_free(m);
		size_t inset = 0;
		for (size_t i = 0; i < count(cdk); i++)
			for (size_t j = 0; j < count(a->keys); j++)
				if (ldns_rr_compare(ldns_rr_list_rr(cdk, i),
						    ldns_rr_list_rr(a->keys,
								    j)) == 0) {
					inset++;
					break;
				}
		if (inset < count(cdk))
			why[k++] = "a CDNSKEY is not in the DNSKEY set";
		if (count(cds) && count(cdk)) {
			/* Both forms: each CDNSKEY has its CDS. */
			ldns_rr_list *both = dnssec_keys_matching(cdk, cds);
			if (count(both) != count(cdk))
				why[k++] = "the CDS and CDNSKEY sets name "
					   "different keys";
			ldns_rr_list_deep_free(both);
		}
		ldns_rr_list_deep_free(cds);
		ldns_rr_list_deep_free(cdk);
	}
	/* RFC 7344 4.1: signed by a key the parent's DS points at (by a key
	 * of the zone, for one that has no DS yet: RFC 8078 3). */
	ldns_rr_list *signers = count(ds) ? dnssec_keys_matching(a->keys, ds)
					  : ldns_rr_list_clone(a->keys);
	bool signed_cds =
		!count(a->cds) ||
		dnssec_verify(a->cds, a->cds_sigs, signers, now).state ==
			SIG_VALID;
	bool signed_cdk =
		!count(a->cdnskey) ||
		dnssec_verify(a->cdnskey, a->cdnskey_sigs, signers, now).state ==
			SIG_VALID;
	ldns_rr_list_deep_free(signers);
	if (!signed_cds || !signed_cdk)
		why[k++] = count(ds) ? "it is not signed by a key the "
				       "parent's DS points at"
				     : "it is not validly signed by a key of "
				       "the zone";
	return k;
}

/* Whether the server publishes anything, and only the delete form. */
static bool publishes(const struct cds_at *a)
{
	return count(a->cds) || count(a->cdnskey);
}
static bool only_delete(const struct cds_at *a)
{
	size_t d = 0;
	for (size_t i = 0; i < count(a->cds); i++)
		d += is_delete(ldns_rr_list_rr(a->cds, i));
	for (size_t i = 0; i < count(a->cdnskey); i++)
		d += is_delete(ldns_rr_list_rr(a->cdnskey, i));
	return publishes(a) && d == count(a->cds) + count(a->cdnskey);
}

/* What A publishes, short: "CDS 61263/13, CDNSKEY 61263/13" by key tag
 * and algorithm ("delete" for the delete form), or "nothing". */
static char *published_text(const struct cds_at *a)
{
	struct strset s;
	strset_init(&s);
	int rc = 0;
	const ldns_rr_list *sets[2] = { a->cds, a->cdnskey };
	for (size_t k = 0; rc == 0 && k < 2; k++)
		for (size_t i = 0; rc == 0 && i < count(sets[k]); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(sets[k], i);
			char item[64];
			unsigned tag = 0, alg = 0;
			if (k == 0 && ldns_rr_rd_count(rr) >= 2) {
				tag = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
				alg = ldns_rdf2native_int8(ldns_rr_rdf(rr, 1));
			} else if (k == 1 && ldns_rr_rd_count(rr) >= 4) {
				ldns_rr *key = ldns_rr_clone(rr);
				if (!key) {
					rc = -ENOMEM;
					break;
				}
				ldns_rr_set_type(key, LDNS_RR_TYPE_DNSKEY);
				tag = ldns_calc_keytag(key);
				alg = dnssec_key_alg(key);
				ldns_rr_free(key);
			}
			if (is_delete(rr))
				snprintf(item, sizeof(item), "%s delete",
					 k ? "CDNSKEY" : "CDS");
			else
				snprintf(item, sizeof(item), "%s %u/%u",
					 k ? "CDNSKEY" : "CDS", tag, alg);
			rc = strset_add(&s, item);
		}
	char *out = rc < 0 ? NULL
		    : s.n  ? strset_join(&s, ", ")
			   : strdup("nothing");
	strset_deinit(&s);
	return out;
}

/* Whether two servers publish the same: their full sets, in text. */
static char *sets_key(const struct cds_at *a)
{
	char *c = set_text(a->cds), *k = set_text(a->cdnskey), *out = NULL;
	if (c && k && asprintf(&out, "%s / %s", c, k) < 0)
		out = NULL;
	free(c);
	free(k);
	return out;
}

static int report_inconsistent(const struct view *v, struct cds_at *at,
			       size_t n, struct findings *out)
{
	char **key = calloc(n, sizeof(*key));
	if (!key)
		return -ENOMEM;
	int rc = 0;
	bool differ = false;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!(key[i] = sets_key(&at[i])))
			rc = -ENOMEM;
		else if (i && strcmp(key[i], key[0]) != 0)
			differ = true;
	}
	for (size_t i = 0; i < n; i++)
		free(key[i]);
	free(key);
	if (rc < 0 || !differ)
		return rc;
	char *msg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&msg, &len);
	json_t *arr = f ? json_array() : NULL;
	for (size_t i = 0; arr && i < n; i++) {
		char *t = published_text(&at[i]);
		if (!t) {
			rc = -ENOMEM;
			break;
		}
		json_array_append_new(arr,
				      json_pack("{s:s, s:s, s:s}", "server",
						at[i].x->server, "address",
						at[i].x->addr, "published", t));
		fprintf(f, "%s%s (%s): %s", i ? "; " : "", at[i].x->server,
			at[i].x->addr, t);
		free(t);
	}
	if ((f && fclose(f) != 0) || !arr)
		rc = -ENOMEM;
	if (rc == 0)
		rc = findings_add(out, F_CDS_INCONSISTENT,
				  json_pack("{s:s, s:o}", "zone", v->zone,
					    "servers", arr),
				  NULL,
				  "%s's servers disagree about the CDS and "
				  "CDNSKEY records the parent should act on "
				  "(%s): a parent that scans one server may "
				  "install a DS another contradicts.",
				  v->zone, msg);
	else
		json_decref(arr);
	free(msg);
	return rc;
}

static int report_invalid(const struct view *v, struct cds_at *at, size_t n,
			  const ldns_rr_list *ds, time_t now,
			  struct findings *out)
{
	char *msg = NULL;
	size_t len = 0, bad = 0;
	FILE *f = open_memstream(&msg, &len);
	json_t *arr = f ? json_array() : NULL;
	if (!arr) {
		if (f)
			fclose(f);
		free(msg);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const char *why[6];
		size_t k = publishes(&at[i]) ? judge_at(&at[i], ds, now, why)
					     : 0;
		if (!k)
			continue;
		json_t *list = json_array();
		fprintf(f, "%s%s (%s): ", bad++ ? "; " : "", at[i].x->server,
			at[i].x->addr);
		for (size_t j = 0; j < k; j++) {
			json_array_append_new(list, json_string(why[j]));
			fprintf(f, "%s%s", j ? ", " : "", why[j]);
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}",
						     "server", at[i].x->server,
						     "address", at[i].x->addr,
						     "problems", list));
	}
	int rc = fclose(f) != 0 ? -ENOMEM : 0;
	if (rc == 0 && bad)
		rc = findings_add(out, F_CDS_INVALID,
				  json_pack("{s:s, s:o}", "zone", v->zone,
					    "servers", arr),
				  NULL,
				  "%s's CDS/CDNSKEY records cannot be acted "
				  "on as they stand (%s): a parent that checks "
				  "them ignores them, one that does not "
				  "installs a DS that breaks the zone.",
				  v->zone, msg);
	else
		json_decref(arr);
	free(msg);
	return rc;
}

int check_cds(const struct view *v, time_t now, struct findings *out)
{
	struct cds_at *at;
	size_t n, w = 0;
	if (v->pstate != PS_DELEGATED)
		return 0;
	int rc = gather(v, &at, &n);
	/* Only the servers that answered all three questions speak. */
	for (size_t i = 0; i < n; i++) {
		struct cds_at keep = at[i];
		if (keep.cds_ok && keep.cdnskey_ok && keep.keys_ok)
			at[w++] = keep;
		else
			at_free_one(&keep);
	}
	n = w;
	bool any = false, all_delete = true;
	for (size_t i = 0; i < n; i++) {
		if (!publishes(&at[i]))
			continue;
		any = true;
		all_delete = all_delete && only_delete(&at[i]);
	}
	ldns_rr_list *ds = any && rc == 0 ? parent_ds(v) : NULL;
	if (rc == 0 && any)
		rc = report_inconsistent(v, at, n, out);
	if (rc == 0 && any)
		rc = report_invalid(v, at, n, ds, now, out);
	if (rc == 0 && any && all_delete)
		rc = findings_add(out, F_CDS_DELETE,
				  json_pack("{s:s, s:b}", "zone", v->zone,
					    "ds_at_parent", count(ds) > 0),
				  NULL,
				  "%s publishes the CDS/CDNSKEY delete form: "
				  "it asks the "
				  "parent to remove its DS and so make the "
				  "zone "
				  "unsigned for validators%s.",
				  v->zone,
				  count(ds) ? " (the parent still publishes a "
					      "DS)"
					    : "; the parent publishes no DS");
	ldns_rr_list_deep_free(ds);
	for (size_t i = 0; i < n; i++)
		at_free_one(&at[i]);
	free(at);
	return rc;
}
