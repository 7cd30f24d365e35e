#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/region.h"
#include "core/strset.h"

void strset_init(struct strset *s)
{
	memset(s, 0, sizeof(*s));
}

void strset_init_in(struct strset *s, struct region *r)
{
	memset(s, 0, sizeof(*s));
	s->region = r;
}

void strset_deinit(struct strset *s)
{
	for (size_t i = 0; !s->region && i < s->n; i++)
		free(s->v[i]);
	if (!s->region)
		free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Room for CAP strings; 0 or -ENOMEM. */
static int grow(struct strset *s, size_t cap)
{
	char **v;
	if (!s->region) {
		v = realloc(s->v, cap * sizeof(*v));
	} else if ((v = region_alloc(s->region, cap * sizeof(*v))) && s->n) {
		memcpy(v, s->v, s->n * sizeof(*v));
	}
	if (!v)
		return -ENOMEM;
	s->v = v;
	s->cap = cap;
	return 0;
}

/* Index of the first element >= STR. */
static size_t lower_bound(const struct strset *s, const char *str)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->v[mid], str) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool strset_has(const struct strset *s, const char *str)
{
	size_t i = lower_bound(s, str);
	return i < s->n && strcmp(s->v[i], str) == 0;
}

int strset_add(struct strset *s, const char *str)
{
	size_t i = lower_bound(s, str);
	if (i < s->n && strcmp(s->v[i], str) == 0)
		return 0;
	if (s->n == s->cap && grow(s, s->cap ? s->cap * 2 : 4) < 0)
		return -ENOMEM;
	char *copy = s->region ? region_strdup(s->region, str) : strdup(str);
	if (!copy)
		return -ENOMEM;
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
	s->v[i] = copy;
	s->n++;
	return 0;
}

int strset_add_all(struct strset *s, const struct strset *from)
{
	for (size_t i = 0; i < from->n; i++)
		if (strset_add(s, from->v[i]) < 0)
			return -ENOMEM;
	return 0;
}

bool strset_equal(const struct strset *a, const struct strset *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

char *strset_join(const struct strset *s, const char *sep)
{
	size_t len = 1, seplen = strlen(sep);
	for (size_t i = 0; i < s->n; i++)
		len += strlen(s->v[i]) + seplen;
	char *out = malloc(len), *p = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		size_t l = strlen(s->v[i]);
		if (i) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, s->v[i], l);
		p += l;
	}
	*p = '\0';
	return out;
}
