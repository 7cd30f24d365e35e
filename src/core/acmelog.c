/* Parsers for ACME client logs. Each works line by line over a bounded copy
 * of the line (ACMELOG_LINE_MAX), keeps a little state (the time of the
 * last timestamped line, the client run, the domain an object is about),
 * and appends failures and attempts to a struct acme_log. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "core/acmelog.h"

#define DOMAIN_MAX     253
#define TYPE_MAX       64
#define DETAIL_MAX     4096 /* a CA's detail is one sentence; keep it short */
#define DEDUP_WINDOW   512  /* failures looked back at for duplicates */
#define JSON_DEPTH_MAX 24
#define JSON_ITEMS_MAX 100000

struct pstate {
	struct acme_log *log;
	enum acme_format fmt;
	uint32_t input;
	uint32_t run; /* 0: no run started yet */
	int64_t time;
	char domain[DOMAIN_MAX + 1]; /* the object or summary block's domain */
	char type[TYPE_MAX + 1];     /* certbot "Type:", acme.sh error= */
	char chal[16];
	bool in_events;	    /* cert-manager describe: under "Events:" */
	bool in_dnsnames;   /* cert-manager describe: "Dns Names:" list */
	const char *jstart; /* certbot: a JSON body being collected */
	struct {	    /* lego: the solver each domain used */
		char domain[DOMAIN_MAX + 1];
		char chal[16];
	} solver[16];
	size_t nsolver;
	/* acme.sh's own DNS check ("Checking D for _acme-challenge.D", then
	 * "Not valid yet"): the domain it is waiting on and how many times
	 * it was not valid yet; a run that ends waiting is a failure. */
	char dnswait[DOMAIN_MAX + 1];
	unsigned dnswait_n;
	int err; /* sticky -ENOMEM */
};

void acmelog_init(struct acme_log *log)
{
	memset(log, 0, sizeof(*log));
}

void acmelog_deinit(struct acme_log *log)
{
	for (size_t i = 0; i < log->nf; i++) {
		free(log->f[i].type);
		free(log->f[i].detail);
		free(log->f[i].domain);
		free(log->f[i].challenge);
	}
	for (size_t i = 0; i < log->na; i++)
		free(log->a[i].domain);
	free(log->f);
	free(log->a);
	memset(log, 0, sizeof(*log));
}

/* ---- small string helpers ---- */

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Copies at most MAX bytes of S (N bytes) into a new string, trimming
 * trailing white space. */
static char *dup_trim(const char *s, size_t n, size_t max)
{
	char *out;
	if (n > max)
		n = max;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	out = malloc(n + 1);
	if (out) {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}

/* Writes the domain at S (up to N bytes) into OUT, lower-cased, without a
 * trailing dot; "" when it holds anything a host name cannot. */
static void domain_copy(char out[DOMAIN_MAX + 1], const char *s, size_t n)
{
	size_t k = 0;
	out[0] = '\0';
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	if (n == 0 || n > DOMAIN_MAX)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) || c == '.' || c == '-' || c == '_' ||
		      c == '*' || c == ':'))
			return;
		out[k++] = (char)tolower(c);
	}
	out[k] = '\0';
}

/* Length of the host-name-like run at S. */
static size_t name_len(const char *s)
{
	size_t n = 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '.' || s[n] == '-' ||
	       s[n] == '_' || s[n] == '*')
		n++;
	return n;
}

/* A domain named in a detail: "_acme-challenge.X", "http://X/",
 * "authorization error for X:". */
static void domain_from_text(char out[DOMAIN_MAX + 1], const char *d)
{
	const char *p;
	out[0] = '\0';
	if ((p = strstr(d, "authorization error for "))) {
		p += strlen("authorization error for ");
		domain_copy(out, p, name_len(p));
	}
	if (!out[0] && (p = strstr(d, "_acme-challenge."))) {
		p += strlen("_acme-challenge.");
		domain_copy(out, p, name_len(p));
	}
	/* http:// only: HTTP-01 URLs are plain HTTP, while https:// in a
	 * detail is the CA's documentation link */
	if (!out[0] && (p = strstr(d, "http://"))) {
		p += strlen("http://");
		domain_copy(out, p, name_len(p));
	}
}

/* ---- times ---- */

