/* The diagnosis layer: the only place that knows a command's whole shape.
 *
 * A kind (check, trace, propagation, plan, wait, cert, logs) is one entry
 * of one table: how it gathers (the probe, on the shared engine), how it
 * judges (the pure checks, with the time the evidence was taken as "now")
 * and how it renders (the reports: one envelope, the kind's own section).
 * The CLI is parse -> diag_run -> diag_render -> exit code; `analyze`
 * picks the kind from the evidence; `logs --run-checks` runs the
 * confirming diagnoses in-process on the same engine; fleet and exporter
 * will run many on one environment. A diagnosis frees all it made. */
#ifndef DD_DIAG_DIAG_H
#define DD_DIAG_DIAG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>
#include "core/evidence.h"
#include "core/finding.h"
#include "diag/request.h"
#include "probe/hints.h"

struct engine;
struct diag;

/* What many diagnoses share: the engine (every socket), and with
 * --replay the evidence it answers from. */
struct diag_env {
	struct engine *eng;
	struct evidence *replay;
	/* The TLD cuts the diagnoses learnt (probe/cutcache.h), so the next
	 * ones start below the root; NULL under --replay, which starts where
	 * the evidence says. */
	struct cutcache *cuts;
	struct psl_ctx_st *psl; /* the Public Suffix List, loaded once */
	bool psl_loaded;
	/* The --root-hints file as first read, for the diagnoses after the
	 * first (fleet reads it once, not once per domain); the path it was
	 * read from, NULL before. A file changed during a run is read again
	 * by a new run, or by the exporter after SIGHUP. */
	char *hints_path;
	struct hints hints;
};

/* Makes the engine REQ asks for (libuv, or the replay of --replay). 0, or
 * -1 with one line of why in ERR. */
int diag_env_init(struct diag_env *env, const struct diag_request *req,
		  char *err, size_t errlen);
void diag_env_deinit(struct diag_env *env);
/* Drops what ENV keeps of the files it read (the root hints), so that the
 * next diagnosis reads them again: the exporter's SIGHUP. */
void diag_env_forget_files(struct diag_env *env);

struct diag_kind {
	const char *name;
	/* --timeout bounds the whole diagnosis (wait), not one query. */
	bool timeout_is_total;
	/* The verb of its live line on a terminal while it gathers
	 * ("checking": diag/progress.h); NULL: none. */
	const char *progress;
	/* Builds D->ev from the request, asking the network through ENV.
	 * 0, or -1 after diag_fail. */
	int (*gather)(struct diag *d, struct diag_env *env);
	/* The checks over D->ev into D->fs (and the kind's own state);
	 * sets D->exit. Pure: time is D->ev->started. 0 or -1 (diag_fail). */
	int (*judge)(struct diag *d);
	/* The human report. */
	void (*text)(const struct diag *d, FILE *f);
	/* The kind's own JSON section, merged after the envelope's fields;
	 * NULL on ENOMEM. */
	json_t *(*section)(const struct diag *d);
	/* The monitoring plugin's output (report/nagios.h); NULL for a kind
	 * that has none. */
	void (*nagios)(const struct diag *d, FILE *f);
	/* --format html or svg (report/html.h): FMT is DIAG_HTML or
	 * DIAG_SVG. 0 or -1 (diag_fail). NULL for a kind that draws none. */
	int (*html)(struct diag *d, enum diag_format fmt, FILE *f);
	/* Frees the kind's state. */
	void (*deinit)(struct diag *d);
};

struct diag {
	const struct diag_kind *kind;
	const struct diag_request *req;
	struct diag_env *env; /* NULL when judging saved evidence */
	struct evidence *ev;  /* what was gathered (or loaded) */
	struct findings fs;
	void *state;	      /* the kind's own, freed by its deinit */
	time_t started;	      /* wall clock at the start */
	uint64_t duration_ms; /* engine clock */
	uint64_t queries;     /* sent to the network */
	int exit;	      /* 0 ok, 1 warnings, 2 errors, 3 could not */
	/* --save-evidence, opened before the first question: stdout for
	 * "-" (the evidence is then the output, not the report). */
	FILE *save;
	bool save_written;
	char error[512]; /* with exit 3: why, one line */
};

/* The kind named NAME, or NULL. */
const struct diag_kind *diag_kind_find(const char *name);

/* Runs REQ's kind: gather then judge. D is initialised here; free it with
 * diag_deinit whatever this returns. Returns D->exit (3 with D->error
 * when the diagnosis could not be carried out). */
int diag_run(struct diag *d, const struct diag_request *req,
	     struct diag_env *env);

/* Judges evidence saved by an earlier run (analyze): the kind is read
 * from EV, which D takes. Returns D->exit. */
int diag_judge_saved(struct diag *d, const struct diag_request *req,
		     struct evidence *ev);

/* Writes D as text, as JSON (the envelope: dnsdoctor, command, started,
 * duration_ms, verdict, exit, findings, error; then the kind's section),
 * as a Nagios plugin's output (docs/nagios.md) or as HTML or SVG
 * (docs/html.md). With exit 3, text, HTML and SVG write nothing (the
 * caller prints D->error on stderr) and Nagios one UNKNOWN status line. 0, or
 * -1 after diag_fail when F could not be written. */
int diag_render(struct diag *d, enum diag_format fmt, FILE *f);

/* D's JSON envelope as an object (what diag_render writes); NULL on
 * ENOMEM. */
json_t *diag_json(struct diag *d);

void diag_deinit(struct diag *d);

/* Records why D could not be carried out: exit 3, ERROR set (the first
 * reason wins). Returns -1. */
int diag_fail(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ADDRESS_REFUSED_PRIVATE for the addresses D's run did not contact
 * (--no-private) into D->fs: how many findings, or -1 (diag_fail). Every
 * kind's judge calls it; when the refusals left nothing to judge, the
 * kind reports them instead of failing. */
int diag_refusals(struct diag *d);

/* The exit code and verdict of D's findings (0 ok, 1 warnings, 2 errors). */
int diag_exit_of(const struct findings *fs);

#endif
