#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/addrclass.h"
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/view.h"
#include "core/wire.h"
#include "probe/probe.h"
#include "probe/probe_rdap.h"
#include "core/array.h"
#include "probe/probe_internal.h"

#define MAX_DEPTH	   32 /* levels of a walk */
#define MAX_NESTING	   4  /* name server lookups needed by lookups */
#define MAX_RESOLVE_ROUNDS 64 /* shared by the lookups a batch takes on */
#define MAX_CNAME_HOPS	   8
#define MAX_AUTH_PASSES	   3

/* --- rounds and slots --- */

struct round *round_new(struct probe *p)
{
	if (ARRAY_RESERVE(p->rounds, p->cap_rounds, p->n_rounds + 1) < 0)
		return NULL;
	struct round *r = calloc(1, sizeof(*r));
	if (r)
		p->rounds[p->n_rounds++] = r;
	return r;
}

static void slot_free(struct slot *s)
{
	free(s->zone);
	free(s->server);
	free(s->addr);
	free(s->qname);
	free(s->wire);
	ldns_pkt_free(s->pkt);
	free(s);
}

static void on_result(void *arg, const struct eng_request *req,
		      const struct eng_response *resp)
{
	struct slot *s = arg;
	struct probe *p = s->p;

	s->done = true;
	s->status = resp->status;
	s->r->pending--;
	p->in_flight--;
	if (s->role == EV_BEHAVIOUR) {
		/* A server that drops an odd question is not down: later
		 * passes still ask it everything else. */
		p->answers += resp->status == QS_OK;
	} else if (resp->status == QS_OK || resp->status == QS_TCP_TRUNCATED) {
		p->answers++;
		strset_add(&p->alive, s->addr);
	} else if (resp->status == QS_TIMEOUT ||
		   resp->status == QS_UNREACHABLE ||
		   resp->status == QS_MALFORMED ||
		   resp->status == QS_TCP_STALLED) {
		/* Nothing usable came back: later passes skip the address
		 * rather than wait out the same failure again. */
		strset_add(&p->dead, s->addr);
	}
	if (resp->wire && resp->len) {
		s->wire = malloc(resp->len);
		if (s->wire) {
			memcpy(s->wire, resp->wire, resp->len);
			s->len = resp->len;
		}
	}
	struct ev_exchange x = {
		.role = s->role,
		.transport = s->transport,
		.status = resp->status == QS_TCP_TRUNCATED ? QS_OK
							   : resp->status,
		.qtype = s->qtype,
		.qflags = s->flags & EV_QF_MASK,
		.rtt_ms = resp->rtt_ms,
		.cached = resp->from_cache,
		.zone = s->zone,
		.server = s->server,
		.addr = s->addr,
		.qname = s->qname,
		.wire = s->wire,
		.wire_len = s->len,
	};
	if (x.status == QS_OK && !s->wire)
		x.status = QS_MALFORMED;
	size_t held = p->ev->n_ex;
	if (evidence_add(p->ev, &x) < 0)
		p->nomem = 1;
	else if (p->ev->n_ex > held)
		s->ex = held;
}

/* S's answer parsed, or NULL: only a plain answer (QS_OK) is read. */
static const ldns_pkt *slot_pkt(struct slot *s)
{
	if (s->status != QS_OK)
		return NULL;
	if (s->ex != SIZE_MAX)
		return evidence_pkt(s->p->ev, s->ex);
	if (!s->pkt_parsed) {
		s->pkt = dmsg_parse(s->wire, s->len);
		s->pkt_parsed = true;
	}
	return s->pkt;
}

static bool family_ok(const struct probe *p, const char *addr)
{
	bool v6 = strchr(addr, ':') != NULL;
	return p->cfg->family == 0 || (p->cfg->family == 6) == v6;
}

bool probe_refuses(struct evidence *ev, const struct strset *allowed, int use,
		   const char *zone, const char *name, const char *addr,
		   int *nomem)
{
	struct addr_class c;
	if (!ev->refuse_private || (allowed && strset_has(allowed, addr)) ||
	    !addr_class_text(addr, &c))
		return false;
	if (evidence_add_refused(ev, use, zone, name, addr) < 0)
		*nomem = 1;
	return true;
}

