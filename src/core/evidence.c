#include <errno.h>
#include <stdlib.h>
#include <string.h>
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
};

const char *ev_role_name(int role)
{
	return names_word(role_names, EV_ROLE__COUNT, role, "unknown");
}

int ev_role_from_name(const char *name)
{
	return names_value(role_names, EV_ROLE__COUNT, name, -1);
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

void evidence_free(struct evidence *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; i < ev->n_ex; i++)
		exchange_clear(&ev->ex[i]);
	for (size_t i = 0; i < ev->n_expect_ns; i++)
		free(ev->expect_ns[i]);
	free(ev->expect_ns);
	ev_strings_clear(&ev->trust_anchor);
	ev_strings_clear(&ev->what_if_ds);
	ev_strings_clear(&ev->root_hints);
	ev_strings_clear(&ev->resolvers);
	ev_strings_clear(&ev->cached_cuts);
	ev_strings_clear(&ev->validation);
	ev_strings_clear(&ev->http01);
	ev_strings_clear(&ev->cert);
	ev_strings_clear(&ev->tls);
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
