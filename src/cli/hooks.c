/* wait as an ACME client's DNS hook, with no wrapper script to write:
 * certbot's --manual-auth-hook hands the name and value over in the
 * environment (CERTBOT_DOMAIN, CERTBOT_VALIDATION), lego's exec provider
 * as arguments (`present FQDN VALUE`, and `cleanup FQDN VALUE` after). */
#include <stdlib.h>
#include <string.h>
#include "cli/hooks.h"
#include "cli/options.h"

static int from_certbot(struct diag_request *o, char *name, size_t len)
{
	const char *domain = getenv("CERTBOT_DOMAIN");
	const char *value = getenv("CERTBOT_VALIDATION");
	if (o->n_args)
		return die("wait --certbot takes no NAME or TYPE: certbot "
			   "gives them (CERTBOT_DOMAIN)");
	if (!domain || !*domain || !value || !*value)
		return die("wait --certbot runs as certbot's "
			   "--manual-auth-hook: CERTBOT_DOMAIN and "
			   "CERTBOT_VALIDATION are not set");
	/* A wildcard's record is the base name's (RFC 8555, 8.4). */
	if (strncmp(domain, "*.", 2) == 0)
		domain += 2;
	if ((size_t)snprintf(name, len, "_acme-challenge.%s", domain) >= len)
		return die("CERTBOT_DOMAIN is too long for a domain name");
	o->args[0] = name;
	o->args[1] = "TXT";
	o->n_args = 2;
	o->expect = value;
	return 0;
}

static int from_lego(struct diag_request *o)
{
	if (o->n_args != 3)
		return die("wait --lego takes lego's exec arguments: present "
			   "FQDN VALUE (or cleanup FQDN VALUE)");
	if (strcmp(o->args[0], "cleanup") == 0)
		return HOOK_DONE; /* the record goes: nothing to wait for */
	if (strcmp(o->args[0], "present") != 0)
		return die("wait --lego: lego's action is present or cleanup, "
			   "not '%.40s'",
			   o->args[0]);
	o->expect = o->args[2];
	o->args[0] = o->args[1];
	o->args[1] = "TXT";
	o->n_args = 2;
	return 0;
}

int hooks_apply(struct diag_request *o, char *name, size_t len)
{
	if (!o->certbot && !o->lego)
		return 0;
	if (o->certbot && o->lego)
		return die("--certbot and --lego exclude each other");
	if (o->expect)
		return die("wait --%s takes the value from %s, not --expect",
			   o->certbot ? "certbot" : "lego",
			   o->certbot ? "certbot" : "lego");
	return o->certbot ? from_certbot(o, name, len) : from_lego(o);
}
