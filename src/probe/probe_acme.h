/* The validation pass of `check --acme/--acm`. */
#ifndef DD_PROBE_PROBE_ACME_H
#define DD_PROBE_PROBE_ACME_H

#include "core/evidence.h"
#include "core/strset.h"
#include "engine/engine.h"
#include "probe/probe.h"

/* After probe_check filled EV: asks what a CA's validator asks, as
 * EV->validation says (CAA on the climb from the name, _acme-challenge TXT
 * and the name with the zone doubled, ACM CNAMEs and their typo variants),
 * of every server of the zone that holds each name (for the domain's zone,
 * its --expect-ns servers too), following CNAMEs across zones. Does
 * nothing without validation options or a delegation. 0 or -ENOMEM. */
int probe_validation(struct engine *eng, const struct probe_config *cfg,
		     struct evidence *ev);

/* After probe_check filled EV: the A and AAAA addresses of EV->domain as
 * the delegated servers give them (CNAMEs followed across zones), added to
 * OUT. 0 or -ENOMEM. */
int probe_host_addrs(struct engine *eng, const struct probe_config *cfg,
		     struct evidence *ev, struct strset *out);

#endif
