/* `trace`: the walk from the roots, one block per zone, one line per
 * server address, in the order of the levels. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "report/report.h"
#include "report/sanitize.h"

struct line {
	const struct ev_exchange *x;
	const char *kind;
	const char *rcode;
	bool aa;
	char cut[VIEW_NAME_MAX];
	struct strset ns, data;
	json_t *glue; /* name -> [addresses], for referrals */
};

static void line_fill(struct line *l, const struct ev_exchange *x)
{
	memset(l, 0, sizeof(*l));
	strset_init(&l->ns);
	strset_init(&l->data);
	l->x = x;
	l->kind = qstatus_name(x->status);
	ldns_pkt *pkt = x->status == QS_OK ? dmsg_parse(x->wire, x->wire_len)
					   : NULL;
	if (!pkt)
		return;
	const ldns_lookup_table *rc =
		ldns_lookup_by_id(ldns_rcodes, ldns_pkt_get_rcode(pkt));
	l->rcode = rc ? rc->name : "?";
	l->aa = ldns_pkt_aa(pkt);
	enum resp_kind k =
		dmsg_classify(pkt, x->qname, x->qtype, l->cut, sizeof(l->cut));
	l->kind = dmsg_kind_name(k);
	if (k == RK_REFERRAL) {
		dmsg_targets(pkt, LDNS_SECTION_AUTHORITY, l->cut,
			     LDNS_RR_TYPE_NS, &l->ns);
		l->glue = json_object();
		for (size_t i = 0; l->glue && i < l->ns.n; i++) {
			struct strset a;
			strset_init(&a);
			dmsg_addrs(pkt, LDNS_SECTION_ADDITIONAL, l->ns.v[i],
				   &a);
			if (a.n) {
				json_t *arr = json_array();
				for (size_t j = 0; j < a.n; j++)
					json_array_append_new(
						arr, json_string(a.v[j]));
				json_object_set_new(l->glue, l->ns.v[i], arr);
			}
			strset_deinit(&a);
		}
	} else {
		l->cut[0] = '\0';
		const ldns_rr_list *an = ldns_pkt_answer(pkt);
		for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
			char *s = ldns_rr2str(ldns_rr_list_rr(an, i));
			if (s) {
				s[strcspn(s, "\n")] = '\0';
				/* ldns separates fields with tabs; a line reads
				 * better with spaces. */
				for (char *t = s; *t; t++)
					if (*t == '\t')
						*t = ' ';
				strset_add(&l->data, s);
			}
			free(s);
		}
	}
	ldns_pkt_free(pkt);
}

static void line_clear(struct line *l)
{
	json_decref(l->glue);
	strset_deinit(&l->ns);
	strset_deinit(&l->data);
}

/* The zones of the walk, shallowest first. */
static int walk_zones(const struct evidence *ev, struct strset *zones)
{
	for (size_t i = 0; i < ev->n_ex; i++)
		if (ev->ex[i].role == EV_WALK &&
		    strset_add(zones, ev->ex[i].zone) < 0)
			return -ENOMEM;
	/* strset sorts by text; reorder by depth (insertion sort, few zones).
	 */
	for (size_t i = 1; i < zones->n; i++) {
		char *t = zones->v[i];
		size_t j = i;
		while (j > 0 &&
		       dname_labels(zones->v[j - 1]) > dname_labels(t)) {
			zones->v[j] = zones->v[j - 1];
			j--;
		}
		zones->v[j] = t;
	}
	return 0;
}

