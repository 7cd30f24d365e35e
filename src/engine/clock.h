/* Monotonic time arithmetic. Pure functions: the clock itself is read by the
 * engine (uv_hrtime) and passed in, so every line here is unit-tested.
 *
 * massdns's timespec_diff() turns a 0.2 s interval into 2.0 s by gluing the
 * nanosecond field onto the seconds; these functions convert through one
 * unit (nanoseconds or milliseconds) and never go negative or wrap. */
#ifndef DD_ENGINE_CLOCK_H
#define DD_ENGINE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define CLK_NS_PER_MS UINT64_C(1000000)
#define CLK_NS_PER_S  UINT64_C(1000000000)

/* A + B, or UINT64_MAX when the sum would not fit. */
static inline uint64_t clk_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Time from START to NOW; 0 when NOW is before START (a clock that went
 * backwards, or stamps taken out of order), never a huge unsigned value. */
static inline uint64_t clk_elapsed(uint64_t start, uint64_t now)
{
	return now > start ? now - start : 0;
}

/* Time left until DEADLINE; 0 once it has passed. */
static inline uint64_t clk_remaining(uint64_t deadline, uint64_t now)
{
	return deadline > now ? deadline - now : 0;
}

static inline bool clk_reached(uint64_t deadline, uint64_t now)
{
	return now >= deadline;
}

/* A deadline TIMEOUT after NOW; saturates instead of wrapping into the past. */
static inline uint64_t clk_deadline(uint64_t now, uint64_t timeout)
{
	return clk_add_sat(now, timeout);
}

/* Elapsed ticks of a free-running 32-bit counter that may wrap once between
 * the two readings (modular subtraction is exact for intervals < 2^32). */
static inline uint32_t clk_elapsed32(uint32_t start, uint32_t now)
{
	return (uint32_t)(now - start);
}

/* Nanoseconds to whole milliseconds (truncating). */
static inline uint64_t clk_ns_to_ms(uint64_t ns)
{
	return ns / CLK_NS_PER_MS;
}

/* A millisecond count clamped into 32 bits (RTTs are stored as uint32_t). */
static inline uint32_t clk_ms_u32(uint64_t ms)
{
	return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

/* A timespec as nanoseconds; negative or out-of-range fields give 0 or
 * saturate. */
static inline uint64_t clk_ts_to_ns(const struct timespec *ts)
{
	uint64_t s, ns;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0)
		return 0;
	s = (uint64_t)ts->tv_sec;
	ns = (uint64_t)ts->tv_nsec;
	if (s > UINT64_MAX / CLK_NS_PER_S)
		return UINT64_MAX;
	return clk_add_sat(s * CLK_NS_PER_S, ns);
}

/* Milliseconds from timespec A to timespec B; 0 when B is before A. */
static inline uint64_t clk_ts_diff_ms(const struct timespec *a,
				      const struct timespec *b)
{
	return clk_ns_to_ms(clk_elapsed(clk_ts_to_ns(a), clk_ts_to_ns(b)));
}

#endif
