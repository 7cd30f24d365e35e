/* CAA (RFC 8659, RFC 8657) as the CA's validator applies it: climb from the
 * name towards the root, the first name with a CAA RRset decides, a CNAME
 * at a name is followed, a failed look-up makes the CA refuse. Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/dname.h"
#include "core/validation.h"

#define CAA_CNAME_HOPS 8

struct caa_ctx {
	const struct view *v;
	struct caa_request req;
	const char *ca_name;
	const char *const *issuers;
	struct findings *out;
};

static json_t *records_json(const struct val_ans *a)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < a->n_caa; i++)
		json_array_append_new(arr,
				      json_pack("{s:i, s:s, s:o}", "flags",
						(json_int_t)a->caa[i].flags,
						"tag", a->caa[i].tag, "value",
						json_safe(a->caa[i].value)));
	return arr;
}

/* "issue "amazon.com", issuewild ";"" for a summary. */
static char *records_text(const struct val_ans *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < a->n_caa; i++)
		fprintf(f, "%s%s%s \"%s\"", i ? ", " : "",
			a->caa[i].flags & CAA_FLAG_CRITICAL ? "critical " : "",
			a->caa[i].tag, a->caa[i].value);
	fclose(f);
	return buf;
}

static char *issuers_text(const char *const *issuers)
{
	struct strset s = { 0 };
	for (size_t i = 0; issuers[i]; i++)
		strset_add(&s, issuers[i]);
	char *t = strset_join(&s, ", ");
	strset_deinit(&s);
	return t;
}

static int report_forbids(struct caa_ctx *c, const char *at, const char *owner,
			  const struct val_ans *a, const struct strset *servers,
			  enum caa_verdict why)
{
	char *recs = records_text(a), *iss = issuers_text(c->issuers);
	char *srv = join_names(servers), *fix = NULL;
	int rc = -ENOMEM;
	if (!recs || !iss || !srv)
		goto out;
	const char *first = c->issuers[0];
	if (why == CAA_FORBIDS_NO_ISSUER) {
		if (asprintf(&fix,
			     "Add a record %s CAA 0 issue \"%s\" beside the "
			     "existing ones (or ask a CA they name for the "
			     "certificate).",
			     at, first) < 0)
			fix = NULL;
	} else if (why == CAA_FORBIDS_NO_WILD_ISSUER) {
		if (asprintf(&fix,
			     "Add a record %s CAA 0 issuewild \"%s\" "
			     "(issuewild records, where there are any, decide "
			     "for wildcard names: an issuewild \";\" forbids "
			     "every CA), or remove the issuewild records "
			     "to let the issue records decide.",
			     at, first) < 0)
			fix = NULL;
	} else if (why == CAA_FORBIDS_CRITICAL) {
		fix = strdup("Remove the critical flag (128) from the record "
			     "with the unknown tag, or remove the record.");
	} else if (why == CAA_FORBIDS_ACCOUNT) {
		fix = strdup("Make accounturi the URI of the ACME account that "
			     "orders the certificate (or pass the right one "
			     "with --account-uri).");
	} else {
		fix = strdup("Add the challenge type to validationmethods, or "
			     "use a challenge type it lists.");
	}
	if (!fix)
		goto out;
	json_t *ev = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "name", at,
			       "relevant_name", owner, "ca", c->ca_name,
			       "records", records_json(a), "servers",
			       json_strset(servers), "reason",
			       caa_verdict_text(why));
	char inherited[VIEW_NAME_MAX + 40] = "";
	if (strcmp(owner, c->v->domain) != 0)
		snprintf(inherited, sizeof(inherited), " (which %s inherits)",
			 c->v->domain);
	rc = findings_add(c->out, F_CAA_FORBIDS_ISSUER, ev, fix,
			  "CAA at %s%s forbids %s (%s): %s; records %s, served "
			  "by %s. The CA will refuse to issue.",
			  at, inherited, c->ca_name, iss, caa_verdict_text(why),
			  recs, srv);
out:
	free(recs);
	free(iss);
	free(srv);
	free(fix);
	return rc;
}

/* SERVFAIL says whether a failed server answered SERVFAIL, SILENT whether
 * one answered other questions but not CAA; ANSWERED counts the servers
 * that gave a usable answer. */
static int report_failed(struct caa_ctx *c, const char *at,
			 const struct strset *failed, bool servfail,
			 bool silent, size_t answered)
{
	char *srv = join_names(failed);
	if (!srv)
		return -ENOMEM;
	const char *why = answered == 0 && !servfail ? "no server answered"
			  : servfail && silent	     ? "SERVFAIL or no answer"
			  : servfail		     ? "SERVFAIL"
				     : "no answer to CAA, though other queries "
				       "are answered";
	json_t *ev = json_pack("{s:s, s:o}", "name", at, "servers",
			       json_strset(failed));
	int rc = findings_add(c->out, F_CAA_LOOKUP_FAILED, ev,
			      "Make every authoritative server answer CAA "
			      "queries (NOERROR, with or without records): "
			      "update or reconfigure the server or the "
			      "firewall that drops unknown record types.",
			      "The CAA look-up for %s fails at %s (%s)%s: a CA "
			      "must refuse to issue when it cannot read CAA.",
			      at, srv, why,
			      answered ? "; other servers answer, so the CA's "
					 "look-up succeeds only if its "
					 "resolver gets its answer from one of "
					 "them"
				       : "");
	free(srv);
	return rc;
}

