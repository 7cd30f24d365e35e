#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include "engine/engine.h"
#include "engine/tls.h"
#include "engine/uv_ext.h"

void tls_fetch_deinit(struct tls_fetch *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->der[i]);
	f->n = 0;
}

/* One handshake on the loop: a non-blocking socket watched by a uv_poll,
 * a timer for the whole exchange. Freed when both handles have closed. */
struct tlsx {
	struct tlsm *m;
	struct tls_fetch *f;
	eng_done_cb cb;
	void *arg;
	uv_poll_t poll;
	uv_timer_t timer;
	int nopen;
	bool polling, done, connecting;
	int fd;
	SSL *ssl;
	struct tlsx *prev, *next;
};

struct tlsm {
	uv_loop_t *loop;
	size_t *pending;
	SSL_CTX *ctx;
	struct tlsx *live;
};

static int keep_chain(SSL *ssl, struct tls_fetch *f)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	int n = chain ? sk_X509_num(chain) : 0;
	for (int i = 0; i < n && f->n < TLS_CHAIN_MAX; i++) {
		unsigned char *der = NULL;
		int len = i2d_X509(sk_X509_value(chain, i), &der);
		if (len <= 0)
			return -ENOMEM;
		f->der[f->n] = malloc((size_t)len);
		if (!f->der[f->n]) {
			OPENSSL_free(der);
			return -ENOMEM;
		}
		memcpy(f->der[f->n], der, (size_t)len);
		f->der_len[f->n++] = (size_t)len;
		OPENSSL_free(der);
	}
	return 0;
}

static void x_closed(uv_handle_t *h)
{
	struct tlsx *x = h->data;
	if (--x->nopen > 0)
		return;
	SSL_free(x->ssl);
	if (x->fd >= 0)
		close(x->fd);
	free(x);
}

static void x_unlink(struct tlsx *x)
{
	if (x->prev)
		x->prev->next = x->next;
	else
		x->m->live = x->next;
	if (x->next)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
}

static void x_close(struct tlsx *x)
{
	x_unlink(x);
	if (x->polling)
		uv_close((uv_handle_t *)&x->poll, x_closed);
	uv_close((uv_handle_t *)&x->timer, x_closed);
}

/* Ends X with STATUS (the detail already written) and tells the caller. */
static void x_finish(struct tlsx *x, int status)
{
	if (x->done)
		return;
	x->done = true;
	x->f->status = status;
	eng_done_cb cb = x->cb;
	void *arg = x->arg;
	x_close(x);
	(*x->m->pending)--;
	cb(arg);
}

static void on_io(uv_poll_t *h, int status, int events);

static void want(struct tlsx *x, int events)
{
	if (uv_poll_start(&x->poll, events, on_io) < 0) {
		snprintf(x->f->detail, sizeof(x->f->detail),
			 "cannot watch the socket");
		x_finish(x, TS_ERROR);
	}
}

/* One more step of the handshake, as far as the socket allows. */
static void step(struct tlsx *x)
{
	ERR_clear_error();
	int r = SSL_connect(x->ssl);
	if (r == 1) {
		int rc = keep_chain(x->ssl, x->f);
		if (rc < 0)
			snprintf(x->f->detail, sizeof(x->f->detail),
				 "out of memory");
		x_finish(x, rc < 0 ? TS_ERROR : TS_OK);
		return;
	}
	int err = SSL_get_error(x->ssl, r);
	if (err == SSL_ERROR_WANT_READ) {
		want(x, UV_READABLE);
		return;
	}
	if (err == SSL_ERROR_WANT_WRITE) {
		want(x, UV_WRITABLE);
		return;
	}
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, x->f->detail, sizeof(x->f->detail));
	else
		snprintf(x->f->detail, sizeof(x->f->detail),
			 "connection closed");
	ERR_clear_error();
	x_finish(x, TS_HANDSHAKE);
}

static void on_io(uv_poll_t *h, int status, int events)
{
	struct tlsx *x = h->data;
	(void)events;
	if (x->connecting) {
		int err = 0;
		socklen_t len = sizeof(err);
		/* libuv reports a failed connect as UV_EBADF (POLLERR); the
		 * socket's own error says why. */
		if (getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err || status < 0) {
			snprintf(x->f->detail, sizeof(x->f->detail), "%s",
				 strerror(err ? err : -status));
			x_finish(x, TS_CONNECT);
			return;
		}
		x->connecting = false;
		if (!(x->ssl = SSL_new(x->m->ctx)) ||
		    SSL_set_fd(x->ssl, x->fd) != 1 ||
		    SSL_set_tlsext_host_name(x->ssl, x->f->host) != 1) {
			snprintf(x->f->detail, sizeof(x->f->detail),
				 "cannot set up TLS");
			x_finish(x, TS_ERROR);
			return;
		}
	}
	step(x);
}

