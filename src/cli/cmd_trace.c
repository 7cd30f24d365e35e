#include <errno.h>
#include <string.h>
#include <time.h>
#include <ldns/ldns.h>
#include "cli/common.h"
#include "probe/probe.h"
#include "report/report.h"

int cmd_trace(const struct opts *o)
{
	char domain[256];
	struct hints hints = { 0 };
	struct engine *eng = NULL;
	struct evidence *ev = NULL, *replay = NULL;
	uint16_t qtype = LDNS_RR_TYPE_NS;
	int code = EXIT_UNKNOWN;

	if (o->n_args < 1 || o->n_args > 2)
		return die("trace wants DOMAIN [TYPE] (see dnsdoctor --help)");
	if (o->n_args == 2) {
		qtype = ldns_get_rr_type_by_name(o->args[1]);
		if (qtype == 0)
			return die("unknown record type '%.20s'", o->args[1]);
	}
	if (domain_arg(o->args[0], domain, sizeof(domain)) < 0 ||
	    load_hints(o, &hints) < 0)
		goto out;
	ev = evidence_new(domain, (int64_t)time(NULL));
	if (!ev) {
		die("out of memory");
		goto out;
	}
	if (make_engine(o, &eng, &replay) < 0)
		goto out;
	struct probe_config cfg = { .roots = &hints, .family = o->family };
	uint64_t t0 = eng->ops->now_ms(eng->impl);
	int rc = probe_trace(eng, &cfg, qtype, ev);
	uint64_t elapsed = eng->ops->now_ms(eng->impl) - t0;
	if (probe_failed(rc))
		goto out;
	if (o->save_evidence && save_evidence(ev, o->save_evidence) < 0)
		goto out;
	uint64_t sent = eng->ops->sent(eng->impl);
	if (o->json) {
		if (report_trace_json(ev, qtype, sent, elapsed, stdout) < 0) {
			die("cannot write the report");
			goto out;
		}
	} else {
		report_trace_text(ev, qtype, sent, elapsed, o->color, stdout);
	}
	code = EXIT_OK;
out:
	engine_free(eng);
	evidence_free(replay);
	evidence_free(ev);
	hints_deinit(&hints);
	return code;
}
