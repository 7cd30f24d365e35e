#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/array.h"
#include "core/dnsmsg.h"
#include "core/evidence.h"
#include "core/names.h"

static const char *const role_names[EV_ROLE__COUNT] = {
	[EV_WALK] = "walk",
	[EV_RESOLVE] = "resolve",
	[EV_AUTH] = "auth",
	[EV_DNSSEC] = "dnssec",
	[EV_RESOLVER] = "resolver",
	[EV_AUTH_NOEDNS] = "auth-noedns",
	[EV_VALIDATION] = "validation",
	[EV_RECORD] = "record",
	[EV_RECORD_RESOLVER] = "record-resolver",
	[EV_RESOLVER_ALIVE] = "resolver-alive",
	[EV_BEHAVIOUR] = "behaviour",
};

const char *ev_role_name(int role)
{
	return names_word(role_names, EV_ROLE__COUNT, role, "unknown");
}

int ev_role_from_name(const char *name)
{
	return names_value(role_names, EV_ROLE__COUNT, name, -1);
}

static const char *const area_names[] = { "delegation", "dnssec", "acme",
					  "caa" };

const char *ev_area_name(unsigned area)
{
	for (size_t i = 0; i < sizeof(area_names) / sizeof(area_names[0]); i++)
		if (area == 1u << i)
			return area_names[i];
	return NULL;
}

int ev_areas_parse(const char *list, unsigned *areas, char *bad, size_t badlen)
{
	*areas = 0;
	while (*list) {
		size_t n = strcspn(list, ",");
		size_t i = 0;
		while (i < sizeof(area_names) / sizeof(area_names[0]) &&
		       (strlen(area_names[i]) != n ||
			strncmp(area_names[i], list, n) != 0))
			i++;
		if (i == sizeof(area_names) / sizeof(area_names[0])) {
			snprintf(bad, badlen, "%.*s", (int)(n < 40 ? n : 40),
				 list);
			return -1;
		}
		*areas |= 1u << i;
		list += n + (list[n] == ',');
	}
	if (!*areas) {
		snprintf(bad, badlen, "%s", "");
		return -1;
	}
	return 0;
}

struct evidence *evidence_new(const char *domain, int64_t started)
{
	struct evidence *ev = calloc(1, sizeof(*ev));
	if (!ev)
		return NULL;
	ev->domain = strdup(domain);
	if (!ev->domain) {
		free(ev);
		return NULL;
	}
	ev->started = started;
	ev->rrsig_warn_s = EV_RRSIG_WARN_DEFAULT;
	return ev;
}

int ev_strings_add(struct ev_strings *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	if (!(v[l->n] = strdup(s)))
		return -ENOMEM;
	l->n++;
	return 0;
}

