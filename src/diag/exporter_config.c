/* The exporter's configuration file (exporter_config.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/array.h"
#include "diag/diag.h"
#include "diag/exporter_config.h"
#include "diag/fleet_input.h"
#include "diag/inputs.h"

/* A directive that names a target: how many arguments precede its
 * options. */
static const struct {
	const char *kind;
	int n_args;
} kinds[] = { { "check", 1 }, { "cert", 1 }, { "propagation", 2 } };

void xcfg_unref(struct xcfg *c)
{
	if (!c || --c->refs > 0)
		return;
	for (size_t i = 0; i < c->n_t; i++)
		free(c->t[i].words);
	for (size_t i = 0; i < c->n_m; i++)
		free(c->m[i].words);
	free(c->t);
	free(c->m);
	free(c);
}

const struct xmodule *xcfg_module(const struct xcfg *c, const char *name)
{
	for (size_t i = 0; c && i < c->n_m; i++)
		if (strcmp(c->m[i].name, name) == 0)
			return &c->m[i];
	return NULL;
}

/* The words of L copied into *WORDS, ARGV pointing into them. */
static int words_copy(const struct fleet_line *l, char **words, char **argv)
{
	if (!(*words = malloc(l->len + 1)))
		return -1;
	memcpy(*words, l->words, l->len + 1);
	for (int i = 0; i < l->n_tok; i++)
		argv[i] = *words + (l->tok[i] - l->words);
	argv[l->n_tok] = NULL;
	return 0;
}

/* REQ from the run's options, COMMAND with its N positional ARGV[1..N]
 * and the options after them. 0, or -1 with why in ERR. */
static int request_of(const struct exporter_options *o, const char *command,
		      char **argv, int argc, int n, struct diag_request *req,
		      char *err, size_t errlen)
{
	*req = *o->run;
	req->command = command;
	req->n_args = 0;
	for (int i = 1; i <= n; i++) {
		if (i >= argc || argv[i][0] == '-') {
			snprintf(err, errlen, "%s wants %d argument%s first",
				 command, n, n == 1 ? "" : "s");
			return -1;
		}
		req->args[req->n_args++] = argv[i];
	}
	/* The options after the arguments, ARGV[N] standing for the name
	 * getopt skips. */
	if (argc > n + 1 &&
	    o->parse_line(req, command, argc - n, argv + n, err, errlen) < 0)
		return -1;
	req->command = command;
	req->format = DIAG_TEXT;
	req->color = false;
	req->rrsig_expiry = strcmp(command, "check") == 0;
	return 0;
}

/* Validates the target's name (a domain, or a host with a port). */
static int name_check(const struct xtarget *t, char *err, size_t errlen)
{
	struct diag d = { 0 };
	char name[300], host[300];
	snprintf(host, sizeof(host), "%s", t->name);
	/* cert HOST:PORT, [IPv6]:PORT: the port is cert's to judge. */
	char *colon = strrchr(host, ':');
	if (strcmp(t->kind, "cert") == 0 && colon && !strchr(host, ']') &&
	    colon == strchr(host, ':'))
		*colon = '\0';
	if (strcmp(t->kind, "cert") == 0 && host[0] == '[')
		return 0;
	if (diag_domain_arg(&d, host, name, sizeof(name)) < 0) {
		snprintf(err, errlen, "%.380s", d.error);
		return -1;
	}
	return 0;
}

