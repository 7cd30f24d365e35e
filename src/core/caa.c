#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "core/caa.h"
#include "core/wire.h"

/* Issuer domains as the CAs document them. A CA accepts any of its own
 * domains in `issue`; Amazon alone lists four (ACM's docs), DigiCert keeps
 * the domains of the brands it bought. */
static const struct caa_ca cas[] = {
	{ "Let's Encrypt", { "letsencrypt.org" } },
	{ "Amazon",
	  { "amazon.com", "amazontrust.com", "awstrust.com",
	    "amazonaws.com" } },
	{ "Google Trust Services", { "pki.goog" } },
	{ "Sectigo", { "sectigo.com", "comodoca.com", "comodo.com" } },
	{ "ZeroSSL", { "sectigo.com", "zerossl.com" } },
	{ "DigiCert",
	  { "digicert.com", "symantec.com", "thawte.com", "geotrust.com",
	    "rapidssl.com", "digicert.ne.jp" } },
};

static const struct {
	const char *alias;
	size_t ca;
} aliases[] = {
	{ "letsencrypt", 0 }, { "lets-encrypt", 0 }, { "le", 0 },
	{ "amazon", 1 },      { "acm", 1 },	     { "aws", 1 },
	{ "google", 2 },      { "gts", 2 },	     { "sectigo", 3 },
	{ "comodo", 3 },      { "zerossl", 4 },	     { "digicert", 5 },
};

/* Tags with a meaning (RFC 8659 4, RFC 8657, RFC 9495, the BRs):
 * not unknown, so their critical flag does not forbid. */
static const char *const known_tags[] = {
	"issue",    "issuewild",    "iodef",	    "issuemail",
	"issuevmc", "contactemail", "contactphone", NULL,
};

int caa_parse(const uint8_t *rdata, size_t len, struct caa_rr *out)
{
	struct wire_ctx c;
	wire_ctx_init(&c, rdata, len);
	memset(out, 0, sizeof(*out));
	out->flags = wire_read_u8(&c);
	uint8_t taglen = wire_read_u8(&c);
	if (c.error || taglen == 0 || taglen > CAA_TAG_MAX ||
	    wire_available(&c) < taglen)
		return -EINVAL;
	uint8_t tag[CAA_TAG_MAX];
	wire_read_bytes(&c, tag, taglen);
	for (size_t i = 0; i < taglen; i++) {
		if (!isalnum(tag[i]) || tag[i] > 0x7f)
			return -EINVAL;
		out->tag[i] = (char)tolower(tag[i]);
	}
	size_t n = wire_available(&c);
	if (n > CAA_VALUE_MAX)
		n = CAA_VALUE_MAX;
	wire_read_bytes(&c, (uint8_t *)out->value, n);
	if (c.error)
		return -EINVAL;
	/* A NUL would end the C string early and hide the rest. */
	for (size_t i = 0; i < n; i++)
		if (out->value[i] == '\0')
			out->value[i] = '?';
	out->value[n] = '\0';
	out->value_len = n;
	return 0;
}

const struct caa_ca *caa_ca_find(const char *s)
{
	size_t len = strlen(s);
	if (len && s[len - 1] == '.')
		len--;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i].alias) == len &&
		    strncasecmp(aliases[i].alias, s, len) == 0)
			return &cas[aliases[i].ca];
	for (size_t i = 0; i < sizeof(cas) / sizeof(cas[0]); i++)
		for (size_t j = 0; cas[i].domains[j]; j++)
			if (strlen(cas[i].domains[j]) == len &&
			    strncasecmp(cas[i].domains[j], s, len) == 0)
				return &cas[i];
	return NULL;
}

