/* The Public Suffix List through libpsl; see diag/psl.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag/psl.h"

/* Debian's publicsuffix package: the compiled form loads fastest. */
static const char *const installed[] = {
	"/usr/share/publicsuffix/public_suffix_list.dafsa",
	"/usr/share/publicsuffix/public_suffix_list.dat",
};

int diag_psl_load(const char *path, psl_ctx_t **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!path && (path = getenv("DNSDOCTOR_PUBLIC_SUFFIX_LIST")) && !*path)
		path = NULL;
	for (size_t i = 0;
	     !path && i < sizeof(installed) / sizeof(installed[0]); i++)
		if (access(installed[i], R_OK) == 0)
			path = installed[i];
	if (!path)
		return 0; /* only TLDs count as registries then (core/view.c) */
	if (!(*out = psl_load_file(path))) {
		snprintf(err, errlen, "cannot read public suffix list %.200s",
			 path);
		return -1;
	}
	return 0;
}

int diag_psl_suffix_labels(const psl_ctx_t *psl, const char *name)
{
	char host[256];
	size_t n = strlen(name);
	if (n >= sizeof(host) || n <= 1)
		return 0;
	/* libpsl takes the name in lower case, without its final dot. */
	for (size_t i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)name[i]);
	host[n - (name[n - 1] == '.')] = '\0';
	const char *suffix = psl_unregistrable_domain(psl, host);
	if (!suffix || !*suffix)
		return 1;
	int labels = 1;
	for (const char *p = suffix; *p; p++)
		labels += *p == '.';
	return labels;
}
