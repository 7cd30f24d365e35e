/* The HTTP and TLS machinery the libuv engine drives (engine-internal).
 * Each runs on the engine's loop; closing one starts closing its handles,
 * and the loop must then run until they are closed. Pending exchanges are
 * dropped at close without callbacks. *PENDING, the engine's count of
 * results due, is decremented just before each callback (the engine
 * counts each successful add). */
#ifndef DD_ENGINE_UV_EXT_H
#define DD_ENGINE_UV_EXT_H

#include <uv.h>
#include "engine/engine.h"

struct httpm;
int httpm_new(uv_loop_t *loop, size_t *pending, struct httpm **out);
int httpm_add(struct httpm *m, struct http_fetch *f, eng_done_cb cb, void *arg);
void httpm_close(struct httpm *m);

struct tlsm;
int tlsm_new(uv_loop_t *loop, size_t *pending, struct tlsm **out);
int tlsm_add(struct tlsm *m, struct tls_fetch *f, eng_done_cb cb, void *arg);
void tlsm_close(struct tlsm *m);

#endif
