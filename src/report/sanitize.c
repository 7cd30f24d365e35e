#include <stdlib.h>
#include "report/sanitize.h"

static int safe_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

void fputs_safe(const char *s, FILE *f)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (safe_byte(*p))
			fputc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
	}
}

char *str_safe(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fputs_safe(s, f);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
