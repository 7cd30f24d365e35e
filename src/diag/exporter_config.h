/* The exporter's configuration file (docs/exporter.md): one directive per
 * line, in the syntax of a fleet list — a word, its arguments, then the
 * same long options the command takes on the command line — so what works
 * in a shell works here, and nothing new is learnt:
 *
 *   interval 300
 *   module acme --acme --challenge dns-01
 *   check example.com --expect-ns ns1.example.net,ns2.example.net
 *   cert www.example.com:443 --warn-days 30
 *   propagation _acme-challenge.example.com TXT --expect token
 *
 * No YAML: a file of targets is what a provider's export or a shell loop
 * writes, and a module is a line of options. */
#ifndef DD_DIAG_EXPORTER_CONFIG_H
#define DD_DIAG_EXPORTER_CONFIG_H

#include <stddef.h>
#include "diag/exporter.h"
#include "diag/request.h"

#define XCFG_INTERVAL_S	    60
#define XCFG_INTERVAL_MIN_S 10
#define XCFG_INTERVAL_MAX_S 86400
#define XCFG_TARGETS_MAX    100000
#define XCFG_MODULES_MAX    64

struct xtarget {
	unsigned long line;
	const char *kind; /* "check", "cert" or "propagation" */
	const char *name; /* the domain, host or record: the series' label */
	struct diag_request req;
	char *words; /* what REQ borrows */
};

struct xmodule {
	const char *name;
	struct diag_request req; /* the run's and the module's options */
	char *words;
};

struct xcfg {
	unsigned interval_s;
	struct xtarget *t;
	size_t n_t;
	struct xmodule *m;
	size_t n_m;
	/* While it is the configuration in force, plus one for each
	 * diagnosis still running on its requests. */
	unsigned refs;
};

/* Reads PATH (NULL: an empty configuration) into *OUT with one
 * reference. 0, or -1 with one line of why in ERR. */
int xcfg_load(struct xcfg **out, const char *path,
	      const struct exporter_options *o, char *err, size_t errlen);
/* Drops a reference; the last frees C. Accepts NULL. */
void xcfg_unref(struct xcfg *c);

/* The module NAME, or NULL. */
const struct xmodule *xcfg_module(const struct xcfg *c, const char *name);

#endif