struct slot *ask(struct probe *p, struct round *r, int role, const char *zone,
		 const char *server, const char *addr, const char *qname,
		 uint16_t qtype, unsigned flags)
{
	struct eng_request req = { .qname = qname,
				   .qtype = qtype,
				   .flags = ENG_F_EDNS | flags };
	int transport = flags & ENG_F_TCP ? TR_TCP : TR_UDP;
	if (role == EV_AUTH_NOEDNS) /* the one question asked without EDNS */
		req.flags &= ~(unsigned)(ENG_F_EDNS | ENG_F_DO);
	if (!family_ok(p, addr) ||
	    probe_refuses(p->ev, &p->given, EV_USE_DNS, zone, server, addr,
			  &p->nomem) ||
	    eng_addr_parse(&req, addr, 53) < 0)
		return NULL;
	struct slot *s = NULL;
	if (ARRAY_RESERVE(r->v, r->cap, r->n + 1) < 0 ||
	    !(s = calloc(1, sizeof(*s))))
		goto nomem;
	*s = (struct slot){ .p = p,
			    .r = r,
			    .role = role,
			    .transport = transport,
			    .qtype = qtype,
			    .flags = req.flags,
			    .zone = strdup(zone),
			    .server = strdup(server),
			    .addr = strdup(addr),
			    .qname = strdup(qname),
			    .ex = SIZE_MAX };
	if (!s->zone || !s->server || !s->addr || !s->qname)
		goto nomem;
	if (eng_submit(p->eng, &req, on_result, s) < 0)
		goto nomem;
	r->v[r->n++] = s;
	r->pending++;
	p->in_flight++;
	return s;
nomem:
	if (s)
		slot_free(s);
	p->nomem = 1;
	return NULL;
}

void round_wait(struct probe *p, struct round *r)
{
	while (r->pending > 0)
		eng_step(p->eng);
}

bool probe_dead(const struct probe *p, const char *addr)
{
	return strset_has(&p->dead, addr) && !strset_has(&p->alive, addr);
}

void ask_once(struct probe *p, struct round *r, int role, const char *zone,
	      const char *server, const char *addr, const char *qname,
	      uint16_t qtype, unsigned flags)
{
	char key[2 * VIEW_NAME_MAX + 64];
	if (probe_dead(p, addr))
		return;
	snprintf(key, sizeof(key), "%d %s %s %u", role, addr, qname, qtype);
	if (strset_has(&p->asked_once, key))
		return;
	if (strset_add(&p->asked_once, key) < 0) {
		p->nomem = 1;
		return;
	}
	ask(p, r, role, zone, server, addr, qname, qtype, flags);
}

/* --- what the probe has learnt: zone cuts and host addresses --- */

static struct host *host_get(struct probe *p, const char *name, bool create)
{
	for (size_t i = 0; i < p->n_hosts; i++)
		if (strcmp(p->hosts[i].name, name) == 0)
			return &p->hosts[i];
	if (!create)
		return NULL;
	if (ARRAY_RESERVE(p->hosts, p->cap_hosts, p->n_hosts + 1) < 0)
		return NULL;
	struct host *h = &p->hosts[p->n_hosts];
	strset_init(&h->addrs);
	h->name = strdup(name);
	if (!h->name)
		return NULL;
	p->n_hosts++;
	return h;
}

static struct cut *cut_get(struct probe *p, const char *zone)
{
	for (size_t i = 0; i < p->n_cuts; i++)
		if (strcmp(p->cuts[i].zone, zone) == 0)
			return &p->cuts[i];
	if (ARRAY_RESERVE(p->cuts, p->cap_cuts, p->n_cuts + 1) < 0)
		return NULL;
	struct cut *c = &p->cuts[p->n_cuts];
	memset(c, 0, sizeof(*c));
	strset_init(&c->glueless);
	c->zone = strdup(zone);
	if (!c->zone)
		return NULL;
	p->n_cuts++;
	return c;
}

static int cut_add(struct cut *c, const char *name, const char *addr)
{
	return hints_has(&c->srv, name, addr) ? 0
					      : hints_add(&c->srv, name, addr);
}

/* Learns the cut CUT from a referral PKT: its NS names and glue. */
static int cut_learn(struct probe *p, const char *cut, const ldns_pkt *pkt)
{
	struct cut *c = cut_get(p, cut);
	struct strset ns, glue;
	int rc = 0;
	if (!c)
		return -ENOMEM;
	strset_init(&ns);
	dmsg_targets(pkt, LDNS_SECTION_AUTHORITY, cut, LDNS_RR_TYPE_NS, &ns);
	for (size_t i = 0; rc == 0 && i < ns.n; i++) {
		strset_init(&glue);
		/* Glue is only believed for names inside the cut's parent
		 * bailiwick; anything else could poison the walk. */
		dmsg_addrs(pkt, LDNS_SECTION_ADDITIONAL, ns.v[i], &glue);
		for (size_t j = 0; rc == 0 && j < glue.n; j++)
			rc = cut_add(c, ns.v[i], glue.v[j]);
		if (rc == 0 && glue.n == 0)
			rc = strset_add(&c->glueless, ns.v[i]);
		strset_deinit(&glue);
	}
	strset_deinit(&ns);
	return rc;
}

