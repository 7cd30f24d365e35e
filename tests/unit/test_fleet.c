/* fleet's pieces: the shard hash (pinned: machines must agree), the input
 * lines, the rows of a cut-off run, and fibers taking turns on one engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "core/evidence.h"
#include "core/shard.h"
#include "diag/fiber.h"
#include "diag/fleet_input.h"
#include "engine/engine.h"

static void test_shard_hash_pinned(void **state)
{
	(void)state;
	/* FNV-1a 64's published test vectors. */
	assert_true(shard_hash("", 0) == 0xcbf29ce484222325ull);
	assert_true(shard_hash("a", 1) == 0xaf63dc4c8601ec8cull);
	assert_true(shard_hash("foobar", 6) == 0x85944171f73967e8ull);
	/* A line's shard never changes between machines or releases. */
	assert_int_equal(shard_of("example.com", 11, 4),
			 (unsigned)(shard_hash("example.com", 11) % 4));
	unsigned seen[4] = { 0 };
	char name[32];
	for (int i = 0; i < 4000; i++) {
		int n = snprintf(name, sizeof(name), "d%d.example", i);
		seen[shard_of(name, (size_t)n, 4)]++;
	}
	for (int k = 0; k < 4; k++) /* each share near a quarter */
		assert_true(seen[k] > 800 && seen[k] < 1200);
}

static void test_shard_parse(void **state)
{
	(void)state;
	unsigned k, n;
	assert_int_equal(shard_parse("0/4", &k, &n), 0);
	assert_int_equal(k, 0);
	assert_int_equal(n, 4);
	assert_int_equal(shard_parse("3/4", &k, &n), 0);
	assert_int_equal(k, 3);
	static const char *const bad[] = { "4/4",	   "1/0",  "-1/4",
					   "1/",	   "/4",   "a/b",
					   "1/4x",	   "1 /4", "",
					   "99999999999/4" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(shard_parse(bad[i], &k, &n), -1);
}

static FILE *text_file(const char *text, size_t len)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	rewind(f);
	return f;
}

static void test_lines(void **state)
{
	(void)state;
	static const char in[] = "# header\n"
				 "\n"
				 "  a.example  --acme   # customer 7\r\n"
				 "b.example\tx\n"
				 "   # indented comment\n"
				 "nul\0here\n"
				 "last-without-newline";
	FILE *f = text_file(in, sizeof(in) - 1);
	struct fleet_line *l = calloc(1, sizeof(*l));
	assert_non_null(l);
	assert_int_equal(fleet_line_read(f, l), 0); /* comment */
	assert_int_equal(fleet_line_read(f, l), 0); /* blank */
	assert_int_equal(fleet_line_read(f, l), 1);
	assert_int_equal(l->no, 3);
	assert_string_equal(l->text, "a.example  --acme");
	assert_int_equal(l->n_tok, 2);
	assert_string_equal(l->tok[0], "a.example");
	assert_string_equal(l->tok[1], "--acme");
	assert_int_equal(fleet_line_read(f, l), 1);
	assert_int_equal(l->n_tok, 2);
	assert_string_equal(l->tok[1], "x");
	assert_int_equal(fleet_line_read(f, l), 0);
	assert_int_equal(fleet_line_read(f, l), 1);
	assert_string_equal(l->text, "nul?here"); /* a NUL stays visible */
	assert_int_equal(fleet_line_read(f, l), 1);
	assert_int_equal(l->no, 7);
	assert_string_equal(l->tok[0], "last-without-newline");
	assert_int_equal(fleet_line_read(f, l), -1);
	fclose(f);

	/* Too long, and too many words: one row each, never cut silently. */
	size_t big = FLEET_LINE_MAX + 100;
	char *long_line = malloc(big + 1);
	memset(long_line, 'a', big);
	long_line[big] = '\n';
	f = text_file(long_line, big + 1);
	l->no = 0;
	assert_int_equal(fleet_line_read(f, l), 1);
	assert_true(l->too_long);
	assert_int_equal(fleet_line_read(f, l), -1);
	fclose(f);
	free(long_line);
	char words[141];
	for (int i = 0; i < 70; i++)
		memcpy(words + 2 * i, "w ", 2);
	words[140] = '\0';
	f = text_file(words, strlen(words));
	assert_int_equal(fleet_line_read(f, l), 1);
	assert_true(l->too_many);
	fclose(f);
	free(l);
}

