/* RDAP bytes from a registry's server: the domain object and the
 * bootstrap file, parsed as core/rdap.c parses them. */
#include <stdlib.h>
#include "core/rdap.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rdap_domain *d = malloc(sizeof(*d));
	char err[200], url[512];

	if (d) {
		rdap_domain_parse((const char *)data, size, d, err,
				  sizeof(err));
		rdap_status_has(d, "clientHold");
		free(d);
	}
	rdap_bootstrap_find((const char *)data, size, "www.example.co.uk.", url,
			    sizeof(url), err, sizeof(err));
	return 0;
}
