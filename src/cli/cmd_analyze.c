#include <string.h>
#include "cli/common.h"

int cmd_analyze(const struct opts *o)
{
	if (o->n_args != 1)
		return die("analyze wants exactly one evidence FILE (see dnsdoctor --help)");
	struct evidence *ev = load_evidence(o->args[0]);
	if (!ev)
		return EXIT_UNKNOWN;
	/* The checks see the time the evidence was gathered, so a saved
	 * file gives the same findings whenever it is analysed. */
	/* Evidence of propagation, wait or plan holds a record, not a
	 * delegation diagnosis: render it the way it was made. */
	int code = ev->record_name ? report_record_evidence(o, ev) :
		   ev->command && strcmp(ev->command, "cert") == 0 ?
		   report_cert_evidence(o, ev) : report_evidence(o, ev, 0, 0);
	evidence_free(ev);
	return code;
}
