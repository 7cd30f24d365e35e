/* The human report of `check` in the one layout (layout.h): the verdict
 * and the fix first, then every finding, then the servers side by side
 * and the resolvers asked. */
#include <stdlib.h>
#include <string.h>
#include "core/dnsmsg.h"
#include "report/layout.h"
#include "report/report.h"
#include "report/sanitize.h"
#include "report/registry.h"

static const char *listed(const struct view_server *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", s->in_parent ? "parent," : "",
		 s->in_zone ? "zone," : "", s->expected ? "expected," : "",
		 s->cname ? "cname," : "");
	size_t n = strlen(buf);
	if (n)
		buf[n - 1] = '\0';
	else
		snprintf(buf, len, "-");
	return buf;
}

struct row {
	char name[VIEW_NAME_MAX], addr[64], listed[40], udp[40], tcp[40],
		serial[16];
	char *ns;
};

static void rows_print(const struct layout *l, struct row *rows, size_t n)
{
	FILE *f = l->f;
	int w[6] = { 6, 7, 6, 7, 7, 6 };
	for (size_t i = 0; i < n; i++) {
		const char *cols[6] = { rows[i].name,	rows[i].addr,
					rows[i].listed, rows[i].udp,
					rows[i].tcp,	rows[i].serial };
		for (int k = 0; k < 6; k++)
			if ((int)strlen(cols[k]) > w[k])
				w[k] = (int)strlen(cols[k]);
	}
	fprintf(f, "%s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  NS RRSET%s\n",
		layout_sgr(l, SGR_BOLD), w[0], "SERVER", w[1], "ADDRESS", w[2],
		"LISTED", w[3], "UDP SOA", w[4], "TCP SOA", w[5], "SERIAL",
		layout_sgr(l, SGR_RESET));
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  ", w[0],
			rows[i].name, w[1], rows[i].addr, w[2], rows[i].listed,
			w[3], rows[i].udp, w[4], rows[i].tcp, w[5],
			rows[i].serial);
		fputs_safe(rows[i].ns ? rows[i].ns : "-", f);
		fputc('\n', f);
	}
}

static void servers_print(const struct view *v, const struct layout *l)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < v->n_srv; i++)
		n += v->srv[i].n_addrs ? v->srv[i].n_addrs : 1;
	if (n == 0)
		return;
	struct row *rows = calloc(n, sizeof(*rows));
	if (!rows)
		return;
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		for (size_t j = 0; j < (s->n_addrs ? s->n_addrs : 1);
		     j++, k++) {
			struct row *r = &rows[k];
			char *safe = str_safe(s->name);
			snprintf(r->name, sizeof(r->name), "%s",
				 safe ? safe : "?");
			free(safe);
			listed(s, r->listed, sizeof(r->listed));
			if (!s->n_addrs) {
				snprintf(r->addr, sizeof(r->addr),
					 "(no address)");
				snprintf(r->udp, sizeof(r->udp), "-");
				snprintf(r->tcp, sizeof(r->tcp), "-");
				snprintf(r->serial, sizeof(r->serial), "-");
				continue;
			}
			const struct view_addr *a = &s->addrs[j];
			snprintf(r->addr, sizeof(r->addr), "%s%s", a->addr,
				 a->glue ? " (glue)" : "");
			snprintf(r->udp, sizeof(r->udp), "%s",
				 a->soa_udp.asked
					 ? view_probe_describe(&a->soa_udp)
					 : "-");
			snprintf(r->tcp, sizeof(r->tcp), "%s",
				 a->soa_tcp.asked
					 ? view_probe_describe(&a->soa_tcp)
					 : "-");
			const struct view_probe *p = view_addr_answer(a);
			if (p && p->has_serial)
				snprintf(r->serial, sizeof(r->serial), "%u",
					 p->serial);
			else
				snprintf(r->serial, sizeof(r->serial), "-");
			r->ns = a->ns_udp.ns.n ? strset_join(&a->ns_udp.ns, " ")
					       : NULL;
		}
	}
	rows_print(l, rows, n);
	for (size_t i = 0; i < n; i++)
		free(rows[i].ns);
	free(rows);
}

const char *report_resolver_answer(int status, int rcode, bool ad, char *buf,
				   size_t len)
{
	const ldns_lookup_table *t = ldns_lookup_by_id(ldns_rcodes, rcode);
	if (status != QS_OK)
		snprintf(buf, len, "%s", qstatus_name(status));
	else
		snprintf(buf, len, "%s%s", t ? t->name : "?", ad ? " ad" : "");
	return buf;
}

static void resolvers_print(const struct report_ctx *r, const struct layout *l)
{
	FILE *f = l->f;
	char a[64], b[64];
	fprintf(f, "%s  %-24s %-40s %-16s WITH CD%s\n", layout_sgr(l, SGR_BOLD),
		"RESOLVER", "ADDRESS", "ANSWER", layout_sgr(l, SGR_RESET));
	for (size_t i = 0; i < r->n_resolvers; i++) {
		const struct dsv_resolver *x = &r->resolvers[i];
		char *name = str_safe(x->name), *addr = str_safe(x->addr);
		fprintf(f, "  %-24s %-40s %-16s %s\n", name ? name : "?",
			addr ? addr : "?",
			report_resolver_answer(x->status, x->rcode, x->ad, a,
					       sizeof(a)),
			report_resolver_answer(x->status_cd, x->rcode_cd, false,
					       b, sizeof(b)));
		free(name);
		free(addr);
	}
}

