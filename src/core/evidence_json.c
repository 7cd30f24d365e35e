#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/evidence_json.h"
#include "core/fetch_status.h"
#include "core/validation.h"

/* Wire bytes are at most 64 KiB, so a hex string is at most 128 Ki digits. */
#define MAX_WIRE_HEX (2 * 65535)

json_t *ev_hex_json(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	json_t *j = json_string(s);
	free(s);
	return j;
}

int ev_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ev_unhex(const char *s, size_t len, uint8_t **out, size_t *outlen)
{
	if (len % 2 || len > MAX_WIRE_HEX)
		return -1;
	uint8_t *p = malloc(len / 2 ? len / 2 : 1);
	if (!p)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		int hi = ev_hex_digit(s[2 * i]),
		    lo = ev_hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(p);
			return -1;
		}
		p[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = p;
	*outlen = len / 2;
	return 0;
}

/* Sets KEY of *O to V (taken). When V is NULL (out of memory) or cannot be
 * set, *O is freed and becomes NULL; when *O is already NULL, V is freed. */
static void put(json_t **o, const char *key, json_t *v)
{
	if (!*o) {
		json_decref(v);
	} else if (!v || json_object_set_new(*o, key, v) < 0) {
		json_decref(*o);
		*o = NULL;
	}
}

static json_t *exchange_to_json(const struct ev_exchange *x)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i}",
			      "role", ev_role_name(x->role), "zone", x->zone,
			      "server", x->server, "addr", x->addr, "qname",
			      x->qname, "qtype", (json_int_t)x->qtype,
			      "transport",
			      x->transport == TR_TCP ? "tcp" : "udp", "status",
			      qstatus_name(x->status), "rtt_ms",
			      (json_int_t)x->rtt_ms);
	if (x->qflags)
		put(&o, "qflags", json_integer(x->qflags));
	if (x->cached)
		put(&o, "cached", json_true());
	if (x->wire)
		put(&o, "wire", ev_hex_json(x->wire, x->wire_len));
	return o;
}

static json_t *strings_json(const struct ev_strings *l)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

/* Optional list KEY of J into L; absent is fine, a wrong shape is not. */
static int strings_from(const json_t *j, const char *key, struct ev_strings *l,
			char *err, size_t errlen)
{
	json_t *a = json_object_get(j, key), *v;
	size_t i;
	if (!a)
		return 0;
	if (!json_is_array(a)) {
		snprintf(err, errlen, "%s is not a list", key);
		return -1;
	}
	json_array_foreach (a, i, v) {
		if (!json_is_string(v) ||
		    ev_strings_add(l, json_string_value(v)) < 0) {
			snprintf(err, errlen, "%s[%zu] is not a string", key,
				 i);
			return -1;
		}
	}
	return 0;
}

/* A string of raw bytes from the network, escaped as json_safe does. */
static json_t *safe_or_empty(const char *s)
{
	return json_safe(s ? s : "");
}

json_t *ev_http01_json(const struct ev_http01 *h)
{
	/* Keys in sorted order: the finding evidence shows them so. */
	json_t *j = json_pack(
		"{s:s, s:o, s:I, s:o, s:i, s:s, s:s, s:b, s:o}", "addr",
		h->addr ? h->addr : "", "body", safe_or_empty(h->body), "code",
		(json_int_t)h->code, "detail", safe_or_empty(h->detail),
		"redirects", h->redirects, "start", h->start ? h->start : "",
		"status", http_status_name(h->status), "truncated",
		h->truncated, "url", safe_or_empty(h->url));
	if (h->location)
		put(&j, "location", json_safe(h->location));
	return j;
}

static json_t *tls_json(const struct ev_tls *t)
{
	json_t *chain = json_array();
	for (size_t i = 0; chain && i < t->n; i++)
		if (json_array_append_new(
			    chain, ev_hex_json(t->der[i], t->der_len[i])) < 0) {
			json_decref(chain);
			return NULL;
		}
	return json_pack("{s:s, s:o, s:o, s:s, s:i, s:s}", "addr",
			 t->addr ? t->addr : "", "chain", chain, "detail",
			 safe_or_empty(t->detail), "host",
			 t->host ? t->host : "", "port", (int)t->port, "status",
			 tls_status_name(t->status));
}

