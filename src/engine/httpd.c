/* The exporter's HTTP server (httpd.h): libmicrohttpd without threads of
 * its own. Its epoll descriptor is one uv_poll handle; a uv_timer follows
 * MHD_get_timeout; each wake-up calls MHD_run. The listening socket is
 * made here, so a busy port is one clear line, not a NULL daemon. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>
#include <uv.h>
#include "engine/engine.h"
#include "engine/httpd.h"

#define HTTPD_CONNECTIONS 64 /* at once; more wait in the backlog */
#define HTTPD_IDLE_S	  15 /* a silent client is dropped */

struct httpd_exchange {
	struct httpd *s;
	struct MHD_Connection *c;
	char *path;
	const char *method;
	bool called;  /* the handler has it */
	bool replied; /* status and body are set */
	bool held;    /* suspended until the reply */
	bool gone;    /* the server stopped while held */
	unsigned status;
	const char *ctype;
	char *body;
	size_t len;
	struct httpd_exchange *prev, *next; /* held ones */
};

struct httpd {
	struct MHD_Daemon *d;
	uv_poll_t poll;
	uv_timer_t timer;
	int handles; /* open uv handles, closed before freeing */
	int fd;	     /* the listening socket */
	httpd_handler h;
	void *arg;
	struct httpd_exchange *held;
	bool stopping;
};

static void arm(struct httpd *s);

static void run(struct httpd *s)
{
	if (s->d)
		MHD_run(s->d);
	arm(s);
}

static void on_poll(uv_poll_t *p, int status, int events)
{
	(void)status;
	(void)events;
	run(p->data);
}

static void on_timer(uv_timer_t *t)
{
	run(t->data);
}

/* The next wake-up MHD asks for (its connection timeouts, and at once
 * when a resumed connection waits to be written). */
static void arm(struct httpd *s)
{
	MHD_UNSIGNED_LONG_LONG ms = 0;
	if (!s->d || s->stopping)
		return;
	if (MHD_get_timeout(s->d, &ms) != MHD_YES)
		ms = 1000;
	uv_timer_start(&s->timer, on_timer, ms > 1000 ? 1000 : ms, 0);
}

static void held_unlink(struct httpd_exchange *x)
{
	struct httpd *s = x->s;
	if (x->prev)
		x->prev->next = x->next;
	else if (s->held == x)
		s->held = x->next;
	if (x->next)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
}

static enum MHD_Result respond(struct httpd_exchange *x)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		x->body ? x->len : 0, x->body ? x->body : (void *)"",
		x->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	x->body = NULL; /* the response has it */
	if (x->ctype)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					x->ctype);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(x->c, x->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_len, void **con_cls)
{
	struct httpd *s = cls;
	struct httpd_exchange *x = *con_cls;
	(void)version;
	(void)upload;
	if (!x) {
		/* The headers are in; the body (if any) comes next. */
		if (!(x = calloc(1, sizeof(*x))) || !(x->path = strdup(url))) {
			free(x);
			return MHD_NO;
		}
		x->s = s;
		x->c = c;
		x->method = method;
		*con_cls = x;
		return MHD_YES;
	}
	if (*upload_len) {
		*upload_len = 0; /* a body is ignored: no handler takes one */
		return MHD_YES;
	}
	if (x->replied)
		return respond(x);
	if (x->called)
		return MHD_YES; /* still held */
	x->called = true;
	s->h(s->arg, x);
	if (x->replied)
		return respond(x);
	x->held = true;
	x->next = s->held;
	if (s->held)
		s->held->prev = x;
	s->held = x;
	MHD_suspend_connection(c);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	struct httpd_exchange *x = *con_cls;
	(void)cls;
	(void)c;
	(void)why;
	if (!x)
		return;
	if (x->called && !x->replied) {
		/* A handler still has it and answers later: it frees it
		 * then. */
		x->gone = true;
		x->held = false;
		held_unlink(x);
		*con_cls = NULL;
		return;
	}
	free(x->body);
	free(x->path);
	free(x);
	*con_cls = NULL;
}

const char *httpd_method(const struct httpd_exchange *x)
{
	return x->method;
}

const char *httpd_path(const struct httpd_exchange *x)
{
	return x->path;
}

const char *httpd_arg(const struct httpd_exchange *x, const char *name)
{
	return MHD_lookup_connection_value(x->c, MHD_GET_ARGUMENT_KIND, name);
}

