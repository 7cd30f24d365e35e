/* Root hints: the servers a delegation walk starts from. */
#ifndef DD_PROBE_HINTS_H
#define DD_PROBE_HINTS_H

#include <stdbool.h>
#include <stddef.h>

struct hint {
	char *name; /* absolute, lower case */
	char *addr; /* numeric text */
};

struct hints {
	struct hint *v;
	size_t n;
};

/* Reads a named.root-format file. Returns 0, or -1 with a one-line reason
 * in ERR (unreadable file, a line that is not a record, no root server with
 * an address). */
int hints_load_file(struct hints *h, const char *path, char *err,
		    size_t errlen);
/* Parses named.root-format TEXT; same contract as hints_load_file. */
int hints_parse(struct hints *h, const char *text, char *err, size_t errlen);
/* The IANA root servers, compiled in. 0 or -ENOMEM. */
int hints_builtin(struct hints *h);
void hints_deinit(struct hints *h);
/* Appends copies of (NAME, ADDR). 0 or -ENOMEM. */
int hints_add(struct hints *h, const char *name, const char *addr);
bool hints_has(const struct hints *h, const char *name, const char *addr);
/* Appends copies of every hint of FROM to H. 0 or -ENOMEM. */
int hints_copy(struct hints *h, const struct hints *from);

#endif
