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

/* The text put_safe writes, in one allocation: a memory stream costs a
 * page-sized calloc, and fleet escapes every row's summary. */
static char *dup_safe(const char *s, char also)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 1;
	const unsigned char *p;
	for (p = (const unsigned char *)s; *p; p++)
		n += safe_byte(*p) && (!also || *p != (unsigned char)also)
			     ? 1
			     : 4;
	char *out = malloc(n), *o = out;
	if (!out)
		return NULL;
	for (p = (const unsigned char *)s; *p; p++) {
		if (safe_byte(*p) && (!also || *p != (unsigned char)also)) {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '\\';
		*o++ = 'x';
		*o++ = hex[*p >> 4];
		*o++ = hex[*p & 15];
	}
	*o = '\0';
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
