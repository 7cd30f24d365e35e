/* The RDAP look-up (probe_rdap.h): two transfers chained in callbacks so
 * that the DNS walk never waits for them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/rdap.h"
#include "probe/probe_rdap.h"

static char *dup_or_nomem(struct probe_rdap *r, const char *s)
{
	char *c = strdup(s ? s : "");
	if (!c)
		r->err = -ENOMEM;
	return c;
}

/* The registered name of DOMAIN: its public suffix and one label. */
static const char *registered(const struct evidence *ev)
{
	const char *d = ev->domain;
	int want = (ev->suffix_labels > 0 ? ev->suffix_labels : 1) + 1;
	size_t len = strlen(d);
	int dots = 0;
	if (len <= 1)
		return d;
	for (size_t i = len - 1; i > 0; i--)
		if (d[i - 1] == '.' && ++dots == want)
			return d + i;
	return d;
}

/* Labels of an absolute NAME: "." 0, "com." 1, "a.com." 2. */
static int labels(const char *name)
{
	int n = 0;
	if (strcmp(name, ".") == 0)
		return 0;
	for (; *name; name++)
		n += *name == '.';
	return n;
}

static uint32_t time_left(struct probe_rdap *r)
{
	uint64_t spent = r->eng->ops->now_ms(r->eng->impl) - r->t0;
	return spent >= RDAP_TIME_MS ? 1 : (uint32_t)(RDAP_TIME_MS - spent);
}

static void on_query(void *arg)
{
	struct probe_rdap *r = arg;
	struct ev_rdap *e = r->ev->rdap;
	struct http_fetch *f = &r->q;
	r->left--;
	e->status = f->status;
	e->code = f->code;
	e->retry_after = f->retry_after;
	e->truncated = f->truncated;
	e->redirects = f->redirects;
	e->ms = (uint32_t)(r->eng->ops->now_ms(r->eng->impl) - r->t0);
	e->final_url = dup_or_nomem(r, f->url);
	e->content_type = dup_or_nomem(r, f->ctype);
	e->detail = dup_or_nomem(r, f->detail);
	if ((e->body = malloc(f->big_len + 1))) {
		memcpy(e->body, f->big, f->big_len);
		e->body[f->big_len] = '\0';
		e->body_len = f->big_len;
	} else {
		r->err = -ENOMEM;
	}
}

static void query(struct probe_rdap *r, const char *url)
{
	struct http_fetch *f = &r->q;
	if (!(r->ev->rdap->url = dup_or_nomem(r, url)))
		return;
	if (!(r->q_buf = malloc(RDAP_BODY_MAX + 1))) {
		r->err = -ENOMEM;
		return;
	}
	*f = (struct http_fetch){ .rdap = true,
				  .start = r->ev->rdap->url,
				  .timeout_ms = time_left(r),
				  .big = r->q_buf,
				  .big_max = RDAP_BODY_MAX };
	if (http_fetch_start(r->eng, f, on_query, r) == 0)
		r->left++;
	else
		r->err = -ENOMEM;
}

/* Picks the query URL from the bootstrap TEXT; records why not. */
static void from_bootstrap(struct probe_rdap *r, const char *text, size_t len)
{
	char base[512], url[600], err[200];
	int rc = rdap_bootstrap_find(text, len, registered(r->ev), base,
				     sizeof(base), err, sizeof(err));
	if (rc < 0) {
		r->ev->rdap->boot_error = dup_or_nomem(r, err);
		return;
	}
	if (rc == 0)
		return; /* no service: no URL */
	if (rdap_query_url(base, registered(r->ev), url, sizeof(url)) < 0) {
		r->ev->rdap->boot_error = dup_or_nomem(r, "the bootstrap's URL "
							  "is too long");
		return;
	}
	query(r, url);
}

static void on_boot(void *arg)
{
	struct probe_rdap *r = arg;
	struct http_fetch *f = &r->boot;
	char why[400];
	r->left--;
	if (f->status == HS_OK && f->code == 200 && !f->truncated) {
		from_bootstrap(r, f->big, f->big_len);
		r->boot_ok = !r->ev->rdap->boot_error;
		if (r->boot_ok && r->cfg->boot_out && !*r->cfg->boot_out) {
			/* Handed over whole: the buffer is the body. */
			*r->cfg->boot_out = r->boot_buf;
			*r->cfg->boot_out_len = f->big_len;
			r->boot_buf = NULL;
		}
		return;
	}
	if (f->status != HS_OK)
		snprintf(why, sizeof(why),
			 "the bootstrap %s could not be "
			 "fetched: %s (%s)",
			 r->cfg->boot_name, http_status_name(f->status),
			 f->detail);
	else
		snprintf(why, sizeof(why),
			 "the bootstrap %s answered HTTP "
			 "%ld%s",
			 r->cfg->boot_name, f->code,
			 f->truncated ? ", a body over the size limit" : "");
	r->ev->rdap->boot_error = dup_or_nomem(r, why);
}

int probe_rdap_start(struct probe_rdap *r, struct engine *eng,
		     const struct rdap_config *cfg, struct evidence *ev)
{
	memset(r, 0, sizeof(*r));
	r->eng = eng;
	r->ev = ev;
	r->cfg = cfg;
	r->t0 = eng->ops->now_ms(eng->impl);
	/* The root, a TLD or another public suffix is no registration. */
	if (strcmp(registered(ev), ev->domain) == 0 &&
	    labels(ev->domain) <=
		    (ev->suffix_labels > 0 ? ev->suffix_labels : 1))
		return 0;
	if (!(ev->rdap = calloc(1, sizeof(*ev->rdap))) ||
	    !(ev->rdap->bootstrap =
		      strdup(cfg->boot_name ? cfg->boot_name : "")))
		return -ENOMEM;
	ev->rdap->status = HS_ERROR;
	if (cfg->replay_url || cfg->replay_none) {
		if (cfg->replay_url)
			query(r, cfg->replay_url);
	} else if (cfg->boot_text) {
		from_bootstrap(r, cfg->boot_text, cfg->boot_len);
	} else if (cfg->boot_fetch) {
		if (!(r->boot_buf = malloc(RDAP_BODY_MAX + 1)))
			return -ENOMEM;
		r->boot = (struct http_fetch){ .rdap = true,
					       .start = cfg->boot_name,
					       .timeout_ms = RDAP_TIME_MS,
					       .big = r->boot_buf,
					       .big_max = RDAP_BODY_MAX };
		if (http_fetch_start(eng, &r->boot, on_boot, r) < 0)
			return -ENOMEM;
		r->left++;
	}
	return r->err;
}

int probe_rdap_finish(struct probe_rdap *r)
{
	eng_run_until_zero(r->eng, &r->left);
	return r->err;
}

void probe_rdap_deinit(struct probe_rdap *r)
{
	free(r->boot_buf);
	free(r->q_buf);
	r->boot_buf = r->q_buf = NULL;
}
