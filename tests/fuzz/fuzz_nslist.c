/* --expect-ns: a list of names, or route53 get-hosted-zone JSON. */
#include "core/nslist.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strset out;
	char err[200];

	strset_init(&out);
	nslist_parse((const char *)data, size, &out, err, sizeof(err));
	strset_deinit(&out);
	return 0;
}