static bool wsp(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_wsp(const char *p)
{
	while (wsp(*p))
		p++;
	return p;
}

void caa_issuer_of(const char *value, char *out, size_t outlen)
{
	const char *p = skip_wsp(value);
	size_t n = 0;
	if (outlen == 0)
		return;
	while (*p && *p != ';' && !wsp(*p) && n + 1 < outlen)
		out[n++] = (char)tolower((unsigned char)*p++);
	if (n && out[n - 1] == '.')
		n--;
	out[n] = '\0';
}

/* Finds parameter KEY in the parameters after the first ';' of VALUE and
 * copies its value to OUT. False when absent. */
static bool param_get(const char *value, const char *key, char *out,
		      size_t outlen)
{
	const char *p = strchr(value, ';');
	size_t klen = strlen(key);
	while (p) {
		p = skip_wsp(p + 1);
		const char *k = p;
		while (*p && *p != '=' && *p != ';' && !wsp(*p))
			p++;
		size_t kl = (size_t)(p - k);
		p = skip_wsp(p);
		if (*p != '=') {
			p = strchr(p, ';');
			continue;
		}
		p = skip_wsp(p + 1);
		const char *v = p;
		while (*p && *p != ';' && !wsp(*p))
			p++;
		if (kl == klen && strncasecmp(k, key, klen) == 0) {
			snprintf(out, outlen, "%.*s", (int)(p - v), v);
			return true;
		}
		p = strchr(p, ';');
	}
	return false;
}

/* True when the comma list LIST holds ITEM. */
static bool list_has(const char *list, const char *item)
{
	size_t ilen = strlen(item);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == ilen && strncasecmp(p, item, n) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static bool issuer_is_ca(const char *issuer, const char *const *issuers)
{
	for (size_t i = 0; issuer[0] && issuers && issuers[i]; i++)
		if (strcasecmp(issuer, issuers[i]) == 0)
			return true;
	return false;
}

static bool tag_known(const char *tag)
{
	for (size_t i = 0; known_tags[i]; i++)
		if (strcmp(tag, known_tags[i]) == 0)
			return true;
	return false;
}

enum caa_verdict caa_decide(const struct caa_rr *set, size_t n,
			    const struct caa_request *req)
{
	const char *want = "issue";
	bool any_issue = false;
	enum caa_verdict v = CAA_FORBIDS_NO_ISSUER;

	for (size_t i = 0; i < n; i++)
		if ((set[i].flags & CAA_FLAG_CRITICAL) &&
		    !tag_known(set[i].tag))
			return CAA_FORBIDS_CRITICAL;
	/* RFC 8659 4.3: for a wildcard, issuewild records when there are
	 * any take the place of issue. */
	for (size_t i = 0; req->wildcard && i < n; i++)
		if (strcmp(set[i].tag, "issuewild") == 0)
			want = "issuewild";
	for (size_t i = 0; i < n; i++) {
		char issuer[256], param[CAA_VALUE_MAX + 1];
		if (strcmp(set[i].tag, want) != 0)
			continue;
		any_issue = true;
		caa_issuer_of(set[i].value, issuer, sizeof(issuer));
		if (!issuer_is_ca(issuer, req->issuers))
			continue;
		if (req->account_uri &&
		    param_get(set[i].value, "accounturi", param,
			      sizeof(param)) &&
		    strcmp(param, req->account_uri) != 0) {
			v = CAA_FORBIDS_ACCOUNT;
			continue;
		}
		if (req->method &&
		    param_get(set[i].value, "validationmethods", param,
			      sizeof(param)) &&
		    !list_has(param, req->method)) {
			v = CAA_FORBIDS_METHOD;
			continue;
		}
		return CAA_PERMITS;
	}
	if (any_issue && v == CAA_FORBIDS_NO_ISSUER &&
	    strcmp(want, "issuewild") == 0)
		v = CAA_FORBIDS_NO_WILD_ISSUER; /* issue may well name it */
	return any_issue ? v : CAA_PERMITS;
}

const char *caa_verdict_text(enum caa_verdict v)
{
	switch (v) {
	case CAA_PERMITS:
		return "permits the CA";
	case CAA_FORBIDS_NO_ISSUER:
		return "no issue record names the CA";
	case CAA_FORBIDS_CRITICAL:
		return "a record with an unknown tag is marked critical";
	case CAA_FORBIDS_ACCOUNT:
		return "accounturi names another ACME account";
	case CAA_FORBIDS_METHOD:
		return "validationmethods does not list the challenge type";
	case CAA_FORBIDS_NO_WILD_ISSUER:
		return "for a wildcard the issuewild records rule, and none "
		       "names the CA";
	}
	return "?";
}