static void on_timeout(uv_timer_t *t)
{
	struct tlsx *x = t->data;
	if (x->connecting)
		snprintf(x->f->detail, sizeof(x->f->detail),
			 "no TCP connection within %u ms", x->f->timeout_ms);
	else
		snprintf(x->f->detail, sizeof(x->f->detail),
			 "no handshake within %u ms", x->f->timeout_ms);
	x_finish(x, TS_TIMEOUT);
}

/* A failure found before any event: reported from the loop, never from
 * inside tlsm_add (the engine's callback rule). */
static void on_early(uv_timer_t *t)
{
	struct tlsx *x = t->data;
	x_finish(x, x->f->status);
}

/* Starts the non-blocking connect. 0, or -1 with F's status and detail set. */
static int start_connect(struct tlsx *x)
{
	struct tls_fetch *f = x->f;
	struct eng_request req = { 0 };
	if (eng_addr_parse(&req, f->addr, f->port) < 0) {
		f->status = TS_ERROR;
		snprintf(f->detail, sizeof(f->detail), "not an address");
		return -1;
	}
	x->fd = socket(req.addr.ss_family,
		       SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (x->fd < 0) {
		f->status = TS_ERROR;
		snprintf(f->detail, sizeof(f->detail), "socket: %s",
			 strerror(errno));
		return -1;
	}
	if (connect(x->fd, (struct sockaddr *)&req.addr, req.addrlen) < 0 &&
	    errno != EINPROGRESS) {
		f->status = TS_CONNECT;
		snprintf(f->detail, sizeof(f->detail), "%s", strerror(errno));
		return -1;
	}
	if (uv_poll_init_socket(x->m->loop, &x->poll, x->fd) < 0) {
		f->status = TS_ERROR;
		snprintf(f->detail, sizeof(f->detail),
			 "cannot watch the socket");
		return -1;
	}
	x->poll.data = x;
	x->polling = true;
	x->nopen++;
	x->connecting = true;
	return uv_poll_start(&x->poll, UV_WRITABLE, on_io) < 0 ? -1 : 0;
}

int tlsm_new(uv_loop_t *loop, size_t *pending, struct tlsm **out)
{
	struct tlsm *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	if (!(m->ctx = SSL_CTX_new(TLS_client_method()))) {
		free(m);
		return -ENOMEM;
	}
	/* Verification is the core's job, against the store it is given. */
	SSL_CTX_set_verify(m->ctx, SSL_VERIFY_NONE, NULL);
	m->loop = loop;
	m->pending = pending;
	*out = m;
	return 0;
}

int tlsm_add(struct tlsm *m, struct tls_fetch *f, eng_done_cb cb, void *arg)
{
	struct tlsx *x;
	if (!f || !f->host || !f->addr)
		return -EINVAL;
	if (!(x = calloc(1, sizeof(*x))))
		return -ENOMEM;
	*x = (struct tlsx){
		.m = m, .f = f, .cb = cb, .arg = arg, .fd = -1, .next = m->live
	};
	if (m->live)
		m->live->prev = x;
	m->live = x;
	f->n = 0;
	f->detail[0] = '\0';
	f->status = TS_ERROR;
	uv_timer_init(m->loop, &x->timer);
	x->timer.data = x;
	x->nopen++;
	if (start_connect(x) < 0)
		uv_timer_start(&x->timer, on_early, 0, 0);
	else
		uv_timer_start(&x->timer, on_timeout, f->timeout_ms, 0);
	return 0;
}

void tlsm_close(struct tlsm *m)
{
	if (!m)
		return;
	while (m->live)
		x_close(m->live);
	SSL_CTX_free(m->ctx);
	free(m);
}

int tls_fetch_all(struct engine *eng, struct tls_fetch *f, size_t n)
{
	size_t left = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (eng->asked)
			++*eng->asked;
		rc = eng->ops->tls(eng->impl, &f[i], eng_count_down, &left);
		left += rc == 0;
	}
	eng_run_until_zero(eng, &left);
	return rc;
}