int64_t acmelog_civil_time(int y, int mon, int d, int h, int mi, int s)
{
	/* The logs' clocks are read as UTC (docs/logs.md): timegm, not
	 * mktime, whatever TZ says. */
	struct tm tm = { .tm_year = y - 1900,
			 .tm_mon = mon - 1,
			 .tm_mday = d,
			 .tm_hour = h,
			 .tm_min = mi,
			 .tm_sec = s };
	return (int64_t)timegm(&tm);
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool valid_civil(int y, int mo, int d, int h, int mi, int s)
{
	return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
	       d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 &&
	       s <= 60;
}

/* "YYYY?MM?DD?HH:MM:SS" with the given separators; ACMELOG_NO_TIME if S
 * does not start with one. The width is checked here (strptime would take
 * "2024-6-1"); strptime reads the fields. */
static int64_t parse_ymd(const char *s, char dsep, char tsep)
{
	char fmt[32], buf[20];
	struct tm tm = { 0 };
	if (strnlen(s, 19) < 19 || s[4] != dsep || s[7] != dsep ||
	    s[10] != tsep || s[13] != ':' || s[16] != ':' || digits(s, 4) < 0 ||
	    digits(s + 5, 2) < 0 || digits(s + 8, 2) < 0 ||
	    digits(s + 11, 2) < 0 || digits(s + 14, 2) < 0 ||
	    digits(s + 17, 2) < 0)
		return ACMELOG_NO_TIME;
	memcpy(buf, s, 19);
	buf[19] = '\0';
	snprintf(fmt, sizeof(fmt), "%%Y%c%%m%c%%d%c%%H:%%M:%%S", dsep, dsep,
		 tsep);
	const char *end = strptime(buf, fmt, &tm);
	if (!end || *end ||
	    !valid_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec))
		return ACMELOG_NO_TIME;
	return acmelog_civil_time(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				  tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* certbot: "2024-06-01 12:00:00,123:DEBUG:module:message". */
static const char *certbot_stamp(const char *s, int64_t *t)
{
	int64_t v = parse_ymd(s, '-', ' ');
	if (v == ACMELOG_NO_TIME || s[19] != ',' || digits(s + 20, 3) < 0 ||
	    s[23] != ':')
		return NULL;
	*t = v;
	return s + 24;
}

/* lego (Go's log package): "2024/06/01 12:00:00 message". */
static const char *lego_stamp(const char *s, int64_t *t)
{
	int64_t v = parse_ymd(s, '/', ' ');
	if (v == ACMELOG_NO_TIME || s[19] != ' ')
		return NULL;
	*t = v;
	return s + 20;
}

/* acme.sh: "[Sat Jun  1 12:00:00 UTC 2024] message" (date(1) output). */
static const char *acmesh_stamp(const char *s, int64_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p, *close;
	int mo = 0, d, h, mi, se, y;
	if (s[0] != '[' || !(close = strchr(s, ']')) || close - s > 48 ||
	    !isalpha((unsigned char)s[1]) || s[4] != ' ')
		return NULL;
	p = s + 5;
	for (int i = 0; i < 12; i++)
		if (strncmp(p, months + 3 * i, 3) == 0)
			mo = i + 1;
	if (!mo)
		return NULL;
	p = skip_ws(p + 3);
	d = (int)strtol(p, (char **)&p, 10);
	p = skip_ws(p);
	if (close - p < 8 || p[2] != ':' || p[5] != ':')
		return NULL;
	h = digits(p, 2), mi = digits(p + 3, 2), se = digits(p + 6, 2);
	/* the year is the last word before ']' (a zone name may precede) */
	y = close - s >= 4 ? digits(close - 4, 4) : -1;
	if (!valid_civil(y, mo, d, h, mi, se))
		return NULL;
	*t = acmelog_civil_time(y, mo, d, h, mi, se);
	return skip_ws(close + 1);
}

/* ISO 8601 "2024-06-01T12:00:00Z" anywhere in S (cert-manager). */
static int64_t iso_in(const char *s)
{
	for (const char *p = s; (p = strchr(p, 'T')); p++)
		if (p - s >= 10) {
			int64_t v = parse_ymd(p - 10, '-', 'T');
			if (v != ACMELOG_NO_TIME)
				return v;
		}
	return ACMELOG_NO_TIME;
}

/* ---- appending ---- */

static void new_run(struct pstate *ps)
{
	ps->run = ++ps->log->runs;
}

static uint32_t cur_run(struct pstate *ps)
{
	if (!ps->run)
		new_run(ps);
	return ps->run;
}

static int grow(void **v, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 16;
	void *nv = realloc(*v, nc * elem);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = nc;
	return 0;
}

static void add_attempt(struct pstate *ps, const char *domain, bool success)
{
	struct acme_log *log = ps->log;
	uint32_t run = cur_run(ps);
	if (ps->err || !domain || !*domain)
		return;
	size_t seen = 0;
	for (size_t i = log->na;
	     i-- > 0 && log->a[i].run == run && seen++ < DEDUP_WINDOW;)
		if (strcmp(log->a[i].domain, domain) == 0) {
			log->a[i].success |= success;
			if (log->a[i].time == ACMELOG_NO_TIME)
				log->a[i].time = ps->time;
			return;
		}
	if (log->na >= ACMELOG_EVENTS_MAX) {
		log->dropped++;
		return;
	}
	if (grow((void **)&log->a, &log->capa, log->na, sizeof(*log->a)) < 0 ||
	    !(log->a[log->na].domain = strdup(domain))) {
		ps->err = -ENOMEM;
		return;
	}
	log->a[log->na].time = ps->time;
	log->a[log->na].run = run;
	log->a[log->na].success = success;
	log->na++;
}

/* Marks every attempt of the current run successful (a certificate came). */
static void run_success(struct pstate *ps)
{
	size_t seen = 0;
	for (size_t i = ps->log->na;
	     i-- > 0 && ps->log->a[i].run == ps->run && seen++ < DEDUP_WINDOW;)
		ps->log->a[i].success = true;
}

/* The first domain the current run attempted, or "". */
static const char *run_domain(const struct pstate *ps)
{
	const char *d = "";
	size_t seen = 0;
	for (size_t i = ps->log->na;
	     i-- > 0 && ps->log->a[i].run == ps->run && seen++ < DEDUP_WINDOW;)
		d = ps->log->a[i].domain;
	return d;
}

/* Appends one failure unless the same (domain, type, detail) was already
 * seen in this run: certbot logs each problem in the authorization and
 * again in its summary; cert-manager in the status and in an event. */
static void add_failure(struct pstate *ps, const char *type, const char *detail,
			size_t dlen, const char *domain, const char *chal,
			uint32_t count)
{
	struct acme_log *log = ps->log;
	struct acme_failure *f;
	const char *st = acmelog_short_type(type);
	char dom[DOMAIN_MAX + 1];
	char *det;
	uint32_t run = cur_run(ps);
	size_t seen = 0;

	if (ps->err)
		return;
	if (st)
		type = st;
	if (!type)
		type = "";
	if (!domain || !*domain) {
		char tmp[DETAIL_MAX + 1];
		size_t n = dlen < DETAIL_MAX ? dlen : DETAIL_MAX;
		memcpy(tmp, detail, n);
		tmp[n] = '\0';
		domain_from_text(dom, tmp);
		if (!dom[0])
			snprintf(dom, sizeof(dom), "%s", run_domain(ps));
		domain = dom;
	}
	if (!(det = dup_trim(detail, dlen, DETAIL_MAX))) {
		ps->err = -ENOMEM;
		return;
	}
	for (size_t i = log->nf;
	     i-- > 0 && log->f[i].run == run && seen++ < DEDUP_WINDOW;) {
		f = &log->f[i];
		if (strcmp(f->domain, domain) == 0 &&
		    strncmp(f->type, type, TYPE_MAX) == 0 &&
		    strcmp(f->detail, det) == 0) {
			if (count > f->count)
				f->count = count;
			if (!*f->challenge && chal && *chal) {
				char *c = strdup(chal);
				if (c) {
					free(f->challenge);
					f->challenge = c;
				}
			}
			free(det);
			return;
		}
	}
	if (log->nf >= ACMELOG_EVENTS_MAX) {
		log->dropped++;
		free(det);
		return;
	}
	if (grow((void **)&log->f, &log->capf, log->nf, sizeof(*log->f)) < 0) {
		free(det);
		ps->err = -ENOMEM;
		return;
	}
	f = &log->f[log->nf];
	memset(f, 0, sizeof(*f));
	f->detail = det;
	f->type = dup_trim(type, strlen(type), TYPE_MAX);
	f->domain = strdup(domain);
	f->challenge = strdup(chal ? chal : "");
	if (!f->type || !f->domain || !f->challenge) {
		free(f->type);
		free(f->domain);
		free(f->challenge);
		free(det);
		ps->err = -ENOMEM;
		return;
	}
	f->time = ps->time;
	f->run = run;
	f->count = count ? count : 1;
	f->input = ps->input;
	f->cause = acmelog_classify(f->type, f->detail, &f->secondary);
	log->nf++;
	add_attempt(ps, domain, false);
}

/* A problem written inline, as lego, cert-manager, acme.sh and old certbot
 * do: "… urn:ietf:params:acme:error:TYPE :: detail" or "…TYPE: detail". */
static void inline_problem(struct pstate *ps, const char *s, const char *domain,
			   const char *chal, uint32_t count)
{
	const char *p = strstr(s, "urn:ietf:params:acme:error:");
	const char *t, *d, *sep;
	char type[TYPE_MAX + 1];
	size_t n;

	if (!p)
		p = strstr(s, "urn:acme:error:");
	if (!p)
		return;
	t = acmelog_short_type(p);
	for (n = 0; isalnum((unsigned char)t[n]) && n < TYPE_MAX; n++)
		type[n] = t[n];
	type[n] = '\0';
	d = t + n;
	while (*d == ' ' || *d == ':' || *d == '-' || *d == '\t' || *d == '"' ||
	       *d == ',')
		d++;
	/* old certbot: "TYPE :: The client lacks sufficient authorization ::
	 * detail": the middle part is the type's description, not news. */
	if ((starts(d, "The ") || starts(d, "There was")) &&
	    (sep = strstr(d, " :: ")))
		d = sep + 4;
	n = strlen(d);
	while (n && (d[n - 1] == '"' || d[n - 1] == '}' || d[n - 1] == ' '))
		n--;
	add_failure(ps, type, d, n, domain, chal, count);
}

/* ---- certbot: JSON bodies in the debug log ---- */

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool is_challenge_type(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	return n > 3 && n < 16 && t[n - 3] == '-' && t[n - 2] == '0' &&
	       !acmelog_short_type(t);
}

static void json_problem(struct pstate *ps, const json_t *p, const char *domain,
			 const char *chal, int depth)
{
	const char *type = jstr(p, "type"), *detail = jstr(p, "detail");
	const json_t *sub = json_object_get(p, "subproblems");
	const json_t *id = json_object_get(p, "identifier");
	char dom[DOMAIN_MAX + 1];
	const char *v = jstr(id, "value");

	if (v) {
		domain_copy(dom, v, strlen(v));
		domain = dom;
	}
	/* RFC 8555 §6.7.1: one problem per identifier in subproblems. */
	if (json_is_array(sub) && json_array_size(sub) > 0 &&
	    depth < JSON_DEPTH_MAX) {
		size_t i;
		const json_t *e;
		json_array_foreach (sub, i, e) {
			if (i >= JSON_ITEMS_MAX)
				break;
			if (jstr(e, "type"))
				json_problem(ps, e, domain, chal, depth + 1);
		}
		return;
	}
	detail = detail ? detail : "";
	add_failure(ps, type, detail, strlen(detail), domain, chal, 1);
}

static void json_walk(struct pstate *ps, const json_t *j, const char *domain,
		      const char *chal, int depth)
{
	char dom[DOMAIN_MAX + 1];
	const char *t, *key;
	const json_t *v, *id;
	size_t i;

	if (depth > JSON_DEPTH_MAX || ps->err)
		return;
	if (json_is_array(j)) {
		json_array_foreach (j, i, v) {
			if (i >= JSON_ITEMS_MAX)
				break;
			json_walk(ps, v, domain, chal, depth + 1);
		}
		return;
	}
	if (!json_is_object(j))
		return;
	t = jstr(j, "type");
	if (t && acmelog_short_type(t)) {
		json_problem(ps, j, domain, chal, depth);
		return;
	}
	id = json_object_get(j, "identifier");
	if ((t = jstr(id, "value"))) {
		const json_t *w = json_object_get(j, "wildcard");
		char name[DOMAIN_MAX + 3];
		snprintf(name, sizeof(name), "%s%s",
			 json_is_true(w) ? "*." : "", t);
		domain_copy(dom, name, strlen(name));
		domain = dom;
		/* an authorization: its status says how the domain fared */
		t = jstr(j, "status");
		if (t && strcmp(t, "valid") == 0)
			add_attempt(ps, domain, true);
		else if (t && strcmp(t, "invalid") == 0)
			add_attempt(ps, domain, false);
	}
	t = jstr(j, "type");
	if (is_challenge_type(t))
		chal = t;
	json_object_foreach ((json_t *)j, key, v) {
		(void)key;
		if (json_is_object(v) || json_is_array(v))
			json_walk(ps, v, domain, chal, depth + 1);
	}
}

static void json_block(struct pstate *ps, const char *s, size_t n)
{
	json_error_t je;
	json_t *j;
	if (n > ACMELOG_JSON_MAX) {
		ps->log->big_json++;
		return;
	}
	j = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return; /* not JSON after all: a request dump, say */
	json_walk(ps, j, "", "", 0);
	json_decref(j);
}

/* ---- line handlers ---- */

/* "Requesting a certificate for a.com, b.com and c.com". */
static void attempt_list(struct pstate *ps, const char *s)
{
	char dom[DOMAIN_MAX + 1];
	while (*s) {
		size_t n;
		s = skip_ws(s);
		if (starts(s, "and "))
			s += 4;
		n = name_len(s);
		if (n == 0)
			break;
		domain_copy(dom, s, n);
		add_attempt(ps, dom, false);
		s += n;
		while (*s == ',' || *s == ' ')
			s++;
	}
}

/* certbot's summary block, in the console and in the debug log:
 *   Domain: example.com
 *   Type:   unauthorized
 *   Detail: … */
static bool certbot_summary(struct pstate *ps, const char *line)
{
	const char *s = skip_ws(line);
	if (starts(s, "Domain: ")) {
		s = skip_ws(s + 8);
		domain_copy(ps->domain, s, name_len(s));
		ps->type[0] = '\0';
		return true;
	}
	if (starts(s, "Type: ") && ps->domain[0]) {
		s = skip_ws(s + 6);
		snprintf(ps->type, sizeof(ps->type), "%.*s", (int)name_len(s),
			 s);
		return true;
	}
	if (starts(s, "Detail: ") && ps->domain[0]) {
		s = skip_ws(s + 8);
		add_failure(ps, ps->type, s, strlen(s), ps->domain, "", 1);
		ps->domain[0] = ps->type[0] = '\0';
		return true;
	}
	return false;
}

static void certbot_message(struct pstate *ps, const char *m)
{
	const char *p;
	if (strstr(m, "certbot version:") && ps->fmt == ACME_FMT_CERTBOT_LOG)
		new_run(ps);
	else if (starts(m, "Saving debug log to") &&
		 ps->fmt == ACME_FMT_CERTBOT_CONSOLE)
		new_run(ps);
	if ((p = strstr(m, "Requesting a certificate for ")))
		attempt_list(ps, p + strlen("Requesting a certificate for "));
	else if ((p = strstr(m, "Renewing an existing certificate for ")))
		attempt_list(ps, p + strlen("Renewing an existing certificate "
					    "for "));
	if (strstr(m, "Successfully received certificate") ||
	    strstr(m, "Congratulations! Your certificate"))
		run_success(ps);
	if (certbot_summary(ps, m))
		return;
	/* certbot before 1.x: "Failed authorization procedure. a.com
	 * (http-01): urn:…:connection :: …" on one line. */
	if ((p = strstr(m, "Failed authorization procedure. "))) {
		char dom[DOMAIN_MAX + 1], chal[16] = "";
		const char *q;
		p += strlen("Failed authorization procedure. ");
		domain_copy(dom, p, name_len(p));
		q = p + name_len(p);
		if (starts(q, " (") && name_len(q + 2) < sizeof(chal))
			snprintf(chal, sizeof(chal), "%.*s",
				 (int)name_len(q + 2), q + 2);
		inline_problem(ps, p, dom, chal, 1);
	}
}

/* A time the log wrote in its machine's local time: to UTC with the
 * offset given, else marked as local. */
static void local_time(struct pstate *ps)
{
	ps->time -= ps->log->tz_offset;
	ps->log->local_times = true;
}

static void line_certbot_log(struct pstate *ps, const char *line,
			     const char *raw, const char *raw_end)
{
	const char *m = certbot_stamp(line, &ps->time);
	if (m)
		local_time(ps);
	if (m) {
		ps->jstart = NULL; /* a body never spans a timestamped line */
		/* "LEVEL:module:message" */
		const char *c = strchr(m, ':');
		c = c ? strchr(c + 1, ':') : NULL;
		certbot_message(ps, c ? c + 1 : m);
		return;
	}
	if (strcmp(line, "{") == 0) {
		ps->jstart = raw;
		return;
	}
	if (ps->jstart) {
		if (strcmp(line, "}") == 0) {
			json_block(ps, ps->jstart,
				   (size_t)(raw_end - ps->jstart));
			ps->jstart = NULL;
		}
		return;
	}
	certbot_message(ps, line);
}

static void add_chal(struct pstate *ps, const char *dom, const char *chal)
{
	size_t i;
	for (i = 0; i < ps->nsolver; i++)
		if (strcmp(ps->solver[i].domain, dom) == 0)
			break;
	if (i == ps->nsolver) {
		if (ps->nsolver == sizeof(ps->solver) / sizeof(ps->solver[0]))
			i = 0; /* an order of more names: reuse the oldest slot
				*/
		else
			ps->nsolver++;
	}
	snprintf(ps->solver[i].domain, sizeof(ps->solver[i].domain), "%s", dom);
	snprintf(ps->solver[i].chal, sizeof(ps->solver[i].chal), "%s", chal);
}

static const char *chal_of(const struct pstate *ps, const char *dom)
{
	for (size_t i = 0; i < ps->nsolver; i++)
		if (strcmp(ps->solver[i].domain, dom) == 0)
			return ps->solver[i].chal;
	return "";
}

static void line_lego(struct pstate *ps, const char *line)
{
	const char *m = lego_stamp(line, &ps->time), *p, *close;
	char dom[DOMAIN_MAX + 1] = "";
	if (m)
		local_time(ps);

	if (!m)
		m = skip_ws(line);
	if (starts(m, "[INFO] ") || starts(m, "[WARN] "))
		m += 7;
	if (m[0] == '[' && (close = strchr(m, ']'))) {
		domain_copy(dom, m + 1, name_len(m + 1));
		p = close + 1;
	} else {
		p = m;
	}
	if (strstr(p, "acme: Obtaining bundled SAN certificate") ||
	    strstr(p, "acme: Obtaining SAN certificate") ||
	    strstr(p, "acme: Trying renewal with")) {
		new_run(ps);
		if (m[0] == '[' && (close = strchr(m, ']'))) {
			char list[DETAIL_MAX + 1];
			snprintf(list, sizeof(list), "%.*s",
				 (int)(close - m - 1), m + 1);
			attempt_list(ps, list);
		}
		return;
	}
	if ((m = strstr(p, "acme: use ")) && dom[0]) {
		/* "[d] acme: use dns-01 solver": the challenge of d's failure
		 */
		m += strlen("acme: use ");
		snprintf(ps->chal, sizeof(ps->chal), "%.*s", (int)name_len(m),
			 m);
		snprintf(ps->domain, sizeof(ps->domain), "%s", dom);
		add_chal(ps, dom, ps->chal);
		return;
	}
	if (strstr(p, "The server validated our request")) {
		add_attempt(ps, dom, true);
		return;
	}
	if (strstr(p, "Server responded with a certificate")) {
		run_success(ps);
		return;
	}
	if (strstr(p, "urn:ietf:params:acme:error:") || strstr(p, "urn:acme:"
								  "error:")) {
		inline_problem(ps, p, dom, chal_of(ps, dom), 1);
		return;
	}
	/* lego's own propagation check: "[d] acme: error: presolve: time
	 * limit exceeded: last error: NXDOMAIN for _acme-challenge.d" */
	if ((m = strstr(p, "acme: error: ")) && dom[0]) {
		m += strlen("acme: error: ");
		add_failure(ps, "", m, strlen(m), dom, "dns-01", 1);
		return;
	}
	/* lego 4's: "[d] time limit exceeded: last error: NS ns2.example.
	 * returned NXDOMAIN for _acme-challenge.d." (or "did not return
	 * the expected TXT record", "returned SERVFAIL", "i/o timeout"),
	 * in the summary after "one or more domains had a problem". */
	if (dom[0] && (m = strstr(p, "time limit exceeded"))) {
		add_failure(ps, "", m, strlen(m), dom, "dns-01", 1);
	}
}

/* A run of acme.sh that ended while its own DNS check still waited. */
static void acmesh_gave_up(struct pstate *ps)
{
	char d[DETAIL_MAX + 1];
	if (!ps->dnswait_n || !ps->dnswait[0])
		return;
	snprintf(d, sizeof(d),
		 "acme.sh dns_check: _acme-challenge.%s not yet propagated "
		 "after %u checks "
		 "(Not valid yet); the run ended waiting",
		 ps->dnswait, ps->dnswait_n);
	add_failure(ps, "", d, strlen(d), ps->dnswait, "dns-01", 1);
	ps->dnswait[0] = '\0';
	ps->dnswait_n = 0;
}

static void line_acmesh(struct pstate *ps, const char *line)
{
	const char *m = acmesh_stamp(line, &ps->time), *p, *q;
	char dom[DOMAIN_MAX + 1];
	/* date(1) names its zone: only UTC and GMT are taken as such. */
	if (m && !strstr(line, " UTC ") && !strstr(line, " GMT "))
		local_time(ps);

	if (!m)
		m = skip_ws(line);
	/* its own DNS check, through public DNS-over-HTTPS resolvers */
	if (starts(m, "Checking ") && (p = strstr(m, " for "
						     "_acme-challenge."))) {
		domain_copy(ps->dnswait, m + 9, (size_t)(p - (m + 9)));
		return;
	}
	if (starts(m, "Not valid yet")) {
		ps->dnswait_n++;
		return;
	}
	if (strstr(m, "All success, let's return") || starts(m, "Verifying:"
								" ")) {
		ps->dnswait[0] = '\0';
		ps->dnswait_n = 0;
	}
	if ((p = strstr(m, "Single domain='")) || (p = strstr(m, "Multi "
								 "domain='"))) {
		acmesh_gave_up(ps);
		new_run(ps);
		p = strchr(p, '\'') + 1;
		while (*p && *p != '\'') {
			if (starts(p, "DNS:"))
				p += 4;
			domain_copy(dom, p, name_len(p));
			add_attempt(ps, dom, false);
			p += name_len(p);
			if (*p != ',')
				break;
			p++;
		}
		return;
	}
	if ((p = strstr(m, "Verifying: "))) {
		p += strlen("Verifying: ");
		domain_copy(ps->domain, p, name_len(p));
		add_attempt(ps, ps->domain, false);
		return;
	}
	if (strcmp(m, "Success") == 0) {
		add_attempt(ps, ps->domain, true);
		return;
	}
	if (strstr(m, "Cert success.")) {
		run_success(ps);
		return;
	}
	/* "Invalid status, d:Verify error detail:DETAIL" (acme.sh 3) and
	 * "d:Verify error:DETAIL" (older). The type came on a debug line. */
	if ((p = strstr(m, ":Verify error"))) {
		q = p;
		while (q > m && q[-1] != ' ' && q[-1] != ',')
			q--;
		domain_copy(dom, q, (size_t)(p - q));
		p += strlen(":Verify error");
		if (starts(p, " detail"))
			p += strlen(" detail");
		if (*p == ':')
			p++;
		add_failure(ps, ps->type, p, strlen(p), dom, "", 1);
		ps->type[0] = '\0';
		return;
	}
	if ((p = strstr(m, "urn:ietf:params:acme:error:"))) {
		/* debug lines (error='…', response='…') carry the type of the
		 * Verify error that follows; anything else is a failure. */
		if (strstr(m, "error='") || strstr(m, "response='") ||
		    strstr(m, "error=\"")) {
			const char *t = acmelog_short_type(p);
			snprintf(ps->type, sizeof(ps->type), "%.*s",
				 (int)name_len(t), t);
			return;
		}
		inline_problem(ps, m, "", "", 1);
	}
}

/* "Warning  Failed  2m (x3 over 10m)  cert-manager  message": the count. */
static uint32_t event_count(const char *s)
{
	const char *p = strstr(s, "(x");
	long v;
	if (!p || !isdigit((unsigned char)p[2]))
		return 1;
	v = strtol(p + 2, NULL, 10);
	return v > 0 && v < 1000000 ? (uint32_t)v : 1;
}

static bool propagation_wording(const char *s)
{
	return strstr(s, "not yet propagated") || strstr(s, "time limit "
							    "exceeded: last "
							    "error");
}

static void line_cm_describe(struct pstate *ps, const char *line)
{
	const char *s = skip_ws(line), *p;
	int64_t t;

	if (starts(line, "Name:")) {
		/* a new object: a challenge, an order or a certificate */
		new_run(ps);
		ps->domain[0] = ps->chal[0] = '\0';
		ps->in_events = ps->in_dnsnames = false;
		return;
	}
	if (starts(line, "Events:")) {
		ps->in_events = true;
		return;
	}
	if (ps->in_dnsnames) {
		if (s != line && name_len(s) == strlen(s) && *s) {
			char dom[DOMAIN_MAX + 1];
			domain_copy(dom, s, name_len(s));
			if (!ps->domain[0])
				snprintf(ps->domain, sizeof(ps->domain), "%s",
					 dom);
			add_attempt(ps, dom, false);
			return;
		}
		ps->in_dnsnames = false;
	}
	if (starts(s, "Dns Names:")) {
		ps->in_dnsnames = true;
		return;
	}
	if (starts(s, "Dns Name:")) {
		s = skip_ws(s + strlen("Dns Name:"));
		domain_copy(ps->domain, s, name_len(s));
		add_attempt(ps, ps->domain, false);
		return;
	}
	if (starts(s, "Type:") && !ps->in_events) {
		s = skip_ws(s + 5);
		if (starts(s, "DNS-01") || starts(s, "HTTP-01") ||
		    starts(s, "TLS-ALPN-01")) {
			size_t n = name_len(s);
			for (size_t i = 0; i < n && i + 1 < sizeof(ps->chal);
			     i++)
				ps->chal[i] =
					(char)tolower((unsigned char)s[i]);
			ps->chal[n < sizeof(ps->chal) ? n
						      : sizeof(ps->chal) - 1] =
				'\0';
		}
		return;
	}
	if (starts(s, "State:") && strstr(s, "valid") &&
	    !strstr(s, "invalid")) {
		add_attempt(ps, ps->domain, true);
		return;
	}
	if ((starts(s, "Last Failure Time:") ||
	     starts(s, "Creation Timestamp:") ||
	     starts(s, "Last Transition Time:")) &&
	    (t = iso_in(s)) != ACMELOG_NO_TIME) {
		ps->time = t;
		return;
	}
	if (ps->in_events && !starts(s, "Warning"))
		return;
	if (strstr(s, "urn:ietf:params:acme:error:") || strstr(s, "urn:acme:"
								  "error:")) {
		inline_problem(ps, s, ps->domain, ps->chal,
			       ps->in_events ? event_count(s) : 1);
		return;
	}
	if (propagation_wording(s) && (p = strstr(s, "Waiting for")))
		add_failure(ps, "", p, strlen(p), ps->domain, ps->chal,
			    ps->in_events ? event_count(s) : 1);
}

/* ---- cert-manager JSON ---- */

static void cm_item(struct pstate *ps, const json_t *it)
{
	const json_t *spec = json_object_get(it, "spec");
	const json_t *status = json_object_get(it, "status");
	const json_t *meta = json_object_get(it, "metadata");
	const json_t *names = json_object_get(spec, "dnsNames");
	const json_t *conds = json_object_get(status, "conditions");
	const char *name = jstr(spec, "dnsName"), *s;
	char dom[DOMAIN_MAX + 1] = "", chal[16] = "";
	size_t i;
	const json_t *v;

	if (!json_is_object(it))
		return;
	new_run(ps);
	if ((s = jstr(status, "lastFailureTime")) || (s = jstr(meta, "creationT"
								     "imestam"
								     "p"))) {
		int64_t t = iso_in(s);
		if (t != ACMELOG_NO_TIME)
			ps->time = t;
	}
	if (!name && json_is_array(names))
		name = json_string_value(json_array_get(names, 0));
	if (name) {
		char w[DOMAIN_MAX + 3];
		snprintf(w, sizeof(w), "%s%s",
			 json_is_true(json_object_get(spec, "wildcard")) ? "*."
									 : "",
			 name);
		domain_copy(dom, w, strlen(w));
	}
	if ((s = jstr(spec, "type"))) {
		for (i = 0; s[i] && i + 1 < sizeof(chal); i++)
			chal[i] = (char)tolower((unsigned char)s[i]);
		chal[i] = '\0';
	}
	s = jstr(status, "state");
	add_attempt(ps, dom, s && strcmp(s, "valid") == 0);
	if ((s = jstr(status, "reason"))) {
		if (acmelog_short_type(strstr(s, "urn:") ? strstr(s, "urn:")
							 : ""))
			inline_problem(ps, s, dom, chal, 1);
		else if (propagation_wording(s))
			add_failure(ps, "", s, strlen(s), dom, chal, 1);
	}
	if (json_is_array(conds))
		json_array_foreach (conds, i, v) {
			if (i >= JSON_ITEMS_MAX)
				break;
			s = jstr(v, "message");
			if (s && strstr(s, "urn:"))
				inline_problem(ps, s, dom, chal, 1);
		}
}

static int parse_cm_json(struct pstate *ps, const char *text, size_t len)
{
	json_error_t je;
	json_t *j = json_loadb(text, len, 0, &je), *items, *v;
	size_t i;
	if (!j)
		return -EINVAL;
	items = json_object_get(j, "items");
	if (json_is_array(items)) {
		json_array_foreach (items, i, v) {
			if (i >= JSON_ITEMS_MAX || ps->err)
				break;
			cm_item(ps, v);
		}
	} else if (json_is_object(j)) {
		cm_item(ps, j);
	}
	json_decref(j);
	return 0;
}

/* ---- detection ---- */

enum acme_format acmelog_detect(const char *text, size_t len)
{
	char line[512];
	size_t off = 0, nlines = 0;
	int64_t t;
	int certbot = 0, lego = 0, acmesh = 0, console = 0, cm = 0;
	bool cm_api = false;

	while (off < len && nlines < 2000 && off < (4u << 20)) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
		memcpy(line, text + off, k);
		line[k] = '\0';
		for (size_t i = 0; i < k; i++)
			if (line[i] == '\0')
				line[i] = ' ';
		off += n + 1;
		nlines++;
		if (nlines == 1 ||
		    (certbot + lego + acmesh + cm + console) == 0) {
			const char *s = skip_ws(line);
			if (*s == '{' && nlines == 1) {
				/* kubectl -o json, or a bare ACME problem */
				if (memmem(text,
					   len < (4u << 20) ? len : (4u << 20),
					   "cert-manager.io", 15))
					return ACME_FMT_CM_JSON;
			}
		}
		if (certbot_stamp(line, &t))
			certbot++;
		else if (lego_stamp(line, &t))
			lego++;
		else if (acmesh_stamp(line, &t))
			acmesh++;
		if (strstr(line, "cert-manager.io"))
			cm_api = true;
		if (starts(line, "Name:") || starts(line, "Kind:") ||
		    strstr(line, "Dns Name"))
			cm++;
		if (starts(line, "Saving debug log to") ||
		    strstr(line, "Certbot failed to authenticate") ||
		    strstr(line, "Requesting a certificate for") ||
		    strstr(line, "The following errors were reported by the "
				 "server") ||
		    strstr(line, "Failed authorization procedure") ||
		    strstr(line, "Successfully received certificate"))
			console++;
	}
	if (cm_api && cm >= 2)
		return ACME_FMT_CM_DESCRIBE;
	if (certbot > 0 && certbot >= lego && certbot >= acmesh)
		return ACME_FMT_CERTBOT_LOG;
	if (lego > 0 && lego >= acmesh)
		return ACME_FMT_LEGO;
	if (acmesh > 0)
		return ACME_FMT_ACMESH;
	if (console > 0)
		return ACME_FMT_CERTBOT_CONSOLE;
	return ACME_FMT_UNKNOWN;
}

/* ---- driver ---- */

int acmelog_parse(struct acme_log *log, const char *text, size_t len,
		  enum acme_format fmt, enum acme_format *fmt_out)
{
	struct pstate ps = { .log = log, .time = ACMELOG_NO_TIME };
	char *line;
	size_t off = 0;
	int rc = 0;

	if (fmt == ACME_FMT_UNKNOWN)
		fmt = acmelog_detect(text, len);
	if (fmt_out)
		*fmt_out = fmt;
	if (fmt == ACME_FMT_UNKNOWN)
		return -EINVAL;
	ps.fmt = fmt;
	ps.input = log->inputs++;
	if (fmt == ACME_FMT_CM_JSON) {
		rc = parse_cm_json(&ps, text, len);
		return ps.err ? ps.err : rc;
	}
	if (!(line = malloc(ACMELOG_LINE_MAX + 1)))
		return -ENOMEM;
	while (off < len && !ps.err) {
		const char *raw = text + off;
		const char *nl = memchr(raw, '\n', len - off);
		size_t n = nl ? (size_t)(nl - raw) : len - off;
		size_t k = n;
		off += n + (nl ? 1 : 0);
		log->lines++;
		if (k > ACMELOG_LINE_MAX) {
			k = ACMELOG_LINE_MAX;
			log->long_lines++;
		}
		memcpy(line, raw, k);
		if (k && line[k - 1] == '\r')
			k--;
		line[k] = '\0';
		/* a NUL inside a line would hide the rest from the string
		 * functions; make it a visible byte instead */
		for (size_t i = 0; i < k; i++)
			if (line[i] == '\0')
				line[i] = '?';
		switch (fmt) {
		case ACME_FMT_CERTBOT_LOG:
			line_certbot_log(&ps, line, raw, raw + n);
			break;
		case ACME_FMT_CERTBOT_CONSOLE:
			certbot_message(&ps, line);
			break;
		case ACME_FMT_LEGO:
			line_lego(&ps, line);
			break;
		case ACME_FMT_ACMESH:
			line_acmesh(&ps, line);
			break;
		case ACME_FMT_CM_DESCRIBE:
			line_cm_describe(&ps, line);
			break;
		default:
			break;
		}
	}
	if (fmt == ACME_FMT_ACMESH)
		acmesh_gave_up(&ps);
	free(line);
	return ps.err;
}