/* Index of the deepest known cut above NAME; the root's cut always is.
 * An index, because learning a cut moves the array. */
static long deepest_cut(struct probe *p, const char *name)
{
	long best = -1;
	for (size_t i = 0; i < p->n_cuts; i++)
		if (dname_in(name, p->cuts[i].zone) &&
		    (best < 0 || dname_labels(p->cuts[i].zone) >
					 dname_labels(p->cuts[best].zone)))
			best = (long)i;
	return best;
}

/* The I-th address of C worth trying: those that answered before first,
 * then the unknown, then those that failed. NULL past the end. */
static const struct hint *cut_pick(struct probe *p, const struct cut *c, int i)
{
	for (int pass = 0; pass < 3; pass++)
		for (size_t k = 0; k < c->srv.n; k++) {
			const struct hint *h = &c->srv.v[k];
			bool alive = strset_has(&p->alive, h->addr);
			bool dead = strset_has(&p->dead, h->addr);
			int rank = alive ? 0 : dead ? 2 : 1;
			if (rank != pass || !family_ok(p, h->addr))
				continue;
			if (i-- == 0)
				return h;
		}
	return NULL;
}

/* --- looking up name server addresses --- */

struct task {
	char name[VIEW_NAME_MAX];
	char orig[VIEW_NAME_MAX];
	uint16_t qtype;
	long cut; /* index into probe.cuts, -1 until chosen */
	int tried, hops;
	bool done;
	bool cut_only; /* done at the first server that answers without a
			  referral */
	struct slot *s;
};

static int resolve_names(struct probe *p, const struct strset *names);
static void run_batch(struct probe *p, struct task **batch, size_t *count);

/* Adds to C the addresses found so far for its glueless servers. */
static void cut_refresh(struct probe *p, struct cut *c)
{
	for (size_t i = 0; i < c->glueless.n; i++) {
		struct host *h = host_get(p, c->glueless.v[i], false);
		for (size_t j = 0; h && j < h->addrs.n; j++)
			if (cut_add(c, c->glueless.v[i], h->addrs.v[j]) < 0)
				p->nomem = 1;
	}
}

static void cut_complete(struct probe *p, struct cut *c)
{
	if (c->glueless_looked_up || c->glueless.n == 0)
		return;
	c->glueless_looked_up = true;
	char *zone = strdup(c->zone);
	struct strset names;
	strset_init(&names);
	if (!zone || strset_add_all(&names, &c->glueless) < 0) {
		p->nomem = 1;
		goto out;
	}
	resolve_names(p, &names);
	/* resolve_names may have grown p->cuts; find the cut again. */
	c = cut_get(p, zone);
	if (c)
		cut_refresh(p, c);
out:
	free(zone);
	strset_deinit(&names);
}

static void task_answer(struct probe *p, struct task *t, const ldns_pkt *pkt)
{
	struct strset addrs, cname;
	strset_init(&addrs);
	strset_init(&cname);
	dmsg_addrs(pkt, LDNS_SECTION_ANSWER, t->name, &addrs);
	dmsg_targets(pkt, LDNS_SECTION_ANSWER, t->name, LDNS_RR_TYPE_CNAME,
		     &cname);
	if (addrs.n == 0 && cname.n && t->hops < MAX_CNAME_HOPS &&
	    strlen(cname.v[0]) < sizeof(t->name)) {
		/* Follow the alias from the top, as a resolver would. */
		snprintf(t->name, sizeof(t->name), "%s", cname.v[0]);
		t->hops++;
		t->tried = 0;
		t->cut = -1;
	} else {
		struct host *h = host_get(p, t->orig, true);
		if (!h || strset_add_all(&h->addrs, &addrs) < 0)
			p->nomem = 1;
		t->done = true;
	}
	strset_deinit(&addrs);
	strset_deinit(&cname);
}

static void task_result(struct probe *p, struct task *t)
{
	struct slot *s = t->s;
	char cut[VIEW_NAME_MAX];
	const ldns_pkt *pkt = slot_pkt(s);
	t->s = NULL;
	if (!pkt) {
		t->tried++;
		return;
	}
	switch (dmsg_classify(pkt, t->name, t->qtype, cut, sizeof(cut))) {
	case RK_ANSWER:
		if (t->cut_only)
			t->done = true;
		else
			task_answer(p, t, pkt);
		break;
	case RK_NXDOMAIN:
	case RK_NODATA:
		t->done = true;
		break;
	case RK_REFERRAL:
		if (dname_labels(cut) > dname_labels(s->zone) &&
		    dname_in(cut, s->zone)) {
			if (cut_learn(p, cut, pkt) < 0)
				p->nomem = 1;
			t->cut = -1;
			t->tried = 0;
			break;
		}
		t->tried++;
		break;
	default:
		t->tried++;
	}
}

