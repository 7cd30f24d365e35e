#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/array.h"
#include "core/shard.h"
#include "diag/diag.h"
#include "diag/fiber.h"
#include "diag/fleet.h"
#include "diag/fleet_input.h"
#include "engine/engine.h"
#include "report/fleet_report.h"

/* In flight when --concurrency is not given. */
#define FLEET_CONCURRENCY 64
/* Pacing when --rate and --per-server-rate are not given (docs/fleet.md).
 * A TLD or registry server sees the questions of every domain of the list:
 * 20 a second is a small share of what one busy resolver sends it, and
 * steady, so it neither notices the run nor has its rate limiting start
 * dropping the answers; a domain's own servers, asked a dozen questions by
 * its check, still answer within a second. Every query opens a socket of
 * its own, a connection-tracking entry in a NAT that lives about 30 s:
 * 500 a second in all keeps that near 15,000, which a home router or a
 * cloud NAT gateway takes in its stride. */
#define FLEET_RATE	      500
#define FLEET_PER_SERVER_RATE 20
/* A check's deepest stack (ldns parsing under the views) is well under
 * this; ASan's red zones make frames several times larger. */
#if defined(__SANITIZE_ADDRESS__)
#define FLEET_STACK (2u << 20)
#else
#define FLEET_STACK (512u << 10)
#endif

/* SIGINT/SIGTERM: the first stops taking lines, the second stops waiting
 * for the ones in flight. */
static volatile sig_atomic_t signals_seen;

static void on_signal(int sig)
{
	(void)sig;
	signals_seen++;
}

struct fleet;

/* One line being checked, on its own fiber. */
struct item {
	struct fleet *f;
	unsigned long line;
	char *words; /* the line's words: the domain, the options' values */
	char *text;  /* the line as written, for a row if it is no domain */
	const char *domain;
	struct diag_request req;
	struct diag d;
	uint64_t asked;
	struct item *prev, *next; /* in flight */
};

struct fleet {
	const struct fleet_config *c;
	struct diag_request check; /* the run's options, as a check */
	struct diag_env env;
	struct fiber_sched *sched;
	FILE *rows; /* where rows (or the report) go */
	bool json;
	struct item *flying;
	struct fleet_summary sum;
	struct fleet_group groups[F__COUNT];
	int worst;
	int write_errno; /* the output failed: nothing more is written */
	bool stop;	 /* no more lines are taken */
};

static void item_free(struct item *it)
{
	diag_deinit(&it->d);
	free(it->words);
	free(it->text);
	free(it);
}

/* Writes R as one NDJSON row (with --json), counts it. */
static void emit(struct fleet *f, const struct fleet_row *r)
{
	f->sum.lines++;
	f->sum.by_exit[r->exit]++;
	f->sum.not_domain += !r->domain;
	f->sum.interrupted += r->interrupted;
	if (r->exit > f->worst)
		f->worst = r->exit;
	if (!f->json || f->write_errno)
		return;
	json_t *o = report_fleet_row(r);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII |
					       JSON_PRESERVE_ORDER)
		       : NULL;
	json_decref(o);
	/* One row per write: a reader (or --resume) never sees half a row
	 * unless the process died in the middle of it. */
	if (!text || fprintf(f->rows, "%s\n", text) < 0 || fflush(f->rows) != 0)
		f->write_errno = text ? (errno ? errno : EIO) : ENOMEM;
	free(text);
	if (f->write_errno)
		f->stop = true;
}

/* The broken domain D, under its root cause: its first finding (the
 * findings are sorted, most severe first). */
static void group(struct fleet *f, const struct diag *d, const char *domain)
{
	bool seen[F__COUNT] = { false };
	for (size_t i = 0; i < d->fs.n; i++) {
		f->sum.by_code[d->fs.v[i].code] += !seen[d->fs.v[i].code];
		seen[d->fs.v[i].code] = true;
	}
	if (f->json || d->exit < 1 || d->exit > 2 || !d->fs.n)
		return;
	struct fleet_group *g = &f->groups[d->fs.v[0].code];
	g->code = d->fs.v[0].code;
	if (ARRAY_RESERVE(g->domains, g->cap, g->n + 1) == 0 &&
	    (g->domains[g->n] = strdup(domain)))
		g->n++;
}

