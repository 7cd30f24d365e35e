/* Whether `check` asks RDAP, and with which bootstrap (issue 15): read
 * from --rdap-bootstrap FILE, fetched from --rdap-bootstrap URL, or IANA's
 * kept in the XDG cache directory and fetched again when a day old. */
#ifndef DD_DIAG_RDAP_SETUP_H
#define DD_DIAG_RDAP_SETUP_H

#include <stdbool.h>
#include "diag/diag.h"
#include "probe/probe_rdap.h"

struct diag_rdap {
	struct rdap_config cfg;
	char *text;	  /* the bootstrap read from a file or the cache */
	char cache[1024]; /* IANA's bootstrap in the cache; "" none */
	char *fetched;	  /* a fetched bootstrap the probe handed back */
	size_t fetched_len;
};

/* Fills R for D's request. 1 when RDAP is on, 0 off, -1 after
 * diag_fail. */
int diag_rdap_setup(struct diag *d, struct diag_env *env, struct diag_rdap *r);
/* After the probe: keeps IANA's bootstrap in the cache when it was
 * fetched (silently: a cache is an optimisation), frees R. */
void diag_rdap_done(struct diag_rdap *r);

#endif
