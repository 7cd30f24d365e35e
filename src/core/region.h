/* A region: memory handed out in pieces from large chunks and given back
 * all at once, with cleanup hooks for the objects that live outside it
 * (ldns packets and records). A view allocates hundreds of small strings
 * and arrays and parses dozens of answers; with a region, ending the view
 * is one call, nothing it made can leak on its own, and malloc is asked a
 * few times instead of a few thousand. The design is NSD's region
 * allocator's (region-allocator.c), written anew for our needs. */
#ifndef DD_CORE_REGION_H
#define DD_CORE_REGION_H

#include <stddef.h>

struct region;

/* Called with its DATA when the region is freed. */
typedef void (*region_cleanup_fn)(void *data);

/* A new, empty region; NULL on ENOMEM. */
struct region *region_new(void);
/* Runs the cleanup hooks, last added first, then gives back every piece
 * of R. Accepts NULL. */
void region_free(struct region *r);

/* SIZE bytes aligned for any type, valid until region_free; NULL on
 * ENOMEM (or SIZE 0). region_zalloc zeroes them. */
void *region_alloc(struct region *r, size_t size);
void *region_zalloc(struct region *r, size_t size);
/* A copy of S in R; NULL on ENOMEM. */
char *region_strdup(struct region *r, const char *s);
/* Room for element N of the array ARR (N elements of SIZE bytes) that
 * only this function grows: the capacity doubles each time N reaches a
 * power of two, so the array moves (its contents copied, ARR's old
 * memory left to the region) a logarithmic number of times. Returns the
 * array, moved or not, or NULL on ENOMEM (ARR is then unchanged). */
void *region_grow_array(struct region *r, void *arr, size_t n, size_t size);

/* Calls FN(DATA) when R is freed: R owns DATA from now on. 0, or -ENOMEM
 * (FN is then not registered and the caller still owns DATA). */
int region_add_cleanup(struct region *r, region_cleanup_fn fn, void *data);

/* Bytes handed out and bytes obtained from malloc for them (chunks and
 * large pieces), for tests and the bench. */
void region_usage(const struct region *r, size_t *used, size_t *reserved);

#endif
