/* A zone's own DNSSEC, judged when the chain from the trust anchor does
 * not reach it: an island (signed, no DS at the parent), a zone under an
 * unsigned parent, or a hierarchy without a trust anchor. Nobody validates
 * it today, so nothing here is an error; but its keys sign its data or they
 * do not, and a DS published tomorrow makes today's faults bogus. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/view_dnssec.h"

static size_t count(const ldns_rr_list *l)
{
	return l ? ldns_rr_list_rr_count(l) : 0;
}

/* Appends one fault of server S ("DNSKEY", "SOA", "NS") to ARR. */
static void fault(json_t *arr, const struct dsv_server *s, const char *rrset,
		  const struct sig_result *r, FILE *text, size_t *n)
{
	if (r->state == SIG_VALID)
		return;
	const char *state = dnssec_sig_state_name(r->state);
	json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "server",
					     s->name, "address", s->addr,
					     "rrset", rrset, "state", state));
	fprintf(text, "%s%s at %s (%s): %s", (*n)++ ? "; " : "", rrset, s->name,
		s->addr, state);
}

int check_dnssec_own(const struct view *v, const struct dnssec_view *d,
		     bool insecure_above, time_t now, struct findings *out)
{
	(void)now;
	if (!d->n || strcmp(d->z[d->n - 1].name, v->zone) != 0)
		return 0;
	const struct dsv_zone *t = &d->z[d->n - 1];
	/* The first server that serves keys: the zone is signed. */
	const struct dsv_server *first = NULL;
	for (size_t i = 0; !first && i < t->n_srv; i++)
		if (t->srv[i].answered && count(t->srv[i].keys))
			first = &t->srv[i];
	if (!first)
		return 0;
	char tags[256];
	dnssec_keytags(first->keys, false, tags, sizeof(tags));
	int rc = 0;
	/* Under an unsigned zone a DS would make no difference: that is
	 * DNSSEC_NOT_VALIDATED's to say (insecure-above). */
	if (count(t->ds) == 0 && t->ds_answers > 0 && v->parent[0] &&
	    !insecure_above)
		rc = findings_add(out, F_DNSSEC_SIGNED_WITHOUT_DS,
				  json_pack("{s:s, s:s, s:s}", "zone", v->zone,
					    "parent", v->parent, "keytags",
					    tags),
				  NULL,
				  "%s is signed (key tags %s), but the parent "
				  "%s "
				  "publishes no DS for it: no resolver "
				  "validates its "
				  "answers, so its signatures protect nothing.",
				  v->zone, tags, v->parent);
	if (rc < 0)
		return rc;
	json_t *arr = json_array();
	char *text = NULL;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&text, &len);
	if (!arr || !f) {
		if (f)
			fclose(f);
		free(text);
		json_decref(arr);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n_srv; i++) {
		const struct dsv_server *s = &t->srv[i];
		if (!s->answered || !count(s->keys))
			continue;
		fault(arr, s, "DNSKEY", &s->key_sig, f, &n);
		if (s->soa_seen)
			fault(arr, s, "SOA", &s->soa_sig, f, &n);
		if (s->ns_seen)
			fault(arr, s, "NS", &s->ns_sig, f, &n);
	}
	if (fclose(f) != 0) {
		json_decref(arr);
		return -ENOMEM;
	}
	if (n)
		rc = findings_add(
			out, F_DNSSEC_OWN_SIGNATURES_BAD,
			json_pack("{s:s, s:o}", "zone", v->zone, "faults", arr),
			NULL, "%s's own signatures do not hold (%s): %s.",
			v->zone,
			count(t->ds) ? "the chain from a trust anchor was not "
				       "checked here; resolvers that validate "
				       "it fail on them"
				     : "no DS at the parent, so no resolver "
				       "fails on them yet; a DS would make "
				       "them bogus",
			text);
	else
		json_decref(arr);
	free(text);
	return rc;
}
