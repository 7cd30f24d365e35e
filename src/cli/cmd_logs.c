/* dnsdoctor logs FILE... [--json] [--run-checks]: reads ACME client logs,
 * classifies every failure (src/core/acmelog.h) and points at the dnsdoctor
 * check that confirms its cause; with --run-checks runs the ones this build
 * has, as a child dnsdoctor (/proc/self/exe) with the same options. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>
#include "cli/common.h"
#include "core/acmelog.h"
#include "report/logs_report.h"

#define LOG_MAX_BYTES (64u << 20)     /* per input */
#define CHECK_OUTPUT_MAX (8u << 20)   /* a child's JSON report */
#define COMMANDS_PER_DOMAIN 4
#define DOMAINS_CHECKED 20            /* per failure group */
#define CHECKS_RUN_MAX 50             /* child processes per invocation */

extern char **environ;

/* A child check already run, shared by every group naming its domain. */
struct ran {
	char *command;
	json_t *result;
	int exit_code;
	char *error;
};

struct runs {
	struct ran *v;
	size_t n;
};

/* Whether this build has COMMAND: today only a plain `check DOMAIN`. */
static bool available(const char *command, const char *domain)
{
	char want[300];
	snprintf(want, sizeof(want), "dnsdoctor check %s", domain);
	return strcmp(command, want) == 0;
}

/* Reads FD to EOF into a new buffer (at most MAX bytes, the rest drained). */
static char *read_all(int fd, size_t max, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1), tmp[4096];
	ssize_t got;
	if (!buf)
		return NULL;
	for (;;) {
		if (n == cap && cap < max) {
			size_t nc = cap * 2 > max ? max : cap * 2;
			char *b = realloc(buf, nc + 1);
			if (!b)
				break;
			buf = b;
			cap = nc;
		}
		if (n < cap)
			got = read(fd, buf + n, cap - n);
		else
			got = read(fd, tmp, sizeof(tmp)); /* over the cap: drain */
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (n < cap)
			n += (size_t)got;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Runs `dnsdoctor check DOMAIN --json` with this run's options. */
static void run_check(const struct opts *o, const char *domain, struct ran *r)
{
	char timeout[32];
	const char *argv[12];
	int n = 0, pipefd[2] = { -1, -1 }, status = 0;
	posix_spawn_file_actions_t fa;
	pid_t pid;
	size_t len = 0;
	char *out;
	json_error_t je;

	snprintf(timeout, sizeof(timeout), "%g", o->timeout);
	argv[n++] = "dnsdoctor";
	argv[n++] = "check";
	argv[n++] = domain;
	argv[n++] = "--json";
	argv[n++] = "--timeout";
	argv[n++] = timeout;
	if (o->root_hints) {
		argv[n++] = "--root-hints";
		argv[n++] = o->root_hints;
	}
	if (o->family) {
		argv[n++] = o->family == 4 ? "-4" : "-6";
	}
	argv[n] = NULL;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		r->error = strdup("cannot run it: no pipe");
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	/* its one-line complaints would break our own output */
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		r->error = strdup("cannot run it: spawn failed");
		return;
	}
	out = read_all(pipefd[0], CHECK_OUTPUT_MAX, &len);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
	r->result = out ? json_loadb(out, len, 0, &je) : NULL;
	if (!json_is_object(r->result)) {
		json_decref(r->result);
		r->result = NULL;
		r->error = strdup(r->exit_code == EXIT_UNKNOWN
					  ? "the check could not be carried out (exit 3)"
					  : "the check gave no JSON report");
	}
	free(out);
}

static struct ran *find_or_run(const struct opts *o, struct runs *rs,
			       const char *command, const char *domain)
{
	struct ran *nv;
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].command, command) == 0)
			return &rs->v[i];
	if (rs->n >= CHECKS_RUN_MAX)
		return NULL;
	if (!(nv = realloc(rs->v, (rs->n + 1) * sizeof(*nv))))
		return NULL;
	rs->v = nv;
	memset(&rs->v[rs->n], 0, sizeof(*rs->v));
	if (!(rs->v[rs->n].command = strdup(command)))
		return NULL;
	run_check(o, domain, &rs->v[rs->n]);
	return &rs->v[rs->n++];
}