static void item_run(void *arg)
{
	struct item *it = arg;
	diag_run(&it->d, &it->req, &it->f->env);
}

static void item_unlink(struct fleet *f, struct item *it)
{
	if (it->prev)
		it->prev->next = it->next;
	else
		f->flying = it->next;
	if (it->next)
		it->next->prev = it->prev;
}

/* A diagnosis ended: its row. */
static void item_done(void *arg)
{
	struct item *it = arg;
	struct fleet *f = it->f;
	/* No evidence: the argument was refused before any question, so
	 * the line is not a domain. */
	bool domain = it->d.ev != NULL;
	struct fleet_row r = {
		.line = it->line,
		.domain = domain ? it->domain : NULL,
		.input = it->text,
		.exit = it->d.exit,
		.fs = &it->d.fs,
		.error = it->d.exit == 3 ? it->d.error : NULL,
		.queries = it->asked,
		.duration_ms = it->d.duration_ms,
	};
	emit(f, &r);
	if (domain)
		group(f, &it->d, it->domain);
	item_unlink(f, it);
	item_free(it);
}

/* A line that is not a domain with options: its row, at once. */
static void refuse(struct fleet *f, const struct fleet_line *l, const char *why)
{
	struct fleet_row r = {
		.line = l->no, .input = l->text, .exit = 3, .error = why
	};
	emit(f, &r);
}

/* Starts the check of line L. */
static void start(struct fleet *f, const struct fleet_line *l)
{
	char err[256];
	if (l->too_long)
		return refuse(f, l, "the line is longer than 4096 bytes");
	if (l->too_many)
		return refuse(f, l, "the line has more than 64 words");
	if (l->tok[0][0] == '-')
		return refuse(f, l, "a line must start with a domain name");
	struct item *it = calloc(1, sizeof(*it));
	if (!it || !(it->words = malloc(l->len + 1)) ||
	    !(it->text = strdup(l->text))) {
		if (it)
			free(it->words);
		free(it);
		f->stop = true;
		return refuse(f, l, "out of memory");
	}
	/* The request borrows its strings from the item's own copy of the
	 * words: the line's buffer is reused while the check runs. */
	memcpy(it->words, l->words, l->len + 1);
	char *argv[FLEET_TOKENS_MAX + 1];
	for (int i = 0; i < l->n_tok; i++)
		argv[i] = it->words + (l->tok[i] - l->words);
	argv[l->n_tok] = NULL;
	it->f = f;
	it->line = l->no;
	it->domain = argv[0];
	it->req = f->check;
	/* argv[0] stands for the program name: the domain is not parsed. */
	if (l->n_tok > 1 && f->c->parse_line(&it->req, "check", l->n_tok, argv,
					     err, sizeof(err)) < 0) {
		refuse(f, l, err);
		item_free(it);
		return;
	}
	it->req.command = "check";
	it->req.args[0] = it->domain;
	it->req.n_args = 1;
	it->next = f->flying;
	if (f->flying)
		f->flying->prev = it;
	f->flying = it;
	if (fiber_start(f->sched, item_run, item_done, it, &it->asked,
			FLEET_STACK) < 0) {
		item_unlink(f, it);
		item_free(it);
		f->stop = true;
		refuse(f, l, "out of memory");
	}
}

/* --shard: "K/N", or "auto" from a Slurm job array, or "auto/N" with K
 * from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or Slurm. */
