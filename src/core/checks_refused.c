/* ADDRESS_REFUSED_PRIVATE: the special-purpose addresses learnt from DNS
 * that the run did not contact (--no-private), one finding per server or
 * host and use. Pure: the evidence's record of them, and the classifier
 * for why. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/addrclass.h"
#include "core/checks.h"

/* "127.0.0.1 (loopback) and ::1 (loopback)" of EV's refusals like R,
 * their zones into ZONES and {address, reason} objects into ADDRS. NULL
 * when out of memory. */
static char *addresses(const struct evidence *ev, const struct ev_refused *r,
		       struct strset *zones, json_t *addrs)
{
	struct strset said, seen;
	char *out = NULL;
	strset_init(&said);
	strset_init(&seen);
	for (size_t i = 0; i < ev->n_refused; i++) {
		const struct ev_refused *x = &ev->refused[i];
		struct addr_class c;
		char why[96], *item = NULL;
		if (x->use != r->use || strcmp(x->name, r->name) != 0)
			continue;
		if (x->zone[0] && strset_add(zones, x->zone) < 0)
			goto fail;
		if (strset_has(&seen, x->addr))
			continue;
		if (strset_add(&seen, x->addr) < 0)
			goto fail;
		/* Evidence from elsewhere may hold any address: refused is
		 * refused, whatever this version's table says. */
		if (!addr_class_text(x->addr, &c))
			c.reason = "special-purpose";
		addr_class_describe(&c, why, sizeof(why));
		if (asprintf(&item, "%s (%s)", x->addr, why) < 0)
			goto fail;
		int rc = strset_add(&said, item);
		free(item);
		if (rc < 0 ||
		    json_array_append_new(addrs, json_pack("{s:s, s:s}",
							   "address", x->addr,
							   "reason", why)) < 0)
			goto fail;
	}
	out = join_names(&said);
fail:
	strset_deinit(&said);
	strset_deinit(&seen);
	return out;
}

/* The finding for the refusals of R's use and name. */
static int refused_one(const struct evidence *ev, const struct ev_refused *r,
		       struct findings *out)
{
	struct strset zones;
	json_t *addrs = json_array();
	char *list = NULL, *zl = NULL, *fix = NULL;
	int rc = -ENOMEM;
	strset_init(&zones);
	if (!addrs || !(list = addresses(ev, r, &zones, addrs)) ||
	    !(zl = join_names(&zones)))
		goto out;
	if (asprintf(&fix,
		     "If %s is meant to live on an internal network (an "
		     "internal zone, a lab), run with --allow-private; "
		     "otherwise give it a public address in DNS.",
		     r->name) < 0) {
		fix = NULL;
		goto out;
	}
	json_t *e = json_pack("{s:s, s:s, s:o, s:o}", "use",
			      ev_use_name(r->use), "name", r->name, "zones",
			      json_strset(&zones), "addresses", addrs);
	addrs = NULL; /* E holds it, or json_pack dropped it */
	const char *tail = "an address learnt from DNS that is "
			   "special-purpose, "
			   "and this run connects to none (--no-private; "
			   "fleet and exporter by default)";
	switch (r->use) {
	case EV_USE_DNS:
		rc = findings_add(out, F_ADDRESS_REFUSED_PRIVATE, e, fix,
				  "Name server %s (of %s) was not queried at "
				  "%s: %s.",
				  r->name, zl, list, tail);
		break;
	case EV_USE_HTTP:
		rc = findings_add(out, F_ADDRESS_REFUSED_PRIVATE, e, fix,
				  "HTTP-01 was not fetched from %s at %s: %s.",
				  r->name, list, tail);
		break;
	default:
		rc = findings_add(out, F_ADDRESS_REFUSED_PRIVATE, e, fix,
				  "No TLS handshake was made with %s at %s: "
				  "%s.",
				  r->name, list, tail);
		break;
	}
out:
	json_decref(addrs);
	free(list);
	free(zl);
	free(fix);
	strset_deinit(&zones);
	return rc;
}

int check_refused(const struct evidence *ev, struct findings *out)
{
	int n = 0;
	for (size_t i = 0; i < ev->n_refused; i++) {
		const struct ev_refused *r = &ev->refused[i];
		bool first = true;
		for (size_t j = 0; first && j < i; j++)
			first = ev->refused[j].use != r->use ||
				strcmp(ev->refused[j].name, r->name) != 0;
		if (!first)
			continue;
		if (refused_one(ev, r, out) < 0)
			return -ENOMEM;
		n++;
	}
	return n;
}
