/* RDAP parsers (see rdap.h). jansson does the JSON; this file decides
 * what shape is acceptable and copies bounded strings out, so nothing a
 * server sends can grow our memory beyond the caps in rdap.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "core/rdap.h"

#define JSON_FLAGS (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)

static json_t *load(const char *json, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root =
		json_loadb(json ? json : "", json ? len : 0, JSON_FLAGS, &je);
	if (!root)
		snprintf(err, errlen, "invalid JSON at line %d: %.80s", je.line,
			 je.text);
	else if (!json_is_object(root)) {
		snprintf(err, errlen, "JSON of the wrong shape: not an object");
		json_decref(root);
		root = NULL;
	}
	return root;
}

/* Copies the string S into OUT, lower case when LOWER, with a final dot
 * when DOT (a name). "" when S is not a string. */
static void text(json_t *s, char *out, size_t len, bool lower, bool dot)
{
	const char *v = json_is_string(s) ? json_string_value(s) : "";
	size_t n = strlen(v);
	if (n >= len - 1)
		n = len - 2;
	for (size_t i = 0; i < n; i++)
		out[i] = lower ? (char)tolower((unsigned char)v[i]) : v[i];
	if (dot && n && out[n - 1] != '.')
		out[n++] = '.';
	out[n] = '\0';
}

static bool label_suffix(const char *domain, const char *entry)
{
	char e[256];
	size_t dl = strlen(domain), el;
	snprintf(e, sizeof(e), "%s", entry);
	el = strlen(e);
	while (el && e[el - 1] == '.')
		e[--el] = '\0';
	if (el == 0 || dl < el + 1) /* DOMAIN ends with a dot */
		return false;
	const char *tail = domain + dl - 1 - el;
	return strncasecmp(tail, e, el) == 0 &&
	       (tail == domain || tail[-1] == '.');
}

int rdap_bootstrap_find(const char *json, size_t len, const char *domain,
			char *url, size_t urllen, char *err, size_t errlen)
{
	json_t *root = load(json, len, err, errlen), *services, *svc;
	size_t i, best = 0;
	int found = 0;
	if (!root)
		return -1;
	services = json_object_get(root, "services");
	if (!json_is_array(services)) {
		snprintf(err, errlen,
			 "not an RDAP bootstrap file: no "
			 "\"services\" array");
		json_decref(root);
		return -1;
	}
	json_array_foreach (services, i, svc) {
		json_t *names = json_array_get(svc, 0),
		       *urls = json_array_get(svc, 1), *e;
		size_t j;
		if (!json_is_array(names) || !json_is_array(urls))
			continue;
		json_array_foreach (names, j, e) {
			const char *n = json_string_value(e);
			if (!n || strlen(n) <= best || !label_suffix(domain, n))
				continue;
			const char *pick = NULL;
			size_t k;
			json_t *u;
			json_array_foreach (urls, k, u) {
				const char *s = json_string_value(u);
				if (!s || strncasecmp(s, "http", 4))
					continue;
				if (!pick || (strncasecmp(pick, "https:", 6) &&
					      !strncasecmp(s, "https:", 6)))
					pick = s;
			}
			if (!pick || strlen(pick) >= urllen)
				continue;
			snprintf(url, urllen, "%s", pick);
			best = strlen(n);
			found = 1;
		}
	}
	json_decref(root);
	return found;
}

int rdap_query_url(const char *base, const char *domain, char *out,
		   size_t outlen)
{
	size_t bl = strlen(base), dl = strlen(domain);
	if (dl > 1 && domain[dl - 1] == '.')
		dl--;
	int n = snprintf(out, outlen, "%s%sdomain/%.*s", base,
			 bl && base[bl - 1] == '/' ? "" : "/", (int)dl, domain);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

int64_t rdap_time(const char *s)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, sec, n = 0;
	if (!s ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
		   &n) != 6 ||
	    y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	const char *p = s + n;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	long off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om, k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || oh > 23 ||
		    om > 59)
			return -1;
		off = (*p == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
		p += 1 + k;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (int64_t)timegm(&tm) - off;
}

/* The vCard property NAME's text value, e.g. ["fn", {}, "text", "X"]. */
static json_t *vcard_get(json_t *entity, const char *name)
{
	json_t *card = json_array_get(json_object_get(entity, "vcardArray"), 1),
	       *prop;
	size_t i;
	json_array_foreach (card, i, prop) {
		const char *n = json_string_value(json_array_get(prop, 0));
		if (n && strcasecmp(n, name) == 0)
			return json_array_get(prop, 3);
	}
	return NULL;
}

static bool has_role(json_t *entity, const char *role)
{
	json_t *r;
	size_t i;
	json_array_foreach (json_object_get(entity, "roles"), i, r) {
		const char *s = json_string_value(r);
		if (s && strcasecmp(s, role) == 0)
			return true;
	}
	return false;
}