static json_t *validation_json(const struct ev_validation *v)
{
	json_t *o = json_object(), *acm = json_array();
	const struct {
		const char *key, *val;
	} opt[] = {
		{ "ca", v->ca },       { "challenge", v->challenge },
		{ "txt", v->txt },     { "account_uri", v->account_uri },
		{ "token", v->token }, { "key_auth", v->key_auth },
	};
	bool bad = !o || !acm ||
		   json_object_set_new(o, "acme", json_boolean(v->acme)) < 0 ||
		   json_object_set_new(o, "wildcard",
				       json_boolean(v->wildcard)) < 0;
	for (size_t i = 0; !bad && i < sizeof(opt) / sizeof(opt[0]); i++)
		bad = opt[i].val &&
		      json_object_set_new(o, opt[i].key,
					  json_safe(opt[i].val)) < 0;
	for (size_t i = 0; !bad && i < v->n_acm; i++)
		bad = json_array_append_new(acm,
					    json_pack("{s:s, s:s}", "name",
						      v->acm[i].name, "target",
						      v->acm[i].target)) < 0;
	if (!bad && v->n_acm) {
		bad = json_object_set_new(o, "acm", acm) < 0;
		acm = NULL;
	}
	json_decref(acm);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static bool validation_set(const struct ev_validation *v)
{
	return v->acme || v->wildcard || v->ca || v->challenge || v->txt ||
	       v->account_uri || v->token || v->key_auth || v->n_acm;
}

static json_t *cert_opts_json(const struct ev_cert_opts *c)
{
	json_t *o = json_pack("{s:i, s:f}", "port", (int)c->port, "warn_days",
			      c->warn_days);
	if (c->ca_pem)
		put(&o, "ca_pem", json_string(c->ca_pem));
	return o;
}

/* The typed records as arrays of objects; NULL on ENOMEM. */
static json_t *http01s_json(const struct evidence *ev)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < ev->n_http01; i++)
		if (json_array_append_new(a, ev_http01_json(&ev->http01[i])) <
		    0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *tlss_json(const struct evidence *ev)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < ev->n_tls; i++)
		if (json_array_append_new(a, tls_json(&ev->tls[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* The RDAP exchange; optional strings only when set. */
static json_t *rdap_json(const struct ev_rdap *r)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:I, s:i, s:b, s:I}",
			      "bootstrap", r->bootstrap ? r->bootstrap : "",
			      "code", (json_int_t)r->code, "status",
			      http_status_name(r->status), "retry_after",
			      (json_int_t)r->retry_after, "redirects",
			      r->redirects, "truncated", r->truncated, "ms",
			      (json_int_t)r->ms);
	const struct {
		const char *key, *val;
	} opt[] = {
		{ "boot_error", r->boot_error },
		{ "url", r->url },
		{ "final_url", r->final_url },
		{ "content_type", r->content_type },
		{ "detail", r->detail },
		{ "body", r->body },
	};
	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (opt[i].val)
			put(&o, opt[i].key, json_safe(opt[i].val));
	return o;
}

/* --checks as its words, ["delegation", "dnssec"]. */
static json_t *areas_json(unsigned areas)
{
	json_t *a = json_array();
	for (unsigned bit = 1; a && bit <= EV_AREA_ALL; bit <<= 1)
		if ((areas & bit) &&
		    json_array_append_new(a, json_string(ev_area_name(bit))) <
			    0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static int areas_from(const json_t *j, struct evidence *ev, char *err,
		      size_t errlen)
{
	json_t *a = json_object_get(j, "checks"), *v;
	size_t i;
	char bad[48];
	if (!a)
		return 0;
	if (!json_is_array(a)) {
		snprintf(err, errlen, "checks is not a list");
		return -1;
	}
	json_array_foreach (a, i, v) {
		unsigned one;
		if (!json_is_string(v) ||
		    ev_areas_parse(json_string_value(v), &one, bad,
				   sizeof(bad)) < 0) {
			snprintf(err, errlen, "checks[%zu] is not an area", i);
			return -1;
		}
		ev->areas |= one;
	}
	return 0;
}

/* "command" and "record" (propagation, wait, plan): only when set, so
 * evidence from `check` stays as it was. 0 or -1. */
static int record_to_json(const struct evidence *ev, json_t *o)
{
	if (ev->command &&
	    json_object_set_new(o, "command", json_string(ev->command)) < 0)
		return -1;
	if (!ev->record_name)
		return 0;
	json_t *r = json_pack("{s:s, s:i}", "name", ev->record_name, "type",
			      (json_int_t)ev->record_type);
	if (!r)
		return -1;
	json_object_set_new(r, "expect",
			    ev->record_expect ? json_string(ev->record_expect)
					      : json_null());
	if (ev->record_expect_more.n)
		json_object_set_new(r, "expect_more",
				    strings_json(&ev->record_expect_more));
	return json_object_set_new(o, "record", r);
}

static int record_from_json(const json_t *j, struct evidence *ev, char *err,
			    size_t errlen)
{
	json_t *c = json_object_get(j, "command"), *r = json_object_get(j, "rec"
									   "or"
									   "d");
	if (c && !(json_is_string(c) &&
		   (ev->command = strdup(json_string_value(c))))) {
		snprintf(err, errlen, "command is not a string");
		return -1;
	}
	if (!r)
		return 0;
	json_t *n = json_object_get(r, "name"), *t = json_object_get(r, "type");
	json_t *e = json_object_get(r, "expect");
	if (!json_is_object(r) || !json_is_string(n) || !json_is_integer(t) ||
	    json_integer_value(t) < 1 || json_integer_value(t) > 65535 ||
	    (e && !json_is_null(e) && !json_is_string(e))) {
		snprintf(err, errlen, "record is not {name, type, expect}");
		return -1;
	}
	ev->record_type = (uint16_t)json_integer_value(t);
	ev->record_name = strdup(json_string_value(n));
	if (json_is_string(e))
		ev->record_expect = strdup(json_string_value(e));
	if (!ev->record_name || (json_is_string(e) && !ev->record_expect)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return strings_from(r, "expect_more", &ev->record_expect_more, err,
			    errlen);
}

static json_t *refused_json(const struct evidence *ev)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < ev->n_refused; i++) {
		const struct ev_refused *r = &ev->refused[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "use",
				      ev_use_name(r->use), "zone", r->zone,
				      "name", r->name, "addr", r->addr);
		if (!o || json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *evidence_to_json(const struct evidence *ev)
{
	json_t *ns = json_array(), *xs = json_array();
	json_t *o = NULL;

	if (!ns || !xs)
		goto fail;
	for (size_t i = 0; i < ev->n_expect_ns; i++)
		if (json_array_append_new(ns, json_string(ev->expect_ns[i])))
			goto fail;
	for (size_t i = 0; i < ev->n_ex; i++) {
		json_t *x = exchange_to_json(&ev->ex[i]);
		if (!x || json_array_append_new(xs, x))
			goto fail;
	}
	o = json_pack("{s:i, s:s, s:I, s:o, s:o, s:o, s:I, s:o}",
		      "dnsdoctor_evidence", EVIDENCE_FORMAT, "domain",
		      ev->domain, "started", (json_int_t)ev->started,
		      "expect_ns", ns, "trust_anchor",
		      strings_json(&ev->trust_anchor), "what_if_ds",
		      strings_json(&ev->what_if_ds), "rrsig_warn_seconds",
		      (json_int_t)ev->rrsig_warn_s, "exchanges", xs);
	/* Each only when set, so evidence without it stays as it was. */
	if (validation_set(&ev->validation))
		put(&o, "validation", validation_json(&ev->validation));
	if (ev->root_hints.n)
		put(&o, "root_hints", strings_json(&ev->root_hints));
	if (ev->cached_cuts.n)
		put(&o, "cached_cuts", strings_json(&ev->cached_cuts));
	if (ev->what_if_ns.n)
		put(&o, "what_if_ns", strings_json(&ev->what_if_ns));
	if (ev->resolvers.n)
		put(&o, "resolvers", strings_json(&ev->resolvers));
	if (ev->n_http01)
		put(&o, "http01", http01s_json(ev));
	if (ev->cert.set) {
		put(&o, "cert", cert_opts_json(&ev->cert));
		put(&o, "tls", tlss_json(ev));
	}
	if (ev->rdap)
		put(&o, "rdap", rdap_json(ev->rdap));
	if (ev->expiry_warn_s)
		put(&o, "expiry_warn_seconds",
		    json_integer((json_int_t)ev->expiry_warn_s));
	if (ev->areas && ev->areas != EV_AREA_ALL)
		put(&o, "checks", areas_json(ev->areas));
	if (ev->refuse_private)
		put(&o, "refuse_private", json_true());
	if (ev->n_refused)
		put(&o, "refused", refused_json(ev));
	if (ev->suffix_labels)
		put(&o, "public_suffix_labels",
		    json_integer(ev->suffix_labels));
	if (o && record_to_json(ev, o) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
fail:
	json_decref(ns);
	json_decref(xs);
	return NULL;
}

static const char *get_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int exchange_from_json(const json_t *o, struct ev_exchange *x, char *err,
			      size_t errlen, size_t idx)
{
	const char *role = get_str(o, "role"), *tr = get_str(o, "transport");
	const char *st = get_str(o, "status");
	json_t *qt = json_object_get(o, "qtype"),
	       *rtt = json_object_get(o, "rtt_ms");

	memset(x, 0, sizeof(*x));
	x->zone = (char *)get_str(o, "zone");
	x->server = (char *)get_str(o, "server");
	x->addr = (char *)get_str(o, "addr");
	x->qname = (char *)get_str(o, "qname");
	if (!json_is_object(o) || !role || !tr || !st || !json_is_integer(qt) ||
	    !x->zone || !x->server || !x->addr || !x->qname) {
		snprintf(err, errlen, "exchange %zu: missing or mistyped field",
			 idx);
		return -1;
	}
	x->role = ev_role_from_name(role);
	x->status = qstatus_from_name(st);
	json_int_t q = json_integer_value(qt);
	json_int_t r = json_is_integer(rtt) ? json_integer_value(rtt) : 0;
	if (x->role < 0 || x->status < 0 || q < 0 || q > 65535 || r < 0 ||
	    r > UINT32_MAX || (strcmp(tr, "udp") && strcmp(tr, "tcp"))) {
		snprintf(err, errlen, "exchange %zu: value out of range", idx);
		return -1;
	}
	x->qtype = (uint16_t)q;
	json_t *qf = json_object_get(o, "qflags");
	if (qf &&
	    (!json_is_integer(qf) || json_integer_value(qf) & ~EV_QF_MASK)) {
		snprintf(err, errlen, "exchange %zu: qflags out of range", idx);
		return -1;
	}
	x->qflags = qf ? (unsigned)json_integer_value(qf) : 0;
	json_t *cached = json_object_get(o, "cached");
	if (cached && !json_is_boolean(cached)) {
		snprintf(err, errlen,
			 "exchange %zu: cached is not true or false", idx);
		return -1;
	}
	x->cached = json_is_true(cached);
	x->rtt_ms = (uint32_t)r;
	x->transport = strcmp(tr, "tcp") == 0 ? TR_TCP : TR_UDP;
	json_t *w = json_object_get(o, "wire");
	if (w) {
		if (!json_is_string(w) ||
		    ev_unhex(json_string_value(w), json_string_length(w),
			     &x->wire, &x->wire_len) < 0) {
			snprintf(err, errlen, "exchange %zu: wire is not hex",
				 idx);
			return -1;
		}
	}
	return 0;
}

/* *OUT = a copy of the string at KEY of O with json_safe's escapes
 * undone; an absent or null key leaves *OUT NULL. 0, -1 when KEY is not a
 * string (or no memory). */
static int decoded(const json_t *o, const char *key, char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !(*out = malloc(json_string_length(v) + 1)))
		return -1;
	json_safe_decode(json_string_value(v), *out, json_string_length(v) + 1);
	return 0;
}

/* A copy of the string at KEY of O, as it is; absent leaves *OUT NULL. */
static int plain(const json_t *o, const char *key, char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	return json_is_string(v) && (*out = strdup(json_string_value(v))) ? 0
									  : -1;
}

/* "rdap": the RDAP exchange, when it was on. 0 or -1 (ERR set). */
static int rdap_from(const json_t *j, struct evidence *ev, char *err,
		     size_t errlen)
{
	json_t *o = json_object_get(j, "rdap");
	json_t *code = json_object_get(o, "code"),
	       *ra = json_object_get(o, "retry_after"),
	       *red = json_object_get(o, "redirects"),
	       *ms = json_object_get(o, "ms");
	struct ev_rdap *r;
	if (!o)
		return 0;
	if (!json_is_object(o) || !json_is_integer(code) ||
	    !json_is_string(json_object_get(o, "status")) ||
	    (ra && !json_is_integer(ra)) || (red && !json_is_integer(red)) ||
	    (ms && !json_is_integer(ms)) || !(r = calloc(1, sizeof(*r)))) {
		snprintf(err, errlen, "rdap: missing or mistyped field");
		return -1;
	}
	ev->rdap = r;
	if (plain(o, "bootstrap", &r->bootstrap) < 0 ||
	    decoded(o, "boot_error", &r->boot_error) < 0 ||
	    decoded(o, "url", &r->url) < 0 ||
	    decoded(o, "final_url", &r->final_url) < 0 ||
	    decoded(o, "content_type", &r->content_type) < 0 ||
	    decoded(o, "detail", &r->detail) < 0 ||
	    decoded(o, "body", &r->body) < 0) {
		snprintf(err, errlen, "rdap: mistyped field");
		return -1;
	}
	r->status = http_status_from_name(
		json_string_value(json_object_get(o, "status")));
	r->code = (long)json_integer_value(code);
	r->retry_after = (long)json_integer_value(ra);
	r->redirects = (int)json_integer_value(red);
	r->ms = (uint32_t)json_integer_value(ms);
	r->truncated = json_is_true(json_object_get(o, "truncated"));
	r->body_len = r->body ? strlen(r->body) : 0;
	return 0;
}

/* Format 1 kept each HTTP-01 and TLS record as the text of a JSON object;
 * format 2 keeps the object. Either way the object, new reference. */
static json_t *record_object(json_t *v)
{
	if (json_is_string(v))
		return json_loads(json_string_value(v), 0, NULL);
	return json_incref(v);
}

static int http01_from(json_t *v, struct evidence *ev)
{
	json_t *o = record_object(v);
	json_t *code = json_object_get(o, "code"),
	       *red = json_object_get(o, "redirects");
	struct ev_http01 h = { 0 };
	int rc = -1;
	if (!json_is_object(o) ||
	    !json_is_string(json_object_get(o, "status")) ||
	    !json_is_integer(code) || (red && !json_is_integer(red)) ||
	    plain(o, "addr", &h.addr) < 0 || !h.addr ||
	    plain(o, "start", &h.start) < 0 || decoded(o, "url", &h.url) < 0 ||
	    decoded(o, "location", &h.location) < 0 ||
	    decoded(o, "detail", &h.detail) < 0 ||
	    decoded(o, "body", &h.body) < 0)
		goto out;
	h.status = http_status_from_name(
		json_string_value(json_object_get(o, "status")));
	h.code = (long)json_integer_value(code);
	h.redirects = (int)json_integer_value(red);
	h.truncated = json_is_true(json_object_get(o, "truncated"));
	h.body_len = h.body ? strlen(h.body) : 0;
	rc = evidence_add_http01(ev, &h);
out:
	free(h.addr);
	free(h.start);
	free(h.url);
	free(h.location);
	free(h.detail);
	free(h.body);
	json_decref(o);
	return rc;
}

static int tls_from(json_t *v, struct evidence *ev)
{
	json_t *o = record_object(v);
	json_t *chain = json_object_get(o, "chain"),
	       *port = json_object_get(o, "port"), *c;
	struct ev_tls t = { 0 };
	uint8_t *der[EV_TLS_CHAIN_MAX];
	size_t der_len[EV_TLS_CHAIN_MAX], i;
	int rc = -1;
	if (!json_is_object(o) ||
	    !json_is_string(json_object_get(o, "status")) ||
	    !json_is_array(chain) || !json_is_integer(port) ||
	    json_integer_value(port) < 1 || json_integer_value(port) > 65535 ||
	    plain(o, "addr", &t.addr) < 0 || !t.addr ||
	    plain(o, "host", &t.host) < 0 ||
	    decoded(o, "detail", &t.detail) < 0)
		goto out;
	t.port = (uint16_t)json_integer_value(port);
	t.status = tls_status_from_name(
		json_string_value(json_object_get(o, "status")));
	t.der = der;
	t.der_len = der_len;
	json_array_foreach (chain, i, c) {
		if (t.n == EV_TLS_CHAIN_MAX)
			break;
		if (!json_is_string(c) ||
		    ev_unhex(json_string_value(c), json_string_length(c),
			     &der[t.n], &der_len[t.n]) < 0)
			goto out;
		t.n++;
	}
	rc = evidence_add_tls(ev, &t);
out:
	for (i = 0; i < t.n; i++)
		free(der[i]);
	free(t.addr);
	free(t.host);
	free(t.detail);
	json_decref(o);
	return rc;
}

/* The string option of V named by the KEYLEN bytes of KEY, or NULL. */
static char **option_field(struct ev_validation *v, const char *key,
			   size_t keylen)
{
	const struct {
		const char *key;
		char **field;
	} t[] = {
		{ "ca", &v->ca },	{ "challenge", &v->challenge },
		{ "txt", &v->txt },	{ "account_uri", &v->account_uri },
		{ "token", &v->token }, { "key_auth", &v->key_auth },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].key) == keylen &&
		    strncmp(t[i].key, key, keylen) == 0)
			return t[i].field;
	return NULL;
}

/* Format 1's "KEY=VALUE" strings: "acme", "wildcard", "ca=X", ...,
 * "acm=NAME=TARGET". Unknown ones are skipped, as that reader did. 0 or
 * -ENOMEM. */
static int validation_word(const char *s, struct evidence *ev)
{
	struct ev_validation *v = &ev->validation;
	const char *eq = strchr(s, '=');
	if (strcmp(s, "acme") == 0 || strcmp(s, "wildcard") == 0) {
		*(s[0] == 'a' ? &v->acme : &v->wildcard) = true;
		return 0;
	}
	if (!eq)
		return 0;
	char **field = option_field(v, s, (size_t)(eq - s));
	if (field)
		return ev_set_string(field, eq + 1);
	const char *mid = strchr(eq + 1, '=');
	if ((size_t)(eq - s) != 3 || strncmp(s, "acm", 3) != 0 || !mid)
		return 0;
	char *name = strndup(eq + 1, (size_t)(mid - eq - 1));
	int rc = name ? evidence_add_acm(ev, name, mid + 1) : -ENOMEM;
	free(name);
	return rc;
}

static int validation_from(const json_t *j, struct evidence *ev, char *err,
			   size_t errlen)
{
	json_t *v = json_object_get(j, "validation"), *x;
	struct ev_validation *val = &ev->validation;
	const char *key;
	size_t i;
	if (!v)
		return 0;
	if (json_is_array(v)) {
		json_array_foreach (v, i, x)
			if (!json_is_string(x) ||
			    validation_word(json_string_value(x), ev) < 0) {
				snprintf(err, errlen,
					 "validation[%zu] is not a string", i);
				return -1;
			}
		return 0;
	}
	json_t *acm = json_object_get(v, "acm");
	if (!json_is_object(v) || (acm && !json_is_array(acm))) {
		snprintf(err, errlen, "validation is not an object");
		return -1;
	}
	val->acme = json_is_true(json_object_get(v, "acme"));
	val->wildcard = json_is_true(json_object_get(v, "wildcard"));
	json_object_foreach (v, key, x) {
		char **field = option_field(val, key, strlen(key));
		if (field && decoded(v, key, field) < 0) {
			snprintf(err, errlen, "validation.%s is not a string",
				 key);
			return -1;
		}
	}
	json_array_foreach (acm, i, x) {
		const char *n = json_string_value(json_object_get(x, "name")),
			   *t = json_string_value(json_object_get(x, "target"));
		if (!n || !t) {
			snprintf(err, errlen,
				 "validation.acm[%zu] is not {name, target}",
				 i);
			return -1;
		}
		if (evidence_add_acm(ev, n, t) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* Format 1: ["port=443", "warn_days=21", "ca_pem=..."]; format 2: the
 * object. */
static int cert_from(const json_t *j, struct evidence *ev, char *err,
		     size_t errlen)
{
	json_t *c = json_object_get(j, "cert"), *x;
	struct ev_cert_opts *co = &ev->cert;
	size_t i;
	if (!c)
		return 0;
	*co = (struct ev_cert_opts){ .set = true,
				     .port = 443,
				     .warn_days = 21 };
	if (json_is_array(c)) {
		json_array_foreach (c, i, x) {
			const char *s = json_string_value(x);
			if (!s) {
				snprintf(err, errlen,
					 "cert[%zu] is not a string", i);
				return -1;
			}
			if (strncmp(s, "port=", 5) == 0) {
				long p = strtol(s + 5, NULL, 10);
				if (p >= 1 && p <= 65535)
					co->port = (uint16_t)p;
			} else if (strncmp(s, "warn_days=", 10) == 0) {
				double d = strtod(s + 10, NULL);
				if (d >= 0 && d <= 36500)
					co->warn_days = d;
			} else if (strncmp(s, "ca_pem=", 7) == 0 &&
				   ev_set_string(&co->ca_pem, s + 7) < 0) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		}
		return 0;
	}
	json_t *port = json_object_get(c, "port"),
	       *warn = json_object_get(c, "warn_days");
	if (!json_is_object(c) || !json_is_integer(port) ||
	    json_integer_value(port) < 1 || json_integer_value(port) > 65535 ||
	    !json_is_number(warn) || json_number_value(warn) < 0 ||
	    json_number_value(warn) > 36500) {
		snprintf(err, errlen, "cert is not {port, warn_days, ca_pem}");
		return -1;
	}
	co->port = (uint16_t)json_integer_value(port);
	co->warn_days = json_number_value(warn);
	if (plain(c, "ca_pem", &co->ca_pem) < 0) {
		snprintf(err, errlen, "cert.ca_pem is not a string");
		return -1;
	}
	return 0;
}

/* The list KEY of J read record by record with FROM; absent is fine. */
static int records_from(const json_t *j, const char *key,
			int (*from)(json_t *, struct evidence *),
			const char *what, struct evidence *ev, char *err,
			size_t errlen)
{
	json_t *a = json_object_get(j, key), *v;
	size_t i;
	if (!a)
		return 0;
	if (!json_is_array(a)) {
		snprintf(err, errlen, "%s is not a list", key);
		return -1;
	}
	json_array_foreach (a, i, v) {
		if (from(v, ev) < 0) {
			snprintf(err, errlen,
				 "evidence %s record %zu is not %s", key, i,
				 what);
			return -1;
		}
	}
	return 0;
}

static int refused_from(json_t *o, struct evidence *ev)
{
	const char *use = get_str(o, "use"), *zone = get_str(o, "zone");
	const char *name = get_str(o, "name"), *addr = get_str(o, "addr");
	if (!json_is_object(o) || !use || ev_use_from_name(use) < 0 || !name ||
	    !addr)
		return -1;
	return evidence_add_refused(ev, ev_use_from_name(use), zone, name,
				    addr);
}

struct evidence *evidence_from_json(const json_t *j, char *err, size_t errlen)
{
	json_t *fmt = json_object_get(j, "dnsdoctor_evidence");
	const char *domain = get_str(j, "domain");
	json_t *started = json_object_get(j, "started");
	json_t *ns = json_object_get(j, "expect_ns");
	json_t *xs = json_object_get(j, "exchanges");

	if (!json_is_object(j) || !json_is_integer(fmt)) {
		snprintf(err, errlen, "not a dnsdoctor evidence file");
		return NULL;
	}
	if (json_integer_value(fmt) != EVIDENCE_FORMAT &&
	    json_integer_value(fmt) != EVIDENCE_FORMAT_OLDEST) {
		snprintf(err, errlen, "evidence format %lld is not supported",
			 (long long)json_integer_value(fmt));
		return NULL;
	}
	if (!domain || !json_is_integer(started) || !json_is_array(xs) ||
	    (ns && !json_is_array(ns))) {
		snprintf(err, errlen,
			 "evidence is missing domain, started or exchanges");
		return NULL;
	}
	struct evidence *ev = evidence_new(domain, json_integer_value(started));
	if (!ev) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	size_t i;
	json_t *v;
	json_array_foreach (ns, i, v) {
		if (!json_is_string(v) ||
		    evidence_add_expect_ns(ev, json_string_value(v)) < 0) {
			snprintf(err, errlen, "expect_ns %zu is not a name", i);
			goto fail;
		}
	}
	if (strings_from(j, "trust_anchor", &ev->trust_anchor, err, errlen) <
		    0 ||
	    strings_from(j, "what_if_ds", &ev->what_if_ds, err, errlen) < 0 ||
	    strings_from(j, "what_if_ns", &ev->what_if_ns, err, errlen) < 0 ||
	    strings_from(j, "root_hints", &ev->root_hints, err, errlen) < 0 ||
	    strings_from(j, "resolvers", &ev->resolvers, err, errlen) < 0 ||
	    strings_from(j, "cached_cuts", &ev->cached_cuts, err, errlen) < 0 ||
	    validation_from(j, ev, err, errlen) < 0 ||
	    records_from(j, "http01", http01_from, "an HTTP-01 fetch", ev, err,
			 errlen) < 0 ||
	    cert_from(j, ev, err, errlen) < 0 ||
	    records_from(j, "tls", tls_from, "a TLS result", ev, err, errlen) <
		    0 ||
	    records_from(j, "refused", refused_from, "a refused address", ev,
			 err, errlen) < 0 ||
	    rdap_from(j, ev, err, errlen) < 0 ||
	    record_from_json(j, ev, err, errlen) < 0)
		goto fail;
	ev->refuse_private = json_is_true(json_object_get(j, "refuse_private"));
	json_t *psl = json_object_get(j, "public_suffix_labels");
	if (psl) {
		if (!json_is_integer(psl) || json_integer_value(psl) < 0 ||
		    json_integer_value(psl) > 127) {
			snprintf(err, errlen,
				 "public_suffix_labels is not a label count");
			goto fail;
		}
		ev->suffix_labels = (int)json_integer_value(psl);
	}
	if (areas_from(j, ev, err, errlen) < 0)
		goto fail;
	json_t *xw = json_object_get(j, "expiry_warn_seconds");
	if (xw) {
		if (!json_is_integer(xw) || json_integer_value(xw) < 0) {
			snprintf(err, errlen,
				 "expiry_warn_seconds is not a duration");
			goto fail;
		}
		ev->expiry_warn_s = json_integer_value(xw);
	}
	json_t *warn = json_object_get(j, "rrsig_warn_seconds");
	if (warn) {
		if (!json_is_integer(warn) || json_integer_value(warn) < 0) {
			snprintf(err, errlen,
				 "rrsig_warn_seconds is not a duration");
			goto fail;
		}
		ev->rrsig_warn_s = json_integer_value(warn);
	}
	json_array_foreach (xs, i, v) {
		struct ev_exchange x;
		if (exchange_from_json(v, &x, err, errlen, i) < 0)
			goto fail;
		int rc = evidence_add(ev, &x);
		free(x.wire);
		if (rc < 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	return ev;
fail:
	evidence_free(ev);
	return NULL;
}
