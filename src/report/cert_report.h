/* `cert` renderers (report/cert_report.c). */
#ifndef DD_REPORT_CERT_REPORT_H
#define DD_REPORT_CERT_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "core/cert.h"
#include "core/finding.h"
#include "report/layout.h"

/* In the one layout (layout.h): the verdict, the findings, then one
 * line per address. */
void report_cert_text(const char *host, uint16_t port, const struct ev_tls *t,
		      const struct cert_info *info, size_t n,
		      const struct findings *fs, const struct layout *l);
/* host, port, addresses[]; NULL on ENOMEM. */
json_t *report_cert_section(const char *host, uint16_t port,
			    const struct ev_tls *t,
			    const struct cert_info *info, size_t n);

#endif
