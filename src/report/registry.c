/* The registry's view (RDAP) in the check report: one section of text,
 * one object of JSON. Every string in it came from a registry's server:
 * the text goes through the layout (which escapes), JSON through
 * json_safe, HTML through html_escape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/validation.h"
#include "core/view_rdap.h"
#include "report/layout.h"
#include "report/registry.h"

static void iso(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	buf[0] = '\0';
	if (t > 0 && gmtime_r(&tt, &tm))
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *state_name(enum rdap_state s)
{
	return s == VR_OK	   ? "ok"
	       : s == VR_NOT_FOUND ? "not-found"
				   : "unavailable";
}

void report_registry_text(const struct view_rdap *r, const struct layout *l)
{
	char line[1400], who[600], when[40];
	if (!r)
		return;
	layout_section(l, "Registry", "RDAP");
	if (r->state == VR_NOT_FOUND) {
		layout_wrap(l,
			    "not registered: the registry has no such domain",
			    2);
		return;
	}
	if (r->state == VR_UNAVAILABLE) {
		snprintf(line, sizeof(line), "unavailable: %s", r->why);
		layout_wrap(l, line, 2);
		return;
	}
	view_rdap_registrar(r, who, sizeof(who));
	snprintf(line, sizeof(line), "%s at %s", r->d.ldh_name, who);
	layout_wrap(l, line, 2);
	size_t n = (size_t)snprintf(line, sizeof(line), "name servers:");
	for (size_t i = 0; i < r->d.n_ns && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s",
				      r->d.ns[i]);
	layout_wrap(l, line, 2);
	n = (size_t)snprintf(line, sizeof(line), "status:");
	for (size_t i = 0; i < r->d.n_status && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s %s",
				      i ? "," : "", r->d.status[i]);
	iso(r->d.expires, when, sizeof(when));
	if (when[0] && n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, "; expires %s", when);
	layout_wrap(l, line, 2);
}

static json_t *strings(const char (*v)[RDAP_TEXT_MAX], size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_safe(v[i]));
	return a;
}

json_t *report_registry_json(const struct view_rdap *r)
{
	char when[40];
	if (!r)
		return NULL;
	json_t *o = json_pack("{s:s}", "state", state_name(r->state));
	if (!o)
		return NULL;
	if (r->state == VR_UNAVAILABLE)
		json_object_set_new(o, "reason", json_safe(r->why));
	if (r->state != VR_OK)
		return o;
	const struct rdap_domain *d = &r->d;
	json_t *st = json_array();
	for (size_t i = 0; st && i < d->n_status; i++)
		json_array_append_new(st, json_safe(d->status[i]));
	json_object_set_new(o, "domain", json_safe(d->ldh_name));
	json_object_set_new(o, "nameservers", strings(d->ns, d->n_ns));
	json_object_set_new(o, "status", st);
	json_object_set_new(o, "registrar",
			    json_pack("{s:o, s:o, s:o}", "name",
				      json_safe(d->registrar), "iana_id",
				      json_safe(d->registrar_iana), "url",
				      json_safe(d->registrar_url)));
	iso(d->expires, when, sizeof(when));
	json_object_set_new(o, "expires",
			    when[0] ? json_string(when) : json_null());
	json_object_set_new(o, "delegation_signed",
			    json_boolean(d->delegation_signed));
	json_t *ds = json_array();
	for (size_t i = 0; ds && i < d->n_ds; i++) {
		char buf[sizeof(d->ds[i].digest) + 32];
		snprintf(buf, sizeof(buf), "%u %u %u %s", d->ds[i].key_tag,
			 d->ds[i].algorithm, d->ds[i].digest_type,
			 d->ds[i].digest);
		json_array_append_new(ds, json_safe(buf));
	}
	json_object_set_new(o, "ds", ds);
	return o;
}
