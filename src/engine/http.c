#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "engine/http.h"

struct xfer {
	struct http_fetch *f;
	CURL *easy;
	struct curl_slist *resolve;
	char err[CURL_ERROR_SIZE];
};

const char *http_status_name(int status)
{
	switch (status) {
	case HS_OK:
		return "ok";
	case HS_CONNECT:
		return "connect-failed";
	case HS_TIMEOUT:
		return "timeout";
	case HS_REDIRECT_BAD:
		return "redirect-refused";
	case HS_REDIRECT_OTHER:
		return "redirect-other-host";
	case HS_TOO_MANY_REDIRECTS:
		return "too-many-redirects";
	default:
		return "error";
	}
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_fetch *f = arg;
	size_t n = size * nmemb;
	for (size_t i = 0; i < n; i++) {
		if (f->body_len == HTTP_BODY_MAX) {
			/* Enough to judge; a huge body only costs time. */
			f->truncated = true;
			return 0;
		}
		f->body[f->body_len++] = data[i] ? data[i] : '?';
	}
	f->body[f->body_len] = '\0';
	return n;
}

/* Pins HOST on ports 80 and 443 to ADDR so curl never resolves it. */
static int pin(struct xfer *x)
{
	const char *a = x->f->addr;
	bool v6 = strchr(a, ':') != NULL;
	char line[600];
	for (int i = 0; i < 2; i++) {
		snprintf(line, sizeof(line), "%s:%d:%s%s%s", x->f->host, i ? 443 : 80,
			 v6 ? "[" : "", a, v6 ? "]" : "");
		struct curl_slist *l = curl_slist_append(x->resolve, line);
		if (!l)
			return -ENOMEM;
		x->resolve = l;
	}
	return 0;
}

static int setup(struct xfer *x, const char *url)
{
	CURL *e = x->easy;
	struct http_fetch *f = x->f;
	snprintf(f->url, sizeof(f->url), "%s", url);
	f->body_len = 0;
	f->body[0] = '\0';
	f->truncated = false;
	curl_easy_reset(e);
	if (curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_RESOLVE, x->resolve) != CURLE_OK)
		return -EIO;
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* No proxy from the environment: the point is each address. */
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)f->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)f->timeout_ms);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "dnsdoctor (HTTP-01 check)");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->err);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	x->err[0] = '\0';
	return 0;
}

/* Decides about a redirect to LOC: 1 follow, 0 stop (status set). */
static int redirect_ok(struct xfer *x, const char *loc)
{
	struct http_fetch *f = x->f;
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int follow = 0;
	if (!u || curl_url_set(u, CURLUPART_URL, loc, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		f->status = HS_REDIRECT_BAD;
		snprintf(f->detail, sizeof(f->detail), "unparseable redirect");
	} else if ((strcasecmp(scheme, "http") && strcasecmp(scheme, "https")) ||
		   (strcmp(port, "80") && strcmp(port, "443"))) {
		f->status = HS_REDIRECT_BAD;
		snprintf(f->detail, sizeof(f->detail),
			 "redirect to %.150s: only http(s) on ports 80 and 443 is followed",
			 loc);
	} else if (strcasecmp(host, f->host) != 0) {
		f->status = HS_REDIRECT_OTHER;
		snprintf(f->detail, sizeof(f->detail), "redirect to another host: %.200s", loc);
	} else if (f->redirects >= HTTP_REDIRECTS_MAX) {
		f->status = HS_TOO_MANY_REDIRECTS;
	} else {
		follow = 1;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return follow;
}

/* A transfer ended with RC. Returns 1 when it goes on (a redirect). */
static int finish(struct xfer *x, CURLcode rc)
{
	struct http_fetch *f = x->f;
	char *loc = NULL;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &f->code);
	if (rc == CURLE_WRITE_ERROR && f->truncated)
		rc = CURLE_OK;
	if (rc != CURLE_OK) {
		f->status = rc == CURLE_OPERATION_TIMEDOUT ? HS_TIMEOUT :
			    rc == CURLE_COULDNT_CONNECT ? HS_CONNECT : HS_ERROR;
		snprintf(f->detail, sizeof(f->detail), "%s",
			 x->err[0] ? x->err : curl_easy_strerror(rc));
		return 0;
	}
	f->status = HS_OK;
	if (f->code >= 300 && f->code < 400 &&
	    curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
	    loc && redirect_ok(x, loc)) {
		char next[512];
		snprintf(next, sizeof(next), "%s", loc);
		f->redirects++;
		return setup(x, next) == 0 ? 1 : 0;
	}
	return 0;
}

int http_fetch_all(struct http_fetch *f, size_t n)
{
	struct xfer *xs = calloc(n ? n : 1, sizeof(*xs));
	CURLM *m = NULL;
	int rc = -ENOMEM, running = 0;

	if (!xs || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		goto out_free;
	if (!(m = curl_multi_init()))
		goto out;
	for (size_t i = 0; i < n; i++) {
		char url[512];
		xs[i].f = &f[i];
		f[i].status = HS_ERROR;
		f[i].code = 0;
		f[i].redirects = 0;
		f[i].detail[0] = '\0';
		snprintf(url, sizeof(url), "http://%s%s", f[i].host, f[i].path);
		if (!(xs[i].easy = curl_easy_init()) || pin(&xs[i]) < 0 ||
		    setup(&xs[i], url) < 0 ||
		    curl_multi_add_handle(m, xs[i].easy) != CURLM_OK)
			goto out;
	}
	rc = 0;
	for (;;) {
		bool again = false;
		if (curl_multi_perform(m, &running) != CURLM_OK) {
			rc = -EIO;
			break;
		}
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			struct xfer *x = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			CURL *e = msg->easy_handle;
			CURLcode res = msg->data.result;
			curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
			curl_multi_remove_handle(m, e);
			/* A redirect to follow: the same handle, a new URL. */
			if (x && finish(x, res) && curl_multi_add_handle(m, e) == CURLM_OK)
				again = true;
		}
		if (running == 0 && !again)
			break;
		if (!again && curl_multi_poll(m, NULL, 0, 1000, NULL) != CURLM_OK) {
			rc = -EIO;
			break;
		}
	}
out:
	for (size_t i = 0; i < n; i++) {
		if (xs[i].easy) {
			if (m)
				curl_multi_remove_handle(m, xs[i].easy);
			curl_easy_cleanup(xs[i].easy);
		}
		curl_slist_free_all(xs[i].resolve);
	}
	if (m)
		curl_multi_cleanup(m);
	curl_global_cleanup();
out_free:
	free(xs);
	return rc;
}
