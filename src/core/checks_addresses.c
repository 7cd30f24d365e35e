/* Checks on the name servers' addresses as a set: do the servers a zone
 * lists give it the redundancy their number promises, and does the
 * parent's referral fit a plain DNS answer? */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"

/* One address and the in-scope servers that have it. */
struct addr_users {
	const char *addr;
	struct strset names;
};

int check_shared_address(const struct view *v, time_t now, struct findings *out)
{
	struct addr_users *u = NULL;
	size_t n = 0;
	int rc = 0;

	(void)now;
	if (v->pstate != PS_DELEGATED)
		return 0;
	for (size_t i = 0; rc == 0 && i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		if (!view_server_in_scope(s))
			continue;
		for (size_t j = 0; rc == 0 && j < s->n_addrs; j++) {
			const char *a = s->addrs[j].addr;
			size_t k = 0;
			while (k < n && strcmp(u[k].addr, a) != 0)
				k++;
			if (k == n) {
				struct addr_users *g =
					realloc(u, (n + 1) * sizeof(*g));
				if (!g) {
					rc = -ENOMEM;
					break;
				}
				u = g;
				u[n].addr = a;
				strset_init(&u[n++].names);
			}
			rc = strset_add(&u[k].names, s->name);
		}
	}
	/* The distinct addresses the servers in scope stand on. */
	size_t distinct = n;
	for (size_t k = 0; rc == 0 && k < n; k++) {
		if (u[k].names.n < 2)
			continue;
		char *who = join_names(&u[k].names);
		if (!who) {
			rc = -ENOMEM;
			break;
		}
		rc = findings_add(out, F_NS_SHARED_ADDRESS,
				  json_pack("{s:s, s:s, s:o}", "zone", v->zone,
					    "address", u[k].addr, "servers",
					    json_strset(&u[k].names)),
				  NULL,
				  "%s share the address %s: at that address "
				  "they are one server, not %zu%s.",
				  who, u[k].addr, u[k].names.n,
				  distinct == 1 ? ", and it is the zone's only "
						  "address"
						: "");
		free(who);
	}
	for (size_t k = 0; k < n; k++)
		strset_deinit(&u[k].names);
	free(u);
	return rc;
}
