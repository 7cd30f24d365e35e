/* DNS-01 and ACM validation records as the CA's validator sees them: on
 * every server the parent delegates to, CNAMEs followed across zones, and
 * the usual pasting mistakes named. Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/dname.h"
#include "core/validation.h"

#define CHAIN_MAX 8

/* What the delegated servers (and, apart, the --expect-ns-only servers)
 * serve at one name. */
struct at_name {
	struct strset with, without, failed; /* delegated servers */
	struct strset only_expected;	     /* --expect-ns servers with data */
	struct strset values;		     /* TXT values or CNAME targets */
	/* With an expected TXT value: the delegated servers whose TXT RRset
	 * holds it and those whose RRset does not, each judged on its own
	 * (the CA's resolver asks one server, not all of them). */
	struct strset right, wrong, wrong_values;
	json_t *by_server;	   /* server -> its TXT values */
	char cname[VIEW_NAME_MAX]; /* an alias at the name */
	size_t asked;
	bool nxdomain_all; /* every answer NXDOMAIN */
};

static void at_deinit(struct at_name *a)
{
	strset_deinit(&a->with);
	strset_deinit(&a->without);
	strset_deinit(&a->failed);
	strset_deinit(&a->only_expected);
	strset_deinit(&a->values);
	strset_deinit(&a->right);
	strset_deinit(&a->wrong);
	strset_deinit(&a->wrong_values);
	json_decref(a->by_server);
}

/* Files server SRV's TXT values under WANT's verdict in R. */
static void at_judge(struct at_name *r, const char *srv,
		     const struct strset *txt, const char *want)
{
	json_t *vals = json_object_get(r->by_server, srv);
	if (!vals && (vals = json_array()))
		json_object_set_new(r->by_server, srv, vals);
	for (size_t i = 0; vals && i < txt->n; i++)
		json_array_append_new(vals, json_safe(txt->v[i]));
	if (strset_has(txt, want)) {
		strset_add(&r->right, srv);
	} else {
		strset_add(&r->wrong, srv);
		strset_add_all(&r->wrong_values, txt);
	}
}

/* Reads what servers answer at NAME for QTYPE; TXT values for TXT, the
 * alias target for CNAME. With WANT (TXT only), also which servers serve
 * it. 0 or -ENOMEM. */
static int at_read(const struct view *v, const char *name, uint16_t qtype,
		   const char *want, struct at_name *r)
{
	struct val_set s;
	int rc;
	memset(r, 0, sizeof(*r));
	if (want && !(r->by_server = json_object()))
		return -ENOMEM;
	if ((rc = val_set_read(v, name, qtype, &s)) < 0)
		return rc;
	size_t nx = 0, answered = 0;
	for (size_t i = 0; i < s.n; i++) {
		const struct val_ans *a = &s.a[i];
		const char *srv = s.x[i]->server;
		bool has = a->txt.n ||
			   (qtype == LDNS_RR_TYPE_CNAME && a->cname[0]);
		if (s.expected_only[i]) {
			if (has || a->cname[0])
				strset_add(&r->only_expected, srv);
			continue;
		}
		r->asked++;
		if (a->cname[0] && qtype != LDNS_RR_TYPE_CNAME && !r->cname[0])
			snprintf(r->cname, sizeof(r->cname), "%s", a->cname);
		if (!a->answered || a->failed) {
			strset_add(&r->failed, srv);
			continue;
		}
		answered++;
		nx += a->kind == RK_NXDOMAIN;
		if (has) {
			strset_add(&r->with, srv);
			if (qtype == LDNS_RR_TYPE_CNAME)
				strset_add(&r->values, a->cname);
			else
				strset_add_all(&r->values, &a->txt);
			if (want && qtype == LDNS_RR_TYPE_TXT)
				at_judge(r, srv, &a->txt, want);
		} else if (!a->cname[0]) {
			strset_add(&r->without, srv);
		}
	}
	r->nxdomain_all = answered && nx == answered;
	val_set_deinit(&s);
	return 0;
}

/* "a. (ns1., ns2.)"-style phrase for the --expect-ns-only servers. */
static int only_expected_phrase(const struct view *v, const struct at_name *a,
				char **out)
{
	*out = NULL;
	if (!a->only_expected.n)
		return 0;
	char *e = join_names(&a->only_expected), *p = join_names(&v->parent_ns);
	int rc = 0;
	if (!e || !p ||
	    asprintf(out,
		     " The record exists only on %s, which the parent (%s) "
		     "does not delegate to; it delegates to %s.",
		     e, v->parent[0] ? v->parent : "the parent zone", p) < 0) {
		*out = NULL;
		rc = -ENOMEM;
	}
	free(e);
	free(p);
	return rc;
}

/* How often a CA whose resolver picks one of N servers at random lands
 * on one of the K that fail it. */
