#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "core/dname.h"

int dname_from_user(const char *in, char *out, size_t outlen, char *err,
		    size_t errlen)
{
	size_t len = strlen(in), label = 0, wire = 1, o = 0;

	if (len == 0) {
		snprintf(err, errlen, "empty domain name");
		return -1;
	}
	if (strcmp(in, ".") == 0) {
		snprintf(out, outlen, ".");
		return 0;
	}
	if (len > 254 || (len == 254 && in[len - 1] != '.')) {
		snprintf(err, errlen,
			 "domain name is longer than 253 characters");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '.') {
			if (label == 0) {
				snprintf(err, errlen,
					 "empty label in domain name at offset "
					 "%zu",
					 i);
				return -1;
			}
			wire += label + 1;
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63) {
				snprintf(err, errlen,
					 "a label of the domain name is longer "
					 "than 63 characters");
				return -1;
			}
		} else {
			snprintf(err, errlen,
				 "invalid character 0x%02x in domain name", c);
			return -1;
		}
		if (o + 2 >= outlen) {
			snprintf(err, errlen, "domain name too long");
			return -1;
		}
		out[o++] = (char)tolower(c);
	}
	if (label) {
		wire += label + 1;
		out[o++] = '.';
	}
	out[o] = '\0';
	if (wire > 255) {
		snprintf(err, errlen,
			 "domain name is longer than 255 octets on the wire");
		return -1;
	}
	return 0;
}

bool dname_in(const char *name, const char *zone)
{
	if (strcmp(zone, ".") == 0)
		return true;
	size_t n = strlen(name), z = strlen(zone);
	if (n < z)
		return false;
	if (strcmp(name + n - z, zone) != 0)
		return false;
	return n == z || name[n - z - 1] == '.';
}

int dname_labels(const char *name)
{
	int n = 0;
	if (strcmp(name, ".") == 0)
		return 0;
	for (const char *p = name; *p; p++)
		if (*p == '.' && (p == name || p[-1] != '\\'))
			n++;
	return n;
}

void dname_parent(const char *name, char *out, size_t outlen)
{
	const char *dot = strchr(name, '.');
	if (!dot || dot[1] == '\0')
		snprintf(out, outlen, ".");
	else
		snprintf(out, outlen, "%s", dot + 1);
}

int dname_child(const char *label, const char *name, char *out, size_t outlen)
{
	return snprintf(out, outlen, "%s.%s", label,
			strcmp(name, ".") == 0 ? "" : name);
}