static void ev_strings_clear(struct ev_strings *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void exchange_clear(struct ev_exchange *x)
{
	free(x->zone);
	free(x->server);
	free(x->addr);
	free(x->qname);
	free(x->wire);
}

static void validation_clear(struct ev_validation *v)
{
	free(v->ca);
	free(v->challenge);
	free(v->txt);
	free(v->account_uri);
	free(v->token);
	free(v->key_auth);
	for (size_t i = 0; i < v->n_acm; i++) {
		free(v->acm[i].name);
		free(v->acm[i].target);
	}
	free(v->acm);
}

static void http01_clear(struct ev_http01 *h)
{
	free(h->addr);
	free(h->start);
	free(h->url);
	free(h->location);
	free(h->detail);
	free(h->body);
}

void ev_rdap_free(struct ev_rdap *r)
{
	if (!r)
		return;
	free(r->bootstrap);
	free(r->boot_error);
	free(r->url);
	free(r->final_url);
	free(r->content_type);
	free(r->detail);
	free(r->body);
	free(r);
}

static void tls_clear(struct ev_tls *t)
{
	free(t->addr);
	free(t->host);
	free(t->detail);
	for (size_t i = 0; i < t->n; i++)
		free(t->der[i]);
	free(t->der);
	free(t->der_len);
}

/* A copy of S, or NULL for NULL; *BAD set when the copy failed. */
static char *dup_or_null(const char *s, bool *bad)
{
	char *c = s ? strdup(s) : NULL;
	if (s && !c)
		*bad = true;
	return c;
}

int ev_set_string(char **field, const char *s)
{
	char *c = strdup(s);
	if (!c)
		return -ENOMEM;
	free(*field);
	*field = c;
	return 0;
}

int evidence_add_acm(struct evidence *ev, const char *name, const char *target)
{
	struct ev_validation *v = &ev->validation;
	if (ARRAY_RESERVE(v->acm, v->cap_acm, v->n_acm + 1) < 0)
		return -ENOMEM;
	struct ev_acm *a = v->acm;
	a[v->n_acm] = (struct ev_acm){ strdup(name), strdup(target) };
	if (!a[v->n_acm].name || !a[v->n_acm].target) {
		free(a[v->n_acm].name);
		free(a[v->n_acm].target);
		return -ENOMEM;
	}
	v->n_acm++;
	return 0;
}

int ev_validation_copy(struct evidence *dst, const struct ev_validation *src)
{
	struct ev_validation *v = &dst->validation;
	const char *from[] = { src->ca,		 src->challenge, src->txt,
			       src->account_uri, src->token,	 src->key_auth };
	char **to[] = { &v->ca,		 &v->challenge, &v->txt,
			&v->account_uri, &v->token,	&v->key_auth };
	v->acme = src->acme;
	v->wildcard = src->wildcard;
	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++)
		if (from[i] && ev_set_string(to[i], from[i]) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < src->n_acm; i++)
		if (evidence_add_acm(dst, src->acm[i].name,
				     src->acm[i].target) < 0)
			return -ENOMEM;
	return 0;
}

int evidence_add_http01(struct evidence *ev, const struct ev_http01 *h)
{
	if (ARRAY_RESERVE(ev->http01, ev->cap_http01, ev->n_http01 + 1) < 0)
		return -ENOMEM;
	bool bad = false;
	struct ev_http01 c = *h;
	c.addr = dup_or_null(h->addr, &bad);
	c.start = dup_or_null(h->start, &bad);
	c.url = dup_or_null(h->url, &bad);
	c.location = dup_or_null(h->location, &bad);
	c.detail = dup_or_null(h->detail, &bad);
	c.body = malloc(h->body_len + 1);
	if (c.body) {
		if (h->body_len)
			memcpy(c.body, h->body, h->body_len);
		c.body[h->body_len] = '\0';
	}
	if (bad || !c.body) {
		http01_clear(&c);
		return -ENOMEM;
	}
	ev->http01[ev->n_http01++] = c;
	return 0;
}

int evidence_add_tls(struct evidence *ev, const struct ev_tls *t)
{
	if (ARRAY_RESERVE(ev->tls, ev->cap_tls, ev->n_tls + 1) < 0)
		return -ENOMEM;
	bool bad = false;
	struct ev_tls c = { .port = t->port, .status = t->status };
	c.addr = dup_or_null(t->addr, &bad);
	c.host = dup_or_null(t->host, &bad);
	c.detail = dup_or_null(t->detail, &bad);
	c.der = calloc(t->n ? t->n : 1, sizeof(*c.der));
	c.der_len = calloc(t->n ? t->n : 1, sizeof(*c.der_len));
	bad |= !c.der || !c.der_len;
	for (size_t i = 0; !bad && i < t->n; i++, c.n++) {
		if (!(c.der[i] = malloc(t->der_len[i] ? t->der_len[i] : 1))) {
			bad = true;
			break;
		}
		if (t->der_len[i])
			memcpy(c.der[i], t->der[i], t->der_len[i]);
		c.der_len[i] = t->der_len[i];
	}
	if (bad) {
		tls_clear(&c);
		return -ENOMEM;
	}
	ev->tls[ev->n_tls++] = c;
	return 0;
}

static const char *const use_names[EV_USE__COUNT] = {
	[EV_USE_DNS] = "dns",
	[EV_USE_HTTP] = "http",
	[EV_USE_TLS] = "tls",
};

