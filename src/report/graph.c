#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gvc.h>
#include "report/graph.h"
#include "report/html_escape.h"

/* Only the two plugins the graph needs, opened by path from libgvc's
 * plugin folder (GV_PLUGINS_DIR, from pkg-config at build time) and handed
 * to Graphviz as builtins: no plugin configuration read from disk, no
 * fonts asked of fontconfig (text is measured by Graphviz's own estimate),
 * the same picture everywhere, and no RPATH into another package's private
 * folder. The libraries stay loaded: what the layout leaks (below) must
 * keep its names. */
static const char *const gv_plugins[][2] = {
	{ "libgvplugin_dot_layout.so.6", "gvplugin_dot_layout_LTX_library" },
	{ "libgvplugin_core.so.6", "gvplugin_core_LTX_library" },
};
#define GV_N_PLUGINS (sizeof(gv_plugins) / sizeof(gv_plugins[0]))

/* BUILTINS (GV_N_PLUGINS + 1 entries) must outlive the context. */
static GVC_t *gv_context(lt_symlist_t *builtins)
{
	for (size_t i = 0; i < GV_N_PLUGINS; i++) {
		char file[512];
		snprintf(file, sizeof(file), "%s/%s", GV_PLUGINS_DIR,
			 gv_plugins[i][0]);
		void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
		void *sym = h ? dlsym(h, gv_plugins[i][1]) : NULL;
		if (!sym)
			return NULL;
		builtins[i] = (lt_symlist_t){ gv_plugins[i][1], sym };
	}
	builtins[GV_N_PLUGINS] = (lt_symlist_t){ NULL, NULL };
	return gvContextPlugins(builtins, 0);
}

/* Graphviz 2.43's dot layout loses a few virtual edges of clusters
 * (class1, make_aux_edge) whatever the caller frees; LeakSanitizer is
 * told so, and reports every other leak. Its fast unwinder stops in
 * libgvc's allocators (no frame pointers), hence those names too: with
 * fast_unwind_on_malloc=0 every such leak is the layout's. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libgvplugin_dot_layout\nleak:^gmalloc$\n"
	       "leak:^zmalloc$\nleak:^grealloc$\n";
}

/* ... and says nothing of them on stderr, which tests read. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

#define RED "#c62828"

struct gb {
	const struct graph_input *in;
	Agraph_t *g;
	unsigned next; /* node and cluster ids: never a string of the data */
	bool failed;
};