struct arg_count {
	const char *name;
	unsigned n;
};

static enum MHD_Result count_one(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	struct arg_count *a = cls;
	(void)kind;
	(void)value;
	a->n += key && strcmp(key, a->name) == 0;
	return MHD_YES;
}

unsigned httpd_arg_count(const struct httpd_exchange *x, const char *name)
{
	struct arg_count a = { name, 0 };
	MHD_get_connection_values(x->c, MHD_GET_ARGUMENT_KIND, count_one, &a);
	return a.n;
}

void httpd_reply(struct httpd_exchange *x, unsigned status, const char *ctype,
		 char *body, size_t len)
{
	if (x->gone) {
		/* The connection ended (or the server stopped) meanwhile. */
		free(body);
		free(x->path);
		free(x);
		return;
	}
	x->status = status;
	x->ctype = ctype;
	x->body = body;
	x->len = len;
	x->replied = true;
	if (x->held) {
		x->held = false;
		held_unlink(x);
		MHD_resume_connection(x->c);
		/* MHD writes it on its next run: soon. */
		uv_timer_start(&x->s->timer, on_timer, 0, 0);
	}
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into SA. 0 or -1. */
static int listen_parse(const char *text, struct sockaddr_storage *sa,
			socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(text, ':');
	if (!colon || colon == text || (size_t)(colon - text) >= sizeof(host))
		return -1;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	char *end;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	size_t n = strlen(host);
	if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)sa;
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			return -1;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return 0;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)sa;
	if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
		return -1;
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)port);
	*len = sizeof(*a4);
	return 0;
}

static int listen_socket(const char *text, char *err, size_t errlen)
{
	struct sockaddr_storage sa;
	socklen_t len;
	int one = 1;
	if (listen_parse(text, &sa, &len) < 0) {
		snprintf(err, errlen,
			 "--listen wants ADDRESS:PORT or [IPv6]:PORT, not "
			 "'%.80s'",
			 text);
		return -1;
	}
	int fd = socket(sa.ss_family,
			SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, 128) < 0) {
		snprintf(err, errlen, "cannot listen on %.80s: %s", text,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void closed(uv_handle_t *h)
{
	struct httpd *s = h->data;
	if (--s->handles == 0)
		free(s);
}

int httpd_start(struct engine *eng, const char *listen, httpd_handler h,
		void *arg, struct httpd **out, char *err, size_t errlen)
{
	uv_loop_t *loop = eng->ops->loop ? eng->ops->loop(eng->impl) : NULL;
	*out = NULL;
	if (!loop) {
		snprintf(err, errlen,
			 "the exporter needs the network engine, "
			 "not --replay");
		return -1;
	}
	struct httpd *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->h = h;
	s->arg = arg;
	if ((s->fd = listen_socket(listen, err, errlen)) < 0) {
		free(s);
		return -1;
	}
	s->d = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
		on_request, s, MHD_OPTION_LISTEN_SOCKET, s->fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTPD_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTPD_IDLE_S,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	const union MHD_DaemonInfo *info =
		s->d ? MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD)
		     : NULL;
	if (!info) {
		snprintf(err, errlen, "cannot start the HTTP server on %.80s",
			 listen);
		if (s->d)
			MHD_stop_daemon(s->d);
		close(s->fd);
		free(s);
		return -1;
	}
	uv_poll_init(loop, &s->poll, info->epoll_fd);
	uv_timer_init(loop, &s->timer);
	s->poll.data = s->timer.data = s;
	s->handles = 2;
	uv_poll_start(&s->poll, UV_READABLE, on_poll);
	arm(s);
	*out = s;
	return 0;
}

void httpd_stop(struct httpd *s)
{
	if (!s)
		return;
	s->stopping = true;
	/* MHD stops only with no connection suspended: the held ones are
	 * resumed, and closed with the rest; their handlers find them gone
	 * when they reply. */
	while (s->held) {
		struct httpd_exchange *x = s->held;
		held_unlink(x);
		x->held = false;
		MHD_resume_connection(x->c);
	}
	uv_poll_stop(&s->poll);
	uv_timer_stop(&s->timer);
	MHD_stop_daemon(s->d);
	s->d = NULL;
	close(s->fd);
	uv_close((uv_handle_t *)&s->poll, closed);
	uv_close((uv_handle_t *)&s->timer, closed);
}
