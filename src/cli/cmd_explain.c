#include <stdio.h>
#include <string.h>
#include "cli/common.h"
#include "cli/finding_docs.h"
#include "core/finding.h"

int cmd_explain(const struct opts *o)
{
	if (o->n_args != 1)
		return die("explain wants exactly one finding CODE (see dnsdoctor --help)");
	int code = finding_code_from_name(o->args[0]);
	if (code < 0)
		return die("unknown finding code '%.60s'", o->args[0]);
	const char *doc = finding_doc(finding_defs[code].name);
	if (!doc)
		return die("no documentation for %s", finding_defs[code].name);
	fputs(doc, stdout);
	return EXIT_OK;
}
