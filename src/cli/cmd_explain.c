/* `explain CODE`: the code's doc from the finding catalogue, compiled in
 * so it works wherever the binary is; `explain --list`: every code. With
 * --json, the same as JSON (docs/json.md), through jansson. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "cli/options.h"
#include "diag/request.h"
#include "core/finding.h"

static json_t *code_json(int i, bool with_doc)
{
	const struct finding_def *f = &finding_defs[i];
	json_t *o = json_pack("{s:s, s:s, s:s}", "code", f->name, "severity",
			      severity_name(f->severity), "title", f->title);
	if (o && with_doc &&
	    json_object_set_new(o, "doc", json_string(f->doc)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Writes J (taken) and a newline; the exit code. */
static int emit(json_t *j)
{
	int rc = j ? json_dumpf(j, stdout, JSON_INDENT(2)) : -1;
	json_decref(j);
	if (rc < 0)
		return die("out of memory");
	fputc('\n', stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK
						      : die("cannot write the "
							    "document");
}

static int list_codes(bool json)
{
	if (json) {
		json_t *a = json_array();
		for (int i = 0; a && i < F__COUNT; i++)
			if (json_array_append_new(a, code_json(i, false)) < 0) {
				json_decref(a);
				a = NULL;
			}
		return emit(a);
	}
	for (int i = 0; i < F__COUNT; i++)
		printf("%-30s %-8s %s\n", finding_defs[i].name,
		       severity_name(finding_defs[i].severity),
		       finding_defs[i].title);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK
						      : die("cannot write the "
							    "list");
}

int cmd_explain(const struct diag_request *o);

int cmd_explain(const struct diag_request *o)
{
	if (o->list) {
		if (o->n_args)
			return die("explain --list takes no CODE (see "
				   "dnsdoctor explain --help)");
		return list_codes(o->format == DIAG_JSON);
	}
	if (o->n_args != 1)
		return die("explain wants exactly one finding CODE, or --list "
			   "(see dnsdoctor explain --help)");
	int code = finding_code_from_name(o->args[0]);
	if (code < 0)
		return die("unknown finding code '%.60s' (dnsdoctor explain "
			   "--list shows them)",
			   o->args[0]);
	if (o->format == DIAG_JSON)
		return emit(code_json(code, true));
	if (fputs(finding_defs[code].doc, stdout) == EOF || fflush(stdout) != 0)
		return die("cannot write the document");
	return EXIT_OK;
}
