#include <string.h>
#include <strings.h>
#include "core/psl.h"

#define LABELS_MAX 128

/* Splits NAME into labels, rightmost first, as (start, length) pairs. */
static int split(const char *name, size_t len, const char *lab[],
		 size_t lablen[])
{
	int n = 0;
	size_t end = len;
	while (end > 0 && n < LABELS_MAX) {
		size_t start = end;
		while (start > 0 && name[start - 1] != '.')
			start--;
		lab[n] = name + start;
		lablen[n++] = end - start;
		end = start ? start - 1 : 0;
	}
	return n;
}

/* Labels of RULE (LEN bytes, no '!') if it matches the name's labels
 * NL[0..N), else 0. */
static int match(const char *rule, size_t len, const char *const nl[],
		 const size_t nlen[], int n)
{
	const char *rl[LABELS_MAX];
	size_t rlen[LABELS_MAX];
	int k = split(rule, len, rl, rlen);
	if (k == 0 || k > n)
		return 0;
	for (int i = 0; i < k; i++) {
		if (rlen[i] == 1 && rl[i][0] == '*')
			continue;
		if (rlen[i] != nlen[i] ||
		    strncasecmp(rl[i], nl[i], rlen[i]) != 0)
			return 0;
	}
	return k;
}

int psl_suffix_labels(const char *text, size_t len, const char *name)
{
	const char *nl[LABELS_MAX];
	size_t nlen[LABELS_MAX], namelen = strlen(name);
	int best = 1, exception = 0;

	if (namelen && name[namelen - 1] == '.')
		namelen--;
	int n = split(name, namelen, nl, nlen);
	if (n == 0)
		return 0;
	for (size_t at = 0; at < len;) {
		const char *line = text + at;
		const char *nl_end = memchr(line, '\n', len - at);
		size_t linelen = nl_end ? (size_t)(nl_end - line) : len - at;
		at += linelen + 1;
		/* The rule is the line's first word. */
		size_t r = 0;
		while (r < linelen && line[r] != ' ' && line[r] != '\t' &&
		       line[r] != '\r')
			r++;
		if (r == 0 || (r >= 2 && line[0] == '/' && line[1] == '/'))
			continue;
		if (line[0] == '!') {
			int k = match(line + 1, r - 1, nl, nlen, n);
			if (k > exception)
				exception = k;
		} else {
			int k = match(line, r, nl, nlen, n);
			if (k > best)
				best = k;
		}
	}
	/* An exception rule wins; its suffix drops the leftmost label. */
	if (exception)
		return exception - 1;
	return best > n ? n : best;
}
