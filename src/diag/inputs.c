/* The inputs of a diagnosis that come from files and arguments: the
 * domain as typed (IDN), root hints, the Public Suffix List, the trust
 * anchor, --ds, resolvers, saved evidence. Each bad input is one line of
 * why (diag_fail), never a crash. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <idn2.h>
#include <jansson.h>
#include <ldns/ldns.h>
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/evidence_json.h"
#include "diag/inputs.h"
#include "diag/psl.h"
#include "engine/engine.h"
#include "probe/cutcache.h"

#define EVIDENCE_MAX_BYTES (256u << 20)

char *diag_read_file(struct diag *d, const char *what, const char *path,
		     size_t max, size_t *len)
{
	FILE *f = fopen(strcmp(path, "-") == 0 ? "/dev/stdin" : path, "rb");
	if (!f) {
		diag_fail(d, "cannot read %s %s: %s", what, path,
			  strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (cap >= max) {
				diag_fail(d, "%s %s is larger than %zu bytes",
					  what, path, max);
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
		diag_fail(d, "out of memory reading %s", path);
		fclose(f);
		return NULL;
	}
	if (ferror(f)) {
		diag_fail(d, "cannot read %s %s: read error", what, path);
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

int diag_user_name(const char *arg, char *out, size_t outlen, char *err,
		   size_t errlen)
{
	char *ace = NULL;
	const char *name = arg;
	int rc = 0;

	/* Unicode input (UTF-8) becomes A-labels (IDNA2008, UTS 46
	 * non-transitional, as browsers and CAs map it). */
	if (has_8bit(arg)) {
		rc = idn2_to_ascii_8z(arg, &ace,
				      IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		if (rc != IDN2_OK)
			snprintf(err, errlen,
				 "not a valid internationalised name (%s)",
				 idn2_strerror(rc));
		name = ace;
	}
	if (rc == IDN2_OK &&
	    dname_from_user(name, out, outlen, err, errlen) < 0)
		rc = -1;
	idn2_free(ace);
	return rc == 0 ? 0 : -1;
}

