/* The region allocator (region.h): bump allocation in chunks, a block of
 * its own for each large piece, and a list of cleanup hooks kept in the
 * region itself. */
#include <errno.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/region.h"

/* Small pieces share chunks of this size. A piece larger than a quarter
 * of it gets a block of its own, so that starting a new chunk never leaves
 * more than a quarter of the old one unused. */
#define CHUNK_SIZE  8192
#define LARGE_PIECE (CHUNK_SIZE / 4)
#define ALIGN	    alignof(max_align_t)

struct block {
	struct block *next;
	size_t size;	    /* bytes of data */
	max_align_t data[]; /* max_align_t: any type may be stored */
};

struct cleanup {
	struct cleanup *next;
	region_cleanup_fn fn;
	void *data;
};

/* Lives at the start of its first chunk: a region costs one malloc until
 * it outgrows that chunk. */
struct region {
	struct block *chunks; /* the one being filled first; the first chunk,
			       * which holds this struct, last */
	struct block *large;
	size_t fill;		  /* bytes taken in chunks->data */
	struct cleanup *cleanups; /* last added first */
	size_t used, reserved;	  /* region_usage */
};

static struct block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct block))
		return NULL;
	struct block *b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	return b;
}

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(ALIGN - 1);
}

struct region *region_new(void)
{
	struct block *b = block_new(CHUNK_SIZE);
	if (!b)
		return NULL;
	struct region *r = (struct region *)b->data;
	memset(r, 0, sizeof(*r));
	r->chunks = b;
	r->fill = round_up(sizeof(*r));
	r->reserved = sizeof(*b) + CHUNK_SIZE;
	return r;
}

void region_free(struct region *r)
{
	if (!r)
		return;
	for (struct cleanup *c = r->cleanups; c; c = c->next)
		c->fn(c->data);
	for (struct block *b = r->large, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	/* R itself is in the last chunk: each block's next is read from the
	 * block, never from R, once that chunk may be gone. */
	for (struct block *b = r->chunks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
}

void *region_alloc(struct region *r, size_t size)
{
	if (size == 0 || size > SIZE_MAX - ALIGN)
		return NULL;
	size_t n = round_up(size);
	if (n > LARGE_PIECE) {
		struct block *b = block_new(n);
		if (!b)
			return NULL;
		b->next = r->large;
		r->large = b;
		r->used += n;
		r->reserved += sizeof(*b) + n;
		return b->data;
	}
	if (n > CHUNK_SIZE - r->fill) {
		struct block *b = block_new(CHUNK_SIZE);
		if (!b)
			return NULL;
		b->next = r->chunks;
		r->chunks = b;
		r->fill = 0;
		r->reserved += sizeof(*b) + CHUNK_SIZE;
	}
	void *p = (unsigned char *)r->chunks->data + r->fill;
	r->fill += n;
	r->used += n;
	return p;
}

void *region_zalloc(struct region *r, size_t size)
{
	void *p = region_alloc(r, size);
	if (p)
		memset(p, 0, size);
	return p;
}

char *region_strdup(struct region *r, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = region_alloc(r, n);
	if (p)
		memcpy(p, s, n);
	return p;
}

void *region_grow_array(struct region *r, void *arr, size_t n, size_t size)
{
	/* The capacity is the least power of two >= N (N > 0): room is left
	 * unless N is 0 or a power of two itself. */
	if (n & (n - 1))
		return arr;
	if (size == 0 || n > SIZE_MAX / 2 / size)
		return NULL;
	size_t cap = n ? 2 * n : 1;
	void *p = region_alloc(r, cap * size);
	if (p && n)
		memcpy(p, arr, n * size);
	return p;
}

int region_add_cleanup(struct region *r, region_cleanup_fn fn, void *data)
{
	struct cleanup *c = region_alloc(r, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fn = fn;
	c->data = data;
	c->next = r->cleanups;
	r->cleanups = c;
	return 0;
}

void region_usage(const struct region *r, size_t *used, size_t *reserved)
{
	*used = r->used;
	*reserved = r->reserved;
}
