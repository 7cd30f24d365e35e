#include <string.h>
#include "core/qstatus.h"

static const char *const names[QS__COUNT] = {
	[QS_OK] = "ok",
	[QS_TIMEOUT] = "timeout",
	[QS_UNREACHABLE] = "unreachable",
	[QS_NETERR] = "neterr",
	[QS_MALFORMED] = "malformed",
	[QS_TCP_TRUNCATED] = "tcp-truncated",
	[QS_TCP_STALLED] = "tcp-stalled",
};

const char *qstatus_name(int status)
{
	if (status < 0 || status >= QS__COUNT)
		return "unknown";
	return names[status];
}

int qstatus_from_name(const char *name)
{
	for (int i = 0; i < QS__COUNT; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}
