/* DNS responses from hostile servers, seen in context: the recorded
 * evidence of the healthy lab scenario, with the responses of some of its
 * exchanges replaced by the input, goes through the view, the checks and
 * both reports. Each response is also parsed, classified and matched
 * against its question on its own, as the engine and the probe do.
 *
 * Input: chunks of [index u8][length u16, big-endian][bytes]; the index
 * picks the exchange (modulo their number) whose response the bytes
 * replace; a last chunk shorter than its length takes what is left. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "core/checks.h"
#include "core/dnsmsg.h"
#include "core/evidence_json.h"
#include "core/wire.h"
#include "report/report.h"
#include "fuzz.h"

#define BASE	   SRCDIR "/tests/fixtures/evidence/healthy.json"
#define MAX_CHUNKS 8

static const struct evidence *base(void)
{
	static struct evidence *ev;
	json_error_t je;
	char err[200];

	if (ev)
		return ev;
	json_t *j = json_load_file(BASE, 0, &je);
	if (!j || !(ev = evidence_from_json(j, err, sizeof(err)))) {
		fprintf(stderr, "fuzz_response: cannot load %s\n", BASE);
		abort();
	}
	json_decref(j);
	/* Without the trust anchor the chain's signatures are not verified:
	 * ECDSA over the root and com. keys on every input cost 8 ms of the
	 * 8.5 ms an input took (118 inputs/s). The signature code has inputs
	 * of its own in the evidence_json corpus; here the parsers and the
	 * checks over hostile bytes get the time. */
	for (size_t i = 0; i < ev->trust_anchor.n; i++)
		free(ev->trust_anchor.v[i]);
	free(ev->trust_anchor.v);
	ev->trust_anchor.v = NULL;
	ev->trust_anchor.n = 0;
	return ev;
}

/* What the engine and the probe do with one response on its own. */
static void one_response(const struct ev_exchange *x, const uint8_t *p,
			 size_t n)
{
	char cut[256];
	struct strset s;

	wire_match_response(p, n, wire_id(p, n), x->qname, x->qtype, 1);
	wire_tc(p, n);
	wire_rcode(p, n);
	ldns_pkt *pkt = dmsg_parse(p, n);
	if (!pkt)
		return;
	dmsg_classify(pkt, x->qname, x->qtype, cut, sizeof(cut));
	strset_init(&s);
	dmsg_targets(pkt, LDNS_SECTION_AUTHORITY, x->zone, LDNS_RR_TYPE_NS, &s);
	dmsg_targets(pkt, LDNS_SECTION_ANSWER, x->qname, LDNS_RR_TYPE_CNAME,
		     &s);
	dmsg_addrs(pkt, LDNS_SECTION_ADDITIONAL, x->server, &s);
	uint32_t serial;
	dmsg_soa_serial(pkt, x->qname, &serial);
	strset_deinit(&s);
	ldns_pkt_free(pkt);
}

static void analyse(const struct evidence *ev)
{
	static FILE *null;
	struct view v;
	struct findings fs;
	char *verdict = NULL, *fix = NULL;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	findings_init(&fs);
	if (view_build(ev, &v) < 0)
		return;
	if (checks_run(&v, (time_t)ev->started, &fs) == 0 &&
	    verdict_build(&v, &fs, &verdict, &fix) == 0) {
		struct report_ctx r = { .command = "check",
					.view = &v,
					.findings = &fs,
					.verdict = verdict,
					.fix = fix };
		report_check_text(&r, null);
		json_decref(report_check_section(&r));
	}
	report_trace_text(ev, LDNS_RR_TYPE_NS, 0, 0, false, null);
	json_decref(report_trace_section(ev, LDNS_RR_TYPE_NS, 0, 0));
	free(verdict);
	free(fix);
	findings_deinit(&fs);
	view_deinit(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct evidence *b = base();
	const uint8_t *wire[MAX_CHUNKS];
	size_t len[MAX_CHUNKS], idx[MAX_CHUNKS], n = 0;
	struct wire_ctx c;

	wire_ctx_init(&c, data, size);
	while (n < MAX_CHUNKS && wire_available(&c) >= 1) {
		idx[n] = wire_read_u8(&c) % b->n_ex;
		size_t want = wire_available(&c) >= 2 ? wire_read_u16(&c) : 0;
		size_t have = wire_available(&c);
		len[n] = want < have ? want : have;
		wire[n] = data + c.pos;
		wire_skip(&c, len[n]);
		n++;
	}
	struct evidence *ev = evidence_new(b->domain, b->started);
	if (!ev)
		return 0;
	for (size_t i = 0; i < b->n_ex; i++) {
		struct ev_exchange x = b->ex[i];
		for (size_t k = 0; k < n; k++) {
			if (idx[k] != i)
				continue;
			x.status = QS_OK;
			x.wire = (uint8_t *)wire[k];
			x.wire_len = len[k];
			one_response(&x, wire[k], len[k]);
		}
		if (evidence_add(ev, &x) < 0)
			goto out;
	}
	analyse(ev);
out:
	evidence_free(ev);
	return 0;
}
