#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "engine/engine.h"
#include "engine/http.h"
#include "engine/uv_ext.h"
#include "core/addrclass.h"
#include "core/rdap.h"

/* One fetch: its easy handle, the address pin, and its place in the list
 * of live fetches (so closing the engine can drop them). */
struct xfer {
	struct httpm *m;
	struct http_fetch *f;
	eng_done_cb cb;
	void *arg;
	CURL *easy;
	struct curl_slist *pin;
	struct xfer *prev, *next;
	char err[CURL_ERROR_SIZE];
	uint64_t started; /* loop time, for an RDAP fetch's deadline */
	char first[64];	  /* RDAP: the first address connected to */
	bool refused;	  /* RDAP: a redirect led to a refused address */
};

/* The multi handle on the loop: one uv_poll per socket curl asks us to
 * watch, one timer for curl's timeouts. Freed in the timer's close
 * callback, after every socket's poll has closed. */
struct httpm {
	uv_loop_t *loop;
	size_t *pending;
	CURLM *multi;
	uv_timer_t timer;
	struct xfer *live;
	bool closing;
};

struct sock {
	uv_poll_t poll;
	curl_socket_t fd;
	struct httpm *m;
};

static size_t on_big_body(struct http_fetch *f, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (f->big_len == f->big_max) {
			/* Over the cap: stop reading, whatever is left. */
			f->truncated = true;
			return 0;
		}
		f->big[f->big_len++] = data[i] ? data[i] : '?';
	}
	f->big[f->big_len] = '\0';
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_fetch *f = arg;
	size_t n = size * nmemb;
	if (f->rdap)
		return on_big_body(f, data, n);
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

/* Sends every connection of X, whatever host and port a redirect names,
 * to X's address: the DNS cache is not touched, so fetches to other
 * addresses of the same name cannot disturb each other. */
static int pin(struct xfer *x)
{
	const char *a = x->f->addr;
	bool v6 = strchr(a, ':') != NULL;
	char line[300];
	snprintf(line, sizeof(line), "::%s%s%s:", v6 ? "[" : "", a,
		 v6 ? "]" : "");
	x->pin = curl_slist_append(NULL, line);
	return x->pin ? 0 : -ENOMEM;
}

/* CURLOPT_OPENSOCKETFUNCTION for RDAP: the first address is the one the
 * bootstrap's URL names (the operator's choice); after a redirect, a
 * special-purpose address is refused before anything is sent to it. */
