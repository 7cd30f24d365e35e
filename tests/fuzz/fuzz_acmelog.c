/* ACME client logs (dnsdoctor logs): format detection, every parser, the
 * classifier and the summary, on bytes no client wrote. */
#include <stdlib.h>
#include "core/acmelog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* detected, then forced through each parser: detection must not be
	 * the only thing standing between a parser and hostile bytes */
	for (int f = ACME_FMT_UNKNOWN; f <= ACME_FMT_CM_JSON; f++) {
		struct acme_log log;
		struct acme_summary s;
		char *cmds[4];

		acmelog_init(&log);
		acmelog_parse(&log, (const char *)data, size,
			      (enum acme_format)f, NULL);
		if (acmelog_summarize(&log, &s) == 0) {
			for (size_t i = 0; i < s.ng; i++) {
				const char *d = s.g[i].ndomains
							? s.g[i].domains[0]
							: "";
				int n = acmelog_commands(s.g[i].cause, d, cmds,
							 4);
				while (n > 0)
					free(cmds[--n]);
			}
			acmelog_summary_deinit(&s);
		}
		acmelog_deinit(&log);
	}
	return 0;
}
