/* What the commands share: loading inputs, making an engine, and turning
 * evidence into a rendered report. */
#ifndef DD_CLI_COMMON_H
#define DD_CLI_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include "cli/options.h"
#include "core/evidence.h"
#include "engine/engine.h"
#include "probe/hints.h"

/* Reads a whole file of at most MAX bytes (NUL-terminated copy). Returns
 * the buffer, or NULL after printing one line on stderr. */
char *read_file_capped(const char *what, const char *path, size_t max,
		       size_t *len);

/* Sets EV->suffix_labels from the Public Suffix List when one is
 * installed. 0, or -1 (printed) when a list named by the environment
 * cannot be read. */
int load_public_suffix(struct evidence *ev);

/* Normalises the domain argument into OUT or prints why not; 0 or -1. */
int domain_arg(const char *arg, char *out, size_t outlen);

/* Loads --root-hints or the built-in hints; 0 or -1 (message printed). */
int load_hints(const struct opts *o, struct hints *h);

/* Makes the engine the options ask for (libuv, or replay of --replay,
 * whose evidence goes to *REPLAY_EV). 0 or -1 (message printed). */
int make_engine(const struct opts *o, struct engine **eng,
		struct evidence **replay_ev);

/* Loads an evidence file; NULL after printing one line on stderr. */
struct evidence *load_evidence(const char *path);

/* Writes EV to PATH; 0 or -1 (message printed). */
int save_evidence(const struct evidence *ev, const char *path);

/* Runs the checks on EV and renders the report; returns the exit code. */
int report_evidence(const struct opts *o, const struct evidence *ev,
		    uint64_t queries, uint64_t elapsed_ms);

/* Trust anchor (--trust-anchor, or IANA's with the built-in root hints)
 * and --ds records into EV;
 * --resolvers into H (empty without the option). 0 or -1 (printed). */
int load_trust_anchor(const struct opts *o, struct evidence *ev);
int load_what_if_ds(const struct opts *o, const char *domain, struct evidence *ev);
int load_resolvers(const struct opts *o, struct hints *h);

/* Prints why a probe returning RC could not finish; true when it could
 * not (RC < 0), false for RC >= 0. */
bool probe_failed(int rc);

int cmd_check(const struct opts *o);
int cmd_trace(const struct opts *o);
int cmd_analyze(const struct opts *o);
int cmd_explain(const struct opts *o);
int cmd_logs(const struct opts *o);
/* cmd_propagation.c, cmd_wait.c */
int cmd_propagation(const struct opts *o);
int cmd_wait(const struct opts *o);
int cmd_plan(const struct opts *o);
/* cmd_cert.c */
int cmd_cert(const struct opts *o);
/* Renders saved propagation evidence (analyze); the exit code. */
int report_record_evidence(const struct opts *o, const struct evidence *ev);
/* Judges and renders evidence gathered by `cert` (cmd_cert.c). */
int report_cert_evidence(const struct opts *o, const struct evidence *ev);

#endif
