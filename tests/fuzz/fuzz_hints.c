/* A --root-hints file (named.root format). */
#include <stdlib.h>
#include <string.h>
#include "probe/hints.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256];
	struct hints h = { 0 };

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (hints_parse(&h, text, err, sizeof(err)) == 0 && h.n == 0)
		abort(); /* success promises at least one server */
	hints_deinit(&h);
	free(text);
	return 0;
}
