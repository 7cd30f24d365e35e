/* `explain CODE`: the code's doc from the finding catalogue, compiled in
 * so it works wherever the binary is; `explain --list`: every code. */
#include <stdio.h>
#include <string.h>
#include "cli/options.h"
#include "diag/request.h"
#include "core/finding.h"

static int list_codes(void)
{
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
				   "dnsdoctor --help)");
		return list_codes();
	}
	if (o->n_args != 1)
		return die("explain wants exactly one finding CODE, or --list "
			   "(see dnsdoctor --help)");
	int code = finding_code_from_name(o->args[0]);
	if (code < 0)
		return die("unknown finding code '%.60s' (dnsdoctor explain "
			   "--list shows them)",
			   o->args[0]);
	if (fputs(finding_defs[code].doc, stdout) == EOF || fflush(stdout) != 0)
		return die("cannot write the document");
	return EXIT_OK;
}
