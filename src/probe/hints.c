#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ldns/ldns.h>
#include "core/dnsmsg.h"
#include "core/strset.h"
#include "probe/hints.h"

/* Beyond this a "hints file" is not one; refuse rather than read it all. */
#define HINTS_MAX_BYTES (1 << 20)

/* IANA's root servers (named.root, 2023 onwards: b moved in 2023). */
static const char builtin[] =
	". 3600000 NS a.root-servers.net.\n"
	". 3600000 NS b.root-servers.net.\n"
	". 3600000 NS c.root-servers.net.\n"
	". 3600000 NS d.root-servers.net.\n"
	". 3600000 NS e.root-servers.net.\n"
	". 3600000 NS f.root-servers.net.\n"
	". 3600000 NS g.root-servers.net.\n"
	". 3600000 NS h.root-servers.net.\n"
	". 3600000 NS i.root-servers.net.\n"
	". 3600000 NS j.root-servers.net.\n"
	". 3600000 NS k.root-servers.net.\n"
	". 3600000 NS l.root-servers.net.\n"
	". 3600000 NS m.root-servers.net.\n"
	"a.root-servers.net. 3600000 A 198.41.0.4\n"
	"a.root-servers.net. 3600000 AAAA 2001:503:ba3e::2:30\n"
	"b.root-servers.net. 3600000 A 170.247.170.2\n"
	"b.root-servers.net. 3600000 AAAA 2801:1b8:10::b\n"
	"c.root-servers.net. 3600000 A 192.33.4.12\n"
	"c.root-servers.net. 3600000 AAAA 2001:500:2::c\n"
	"d.root-servers.net. 3600000 A 199.7.91.13\n"
	"d.root-servers.net. 3600000 AAAA 2001:500:2d::d\n"
	"e.root-servers.net. 3600000 A 192.203.230.10\n"
	"e.root-servers.net. 3600000 AAAA 2001:500:a8::e\n"
	"f.root-servers.net. 3600000 A 192.5.5.241\n"
	"f.root-servers.net. 3600000 AAAA 2001:500:2f::f\n"
	"g.root-servers.net. 3600000 A 192.112.36.4\n"
	"g.root-servers.net. 3600000 AAAA 2001:500:12::d0d\n"
	"h.root-servers.net. 3600000 A 198.97.190.53\n"
	"h.root-servers.net. 3600000 AAAA 2001:500:1::53\n"
	"i.root-servers.net. 3600000 A 192.36.148.17\n"
	"i.root-servers.net. 3600000 AAAA 2001:7fe::53\n"
	"j.root-servers.net. 3600000 A 192.58.128.30\n"
	"j.root-servers.net. 3600000 AAAA 2001:503:c27::2:30\n"
	"k.root-servers.net. 3600000 A 193.0.14.129\n"
	"k.root-servers.net. 3600000 AAAA 2001:7fd::1\n"
	"l.root-servers.net. 3600000 A 199.7.83.42\n"
	"l.root-servers.net. 3600000 AAAA 2001:500:9f::42\n"
	"m.root-servers.net. 3600000 A 202.12.27.33\n"
	"m.root-servers.net. 3600000 AAAA 2001:dc3::35\n";

bool hints_has(const struct hints *h, const char *name, const char *addr)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->v[i].name, name) && !strcmp(h->v[i].addr, addr))
			return true;
	return false;
}

void hints_deinit(struct hints *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].name);
		free(h->v[i].addr);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

int hints_add(struct hints *h, const char *name, const char *addr)
{
	struct hint *v = realloc(h->v, (h->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	h->v = v;
	v[h->n].name = strdup(name);
	v[h->n].addr = strdup(addr);
	if (!v[h->n].name || !v[h->n].addr) {
		free(v[h->n].name);
		free(v[h->n].addr);
		return -ENOMEM;
	}
	h->n++;
	return 0;
}

/* True for a line holding nothing but blanks and a comment. */
static int blank(const char *line)
{
	line += strspn(line, " \t\r");
	return *line == '\0' || *line == ';' || *line == '#';
}

int hints_parse(struct hints *h, const char *text, char *err, size_t errlen)
{
	ldns_rr_list *rrs = ldns_rr_list_new();
	struct strset ns;
	int rc = -1, lineno = 0;
	char *copy = strdup(text), *next = copy;

	strset_init(&ns);
	memset(h, 0, sizeof(*h));
	if (!copy || !rrs) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (next && *next) {
		char *line = next, *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		if (blank(line))
			continue;
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) !=
		    LDNS_STATUS_OK) {
			snprintf(err, errlen,
				 "root hints line %d is not a DNS record",
				 lineno);
			goto out;
		}
		ldns_rr_list_push_rr(rrs, rr); /* the list now owns rr */
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		char *owner = dmsg_name(ldns_rr_owner(rr));
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NS && owner &&
		    strcmp(owner, ".") == 0 && ldns_rr_rd_count(rr) == 1) {
			char *t = dmsg_name(ldns_rr_rdf(rr, 0));
			if (t)
				strset_add(&ns, t);
			free(t);
		}
		free(owner);
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if ((t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA) ||
		    ldns_rr_rd_count(rr) != 1)
			continue;
		char *owner = dmsg_name(ldns_rr_owner(rr));
		char *addr = ldns_rdf2str(ldns_rr_rdf(rr, 0));
		int bad = owner && addr && strset_has(&ns, owner) &&
			  hints_add(h, owner, addr) < 0;
		free(owner);
		free(addr);
		if (bad) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	if (h->n == 0) {
		snprintf(err, errlen,
			 "root hints name no root server with an address");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		hints_deinit(h);
	ldns_rr_list_deep_free(rrs);
	strset_deinit(&ns);
	free(copy);
	return rc;
}

int hints_load_file(struct hints *h, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read root hints %s: %s", path,
			 strerror(errno));
		return -1;
	}
	char *buf = malloc(HINTS_MAX_BYTES + 1);
	size_t n = buf ? fread(buf, 1, HINTS_MAX_BYTES + 1, f) : 0;
	int rd_err = ferror(f);
	fclose(f);
	if (!buf || rd_err || n > HINTS_MAX_BYTES) {
		snprintf(err, errlen, "cannot read root hints %s: %s", path,
			 !buf	  ? "out of memory"
			 : rd_err ? "read error"
				  : "file larger than 1 MiB");
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		snprintf(err, errlen, "root hints %s is not a text file", path);
		free(buf);
		return -1;
	}
	char inner[200];
	int rc = hints_parse(h, buf, inner, sizeof(inner));
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, inner);
	free(buf);
	return rc;
}

int hints_builtin(struct hints *h)
{
	char err[128];
	return hints_parse(h, builtin, err, sizeof(err)) < 0 ? -ENOMEM : 0;
}

int hints_copy(struct hints *h, const struct hints *from)
{
	for (size_t i = 0; i < from->n; i++)
		if (hints_add(h, from->v[i].name, from->v[i].addr) < 0)
			return -ENOMEM;
	return 0;
}