static int shard_setup(const char *text, unsigned *k, unsigned *n, char *err,
		       size_t errlen)
{
	char buf[64];
	const char *id = getenv("SLURM_ARRAY_TASK_ID"),
		   *count = getenv("SLURM_ARRAY_TASK_COUNT"),
		   *min = getenv("SLURM_ARRAY_TASK_MIN"),
		   *index = getenv("JOB_COMPLETION_INDEX");
	*k = 0;
	*n = 1;
	if (!text)
		return 0;
	if (strcmp(text, "auto") == 0 && id && count) {
		long rel = strtol(id, NULL, 10) -
			   (min ? strtol(min, NULL, 10) : 0);
		snprintf(buf, sizeof(buf), "%ld/%.20s", rel, count);
		text = buf;
	} else if (strncmp(text, "auto/", 5) == 0 && (index || id)) {
		long rel = index ? strtol(index, NULL, 10)
				 : strtol(id, NULL, 10) -
					   (min ? strtol(min, NULL, 10) : 0);
		snprintf(buf, sizeof(buf), "%ld/%.20s", rel, text + 5);
		text = buf;
	} else if (strncmp(text, "auto", 4) == 0) {
		snprintf(err, errlen,
			 "--shard %.20s: no SLURM_ARRAY_TASK_ID and "
			 "SLURM_ARRAY_TASK_COUNT (or JOB_COMPLETION_INDEX with "
			 "auto/N) in the environment",
			 text);
		return -1;
	}
	if (shard_parse(text, k, n) < 0) {
		snprintf(err, errlen,
			 "--shard wants K/N with 0 <= K < N, not '%.40s'",
			 text);
		return -1;
	}
	return 0;
}

/* A line at the terminal: how far the run is. */
static void progress(struct fleet *f, uint64_t t0, uint64_t *last)
{
	uint64_t now = f->env.eng->ops->now_ms(f->env.eng->impl);
	if (now - *last < 250)
		return;
	*last = now;
	unsigned long done = f->sum.lines - f->sum.not_domain;
	fprintf(f->c->log,
		"\r%lu done, %.0f domains/s, %lu broken, %zu in flight ", done,
		now > t0 ? (double)done * 1000.0 / (double)(now - t0) : 0.0,
		f->sum.by_exit[1] + f->sum.by_exit[2], fiber_count(f->sched));
	fflush(f->c->log);
}

/* A second signal: the rows of the lines in flight, marked, and out. */
static void give_up(struct fleet *f)
{
	for (struct item *it = f->flying; it; it = it->next) {
		struct fleet_row r = { .line = it->line,
				       .domain = it->domain,
				       .exit = 3,
				       .error = "interrupted before it was "
						"done",
				       .interrupted = true };
		emit(f, &r);
	}
	report_fleet_summary(&f->sum, f->c->log);
	fflush(NULL);
	/* The fibers' stacks hold the diagnoses half done: nothing to
	 * unwind them with, and nothing left to write. */
	_exit(3);
}

static int run(struct fleet *f, FILE *in, unsigned k, unsigned n,
	       const struct fleet_done *done)
{
	const struct diag_request *o = f->c->run;
	unsigned want = o->concurrency ? o->concurrency : FLEET_CONCURRENCY;
	struct engine *eng = f->env.eng;
	uint64_t t0 = eng->ops->now_ms(eng->impl), last = t0;
	uint64_t q0 = eng->ops->sent(eng->impl);
	bool tty = isatty(fileno(f->c->log)) && !getenv("DNSDOCTOR_NO_"
							"PROGRESS");
	struct fleet_line *l = calloc(1, sizeof(*l));
	if (!l)
		return -1;
	bool eof = false;
	for (;;) {
		if (signals_seen)
			f->stop = true;
		while (!f->stop && !eof && fiber_count(f->sched) < want) {
			int got = fleet_line_read(in, l);
			if (got < 0) {
				eof = true;
			} else if (got > 0 &&
				   (n < 2 ||
				    shard_of(l->text, l->len, n) == k) &&
				   !(done && fleet_done_has(done, l->no))) {
				start(f, l);
			}
		}
		if (fiber_count(f->sched) == 0)
			break;
		fiber_sched_step(f->sched);
		if (signals_seen > 1)
			give_up(f);
		if (tty)
			progress(f, t0, &last);
	}
	if (tty)
		fputs("\r\033[K", f->c->log);
	free(l);
	f->sum.elapsed_ms = eng->ops->now_ms(eng->impl) - t0;
	f->sum.queries = eng->ops->sent(eng->impl) - q0;
	eng_retries(eng, &f->sum.retries, &f->sum.retried);
	f->sum.stopped = signals_seen > 0;
	return ferror(in) ? -1 : 0;
}

