#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include "engine/engine.h"
#include "engine/tls.h"

const char *tls_status_name(int status)
{
	switch (status) {
	case TS_OK:
		return "ok";
	case TS_CONNECT:
		return "connect-failed";
	case TS_TIMEOUT:
		return "timeout";
	case TS_HANDSHAKE:
		return "handshake-failed";
	default:
		return "error";
	}
}

void tls_fetch_deinit(struct tls_fetch *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->der[i]);
	f->n = 0;
}

/* A TCP connection to F's address within its timeout; the fd or -1. */
static int tcp_connect(struct tls_fetch *f)
{
	struct eng_request req = { 0 };
	if (eng_addr_parse(&req, f->addr, f->port) < 0) {
		f->status = TS_ERROR;
		snprintf(f->detail, sizeof(f->detail), "not an address");
		return -1;
	}
	int fd = socket(req.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		f->status = TS_ERROR;
		snprintf(f->detail, sizeof(f->detail), "socket: %s", strerror(errno));
		return -1;
	}
	int rc = connect(fd, (struct sockaddr *)&req.addr, req.addrlen);
	if (rc < 0 && errno == EINPROGRESS) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int err = 0;
		socklen_t len = sizeof(err);
		rc = poll(&p, 1, (int)f->timeout_ms);
		if (rc == 0) {
			f->status = TS_TIMEOUT;
			snprintf(f->detail, sizeof(f->detail), "no TCP connection within %u ms", f->timeout_ms);
			close(fd);
			return -1;
		}
		if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
			errno = err ? err : errno;
			rc = -1;
		} else {
			rc = 0;
		}
	}
	if (rc < 0) {
		f->status = TS_CONNECT;
		snprintf(f->detail, sizeof(f->detail), "%s", strerror(errno));
		close(fd);
		return -1;
	}
	/* The handshake runs blocking, bounded by socket timeouts. */
	struct timeval tv = { .tv_sec = f->timeout_ms / 1000,
			      .tv_usec = (f->timeout_ms % 1000) * 1000 };
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

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

static int one(SSL_CTX *ctx, struct tls_fetch *f)
{
	int fd = tcp_connect(f), rc = 0;
	if (fd < 0)
		return 0;
	SSL *ssl = SSL_new(ctx);
	if (!ssl) {
		close(fd);
		return -ENOMEM;
	}
	SSL_set_fd(ssl, fd);
	SSL_set_tlsext_host_name(ssl, f->host);
	ERR_clear_error();
	if (SSL_connect(ssl) != 1) {
		unsigned long e = ERR_get_error();
		bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
		f->status = timed_out && !e ? TS_TIMEOUT : TS_HANDSHAKE;
		if (e)
			ERR_error_string_n(e, f->detail, sizeof(f->detail));
		else
			snprintf(f->detail, sizeof(f->detail), "%s",
				 timed_out ? "no handshake in time" : "connection closed");
	} else {
		f->status = TS_OK;
		rc = keep_chain(ssl, f);
	}
	SSL_free(ssl);
	close(fd);
	ERR_clear_error();
	return rc;
}

int tls_fetch_all(struct tls_fetch *f, size_t n)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int rc = 0;
	if (!ctx)
		return -ENOMEM;
	/* Verification is the core's job, against the store it is given. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		f[i].n = 0;
		f[i].detail[0] = '\0';
		f[i].status = TS_ERROR;
		rc = one(ctx, &f[i]);
	}
	SSL_CTX_free(ctx);
	return rc;
}