static void chance_phrase(size_t k, size_t n, char *buf, size_t len)
{
	snprintf(buf, len,
		 "a resolver picks one server per lookup, so about %zu in %zu "
		 "validations fail (more where the CA validates from several "
		 "places, as Let's Encrypt does)",
		 k, n);
}

static int challenge_missing(const struct view *v, const char *first,
			     const char *final, const struct at_name *a,
			     struct findings *out)
{
	char *extra = NULL, *without = NULL, *with = NULL;
	int rc = only_expected_phrase(v, a, &extra);
	struct strset missing = { 0 };
	if (rc < 0)
		return rc;
	strset_add_all(&missing, &a->without);
	strset_add_all(&missing, &a->failed);
	without = join_names(&missing);
	with = join_names(&a->with);
	if (!without || !with) {
		rc = -ENOMEM;
		goto out;
	}
	char via[2 * VIEW_NAME_MAX] = "";
	if (strcmp(first, final) != 0)
		snprintf(via, sizeof(via), " (%s is an alias of %s)", first,
			 final);
	json_t *ev = json_pack("{s:s, s:s, s:o, s:o, s:o}", "name", first,
			       "final_name", final, "servers_with",
			       json_strset(&a->with), "servers_without",
			       json_strset(&missing),
			       "only_undelegated_servers",
			       json_strset(&a->only_expected));
	if (a->with.n) {
		char chance[200];
		chance_phrase(missing.n, missing.n + a->with.n, chance,
			      sizeof(chance));
		rc = findings_add(out, F_ACME_CHALLENGE_MISSING, ev,
				  "Wait until every server has the record "
				  "(dnsdoctor wait), or fix the zone transfer "
				  "to the servers that lack it, before telling "
				  "the CA to validate.",
				  "The TXT record %s%s is on %s but not on %s: "
				  "the CA asks any of them and fails on those; "
				  "%s.%s",
				  first, via, with, without, chance,
				  extra ? extra : "");
	} else
		rc = findings_add(out, F_ACME_CHALLENGE_MISSING, ev,
				  a->only_expected.n
					  ? "Have the registrar delegate to "
					    "the servers that hold the zone "
					    "(or add the record to the zone "
					    "the delegated servers serve)."
					  : "Create the TXT record (your ACME "
					    "client's DNS hook did not, or "
					    "wrote it to another zone) and "
					    "check it again.",
				  "No delegated server serves TXT %s%s (asked "
				  "%s).%s",
				  first, via, without, extra ? extra : "");
out:
	free(extra);
	free(without);
	free(with);
	strset_deinit(&missing);
	return rc;
}

static int challenge_value(const struct view *v, const char *final,
			   const char *want, const struct at_name *a,
			   struct findings *out)
{
	if (!a->wrong.n)
		return 0;
	char *got = strset_join(&a->values, "\", \""),
	     *wrong = join_names(&a->wrong), *right = join_names(&a->right),
	     *old = strset_join(&a->wrong_values, "\", \"");
	json_t *vals = json_array();
	int rc = -ENOMEM;
	if (!got || !wrong || !right || !old || !vals)
		goto out;
	for (size_t i = 0; i < a->values.n; i++)
		json_array_append_new(vals, json_safe(a->values.v[i]));
	json_t *ev = json_pack("{s:s, s:o, s:o, s:o, s:o, s:O}", "name", final,
			       "expected", json_safe(want), "values", vals,
			       "servers_wrong", json_strset(&a->wrong),
			       "servers_right", json_strset(&a->right),
			       "values_by_server", a->by_server);
	vals = NULL;
	if (!a->right.n) {
		rc = findings_add(out, F_ACME_CHALLENGE_VALUE_MISMATCH, ev,
				  "Publish the value of the current order's "
				  "key authorisation digest; an old value from "
				  "an earlier attempt does not validate.",
				  "TXT %s holds \"%s\", not the expected "
				  "\"%s\".",
				  final, got, want);
	} else {
		/* One right server hides nothing from the CA: judge each. */
		char chance[200];
		chance_phrase(a->wrong.n, a->wrong.n + a->right.n, chance,
			      sizeof(chance));
		rc = findings_add(out, F_ACME_CHALLENGE_VALUE_MISMATCH, ev,
				  "Bring every server up to date before "
				  "telling the CA to validate: a secondary "
				  "that serves an earlier value missed the "
				  "change (NOTIFY, zone transfer or the "
				  "provider's sync); dnsdoctor wait NAME TXT "
				  "--expect VALUE returns when all serve it.",
				  "TXT %s has the expected \"%s\" on %s, but "
				  "%s serve%s only \"%s\": %s.",
				  final, want, right, wrong,
				  a->wrong.n == 1 ? "s" : "", old, chance);
	}
out:
	json_decref(vals);
	free(got);
	free(wrong);
	free(right);
	free(old);
	return rc;
}

