#include <string.h>
#include "core/fetch_status.h"

static const char *const http_names[] = {
	[HS_OK] = "ok",
	[HS_CONNECT] = "connect-failed",
	[HS_TIMEOUT] = "timeout",
	[HS_REDIRECT_BAD] = "redirect-refused",
	[HS_REDIRECT_OTHER] = "redirect-other-host",
	[HS_TOO_MANY_REDIRECTS] = "too-many-redirects",
	[HS_ERROR] = "error",
};

static const char *const tls_names[] = {
	[TS_OK] = "ok",		  [TS_CONNECT] = "connect-failed",
	[TS_TIMEOUT] = "timeout", [TS_HANDSHAKE] = "handshake-failed",
	[TS_ERROR] = "error",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *http_status_name(int status)
{
	return status >= 0 && status < COUNT(http_names) ? http_names[status]
							 : http_names[HS_ERROR];
}

int http_status_from_name(const char *word)
{
	for (int st = 0; word && st < COUNT(http_names); st++)
		if (strcmp(http_names[st], word) == 0)
			return st;
	return HS_ERROR;
}

const char *tls_status_name(int status)
{
	return status >= 0 && status < COUNT(tls_names) ? tls_names[status]
							: tls_names[TS_ERROR];
}

int tls_status_from_name(const char *word)
{
	for (int st = 0; word && st < COUNT(tls_names); st++)
		if (strcmp(tls_names[st], word) == 0)
			return st;
	return TS_ERROR;
}
