/* dnsdoctor: parse, run, render, exit. Every command but explain is a
 * diagnosis (src/diag/): this file only turns argv into a request and the
 * result into an exit code. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/commands.h"
#include "cli/hooks.h"
#include "cli/options.h"
#include "diag/diag.h"
#include "diag/exporter.h"
#include "diag/fleet.h"
#include "diag/inputs.h"

int cmd_explain(const struct diag_request *o); /* cmd_explain.c */

/* Prints D's report (JSON and Nagios's status line also when it could
 * not be carried out) to stdout or -o FILE and, on exit 3, its one line
 * on stderr (but for Nagios); returns the exit code. */
static int finish(struct diag *d, const struct diag_request *o)
{
	/* No file for a report that has nothing to say but the error. */
	bool empty = d->exit == 3 && o->format != DIAG_JSON &&
		     o->format != DIAG_NAGIOS;
	FILE *out = stdout;
	if (o->output && !empty && !(out = fopen(o->output, "w")))
		diag_fail(d, "cannot write %s: %s", o->output, strerror(errno));
	if (out) {
		int rc = diag_render(d, o->format, out);
		if (out != stdout && fclose(out) != 0)
			rc = diag_fail(d, "cannot write %s: %s", o->output,
				       strerror(errno));
		/* No half-made report left where one is expected. */
		if (out != stdout && rc < 0)
			unlink(o->output);
	}
	if (d->exit == 3)
		die("%s", d->error);
	return d->exit;
}

/* Exit 3 before any diagnosis, after die()'s line: with --format nagios
 * it is the status line, on stdout, which is what Nagios reads. */
static int refused(const struct diag_request *o)
{
	if (o->format == DIAG_NAGIOS) {
		struct diag d = { .req = o };
		diag_fail(&d, "%s", die_last());
		diag_render(&d, DIAG_NAGIOS, stdout);
		diag_deinit(&d);
	}
	return EXIT_UNKNOWN;
}

/* A diagnosis that could not start: its envelope (with --json) and its
 * line on stderr. */
static int failed(const struct diag_request *o, const char *why)
{
	struct diag d = { .req = o, .started = time(NULL) };
	diag_fail(&d, "%s", why);
	int code = finish(&d, o);
	diag_deinit(&d);
	return code;
}

/* `analyze FILE`: the checks of the evidence's own kind, offline. */
static int analyze(const struct diag_request *o)
{
	struct diag d = { .req = o };
	if (o->n_args != 1)
		return failed(o, "analyze wants exactly one evidence FILE (see "
				 "dnsdoctor --help)");
	struct evidence *ev = diag_load_evidence(&d, o->args[0]);
	if (!ev)
		return failed(o, d.error);
	diag_judge_saved(&d, o, ev);
	int code = finish(&d, o);
	diag_deinit(&d);
	return code;
}

int main(int argc, char **argv)
{
	struct diag_request o;
	struct diag_env env;
	struct diag d;
	char err[512];

	int rc = opts_parse(&o, argc, argv);
	if (rc != 0)
		return rc > 0 ? EXIT_OK : refused(&o);
	if (strcmp(o.command, "help") == 0) {
		if (o.n_args > 1 ||
		    cli_help(stdout, o.n_args ? o.args[0] : NULL) < 0)
			return die("help wants one COMMAND at most, among "
				   "those dnsdoctor --help lists");
		return EXIT_OK;
	}
	if (strcmp(o.command, "config") == 0) {
		if (o.n_args)
			return die("config takes no arguments (see dnsdoctor "
				   "config --help)");
		opts_config_print(stdout);
		return EXIT_OK;
	}
	if (strcmp(o.command, "explain") == 0)
		return cmd_explain(&o);
	if (strcmp(o.command, "analyze") == 0)
		return analyze(&o);
	if (strcmp(o.command, "fleet") == 0) {
		const struct fleet_config fc = { .run = &o,
						 .parse_line = opts_parse_line,
						 .out = stdout,
						 .log = stderr };
		return diag_fleet(&fc);
	}
	if (strcmp(o.command, "exporter") == 0) {
		/* Paced as fleet is: it checks other people's domains all
		 * day long. */
		if (o.rate < 0)
			o.rate = 500;
		if (o.per_server_rate < 0)
			o.per_server_rate = 20;
		const struct exporter_options xo = {
			.run = &o,
			.config = o.config,
			.listen = o.listen ? o.listen : "127.0.0.1:9553",
			.parse_line = opts_parse_line,
			.log = stderr
		};
		return diag_exporter(&xo);
	}
	char hook_name[300];
	if ((rc = hooks_apply(&o, hook_name, sizeof(hook_name))) != 0)
		return rc == HOOK_DONE ? EXIT_OK : refused(&o);
	if (!diag_kind_find(o.command)) {
		die("unknown command '%.40s' (see dnsdoctor --help)",
		    o.command);
		return refused(&o);
	}
	if (diag_env_init(&env, &o, err, sizeof(err)) < 0)
		return failed(&o, err);
	o.progress = opts_progress(&o);
	diag_run(&d, &o, &env);
	int code = finish(&d, &o);
	diag_deinit(&d);
	diag_env_deinit(&env);
	return code;
}
