/* HTTP-01 as the CA fetches it: from every address of the name, the same
 * answer expected everywhere, since the CA (and its remote perspectives)
 * may pick any address. Reads the fetch results the probe recorded in
 * evidence.http01 (typed, the body as raw bytes). Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/evidence_json.h"
#include "core/fetch_status.h"
#include "core/validation.h"

/* Redirects to other hosts followed, as the probe bounds them. */
#define HTTP01_HOSTS_MAX 10

/* BODY (the raw bytes the server sent) against WANT, with trailing
 * whitespace ignored as RFC 8555 8.3 lets the CA do (Boulder and Pebble
 * trim it: `echo "$KEYAUTH" > file` validates). With PREFIX, WANT
 * ("TOKEN.") must begin a longer body. */
static bool body_is(const char *body, size_t n, const char *want, size_t wlen,
		    bool prefix)
{
	while (n && strchr(" \t\n\r\v\f", body[n - 1]) && body[n - 1])
		n--;
	return prefix ? n > wlen && memcmp(body, want, wlen) == 0
		      : n == wlen && memcmp(body, want, wlen) == 0;
}

/* S as the evidence shows it, network bytes escaped, cut at MAX
 * characters; "..." follows when it was cut or MORE. */
static void put_shown(FILE *w, const char *s, int max, bool more)
{
	json_t *j = json_safe(s ? s : "");
	const char *t = j ? json_string_value(j) : "";
	fprintf(w, "%.*s%s", max, t,
		more || strlen(t) > (size_t)max ? "..." : "");
	json_decref(j);
}

enum outcome { GOOD, BAD, DEAD };

struct judge_ctx {
	const struct ev_http01 *all;
	size_t n;
	const struct val_opts *o;
	const char *prefix; /* "TOKEN." when only the token is known */
};

/* How F ends for the CA, and when not well, why, written to W. A redirect
 * to another host ends as the worst of the fetches the probe made of its
 * target from every address of that host (any of which the CA may pick). */
static enum outcome judge(const struct judge_ctx *c, const struct ev_http01 *f,
			  int depth, FILE *w)
{
	if (f->status == HS_REDIRECT_OTHER) {
		enum outcome worst = GOOD;
		char *sub = NULL;
		size_t slen = 0, n = 0;
		FILE *fs;
		if (depth >= HTTP01_HOSTS_MAX || !f->location) {
			fprintf(w, "%s (too many redirects to other hosts)",
				f->addr);
			return DEAD;
		}
		if (!(fs = open_memstream(&sub, &slen)))
			return DEAD;
		for (size_t i = 0; i < c->n; i++) {
			char *one = NULL;
			size_t olen = 0;
			FILE *fo;
			if (!c->all[i].start ||
			    strcmp(c->all[i].start, f->location) != 0)
				continue;
			n++;
			if (!(fo = open_memstream(&one, &olen))) {
				worst = DEAD;
				continue;
			}
			enum outcome e = judge(c, &c->all[i], depth + 1, fo);
			fclose(fo);
			if (e != GOOD)
				fprintf(fs, "%s%s", worst != GOOD ? "; " : "",
					one);
			free(one);
			worst = e > worst ? e : worst;
		}
		fclose(fs);
		if (n == 0) {
			fprintf(w, "%s (redirect to ", f->addr);
			put_shown(w, f->location, 200, false);
			fputs(", whose host has no address at its "
			      "authoritative servers or is not a name)",
			      w);
			worst = DEAD;
		} else if (worst != GOOD) {
			fprintf(w, "%s redirects to ", f->addr);
			put_shown(w, f->location, 200, false);
			fprintf(w, ", where %s", sub ? sub : "");
		}
		free(sub);
		return worst;
	}
	if (f->status != HS_OK) {
		fprintf(w, "%s (%s", f->addr, http_status_name(f->status));
		if (f->detail && f->detail[0]) {
			fputs(": ", w);
			put_shown(w, f->detail, 255, false);
		}
		fputc(')', w);
		return DEAD;
	}
	const struct val_opts *o = c->o;
	if (o->token &&
	    (f->code != 200 ||
	     !(o->key_auth ? body_is(f->body, f->body_len, o->key_auth,
				     strlen(o->key_auth), false)
			   : body_is(f->body, f->body_len, c->prefix,
				     strlen(c->prefix), true)))) {
		fprintf(w, "%s answers %ld with \"", f->addr, f->code);
		put_shown(w, f->body, 60, f->truncated);
		fputc('"', w);
		return BAD;
	}
	return GOOD;
}

