/* The live line on a terminal while a diagnosis waits (progress.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "core/dnsmsg.h"
#include "diag/diag.h"
#include "diag/progress.h"
#include "engine/engine.h"
#include "report/sanitize.h"

#define PROGRESS_EVERY_MS 300  /* a redraw */
#define PROGRESS_AFTER_MS 1000 /* nothing sooner: most runs end by then */
/* A server with a query unanswered this long is "silent" (an answer over
 * the Internet takes a few hundred milliseconds at most). */
#define PROGRESS_SILENT_MS 500
#define PROGRESS_NAMED	   2 /* silent servers named; the rest counted */

/* A silent server: its address and its oldest query still unanswered. */
struct silent {
	struct sockaddr_storage addr;
	uint32_t age_ms;
};

/* A server's name read off a referral's glue or an address look-up:
 * kept, since finding it parses answers. */
struct known {
	struct sockaddr_storage addr;
	char *name;
};

struct diag_progress {
	struct diag *d;
	struct engine *eng;
	FILE *out;
	int cols;
	uint64_t t0_ms, q0;
	bool drawn;
	size_t in_flight;
	struct silent *s; /* this tick's silent queries, then servers */
	size_t n, cap;
	struct known *k; /* a handful: only servers once named on the line */
	size_t n_k, cap_k;
};

static void collect(void *arg, const struct eng_query_info *q)
{
	struct diag_progress *p = arg;
	if (!q->sent || q->age_ms < PROGRESS_SILENT_MS)
		return;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct silent *s = realloc(p->s, cap * sizeof(*s));
		if (!s)
			return; /* a line with fewer names */
		p->s = s;
		p->cap = cap;
	}
	p->s[p->n].addr = *q->addr;
	p->s[p->n++].age_ms = q->age_ms;
}

/* The address bytes of SA and their length. */
static const void *addr_bytes(const struct sockaddr_storage *sa, size_t *len)
{
	if (sa->ss_family == AF_INET6) {
		*len = sizeof(struct in6_addr);
		return &((const struct sockaddr_in6 *)sa)->sin6_addr;
	}
	*len = sizeof(struct in_addr);
	return &((const struct sockaddr_in *)sa)->sin_addr;
}

static int addr_cmp(const struct sockaddr_storage *a,
		    const struct sockaddr_storage *b)
{
	size_t la, lb;
	const void *ba = addr_bytes(a, &la), *bb = addr_bytes(b, &lb);
	if (a->ss_family != b->ss_family)
		return a->ss_family < b->ss_family ? -1 : 1;
	return memcmp(ba, bb, la < lb ? la : lb);
}

/* By address, the oldest query first. */
static int by_addr(const void *x, const void *y)
{
	const struct silent *a = x, *b = y;
	int c = addr_cmp(&a->addr, &b->addr);
	if (c)
		return c;
	return a->age_ms > b->age_ms ? -1 : a->age_ms < b->age_ms;
}

/* The longest silent first; ties by address, so the line is steady. */
static int by_age(const void *x, const void *y)
{
	const struct silent *a = x, *b = y;
	if (a->age_ms != b->age_ms)
		return a->age_ms > b->age_ms ? -1 : 1;
	return addr_cmp(&a->addr, &b->addr);
}

/* This tick's silent queries into one entry per server, longest silent
 * first. */
static void fold(struct diag_progress *p)
{
	size_t k = 0;
	qsort(p->s, p->n, sizeof(p->s[0]), by_addr);
	for (size_t i = 0; i < p->n; i++)
		if (k == 0 || addr_cmp(&p->s[k - 1].addr, &p->s[i].addr))
			p->s[k++] = p->s[i];
	p->n = k;
	qsort(p->s, p->n, sizeof(p->s[0]), by_age);
}

/* The name the evidence so far gives ADDR (a server asked, a root hint),
 * or NULL. */
static const char *name_asked(const struct evidence *ev, const char *addr)
{
	for (size_t i = ev->n_ex; i-- > 0;) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->server && x->server[0] && x->addr &&
		    strcmp(x->addr, addr) == 0)
			return x->server;
	}
	/* "NAME ADDR" */
	for (size_t i = 0; i < ev->root_hints.n; i++) {
		const char *h = ev->root_hints.v[i], *sp = strchr(h, ' ');
		if (sp && sp > h && strcmp(sp + 1, addr) == 0)
			return h;
	}
	return NULL;
}

/* The owner of an A or AAAA record for SA in PKT's answer or additional
 * section (glue, an address look-up) into BUF; 0 or -1. */
static int owner_of(const ldns_pkt *pkt, const struct sockaddr_storage *sa,
		    char *buf, size_t len)
{
	size_t alen;
	const void *a = addr_bytes(sa, &alen);
	ldns_rr_type want = sa->ss_family == AF_INET6 ? LDNS_RR_TYPE_AAAA
						      : LDNS_RR_TYPE_A;
	const ldns_rr_list *lists[] = { ldns_pkt_answer(pkt),
					ldns_pkt_additional(pkt) };
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < ldns_rr_list_rr_count(lists[l]); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(lists[l], i);
			const ldns_rdf *rd = ldns_rr_rdf(rr, 0);
			if (ldns_rr_get_type(rr) == want && rd &&
			    ldns_rdf_size(rd) == alen &&
			    memcmp(ldns_rdf_data(rd), a, alen) == 0)
				return dmsg_name_to(ldns_rr_owner(rr), buf,
						    len);
		}
	return -1;
}

