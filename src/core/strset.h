/* A small sorted set of owned strings: NS name lists, address lists. */
#ifndef DD_CORE_STRSET_H
#define DD_CORE_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct region;

struct strset {
	char **v;
	size_t n, cap;
	struct region *region; /* where V and its strings live; NULL: malloc */
};

void strset_init(struct strset *s);
/* A set whose array and strings are allocated in R and live as long as R:
 * strset_deinit only empties it. */
void strset_init_in(struct strset *s, struct region *r);
void strset_deinit(struct strset *s);
/* Adds a copy of STR unless present. 0 or -ENOMEM. */
int strset_add(struct strset *s, const char *str);
int strset_add_all(struct strset *s, const struct strset *from);
bool strset_has(const struct strset *s, const char *str);
bool strset_equal(const struct strset *a, const struct strset *b);
/* Joins with SEP into a new string ("" for an empty set); NULL on ENOMEM. */
char *strset_join(const struct strset *s, const char *sep);

#endif