/* The chain as written, in order. */
struct chain {
	char names[CHAIN_MAX + 1][VIEW_NAME_MAX];
	size_t n;
};

static int chain_report(struct findings *out, enum finding_code code,
			const struct chain *ch, const char *what,
			const char *fix)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	json_t *arr = json_array();
	if (!f || !arr) {
		if (f)
			fclose(f);
		free(text);
		json_decref(arr);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ch->n; i++) {
		fprintf(f, "%s%s", i ? " -> " : "", ch->names[i]);
		json_array_append_new(arr, json_string(ch->names[i]));
	}
	fclose(f);
	json_t *ev = json_pack("{s:o}", "chain", arr);
	int rc = text ? findings_add(out, code, ev, fix, "%s %s", text, what)
		      : (json_decref(ev), -ENOMEM);
	free(text);
	return rc;
}

static int doubled_label(const struct view *v, const char *name,
			 const char *doubled, struct findings *out)
{
	struct at_name t, c;
	int rc = at_read(v, doubled, LDNS_RR_TYPE_TXT, NULL, &t);
	if (rc < 0)
		return rc;
	if ((rc = at_read(v, doubled, LDNS_RR_TYPE_CNAME, NULL, &c)) < 0) {
		at_deinit(&t);
		return rc;
	}
	if (t.with.n || t.cname[0] || c.with.n || t.only_expected.n) {
		struct strset srv = { 0 };
		strset_add_all(&srv, &t.with);
		strset_add_all(&srv, &c.with);
		strset_add_all(&srv, &t.only_expected);
		char *s = join_names(&srv);
		json_t *ev = json_pack("{s:s, s:s, s:o}", "name", name,
				       "found_at", doubled, "servers",
				       json_strset(&srv));
		rc = s ? findings_add(out, F_ACME_CHALLENGE_DOUBLED_LABEL, ev,
				      "Delete the record and create it again "
				      "with the name relative to the zone "
				      "(_acme-challenge, or "
				      "_acme-challenge.www) or absolute with a "
				      "final dot; many DNS consoles and zone "
				      "files append the zone to a name without "
				      "one.",
				      "A record exists at %s (served by %s): "
				      "the zone %s was pasted twice; the CA "
				      "asks %s.",
				      doubled, s, v->zone, name)
		       : -ENOMEM;
		if (!s)
			json_decref(ev);
		free(s);
		strset_deinit(&srv);
	}
	at_deinit(&t);
	at_deinit(&c);
	return rc;
}

int check_acme_challenge(const struct view *v, time_t now, struct findings *out)
{
	struct val_opts o;
	char first[VIEW_NAME_MAX], doubled[VIEW_NAME_MAX];
	struct chain ch = { .n = 0 };
	struct at_name a;
	int rc;

	val_opts_read(v->ev, &o);
	if (!o.acme || v->pstate != PS_DELEGATED ||
	    (o.challenge && strcmp(o.challenge, "dns-01") != 0))
		return 0;
	val_challenge_names(v, first, doubled, sizeof(first));
	if (!first[0])
		return 0;
	if (doubled[0] && (rc = doubled_label(v, first, doubled, out)) < 0)
		return rc;
	snprintf(ch.names[ch.n++], VIEW_NAME_MAX, "%s", first);
	for (;;) {
		const char *cur = ch.names[ch.n - 1];
		if ((rc = at_read(v, cur, LDNS_RR_TYPE_TXT, o.txt, &a)) < 0)
			return rc;
		if (!a.cname[0] || a.with.n)
			break;
		bool loop = false;
		for (size_t i = 0; i < ch.n; i++)
			loop |= strcmp(ch.names[i], a.cname) == 0;
		if (loop || ch.n == CHAIN_MAX + 1) {
			snprintf(ch.names[ch.n < CHAIN_MAX + 1 ? ch.n++
							       : CHAIN_MAX],
				 VIEW_NAME_MAX, "%s", a.cname);
			rc = chain_report(out, F_CNAME_LOOP, &ch,
					  "is a CNAME chain that comes back to "
					  "itself (or never ends): the CA's "
					  "resolver gives up with SERVFAIL.",
					  "Point the last CNAME of the chain "
					  "at the TXT record's real home (the "
					  "acme-dns or delegated validation "
					  "name).");
			at_deinit(&a);
			return rc;
		}
		snprintf(ch.names[ch.n++], VIEW_NAME_MAX, "%s", a.cname);
		at_deinit(&a);
	}
	const char *final = ch.names[ch.n - 1];
	if (ch.n > 1 && !a.with.n &&
	    (a.nxdomain_all || a.asked == 0 || a.failed.n == a.asked)) {
		rc = chain_report(out, F_CNAME_DANGLING, &ch,
				  a.nxdomain_all ? "ends at a name that does "
						   "not exist (NXDOMAIN at its "
						   "authoritative servers): "
						   "the CA finds no TXT record."
						 : "ends at a name no "
						   "authoritative server "
						   "answers for: the CA finds "
						   "no TXT record.",
				  "Create the target (register the acme-dns "
				  "account, or add the record at the delegated "
				  "validation name), or point the CNAME at the "
				  "right target.");
	} else if (!a.with.n || a.without.n || a.failed.n) {
		rc = challenge_missing(v, first, final, &a, out);
	}
	if (rc == 0 && o.txt)
		rc = challenge_value(v, final, o.txt, &a, out);
	at_deinit(&a);
	return rc;
}

