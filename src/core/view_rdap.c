/* Judges the recorded RDAP exchange (view_rdap.h). The reasons are the
 * ones RDAP_UNAVAILABLE prints: one sentence each, naming the URL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/fetch_status.h"
#include "core/view_rdap.h"

/* RDAP's media type (RFC 7480) or plain JSON, which registries send too. */
static bool json_type(const char *ct)
{
	size_t n = strcspn(ct ? ct : "", "; ");
	return (n == 21 && strncasecmp(ct, "application/rdap+json", n) == 0) ||
	       (n == 16 && strncasecmp(ct, "application/json", n) == 0);
}

static void why_fetch(const struct ev_rdap *e, char *why, size_t len)
{
	const char *url = e->url;
	switch (e->status) {
	case HS_TIMEOUT:
		snprintf(why, len,
			 "%s did not answer within the time limit "
			 "(%.150s)",
			 url, e->detail ? e->detail : "");
		break;
	case HS_TOO_MANY_REDIRECTS:
		snprintf(why, len, "%s redirects in a loop (%.150s)", url,
			 e->detail ? e->detail : "");
		break;
	case HS_REDIRECT_BAD:
	case HS_REDIRECT_OTHER:
		snprintf(why, len, "%s: %.200s", url,
			 e->detail ? e->detail : "a redirect was refused");
		break;
	default:
		snprintf(why, len, "%s could not be fetched: %.200s", url,
			 e->detail && e->detail[0]
				 ? e->detail
				 : http_status_name(e->status));
	}
}

static void judge(const struct evidence *ev, struct view_rdap *r)
{
	const struct ev_rdap *e = ev->rdap;
	char err[200];
	r->state = VR_UNAVAILABLE;
	if (e->boot_error) {
		snprintf(r->why, sizeof(r->why),
			 "the RDAP bootstrap %s could "
			 "not be used: %.250s",
			 e->bootstrap, e->boot_error);
		return;
	}
	if (!e->url) {
		const char *tld = strrchr(ev->domain, '.');
		while (tld && tld > ev->domain && tld[-1] != '.')
			tld--;
		snprintf(r->why, sizeof(r->why),
			 "the RDAP bootstrap (%s) "
			 "names no RDAP service for %s",
			 e->bootstrap, tld ? tld : ev->domain);
		return;
	}
	if (e->status != HS_OK) {
		why_fetch(e, r->why, sizeof(r->why));
		return;
	}
	if (e->code == 404) {
		r->state = VR_NOT_FOUND;
		return;
	}
	if (e->code == 429 || e->code == 503) {
		char after[64] = "";
		if (e->retry_after > 0)
			snprintf(after, sizeof(after), ", Retry-After %ld s",
				 e->retry_after);
		snprintf(r->why, sizeof(r->why), "%s answered HTTP %ld (%s%s)",
			 e->url, e->code,
			 e->code == 429 ? "rate limited" : "unavailable",
			 after);
		return;
	}
	if (e->code != 200) {
		snprintf(r->why, sizeof(r->why), "%s answered HTTP %ld", e->url,
			 e->code);
		return;
	}
	if (e->truncated) {
		snprintf(r->why, sizeof(r->why),
			 "%s sent a body over the "
			 "size limit (%u bytes): not read",
			 e->url, RDAP_BODY_MAX);
		return;
	}
	if (!json_type(e->content_type)) {
		snprintf(r->why, sizeof(r->why),
			 "%s sent content type '%.60s', "
			 "not application/rdap+json",
			 e->url, e->content_type ? e->content_type : "");
		return;
	}
	if (rdap_domain_parse(e->body, e->body_len, &r->d, err, sizeof(err)) <
	    0) {
		snprintf(r->why, sizeof(r->why), "%s sent %s", e->url, err);
		return;
	}
	r->state = VR_OK;
}

int view_rdap_new(const struct evidence *ev, struct view_rdap **out)
{
	struct view_rdap *r;
	*out = NULL;
	if (!ev->rdap)
		return 0;
	if (!(r = calloc(1, sizeof(*r))))
		return -ENOMEM;
	strset_init(&r->ns);
	judge(ev, r);
	for (size_t i = 0; r->state == VR_OK && i < r->d.n_ns; i++)
		if (strset_add(&r->ns, r->d.ns[i]) < 0) {
			view_rdap_free(r);
			return -ENOMEM;
		}
	*out = r;
	return 0;
}

void view_rdap_free(struct view_rdap *r)
{
	if (!r)
		return;
	strset_deinit(&r->ns);
	free(r);
}

void view_rdap_registrar(const struct view_rdap *r, char *buf, size_t len)
{
	if (!r || r->state != VR_OK || !r->d.registrar[0]) {
		snprintf(buf, len, "the registrar");
		return;
	}
	const struct rdap_domain *d = &r->d;
	char extra[400] = "";
	if (d->registrar_iana[0] && d->registrar_url[0])
		snprintf(extra, sizeof(extra), " (IANA %s, %s)",
			 d->registrar_iana, d->registrar_url);
	else if (d->registrar_iana[0] || d->registrar_url[0])
		snprintf(extra, sizeof(extra), " (%s%s)",
			 d->registrar_iana[0] ? "IANA " : "",
			 d->registrar_iana[0] ? d->registrar_iana
					      : d->registrar_url);
	snprintf(buf, len, "the registrar %s%s", d->registrar, extra);
}
