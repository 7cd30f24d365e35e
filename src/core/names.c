#include <string.h>
#include "core/names.h"

const char *names_word(const char *const *table, int n, int value,
		       const char *unknown)
{
	if (value < 0 || value >= n || !table[value])
		return unknown;
	return table[value];
}

int names_value(const char *const *table, int n, const char *word, int unknown)
{
	for (int i = 0; word && i < n; i++)
		if (table[i] && strcmp(table[i], word) == 0)
			return i;
	return unknown;
}