static int directive(struct xcfg *c, const struct exporter_options *o,
		     const struct fleet_line *l, size_t *cap_t, size_t *cap_m,
		     char *err, size_t errlen)
{
	char *argv[FLEET_TOKENS_MAX + 1], *words = NULL;
	const char *word = l->tok[0];
	if (strcmp(word, "interval") == 0) {
		char *end;
		unsigned long v = l->n_tok == 2 ? strtoul(l->tok[1], &end, 10)
						: 0;
		if (l->n_tok != 2 || *end || v < XCFG_INTERVAL_MIN_S ||
		    v > XCFG_INTERVAL_MAX_S) {
			snprintf(err, errlen,
				 "interval wants seconds from %d to %d",
				 XCFG_INTERVAL_MIN_S, XCFG_INTERVAL_MAX_S);
			return -1;
		}
		c->interval_s = (unsigned)v;
		return 0;
	}
	if (words_copy(l, &words, argv) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (strcmp(word, "module") == 0) {
		struct xmodule m = { .words = words };
		if (l->n_tok < 2 || argv[1][0] == '-') {
			snprintf(err, errlen, "module wants a NAME first");
			goto fail;
		}
		if (xcfg_module(c, argv[1])) {
			snprintf(err, errlen, "module %.60s is defined twice",
				 argv[1]);
			goto fail;
		}
		if (c->n_m == XCFG_MODULES_MAX) {
			snprintf(err, errlen, "more than %d modules",
				 XCFG_MODULES_MAX);
			goto fail;
		}
		m.name = argv[1];
		if (request_of(o, "check", argv + 1, l->n_tok - 1, 0, &m.req,
			       err, errlen) < 0)
			goto fail;
		if (ARRAY_RESERVE(c->m, *cap_m, c->n_m + 1) < 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		c->m[c->n_m++] = m;
		return 0;
	}
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strcmp(word, kinds[k].kind) != 0)
			continue;
		struct xtarget t = { .line = l->no,
				     .kind = kinds[k].kind,
				     .words = words };
		if (request_of(o, t.kind, argv, l->n_tok, kinds[k].n_args,
			       &t.req, err, errlen) < 0)
			goto fail;
		t.name = t.req.args[0];
		if (name_check(&t, err, errlen) < 0)
			goto fail;
		for (size_t i = 0; i < c->n_t; i++)
			if (strcmp(c->t[i].kind, t.kind) == 0 &&
			    strcasecmp(c->t[i].name, t.name) == 0) {
				snprintf(err, errlen,
					 "%s %.80s is already a target (line "
					 "%lu): its series would be the same",
					 t.kind, t.name, c->t[i].line);
				goto fail;
			}
		if (c->n_t == XCFG_TARGETS_MAX) {
			snprintf(err, errlen, "more than %d targets",
				 XCFG_TARGETS_MAX);
			goto fail;
		}
		if (ARRAY_RESERVE(c->t, *cap_t, c->n_t + 1) < 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		c->t[c->n_t++] = t;
		return 0;
	}
	snprintf(err, errlen,
		 "'%.40s' is not a directive (interval, module, check, cert, "
		 "propagation)",
		 word);
fail:
	free(words);
	return -1;
}

int xcfg_load(struct xcfg **out, const char *path,
	      const struct exporter_options *o, char *err, size_t errlen)
{
	struct xcfg *c = calloc(1, sizeof(*c));
	struct fleet_line *l = calloc(1, sizeof(*l));
	size_t cap_t = 0, cap_m = 0;
	char why[400];
	FILE *f = NULL;
	*out = NULL;
	if (!c || !l) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	c->refs = 1;
	c->interval_s = XCFG_INTERVAL_S;
	if (!path) {
		free(l);
		*out = c;
		return 0;
	}
	if (!(f = fopen(path, "r"))) {
		snprintf(err, errlen, "cannot read %.200s: %s", path,
			 strerror(errno));
		goto fail;
	}
	int got;
	while ((got = fleet_line_read(f, l)) >= 0) {
		if (got == 0)
			continue;
		if (l->too_long || l->too_many) {
			snprintf(err, errlen,
				 "%.200s:%lu: the line is too long", path,
				 l->no);
			goto fail;
		}
		if (directive(c, o, l, &cap_t, &cap_m, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%.200s:%lu: %s", path, l->no,
				 why);
			goto fail;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %.200s: read error", path);
		goto fail;
	}
	fclose(f);
	free(l);
	*out = c;
	return 0;
fail:
	if (f)
		fclose(f);
	free(l);
	xcfg_unref(c);
	return -1;
}