void report_trace_text(const struct evidence *ev, uint16_t qtype,
		       uint64_t queries, uint64_t elapsed_ms, bool color,
		       FILE *f)
{
	struct strset zones;
	strset_init(&zones);
	walk_zones(ev, &zones);
	char *type = ldns_rr_type2str(qtype);
	fprintf(f, "%s%s %s%s: the delegation path from the roots\n",
		color ? "\033[1m" : "", ev->domain, type ? type : "?",
		color ? "\033[0m" : "");
	free(type);
	for (size_t z = 0; z < zones.n; z++) {
		fprintf(f, "\n%s%s%s\n", color ? "\033[1m" : "", zones.v[z],
			color ? "\033[0m" : "");
		for (size_t i = 0; i < ev->n_ex; i++) {
			const struct ev_exchange *x = &ev->ex[i];
			if (x->role != EV_WALK || strcmp(x->zone, zones.v[z]))
				continue;
			struct line l;
			line_fill(&l, x);
			fprintf(f, "  ");
			fputs_safe(x->server, f);
			fprintf(f, " (%s) %u ms: ", x->addr, x->rtt_ms);
			if (l.rcode)
				fprintf(f, "%s%s, ", l.rcode,
					l.aa ? " aa" : "");
			fprintf(f, "%s", l.kind);
			if (l.cut[0]) {
				char *ns = strset_join(&l.ns, " ");
				fprintf(f, " to ");
				fputs_safe(l.cut, f);
				fprintf(f, " NS ");
				fputs_safe(ns ? ns : "", f);
				free(ns);
			}
			fputc('\n', f);
			for (size_t k = 0; k < l.data.n; k++) {
				fprintf(f, "      ");
				fputs_safe(l.data.v[k], f);
				fputc('\n', f);
			}
			line_clear(&l);
		}
	}
	fprintf(f, "\n%llu queries in %llu ms\n", (unsigned long long)queries,
		(unsigned long long)elapsed_ms);
	strset_deinit(&zones);
}

static json_t *line_json(const struct line *l)
{
	const struct ev_exchange *x = l->x;
	json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "name", x->server,
			      "address", x->addr, "status",
			      qstatus_name(x->status), "rtt_ms",
			      (json_int_t)x->rtt_ms);
	if (!o || !l->rcode)
		return o;
	json_object_set_new(o, "rcode", json_string(l->rcode));
	json_object_set_new(o, "aa", json_boolean(l->aa));
	json_object_set_new(o, "kind", json_string(l->kind));
	json_object_set_new(o, "referral",
			    l->cut[0] ? json_string(l->cut) : json_null());
	json_t *ns = json_array(), *ans = json_array();
	for (size_t i = 0; i < l->ns.n; i++)
		json_array_append_new(ns, json_string(l->ns.v[i]));
	for (size_t i = 0; i < l->data.n; i++)
		json_array_append_new(ans, json_string(l->data.v[i]));
	json_object_set_new(o, "ns", ns);
	json_object_set_new(o, "answer", ans);
	if (l->glue)
		json_object_set(o, "glue", l->glue);
	return o;
}

json_t *report_trace_section(const struct evidence *ev, uint16_t qtype,
			     uint64_t queries, uint64_t elapsed_ms)
{
	struct strset zones;
	strset_init(&zones);
	if (walk_zones(ev, &zones) < 0) {
		strset_deinit(&zones);
		return NULL;
	}
	char *type = ldns_rr_type2str(qtype);
	json_t *levels = json_array();
	for (size_t z = 0; levels && z < zones.n; z++) {
		json_t *servers = json_array();
		for (size_t i = 0; i < ev->n_ex; i++) {
			const struct ev_exchange *x = &ev->ex[i];
			if (x->role != EV_WALK || strcmp(x->zone, zones.v[z]))
				continue;
			struct line l;
			line_fill(&l, x);
			json_array_append_new(servers, line_json(&l));
			line_clear(&l);
		}
		json_array_append_new(levels, json_pack("{s:s, s:o}", "zone",
							zones.v[z], "servers",
							servers));
	}
	json_t *o = json_pack("{s:s, s:s, s:o, s:{s:I, s:I}}", "domain",
			      ev->domain, "type", type ? type : "?", "levels",
			      levels, "stats", "queries", (json_int_t)queries,
			      "elapsed_ms", (json_int_t)elapsed_ms);
	free(type);
	strset_deinit(&zones);
	return o;
}
