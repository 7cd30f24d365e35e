#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "core/dname.h"
#include "core/nslist.h"

#define NSLIST_MAX 64

static int add_name(struct strset *out, const char *name, char *err,
		    size_t errlen)
{
	char norm[256], why[160];
	if (dname_from_user(name, norm, sizeof(norm), why, sizeof(why)) < 0) {
		snprintf(err, errlen, "name server '%.80s': %s", name, why);
		return -1;
	}
	if (out->n >= NSLIST_MAX) {
		snprintf(err, errlen, "more than %d name servers given",
			 NSLIST_MAX);
		return -1;
	}
	if (strset_add(out, norm) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int parse_json(const char *text, size_t len, struct strset *out,
		      char *err, size_t errlen)
{
	json_error_t je;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		snprintf(err, errlen, "not valid JSON (line %d: %.80s)",
			 je.line, je.text);
		return -1;
	}
	json_t *ds = json_object_get(j, "DelegationSet");
	json_t *ns = json_object_get(ds ? ds : j, "NameServers");
	int rc = -1;
	size_t i;
	json_t *v;
	if (!json_is_array(ns) || json_array_size(ns) == 0) {
		snprintf(err, errlen,
			 "JSON has no DelegationSet.NameServers list");
		goto out;
	}
	json_array_foreach (ns, i, v) {
		if (!json_is_string(v)) {
			snprintf(err, errlen,
				 "NameServers[%zu] is not a string", i);
			goto out;
		}
		if (add_name(out, json_string_value(v), err, errlen) < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

static int parse_list(const char *text, size_t len, struct strset *out,
		      char *err, size_t errlen)
{
	char tok[300];
	size_t t = 0;
	int comment = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? text[i] : '\n';
		if (c == '#')
			comment = 1;
		if (c == '\n')
			comment = 0;
		if (!comment && c != '#' && c != ',' &&
		    !isspace((unsigned char)c)) {
			if (t + 1 >= sizeof(tok)) {
				snprintf(err, errlen,
					 "a name server name is longer than "
					 "255 characters");
				return -1;
			}
			tok[t++] = c;
			continue;
		}
		if (t) {
			tok[t] = '\0';
			t = 0;
			if (add_name(out, tok, err, errlen) < 0)
				return -1;
		}
	}
	if (out->n == 0) {
		snprintf(err, errlen, "no name server names given");
		return -1;
	}
	return 0;
}

int nslist_parse(const char *text, size_t len, struct strset *out, char *err,
		 size_t errlen)
{
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "name server list holds a NUL byte");
		return -1;
	}
	size_t skip = 0;
	while (skip < len && isspace((unsigned char)text[skip]))
		skip++;
	if (skip < len && text[skip] == '{')
		return parse_json(text, len, out, err, errlen);
	return parse_list(text, len, out, err, errlen);
}