int diag_domain_arg(struct diag *d, const char *arg, char *out, size_t outlen)
{
	char err[160], shown[64];
	if (diag_user_name(arg, out, outlen, err, sizeof(err)) == 0)
		return 0;
	snprintf(shown, sizeof(shown), "%.40s%s", arg,
		 strlen(arg) > 40 ? "..." : "");
	for (char *p = shown; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	diag_fail(d, "invalid domain '%s': %s", shown, err);
	return -1;
}

/* The list is loaded once per environment: fleet and exporter run many
 * diagnoses on one. */
int diag_load_public_suffix(struct diag *d, struct evidence *ev)
{
	char err[300];
	psl_ctx_t *own = NULL;
	const psl_ctx_t *psl;
	if (d->env) {
		if (!d->env->psl_loaded &&
		    diag_psl_load(NULL, &d->env->psl, err, sizeof(err)) < 0)
			return diag_fail(d, "%s", err);
		d->env->psl_loaded = true;
		psl = d->env->psl;
	} else {
		if (diag_psl_load(NULL, &own, err, sizeof(err)) < 0)
			return diag_fail(d, "%s", err);
		psl = own;
	}
	if (psl)
		ev->suffix_labels = diag_psl_suffix_labels(psl, ev->domain);
	psl_free(own);
	return 0;
}

/* The evidence --replay answers from, or NULL. */
static const struct evidence *replayed(const struct diag *d)
{
	return d->env ? d->env->replay : NULL;
}

/* H from "NAME ADDR" strings recorded in evidence. 0 or -1. */
static int hints_from_strings(struct diag *d, const struct ev_strings *l,
			      struct hints *h, const char *what)
{
	for (size_t i = 0; i < l->n; i++) {
		char name[256], addr[64];
		if (sscanf(l->v[i], "%255s %63s", name, addr) != 2) {
			hints_deinit(h);
			return diag_fail(d,
					 "the replayed evidence's %s entry %zu "
					 "is not NAME ADDR",
					 what, i);
		}
		if (hints_add(h, name, addr) < 0) {
			hints_deinit(h);
			return diag_fail(d, "out of memory");
		}
	}
	return 0;
}

static int strings_from_hints(struct diag *d, const struct hints *h,
			      struct ev_strings *l)
{
	for (size_t i = 0; h && i < h->n; i++) {
		char line[512];
		snprintf(line, sizeof(line), "%s %s", h->v[i].name,
			 h->v[i].addr);
		if (ev_strings_add(l, line) < 0)
			return diag_fail(d, "out of memory");
	}
	return 0;
}

/* The TLD cuts this diagnosis may start from: those earlier diagnoses on
 * the engine learnt, or under --replay those the evidence started from.
 * Not for trace, whose walk shows the root's answers. */
static int note_cuts(struct diag *d)
{
	const struct evidence *r = replayed(d);
	struct ev_strings *out = &d->ev->cached_cuts;
	if (!d->env || (d->kind && strcmp(d->kind->name, "trace") == 0))
		return 0;
	for (size_t i = 0; r && i < r->cached_cuts.n; i++)
		if (ev_strings_add(out, r->cached_cuts.v[i]) < 0)
			return diag_fail(d, "out of memory");
	if (!r && d->env->cuts &&
	    cutcache_note(d->env->cuts,
			  d->env->eng->ops->now_ms(d->env->eng->impl), out) < 0)
		return diag_fail(d, "out of memory");
	return 0;
}

int diag_note_inputs(struct diag *d, const struct hints *roots,
		     const struct hints *resolvers)
{
	/* --no-private; a replay refuses what its run refused. */
	d->ev->refuse_private = d->req->refuse_private ||
				(replayed(d) && replayed(d)->refuse_private);
	if (strings_from_hints(d, roots, &d->ev->root_hints) < 0 ||
	    strings_from_hints(d, resolvers, &d->ev->resolvers) < 0 ||
	    note_cuts(d) < 0)
		return -1;
	return 0;
}

int diag_evidence_start(struct diag *d, const char *domain,
			const struct hints *roots,
			const struct hints *resolvers)
{
	if (!(d->ev = evidence_new(domain, (int64_t)time(NULL))) ||
	    !(d->ev->command = strdup(d->kind->name)))
		return diag_fail(d, "out of memory");
	if (diag_note_inputs(d, roots, resolvers) < 0)
		return -1;
	/* A replay answers with the time it was taken. */
	if (d->env && d->env->replay)
		d->ev->started = d->env->replay->started;
	return 0;
}

int diag_replay_matches(struct diag *d, const char *domain)
{
	const struct evidence *r = replayed(d);
	if (r && strcmp(r->domain, domain) != 0)
		return diag_fail(d,
				 "%.200s holds the evidence of %s, not of %s",
				 d->req->replay, r->domain, domain);
	return 0;
}

int diag_load_hints(struct diag *d, const struct diag_request *o,
		    struct hints *h)
{
	char err[256];
	/* The servers the replayed evidence started from. */
	if (!o->root_hints && replayed(d) && replayed(d)->root_hints.n)
		return hints_from_strings(d, &replayed(d)->root_hints, h,
					  "root_hints");
	if (!o->root_hints)
		return hints_builtin(h) < 0
			       ? (diag_fail(d, "out of memory"), -1)
			       : 0;
	struct diag_env *env = d->env;
	if (env && env->hints_path &&
	    strcmp(env->hints_path, o->root_hints) == 0)
		return hints_copy(h, &env->hints) < 0
			       ? (diag_fail(d, "out of memory"), -1)
			       : 0;
	if (hints_load_file(h, o->root_hints, err, sizeof(err)) < 0) {
		diag_fail(d, "%s", err);
		return -1;
	}
	/* Kept for the next diagnosis on ENV; without memory, it reads the
	 * file again. */
	if (env && !env->hints_path &&
	    (env->hints_path = strdup(o->root_hints)) &&
	    hints_copy(&env->hints, h) < 0) {
		hints_deinit(&env->hints);
		free(env->hints_path);
		env->hints_path = NULL;
	}
	return 0;
}

struct evidence *diag_load_evidence(struct diag *d, const char *path)
{
	size_t len = 0;
	char *text =
		diag_read_file(d, "evidence", path, EVIDENCE_MAX_BYTES, &len);
	if (!text)
		return NULL;
	json_error_t je;
	json_t *j = json_loadb(text, len, 0, &je);
	free(text);
	if (!j) {
		diag_fail(d, "%s is not valid JSON (line %d: %s)", path,
			  je.line, je.text);
		return NULL;
	}
	char err[200];
	struct evidence *ev = evidence_from_json(j, err, sizeof(err));
	json_decref(j);
	if (!ev)
		diag_fail(d, "%s: %s", path, err);
	return ev;
}

int diag_save_evidence(struct diag *d, const struct evidence *ev,
		       const char *path)
{
	json_t *j = evidence_to_json(ev);
	if (!j) {
		diag_fail(d, "out of memory");
		return -1;
	}
	/* The file was opened before anything was asked (diag_run), so a
	 * path that cannot be written fails at once; a wait writes twice. */
	FILE *f = d->save;
	int rc = -1;
	if (f &&
	    (f == stdout || (fflush(f) == 0 && ftruncate(fileno(f), 0) == 0 &&
			     fseek(f, 0, SEEK_SET) == 0)))
		rc = json_dumpf(j, f, JSON_COMPACT);
	if (rc == 0 && f == stdout && fputc('\n', f) == EOF)
		rc = -1;
	json_decref(j);
	if (rc < 0 || fflush(f) != 0 || ferror(f)) {
		diag_fail(d, "cannot write evidence to %s: %s", path,
			  strerror(errno ? errno : EIO));
		return -1;
	}
	d->save_written = true;
	return 0;
}

bool diag_probe_failed(struct diag *d, int rc)
{
	/* Not the domain's fault: say so, not "the domain is broken". */
	if (rc == -EHOSTUNREACH)
		diag_fail(d, "no root server answered: this machine has no DNS "
			     "path to "
			     "the Internet (or --root-hints names servers that "
			     "are not there)");
	else if (rc < 0)
		diag_fail(d, "the probe failed: %s", strerror(-rc));
	return rc < 0;
}

#define INPUT_MAX_BYTES (1u << 20)
#define RESOLVERS_MAX	64

/* IANA's root key-signing keys: KSK-2017 (20326) and KSK-2024 (38696). */
static const char *const iana_anchor[] = {
	". IN DS 20326 8 2 "
	"E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBB683457104237C7F8EC8D",
	". IN DS 38696 8 2 "
	"683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
};

/* Adds the DS/DNSKEY records of TEXT owned by the root to EV; 0 or -1. */
static int anchor_parse(struct diag *d, const char *path, char *text,
			struct evidence *ev)
{
	int lineno = 0, n = 0;
	for (char *line = text, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		line += strspn(line, " \t\r");
		if (!*line || *line == ';' || *line == '#')
			continue;
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) !=
		    LDNS_STATUS_OK) {
			diag_fail(d, "%s: line %d is not a DS or DNSKEY record",
				  path, lineno);
			return -1;
		}
		ldns_rr_type t = ldns_rr_get_type(rr);
		char *owner = dmsg_name(ldns_rr_owner(rr));
		char *str = ldns_rr2str(rr);
		int ok = (t == LDNS_RR_TYPE_DS || t == LDNS_RR_TYPE_DNSKEY) &&
			 owner && strcmp(owner, ".") == 0;
		if (str)
			str[strcspn(str, "\n")] = '\0';
		int rc = ok && str ? ev_strings_add(&ev->trust_anchor, str) : 0;
		ldns_rr_free(rr);
		free(owner);
		free(str);
		if (!ok) {
			diag_fail(d,
				  "%s: line %d: only DS or DNSKEY records of "
				  "the "
				  "root (.) can anchor trust",
				  path, lineno);
			return -1;
		}
		if (rc < 0) {
			diag_fail(d, "out of memory");
			return -1;
		}
		n++;
	}
	if (n == 0) {
		diag_fail(d, "%s holds no DS or DNSKEY record", path);
		return -1;
	}
	return 0;
}