int diag_fleet(const struct fleet_config *c)
{
	const struct diag_request *o = c->run;
	struct fleet f = { .c = c,
			   .rows = c->out,
			   .json = o->format == DIAG_JSON };
	struct fleet_done done = { 0 };
	char err[512];
	unsigned k, n;
	FILE *in = NULL;
	int code = 3;

	if (o->n_args != 1) {
		fprintf(c->log, "dnsdoctor: fleet wants one FILE of domains, "
				"or "
				"- for stdin (see dnsdoctor --help)\n");
		return 3;
	}
	if (o->save_evidence) {
		fprintf(c->log, "dnsdoctor: fleet does not save evidence: run "
				"check --save-evidence on the domain\n");
		return 3;
	}
	if (shard_setup(o->shard, &k, &n, err, sizeof(err)) < 0)
		goto fail;
	unsigned areas;
	char bad[48];
	if (o->checks &&
	    ev_areas_parse(o->checks, &areas, bad, sizeof(bad)) < 0) {
		snprintf(err, sizeof(err),
			 "--checks wants areas among delegation, dnssec, "
			 "acme, caa, not '%s'",
			 bad);
		goto fail;
	}
	if (o->resume && o->format != DIAG_JSON) {
		snprintf(err, sizeof(err), "--resume continues a --json run");
		goto fail;
	}
	if (strcmp(o->args[0], "-") == 0) {
		in = stdin;
	} else if (!(in = fopen(o->args[0], "r"))) {
		snprintf(err, sizeof(err), "cannot read %.200s: %s", o->args[0],
			 strerror(errno));
		goto fail;
	}
	if (o->resume) {
		if (fleet_done_load(&done, o->resume, err, sizeof(err)) < 0)
			goto fail;
		if (!(f.rows = fopen(o->resume, "a"))) {
			snprintf(err, sizeof(err), "cannot write %.200s: %s",
				 o->resume, strerror(errno));
			goto fail;
		}
	}
	f.check = *o;
	f.check.command = "check";
	f.check.n_args = 0;
	f.check.format = DIAG_TEXT;
	f.check.no_behaviour = true;
	f.check.denial_when_signed = true;
	if (f.check.rate < 0)
		f.check.rate = FLEET_RATE;
	if (f.check.per_server_rate < 0)
		f.check.per_server_rate = FLEET_PER_SERVER_RATE;
	if (diag_env_init(&f.env, &f.check, err, sizeof(err)) < 0)
		goto fail;
	if (!(f.sched = fiber_sched_new(f.env.eng))) {
		snprintf(err, sizeof(err), "out of memory");
		diag_env_deinit(&f.env);
		goto fail;
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	int rc = run(&f, in, k, n, o->resume ? &done : NULL);
	fiber_sched_free(f.sched);
	diag_env_deinit(&f.env);
	if (!f.json && !f.write_errno) {
		report_fleet_text(f.groups, F__COUNT, &f.sum, f.rows);
		if (fflush(f.rows) != 0 || ferror(f.rows))
			f.write_errno = errno ? errno : EIO;
	}
	report_fleet_summary(&f.sum, c->log);
	code = f.worst;
	if (f.write_errno) {
		snprintf(err, sizeof(err), "cannot write the output: %s",
			 strerror(f.write_errno));
		goto fail;
	}
	if (rc < 0) {
		snprintf(err, sizeof(err), "cannot read %.200s: %s", o->args[0],
			 strerror(errno));
		goto fail;
	}
	if (f.sum.stopped) {
		fprintf(c->log,
			"dnsdoctor: stopped by a signal after %lu lines; run "
			"again with --resume to check the rest\n",
			f.sum.lines);
		code = 3;
	}
	goto out;
fail:
	fprintf(c->log, "dnsdoctor: %s\n", err);
	code = 3;
out:
	for (size_t i = 0; i < F__COUNT; i++) {
		for (size_t j = 0; j < f.groups[i].n; j++)
			free(f.groups[i].domains[j]);
		free(f.groups[i].domains);
	}
	if (f.rows && f.rows != c->out)
		fclose(f.rows);
	if (in && in != stdin)
		fclose(in);
	fleet_done_free(&done);
	return code;
}
