/* Growing arrays by doubling: appends cost amortised O(1) copies, where a
 * realloc per element costs O(n) each. */
#ifndef DD_CORE_ARRAY_H
#define DD_CORE_ARRAY_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for at least N elements of SIZE in the array whose pointer
 * is at VP (any object pointer type), of capacity *CAP. 0, or -ENOMEM with
 * the array and *CAP untouched. The pointer is copied through memcpy, so
 * it may be of any object pointer type. */
static inline int array_reserve_(void *vp, size_t *cap, size_t n, size_t size)
{
	void *v, *nv;
	size_t nc = *cap ? *cap : 8;
	if (n <= *cap)
		return 0;
	while (nc < n) {
		if (nc > SIZE_MAX / 2 / size)
			return -ENOMEM;
		nc *= 2;
	}
	memcpy(&v, vp, sizeof(v));
	if (!(nv = realloc(v, nc * size)))
		return -ENOMEM;
	memcpy(vp, &nv, sizeof(nv));
	*cap = nc;
	return 0;
}

/* ARRAY_RESERVE(p->items, p->cap_items, p->n_items + 1) */
#define ARRAY_RESERVE(v, cap, n) array_reserve_(&(v), &(cap), (n), sizeof(*(v)))

#endif
