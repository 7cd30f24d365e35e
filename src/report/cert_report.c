/* `cert`: the certificate each address served, as text or as the JSON
 * envelope's section. Every string from a certificate or a server is
 * made safe first. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/fetch_status.h"
#include "core/validation.h"
#include "report/cert_report.h"
#include "report/layout.h"
#include "report/report.h"
#include "report/sanitize.h"

void report_cert_text(const char *host, uint16_t port, const struct ev_tls *t,
		      const struct cert_info *info, size_t n,
		      const struct findings *fs, const struct layout *l)
{
	FILE *f = l->f;
	char qual[32], *line = NULL;
	/* Sorted: the worst root fault leads. */
	const struct finding *lead =
		fs->n && findings_worst(fs) > SEV_INFO ? &fs->v[0] : NULL;

	snprintf(qual, sizeof(qual), "port %u", port);
	layout_headline(
		l, &(struct layout_head){ .name = host, .qualifier = qual },
		fs);
	if (!lead && asprintf(&line,
			      "No fault found in the certificate%s the %zu "
			      "address%s served.",
			      n == 1 ? "" : "s", n, n == 1 ? "" : "es") < 0)
		line = NULL;
	layout_verdict(l,
		       lead   ? lead->summary
		       : line ? line
			      : "",
		       lead ? lead->fix : NULL);
	free(line);
	layout_findings(l, fs);
	if (!n)
		return;
	layout_section(l, "Addresses", "of the host and what each served");
	for (size_t i = 0; i < n; i++) {
		fputs("  ", f);
		fputs_safe(t[i].addr, f);
		fprintf(f, "%*s",
			(int)(strlen(t[i].addr) < 16 ? 17 - strlen(t[i].addr)
						     : 1),
			"");
		if (!info[i].parsed) {
			fputs(tls_status_name(t[i].status), f);
			fputc(' ', f);
			fputs_safe(t[i].detail ? t[i].detail : "", f);
			fputc('\n', f);
			continue;
		}
		fputs("until ", f);
		fputs_safe(info[i].not_after, f);
		fputs("  sha256 ", f);
		fprintf(f, "%.16s  ", info[i].sha256);
		fputs_safe(info[i].names[0] ? info[i].names : info[i].subject,
			   f);
		fputs("  chain ", f);
		fputs_safe(info[i].chain, f);
		fputc('\n', f);
	}
}

json_t *report_cert_section(const char *host, uint16_t port,
			    const struct ev_tls *t,
			    const struct cert_info *info, size_t n)
{
	json_t *addrs = json_array();
	for (size_t i = 0; addrs && i < n; i++) {
		json_t *a = json_pack(
			"{s:s, s:s, s:o}", "address", t[i].addr, "status",
			tls_status_name(t[i].status), "detail",
			json_safe(t[i].detail ? t[i].detail : ""));
		if (a && info[i].parsed)
			json_object_update_new(
				a,
				json_pack("{s:o, s:o, s:s, s:s, s:o, s:o}",
					  "subject", json_safe(info[i].subject),
					  "issuer", json_safe(info[i].issuer),
					  "not_after", info[i].not_after,
					  "sha256", info[i].sha256, "names",
					  json_safe(info[i].names), "chain",
					  json_safe(info[i].chain)));
		json_array_append_new(addrs, a);
	}
	if (!addrs)
		return NULL;
	return json_pack("{s:s, s:i, s:o}", "host", host, "port",
			 (json_int_t)port, "addresses", addrs);
}
