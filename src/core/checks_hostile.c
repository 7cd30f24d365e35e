/* Checks for servers that answer, but wrongly: garbage instead of a
 * response, FORMERR to EDNS, TCP that accepts and then stalls. Each is named
 * for what it does, so that such a server is not reported as unreachable
 * (see addr_no_answer in checks_delegation.c). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/checks.h"

/* The questions of one address, with the words a summary uses for them. */
static const struct {
	const char *what;
	size_t off;
} questions[] = {
	{ "SOA over UDP", offsetof(struct view_addr, soa_udp) },
	{ "SOA over TCP", offsetof(struct view_addr, soa_tcp) },
	{ "NS over UDP", offsetof(struct view_addr, ns_udp) },
};

static const struct view_probe *question(const struct view_addr *a, size_t i)
{
	return (const struct view_probe *)((const char *)a + questions[i].off);
}

static bool had_status(const struct view_addr *a, int status)
{
	for (size_t i = 0; i < sizeof(questions) / sizeof(questions[0]); i++)
		if (question(a, i)->asked && question(a, i)->status == status)
			return true;
	return false;
}

static bool addr_malformed(const struct view_addr *a)
{
	return had_status(a, QS_MALFORMED);
}

/* An address that drops only queries with DO is NS_DROPS_DO's. */
static bool addr_stalled(const struct view_addr *a)
{
	return had_status(a, QS_TCP_STALLED) && !view_addr_drops_do(a);
}

/* "127.0.0.1 (SOA over UDP, SOA over TCP), ...": the addresses of S that
 * PICK selects and the questions that ended in STATUS; JSON in *EV. */
static char *describe(const struct view_server *s,
		      bool (*pick)(const struct view_addr *), int status,
		      json_t **ev)
{
	char *out = NULL;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&out, &len);
	json_t *arr = json_array();

	if (!f || !arr) {
		if (f && fclose(f) == 0)
			free(out);
		json_decref(arr);
		return NULL;
	}
	for (size_t i = 0; i < s->n_addrs; i++) {
		const struct view_addr *a = &s->addrs[i];
		json_t *qs;
		if (!pick(a))
			continue;
		qs = json_array();
		fprintf(f, "%s%s (", n++ ? ", " : "", a->addr);
		for (size_t k = 0, m = 0;
		     k < sizeof(questions) / sizeof(questions[0]); k++) {
			if (!question(a, k)->asked ||
			    question(a, k)->status != status)
				continue;
			fprintf(f, "%s%s", m++ ? ", " : "", questions[k].what);
			json_array_append_new(qs,
					      json_string(questions[k].what));
		}
		fputc(')', f);
		json_array_append_new(arr, json_pack("{s:s, s:o}", "address",
						     a->addr, "questions", qs));
	}
	if (fclose(f) != 0) {
		json_decref(arr);
		free(out);
		return NULL;
	}
	*ev = arr;
	return out;
}

int check_malformed(const struct view *v, time_t now, struct findings *out)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		json_t *ev = NULL;
		if (!view_server_any(s, addr_malformed))
			continue;
		char *d = describe(s, addr_malformed, QS_MALFORMED, &ev);
		if (!d)
			return -ENOMEM;
		int rc = findings_add(out, F_NS_MALFORMED_RESPONSE,
				      json_pack("{s:s, s:o}", "server", s->name,
						"addresses", ev),
				      "Find what answers on this address (a "
				      "broken or overloaded server, a "
				      "middlebox that rewrites DNS) and fix or "
				      "replace it; until then remove the "
				      "server from the zone's NS records and "
				      "the delegation.",
				      "%s answers, but never with a usable "
				      "response: its replies carry another ID "
				      "or question, cannot be parsed, or are "
				      "not DNS at all: %s.",
				      s->name, d);
		free(d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int check_edns(const struct view *v, time_t now, struct findings *out)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		struct strset addrs;
		int rc = 0;
		strset_init(&addrs);
		for (size_t j = 0; rc == 0 && j < s->n_addrs; j++)
			if (view_addr_edns_intolerant(&s->addrs[j]))
				rc = strset_add(&addrs, s->addrs[j].addr);
		char *d = rc == 0 && addrs.n ? join_names(&addrs) : NULL;
		if (rc == 0 && addrs.n && !d)
			rc = -ENOMEM;
		if (d)
			rc = findings_add(out, F_NS_EDNS_INTOLERANT,
					  json_pack("{s:s, s:o}", "server",
						    s->name, "addresses",
						    json_strset(&addrs)),
					  "Upgrade the name server software, "
					  "or fix the firewall or load "
					  "balancer in front of it, so that "
					  "queries with EDNS (an OPT record) "
					  "are answered; resolvers no longer "
					  "retry without EDNS.",
					  "%s answers FORMERR or NOTIMP to a "
					  "query with EDNS and answers only "
					  "without it (%s); current resolvers "
					  "treat it as broken.",
					  s->name, d);
		free(d);
		strset_deinit(&addrs);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int check_tcp_stalled(const struct view *v, time_t now, struct findings *out)
{
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		json_t *ev = NULL;
		if (!view_server_any(s, addr_stalled))
			continue;
		char *d = describe(s, addr_stalled, QS_TCP_STALLED, &ev);
		if (!d)
			return -ENOMEM;
		int rc = findings_add(out, F_NS_TCP_STALLED,
				      json_pack("{s:s, s:o}", "server", s->name,
						"addresses", ev),
				      "Make the server answer over TCP: check "
				      "its connection limits and TCP timeouts, "
				      "and any firewall or load balancer that "
				      "accepts connections on its behalf; a "
				      "server that truncates over UDP must "
				      "answer the same question over TCP.",
				      "%s accepts TCP connections but no whole "
				      "answer arrives before the timeout: %s.",
				      s->name, d);
		free(d);
		if (rc < 0)
			return rc;
	}
	return 0;
}
