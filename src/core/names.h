/* A word for each value of a small enum, and back: how the evidence file,
 * the JSON output and replay spell query, fetch and role statuses. The
 * tables live beside their enums; these two walk any of them. */
#ifndef DD_CORE_NAMES_H
#define DD_CORE_NAMES_H

#define NAMES_COUNT(t) ((int)(sizeof(t) / sizeof((t)[0])))

/* table[value], or `unknown` for a value outside the table or unnamed. */
const char *names_word(const char *const *table, int n, int value,
		       const char *unknown);
/* The value whose word is `word`, or `unknown` (also for NULL). */
int names_value(const char *const *table, int n, const char *word, int unknown);

#endif
