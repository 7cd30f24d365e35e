/* Resolvers the user named (--resolvers) that never answered. Silence is
 * not health: without this, a check whose resolvers all timed out reads
 * as if they had agreed. A resolver that times out on a broken zone but
 * answers for the root (EV_RESOLVER_ALIVE) is there: the zone is the
 * problem, and other checks say so. In evidence taken before the root was
 * asked, only the network's refusal (nothing listens, no route) proves a
 * resolver absent. Pure. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/strset.h"
#include "core/view_record.h"

struct seen {
	bool answered;	  /* some exchange with it got a response */
	bool alive_asked; /* the root question was asked */
	bool timed_out;	  /* some exchange of ROLE timed out */
	int status;	  /* of its first exchange of ROLE */
	const char *name;
};

static struct seen seen_of(const struct evidence *ev, int role,
			   const char *addr)
{
	struct seen s = { .status = -1, .name = addr };
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if ((x->role != role && x->role != EV_RESOLVER_ALIVE) ||
		    !x->addr || strcmp(x->addr, addr) != 0)
			continue;
		s.answered |= x->status == QS_OK;
		s.alive_asked |= x->role == EV_RESOLVER_ALIVE;
		if (x->role == role) {
			s.timed_out |= x->status == QS_TIMEOUT;
			if (s.status < 0) {
				s.status = x->status;
				s.name = x->server ? x->server : addr;
			}
		}
	}
	return s;
}

/* Adds RESOLVER_UNREACHABLE for each resolver of EV (exchanges of ROLE)
 * shown absent. */
static int unreachable(const struct evidence *ev, int role,
		       struct findings *out)
{
	struct strset asked;
	int rc = 0;
	strset_init(&asked);
	for (size_t i = 0; rc == 0 && i < ev->n_ex; i++)
		if (ev->ex[i].role == role && ev->ex[i].addr)
			rc = strset_add(&asked, ev->ex[i].addr);
	for (size_t i = 0; rc == 0 && i < asked.n; i++) {
		const char *addr = asked.v[i];
		struct seen s = seen_of(ev, role, addr);
		if (s.answered || (!s.alive_asked && s.timed_out))
			continue;
		const char *status = qstatus_name(s.status);
		bool named = strcmp(s.name, addr) != 0;
		json_t *e = json_pack("{s:s, s:s, s:s}", "resolver", s.name,
				      "address", addr, "status", status);
		rc = findings_add(out, F_RESOLVER_UNREACHABLE, e, NULL,
				  "The resolver %s%s%s%s gave no answer (%s), "
				  "not even for the root: what it would say "
				  "was not checked.",
				  named ? s.name : addr, named ? " (" : "",
				  named ? addr : "", named ? ")" : "", status);
	}
	strset_deinit(&asked);
	return rc;
}

int check_resolvers_unreachable(const struct view *v, time_t now,
				struct findings *out)
{
	(void)now;
	return unreachable(v->ev, EV_RESOLVER, out);
}

int rv_check_resolvers(const struct rv_view *v, time_t now,
		       struct findings *out)
{
	(void)now;
	return unreachable(v->ev, EV_RECORD_RESOLVER, out);
}
