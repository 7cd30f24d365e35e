#include "core/fetch_status.h"
#include "core/names.h"

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

const char *http_status_name(int status)
{
	return names_word(http_names, NAMES_COUNT(http_names), status,
			  http_names[HS_ERROR]);
}

int http_status_from_name(const char *word)
{
	return names_value(http_names, NAMES_COUNT(http_names), word, HS_ERROR);
}

const char *tls_status_name(int status)
{
	return names_word(tls_names, NAMES_COUNT(tls_names), status,
			  tls_names[TS_ERROR]);
}

int tls_status_from_name(const char *word)
{
	return names_value(tls_names, NAMES_COUNT(tls_names), word, TS_ERROR);
}