static int report(struct findings *out, enum finding_code code, json_t *items,
		  const char *fix, const char *url, const char *text,
		  const char *good)
{
	json_t *ev = json_pack("{s:s, s:o}", "url", url, "fetches", items);
	return findings_add(out, code, ev, fix, "%s: %s.%s", url, text, good);
}

int check_http01(const struct view *v, time_t now, struct findings *out)
{
	struct val_opts o;
	char *bad = NULL, *dead = NULL, *good = NULL, url[700];
	size_t blen = 0, dlen = 0, glen = 0;
	int rc = 0, n_bad = 0, n_dead = 0, n_good = 0;

	val_opts_read(v->ev, &o);
	if (!val_http01(&o) || v->ev->n_http01 == 0)
		return 0;
	const char *token = o.token ? o.token : VAL_PROBE_TOKEN;
	char prefix[300];
	snprintf(prefix, sizeof(prefix), "%s.", token);
	FILE *fb = open_memstream(&bad, &blen),
	     *fd = open_memstream(&dead, &dlen),
	     *fg = open_memstream(&good, &glen);
	json_t *jbad = json_array(), *jdead = json_array();
	if (!fb || !fd || !fg || !jbad || !jdead) {
		rc = -ENOMEM;
		goto out;
	}
	snprintf(url, sizeof(url), "http://%.*s/.well-known/acme-challenge/%s",
		 (int)strlen(v->domain) - 1, v->domain, token);
	const struct judge_ctx c = { .all = v->ev->http01,
				     .n = v->ev->n_http01,
				     .o = &o,
				     .prefix = prefix };
	for (size_t i = 0; i < c.n; i++) {
		const struct ev_http01 *f = &c.all[i];
		/* The fetches of the name itself; those of redirect targets
		 * are reached through them. */
		if (f->start && strcmp(f->start, url) != 0)
			continue;
		char *why = NULL;
		size_t wlen = 0;
		FILE *w = open_memstream(&why, &wlen);
		if (!w) {
			rc = -ENOMEM;
			goto out;
		}
		enum outcome e = judge(&c, f, 0, w);
		fclose(w);
		if (e == DEAD) {
			fprintf(fd, "%s%s", n_dead++ ? ", " : "", why);
			json_array_append_new(jdead, ev_http01_json(f));
		} else if (e == BAD) {
			fprintf(fb, "%s%s", n_bad++ ? ", " : "", why);
			json_array_append_new(jbad, ev_http01_json(f));
		} else {
			fprintf(fg, "%s%s", n_good++ ? ", " : "", f->addr);
		}
		free(why);
	}
	fclose(fb);
	fclose(fd);
	fclose(fg);
	fb = fd = fg = NULL;
	char also[600] = "";
	if (n_good)
		snprintf(also, sizeof(also),
			 " %.500s answer%s as the CA expects; the CA may pick "
			 "any address, so it fails intermittently",
			 good, n_good == 1 ? "s" : "");
	if (n_dead) {
		rc = report(out, F_HTTP01_UNREACHABLE, jdead,
			    "Make port 80 answer on every A and AAAA address "
			    "of the name (firewall, security group, load "
			    "balancer listener), or remove the addresses that "
			    "cannot serve it from DNS.",
			    url, dead, also);
		jdead = NULL;
	}
	if (rc == 0 && n_bad) {
		rc = report(out, F_HTTP01_BAD_RESPONSE, jbad,
			    "Serve the key authorisation (TOKEN.THUMBPRINT, "
			    "status 200) at the URL on every backend behind "
			    "every address: share the webroot, or route "
			    "/.well-known/acme-challenge/ to the host running "
			    "the ACME client.",
			    url, bad, also);
		jbad = NULL;
	}
out:
	if (fb)
		fclose(fb);
	if (fd)
		fclose(fd);
	if (fg)
		fclose(fg);
	json_decref(jbad);
	json_decref(jdead);
	free(bad);
	free(dead);
	free(good);
	return rc;
}