static curl_socket_t rdap_socket(void *arg, curlsocktype purpose,
				 struct curl_sockaddr *a)
{
	struct xfer *x = arg;
	struct addr_class c;
	char text[64] = "";
	(void)purpose;
	if (a->family == AF_INET)
		uv_ip4_name((const struct sockaddr_in *)&a->addr, text,
			    sizeof(text));
	else if (a->family == AF_INET6)
		uv_ip6_name((const struct sockaddr_in6 *)&a->addr, text,
			    sizeof(text));
	if (!x->first[0])
		snprintf(x->first, sizeof(x->first), "%s", text);
	else if (strcmp(text, x->first) != 0 &&
		 addr_class_sockaddr(&a->addr, &c)) {
		char why[96];
		x->refused = true;
		snprintf(x->f->detail, sizeof(x->f->detail),
			 "redirect to %s, a %s address: not followed", text,
			 addr_class_describe(&c, why, sizeof(why)));
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static void setup_rdap(struct xfer *x)
{
	CURL *e = x->easy;
	struct http_fetch *f = x->f;
	uint64_t spent = uv_now(x->m->loop) - x->started;
	long left = spent >= f->timeout_ms ? 1 : (long)(f->timeout_ms - spent);
	f->big_len = 0;
	if (f->big)
		f->big[0] = '\0';
	f->ctype[0] = '\0';
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "dnsdoctor (RDAP)");
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, rdap_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->pin);
	/* Registries' certificates are checked: RDAP is read over HTTPS. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
}

/* RDAP: the headers, kept in X->pin (the slist HTTP-01 uses for its
 * address pin). */
static int accept_rdap(struct xfer *x)
{
	x->pin = curl_slist_append(NULL, "Accept: application/rdap+json, "
					 "application/json;q=0.9");
	return x->pin ? 0 : -ENOMEM;
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
	    (!f->rdap &&
	     curl_easy_setopt(e, CURLOPT_CONNECT_TO, x->pin) != CURLE_OK))
		return -EIO;
	/* One connection per address and per URL: an idle connection to
	 * one address must never carry another address's fetch. */
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
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
	if (f->rdap)
		setup_rdap(x);
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
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
		    CURLUE_OK) {
		f->status = HS_REDIRECT_BAD;
		snprintf(f->detail, sizeof(f->detail), "unparseable redirect");
	} else if (f->rdap) {
		if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https")) {
			f->status = HS_REDIRECT_BAD;
			snprintf(f->detail, sizeof(f->detail),
				 "redirect to %.150s: not http(s)", loc);
		} else if (f->redirects >= RDAP_REDIRECTS) {
			f->status = HS_TOO_MANY_REDIRECTS;
			snprintf(f->detail, sizeof(f->detail),
				 "more than %d redirects", RDAP_REDIRECTS);
		} else {
			follow = 1;
		}
	} else if ((strcasecmp(scheme, "http") && strcasecmp(scheme, "http"
								     "s")) ||
		   (strcmp(port, "80") && strcmp(port, "443"))) {
		f->status = HS_REDIRECT_BAD;
		snprintf(f->detail, sizeof(f->detail),
			 "redirect to %.150s: only http(s) on ports 80 and 443 "
			 "is followed",
			 loc);
	} else if (strcasecmp(host, f->host) != 0) {
		f->status = HS_REDIRECT_OTHER;
		snprintf(f->detail, sizeof(f->detail),
			 "redirect to another host: %.200s", loc);
		snprintf(f->location, sizeof(f->location), "%s", loc);
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
	if (f->rdap) {
		char *ct = NULL;
		curl_off_t ra = 0;
		if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct) ==
			    CURLE_OK &&
		    ct)
			snprintf(f->ctype, sizeof(f->ctype), "%s", ct);
		if (curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra) ==
		    CURLE_OK)
			f->retry_after = (long)ra;
	}
	if (rc == CURLE_WRITE_ERROR && f->truncated)
		rc = CURLE_OK;
	if (rc != CURLE_OK && x->refused) {
		f->status = HS_REDIRECT_BAD;
		return 0;
	}
	if (rc != CURLE_OK) {
		f->status = rc == CURLE_OPERATION_TIMEDOUT ? HS_TIMEOUT
			    : rc == CURLE_COULDNT_CONNECT  ? HS_CONNECT
							   : HS_ERROR;
		snprintf(f->detail, sizeof(f->detail), "%s",
			 x->err[0] ? x->err : curl_easy_strerror(rc));
		return 0;
	}
	f->status = HS_OK;
	if (f->code >= 300 && f->code < 400 &&
	    curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc) ==
		    CURLE_OK &&
	    loc && redirect_ok(x, loc)) {
		char next[512];
		snprintf(next, sizeof(next), "%s", loc);
		f->redirects++;
		return setup(x, next) == 0 ? 1 : 0;
	}
	return 0;
}

static void x_free(struct xfer *x)
{
	if (x->prev)
		x->prev->next = x->next;
	else
		x->m->live = x->next;
	if (x->next)
		x->next->prev = x->prev;
	if (x->easy) {
		curl_multi_remove_handle(x->m->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->pin);
	free(x);
}

/* Delivers the fetches curl has finished, or starts their redirects. */
static void reap(struct httpm *m)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(m->multi, &left))) {
		struct xfer *x = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		CURL *e = msg->easy_handle;
		CURLcode res = msg->data.result;
		curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
		curl_multi_remove_handle(m->multi, e);
		if (finish(x, res) &&
		    curl_multi_add_handle(m->multi, e) == CURLM_OK)
			continue;
		eng_done_cb cb = x->cb;
		void *arg = x->arg;
		x_free(x);
		(*m->pending)--;
		cb(arg);
	}
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	struct sock *s = h->data;
	struct httpm *m = s->m;
	int flags = 0, running;
	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(m->multi, s->fd, flags, &running);
	reap(m);
}