int diag_load_trust_anchor(struct diag *d, const struct diag_request *o,
			   struct evidence *ev)
{
	/* Replayed evidence was judged with the anchor it recorded. */
	const struct evidence *r = replayed(d);
	if (!o->trust_anchor && r) {
		for (size_t i = 0; i < r->trust_anchor.n; i++)
			if (ev_strings_add(&ev->trust_anchor,
					   r->trust_anchor.v[i]) < 0)
				return diag_fail(d, "out of memory");
		return 0;
	}
	/* IANA's anchor fits IANA's root only: a hierarchy of one's own
	 * (--root-hints) without --trust-anchor is not validated. */
	if (!o->trust_anchor && o->root_hints)
		return 0;
	if (!o->trust_anchor) {
		for (size_t i = 0;
		     i < sizeof(iana_anchor) / sizeof(iana_anchor[0]); i++)
			if (ev_strings_add(&ev->trust_anchor, iana_anchor[i]) <
			    0)
				return diag_fail(d, "out of memory"), -1;
		return 0;
	}
	size_t len;
	char *text = diag_read_file(d, "trust anchor", o->trust_anchor,
				    INPUT_MAX_BYTES, &len);
	if (!text)
		return -1;
	int rc = memchr(text, '\0', len)
			 ? (diag_fail(d, "%s is not a text file",
				      o->trust_anchor),
			    -1)
			 : anchor_parse(d, o->trust_anchor, text, ev);
	free(text);
	return rc;
}

