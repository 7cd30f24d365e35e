/* RDAP beside the DNS walk: the bootstrap (read or fetched), then the
 * registry's domain object, each a libcurl transfer on the engine's loop.
 * probe_rdap_start returns at once; the callbacks chain the two fetches
 * while the walk's own eng_step calls turn the loop, so RDAP adds nothing
 * to the critical path unless it is slower than the whole walk.
 * Evidence only: what was fetched and what came back (EV->rdap). */
#ifndef DD_PROBE_RDAP_H
#define DD_PROBE_RDAP_H

#include <stdbool.h>
#include <stddef.h>
#include "core/evidence.h"
#include "engine/engine.h"
#include "engine/http.h"

struct rdap_config {
	const char *boot_name; /* the bootstrap's file or URL, as recorded */
	const char *boot_text; /* a bootstrap already read, or NULL */
	size_t boot_len;
	bool boot_fetch;	/* fetch BOOT_NAME as a URL */
	const char *replay_url; /* --replay: the recorded query, or NULL
				 * (BOOT_* unused then) */
	bool replay_none;	/* --replay: the record had no service */
	/* When set: a fetched bootstrap that was used is handed over here
	 * (malloc'd, NUL-terminated), for a cache. */
	char **boot_out;
	size_t *boot_out_len;
};

struct probe_rdap {
	struct engine *eng;
	struct evidence *ev;
	const struct rdap_config *cfg;
	struct http_fetch boot, q;
	char *boot_buf, *q_buf;
	size_t left;  /* transfers in flight */
	uint64_t t0;  /* engine clock at start */
	bool boot_ok; /* the bootstrap was fetched and used */
	int err;      /* -ENOMEM */
};

/* Starts the RDAP look-up for EV->domain's registered name (the Public
 * Suffix List's suffix and one label; without a list, the last two
 * labels) and records it in EV->rdap when done. 0 or -ENOMEM. */
int probe_rdap_start(struct probe_rdap *r, struct engine *eng,
		     const struct rdap_config *cfg, struct evidence *ev);
/* Waits for the look-up to end (RDAP_TIME_MS at most). 0 or -ENOMEM. */
int probe_rdap_finish(struct probe_rdap *r);
/* Frees the buffers; after it, R->boot_buf is gone. */
void probe_rdap_deinit(struct probe_rdap *r);

#endif
