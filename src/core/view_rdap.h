/* The registry's view of the domain, read from the RDAP exchange in the
 * evidence: what the checks compare with the DNS. Judging the exchange
 * (was it usable, and if not, why) happens here once, so every check and
 * renderer says the same thing. Pure. */
#ifndef DD_CORE_VIEW_RDAP_H
#define DD_CORE_VIEW_RDAP_H

#include "core/evidence.h"
#include "core/rdap.h"
#include "core/strset.h"

enum rdap_state {
	VR_OK = 0,	/* a domain object was read: D */
	VR_NOT_FOUND,	/* the registry answered 404: not registered */
	VR_UNAVAILABLE, /* WHY says what went wrong */
};

struct view_rdap {
	enum rdap_state state;
	char why[400];
	struct rdap_domain d;
	struct strset ns; /* D's name servers */
};

/* Reads EV->rdap into a new view; *OUT NULL when RDAP was off. 0 or
 * -ENOMEM. Free with view_rdap_free. */
int view_rdap_new(const struct evidence *ev, struct view_rdap **out);
void view_rdap_free(struct view_rdap *r);

/* "Example Registrar, Inc. (IANA 9999, https://...)", or "the registrar"
 * when RDAP did not name it. Raw strings: renderers escape. */
void view_rdap_registrar(const struct view_rdap *r, char *buf, size_t len);

#endif