static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* LINES (NULL-terminated) escaped and joined by Graphviz's line break. */
static char *label_of(const char *const *lines)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; lines[i]; i++) {
		char *l = gv_label(lines[i]);
		if (!l) {
			fclose(f);
			free(out);
			return NULL;
		}
		fprintf(f, "%s%s", i ? "\\n" : "", l);
		free(l);
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void set_label(struct gb *b, void *obj, const char *const *lines)
{
	char *l = label_of(lines);
	if (!l) {
		b->failed = true;
		return;
	}
	set(obj, "label", l);
	free(l);
}

static Agnode_t *node(struct gb *b, Agraph_t *sub, const char *shape,
		      const char *const *lines)
{
	char id[24];
	snprintf(id, sizeof(id), "n%u", b->next++);
	Agnode_t *n = agnode(sub, id, 1);
	if (!n) {
		b->failed = true;
		return NULL;
	}
	set(n, "shape", shape);
	set_label(b, n, lines);
	return n;
}

static Agedge_t *edge(struct gb *b, Agnode_t *from, Agnode_t *to,
		      const char *label, bool red)
{
	if (!from || !to)
		return NULL;
	Agedge_t *e = agedge(b->g, from, to, NULL, 1);
	if (!e) {
		b->failed = true;
		return NULL;
	}
	if (label) {
		const char *l[] = { label, NULL };
		set_label(b, e, l);
	}
	if (red) {
		set(e, "color", RED);
		set(e, "fontcolor", RED);
		set(e, "penwidth", "2");
		set(e, "class", "fault");
	}
	return e;
}

static Agraph_t *cluster(struct gb *b, const char *const *lines)
{
	char id[32];
	snprintf(id, sizeof(id), "cluster_%u", b->next++);
	Agraph_t *c = agsubg(b->g, id, 1);
	if (!c) {
		b->failed = true;
		return NULL;
	}
	set(c, "style", "rounded");
	set_label(b, c, lines);
	return c;
}

static void mark_red(Agnode_t *n)
{
	if (!n)
		return;
	set(n, "color", RED);
	set(n, "fontcolor", RED);
	set(n, "penwidth", "2");
	set(n, "class", "fault");
}

static const struct finding *finding_coded(const struct findings *fs,
					   enum finding_code code)
{
	for (size_t i = 0; fs && i < fs->n; i++)
		if (fs->v[i].code == code)
			return &fs->v[i];
	return NULL;
}

/* True when J (an object or array, searched three levels down) holds KEY
 * with the string VALUE. */
static bool json_mentions(const json_t *j, const char *key, const char *value,
			  int depth)
{
	if (!j || depth > 3)
		return false;
	if (json_is_array(j)) {
		size_t i;
		const json_t *x;
		json_array_foreach (j, i, x)
			if (json_mentions(x, key, value, depth + 1))
				return true;
		return false;
	}
	if (!json_is_object(j))
		return false;
	const char *k;
	const json_t *x;
	json_object_foreach ((json_t *)j, k, x) {
		if (strcmp(k, key) == 0 && json_is_string(x) &&
		    strcmp(json_string_value(x), value) == 0)
			return true;
		if (json_mentions(x, key, value, depth + 1))
			return true;
	}
	return false;
}

/* DNSSEC findings name servers too; they are drawn on the DS -> DNSKEY
 * link, not on the servers. */
static bool dnssec_code(enum finding_code c)
{
	const char *n = finding_defs[c].name;
	return strncmp(n, "DS_", 3) == 0 || strncmp(n, "DNSKEY", 6) == 0 ||
	       strncmp(n, "RRSIG", 5) == 0 || strncmp(n, "DNSSEC", 6) == 0 ||
	       strncmp(n, "NSEC", 4) == 0;
}

/* The first warning or error whose evidence names KEY = VALUE. */
static const struct finding *blame(const struct findings *fs, const char *key,
				   const char *value)
{
	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		if (f->severity >= SEV_WARNING && !dnssec_code(f->code) &&
		    json_mentions(f->evidence, key, value, 0))
			return f;
	}
	return NULL;
}

static const char *code_name(const struct finding *f)
{
	return f ? finding_defs[f->code].name : NULL;
}

static void address_node(struct gb *b, Agraph_t *c, Agnode_t *srv,
			 const struct view_addr *a)
{
	const struct view_probe *p = view_addr_answer(a);
	char state[80];
	if (view_addr_authoritative(a) && p && p->has_serial)
		snprintf(state, sizeof(state), "serial %u", p->serial);
	else
		snprintf(state, sizeof(state), "%s",
			 p ? view_probe_describe(p) : "no answer");
	const char *lines[] = { a->addr, state, a->glue ? "(glue)" : NULL,
				NULL };
	Agnode_t *n = node(b, c, "ellipse", lines);
	const struct finding *f = blame(b->in->fs, "address", a->addr);
	if (f)
		mark_red(n);
	edge(b, srv, n, code_name(f), f != NULL);
}

