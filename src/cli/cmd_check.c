#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/common.h"
#include "core/nslist.h"
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

int cmd_check(const struct opts *o)
{
	char domain[256];
	struct hints hints = { 0 }, resolvers = { 0 };
	struct engine *eng = NULL;
	struct evidence *ev = NULL, *replay = NULL;
	int code = EXIT_UNKNOWN;

	if (o->n_args != 1)
		return die("check wants exactly one DOMAIN (see dnsdoctor --help)");
	if (domain_arg(o->args[0], domain, sizeof(domain)) < 0 ||
	    load_hints(o, &hints) < 0)
		goto out;
	ev = evidence_new(domain, (int64_t)time(NULL));
	if (!ev) {
		die("out of memory");
		goto out;
	}
	ev->rrsig_warn_s = (int64_t)(o->rrsig_warn_days * 86400);
	if ((o->expect_ns && expect_ns(o->expect_ns, ev) < 0) ||
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
	if (rc == -EHOSTUNREACH) {
		die("no root server answered: check the network or --root-hints");
		goto out;
	}
	if (rc < 0) {
		die("the probe failed: %s", strerror(-rc));
		goto out;
	}
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
