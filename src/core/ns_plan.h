/* `plan DOMAIN NS` to new servers (docs/whatif.md): the steps of a
 * delegation change with clock times from the real TTLs. Pure: the views
 * of the real delegation and of the hypothetical one (--ns), the
 * hypothetical one's findings, and the time. */
#ifndef DD_CORE_NS_PLAN_H
#define DD_CORE_NS_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "core/finding.h"
#include "core/strset.h"
#include "core/view.h"

/* The TTL the zone's NS RRset is lowered to before the switch. */
#define NS_PLAN_LOW_TTL 60

struct ns_plan {
	/* The NS TTLs, in seconds; -1 when no answer carried one: the
	 * parent's referral, the zone's own NS RRset on the servers
	 * delegated now, and on the new servers. */
	int64_t parent_ttl, old_ttl, new_ttl;
	bool lower; /* old_ttl is above NS_PLAN_LOW_TTL: lower it first */
	/* The problems (warnings and errors) of the hypothetical
	 * delegation: while an error is among them, the switch would break
	 * the domain. */
	struct strset blocking;
	bool ready;		/* no error among them */
	struct strset from, to; /* the NS set delegated now, and the new one */
	time_t now, t_switch, t_done; /* switch from, old servers unused from */
};

/* Builds P from REAL (the view of the delegation now; pstate may be
 * PS_NXDOMAIN), HYP (the --ns view) and HYP_FS at NOW. P is zeroed by
 * the caller. 0 or -ENOMEM. */
int ns_plan_build(const struct view *real, const struct view *hyp,
		  const struct findings *hyp_fs, time_t now, struct ns_plan *p);
void ns_plan_deinit(struct ns_plan *p);

#endif
