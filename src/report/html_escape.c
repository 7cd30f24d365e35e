#include <stdlib.h>
#include "report/html_escape.h"

static int printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

void html_puts(const char *s, FILE *f)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if (printable(*p))
				fputc(*p, f);
			else
				fprintf(f, "\\x%02x", *p);
		}
	}
}

char *gv_label(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (printable(*p))
			fputc(*p, f);
		else
			fprintf(f, "\\\\x%02x", *p);
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
