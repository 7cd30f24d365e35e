/* The TLS pass of `cert`: a handshake with every address at once, each
 * result recorded in evidence.tls. No judgement: core/cert.c judges. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/tls.h"
#include "probe/probe.h"
#include "probe/probe_cert.h"

/* T as the evidence keeps it. */
static int record(struct evidence *ev, struct tls_fetch *t)
{
	const struct ev_tls r = {
		.addr = (char *)t->addr,
		.host = (char *)t->host,
		.detail = t->detail,
		.port = t->port,
		.status = t->status,
		.der = t->der,
		.der_len = t->der_len,
		.n = t->n,
	};
	return evidence_add_tls(ev, &r);
}

int probe_tls(struct engine *eng, struct evidence *ev, const char *host,
	      uint16_t port, const struct strset *addrs, int family,
	      uint32_t timeout_ms)
{
	struct tls_fetch *t = calloc(addrs->n ? addrs->n : 1, sizeof(*t));
	size_t n = 0;
	int rc, nomem = 0;
	char name[300];

	if (!t)
		return -ENOMEM;
	snprintf(name, sizeof(name), "%s.", host);
	for (size_t i = 0; i < addrs->n; i++) {
		bool v6 = strchr(addrs->v[i], ':') != NULL;
		/* Every address of HOST came from DNS. */
		if ((family && (family == 6) != v6) ||
		    probe_refuses(ev, NULL, EV_USE_TLS, NULL, name, addrs->v[i],
				  &nomem))
			continue;
		t[n++] = (struct tls_fetch){ .host = host,
					     .addr = addrs->v[i],
					     .port = port,
					     .timeout_ms = timeout_ms };
	}
	rc = nomem ? -ENOMEM : tls_fetch_all(eng, t, n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = record(ev, &t[i]);
	for (size_t i = 0; i < n; i++)
		tls_fetch_deinit(&t[i]);
	free(t);
	return rc;
}
