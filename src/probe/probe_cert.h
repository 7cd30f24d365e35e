/* The TLS pass of `cert`. */
#ifndef DD_PROBE_PROBE_CERT_H
#define DD_PROBE_PROBE_CERT_H

#include <stdint.h>
#include "core/evidence.h"
#include "core/strset.h"
#include "engine/engine.h"

/* Handshakes with HOST (SNI) on PORT at every address of ADDRS (of FAMILY
 * only, when 4 or 6), all at once, and appends each result to EV->tls.
 * 0 or -ENOMEM. */
int probe_tls(struct engine *eng, struct evidence *ev, const char *host,
	      uint16_t port, const struct strset *addrs, int family,
	      uint32_t timeout_ms);

#endif
