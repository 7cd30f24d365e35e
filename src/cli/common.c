#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <time.h>
#include <idn2.h>
#include <jansson.h>
#include "cli/common.h"
#include "core/psl.h"
#include "core/checks.h"
#include "core/dname.h"
#include "core/evidence_json.h"
#include "core/view.h"
#include "report/report.h"

#define EVIDENCE_MAX_BYTES (256u << 20)

char *read_file_capped(const char *what, const char *path, size_t max,
		       size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		die("cannot read %s %s: %s", what, path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (cap >= max) {
				die("%s %s is larger than %zu bytes", what, path, max);
				goto fail;
			}
			cap = cap * 2 > max ? max : cap * 2;
			char *b = realloc(buf, cap + 1);
			if (!b)
				break;
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (!buf) {
		die("out of memory reading %s", path);
		fclose(f);
		return NULL;
	}
	if (ferror(f)) {
		die("cannot read %s %s: read error", what, path);
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static bool has_8bit(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

int domain_arg(const char *arg, char *out, size_t outlen)
{
	char err[160], shown[64], *ace = NULL;
	const char *name = arg;
	int rc = 0;

	/* Unicode input (UTF-8) becomes A-labels (IDNA2008, UTS 46
	 * non-transitional, as browsers and CAs map it). */
	if (has_8bit(arg)) {
		rc = idn2_to_ascii_8z(arg, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		if (rc != IDN2_OK)
			snprintf(err, sizeof(err), "not a valid internationalised name (%s)",
				 idn2_strerror(rc));
		name = ace;
	}
	if (rc == IDN2_OK && dname_from_user(name, out, outlen, err, sizeof(err)) < 0)
		rc = -1;
	idn2_free(ace);
	if (rc == 0)
		return 0;
	snprintf(shown, sizeof(shown), "%.40s%s", arg, strlen(arg) > 40 ? "..." : "");
	for (char *p = shown; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	die("invalid domain '%s': %s", shown, err);
	return -1;
}

/* Debian's publicsuffix package; DNSDOCTOR_PUBLIC_SUFFIX_LIST names
 * another copy. Without one, only TLDs count as registries (view.c). */
#define PSL_DEFAULT "/usr/share/publicsuffix/public_suffix_list.dat"
#define PSL_MAX_BYTES (8u << 20)

int load_public_suffix(struct evidence *ev)
{
	const char *path = getenv("DNSDOCTOR_PUBLIC_SUFFIX_LIST");
	size_t len;
	if (!path) {
		path = PSL_DEFAULT;
		if (access(path, R_OK) != 0)
			return 0;
	}
	char *text = read_file_capped("public suffix list", path, PSL_MAX_BYTES, &len);
	if (!text)
		return -1;
	ev->suffix_labels = psl_suffix_labels(text, len, ev->domain);
	free(text);
	return 0;
}

int load_hints(const struct opts *o, struct hints *h)
{
	char err[256];
	if (!o->root_hints)
		return hints_builtin(h) < 0 ? (die("out of memory"), -1) : 0;
	if (hints_load_file(h, o->root_hints, err, sizeof(err)) < 0) {
		die("%s", err);
		return -1;
	}
	return 0;
}

struct evidence *load_evidence(const char *path)
{
	size_t len = 0;
	char *text = read_file_capped("evidence", path, EVIDENCE_MAX_BYTES, &len);
	if (!text)
		return NULL;
	json_error_t je;
	json_t *j = json_loadb(text, len, 0, &je);
	free(text);
	if (!j) {
		die("%s is not valid JSON (line %d: %s)", path, je.line, je.text);
		return NULL;
	}
	char err[200];
	struct evidence *ev = evidence_from_json(j, err, sizeof(err));
	json_decref(j);
	if (!ev)
		die("%s: %s", path, err);
	return ev;
}

int save_evidence(const struct evidence *ev, const char *path)
{
	json_t *j = evidence_to_json(ev);
	if (!j) {
		die("out of memory");
		return -1;
	}
	int rc = json_dump_file(j, path, JSON_COMPACT);
	json_decref(j);
	if (rc < 0) {
		die("cannot write evidence to %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int make_engine(const struct opts *o, struct engine **eng,
		struct evidence **replay_ev)
{
	*replay_ev = NULL;
	if (o->replay) {
		*replay_ev = load_evidence(o->replay);
		if (!*replay_ev)
			return -1;
		if (engine_replay_new(eng, *replay_ev) < 0) {
			evidence_free(*replay_ev);
			*replay_ev = NULL;
			return die("out of memory"), -1;
		}
		return 0;
	}
	struct eng_config cfg;
	eng_config_default(&cfg);
	uint32_t ms = (uint32_t)(o->timeout * 1000);
	cfg.attempt_ms = ms / (uint32_t)cfg.udp_attempts;
	if (cfg.attempt_ms < 20)
		cfg.attempt_ms = 20;
	cfg.tcp_ms = ms;
	cfg.family = o->family;
	int rc = engine_uv_new(eng, &cfg);
	if (rc < 0) {
		die("cannot start the query engine: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

bool probe_failed(int rc)
{
	if (rc == -EHOSTUNREACH)
		die("no root server answered: check the network or --root-hints");
	else if (rc < 0)
		die("the probe failed: %s", strerror(-rc));
	return rc < 0;
}

int report_evidence(const struct opts *o, const struct evidence *ev,
		    uint64_t queries, uint64_t elapsed_ms)
{
	struct view v;
	struct findings fs;
	char *verdict = NULL, *fix = NULL;
	int code = EXIT_UNKNOWN;

	findings_init(&fs);
	if (view_build(ev, &v) < 0)
		return die("out of memory");
	if (v.pstate == PS_UNKNOWN) {
		die("no server on the way to %s answered; nothing to diagnose", ev->domain);
		goto out;
	}
	if (checks_run(&v, (time_t)ev->started, &fs) < 0 ||
	    verdict_build(&v, &fs, &verdict, &fix) < 0) {
		die("out of memory");
		goto out;
	}
	struct report_ctx r = {
		.command = o->command, .view = &v, .findings = &fs,
		.verdict = verdict, .fix = fix, .exit_code = report_exit_code(&fs),
		.started = (time_t)ev->started, .queries = queries,
		.elapsed_ms = elapsed_ms, .color = o->color,
	};
	if (o->json) {
		if (report_check_json(&r, stdout) < 0) {
			die("cannot write the report");
			goto out;
		}
	} else {
		report_check_text(&r, stdout);
	}
	code = r.exit_code;
out:
	free(verdict);
	free(fix);
	findings_deinit(&fs);
	view_deinit(&v);
	return code;
}
