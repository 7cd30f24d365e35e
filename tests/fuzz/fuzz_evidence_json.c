/* An evidence file for `analyze`: JSON from anywhere. What loads must also
 * go through the view, the checks, the report and back to JSON. */
#include <stdio.h>
#include <jansson.h>
#include "core/checks.h"
#include "core/evidence_json.h"
#include "report/report.h"
#include "fuzz.h"

static void analyse(const struct evidence *ev)
{
	static FILE *null;
	struct view v;
	struct findings fs;
	char *verdict = NULL, *fix = NULL;

	if (!null)
		null = fopen("/dev/null", "w");
	findings_init(&fs);
	if (view_build(ev, &v) < 0)
		return;
	if (checks_run(&v, (time_t)ev->started, &fs) == 0 &&
	    verdict_build(&v, &fs, &verdict, &fix) == 0 && null) {
		struct report_ctx r = { .command = "analyze", .view = &v,
			.findings = &fs, .verdict = verdict, .fix = fix };
		report_check_text(&r, null);
		report_check_json(&r, null);
		report_trace_text(ev, 2, 0, 0, false, null);
	}
	free(verdict);
	free(fix);
	findings_deinit(&fs);
	view_deinit(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	char err[200];
	json_t *j = json_loadb((const char *)data, size, 0, &je);

	if (!j)
		return 0;
	struct evidence *ev = evidence_from_json(j, err, sizeof(err));
	json_decref(j);
	if (!ev)
		return 0;
	analyse(ev);
	json_t *back = evidence_to_json(ev);
	json_decref(back);
	evidence_free(ev);
	return 0;
}
