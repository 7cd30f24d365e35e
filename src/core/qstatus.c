#include "core/names.h"
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
	return names_word(names, QS__COUNT, status, "unknown");
}

int qstatus_from_name(const char *name)
{
	return names_value(names, QS__COUNT, name, -1);
}
