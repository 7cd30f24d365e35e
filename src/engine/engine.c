/* What every engine implementation shares: configuration, freeing, draining
 * and address text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "core/evidence.h"
#include "core/wire.h"
#include "engine/anscache.h"
#include "engine/engine.h"

/* wire_build_query takes the engine's flags as they are. */
_Static_assert(ENG_F_RD == EV_QF_RD && ENG_F_EDNS == EV_QF_EDNS &&
		       ENG_F_DO == EV_QF_DO && ENG_F_CD == EV_QF_CD &&
		       ENG_F_EDNS_V1 == EV_QF_EDNS_V1 &&
		       ENG_F_EDNS_OPT == EV_QF_EDNS_OPT &&
		       ENG_F_EDNS_FLAG == EV_QF_EDNS_FLAG &&
		       ENG_F_CASE == EV_QF_CASE,
	       "ENG_F_* and EV_QF_* must agree");
_Static_assert(ENG_F_RD == WIRE_QF_RD && ENG_F_EDNS == WIRE_QF_EDNS &&
		       ENG_F_DO == WIRE_QF_DO && ENG_F_CD == WIRE_QF_CD &&
		       ENG_F_EDNS_V1 == WIRE_QF_EDNS_V1 &&
		       ENG_F_EDNS_OPT == WIRE_QF_EDNS_OPT &&
		       ENG_F_EDNS_FLAG == WIRE_QF_EDNS_FLAG &&
		       ENG_F_CASE == WIRE_QF_CASE,
	       "ENG_F_* and WIRE_QF_* must agree");

void eng_config_default(struct eng_config *cfg)
{
	cfg->attempt_ms = 800;
	cfg->udp_attempts = 3;
	cfg->tcp_ms = 3000;
	cfg->per_server_cap = 8;
	cfg->family = 0;
	cfg->rate_mqps = 0;
	cfg->per_server_mqps = 0;
}

void engine_free(struct engine *eng)
{
	if (!eng)
		return;
	/* The implementation holds the engine: read the cache first, free it
	 * after, once no callback can reach it. */
	struct anscache *answers = eng->answers;
	eng->ops->free(eng->impl);
	anscache_free(answers);
}

int eng_submit_shared(struct engine *e, const struct eng_request *r, eng_cb cb,
		      void *arg)
{
	if (e->answers)
		return anscache_submit(e, r, cb, arg);
	struct eng_request plain = *r;
	plain.flags &= ~(unsigned)ENG_F_SHARED;
	return e->ops->submit(e->impl, &plain, cb, arg);
}

void eng_drain(struct engine *e)
{
	while (e->ops->pending(e->impl) > 0)
		eng_step(e);
}

void eng_count_down(void *arg)
{
	size_t *left = arg;
	(*left)--;
}

void eng_run_until_zero(struct engine *e, const size_t *left)
{
	while (*left > 0)
		eng_step(e);
}

int eng_addr_parse(struct eng_request *req, const char *addr, uint16_t port)
{
	struct sockaddr_in *s4;
	struct sockaddr_in6 *s6;
	char host[INET6_ADDRSTRLEN + 1];
	const char *hash;

	if (!req || !addr)
		return -EINVAL;
	/* "ADDR#PORT" (dig's notation, how resolvers are written here)
	 * overrides PORT. */
	if ((hash = strchr(addr, '#'))) {
		char *end = NULL;
		long p = strtol(hash + 1, &end, 10);
		if ((size_t)(hash - addr) >= sizeof(host) || !hash[1] || *end ||
		    p < 1 || p > 65535)
			return -EINVAL;
		memcpy(host, addr, (size_t)(hash - addr));
		host[hash - addr] = '\0';
		addr = host;
		port = (uint16_t)p;
	}
	s4 = (struct sockaddr_in *)&req->addr;
	s6 = (struct sockaddr_in6 *)&req->addr;
	memset(&req->addr, 0, sizeof(req->addr));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		req->addrlen = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		req->addrlen = sizeof(*s6);
		return 0;
	}
	req->addrlen = 0;
	return -EINVAL;
}

int eng_addr_text(const struct sockaddr_storage *sa, char *buf, size_t len)
{
	const void *a;

	if (!sa || !buf || len == 0 || len > (socklen_t)-1 >> 1)
		return -EINVAL;
	if (sa->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	else
		return -EINVAL;
	if (!inet_ntop(sa->ss_family, a, buf, (socklen_t)len))
		return -EINVAL;
	return 0;
}
