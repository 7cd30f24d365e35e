/* --format html and svg: what came off the network reaches the page and
 * the graph only escaped, whatever bytes a server put in a name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "report/graph.h"
#include "report/html_escape.h"

static char *capture_html(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	html_puts(s, f);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_html_puts(void **state)
{
	(void)state;
	char *s = capture_html("<script>\"x\"&'y'</script>\x1b[2J\n\x7f\xc3");
	assert_string_equal(s, "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;"
			       "&lt;/script&gt;\\x1b[2J\\x0a\\x7f\\xc3");
	free(s);
}

static void test_gv_label(void **state)
{
	(void)state;
	/* \N would be the node's name and \l a line break to Graphviz. */
	char *s = gv_label("a\\N\\l\x07<b>");
	assert_non_null(s);
	assert_string_equal(s, "a\\\\N\\\\l\\\\x07<b>");
	free(s);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* Names as the hostile-html lab zone serves them: the SVG Graphviz writes
 * must hold them as text, never as markup. */
static void test_graph_escapes(void **state)
{
	(void)state;
	static char bad1[] = "<script>alert(1)</script>.example.";
	static char bad2[] = "\"><img src=x onerror=alert(1)>.example.";
	static char bad3[] = "</svg><b id=injected>x\\027.example.";
	static char bad4[] = "x-->\\N<!--.example.";
	struct view_server srv[] = {
		{ .name = bad1, .in_parent = true, .in_zone = true },
		{ .name = bad2, .in_zone = true },
		{ .name = bad3, .in_parent = true },
		{ .name = bad4, .in_parent = true, .in_zone = true },
	};
	struct view v = { .srv = srv, .n_srv = 4, .pstate = PS_DELEGATED };
	snprintf(v.domain, sizeof(v.domain), "example.");
	snprintf(v.zone, sizeof(v.zone), "example.");
	snprintf(v.parent, sizeof(v.parent), "</svg>.");
	struct findings fs;
	findings_init(&fs);
	assert_int_equal(findings_add(&fs, F_LAME_DELEGATION,
				      json_pack("{s:s}", "server", bad1), NULL,
				      "%s is lame", bad1),
			 0);
	assert_int_equal(findings_add(&fs, F_DELEGATION_NS_MISMATCH, NULL, NULL,
				      "the sets differ"),
			 0);
	const struct graph_input in = { &v, NULL, &fs };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(report_graph_svg(&in, f), 0);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(strncmp(out, "<svg", 4), 0);
	assert_int_equal(count(out, "<script"), 0);
	assert_int_equal(count(out, "<img"), 0);
	assert_int_equal(count(out, "<b "), 0);
	assert_int_equal(count(out, "</svg>"), 1);
	assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(out, "&quot;&gt;&lt;img src=x"));
	/* Shown with its escapes, the backslash as sent. */
	assert_non_null(strstr(out, "id=injected&gt;x\\027"));
	assert_non_null(strstr(out, "\\N&lt;!"));
	/* The lame server and the mismatched edges are red, labelled. */
	assert_non_null(strstr(out, "#c62828"));
	assert_non_null(strstr(out, "DELEGATION_NS_MISMATCH"));
	free(out);
	findings_deinit(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_puts),
		cmocka_unit_test(test_gv_label),
		cmocka_unit_test(test_graph_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