const char *ev_use_name(int use)
{
	return names_word(use_names, EV_USE__COUNT, use, "unknown");
}

int ev_use_from_name(const char *name)
{
	return names_value(use_names, EV_USE__COUNT, name, -1);
}

int evidence_add_refused(struct evidence *ev, int use, const char *zone,
			 const char *name, const char *addr)
{
	if (!zone)
		zone = "";
	for (size_t i = 0; i < ev->n_refused; i++) {
		const struct ev_refused *r = &ev->refused[i];
		if (r->use == use && strcmp(r->zone, zone) == 0 &&
		    strcmp(r->name, name) == 0 && strcmp(r->addr, addr) == 0)
			return 0;
	}
	if (ARRAY_RESERVE(ev->refused, ev->cap_refused, ev->n_refused + 1) < 0)
		return -ENOMEM;
	struct ev_refused r = { .use = use,
				.zone = strdup(zone),
				.name = strdup(name),
				.addr = strdup(addr) };
	if (!r.zone || !r.name || !r.addr) {
		free(r.zone);
		free(r.name);
		free(r.addr);
		return -ENOMEM;
	}
	ev->refused[ev->n_refused++] = r;
	return 0;
}

void evidence_free(struct evidence *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; i < ev->n_refused; i++) {
		free(ev->refused[i].zone);
		free(ev->refused[i].name);
		free(ev->refused[i].addr);
	}
	free(ev->refused);
	for (size_t i = 0; i < ev->n_ex; i++)
		exchange_clear(&ev->ex[i]);
	for (size_t i = 0; i < ev->n_expect_ns; i++)
		free(ev->expect_ns[i]);
	free(ev->expect_ns);
	ev_strings_clear(&ev->trust_anchor);
	ev_strings_clear(&ev->what_if_ds);
	ev_strings_clear(&ev->what_if_ns);
	ev_strings_clear(&ev->root_hints);
	ev_strings_clear(&ev->resolvers);
	ev_strings_clear(&ev->cached_cuts);
	ev_strings_clear(&ev->record_expect_more);
	validation_clear(&ev->validation);
	for (size_t i = 0; i < ev->n_http01; i++)
		http01_clear(&ev->http01[i]);
	free(ev->http01);
	free(ev->cert.ca_pem);
	for (size_t i = 0; i < ev->n_tls; i++)
		tls_clear(&ev->tls[i]);
	free(ev->tls);
	for (size_t i = 0; i < ev->pkt_cap; i++)
		ldns_pkt_free(ev->pkt[i]);
	free(ev->pkt);
	free(ev->pkt_parsed);
	ev_rdap_free(ev->rdap);
	free(ev->ex);
	free(ev->domain);
	free(ev->command);
	free(ev->record_name);
	free(ev->record_expect);
	free(ev->ex_index);
	free(ev);
}