static void on_timer(uv_timer_t *t)
{
	struct httpm *m = t->data;
	int running;
	curl_multi_socket_action(m->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	reap(m);
}

static void sock_closed(uv_handle_t *h)
{
	free(h->data);
}

/* CURLMOPT_SOCKETFUNCTION: curl says which events it wants on FD. */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp,
		     void *socketp)
{
	struct httpm *m = userp;
	struct sock *s = socketp;
	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s) {
			curl_multi_assign(m->multi, fd, NULL);
			uv_close((uv_handle_t *)&s->poll, sock_closed);
		}
		return 0;
	}
	if (!s) {
		if (!(s = calloc(1, sizeof(*s))))
			return -1;
		if (uv_poll_init_socket(m->loop, &s->poll, fd) < 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		s->fd = fd;
		s->m = m;
		curl_multi_assign(m->multi, fd, s);
	}
	int ev = (what & CURL_POLL_IN ? UV_READABLE : 0) |
		 (what & CURL_POLL_OUT ? UV_WRITABLE : 0);
	return uv_poll_start(&s->poll, ev, on_poll) < 0 ? -1 : 0;
}

/* CURLMOPT_TIMERFUNCTION: curl wants to be called back in MS (never from
 * here: the loop calls it). */
static int on_timeout_set(CURLM *multi, long ms, void *userp)
{
	struct httpm *m = userp;
	(void)multi;
	if (ms < 0)
		uv_timer_stop(&m->timer);
	else
		uv_timer_start(&m->timer, on_timer, (uint64_t)ms, 0);
	return 0;
}

int httpm_new(uv_loop_t *loop, size_t *pending, struct httpm **out)
{
	struct httpm *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(m);
		return -ENOMEM;
	}
	if (!(m->multi = curl_multi_init())) {
		curl_global_cleanup();
		free(m);
		return -ENOMEM;
	}
	m->loop = loop;
	m->pending = pending;
	uv_timer_init(loop, &m->timer);
	m->timer.data = m;
	curl_multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(m->multi, CURLMOPT_SOCKETDATA, m);
	curl_multi_setopt(m->multi, CURLMOPT_TIMERFUNCTION, on_timeout_set);
	curl_multi_setopt(m->multi, CURLMOPT_TIMERDATA, m);
	*out = m;
	return 0;
}

int httpm_add(struct httpm *m, struct http_fetch *f, eng_done_cb cb, void *arg)
{
	struct xfer *x;
	char url[512];
	if (!f || (!f->rdap && (!f->host || !f->addr)) || !f->start ||
	    (f->rdap && (!f->big || !f->big_max)) ||
	    strlen(f->start) >= sizeof(url) || m->closing)
		return -EINVAL;
	if (!(x = calloc(1, sizeof(*x))))
		return -ENOMEM;
	*x = (struct xfer){
		.m = m, .f = f, .cb = cb, .arg = arg, .next = m->live
	};
	if (m->live)
		m->live->prev = x;
	m->live = x;
	f->status = HS_ERROR;
	f->code = 0;
	f->redirects = 0;
	f->detail[0] = '\0';
	f->location[0] = '\0';
	f->retry_after = 0;
	x->started = uv_now(m->loop);
	snprintf(url, sizeof(url), "%s", f->start);
	if (!(x->easy = curl_easy_init()) ||
	    (f->rdap ? accept_rdap(x) : pin(x)) < 0 || setup(x, url) < 0 ||
	    curl_multi_add_handle(m->multi, x->easy) != CURLM_OK) {
		x_free(x);
		return -ENOMEM;
	}
	return 0;
}

static void multi_closed(uv_handle_t *h)
{
	free(h->data);
	curl_global_cleanup();
}

void httpm_close(struct httpm *m)
{
	if (!m)
		return;
	m->closing = true;
	while (m->live)
		x_free(m->live);
	/* Cleaning up the multi closes its cached connections, each through
	 * on_socket(CURL_POLL_REMOVE), so M must stay until the timer closes.
	 */
	curl_multi_cleanup(m->multi);
	uv_close((uv_handle_t *)&m->timer, multi_closed);
}

int http_fetch_all(struct engine *eng, struct http_fetch *f, size_t n)
{
	size_t left = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (eng->asked)
			++*eng->asked;
		rc = eng->ops->http(eng->impl, &f[i], eng_count_down, &left);
		left += rc == 0;
	}
	eng_run_until_zero(eng, &left);
	return rc;
}

int http_fetch_start(struct engine *eng, struct http_fetch *f, eng_done_cb cb,
		     void *arg)
{
	if (eng->asked)
		++*eng->asked;
	return eng->ops->http(eng->impl, f, cb, arg);
}
