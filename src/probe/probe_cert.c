/* The TLS pass of `cert`: a handshake with every address at once, each
 * result recorded in evidence.tls. No judgement: core/cert.c judges. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "core/evidence_json.h"
#include "core/validation.h"
#include "engine/tls.h"
#include "probe/probe_cert.h"

static json_t *record(const struct tls_fetch *t)
{
	json_t *chain = json_array();
	for (size_t i = 0; chain && i < t->n; i++)
		if (json_array_append_new(
			    chain, ev_hex_json(t->der[i], t->der_len[i])) < 0) {
			json_decref(chain);
			return NULL;
		}
	return json_pack("{s:s, s:i, s:s, s:s, s:o, s:o}", "addr", t->addr,
			 "port", (int)t->port, "host", t->host, "status",
			 tls_status_name(t->status), "detail",
			 json_safe(t->detail), "chain", chain);
}

int probe_tls(struct engine *eng, struct evidence *ev, const char *host,
	      uint16_t port, const struct strset *addrs, int family,
	      uint32_t timeout_ms)
{
	struct tls_fetch *t = calloc(addrs->n ? addrs->n : 1, sizeof(*t));
	size_t n = 0;
	int rc;

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < addrs->n; i++) {
		bool v6 = strchr(addrs->v[i], ':') != NULL;
		if (family && (family == 6) != v6)
			continue;
		t[n++] = (struct tls_fetch){ .host = host,
					     .addr = addrs->v[i],
					     .port = port,
					     .timeout_ms = timeout_ms };
	}
	rc = tls_fetch_all(eng, t, n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_t *j = record(&t[i]);
		char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)
			       : NULL;
		if (!text || ev_strings_add(&ev->tls, text) < 0)
			rc = -ENOMEM;
		free(text);
		json_decref(j);
	}
	for (size_t i = 0; i < n; i++)
		tls_fetch_deinit(&t[i]);
	free(t);
	return rc;
}