/* Where a mistyped copy of ACM's record sits, if anywhere: "" or a phrase. */
static int acm_typos(const struct view *v, const struct val_acm *m,
		     const struct at_name *at, char *buf, size_t len)
{
	char doubled[VIEW_NAME_MAX], nounder[VIEW_NAME_MAX];
	const char *names[2] = { doubled, nounder };
	enum val_typo kinds[2] = { TYPO_DOUBLED, TYPO_NO_UNDERSCORE };
	size_t used = 0;

	buf[0] = '\0';
	val_typo_names(m->name, v->zone, doubled, nounder, sizeof(doubled));
	for (int i = 0; i < 2; i++) {
		struct at_name t;
		if (!names[i][0])
			continue;
		if (at_read(v, names[i], LDNS_RR_TYPE_CNAME, NULL, &t) < 0)
			return -ENOMEM;
		if (t.with.n || t.only_expected.n)
			used += (size_t)snprintf(
				buf + used, used < len ? len - used : 0,
				" A CNAME sits at %s instead: %s.", names[i],
				val_typo_text(kinds[i]));
		at_deinit(&t);
	}
	/* A CNAME at the right name with a mistyped target. */
	for (size_t i = 0; i < at->values.n && used < len; i++) {
		enum val_typo t =
			val_typo_of(at->values.v[i], m->target, v->zone);
		if (t != TYPO_NONE)
			used += (size_t)snprintf(buf + used, len - used,
						 " Its target is %s instead of "
						 "%s: %s.",
						 at->values.v[i], m->target,
						 val_typo_text(t));
	}
	return 0;
}

static int acm_one(const struct view *v, const struct val_acm *m,
		   struct findings *out)
{
	struct at_name a;
	char typos[1024], *extra = NULL, *missing = NULL;
	int rc = at_read(v, m->name, LDNS_RR_TYPE_CNAME, NULL, &a);
	if (rc < 0)
		return rc;
	bool right = a.values.n == 1 && strset_has(&a.values, m->target);
	if (right && !a.without.n && !a.failed.n)
		goto out;
	struct strset lack = { 0 };
	strset_add_all(&lack, &a.without);
	strset_add_all(&lack, &a.failed);
	if (!right)
		strset_add_all(&lack, &a.with);
	if ((rc = acm_typos(v, m, &a, typos, sizeof(typos))) < 0 ||
	    (rc = only_expected_phrase(v, &a, &extra)) < 0 ||
	    !(missing = join_names(&lack))) {
		rc = rc < 0 ? rc : -ENOMEM;
		strset_deinit(&lack);
		goto out;
	}
	json_t *vals = json_array();
	for (size_t i = 0; vals && i < a.values.n; i++)
		json_array_append_new(vals, json_safe(a.values.v[i]));
	json_t *ev = json_pack("{s:s, s:s, s:o, s:o, s:o}", "name", m->name,
			       "target", m->target, "found_targets", vals,
			       "servers_without", json_strset(&lack),
			       "only_undelegated_servers",
			       json_strset(&a.only_expected));
	rc = findings_add(out, F_ACM_VALIDATION_CNAME_MISSING, ev,
			  "Create the CNAME exactly as ACM shows it: name and "
			  "target absolute with a final dot (or the name "
			  "relative to the zone), in the zone the parent "
			  "delegates to.",
			  "The ACM validation CNAME %s -> %s is not served by "
			  "%s.%s%s",
			  m->name, m->target, missing, typos,
			  extra ? extra : "");
	strset_deinit(&lack);
out:
	free(extra);
	free(missing);
	at_deinit(&a);
	return rc;
}

int check_acm(const struct view *v, time_t now, struct findings *out)
{
	struct val_opts o;
	val_opts_read(v->ev, &o);
	if (v->pstate != PS_DELEGATED)
		return 0;
	for (size_t i = 0; i < o.n_acm; i++) {
		int rc = acm_one(v, &o.acm[i], out);
		if (rc < 0)
			return rc;
	}
	return 0;
}