int diag_load_what_if_ds(struct diag *d, const struct diag_request *o,
			 const char *domain, struct evidence *ev)
{
	for (size_t i = 0; i < o->n_ds; i++) {
		char buf[1024];
		const char *s = o->ds[i];
		/* "12345 13 2 ABCD..." is the DS of the domain itself. */
		if (isdigit((unsigned char)s[0]))
			snprintf(buf, sizeof(buf), "%s 3600 IN DS %s", domain,
				 s);
		else
			snprintf(buf, sizeof(buf), "%s", s);
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, buf, 0, NULL, NULL) !=
			    LDNS_STATUS_OK ||
		    ldns_rr_get_type(rr) != LDNS_RR_TYPE_DS) {
			ldns_rr_free(rr);
			return diag_fail(d,
					 "--ds '%.60s' is not a DS record "
					 "(KEYTAG "
					 "ALGORITHM DIGEST-TYPE DIGEST)",
					 s),
			       -1;
		}
		char *str = ldns_rr2str(rr);
		ldns_rr_free(rr);
		if (!str)
			return diag_fail(d, "out of memory"), -1;
		str[strcspn(str, "\n")] = '\0';
		int rc = ev_strings_add(&ev->what_if_ds, str);
		free(str);
		if (rc < 0)
			return diag_fail(d, "out of memory"), -1;
	}
	return 0;
}

/* `--resolvers public`: large public resolvers, asked only when named
 * (asking one for a record that does not exist yet plants a denial in a
 * cache the CA may use). Never in tests: the lab names its own. */
static const char *const public_resolvers[][2] = {
	{ "cloudflare.", "1.1.1.1" },
	{ "google.", "8.8.8.8" },
	{ "quad9.", "9.9.9.9" },
	{ "opendns.", "208.67.222.222" },
};