/* The recommended commands of group G, one list per domain. */
static int group_checks(const struct opts *o, const struct acme_group *g,
			struct logs_group_checks *gc, struct runs *rs)
{
	char *cmds[COMMANDS_PER_DOMAIN];
	for (size_t d = 0; d < g->ndomains && d < DOMAINS_CHECKED; d++) {
		int n = acmelog_commands(g->cause, g->domains[d], cmds, COMMANDS_PER_DOMAIN);
		if (n < 0)
			return -ENOMEM;
		struct logs_check *nv = realloc(gc->c, (gc->n + (size_t)n + 1) * sizeof(*nv));
		if (!nv) {
			while (n)
				free(cmds[--n]);
			return -ENOMEM;
		}
		gc->c = nv;
		for (int k = 0; k < n; k++) {
			struct logs_check *c = &gc->c[gc->n++];
			memset(c, 0, sizeof(*c));
			c->command = cmds[k];
			c->domain = strdup(g->domains[d]);
			if (!c->domain)
				return -ENOMEM;
			c->available = available(c->command, g->domains[d]);
			if (!o->run_checks)
				continue;
			if (!c->available) {
				c->error = strdup("not available in this build");
				continue;
			}
			const char *dom = g->domains[d];
			if (strncmp(dom, "*.", 2) == 0)
				dom += 2;
			struct ran *r = find_or_run(o, rs, c->command, dom);
			if (!r) {
				c->error = strdup("not run: too many checks for one report");
				continue;
			}
			c->ran = r->result != NULL;
			c->result = r->result;
			c->exit_code = r->exit_code;
			if (r->error)
				c->error = strdup(r->error);
		}
	}
	return 0;
}

static void checks_free(struct logs_group_checks *gc, size_t n)
{
	for (size_t i = 0; gc && i < n; i++) {
		for (size_t k = 0; k < gc[i].n; k++) {
			free(gc[i].c[k].domain);
			free(gc[i].c[k].command);
			free(gc[i].c[k].error);
		}
		free(gc[i].c);
	}
	free(gc);
}

static void runs_free(struct runs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->v[i].command);
		free(rs->v[i].error);
		json_decref(rs->v[i].result);
	}
	free(rs->v);
}

int cmd_logs(const struct opts *o)
{
	struct acme_log log;
	struct acme_summary sum = { 0 };
	struct logs_input inputs[sizeof(o->args) / sizeof(o->args[0])];
	struct logs_group_checks *gc = NULL;
	struct runs rs = { 0 };
	int code = EXIT_UNKNOWN, rc;

	if (o->n_args == 0)
		return die("logs wants at least one FILE ('-' for stdin; see dnsdoctor --help)");
	acmelog_init(&log);
	for (size_t i = 0; i < o->n_args; i++) {
		const char *path = strcmp(o->args[i], "-") == 0 ? "/dev/stdin" : o->args[i];
		size_t len = 0, before = log.lines;
		char *text = read_file_capped("log", path, LOG_MAX_BYTES, &len);
		if (!text)
			goto out;
		inputs[i].name = o->args[i];
		rc = acmelog_parse(&log, text, len, ACME_FMT_UNKNOWN, &inputs[i].format);
		free(text);
		inputs[i].lines = log.lines - before;
		if (rc == -EINVAL) {
			char shown[64];
			snprintf(shown, sizeof(shown), "%.40s", o->args[i]);
			for (char *p = shown; *p; p++)
				if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
					*p = '?';
			die("%s: not a log dnsdoctor reads (certbot, lego, acme.sh, cert-manager)",
			    shown);
			goto out;
		}
		if (rc < 0) {
			die("out of memory");
			goto out;
		}
	}
	if (acmelog_summarize(&log, &sum) < 0 ||
	    !(gc = calloc(sum.ng + 1, sizeof(*gc)))) {
		die("out of memory");
		goto out;
	}
	for (size_t i = 0; i < sum.ng; i++)
		if (group_checks(o, &sum.g[i], &gc[i], &rs) < 0) {
			die("out of memory");
			goto out;
		}
	struct logs_report r = {
		.inputs = inputs, .ninputs = o->n_args, .log = &log, .sum = &sum,
		.checks = gc, .run_checks = o->run_checks, .color = o->color,
		.exit_code = sum.failures ? EXIT_ERROR : EXIT_OK,
	};
	if (o->json) {
		if (report_logs_json(&r, stdout) < 0) {
			die("cannot write the report");
			goto out;
		}
	} else {
		report_logs_text(&r, stdout);
	}
	code = r.exit_code;
out:
	checks_free(gc, sum.ng);
	runs_free(&rs);
	acmelog_summary_deinit(&sum);
	acmelog_deinit(&log);
	return code;
}
