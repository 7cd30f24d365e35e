#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include "cli/common.h"
#include "core/nslist.h"
#include "core/dname.h"
#include "probe/probe.h"

#define NSLIST_MAX_BYTES (1u << 20)

/* --expect-ns NAMES or @FILE into EV. 0 or -1 (message printed). */
static int expect_ns(const char *arg, struct evidence *ev)
{
	struct strset names;
	char err[200], *text = NULL;
	size_t len;
	int rc = -1;

	strset_init(&names);
	if (arg[0] == '@') {
		text = read_file_capped("--expect-ns file", arg + 1, NSLIST_MAX_BYTES, &len);
		if (!text)
			return -1;
	} else {
		len = strlen(arg);
	}
	if (nslist_parse(text ? text : arg, len, &names, err, sizeof(err)) < 0) {
		die("--expect-ns: %s", err);
		goto out;
	}
	for (size_t i = 0; i < names.n; i++)
		if (evidence_add_expect_ns(ev, names.v[i]) < 0) {
			die("out of memory");
			goto out;
		}
	rc = 0;
out:
	free(text);
	strset_deinit(&names);
	return rc;
}

/* Adds "KEY=VALUE" to EV's validation options. 0 or -1 (printed). */
static int val_add(struct evidence *ev, const char *key, const char *value)
{
	char *s = NULL;
	int rc = asprintf(&s, "%s=%s", key, value) < 0 ? -1 : ev_strings_add(&ev->validation, s);
	free(s);
	if (rc < 0)
		die("out of memory");
	return rc < 0 ? -1 : 0;
}

/* --acme, --ca, --challenge, --txt, --account-uri and --acm into EV, so
 * `analyze` reaches the same findings. 0 or -1 (message printed). */
static int load_validation(const struct opts *o, struct evidence *ev)
{
	char err[160], name[256], target[256];
	if (o->acme && ev_strings_add(&ev->validation, "acme") < 0) {
		die("out of memory");
		return -1;
	}
	if ((o->ca && val_add(ev, "ca", o->ca) < 0) ||
	    (o->challenge && val_add(ev, "challenge", o->challenge) < 0) ||
	    (o->txt && val_add(ev, "txt", o->txt) < 0) ||
	    (o->account_uri && val_add(ev, "account_uri", o->account_uri) < 0) ||
	    (o->token && val_add(ev, "token", o->token) < 0) ||
	    (o->key_auth && val_add(ev, "key_auth", o->key_auth) < 0))
		return -1;
	for (size_t i = 0; i < o->n_acm; i++) {
		const char *eq = strchr(o->acm[i], '=');
		char left[256];
		if (!eq || (size_t)(eq - o->acm[i]) >= sizeof(left)) {
			die("--acm wants NAME=TARGET, as ACM shows them");
			return -1;
		}
		snprintf(left, sizeof(left), "%.*s", (int)(eq - o->acm[i]), o->acm[i]);
		if (dname_from_user(left, name, sizeof(name), err, sizeof(err)) < 0 ||
		    dname_from_user(eq + 1, target, sizeof(target), err, sizeof(err)) < 0) {
			die("--acm: %s", err);
			return -1;
		}
		char both[520];
		snprintf(both, sizeof(both), "%s=%s", name, target);
		if (val_add(ev, "acm", both) < 0)
			return -1;
	}
	return 0;
}

int cmd_check(const struct opts *o)
{
	char domain[256];
	struct hints hints = { 0 }, resolvers = { 0 };
	struct engine *eng = NULL;
	struct evidence *ev = NULL, *replay = NULL;
	int code = EXIT_UNKNOWN;

	if (o->n_args != 1)
		return die("check wants exactly one DOMAIN (see dnsdoctor --help)");
	/* A certificate for *.X is validated at X (RFC 8555 8.4, RFC 8659
	 * 3), with CAA issuewild: X is diagnosed, the wildcard noted. */
	bool wildcard = strncmp(o->args[0], "*.", 2) == 0 && o->args[0][2];
	if (wildcard && !o->acme && !o->n_acm)
		return die("a wildcard name is checked with --acme or --acm (see dnsdoctor --help)");
	if (domain_arg(o->args[0] + (wildcard ? 2 : 0), domain, sizeof(domain)) < 0 ||
	    load_hints(o, &hints) < 0)
		goto out;
	ev = evidence_new(domain, (int64_t)time(NULL));
	if (!ev || (wildcard && ev_strings_add(&ev->validation, "wildcard") < 0)) {
		die("out of memory");
		goto out;
	}
	ev->rrsig_warn_s = (int64_t)(o->rrsig_warn_days * 86400);
	if ((o->expect_ns && expect_ns(o->expect_ns, ev) < 0) ||
	    load_validation(o, ev) < 0 || load_public_suffix(ev) < 0 ||
	    load_trust_anchor(o, ev) < 0 || load_what_if_ds(o, domain, ev) < 0 ||
	    load_resolvers(o, &resolvers) < 0 || make_engine(o, &eng, &replay) < 0)
		goto out;
	if (replay)
		ev->started = replay->started;
	struct probe_config cfg = { .roots = &hints, .resolvers = &resolvers,
				    .family = o->family };
	uint64_t t0 = eng->ops->now_ms(eng->impl);
	int rc = probe_check(eng, &cfg, ev);
	uint64_t elapsed = eng->ops->now_ms(eng->impl) - t0;
	if (probe_failed(rc))
		goto out;
	if (o->save_evidence && save_evidence(ev, o->save_evidence) < 0)
		goto out;
	code = report_evidence(o, ev, eng->ops->sent(eng->impl), elapsed);
out:
	engine_free(eng);
	evidence_free(replay);
	evidence_free(ev);
	hints_deinit(&hints);
	hints_deinit(&resolvers);
	return code;
}