static void test_done_from_cut_off_output(void **state)
{
	(void)state;
	char path[] = "/tmp/dnsdoctor-test-fleet-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char rows[] = "{\"line\":2,\"domain\":\"a.\",\"exit\":0}\n"
				   "{\"line\":5,\"domain\":\"b.\",\"exit\":3,"
				   "\"interrupted\":true}\n"
				   "not json\n"
				   "{\"line\":2,\"domain\":\"a.\",\"exit\":0}\n"
				   "{\"line\":9,\"input\":\"x "
				   "y\",\"error\":\"e\",\"exit\":3}\n"
				   "{\"line\":11,\"domain\":\"c.\",\"ex";
	assert_int_equal(write(fd, rows, sizeof(rows) - 1),
			 (ssize_t)(sizeof(rows) - 1));
	close(fd);
	struct fleet_done d;
	char err[200];
	assert_int_equal(fleet_done_load(&d, path, err, sizeof(err)), 0);
	assert_int_equal(d.count, 2);
	assert_true(fleet_done_has(&d, 2));
	assert_true(fleet_done_has(&d, 9));
	assert_false(fleet_done_has(&d, 5));  /* interrupted: redone */
	assert_false(fleet_done_has(&d, 11)); /* cut off: redone */
	assert_false(fleet_done_has(&d, 100000));
	fleet_done_free(&d);
	/* The file now holds exactly the rows kept, each once. */
	FILE *f = fopen(path, "r");
	char buf[512];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, "{\"line\":2,\"domain\":\"a.\",\"exit\":0}\n"
				 "{\"line\":9,\"input\":\"x "
				 "y\",\"error\":\"e\",\"exit\":3}\n");
	unlink(path);
	/* No earlier output: nothing done, nothing created. */
	assert_int_equal(fleet_done_load(&d, path, err, sizeof(err)), 0);
	assert_int_equal(d.count, 0);
	assert_int_equal(access(path, F_OK), -1);
}

/* Fibers: each waits on its own timer in a loop of eng_step, as the probe
 * waits on its queries; the replay engine moves its clock, so the order
 * they finish in is the order of their deadlines. */
struct sleeper {
	struct engine *eng;
	uint32_t ms[3];
	int fired;
	int *order, *n_order, id;
	bool done;
};

static void woke(void *arg)
{
	(*(int *)arg)++;
}

static void sleeper_run(void *arg)
{
	struct sleeper *s = arg;
	for (int i = 0; i < 3; i++) {
		int before = s->fired;
		assert_int_equal(eng_timer(s->eng, s->ms[i], woke, &s->fired),
				 0);
		while (s->fired == before)
			eng_step(s->eng);
	}
	s->order[(*s->n_order)++] = s->id;
}

static void sleeper_done(void *arg)
{
	((struct sleeper *)arg)->done = true;
}

static void test_fibers_take_turns(void **state)
{
	(void)state;
	struct evidence *ev = evidence_new("example.", 0);
	struct engine *eng;
	assert_int_equal(engine_replay_new(&eng, ev), 0);
	struct fiber_sched *s = fiber_sched_new(eng);
	assert_non_null(s);
	int order[3], n_order = 0;
	uint64_t asked[3] = { 0 };
	struct sleeper z[3] = {
		{ eng, { 30, 30, 30 }, 0, order, &n_order, 0, false },
		{ eng, { 10, 10, 10 }, 0, order, &n_order, 1, false },
		{ eng, { 50, 1, 1 }, 0, order, &n_order, 2, false },
	};
	for (int i = 0; i < 3; i++)
		assert_int_equal(fiber_start(s, sleeper_run, sleeper_done,
					     &z[i], &asked[i], 64 << 10),
				 0);
	assert_int_equal(fiber_count(s), 3);
	while (fiber_count(s))
		fiber_sched_step(s);
	assert_int_equal(n_order, 3);
	assert_int_equal(order[0], 1); /* 30 ms in all */
	assert_int_equal(order[1], 2); /* 52 ms */
	assert_int_equal(order[2], 0); /* 90 ms */
	for (int i = 0; i < 3; i++) {
		assert_true(z[i].done);
		assert_int_equal(z[i].fired, 3);
	}
	/* Outside the fibers, eng_step runs the loop itself again. */
	fiber_sched_free(s);
	assert_null(eng->yield);
	engine_free(eng);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shard_hash_pinned),
		cmocka_unit_test(test_shard_parse),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_done_from_cut_off_output),
		cmocka_unit_test(test_fibers_take_turns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