/* The domain asked about is not a zone: say which zone the report is
 * about, and whether that matters for what was asked. NULL on ENOMEM. */
static char *not_a_zone_note(const struct view *v)
{
	const struct ev_validation *val = &v->ev->validation;
	char *line = NULL;
	int n;
	if (v->alias[0])
		n = asprintf(&line,
			     "Note: %s is not a zone: it is an alias (CNAME) "
			     "in %s for %s. This report is about %s; a CA "
			     "follows the alias for addresses (HTTP-01, "
			     "TLS-ALPN-01) and CAA, so check %s too.",
			     v->domain, v->zone, v->alias, v->zone, v->alias);
	else if (v->domain_nxdomain)
		n = asprintf(&line,
			     "Note: %s has no records: the servers of %s "
			     "answer NXDOMAIN for it. It is not a zone; this "
			     "report is about %s.%s",
			     v->domain, v->zone, v->zone,
			     val->acme ? " DNS-01 does not need the name to "
					 "exist (its _acme-challenge record "
					 "lives in the same zone); HTTP-01 "
					 "and TLS-ALPN-01 need an address "
					 "record."
				       : "");
	else
		n = asprintf(&line,
			     "Note: %s is not a zone: it has no delegation of "
			     "its own and is a name in %s, which this report "
			     "is about.%s",
			     v->domain, v->zone,
			     val->acme ? " For --acme that is as it should "
					 "be: its _acme-challenge record is "
					 "served by the same servers."
				       : "");
	return n < 0 ? NULL : line;
}

void report_check_text(const struct report_ctx *r, FILE *f)
{
	const struct view *v = r->view;
	struct layout l;
	char *tail = NULL, *line = NULL;
	size_t len = 0;

	layout_init(&l, f, r->color, r->width);
	FILE *m = open_memstream(&tail, &len);
	if (m) {
		if (strcmp(v->zone, v->domain) != 0)
			fprintf(m, "(in zone %s)%s", v->zone,
				v->parent[0] ? "  " : "");
		if (v->parent[0])
			fprintf(m, "%sdelegated by %s%s",
				v->ev->what_if_ns.n ? "hypothetically " : "",
				v->parent,
				v->ev->what_if_ns.n ? " (--ns)" : "");
		if (fclose(m) != 0) {
			free(tail);
			tail = NULL;
		}
	}
	/* A wildcard certificate's name, checked at its base. */
	bool wild = r->asked && strncmp(r->asked, "*.", 2) == 0;
	layout_headline(&l,
			&(struct layout_head){ .prefix = wild ? "*." : NULL,
					       .name = v->domain,
					       .tail = tail },
			r->findings);
	free(tail);
	layout_verdict(&l, r->verdict, r->fix);
	/* --ns: said before anything else, so no one takes it for the
	 * real delegation. */
	if ((line = report_whatif_note(v->ev, v->parent))) {
		layout_note(&l, line);
		free(line);
		line = NULL;
	}
	if ((line = report_whatif_diff_note(r->whatif))) {
		layout_note(&l, line);
		free(line);
		line = NULL;
	}
	if (v->domain_inside_zone && (line = not_a_zone_note(v))) {
		layout_note(&l, line);
		free(line);
	}
	layout_findings(&l, r->findings);
	if (v->n_srv) {
		if (asprintf(&line, "of %s", v->zone) >= 0) {
			layout_section(&l, "Servers", line);
			free(line);
		}
		servers_print(v, &l);
	}
	report_registry_text(v->rdap, &l);
	if (r->n_resolvers) {
		if (asprintf(&line, "asked for %s SOA", v->zone) >= 0) {
			layout_section(&l, "Resolvers", line);
			free(line);
		}
		resolvers_print(r, &l);
	}
	if (v->ev->areas && v->ev->areas != EV_AREA_ALL) {
		char only[128] = "Checked only:";
		size_t n = strlen(only);
		for (unsigned bit = 1; bit <= EV_AREA_ALL; bit <<= 1)
			if (v->ev->areas & bit && n < sizeof(only))
				n += (size_t)snprintf(only + n,
						      sizeof(only) - n, " %s",
						      ev_area_name(bit));
		if (n < sizeof(only))
			snprintf(only + n, sizeof(only) - n, " (--checks).");
		layout_footer(&l, only);
	}
	if (asprintf(&line,
		     "%llu queries in %llu ms. Details of a code: dnsdoctor "
		     "explain CODE",
		     (unsigned long long)r->queries,
		     (unsigned long long)r->elapsed_ms) >= 0) {
		layout_footer(&l, line);
		free(line);
	}
}

const char *report_verdict_word(const struct findings *fs)
{
	int worst = findings_worst(fs);
	return worst == SEV_ERROR     ? "error"
	       : worst == SEV_WARNING ? "warning"
				      : "ok";
}

int report_exit_code(const struct findings *fs)
{
	int worst = findings_worst(fs);
	return worst == SEV_ERROR ? 2 : worst == SEV_WARNING ? 1 : 0;
}