int evidence_add_expect_ns(struct evidence *ev, const char *name)
{
	char **v = realloc(ev->expect_ns, (ev->n_expect_ns + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	ev->expect_ns = v;
	v[ev->n_expect_ns] = strdup(name);
	if (!v[ev->n_expect_ns])
		return -ENOMEM;
	ev->n_expect_ns++;
	return 0;
}

static int str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int same_question(const struct ev_exchange *a,
			 const struct ev_exchange *b)
{
	return a->role == b->role && a->transport == b->transport &&
	       a->qtype == b->qtype && a->qflags == b->qflags &&
	       str_eq(a->zone, b->zone) && str_eq(a->server, b->server) &&
	       str_eq(a->addr, b->addr) && str_eq(a->qname, b->qname);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (s = s ? s : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL; /* "a" "bc" is not "ab" "c" */
}

/* FNV-1a over what same_question compares. */
static uint64_t question_hash(const struct ev_exchange *x)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint32_t nums[4] = { (uint32_t)x->role, (uint32_t)x->transport,
			     x->qtype, (uint32_t)x->qflags };
	for (size_t i = 0; i < sizeof(nums); i++)
		h = (h ^ ((const unsigned char *)nums)[i]) * 0x100000001b3ULL;
	h = hash_str(h, x->zone);
	h = hash_str(h, x->server);
	h = hash_str(h, x->addr);
	return hash_str(h, x->qname);
}

/* The slot of X's question in the index: where it is, or the empty one
 * where it would go. */
static size_t *index_slot(const struct evidence *ev,
			  const struct ev_exchange *x)
{
	size_t mask = ev->ex_index_cap - 1, i = (size_t)question_hash(x) & mask;
	while (ev->ex_index[i] &&
	       !same_question(&ev->ex[ev->ex_index[i] - 1], x))
		i = (i + 1) & mask;
	return &ev->ex_index[i];
}

/* Keeps the index at most half full. 0 or -ENOMEM. */
static int index_reserve(struct evidence *ev, size_t n)
{
	if (2 * n <= ev->ex_index_cap)
		return 0;
	size_t cap = ev->ex_index_cap ? ev->ex_index_cap : 128;
	while (2 * n > cap)
		cap *= 2;
	size_t *idx = calloc(cap, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	free(ev->ex_index);
	ev->ex_index = idx;
	ev->ex_index_cap = cap;
	for (size_t i = 0; i < ev->n_ex; i++)
		*index_slot(ev, &ev->ex[i]) = i + 1;
	return 0;
}

const ldns_pkt *evidence_pkt(const struct evidence *cev, size_t i)
{
	/* The memo changes nothing a reader of the evidence sees. */
	struct evidence *ev = (struct evidence *)cev;
	if (i >= ev->n_ex || ev->ex[i].status != QS_OK)
		return NULL;
	const struct ev_exchange *x = &ev->ex[i];
	if (i >= ev->pkt_cap) {
		size_t cap = ev->cap_ex > i ? ev->cap_ex : i + 1;
		ldns_pkt **p = realloc(ev->pkt, cap * sizeof(*p));
		if (!p)
			return NULL;
		ev->pkt = p;
		unsigned char *d = realloc(ev->pkt_parsed, cap);
		if (!d)
			return NULL;
		ev->pkt_parsed = d;
		memset(p + ev->pkt_cap, 0, (cap - ev->pkt_cap) * sizeof(*p));
		memset(d + ev->pkt_cap, 0, cap - ev->pkt_cap);
		ev->pkt_cap = cap;
	}
	/* Without memory the answer is taken as one that does not parse:
	 * what dmsg_parse says when ldns runs out of memory. */
	if (!ev->pkt_parsed[i]) {
		ev->pkt[i] = dmsg_parse(x->wire, x->wire_len);
		ev->pkt_parsed[i] = 1;
	}
	return ev->pkt[i];
}

int evidence_add(struct evidence *ev, const struct ev_exchange *x)
{
	if (index_reserve(ev, ev->n_ex + 1) < 0)
		return -ENOMEM;
	size_t *slot = index_slot(ev, x);
	if (*slot)
		return 0;
	if (ev->n_ex == ev->cap_ex) {
		size_t cap = ev->cap_ex ? ev->cap_ex * 2 : 64;
		struct ev_exchange *v = realloc(ev->ex, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ev->ex = v;
		ev->cap_ex = cap;
	}
	struct ev_exchange *y = &ev->ex[ev->n_ex];
	*y = *x;
	y->zone = dup_or_empty(x->zone);
	y->server = dup_or_empty(x->server);
	y->addr = dup_or_empty(x->addr);
	y->qname = dup_or_empty(x->qname);
	y->wire = NULL;
	if (x->wire && x->wire_len) {
		y->wire = malloc(x->wire_len);
		if (y->wire)
			memcpy(y->wire, x->wire, x->wire_len);
	}
	if (!y->zone || !y->server || !y->addr || !y->qname ||
	    (x->wire_len && !y->wire)) {
		exchange_clear(y);
		return -ENOMEM;
	}
	*slot = ++ev->n_ex;
	return 0;
}
