#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "diag/fleet_input.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits L's text into tokens, up to a token that starts a comment. */
static void tokenize(struct fleet_line *l)
{
	memcpy(l->words, l->text, l->len + 1);
	l->n_tok = 0;
	l->too_many = false;
	char *p = l->words;
	for (;;) {
		while (*p && blank(*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (l->n_tok == FLEET_TOKENS_MAX) {
			l->too_many = true;
			break;
		}
		l->tok[l->n_tok++] = p;
		while (*p && !blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

int fleet_line_read(FILE *f, struct fleet_line *l)
{
	size_t n = 0;
	int c;
	l->too_long = false;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (n < FLEET_LINE_MAX)
			l->text[n++] = (char)c;
		else
			l->too_long = true;
	}
	if (c == EOF && n == 0 && !l->too_long)
		return -1;
	l->no++;
	/* The text without surrounding blanks and without a comment. */
	size_t start = 0;
	while (start < n && blank(l->text[start]))
		start++;
	size_t end = start;
	for (size_t i = start; i < n && l->text[i] != '#'; i++)
		if (!blank(l->text[i]))
			end = i + 1;
	if (start && end > start)
		memmove(l->text, l->text + start, end - start);
	l->len = end > start ? end - start : 0;
	l->text[l->len] = '\0';
	/* A NUL in the line would end the text early: keep it visible. */
	for (size_t i = 0; i < l->len; i++)
		if (!l->text[i])
			l->text[i] = '?';
	tokenize(l);
	return l->n_tok > 0 || l->too_long ? 1 : 0;
}

static int done_add(struct fleet_done *d, unsigned long line)
{
	size_t byte = line / 8;
	if (byte >= d->n_bytes) {
		size_t n = d->n_bytes ? d->n_bytes : 1024;
		while (n <= byte)
			n *= 2;
		unsigned char *b = realloc(d->bits, n);
		if (!b)
			return -1;
		memset(b + d->n_bytes, 0, n - d->n_bytes);
		d->bits = b;
		d->n_bytes = n;
	}
	if (!(d->bits[byte] & (1u << (line % 8)))) {
		d->bits[byte] |= (unsigned char)(1u << (line % 8));
		d->count++;
	}
	return 0;
}

bool fleet_done_has(const struct fleet_done *d, unsigned long line)
{
	size_t byte = line / 8;
	return byte < d->n_bytes && (d->bits[byte] & (1u << (line % 8)));
}

void fleet_done_free(struct fleet_done *d)
{
	free(d->bits);
	memset(d, 0, sizeof(*d));
}

/* The line number of a complete row: a JSON object with a positive
 * "line", not marked interrupted, not seen before. 0 when it is not. */
static unsigned long row_line(const char *text, const struct fleet_done *d)
{
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	json_t *line = json_object_get(j, "line");
	unsigned long no = 0;
	if (json_is_object(j) && json_is_integer(line) &&
	    json_integer_value(line) > 0 &&
	    !json_is_true(json_object_get(j, "interrupted")))
		no = (unsigned long)json_integer_value(line);
	json_decref(j);
	return no && !fleet_done_has(d, no) ? no : 0;
}

int fleet_done_load(struct fleet_done *d, const char *out, char *err,
		    size_t errlen)
{
	char tmp[4200];
	char *row = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *in = fopen(out, "r"), *w = NULL;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	if (!in && errno == ENOENT)
		return 0;
	if (!in) {
		snprintf(err, errlen, "cannot read %.200s: %s", out,
			 strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%.4000s.resume-%ld", out, (long)getpid());
	if (!(w = fopen(tmp, "w"))) {
		snprintf(err, errlen, "cannot write next to %.200s: %s", out,
			 strerror(errno));
		goto out;
	}
	while ((n = getline(&row, &cap, in)) > 0) {
		/* A row without its newline was being written when the run
		 * stopped: it is done again. */
		if (row[n - 1] != '\n')
			break;
		unsigned long no = row_line(row, d);
		if (!no)
			continue;
		if (done_add(d, no) < 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		if (fputs(row, w) == EOF) {
			snprintf(err, errlen, "cannot write next to %.200s: %s",
				 out, strerror(errno));
			goto out;
		}
	}
	if (ferror(in)) {
		snprintf(err, errlen, "cannot read %.200s: %s", out,
			 strerror(errno));
		goto out;
	}
	if (fclose(w) != 0) {
		w = NULL;
		snprintf(err, errlen, "cannot write next to %.200s: %s", out,
			 strerror(errno));
		goto out;
	}
	w = NULL;
	if (rename(tmp, out) != 0) {
		snprintf(err, errlen, "cannot replace %.200s: %s", out,
			 strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (w)
		fclose(w);
	if (rc < 0) {
		unlink(tmp);
		fleet_done_free(d);
	}
	free(row);
	fclose(in);
	return rc;
}