static Agnode_t *server_node(struct gb *b, Agraph_t *c,
			     const struct view_server *s)
{
	char alias[VIEW_NAME_MAX + 16] = "";
	const char *res = NULL;
	if (s->cname)
		snprintf(alias, sizeof(alias), "CNAME %s", s->cname);
	if (!s->n_addrs)
		res = s->resolve == RES_NXDOMAIN ? "NXDOMAIN"
		      : s->resolve == RES_NODATA ? "no address"
		      : s->resolve == RES_NONE	 ? "not looked up"
						 : "unresolvable";
	const char *lines[] = { s->name, alias[0] ? alias : res,
				alias[0] ? res : NULL, NULL };
	Agnode_t *n = node(b, c, "box", lines);
	if (n)
		set(n, "style", "rounded");
	if (blame(b->in->fs, "server", s->name))
		mark_red(n);
	for (size_t i = 0; i < s->n_addrs; i++)
		address_node(b, c, n, &s->addrs[i]);
	return n;
}

/* Each server of the view in cluster C, under the sets that name it (PS
 * the parent's, ZS the zone's, ES the expected one). */
static void server_edges(struct gb *b, Agraph_t *c, Agnode_t *ps, Agnode_t *zs,
			 Agnode_t *es)
{
	const struct view *v = b->in->view;
	const struct findings *fs = b->in->fs;
	bool expected_bad = finding_coded(fs, F_EXPECTED_NS_MISMATCH);
	bool mismatch = finding_coded(fs, F_DELEGATION_NS_MISMATCH);
	const char *expected_code = finding_defs[F_EXPECTED_NS_MISMATCH].name;
	const char *mismatch_code = finding_defs[F_DELEGATION_NS_MISMATCH].name;
	/* One label per set and code: the red is enough on the others. */
	bool said_p = false, said_z = false, said_e = false;
	bool any_zone = false;
	for (size_t i = 0; i < v->n_srv; i++)
		any_zone |= v->srv[i].in_zone;
	for (size_t i = 0; i < v->n_srv; i++) {
		const struct view_server *s = &v->srv[i];
		Agnode_t *n = server_node(b, c, s);
		if (s->in_parent) {
			bool off = expected_bad && !s->expected;
			bool lone = mismatch && any_zone && !s->in_zone;
			edge(b, ps, n,
			     said_p ? NULL
			     : off  ? expected_code
			     : lone ? mismatch_code
				    : NULL,
			     off || lone);
			said_p |= off || lone;
		}
		if (s->in_zone) {
			bool lone = mismatch && !s->in_parent;
			edge(b, zs, n, lone && !said_z ? mismatch_code : NULL,
			     lone);
			said_z |= lone;
		}
		if (s->expected) {
			bool missing = expected_bad && !s->in_parent;
			const char *l = missing && !said_e ? expected_code
							   : NULL;
			Agedge_t *e = edge(b, es, n, l, missing);
			said_e |= missing;
			if (e)
				set(e, "style", "dashed");
		}
	}
}

/* The sets side by side and every server they name. */
static void zone_sets(struct gb *b, Agraph_t *c, Agnode_t *parent_node,
		      Agnode_t *zone_node)
{
	const struct view *v = b->in->view;
	Agraph_t *row = agsubg(c, "sets", 1);
	if (!row) {
		b->failed = true;
		return;
	}
	set(row, "rank", "same");
	char at[VIEW_NAME_MAX + 16];
	snprintf(at, sizeof(at), "at the parent (%s)",
		 v->parent[0] ? v->parent : "?");
	const char *pl[] = { "NS set", at, NULL };
	const char *zl[] = { "NS set", "at the zone's apex", NULL };
	const char *el[] = { "NS set expected", "(--expect-ns)", NULL };
	Agnode_t *ps = node(b, row, "note", pl);
	Agnode_t *zs = node(b, row, "note", zl);
	Agnode_t *es = v->expect_ns.n ? node(b, row, "note", el) : NULL;
	edge(b, parent_node, ps, "delegates", false);
	edge(b, zone_node, zs, NULL, false);
	server_edges(b, c, ps, zs, es);
}

/* The first finding of the codes CODES (F__COUNT-terminated) about ZONE,
 * else of those codes at all. */