static int resolver_add(struct diag *d, struct hints *h, char *item)
{
	char *eq = strchr(item, '='), *addr = eq ? eq + 1 : item;
	if (strcmp(item, "public") == 0) {
		for (size_t i = 0;
		     i < sizeof(public_resolvers) / sizeof(public_resolvers[0]);
		     i++)
			if (!hints_has(h, public_resolvers[i][0],
				       public_resolvers[i][1]) &&
			    hints_add(h, public_resolvers[i][0],
				      public_resolvers[i][1]) < 0)
				return diag_fail(d, "out of memory"), -1;
		return 0;
	}
	unsigned char buf[16];
	char text[INET6_ADDRSTRLEN + 8], host[INET6_ADDRSTRLEN + 1];
	long port = 53;
	if (eq)
		*eq = '\0';
	/* ADDR, ADDR#PORT (dig's form), [V6] or [V6]:PORT. */
	const char *close = addr[0] == '[' ? strchr(addr, ']') : NULL;
	const char *hash = close ? NULL : strchr(addr, '#');
	const char *ptext = close  ? (close[1] == ':' ? close + 2 : NULL)
			    : hash ? hash + 1
				   : NULL;
	size_t hlen = close  ? (size_t)(close - addr - 1)
		      : hash ? (size_t)(hash - addr)
			     : strlen(addr);
	const char *hstart = close ? addr + 1 : addr;
	char *end = NULL;
	bool bad =
		(addr[0] == '[' && (!close || (close[1] && close[1] != ':'))) ||
		hlen >= sizeof(host);
	if (!bad && ptext) {
		port = strtol(ptext, &end, 10);
		bad = !*ptext || *end || port < 1 || port > 65535;
	}
	if (!bad) {
		memcpy(host, hstart, hlen);
		host[hlen] = '\0';
		bad = inet_pton(AF_INET, host, buf) != 1 &&
		      (inet_pton(AF_INET6, host, buf) != 1 ||
		       (!close && ptext && !hash));
	}
	if (bad) {
		diag_fail(d,
			  "--resolvers: '%.60s' is not an IPv4 or IPv6 address "
			  "(ADDR, ADDR#PORT or [V6]:PORT)",
			  addr);
		return -1;
	}
	if (port == 53)
		snprintf(text, sizeof(text), "%s", host);
	else
		snprintf(text, sizeof(text), "%s#%ld", host, port);
	addr = text;
	if (h->n >= RESOLVERS_MAX) {
		diag_fail(d, "--resolvers: more than %d resolvers",
			  RESOLVERS_MAX);
		return -1;
	}
	if (hints_add(h, eq ? item : addr, addr) < 0)
		return diag_fail(d, "out of memory"), -1;
	return 0;
}

int diag_load_resolvers(struct diag *d, const struct diag_request *o,
			struct hints *h)
{
	memset(h, 0, sizeof(*h));
	if (!o->resolvers && replayed(d) && replayed(d)->resolvers.n)
		return hints_from_strings(d, &replayed(d)->resolvers, h,
					  "resolvers");
	if (!o->resolvers)
		return 0;
	char *text = NULL;
	if (o->resolvers[0] == '@') {
		size_t len;
		text = diag_read_file(d, "resolver list", o->resolvers + 1,
				      INPUT_MAX_BYTES, &len);
		if (!text)
			return -1;
		if (memchr(text, '\0', len)) {
			free(text);
			return diag_fail(d, "%s is not a text file",
					 o->resolvers + 1),
			       -1;
		}
	} else if (!(text = strdup(o->resolvers))) {
		return diag_fail(d, "out of memory"), -1;
	}
	int rc = 0, comment = 0;
	char *p = text, *tok = NULL;
	for (;; p++) {
		char c = *p;
		/* A comment starts a line or follows a blank: ADDR#PORT is one
		 * token. */
		if (c == '#' && !tok)
			comment = 1;
		bool sep = c == '\0' || c == ',' || (c == '#' && !tok) ||
			   isspace((unsigned char)c);
		if (!sep && !comment && !tok)
			tok = p;
		if (sep && tok) {
			*p = '\0';
			if ((rc = resolver_add(d, h, tok)) < 0)
				break;
			tok = NULL;
		}
		if (c == '\n')
			comment = 0;
		if (c == '\0')
			break;
	}
	free(text);
	if (rc == 0 && h->n == 0)
		rc = (diag_fail(d, "--resolvers names no resolver"), -1);
	if (rc < 0)
		hints_deinit(h);
	return rc;
}
