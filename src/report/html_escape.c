#include <stdbool.h>
#include <stdlib.h>
#include "report/html_escape.h"

static int printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

static void put(const char *s, bool newline, FILE *f)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\n':
			if (newline)
				fputc('\n', f);
			else
				fputs("\\x0a", f);
			break;
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

void html_puts(const char *s, FILE *f)
{
	put(s, false, f);
}

void html_puts_pre(const char *s, FILE *f)
{
	put(s, true, f);
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