static int tasks_add(struct task **v, size_t *n, const char *name,
		     uint16_t qtype)
{
	struct task *t = realloc(*v, (*n + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	*v = t;
	memset(&t[*n], 0, sizeof(t[*n]));
	snprintf(t[*n].name, sizeof(t[*n].name), "%s", name);
	snprintf(t[*n].orig, sizeof(t[*n].orig), "%s", name);
	t[*n].qtype = qtype;
	t[*n].cut = -1;
	(*n)++;
	return 0;
}

/* Adds the A and AAAA look-ups of NAMES not looked up before to a batch. */
static void batch_add(struct probe *p, const struct strset *names,
		      struct task **tasks, size_t *n)
{
	for (size_t i = 0; i < names->n; i++) {
		if (strset_has(&p->looked_up, names->v[i]))
			continue;
		if (strset_add(&p->looked_up, names->v[i]) < 0 ||
		    (p->cfg->family != 6 &&
		     tasks_add(tasks, n, names->v[i], LDNS_RR_TYPE_A) < 0) ||
		    (p->cfg->family != 4 &&
		     tasks_add(tasks, n, names->v[i], LDNS_RR_TYPE_AAAA) < 0))
			p->nomem = 1;
	}
}

/* Looks up the A and AAAA records of NAMES from the roots down, all names
 * in step, one server per name per round. A zone on the way whose servers
 * came without glue adds their names to the same batch rather than
 * looking them up first: the other names go on meanwhile, and a cut one
 * look-up learns serves the others in the next round. */
static int resolve_names(struct probe *p, const struct strset *names)
{
	struct task *tasks = NULL;
	size_t n = 0;

	if (p->nesting >= MAX_NESTING)
		return 0;
	p->nesting++;
	batch_add(p, names, &tasks, &n);
	run_batch(p, &tasks, &n);
	free(tasks);
	p->nesting--;
	return p->nomem ? -ENOMEM : 0;
}

/* Runs the tasks of a batch, all in step, one server per task per round,
 * until each is done or nothing more can be asked. */
static void run_batch(struct probe *p, struct task **batch, size_t *count)
{
	struct task *tasks = *batch;
	size_t n = *count;

	for (int round = 0; round < MAX_RESOLVE_ROUNDS && !p->nomem; round++) {
		struct round *r = round_new(p);
		if (!r) {
			p->nomem = 1;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			struct task *t = &tasks[i];
			if (t->done)
				continue;
			if (t->cut >= 0)
				cut_refresh(p, &p->cuts[t->cut]);
			if (t->cut < 0) {
				t->cut = deepest_cut(p, t->name);
				if (t->cut < 0) {
					t->done = true;
					continue;
				}
				struct cut *gc = &p->cuts[t->cut];
				if (!gc->glueless_looked_up && gc->glueless.n) {
					gc->glueless_looked_up = true;
					batch_add(p, &gc->glueless, &tasks, &n);
					t = &tasks[i]; /* batch_add moves the
							  tasks */
				}
				/* Names an earlier look-up already found. */
				cut_refresh(p, &p->cuts[t->cut]);
			}
			const struct cut *c = &p->cuts[t->cut];
			const struct hint *h = cut_pick(p, c, t->tried);
			if (!h && t->tried == 0 && c->glueless.n) {
				/* A name inside a zone whose servers all lack
				 * glue: another task of this batch is finding
				 * their addresses, or one of an outer batch. */
				continue;
			}
			if (!h) {
				t->done = true;
				continue;
			}
			t->s = ask(p, r, EV_RESOLVE, c->zone, h->name, h->addr,
				   t->name, t->qtype, 0);
			if (!t->s)
				t->tried++;
		}
		if (r->n == 0)
			break; /* nothing asked: the waiting wait in vain */
		round_wait(p, r);
		for (size_t i = 0; i < n; i++)
			if (tasks[i].s)
				task_result(p, &tasks[i]);
	}
	*batch = tasks;
	*count = n;
}

/* --- the walk from the roots --- */

/* The deepest downward referral among R's answers for QNAME, into CUT
 * (VIEW_NAME_MAX bytes). */
static bool best_referral(const struct round *r, const char *qname,
			  const char *zone, char *cut)
{
	int best = -1;
	for (size_t i = 0; i < r->n; i++) {
		struct slot *s = r->v[i];
		char c[VIEW_NAME_MAX];
		if (!s->done || s->status != QS_OK)
			continue;
		const ldns_pkt *pkt = slot_pkt(s);
		if (!pkt)
			continue;
		if (dmsg_classify(pkt, qname, s->qtype, c, sizeof(c)) ==
			    RK_REFERRAL &&
		    dname_labels(c) > dname_labels(zone) && dname_in(c, zone) &&
		    dname_labels(c) > best) {
			best = dname_labels(c);
			snprintf(cut, VIEW_NAME_MAX, "%s", c);
		}
	}
	return best >= 0;
}

static int learn_round(struct probe *p, const struct round *r,
		       const char *qname, const char *cut)
{
	for (size_t i = 0; i < r->n; i++) {
		struct slot *s = r->v[i];
		char c[VIEW_NAME_MAX];
		if (!s->done || s->status != QS_OK)
			continue;
		const ldns_pkt *pkt = slot_pkt(s);
		if (!pkt)
			continue;
		int rc = 0;
		if (dmsg_classify(pkt, qname, s->qtype, c, sizeof(c)) ==
			    RK_REFERRAL &&
		    strcmp(c, cut) == 0)
			rc = cut_learn(p, cut, pkt);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A "ZONE NAME ADDR" line of the evidence's cached_cuts into its parts;
 * false for anything but a TLD's (a file may say anything). */
static bool cached_cut(const char *line, char *zone, char *name, char *addr)
{
	return sscanf(line, "%255s %255s %63s", zone, name, addr) == 3 &&
	       zone[strlen(zone) - 1] == '.' && dname_labels(zone) == 1;
}

/* The root's cut, from the configured hints, and the TLD cuts earlier
 * diagnoses on the engine learnt (the evidence's cached_cuts). 0 or
 * -ENOMEM. */
static int seed_root(struct probe *p)
{
	struct cut *c = cut_get(p, ".");
	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < p->cfg->roots->n; i++)
		if (cut_add(c, p->cfg->roots->v[i].name,
			    p->cfg->roots->v[i].addr) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < p->ev->cached_cuts.n; i++) {
		char zone[256], name[256], addr[64];
		if (!cached_cut(p->ev->cached_cuts.v[i], zone, name, addr))
			continue;
		if (!(c = cut_get(p, zone)) || cut_add(c, name, addr) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Where a walk for QNAME starts: a cached TLD cut strictly above it, whose
 * servers are then asked about QNAME as they would be after the root's
 * referral; "." without one. */
static void walk_start(const struct probe *p, const char *qname, char *zone)
{
	snprintf(zone, VIEW_NAME_MAX, ".");
	for (size_t i = 0; i < p->ev->cached_cuts.n; i++) {
		char z[256], name[256], addr[64];
		if (cached_cut(p->ev->cached_cuts.v[i], z, name, addr) &&
		    dname_in(qname, z) && strcmp(qname, z) != 0)
			snprintf(zone, VIEW_NAME_MAX, "%s", z);
	}
}

/* Walks from the roots towards QNAME. With WAIT_ALL every server of every
 * level is waited for (trace); otherwise the walk moves on at the first
 * referral, but waits for every server of the parent of QNAME, whose
 * answers are the delegation under test. With DESCEND the servers of the
 * last zone are asked too. Without WAIT_ALL the walk starts at a cached
 * TLD cut above QNAME when the evidence holds one; when its servers give
 * no referral down (a name the TLD does not delegate, servers that do not
 * answer), it walks again from the root, so that the evidence holds what
 * a walk from the root would have found. */
static int walk(struct probe *p, const char *qname, uint16_t qtype,
		bool wait_all, bool descend)
{
	struct cut *c;
	if (seed_root(p) < 0)
		return -ENOMEM;
	char zone[VIEW_NAME_MAX] = ".", cut[VIEW_NAME_MAX];
	if (!wait_all)
		walk_start(p, qname, zone);
	bool from_cache = strcmp(zone, ".") != 0;
	for (int depth = 0; depth < MAX_DEPTH && !p->nomem; depth++) {
		c = cut_get(p, zone);
		if (!c)
			return -ENOMEM;
		cut_complete(p, c);
		c = cut_get(p, zone);
		struct round *r = round_new(p);
		if (!c || !r)
			return -ENOMEM;
		for (size_t i = 0; i < c->srv.n; i++)
			ask(p, r, EV_WALK, zone, c->srv.v[i].name,
			    c->srv.v[i].addr, qname, qtype, 0);
		while (r->pending > 0) {
			if (!wait_all && best_referral(r, qname, zone, cut) &&
			    strcmp(cut, qname) != 0)
				break;
			eng_step(p->eng);
		}
		if (r->n == 0 || !best_referral(r, qname, zone, cut)) {
			if (!from_cache)
				break;
			from_cache = false;
			snprintf(zone, sizeof(zone), ".");
			continue;
		}
		from_cache = false;
		if (learn_round(p, r, qname, cut) < 0)
			return -ENOMEM;
		bool last = strcmp(cut, qname) == 0;
		snprintf(zone, sizeof(zone), "%s", cut);
		if (last && !descend)
			break;
		if (last) {
			descend = false;
			wait_all = true;
		}
	}
	return p->nomem ? -ENOMEM : 0;
}

/* --- the authoritative view --- */

static void names_to_look_up(const struct view *v, struct strset *out)
{
	for (size_t i = 0; i < v->n_srv; i++)
		/* --ns: a name inside the zone has the address given (its
		 * glue); looking it up would ask the real delegation. */
		if (v->srv[i].resolve == RES_NONE &&
		    !(v->ev->what_if_ns.n && v->srv[i].in_bailiwick &&
		      v->srv[i].glue.n))
			strset_add(out, v->srv[i].name);
}

/* An address that answered the apex SOA with EDNS by FORMERR or NOTIMP is
 * asked the same once more without EDNS, so the checks can tell a server
 * that does not know EDNS from one that does not serve the zone. */
static void edns_fallback(struct probe *p, const struct round *done)
{
	struct round *r = round_new(p);

	if (!r) {
		p->nomem = 1;
		return;
	}
	for (size_t i = 0; i < done->n; i++) {
		const struct slot *s = done->v[i];
		int rc = s->status == QS_OK ? wire_rcode(s->wire, s->len) : -1;
		if (s->role != EV_AUTH || s->qtype != LDNS_RR_TYPE_SOA ||
		    s->transport != TR_UDP ||
		    (rc != LDNS_RCODE_FORMERR && rc != LDNS_RCODE_NOTIMPL))
			continue;
		ask(p, r, EV_AUTH_NOEDNS, s->zone, s->server, s->addr, s->qname,
		    LDNS_RR_TYPE_SOA, 0);
	}
	round_wait(p, r);
}

/* The name-server behaviour questions (EV_BEHAVIOUR). The plain one, the
 * apex SOA with EDNS but without DO (set against the apex questions, all
 * asked with DO), goes out with the apex questions; an address that
 * answers it is then asked the SOA with EDNS version 1, with an unknown
 * EDNS option, with an unknown EDNS flag, in mixed case, AXFR over TCP
 * (the engine keeps its first message), and the apex AAAA (Zonemaster's
 * Nameserver05: some filters drop AAAA questions). Those wait in P->behaviour
 * while the passes after the apex round run: a healthy server costs no round
 * trip, and a silent one only the plain question, not six waits behind
 * its cap of queries in flight. */
static void behaviour_follow(struct probe *p, const struct round *done)
{
	static const unsigned flags[] = { ENG_F_EDNS_V1, ENG_F_EDNS_OPT,
					  ENG_F_EDNS_FLAG, ENG_F_CASE };
	for (size_t i = 0; i < done->n; i++) {
		const struct slot *s = done->v[i];
		if (s->role != EV_BEHAVIOUR || s->qtype != LDNS_RR_TYPE_SOA ||
		    s->status != QS_OK)
			continue;
		if (!p->behaviour && !(p->behaviour = round_new(p))) {
			p->nomem = 1;
			return;
		}
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			ask(p, p->behaviour, EV_BEHAVIOUR, s->zone, s->server,
			    s->addr, s->qname, LDNS_RR_TYPE_SOA, flags[k]);
		ask(p, p->behaviour, EV_BEHAVIOUR, s->zone, s->server, s->addr,
		    s->qname, LDNS_RR_TYPE_AXFR, ENG_F_TCP);
		ask(p, p->behaviour, EV_BEHAVIOUR, s->zone, s->server, s->addr,
		    s->qname, LDNS_RR_TYPE_AAAA, 0);
	}
}

/* Asks every address of every server in the view that has not been asked
 * yet; with CHECK, the DNSSEC and validation questions the view allows go
 * in the same round, one round trip earlier than passes of their own.
 * Returns how many servers were new, or -ENOMEM. */
static int auth_pass(struct probe *p, struct strset *asked, bool check)
{
	struct view v;
	struct strset names;
	int rc, fresh = 0;

	strset_init(&names);
	if ((rc = view_build(p->ev, &v)) < 0)
		return rc;
	if (v.pstate != PS_DELEGATED)
		goto out;
	names_to_look_up(&v, &names);
	/* The view is built again only if the look-ups added to the
	 * evidence: from the second pass on they seldom do. */
	size_t held = p->ev->n_ex;
	if ((rc = resolve_names(p, &names)) < 0)
		goto out;
	if (p->ev->n_ex != held) {
		view_deinit(&v);
		if ((rc = view_build(p->ev, &v)) < 0)
			goto out_names;
	}
	struct round *r = round_new(p);
	if (!r) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < v.n_srv; i++) {
		const struct view_server *s = &v.srv[i];
		if (strset_has(asked, s->name))
			continue;
		if (strset_add(asked, s->name) < 0)
			p->nomem = 1;
		fresh++;
		for (size_t j = 0; j < s->n_addrs; j++) {
			const char *a = s->addrs[j].addr;
			/* DO, so that the answers carry their RRSIGs. */
			ask(p, r, EV_AUTH, v.zone, s->name, a, v.zone,
			    LDNS_RR_TYPE_SOA, ENG_F_DO);
			ask(p, r, EV_AUTH, v.zone, s->name, a, v.zone,
			    LDNS_RR_TYPE_SOA, ENG_F_DO | ENG_F_TCP);
			ask(p, r, EV_AUTH, v.zone, s->name, a, v.zone,
			    LDNS_RR_TYPE_NS, ENG_F_DO);
			/* Without DO: fleet asks it too (NS_DROPS_DO is
			 * an error, for one question an address). */
			if (check)
				ask(p, r, EV_BEHAVIOUR, v.zone, s->name, a,
				    v.zone, LDNS_RR_TYPE_SOA, 0);
		}
	}
	/* Only what --checks will judge is asked. */
	if (check && ((ev_area_on(p->ev, EV_AREA_DNSSEC) &&
		       probe_dnssec_ask(p, r, &v) < 0) ||
		      (ev_area_on(p->ev, EV_AREA_ACME | EV_AREA_CAA) &&
		       probe_validation_ask(p, r, &v) < 0)))
		p->nomem = 1;
	round_wait(p, r);
	edns_fallback(p, r);
	if (check && p->cfg->behaviour)
		behaviour_follow(p, r);
	rc = p->nomem ? -ENOMEM : fresh;
out:
	view_deinit(&v);
out_names:
	strset_deinit(&names);
	return rc;
}

/* --- set-up and the two entry points --- */

void probe_init(struct probe *p, struct engine *eng,
		const struct probe_config *cfg, struct evidence *ev)
{
	memset(p, 0, sizeof(*p));
	p->eng = eng;
	p->cfg = cfg;
	p->ev = ev;
	strset_init(&p->alive);
	strset_init(&p->dead);
	strset_init(&p->looked_up);
	strset_init(&p->asked_once);
	strset_init(&p->given);
	const struct hints *named[] = { cfg->roots, cfg->resolvers };
	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; named[i] && j < named[i]->n; j++)
			if (strset_add(&p->given, named[i]->v[j].addr) < 0)
				p->nomem = 1;
}

void probe_deinit(struct probe *p)
{
	/* Late answers still point into the rounds: let them land first. */
	while (p->in_flight > 0)
		eng_step(p->eng);
	for (size_t i = 0; i < p->n_rounds; i++) {
		for (size_t j = 0; j < p->rounds[i]->n; j++)
			slot_free(p->rounds[i]->v[j]);
		free(p->rounds[i]->v);
		free(p->rounds[i]);
	}
	free(p->rounds);
	for (size_t i = 0; i < p->n_cuts; i++) {
		free(p->cuts[i].zone);
		hints_deinit(&p->cuts[i].srv);
		strset_deinit(&p->cuts[i].glueless);
	}
	free(p->cuts);
	for (size_t i = 0; i < p->n_hosts; i++) {
		free(p->hosts[i].name);
		strset_deinit(&p->hosts[i].addrs);
	}
	free(p->hosts);
	strset_deinit(&p->alive);
	strset_deinit(&p->dead);
	strset_deinit(&p->looked_up);
	strset_deinit(&p->asked_once);
	strset_deinit(&p->given);
}

int probe_check(struct engine *eng, const struct probe_config *cfg,
		struct evidence *ev)
{
	struct probe p;
	struct strset asked;
	struct round *resolvers = NULL, *dnssec = NULL;
	struct probe_rdap rdap;
	int rc = 0;

	probe_init(&p, eng, cfg, ev);
	strset_init(&asked);
	if (cfg->rdap)
		rc = probe_rdap_start(&rdap, eng, cfg->rdap, ev);
	if (rc == 0)
		rc = walk(&p, ev->domain, LDNS_RR_TYPE_NS, false, false);
	if (rc == 0 && p.answers == 0)
		rc = -EHOSTUNREACH;
	/* The resolvers recurse on their own: their answers come in while
	 * the name servers are looked up and asked. */
	if (rc == 0 && cfg->resolvers && cfg->resolvers->n)
		rc = probe_resolver_ask(&p, cfg->resolvers, &resolvers);
	for (int pass = 0; rc == 0 && pass < MAX_AUTH_PASSES; pass++) {
		int fresh = auth_pass(&p, &asked, true);
		if (fresh <= 0) {
			rc = fresh < 0 ? fresh : 0;
			break;
		}
	}
	/* What the DNSSEC pass still asks (a signed zone's CDS and CDNSKEY,
	 * keys of zones found late) goes out beside the validation pass. */
	if (rc == 0 && ev_area_on(ev, EV_AREA_DNSSEC))
		rc = probe_dnssec_start(&p, &dnssec);
	if (rc == 0 && ev_area_on(ev, EV_AREA_ACME | EV_AREA_CAA))
		rc = probe_validation_pass(&p);
	if (rc == 0 && dnssec)
		round_wait(&p, dnssec);
	if (rc == 0 && resolvers)
		round_wait(&p, resolvers);
	if (rc == 0 && p.behaviour)
		round_wait(&p, p.behaviour);
	if (cfg->rdap) {
		/* Waited for whatever happened above: it points into RDAP. */
		int r2 = probe_rdap_finish(&rdap);
		rc = rc ? rc : r2;
		probe_rdap_deinit(&rdap);
	}
	strset_deinit(&asked);
	probe_deinit(&p);
	return rc;
}

int probe_trace(struct engine *eng, const struct probe_config *cfg,
		uint16_t qtype, struct evidence *ev)
{
	struct probe p;
	struct probe_rdap rdap;
	int rc = 0;
	probe_init(&p, eng, cfg, ev);
	if (cfg->rdap)
		rc = probe_rdap_start(&rdap, eng, cfg->rdap, ev);
	if (rc == 0)
		rc = walk(&p, ev->domain, qtype, true, true);
	if (rc == 0 && p.answers == 0)
		rc = -EHOSTUNREACH;
	if (cfg->rdap) {
		int r2 = probe_rdap_finish(&rdap);
		rc = rc ? rc : r2;
		probe_rdap_deinit(&rdap);
	}
	probe_deinit(&p);
	return rc;
}

/* --- for probe_record.c: the same walk and authoritative view for the
 * zone that holds any name --- */

int probe_zone_pass(struct probe *p, const char *qname, uint16_t qtype)
{
	struct strset asked;
	int rc;

	strset_init(&asked);
	rc = walk(p, qname, qtype, false, false);
	if (rc == 0 && p->answers == 0)
		rc = -EHOSTUNREACH;
	for (int pass = 0; rc == 0 && pass < MAX_AUTH_PASSES; pass++) {
		int fresh = auth_pass(p, &asked, false);
		if (fresh <= 0) {
			rc = fresh < 0 ? fresh : 0;
			break;
		}
	}
	strset_deinit(&asked);
	return rc;
}

int probe_find_cuts(struct probe *p, const char *const *names,
		    const uint16_t *qtypes, size_t count)
{
	struct task *tasks = NULL;
	size_t n = 0;

	if (seed_root(p) < 0)
		return -ENOMEM;
	p->nesting++;
	for (size_t i = 0; i < count; i++) {
		long c = deepest_cut(p, names[i]);
		/* A zone's own apex can have no cut below it; only its
		 * servers without glue are left to look up. */
		if (c >= 0 && strcmp(p->cuts[c].zone, names[i]) == 0) {
			struct cut *z = &p->cuts[c];
			if (!z->glueless_looked_up && z->glueless.n) {
				z->glueless_looked_up = true;
				batch_add(p, &z->glueless, &tasks, &n);
			}
			continue;
		}
		if (tasks_add(&tasks, &n, names[i], qtypes[i]) < 0) {
			p->nomem = 1;
			break;
		}
		tasks[n - 1].cut_only = true;
	}
	run_batch(p, &tasks, &n);
	free(tasks);
	p->nesting--;
	return p->nomem ? -ENOMEM : 0;
}

bool probe_is_cut(struct probe *p, const char *name)
{
	long c = deepest_cut(p, name);
	return c >= 0 && strcmp(p->cuts[c].zone, name) == 0;
}

int probe_cut_servers(struct probe *p, const char *qname, char *zone,
		      size_t zlen, struct hints *out)
{
	long i = deepest_cut(p, qname);
	if (i < 0)
		return 0;
	cut_complete(p, &p->cuts[i]);
	i = deepest_cut(p, qname); /* cut_complete may move p->cuts */
	const struct cut *c = &p->cuts[i];
	snprintf(zone, zlen, "%s", c->zone);
	for (size_t k = 0; k < c->srv.n; k++) {
		struct hint *v = realloc(out->v, (out->n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		out->v = v;
		v[out->n].name = strdup(c->srv.v[k].name);
		v[out->n].addr = strdup(c->srv.v[k].addr);
		out->n++;
		if (!v[out->n - 1].name || !v[out->n - 1].addr)
			return -ENOMEM;
	}
	return p->nomem ? -ENOMEM : 0;
}
