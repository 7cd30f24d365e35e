/* Fibers: many diagnoses in flight on one engine, each written as the
 * straight-line code it is (ask, wait, judge), each on its own stack.
 *
 * The probe waits by calling eng_step; alone that runs the loop once, on a
 * fiber it switches back to the scheduler, which runs the loop once for
 * everyone and resumes the fibers in turn. Written on ucontext(3) rather
 * than turning the probe into callbacks: the probe stays as readable as it
 * is, and a fiber costs one stack. */
#ifndef DD_DIAG_FIBER_H
#define DD_DIAG_FIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct engine;
struct fiber;
struct fiber_sched;

typedef void (*fiber_fn)(void *arg);

/* A scheduler over ENG: while one runs, ENG's waits yield to it. NULL
 * when out of memory. */
struct fiber_sched *fiber_sched_new(struct engine *eng);
/* Accepts NULL. Every fiber must have finished. */
void fiber_sched_free(struct fiber_sched *s);

/* Starts FN(ARG) on a new fiber of STACK bytes: it runs until its first
 * wait, then returns here. While it runs, the engine counts the questions
 * it asks into *ASKED (when not NULL). DONE(ARG) is called from
 * fiber_sched_step once FN has returned; it must not start fibers itself. 0 or
 * -ENOMEM. */
int fiber_start(struct fiber_sched *s, fiber_fn fn, void (*done)(void *arg),
		void *arg, uint64_t *asked, size_t stack);

/* Marks the fiber now starting (call right before fiber_start) as one
 * someone waits for: while it runs, its questions are ENG_F_URGENT. */
void fiber_next_urgent(struct fiber_sched *s);

/* Fibers started and not yet done. */
size_t fiber_count(const struct fiber_sched *s);

/* Runs the engine's loop once and resumes every waiting fiber once; the
 * DONE callbacks of those that finished are called. */
void fiber_sched_step(struct fiber_sched *s);

#endif
