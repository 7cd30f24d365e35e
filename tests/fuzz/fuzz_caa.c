/* CAA rdata off the network: the record parser, then the decision over
 * the parsed record, for a plain and a wildcard name. */
#include "core/caa.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const issuers[] = { "letsencrypt.org", NULL };
	struct caa_rr r;
	char issuer[64];

	if (caa_parse(data, size, &r) < 0)
		return 0;
	struct caa_request q = { .issuers = issuers,
				 .account_uri = "u",
				 .method = "dns-01" };
	caa_decide(&r, 1, &q);
	q.wildcard = true;
	caa_decide(&r, 1, &q);
	caa_issuer_of(r.value, issuer, sizeof(issuer));
	return 0;
}
