/* `check --json`: its section of the envelope (report/envelope.c); the
 * schema is docs/json.md; fields may be added, never renamed or removed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "core/dnsmsg.h"
#include "report/report.h"
#include "report/registry.h"

static json_t *probe_json(const struct view_probe *p)
{
	json_t *o = json_pack("{s:s}", "status", qstatus_name(p->status));
	if (!o || p->status != QS_OK)
		return o;
	const ldns_lookup_table *rc = ldns_lookup_by_id(ldns_rcodes, p->rcode);
	json_object_set_new(o, "rcode", json_string(rc ? rc->name : "?"));
	json_object_set_new(o, "aa", json_boolean(p->aa));
	json_object_set_new(o, "answer", json_string(view_probe_describe(p)));
	if (p->has_serial)
		json_object_set_new(o, "serial", json_integer(p->serial));
	json_object_set_new(o, "rtt_ms", json_integer(p->rtt_ms));
	return o;
}

static json_t *servers_json(const struct view *v)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		for (size_t j = 0; j < (s->n_addrs ? s->n_addrs : 1); j++) {
			const struct view_addr *a = s->n_addrs ? &s->addrs[j]
							       : NULL;
			json_t *o =
				json_pack("{s:s, s:b, s:b, s:b, s:b}", "name",
					  s->name, "in_parent", s->in_parent,
					  "in_zone", s->in_zone, "expected",
					  s->expected, "glue", a && a->glue);
			if (!o)
				continue;
			json_object_set_new(o, "address",
					    a ? json_string(a->addr)
					      : json_null());
			if (s->cname)
				json_object_set_new(o, "cname",
						    json_string(s->cname));
			if (a && a->soa_udp.asked)
				json_object_set_new(o, "udp",
						    probe_json(&a->soa_udp));
			if (a && a->soa_tcp.asked)
				json_object_set_new(o, "tcp",
						    probe_json(&a->soa_tcp));
			json_t *ns = json_array();
			for (size_t k = 0; a && k < a->ns_udp.ns.n; k++)
				json_array_append_new(
					ns, json_string(a->ns_udp.ns.v[k]));
			json_object_set_new(o, "ns", ns);
			json_array_append_new(arr, o);
		}
	}
	return arr;
}

static json_t *resolvers_json(const struct report_ctx *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < r->n_resolvers; i++) {
		const struct dsv_resolver *x = &r->resolvers[i];
		const ldns_lookup_table *t = ldns_lookup_by_id(ldns_rcodes,
							       x->rcode),
					*tc = ldns_lookup_by_id(ldns_rcodes,
								x->rcode_cd);
		json_t *o = json_pack(
			"{s:s, s:s, s:s, s:o, s:b, s:s, s:o}", "name", x->name,
			"address", x->addr, "status", qstatus_name(x->status),
			"rcode",
			x->status == QS_OK && t ? json_string(t->name)
						: json_null(),
			"ad", x->ad, "status_cd", qstatus_name(x->status_cd),
			"rcode_cd",
			x->status_cd == QS_OK && tc ? json_string(tc->name)
						    : json_null());
		if (o && x->has_ede)
			json_object_set_new(o, "ede", json_integer(x->ede));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *report_check_section(const struct report_ctx *r)
{
	const struct view *v = r->view;
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o}", "domain",
			      r->asked ? r->asked : v->domain, "zone", v->zone,
			      "summary", r->verdict, "fix",
			      r->fix ? json_string(r->fix) : json_null(),
			      "servers", servers_json(v));
	if (!o)
		return NULL;
	json_object_set_new(o, "parent",
			    v->parent[0] ? json_string(v->parent)
					 : json_null());
	/* The domain is a name inside the zone reported on. */
	if (v->domain_inside_zone)
		json_object_set_new(
			o, "not_a_zone",
			json_pack("{s:s, s:o, s:b}", "zone", v->zone, "alias",
				  v->alias[0] ? json_string(v->alias)
					      : json_null(),
				  "has_records", !v->domain_nxdomain));
	json_object_set_new(o, "resolvers", resolvers_json(r));
	report_whatif_json(v->ev, r->whatif, o);
	json_t *reg = report_registry_json(v->rdap);
	if (reg)
		json_object_set_new(o, "registry", reg);
	/* The areas judged: every one, unless --checks named some. */
	json_t *areas = json_array();
	for (unsigned bit = 1; areas && bit <= EV_AREA_ALL; bit <<= 1)
		if (!v->ev->areas || (v->ev->areas & bit))
			json_array_append_new(areas,
					      json_string(ev_area_name(bit)));
	json_object_set_new(o, "checks", areas);
	json_object_set_new(o, "stats",
			    json_pack("{s:I, s:I, s:I}", "queries",
				      (json_int_t)r->queries, "elapsed_ms",
				      (json_int_t)r->elapsed_ms, "exchanges",
				      (json_int_t)v->n_exchanges));
	return o;
}