static const struct finding *zone_finding(const struct findings *fs,
					  const enum finding_code *codes,
					  const char *zone)
{
	const struct finding *any = NULL;
	for (size_t i = 0; fs && i < fs->n; i++)
		for (const enum finding_code *c = codes; *c != F__COUNT; c++) {
			if (fs->v[i].code != *c)
				continue;
			if (json_mentions(fs->v[i].evidence, "zone", zone, 2))
				return &fs->v[i];
			if (!any)
				any = &fs->v[i];
		}
	return any;
}

static void rr_lines(const ldns_rr_list *l, bool ds, char *buf, size_t len)
{
	size_t w = snprintf(buf, len, "%s", ds ? "DS" : "DNSKEY");
	for (size_t i = 0; l && i < ldns_rr_list_rr_count(l) && w < len; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		int n = snprintf(buf + w, len - w, "\n%u alg %u",
				 ds ? dnssec_ds_keytag(rr)
				    : ldns_calc_keytag(rr),
				 ds ? dnssec_ds_alg(rr) : dnssec_key_alg(rr));
		if (n < 0)
			break;
		w += (size_t)n;
	}
	if ((!l || ldns_rr_list_rr_count(l) == 0) && w < len)
		snprintf(buf + w, len - w, "\nnone");
}

/* Splits BUF at '\n' into LINES (at most N - 1, NULL-terminated). */
static void split_lines(char *buf, const char **lines, size_t n)
{
	size_t k = 0;
	for (char *p = buf; p && k + 1 < n;) {
		lines[k++] = p;
		if ((p = strchr(p, '\n')))
			*p++ = '\0';
	}
	lines[k] = NULL;
}

/* DS (at the parent) -> DNSKEY (at the zone) for zone I of the DNSSEC
 * view, and the parent's DNSKEY -> DS signature. */
static void dnssec_link(struct gb *b, Agraph_t *parent_c, Agraph_t *c, size_t i,
			Agnode_t **prev_keys)
{
	const struct dsv_zone *z = &b->in->dv->z[i];
	static const enum finding_code key_codes[] = {
		F_DS_WITHOUT_DNSKEY, F_DS_NO_MATCHING_DNSKEY,
		F_DNSKEY_ALGORITHM_UNSUPPORTED, F__COUNT
	};
	static const enum finding_code sig_codes[] = {
		F_RRSIG_INVALID, F_RRSIG_EXPIRED, F_RRSIG_NOT_YET_VALID,
		F_RRSIG_MISSING, F__COUNT
	};
	char buf[512];
	const char *lines[12];
	bool has_ds = z->ds && ldns_rr_list_rr_count(z->ds) > 0;
	bool has_keys = z->keys && ldns_rr_list_rr_count(z->keys) > 0;
	/* Unsigned and not delegated securely: nothing to draw. */
	if (!has_ds && !has_keys && !z->ds_anchor) {
		*prev_keys = NULL;
		return;
	}

	rr_lines(z->keys, false, buf, sizeof(buf));
	split_lines(buf, lines, sizeof(lines) / sizeof(lines[0]));
	Agnode_t *keys = node(b, c, "component", lines);
	if (!has_ds && !z->ds_anchor) {
		*prev_keys = keys;
		return;
	}
	Agnode_t *ds;
	if (z->ds_anchor) {
		const char *al[] = { "trust anchor", NULL };
		ds = node(b, c, "component", al);
	} else {
		rr_lines(z->ds, true, buf, sizeof(buf));
		split_lines(buf, lines, sizeof(lines) / sizeof(lines[0]));
		ds = node(b, parent_c ? parent_c : c, "component", lines);
		bool signed_ok = z->ds_sig.state == SIG_VALID;
		const struct finding *f =
			signed_ok ? NULL
				  : zone_finding(b->in->fs, sig_codes, z->name);
		edge(b, *prev_keys, ds, f ? code_name(f) : "signs", f != NULL);
	}
	bool match = false;
	for (size_t s = 0; s < z->n_srv; s++)
		match |= z->srv[s].key_match;
	const struct finding *f =
		match ? NULL : zone_finding(b->in->fs, key_codes, z->name);
	Agedge_t *e =
		edge(b, ds, keys, f ? code_name(f) : "matches", f != NULL);
	if (e && !f && !match)
		set(e, "style", "dotted");
	if (f)
		mark_red(keys);
	*prev_keys = keys;
}

