/* The validation pass of `check --acme/--acm`. */
#ifndef DD_PROBE_PROBE_ACME_H
#define DD_PROBE_PROBE_ACME_H

#include "core/evidence.h"
#include "core/strset.h"
#include "engine/engine.h"
#include "probe/probe.h"

/* After probe_check filled EV: the A and AAAA addresses of EV->domain as
 * the delegated servers give them (CNAMEs followed across zones), added to
 * OUT. 0 or -ENOMEM. */
int probe_host_addrs(struct engine *eng, const struct probe_config *cfg,
		     struct evidence *ev, struct strset *out);

#endif
