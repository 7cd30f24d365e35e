/* Inputs of a diagnosis read from arguments and files (diag/inputs.c).
 * Every function reports a bad input with diag_fail (one line, exit 3). */
#ifndef DD_DIAG_INPUTS_H
#define DD_DIAG_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include "core/evidence.h"
#include "diag/diag.h"
#include "diag/request.h"
#include "probe/hints.h"

/* A whole file of at most MAX bytes, NUL-terminated ("-" is stdin), or
 * NULL after diag_fail. */
char *diag_read_file(struct diag *d, const char *what, const char *path,
		     size_t max, size_t *len);

/* ARG, a name as a user typed it (UTF-8 or ASCII), as an absolute lower
 * case ASCII name (A-labels) into OUT. 0, or -1 with why in ERR. */
int diag_user_name(const char *arg, char *out, size_t outlen, char *err,
		   size_t errlen);
/* diag_user_name for the DOMAIN argument: 0, or -1 after diag_fail. */
int diag_domain_arg(struct diag *d, const char *arg, char *out, size_t outlen);

/* EV->suffix_labels from the Public Suffix List when one is installed. */
int diag_load_public_suffix(struct diag *d, struct evidence *ev);
/* --root-hints or the built-in IANA hints. */
int diag_load_hints(struct diag *d, const struct diag_request *o,
		    struct hints *h);
/* --trust-anchor (or IANA's with the built-in hints) into EV. */
int diag_load_trust_anchor(struct diag *d, const struct diag_request *o,
			   struct evidence *ev);
/* --ds records for DOMAIN into EV. */
int diag_load_what_if_ds(struct diag *d, const struct diag_request *o,
			 const char *domain, struct evidence *ev);
/* The most name servers --ns may name. */
#define WHAT_IF_NS_MAX 16
/* --ns NAME[/ADDR],... for DOMAIN into EV->what_if_ns (whatif_input.c):
 * names checked, addresses numeric, a name inside DOMAIN with its
 * address. 0 or -1. */
int diag_load_what_if_ns(struct diag *d, const struct diag_request *o,
			 const char *domain, struct evidence *ev);
/* plan DOMAIN NS: the same from --ns, or else from every --expect. */
int diag_load_plan_ns(struct diag *d, const struct diag_request *o,
		      const char *domain, struct evidence *ev);
/* --resolvers into H (empty without the option). */
int diag_load_resolvers(struct diag *d, const struct diag_request *o,
			struct hints *h);

/* With --replay and no flag naming them, the root hints, trust anchor and
 * resolvers are the replayed evidence's own (diag_load_hints,
 * diag_load_trust_anchor, diag_load_resolvers). */

/* Records ROOTS and RESOLVERS (may be NULL) in D->ev. 0 or -1. */
int diag_note_inputs(struct diag *d, const struct hints *roots,
		     const struct hints *resolvers);
/* A new D->ev for DOMAIN, its command D's kind, ROOTS and RESOLVERS (may
 * be NULL) recorded, the time a replay's. 0 or -1 (diag_fail). */
int diag_evidence_start(struct diag *d, const char *domain,
			const struct hints *roots,
			const struct hints *resolvers);
/* -1 (diag_fail) when --replay names evidence of another domain. */
int diag_replay_matches(struct diag *d, const char *domain);

/* Saved evidence, or NULL after diag_fail. */
struct evidence *diag_load_evidence(struct diag *d, const char *path);
/* EV to PATH; 0 or -1. */
int diag_save_evidence(struct diag *d, const struct evidence *ev,
		       const char *path);

/* True (after diag_fail) when a probe returning RC could not finish. */
bool diag_probe_failed(struct diag *d, int rc);

#endif
