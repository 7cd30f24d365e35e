#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/evidence_json.h"

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
	if (o && x->qflags &&
	    json_object_set_new(o, "qflags", json_integer(x->qflags)) < 0) {
		json_decref(o);
		return NULL;
	}
	if (o && x->wire) {
		json_t *h = ev_hex_json(x->wire, x->wire_len);
		if (!h || json_object_set_new(o, "wire", h) < 0) {
			json_decref(o);
			return NULL;
		}
	}
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
	return 0;
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
	/* Only when set, so evidence without --acme/--acm stays as it was. */
	if (o && ev->validation.n &&
	    json_object_set_new(o, "validation",
				strings_json(&ev->validation)) < 0) {
		json_decref(o);
		return NULL;
	}
	if (o && ev->root_hints.n &&
	    json_object_set_new(o, "root_hints",
				strings_json(&ev->root_hints)) < 0) {
		json_decref(o);
		return NULL;
	}
	if (o && ev->cached_cuts.n &&
	    json_object_set_new(o, "cached_cuts",
				strings_json(&ev->cached_cuts)) < 0) {
		json_decref(o);
		return NULL;
	}
	if (o && ev->resolvers.n &&
	    json_object_set_new(o, "resolvers", strings_json(&ev->resolvers)) <
		    0) {
		json_decref(o);
		return NULL;
	}
	if (o && ev->http01.n &&
	    json_object_set_new(o, "http01", strings_json(&ev->http01)) < 0) {
		json_decref(o);
		return NULL;
	}
	if (o && ev->cert.n &&
	    (json_object_set_new(o, "cert", strings_json(&ev->cert)) < 0 ||
	     json_object_set_new(o, "tls", strings_json(&ev->tls)) < 0)) {
		json_decref(o);
		return NULL;
	}
	if (o && ev->suffix_labels &&
	    json_object_set_new(o, "public_suffix_labels",
				json_integer(ev->suffix_labels)) < 0) {
		json_decref(o);
		return NULL;
	}
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
	if (json_integer_value(fmt) != EVIDENCE_FORMAT) {
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
	    strings_from(j, "root_hints", &ev->root_hints, err, errlen) < 0 ||
	    strings_from(j, "resolvers", &ev->resolvers, err, errlen) < 0 ||
	    strings_from(j, "cached_cuts", &ev->cached_cuts, err, errlen) < 0 ||
	    strings_from(j, "validation", &ev->validation, err, errlen) < 0 ||
	    strings_from(j, "http01", &ev->http01, err, errlen) < 0 ||
	    strings_from(j, "cert", &ev->cert, err, errlen) < 0 ||
	    strings_from(j, "tls", &ev->tls, err, errlen) < 0 ||
	    record_from_json(j, ev, err, errlen) < 0)
		goto fail;
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
