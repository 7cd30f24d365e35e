/* HTTP-01 as the CA fetches it: from every address of the name, the same
 * answer expected everywhere, since the CA (and its remote perspectives)
 * may pick any address. Reads the fetch results the probe recorded in
 * evidence.http01. Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/validation.h"

struct fetch {
	const char *addr, *status, *body, *url, *detail;
	json_int_t code;
	bool truncated;
};

static bool read_fetch(json_t *j, struct fetch *f)
{
	memset(f, 0, sizeof(*f));
	int b = 0;
	if (!json_is_object(j) ||
	    json_unpack(j, "{s:s, s:s, s:I, s?s, s?s, s?s, s?b}", "addr", &f->addr,
			"status", &f->status, "code", &f->code, "body", &f->body,
			"url", &f->url, "detail", &f->detail, "truncated", &b) < 0)
		return false;
	f->truncated = b;
	if (!f->body)
		f->body = "";
	if (!f->url)
		f->url = "";
	if (!f->detail)
		f->detail = "";
	return true;
}

/* The body with the line end a web server adds dropped; the CA trims
 * whitespace too (RFC 8555 8.3). */
static bool body_is(const char *body, const char *want, size_t wlen, bool prefix)
{
	size_t n = strlen(body);
	while (n && (body[n - 1] == '\n' || body[n - 1] == '\r' ||
		     body[n - 1] == ' ' || body[n - 1] == '\t'))
		n--;
	if (prefix)
		return n > wlen && strncmp(body, want, wlen) == 0;
	return n == wlen && strncmp(body, want, wlen) == 0;
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
	if (!val_http01(&o) || v->ev->http01.n == 0)
		return 0;
	const char *token = o.token ? o.token : VAL_PROBE_TOKEN;
	char prefix[300];
	snprintf(prefix, sizeof(prefix), "%s.", token);
	FILE *fb = open_memstream(&bad, &blen), *fd = open_memstream(&dead, &dlen),
	     *fg = open_memstream(&good, &glen);
	json_t *jbad = json_array(), *jdead = json_array();
	if (!fb || !fd || !fg || !jbad || !jdead) {
		rc = -ENOMEM;
		goto out;
	}
	snprintf(url, sizeof(url), "http://%.*s/.well-known/acme-challenge/%s",
		 (int)strlen(v->domain) - 1, v->domain, token);
	for (size_t i = 0; i < v->ev->http01.n; i++) {
		json_t *j = json_loads(v->ev->http01.v[i], 0, NULL);
		struct fetch f;
		if (!j)
			continue;
		if (!read_fetch(j, &f)) {
			json_decref(j);
			continue;
		}
		if (strcmp(f.status, "ok") != 0 && strcmp(f.status, "redirect-other-host") != 0) {
			fprintf(fd, "%s%s (%s%s%s)", n_dead++ ? ", " : "", f.addr,
				f.status, f.detail[0] ? ": " : "", f.detail);
			json_array_append(jdead, j);
		} else if (o.token && strcmp(f.status, "ok") == 0 &&
			   (f.code != 200 ||
			    !(o.key_auth ? body_is(f.body, o.key_auth, strlen(o.key_auth), false)
					 : body_is(f.body, prefix, strlen(prefix), true)))) {
			fprintf(fb, "%s%s answers %lld with \"%.60s%s\"", n_bad++ ? ", " : "",
				f.addr, (long long)f.code, f.body,
				strlen(f.body) > 60 || f.truncated ? "..." : "");
			json_array_append(jbad, j);
		} else {
			fprintf(fg, "%s%s", n_good++ ? ", " : "", f.addr);
		}
		json_decref(j);
	}
	fclose(fb);
	fclose(fd);
	fclose(fg);
	fb = fd = fg = NULL;
	char also[600] = "";
	if (n_good)
		snprintf(also, sizeof(also), " %.500s answer%s as the CA expects; the CA may pick any address, so it fails intermittently",
			 good, n_good == 1 ? "s" : "");
	if (n_dead) {
		rc = report(out, F_HTTP01_UNREACHABLE, jdead,
			"Make port 80 answer on every A and AAAA address of the name (firewall, security group, load balancer listener), or remove the addresses that cannot serve it from DNS.",
			url, dead, also);
		jdead = NULL;
	}
	if (rc == 0 && n_bad) {
		rc = report(out, F_HTTP01_BAD_RESPONSE, jbad,
			"Serve the key authorisation (TOKEN.THUMBPRINT, status 200) at the URL on every backend behind every address: share the webroot, or route /.well-known/acme-challenge/ to the host running the ACME client.",
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