static void registrar(json_t *ent, struct rdap_domain *d)
{
	json_t *id, *link, *sub;
	size_t i;
	text(vcard_get(ent, "fn"), d->registrar, sizeof(d->registrar), false,
	     false);
	json_array_foreach (json_object_get(ent, "publicIds"), i, id) {
		const char *t = json_string_value(json_object_get(id, "type"));
		if (t && strcasecmp(t, "IANA Registrar ID") == 0)
			text(json_object_get(id, "identifier"),
			     d->registrar_iana, sizeof(d->registrar_iana),
			     false, false);
	}
	text(vcard_get(ent, "url"), d->registrar_url, sizeof(d->registrar_url),
	     false, false);
	json_array_foreach (json_object_get(ent, "links"), i, link) {
		const char *rel = json_string_value(json_object_get(link, "re"
									  "l"));
		if (!d->registrar_url[0] && rel && strcmp(rel, "about") == 0)
			text(json_object_get(link, "href"), d->registrar_url,
			     sizeof(d->registrar_url), false, false);
	}
	json_array_foreach (json_object_get(ent, "entities"), i, sub)
		if (has_role(sub, "abuse"))
			text(vcard_get(sub, "email"), d->abuse_email,
			     sizeof(d->abuse_email), false, false);
}

static void events(json_t *list, struct rdap_domain *d)
{
	json_t *ev;
	size_t i;
	json_array_foreach (list, i, ev) {
		const char *a = json_string_value(json_object_get(ev, "eventAct"
								      "ion"));
		int64_t t =
			rdap_time(json_string_value(json_object_get(ev, "eventD"
									"at"
									"e")));
		if (!a || t < 0)
			continue;
		if (strcmp(a, "registration") == 0)
			d->registered = t;
		else if (strcmp(a, "expiration") == 0)
			d->expires = t;
		else if (strcmp(a, "last changed") == 0)
			d->changed = t;
	}
}

static void secure_dns(json_t *s, struct rdap_domain *d)
{
	json_t *ds;
	size_t i;
	if (!json_is_object(s))
		return;
	d->has_secure_dns = true;
	d->delegation_signed = json_is_true(json_object_get(s, "delegationSigne"
							       "d"));
	json_array_foreach (json_object_get(s, "dsData"), i, ds) {
		json_t *kt = json_object_get(ds, "keyTag"),
		       *al = json_object_get(ds, "algorithm"),
		       *dt = json_object_get(ds, "digestType");
		if (d->n_ds == RDAP_DS_MAX || !json_is_integer(kt) ||
		    !json_is_integer(al) || !json_is_integer(dt))
			continue;
		struct rdap_ds *o = &d->ds[d->n_ds++];
		o->key_tag = (unsigned)json_integer_value(kt) & 0xffff;
		o->algorithm = (unsigned)json_integer_value(al) & 0xff;
		o->digest_type = (unsigned)json_integer_value(dt) & 0xff;
		text(json_object_get(ds, "digest"), o->digest,
		     sizeof(o->digest), false, false);
		for (char *c = o->digest; *c; c++)
			*c = (char)toupper((unsigned char)*c);
	}
}

int rdap_domain_parse(const char *json, size_t len, struct rdap_domain *d,
		      char *err, size_t errlen)
{
	json_t *root, *x;
	size_t i;
	memset(d, 0, sizeof(*d));
	if (!(root = load(json, len, err, errlen)))
		return -1;
	const char *cls = json_string_value(json_object_get(root, "objectClassN"
								  "ame"));
	if (!cls || strcmp(cls, "domain") != 0) {
		snprintf(err, errlen,
			 "JSON of the wrong shape: objectClassName is not "
			 "\"domain\"");
		json_decref(root);
		return -1;
	}
	text(json_object_get(root, "handle"), d->handle, sizeof(d->handle),
	     false, false);
	text(json_object_get(root, "ldhName"), d->ldh_name, sizeof(d->ldh_name),
	     true, true);
	json_array_foreach (json_object_get(root, "nameservers"), i, x) {
		if (d->n_ns == RDAP_NS_MAX)
			break;
		text(json_object_get(x, "ldhName"), d->ns[d->n_ns],
		     sizeof(d->ns[0]), true, true);
		if (d->ns[d->n_ns][0])
			d->n_ns++;
	}
	json_array_foreach (json_object_get(root, "status"), i, x) {
		if (d->n_status == RDAP_STATUS_MAX)
			break;
		text(x, d->status[d->n_status], sizeof(d->status[0]), false,
		     false);
		if (d->status[d->n_status][0])
			d->n_status++;
	}
	json_array_foreach (json_object_get(root, "entities"), i, x)
		if (has_role(x, "registrar") && !d->registrar[0])
			registrar(x, d);
	events(json_object_get(root, "events"), d);
	secure_dns(json_object_get(root, "secureDNS"), d);
	json_decref(root);
	return 0;
}

/* "clientHold", "client hold", "CLIENT_HOLD" -> "clienthold". */
static void squash(const char *s, char *out, size_t len)
{
	size_t n = 0;
	for (; *s && n + 1 < len; s++)
		if (isalpha((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

bool rdap_status_has(const struct rdap_domain *d, const char *status)
{
	char want[64], have[64];
	squash(status, want, sizeof(want));
	for (size_t i = 0; i < d->n_status; i++) {
		squash(d->status[i], have, sizeof(have));
		if (strcmp(have, want) == 0)
			return true;
	}
	return false;
}
