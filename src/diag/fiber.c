/* Fibers on ucontext(3) (see fiber.h for why). ASan and valgrind are told
 * of every stack switch and every stack, so the suites see through them.
 * Stacks are mmap'd with a guard page below: an overflow faults at once
 * instead of writing over the heap. A scheduler keeps the stacks of ended
 * fibers for the next ones (fleet starts one per domain): mmap, mprotect,
 * munmap and the first touch of each page cost more than a check's own
 * work in a profile of fleet. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <valgrind/valgrind.h>
#include "diag/fiber.h"
#include "engine/engine.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define ASAN_START(save, bottom, size) \
	__sanitizer_start_switch_fiber((save), (bottom), (size))
#define ASAN_FINISH(save, bottom, size) \
	__sanitizer_finish_switch_fiber((save), (bottom), (size))
#else
#define ASAN_START(save, bottom, size)		((void)(bottom), (void)(size))
#define ASAN_FINISH(save, bottom, size)		((void)(save))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

/* Stacks kept for reuse: as many as fleet's default concurrency. */
#define STACK_CACHE 64

struct fiber {
	struct fiber_sched *s;
	ucontext_t ctx;
	char *map; /* guard page, then the stack */
	size_t map_size;
	unsigned vg_id;
	fiber_fn fn;
	void (*done)(void *arg);
	void *arg;
	uint64_t *asked;
	bool urgent;
	bool finished;
	struct fiber *next;
};

struct fiber_sched {
	struct engine *eng;
	ucontext_t main;
	struct fiber *current; /* NULL: the scheduler runs */
	struct fiber *all;     /* started, not yet done */
	size_t n;
	/* The scheduler's stack, learnt on the first switch (ASan). */
	const void *main_bottom;
	size_t main_size;
	bool next_urgent; /* fiber_next_urgent */
	struct {
		char *map;
		size_t size;
	} cache[STACK_CACHE]; /* stacks of ended fibers, guard page kept */
	size_t n_cache;
};

static void *stack_of(const struct fiber *f, size_t *size)
{
	long page = sysconf(_SC_PAGESIZE);
	*size = f->map_size - (size_t)page;
	return f->map + page;
}

/* From the scheduler into F, until F waits or ends. */
static void resume(struct fiber_sched *s, struct fiber *f)
{
	void *fake = NULL;
	size_t size;
	void *bottom = stack_of(f, &size);
	s->current = f;
	s->eng->asked = f->asked;
	s->eng->urgent = f->urgent;
	ASAN_START(&fake, bottom, size);
	swapcontext(&s->main, &f->ctx);
	ASAN_FINISH(fake, NULL, NULL);
	s->eng->asked = NULL;
	s->eng->urgent = false;
	s->current = NULL;
}

/* From the running fiber F back to the scheduler; ENDING when F will
 * never be resumed (its fake stack goes with it). */
static void suspend(struct fiber_sched *s, struct fiber *f, bool ending)
{
	void *fake = NULL;
	ASAN_START(ending ? NULL : &fake, s->main_bottom, s->main_size);
	swapcontext(&f->ctx, &s->main);
	ASAN_FINISH(fake, &s->main_bottom, &s->main_size);
}

/* eng_step: on a fiber, back to the scheduler until the loop has run. */
static void yield(void *arg)
{
	struct fiber_sched *s = arg;
	if (s->current)
		suspend(s, s->current, false);
	else
		s->eng->ops->run_once(s->eng->impl);
}

static void trampoline(unsigned hi, unsigned lo)
{
	struct fiber *f =
		(struct fiber *)(((uintptr_t)hi << 32) | (uintptr_t)lo);
	struct fiber_sched *s = f->s;
	ASAN_FINISH(NULL, &s->main_bottom, &s->main_size);
	f->fn(f->arg);
	f->finished = true;
	suspend(s, f, true);
}

struct fiber_sched *fiber_sched_new(struct engine *eng)
{
	struct fiber_sched *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->eng = eng;
	eng->yield = yield;
	eng->yield_arg = s;
	return s;
}

void fiber_sched_free(struct fiber_sched *s)
{
	if (!s)
		return;
	s->eng->yield = NULL;
	s->eng->yield_arg = NULL;
	for (size_t i = 0; i < s->n_cache; i++)
		munmap(s->cache[i].map, s->cache[i].size);
	free(s);
}

static void fiber_free(struct fiber *f)
{
	struct fiber_sched *s = f->s;
	VALGRIND_STACK_DEREGISTER(f->vg_id);
	if (s->n_cache < STACK_CACHE) {
		s->cache[s->n_cache].map = f->map;
		s->cache[s->n_cache++].size = f->map_size;
	} else {
		munmap(f->map, f->map_size);
	}
	free(f);
}

/* A stack of SIZE bytes with its guard page: a kept one, or a new map. */
static char *stack_get(struct fiber_sched *s, size_t size, long page)
{
	for (size_t i = s->n_cache; i-- > 0;) {
		if (s->cache[i].size != size)
			continue;
		char *map = s->cache[i].map;
		s->cache[i] = s->cache[--s->n_cache];
		/* The last fiber's frames may have left ASan's red zones. */
		ASAN_UNPOISON_MEMORY_REGION(map + page, size - (size_t)page);
		return map;
	}
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	mprotect(map, (size_t)page, PROT_NONE);
	return map;
}

/* Frees the fibers that have ended and calls their DONE. */
static void reap(struct fiber_sched *s)
{
	for (struct fiber **pp = &s->all; *pp;) {
		struct fiber *f = *pp;
		if (!f->finished) {
			pp = &f->next;
			continue;
		}
		*pp = f->next;
		s->n--;
		void (*done)(void *) = f->done;
		void *arg = f->arg;
		fiber_free(f);
		if (done)
			done(arg);
	}
}

void fiber_next_urgent(struct fiber_sched *s)
{
	s->next_urgent = true;
}

int fiber_start(struct fiber_sched *s, fiber_fn fn, void (*done)(void *arg),
		void *arg, uint64_t *asked, size_t stack)
{
	long page = sysconf(_SC_PAGESIZE);
	bool urgent = s->next_urgent;
	s->next_urgent = false;
	struct fiber *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->map_size =
		(stack + 2 * (size_t)page - 1) / (size_t)page * (size_t)page;
	f->map = stack_get(s, f->map_size, page);
	if (!f->map) {
		free(f);
		return -ENOMEM;
	}
	size_t size;
	char *bottom = stack_of(f, &size);
	f->vg_id = VALGRIND_STACK_REGISTER(bottom, bottom + size);
	f->s = s;
	f->fn = fn;
	f->done = done;
	f->arg = arg;
	f->asked = asked;
	f->urgent = urgent;
	getcontext(&f->ctx);
	f->ctx.uc_stack.ss_sp = bottom;
	f->ctx.uc_stack.ss_size = size;
	f->ctx.uc_link = NULL;
	uintptr_t p = (uintptr_t)f;
	makecontext(&f->ctx, (void (*)(void))trampoline, 2, (unsigned)(p >> 32),
		    (unsigned)(p & 0xffffffffu));
	f->next = s->all;
	s->all = f;
	s->n++;
	resume(s, f);
	return 0;
}

size_t fiber_count(const struct fiber_sched *s)
{
	return s->n;
}

void fiber_sched_step(struct fiber_sched *s)
{
	s->eng->ops->run_once(s->eng->impl);
	for (struct fiber *f = s->all; f; f = f->next)
		if (!f->finished)
			resume(s, f);
	reap(s);
}
