/* An evidence file for `analyze`: JSON from anywhere. What loads must also
 * go through the diagnosis of its kind, both reports and back to JSON. */
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include "core/cert.h"
#include "core/evidence_json.h"
#include "diag/diag.h"
#include "fuzz.h"

/* As `analyze` does: the diagnosis layer picks the kind from the
 * evidence, judges it and renders text and JSON. Takes EV. */
static void analyse(struct evidence *ev)
{
	static FILE *null;
	struct diag_request req = { .command = "analyze" };
	struct diag d;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	diag_judge_saved(&d, &req, ev);
	diag_render(&d, DIAG_TEXT, null);
	diag_render(&d, DIAG_JSON, null);
	diag_deinit(&d);
}

/* `cert` evidence: every TLS record judged as analyze does. */
static void judge_certs(const struct evidence *ev)
{
	struct cert_obs *obs = calloc(ev->n_tls + 1, sizeof(*obs));
	struct cert_opts co;
	struct findings fs;

	cert_opts_read(ev, &co);
	X509_STORE *store = co.ca_pem ? cert_store_from_pem(co.ca_pem) : NULL;
	findings_init(&fs);
	for (size_t i = 0; obs && i < ev->n_tls; i++) {
		struct cert_info info;
		obs[i] = cert_obs_of(&ev->tls[i]);
		cert_describe(&obs[i], store, (time_t)ev->started, &info);
	}
	const struct cert_view v = { .host = "www.example",
				     .obs = obs,
				     .n = obs ? ev->n_tls : 0,
				     .store = store,
				     .warn_days = co.warn_days };
	cert_checks_run(&v, (time_t)ev->started, &fs);
	findings_deinit(&fs);
	X509_STORE_free(store);
	free(obs);
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
	judge_certs(ev);
	json_t *back = evidence_to_json(ev);
	json_decref(back);
	analyse(ev);
	return 0;
}