/* The zones from the root down to the one diagnosed. */
static size_t zone_chain(const struct graph_input *in, const char **names,
			 size_t max)
{
	const struct view *v = in->view;
	size_t n = 0;
	if (in->dv && in->dv->n)
		for (size_t i = 0; i < in->dv->n && n + 1 < max; i++)
			names[n++] = in->dv->z[i].name;
	if (!n) {
		names[n++] = ".";
		if (v->parent[0] && strcmp(v->parent, ".") != 0)
			names[n++] = v->parent;
	}
	if (strcmp(names[n - 1], v->zone) != 0)
		names[n++] = v->zone;
	return n;
}

static void build(struct gb *b)
{
	const struct graph_input *in = b->in;
	const char *names[32];
	size_t n = zone_chain(in, names, 32);
	Agraph_t *prev_c = NULL;
	Agnode_t *prev = NULL, *prev_keys = NULL;
	for (size_t i = 0; i < n && !b->failed; i++) {
		bool last = i + 1 == n;
		const char *cl[] = { strcmp(names[i], ".") == 0 ? ". (the root)"
								: names[i],
				     NULL };
		Agraph_t *c = cluster(b, cl);
		if (!c)
			return;
		if (last)
			set(c, "penwidth", "2");
		const char *zl[] = { names[i], "zone", NULL };
		Agnode_t *zn = node(b, c, "folder", zl);
		if (last)
			zone_sets(b, c, prev ? prev : zn, zn);
		else if (prev)
			edge(b, prev, zn, "delegates", false);
		if (in->dv)
			for (size_t k = 0; k < in->dv->n; k++)
				if (strcmp(in->dv->z[k].name, names[i]) == 0)
					dnssec_link(b, prev_c, c, k,
						    &prev_keys);
		prev = zn;
		prev_c = c;
	}
}

int report_graph_svg(const struct graph_input *in, FILE *f)
{
	struct gb b = { .in = in };
	lt_symlist_t builtins[GV_N_PLUGINS + 1];
	GVC_t *gvc = gv_context(builtins);
	if (!gvc)
		return -1;
	int rc = -1;
	char *svg = NULL;
	unsigned len = 0;
	b.g = agopen((char *)"delegation", Agdirected, NULL);
	if (!b.g)
		goto out;
	/* Graphviz measures text with its own table for Courier (no font
	 * is read): a monospace face in the browser has its widths. */
	set(b.g, "fontname", "Courier,monospace");
	set(b.g, "fontsize", "12");
	set(b.g, "bgcolor", "transparent");
	agattr(b.g, AGNODE, (char *)"fontname", (char *)"Courier,monospace");
	agattr(b.g, AGNODE, (char *)"fontsize", (char *)"11");
	agattr(b.g, AGEDGE, (char *)"fontname", (char *)"Courier,monospace");
	agattr(b.g, AGEDGE, (char *)"fontsize", (char *)"10");
	build(&b);
	if (b.failed || gvLayout(gvc, b.g, "dot") != 0)
		goto out;
	int rendered = gvRenderData(gvc, b.g, "svg", &svg, &len);
	gvFreeLayout(gvc, b.g);
	if (rendered != 0 || !svg)
		goto out;
	/* Inline: from the <svg> element on, without the XML prolog. */
	const char *start = strstr(svg, "<svg");
	if (!start)
		goto out;
	size_t skip = (size_t)(start - svg);
	if (fwrite(start, 1, len - skip, f) == len - skip)
		rc = 0;
out:
	if (svg)
		gvFreeRenderData(svg);
	if (b.g)
		agclose(b.g);
	gvFreeContext(gvc);
	return rc;
}
