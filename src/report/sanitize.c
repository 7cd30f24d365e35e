#include <stdlib.h>
#include "report/sanitize.h"

static int safe_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* S to F, every byte outside printable ASCII, and ALSO when not '\0',
 * as \xHH. */
static void put_safe(const char *s, char also, FILE *f)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (safe_byte(*p) && (!also || *p != (unsigned char)also))
			fputc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
	}
}

void fputs_safe(const char *s, FILE *f)
{
	put_safe(s, '\0', f);
}

static char *dup_safe(const char *s, char also)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	put_safe(s, also, f);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

char *str_safe(const char *s)
{
	return dup_safe(s, '\0');
}

char *str_safe_plugin(const char *s)
{
	return dup_safe(s, '|');
}
