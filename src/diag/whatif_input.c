/* --ns NAME[/ADDR],...: the delegation `check` and `plan` diagnose
 * instead of the parent's (docs/whatif.md). Each bad item is one line of
 * why (diag_fail). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "core/dname.h"
#include "core/strset.h"
#include "diag/inputs.h"

/* One item: NAME or NAME/ADDR into EV (as "NAME" or "NAME ADDR"), the
 * name counted in NAMES. */
static int ns_item(struct diag *d, const char *item, const char *domain,
		   struct strset *names, struct evidence *ev)
{
	char text[300], name[256], err[160], line[330];
	const char *addr = NULL;
	if (!item[0])
		return diag_fail(d, "--ns: an empty name server in the list");
	if (snprintf(text, sizeof(text), "%s", item) >= (int)sizeof(text))
		return diag_fail(d, "--ns: '%.60s...' is too long", item);
	char *slash = strchr(text, '/');
	if (slash) {
		*slash = '\0';
		addr = slash + 1;
	}
	err[0] = '\0';
	if (diag_user_name(text, name, sizeof(name), err, sizeof(err)) < 0 ||
	    strcmp(name, ".") == 0)
		return diag_fail(d,
				 "--ns: '%.100s' is not a name server name%s%s",
				 text, err[0] && strcmp(name, ".") ? ": " : "",
				 strcmp(name, ".") ? err : "");
	if (addr) {
		unsigned char bin[16];
		if (inet_pton(AF_INET, addr, bin) != 1 &&
		    inet_pton(AF_INET6, addr, bin) != 1)
			return diag_fail(d,
					 "--ns: '%.60s' (for %s) is not an "
					 "IPv4 "
					 "or IPv6 address",
					 addr, name);
	} else if (dname_in(name, domain)) {
		/* Its address would come from the zone being tested, which
		 * no one can reach until the parent glues it. */
		return diag_fail(d,
				 "--ns: %s is inside %s: give its address "
				 "(%s/ADDR), the glue the parent would publish",
				 name, domain, name);
	}
	if (strset_add(names, name) < 0)
		return diag_fail(d, "out of memory");
	if (names->n > WHAT_IF_NS_MAX)
		return diag_fail(d, "--ns: at most %d name servers",
				 WHAT_IF_NS_MAX);
	snprintf(line, sizeof(line), "%s%s%s", name, addr ? " " : "",
		 addr ? addr : "");
	if (ev->what_if_ns.n >= 4 * WHAT_IF_NS_MAX)
		return diag_fail(d, "--ns: at most %d addresses",
				 4 * WHAT_IF_NS_MAX);
	if (ev_strings_add(&ev->what_if_ns, line) < 0)
		return diag_fail(d, "out of memory");
	return 0;
}

/* The N lists of ARGS (WHAT: the option, for messages) into EV. */
static int ns_lists(struct diag *d, const char *const *args, size_t n,
		    const char *domain, struct evidence *ev)
{
	struct strset names;
	int rc = 0;
	if (n && strcmp(domain, ".") == 0)
		return diag_fail(d, "--ns: the root zone has no parent to "
				    "delegate it (its servers are the root "
				    "hints: --root-hints)");
	strset_init(&names);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char list[1024];
		if (snprintf(list, sizeof(list), "%s", args[i]) >=
		    (int)sizeof(list)) {
			rc = diag_fail(d, "--ns: the list is too long");
			break;
		}
		/* Empty items count: "a.,,b." is a typo worth a line. */
		char *p = list;
		for (;;) {
			char *comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			if ((rc = ns_item(d, p, domain, &names, ev)) < 0 ||
			    !comma)
				break;
			p = comma + 1;
		}
	}
	strset_deinit(&names);
	return rc;
}

int diag_load_what_if_ns(struct diag *d, const struct diag_request *o,
			 const char *domain, struct evidence *ev)
{
	return ns_lists(d, o->ns, o->n_ns, domain, ev);
}

int diag_load_plan_ns(struct diag *d, const struct diag_request *o,
		      const char *domain, struct evidence *ev)
{
	const char
		*expect[1 + sizeof(o->expect_more) / sizeof(o->expect_more[0])];
	size_t n = 0;
	if (o->n_ns)
		return ns_lists(d, o->ns, o->n_ns, domain, ev);
	if (o->expect)
		expect[n++] = o->expect;
	for (size_t i = 0; i < o->n_expect_more; i++)
		expect[n++] = o->expect_more[i];
	return ns_lists(d, expect, n, domain, ev);
}
