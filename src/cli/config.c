/* The configuration files and the environment, layered (config.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/config.h"

#ifndef DD_SYSCONFDIR
#define DD_SYSCONFDIR "/etc"
#endif

const struct config_setting config_settings[] = {
	{ "resolvers", OPT_RESOLVERS, "the command's own" },
	{ "trust-anchor", OPT_TRUST_ANCHOR, "built in (IANA)" },
	{ "root-hints", OPT_ROOT_HINTS, "built in" },
	{ "server-timeout", OPT_SERVER_TIMEOUT, "2.4" },
	{ "timeout", OPT_TIMEOUT, "2.4 (wait: 300)" },
	{ "color", OPT_COLOR, "auto" },
	{ "ca", OPT_CA, "any" },
	{ "ca-file", OPT_CA_FILE, "the system store" },
	{ "rrsig-warn-days", OPT_RRSIG_WARN_DAYS, "3" },
	{ "warn-days", OPT_WARN_DAYS, "21" },
	{ "rate", OPT_RATE, "0 (fleet, exporter: 500)" },
	{ "per-server-rate", OPT_PER_SERVER_RATE, "0 (fleet, exporter: 20)" },
};
const size_t config_n_settings =
	sizeof(config_settings) / sizeof(config_settings[0]);
_Static_assert(sizeof(config_settings) / sizeof(config_settings[0]) <=
		       sizeof(((struct config *)0)->v) /
			       sizeof(((struct config *)0)->v[0]),
	       "struct config holds too few values");

int config_find(int val)
{
	for (size_t i = 0; i < config_n_settings; i++)
		if (config_settings[i].val == val)
			return (int)i;
	return -1;
}

static int setting_named(const char *name)
{
	for (size_t i = 0; i < config_n_settings; i++)
		if (strcmp(config_settings[i].name, name) == 0)
			return (int)i;
	return -1;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* One line of PATH ("NAME = VALUE", a comment or blank) into C. */
static int read_line(struct config *c, enum config_origin origin,
		     const char *path, int no, char *line,
		     config_check_fn check, char *err, size_t errlen)
{
	char why[512];
	/* A comment starts a line or follows a blank, as in the shell. */
	for (char *h = strchr(line, '#'); h; h = strchr(h + 1, '#'))
		if (h == line || isspace((unsigned char)h[-1])) {
			*h = '\0';
			break;
		}
	char *s = trim(line);
	if (!*s)
		return 0;
	char *eq = strchr(s, '=');
	if (!eq) {
		snprintf(err, errlen, "%s:%d: expected NAME = VALUE", path, no);
		return -1;
	}
	*eq = '\0';
	char *name = trim(s), *value = trim(eq + 1);
	int i = setting_named(name);
	if (i < 0) {
		snprintf(err, errlen,
			 "%s:%d: unknown setting '%.40s' (dnsdoctor config "
			 "lists them)",
			 path, no, name);
		return -1;
	}
	if (!*value) {
		snprintf(err, errlen, "%s:%d: %s has no value", path, no, name);
		return -1;
	}
	if (check(config_settings[i].val, value, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s:%d: %s", path, no, why);
		return -1;
	}
	struct config_value *v = &c->v[i];
	v->origin = origin;
	snprintf(v->value, sizeof(v->value), "%s", value);
	snprintf(v->where, sizeof(v->where), "%s:%d", path, no);
	return 0;
}

/* PATH into C when it exists. 0, or -1 with ERR. */
static int read_file(struct config *c, enum config_origin origin,
		     const char *path, bool *read, config_check_fn check,
		     char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	*read = true;
	char line[CONFIG_VALUE_MAX];
	int no = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		no++;
		size_t n = strlen(line);
		if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: line too long", path, no);
			rc = -1;
			break;
		}
		rc = read_line(c, origin, path, no, line, check, err, errlen);
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: cannot read", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

/* DNSDOCTOR_ and the name in capitals, '-' as '_'. */
static void env_name(const char *name, char *out, size_t n)
{
	size_t k = (size_t)snprintf(out, n, "DNSDOCTOR_");
	for (; *name && k + 1 < n; name++)
		out[k++] = *name == '-' ? '_' : (char)toupper(*name);
	out[k] = '\0';
}

static int read_env(struct config *c, config_check_fn check, char *err,
		    size_t errlen)
{
	char name[64], why[512];
	for (size_t i = 0; i < config_n_settings; i++) {
		env_name(config_settings[i].name, name, sizeof(name));
		const char *value = getenv(name);
		if (!value || !*value)
			continue;
		if (check(config_settings[i].val, value, why, sizeof(why)) <
		    0) {
			snprintf(err, errlen, "%s: %s", name, why);
			return -1;
		}
		struct config_value *v = &c->v[i];
		v->origin = CONFIG_ENV;
		snprintf(v->value, sizeof(v->value), "%s", value);
		snprintf(v->where, sizeof(v->where), "%s", name);
	}
	return 0;
}

int config_load(struct config *c, config_check_fn check, char *err,
		size_t errlen)
{
	memset(c, 0, sizeof(*c));
	/* Tests (and packagers' checks) point these elsewhere. */
	const char *etc = getenv("DNSDOCTOR_SYSCONFDIR");
	snprintf(c->system_path, sizeof(c->system_path), "%s/dnsdoctor/config",
		 etc && *etc ? etc : DD_SYSCONFDIR);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && *xdg == '/')
		snprintf(c->user_path, sizeof(c->user_path),
			 "%s/dnsdoctor/config", xdg);
	else if (home && *home)
		snprintf(c->user_path, sizeof(c->user_path),
			 "%s/.config/dnsdoctor/config", home);
	if (read_file(c, CONFIG_SYSTEM, c->system_path, &c->system_read, check,
		      err, errlen) < 0)
		return -1;
	if (c->user_path[0] && read_file(c, CONFIG_USER, c->user_path,
					 &c->user_read, check, err, errlen) < 0)
		return -1;
	return read_env(c, check, err, errlen);
}

void config_print(FILE *f, const struct config *c)
{
	fprintf(f, "# system file: %s (%s)\n", c->system_path,
		c->system_read ? "read" : "absent");
	if (c->user_path[0])
		fprintf(f, "# user file: %s (%s)\n", c->user_path,
			c->user_read ? "read" : "absent");
	else
		fputs("# user file: none (no XDG_CONFIG_HOME or HOME)\n", f);
	fprintf(f, "%-16s %-26s %s\n", "SETTING", "VALUE", "FROM");
	for (size_t i = 0; i < config_n_settings; i++) {
		const struct config_value *v = &c->v[i];
		const char *from = v->where;
		if (v->origin == CONFIG_DEFAULT)
			from = "default";
		else if (v->origin == CONFIG_COMMAND_LINE)
			from = "command line";
		fprintf(f, "%-16s %-26s %s%s\n", config_settings[i].name,
			v->origin == CONFIG_DEFAULT ? config_settings[i].dflt
						    : v->value,
			v->origin == CONFIG_ENV ? "environment " : "", from);
	}
}
