/* dnsdoctor: parse, run, clean up. */
#include <string.h>
#include "cli/common.h"

static const struct {
	const char *name;
	int (*run)(const struct opts *o);
} commands[] = {
	{ "check", cmd_check },
	{ "trace", cmd_trace },
	{ "analyze", cmd_analyze },
	{ "explain", cmd_explain },
	{ "logs", cmd_logs },
	{ "propagation", cmd_propagation },
	{ "wait", cmd_wait },
	{ "plan", cmd_plan },
	{ "cert", cmd_cert },
};

int main(int argc, char **argv)
{
	struct opts o;
	int rc = opts_parse(&o, argc, argv);
	if (rc != 0)
		return rc > 0 ? EXIT_OK : EXIT_UNKNOWN;
	if (strcmp(o.command, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(o.command, commands[i].name) == 0)
			return commands[i].run(&o);
	return die("unknown command '%.40s' (see dnsdoctor --help)", o.command);
}
