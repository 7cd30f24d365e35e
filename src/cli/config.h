/* The configuration files: defaults for the long options a user sets
 * once (resolvers, trust anchor, timeouts, colour, CA, ...), from
 * /etc/dnsdoctor/config, then $XDG_CONFIG_HOME/dnsdoctor/config, then
 * the environment (DNSDOCTOR_NAME); the command line wins over all. */
#ifndef DD_CLI_CONFIG_H
#define DD_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CONFIG_VALUE_MAX 4096

struct config_setting {
	const char *name; /* the long option's name */
	int val;	  /* enum cli_opt_val */
	const char *dflt; /* what applies when nothing sets it, for humans */
};

extern const struct config_setting config_settings[];
extern const size_t config_n_settings;

/* Where a setting's value came from. */
enum config_origin {
	CONFIG_DEFAULT,
	CONFIG_SYSTEM,
	CONFIG_USER,
	CONFIG_ENV,
	CONFIG_COMMAND_LINE
};

struct config_value {
	enum config_origin origin;
	char value[CONFIG_VALUE_MAX];
	char where[CONFIG_VALUE_MAX]; /* "FILE:LINE", "DNSDOCTOR_X" or "" */
};

struct config {
	struct config_value v[16]; /* by config_settings' index */
	char system_path[CONFIG_VALUE_MAX], user_path[CONFIG_VALUE_MAX];
	bool system_read, user_read;
};

/* Checks VALUE for the option VAL as the command line would: 0, or -1
 * with one line of why in WHY. */
typedef int (*config_check_fn)(int val, const char *value, char *why,
			       size_t whylen);

/* Reads both files and the environment into C, the highest layer
 * winning, each value checked with CHECK. 0, or -1 with one line
 * ("FILE:LINE: why") in ERR. */
int config_load(struct config *c, config_check_fn check, char *err,
		size_t errlen);

/* The index of the setting of option VAL, or -1. */
int config_find(int val);

/* `dnsdoctor config`: every setting, its value and where it came from. */
void config_print(FILE *f, const struct config *c);

#endif
