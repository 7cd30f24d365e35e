/* TLS probes for `cert`: a handshake with SNI to one address, the
 * certificate chain the server sends, as DER. No verification here (the
 * core judges the chain); the engine only owns the sockets. */
#ifndef DD_ENGINE_TLS_H
#define DD_ENGINE_TLS_H

#include <stddef.h>
#include <stdint.h>

#define TLS_CHAIN_MAX 10 /* certificates kept per server */

#include "core/fetch_status.h" /* enum tls_status and its names */

struct tls_fetch {
	/* in */
	const char *host; /* SNI, no final dot */
	const char *addr; /* numeric address */
	uint16_t port;
	uint32_t timeout_ms;
	/* out */
	int status; /* enum tls_status */
	char detail[160];
	uint8_t *der[TLS_CHAIN_MAX]; /* leaf first; malloc'd */
	size_t der_len[TLS_CHAIN_MAX];
	size_t n;
};

struct engine;

/* Handshakes with every F[i] at once through ENG and waits for all of
 * them. 0 or -ENOMEM. */
int tls_fetch_all(struct engine *eng, struct tls_fetch *f, size_t n);
/* Frees the certificates of F (not F itself). */
void tls_fetch_deinit(struct tls_fetch *f);

#endif
