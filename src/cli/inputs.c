/* Inputs that become part of the evidence or the probe's configuration:
 * the trust anchor, --ds records, the resolver list. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <ldns/ldns.h>
#include "cli/common.h"
#include "core/dnsmsg.h"

#define INPUT_MAX_BYTES (1u << 20)
#define RESOLVERS_MAX	64

/* IANA's root key-signing keys: KSK-2017 (20326) and KSK-2024 (38696). */
static const char *const iana_anchor[] = {
	". IN DS 20326 8 2 "
	"E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBB683457104237C7F8EC8D",
	". IN DS 38696 8 2 "
	"683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
};

/* Adds the DS/DNSKEY records of TEXT owned by the root to EV; 0 or -1. */
static int anchor_parse(const char *path, char *text, struct evidence *ev)
{
	int lineno = 0, n = 0;
	for (char *line = text, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		line += strspn(line, " \t\r");
		if (!*line || *line == ';' || *line == '#')
			continue;
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) !=
		    LDNS_STATUS_OK) {
			die("%s: line %d is not a DS or DNSKEY record", path,
			    lineno);
			return -1;
		}
		ldns_rr_type t = ldns_rr_get_type(rr);
		char *owner = dmsg_name(ldns_rr_owner(rr));
		char *str = ldns_rr2str(rr);
		int ok = (t == LDNS_RR_TYPE_DS || t == LDNS_RR_TYPE_DNSKEY) &&
			 owner && strcmp(owner, ".") == 0;
		if (str)
			str[strcspn(str, "\n")] = '\0';
		int rc = ok && str ? ev_strings_add(&ev->trust_anchor, str) : 0;
		ldns_rr_free(rr);
		free(owner);
		free(str);
		if (!ok) {
			die("%s: line %d: only DS or DNSKEY records of the "
			    "root (.) can anchor trust",
			    path, lineno);
			return -1;
		}
		if (rc < 0) {
			die("out of memory");
			return -1;
		}
		n++;
	}
	if (n == 0) {
		die("%s holds no DS or DNSKEY record", path);
		return -1;
	}
	return 0;
}

int load_trust_anchor(const struct opts *o, struct evidence *ev)
{
	/* IANA's anchor fits IANA's root only: a hierarchy of one's own
	 * (--root-hints) without --trust-anchor is not validated. */
	if (!o->trust_anchor && o->root_hints)
		return 0;
	if (!o->trust_anchor) {
		for (size_t i = 0;
		     i < sizeof(iana_anchor) / sizeof(iana_anchor[0]); i++)
			if (ev_strings_add(&ev->trust_anchor, iana_anchor[i]) <
			    0)
				return die("out of memory"), -1;
		return 0;
	}
	size_t len;
	char *text = read_file_capped("trust anchor", o->trust_anchor,
				      INPUT_MAX_BYTES, &len);
	if (!text)
		return -1;
	int rc = memchr(text, '\0', len)
			 ? (die("%s is not a text file", o->trust_anchor), -1)
			 : anchor_parse(o->trust_anchor, text, ev);
	free(text);
	return rc;
}

int load_what_if_ds(const struct opts *o, const char *domain,
		    struct evidence *ev)
{
	for (size_t i = 0; i < o->n_ds; i++) {
		char buf[1024];
		const char *s = o->ds[i];
		/* "12345 13 2 ABCD..." is the DS of the domain itself. */
		if (isdigit((unsigned char)s[0]))
			snprintf(buf, sizeof(buf), "%s 3600 IN DS %s", domain,
				 s);
		else
			snprintf(buf, sizeof(buf), "%s", s);
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, buf, 0, NULL, NULL) !=
			    LDNS_STATUS_OK ||
		    ldns_rr_get_type(rr) != LDNS_RR_TYPE_DS) {
			ldns_rr_free(rr);
			return die("--ds '%.60s' is not a DS record (KEYTAG "
				   "ALGORITHM DIGEST-TYPE DIGEST)",
				   s),
			       -1;
		}
		char *str = ldns_rr2str(rr);
		ldns_rr_free(rr);
		if (!str)
			return die("out of memory"), -1;
		str[strcspn(str, "\n")] = '\0';
		int rc = ev_strings_add(&ev->what_if_ds, str);
		free(str);
		if (rc < 0)
			return die("out of memory"), -1;
	}
	return 0;
}

static int resolver_add(struct hints *h, char *item)
{
	char *eq = strchr(item, '='), *addr = eq ? eq + 1 : item;
	unsigned char buf[16];
	if (eq)
		*eq = '\0';
	if (inet_pton(AF_INET, addr, buf) != 1 &&
	    inet_pton(AF_INET6, addr, buf) != 1) {
		die("--resolvers: '%.60s' is not an IPv4 or IPv6 address",
		    addr);
		return -1;
	}
	if (h->n >= RESOLVERS_MAX) {
		die("--resolvers: more than %d resolvers", RESOLVERS_MAX);
		return -1;
	}
	if (hints_add(h, eq ? item : addr, addr) < 0)
		return die("out of memory"), -1;
	return 0;
}

int load_resolvers(const struct opts *o, struct hints *h)
{
	memset(h, 0, sizeof(*h));
	if (!o->resolvers)
		return 0;
	char *text = NULL;
	if (o->resolvers[0] == '@') {
		size_t len;
		text = read_file_capped("resolver list", o->resolvers + 1,
					INPUT_MAX_BYTES, &len);
		if (!text)
			return -1;
		if (memchr(text, '\0', len)) {
			free(text);
			return die("%s is not a text file", o->resolvers + 1),
			       -1;
		}
	} else if (!(text = strdup(o->resolvers))) {
		return die("out of memory"), -1;
	}
	int rc = 0, comment = 0;
	char *p = text, *tok = NULL;
	for (;; p++) {
		char c = *p;
		if (c == '#')
			comment = 1;
		bool sep = c == '\0' || c == ',' || c == '#' ||
			   isspace((unsigned char)c);
		if (!sep && !comment && !tok)
			tok = p;
		if (sep && tok) {
			*p = '\0';
			if ((rc = resolver_add(h, tok)) < 0)
				break;
			tok = NULL;
		}
		if (c == '\n')
			comment = 0;
		if (c == '\0')
			break;
	}
	free(text);
	if (rc == 0 && h->n == 0)
		rc = (die("--resolvers names no resolver"), -1);
	if (rc < 0)
		hints_deinit(h);
	return rc;
}