/* True when ADDR answered some question in EV: a server that is up. */
static bool addr_answers(const struct evidence *ev, const char *addr)
{
	for (size_t i = 0; i < ev->n_ex; i++)
		if (ev->ex[i].status == QS_OK &&
		    strcmp(ev->ex[i].addr, addr) == 0)
			return true;
	return false;
}

/* Looks at the CAA answers for NAME (following CNAMEs). Sets *DONE when
 * NAME decides (a relevant RRset, or a failure). */
static int caa_at(struct caa_ctx *c, const char *name, bool *done)
{
	char cur[VIEW_NAME_MAX];
	struct val_set s;
	int rc = 0;

	snprintf(cur, sizeof(cur), "%s", name);
	*done = false;
	for (int hop = 0; hop < CAA_CNAME_HOPS && rc == 0; hop++) {
		struct strset failed = { 0 }, servers = { 0 };
		size_t asked = 0, answered = 0;
		bool servfail = false, silent = false;
		const char *next = NULL;
		if ((rc = val_set_read(c->v, cur, LDNS_RR_TYPE_CAA, &s)) < 0)
			return rc;
		for (size_t i = 0; i < s.n; i++) {
			const struct val_ans *a = &s.a[i];
			if (s.expected_only[i])
				continue;
			asked++;
			answered += a->answered && !a->failed;
			if (a->failed) {
				servfail |= a->answered;
				silent |= !a->answered &&
					  addr_answers(c->v->ev, s.x[i]->addr);
				strset_add(&failed, s.x[i]->server);
			}
			if (!a->n_caa && a->cname[0])
				next = a->cname;
		}
		/* A server that answers SERVFAIL to CAA, or answers other
		 * questions but never CAA, fails the look-up whenever the
		 * CA's resolver takes its answer (Unbound retries another
		 * server, at the cost of a timeout for silence; a CA's
		 * resolver may not, or may run out of time); so does
		 * silence from every server. A server silent to everything
		 * is NS_UNREACHABLE's: resolvers learn to skip it. */
		if (asked && (servfail || silent || answered == 0)) {
			rc = report_failed(c, cur, &failed, servfail, silent,
					   answered);
			*done = true;
		}
		for (size_t i = 0; rc == 0 && !*done && i < s.n; i++) {
			const struct val_ans *a = &s.a[i];
			if (s.expected_only[i] || !a->n_caa)
				continue;
			*done = true; /* the relevant RRset */
			enum caa_verdict why =
				caa_decide(a->caa, a->n_caa, &c->req);
			if (why == CAA_PERMITS)
				continue;
			for (size_t k = 0; k < s.n; k++)
				if (!s.expected_only[k] && s.a[k].n_caa)
					strset_add(&servers, s.x[k]->server);
			rc = report_forbids(c, cur, name, a, &servers, why);
			break;
		}
		char tmp[VIEW_NAME_MAX];
		bool follow = !*done && next && strcmp(next, cur) != 0;
		if (follow)
			snprintf(tmp, sizeof(tmp), "%s", next);
		val_set_deinit(&s);
		strset_deinit(&failed);
		strset_deinit(&servers);
		if (asked == 0 || !follow)
			break;
		snprintf(cur, sizeof(cur), "%s", tmp);
	}
	return rc;
}

int check_caa(const struct view *v, time_t now, struct findings *out)
{
	struct val_opts o;
	const char *own[2];
	char name[VIEW_NAME_MAX];
	int rc = 0;

	val_opts_read(v->ev, &o);
	if ((!o.acme && !o.n_acm) || v->pstate != PS_DELEGATED)
		return 0;
	struct caa_ctx c = { .v = v, .out = out };
	c.issuers = val_issuers(&o, own, &c.ca_name);
	c.req.issuers = c.issuers;
	c.req.wildcard = o.wildcard;
	c.req.account_uri = o.account_uri;
	c.req.method = o.acme ? (o.challenge ? o.challenge : "dns-01") : NULL;
	snprintf(name, sizeof(name), "%s", v->domain);
	/* RFC 8659 3: the name, then each parent, the root excluded. */
	while (rc == 0 && dname_labels(name) >= 1) {
		bool done;
		if ((rc = caa_at(&c, name, &done)) < 0 || done)
			break;
		char parent[VIEW_NAME_MAX];
		dname_parent(name, parent, sizeof(parent));
		snprintf(name, sizeof(name), "%s", parent);
	}
	return rc;
}