/* The name of a server not asked yet, from the answers that gave its
 * address; kept in P. NULL when none did (or on ENOMEM). */
static const char *name_given(struct diag_progress *p,
			      const struct sockaddr_storage *sa)
{
	for (size_t i = 0; i < p->n_k; i++)
		if (addr_cmp(&p->k[i].addr, sa) == 0)
			return p->k[i].name;
	const struct evidence *ev = p->d->ev;
	char name[DMSG_NAME_MAX];
	bool found = false;
	for (size_t i = ev->n_ex; !found && i-- > 0;) {
		const struct ev_exchange *x = &ev->ex[i];
		if (!x->wire || x->status != QS_OK)
			continue;
		ldns_pkt *pkt = dmsg_parse(x->wire, x->wire_len);
		found = pkt && owner_of(pkt, sa, name, sizeof(name)) == 0;
		ldns_pkt_free(pkt);
	}
	if (!found)
		return NULL;
	if (p->n_k == p->cap_k) {
		size_t cap = p->cap_k ? p->cap_k * 2 : 4;
		struct known *k = realloc(p->k, cap * sizeof(*k));
		if (!k)
			return NULL;
		p->k = k;
		p->cap_k = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return NULL;
	p->k[p->n_k++] = (struct known){ .addr = *sa, .name = copy };
	return copy;
}

/* Writes name NAME up to its last dot or a space (a root hint's address
 * follows one), made safe. */
static void put_name(const char *name, FILE *f)
{
	size_t n = strcspn(name, " ");
	if (n > 1 && name[n - 1] == '.')
		n--;
	char *copy = strndup(name, n);
	if (copy)
		fputs_safe(copy, f);
	free(copy);
}

static void put_server(struct diag_progress *p, const struct silent *s,
		       bool names, FILE *f)
{
	char addr[INET6_ADDRSTRLEN];
	const char *name = NULL;
	if (eng_addr_text(&s->addr, addr, sizeof(addr)) < 0)
		snprintf(addr, sizeof(addr), "?");
	else if (names && p->d->ev && !(name = name_asked(p->d->ev, addr)))
		name = name_given(p, &s->addr);
	if (!name) {
		fputs(addr, f);
		return;
	}
	put_name(name, f);
	fprintf(f, " (%s)", addr);
}

/* The line, NUL-terminated, in a new buffer of *LEN bytes, with the
 * silent servers' NAMES or only their addresses; NULL on ENOMEM.
 * Everything a server or the user wrote goes through fputs_safe: the line
 * is printable ASCII, a byte a column. */
static char *line(struct diag_progress *p, uint64_t now, bool names,
		  size_t *len)
{
	const struct diag *d = p->d;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	fprintf(f, "%s ", d->kind->progress);
	const char *what = d->ev && d->ev->domain ? d->ev->domain
			   : d->req->n_args	  ? d->req->args[0]
						  : "";
	put_name(what, f);
	fprintf(f, ": %.1f s, %llu queries", (double)(now - p->t0_ms) / 1000,
		(unsigned long long)(p->eng->ops->sent(p->eng->impl) - p->q0));
	if (p->in_flight)
		fprintf(f, ", %zu unanswered", p->in_flight);
	size_t named = p->n < PROGRESS_NAMED ? p->n : PROGRESS_NAMED;
	for (size_t i = 0; i < named; i++) {
		fputs(i == 0	      ? "; waiting on "
		      : i + 1 == p->n ? " and "
				      : ", ",
		      f);
		put_server(p, &p->s[i], names, f);
	}
	if (p->n > named)
		fprintf(f, " and %zu more", p->n - named);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void on_tick(void *arg)
{
	struct diag_progress *p = arg;
	uint64_t now = p->eng->ops->now_ms(p->eng->impl);
	if (now - p->t0_ms < PROGRESS_AFTER_MS)
		return;
	p->n = 0;
	p->in_flight = eng_queries(p->eng, collect, p);
	fold(p);
	/* Never as wide as the terminal: a line that fills the last column
	 * wraps on some, and \r would then redraw only its second half. A
	 * line too long loses the servers' names first, then its end. */
	size_t len, room = (size_t)p->cols - 1;
	char *text = line(p, now, true, &len);
	if (text && len > room && p->n) {
		free(text);
		text = line(p, now, false, &len);
	}
	if (!text)
		return;
	if (len > room)
		len = room;
	fputs("\r\033[K", p->out);
	fwrite(text, 1, len, p->out);
	fflush(p->out);
	p->drawn = true;
	free(text);
}

struct diag_progress *diag_progress_start(struct diag *d, struct engine *eng,
					  int cols, FILE *out)
{
	struct diag_progress *p = calloc(1, sizeof(*p));
	if (!p || cols < 2 || !d->kind || !d->kind->progress)
		goto fail;
	*p = (struct diag_progress){
		.d = d,
		.eng = eng,
		.out = out,
		.cols = cols,
		.t0_ms = eng->ops->now_ms(eng->impl),
		.q0 = eng->ops->sent(eng->impl),
	};
	if (eng_tick(eng, PROGRESS_EVERY_MS, on_tick, p) < 0)
		goto fail;
	return p;
fail:
	free(p);
	return NULL;
}

void diag_progress_stop(struct diag_progress *p)
{
	if (!p)
		return;
	eng_tick(p->eng, 0, NULL, NULL);
	if (p->drawn) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	for (size_t i = 0; i < p->n_k; i++)
		free(p->k[i].name);
	free(p->k);
	free(p->s);
	free(p);
}
