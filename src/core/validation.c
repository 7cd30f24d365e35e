#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ldns/ldns.h>
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/evidence_json.h"
#include "core/validation.h"

#define VAL_CAA_MAX 64 /* records read per answer; more is not a real zone */

void val_opts_read(const struct evidence *ev, struct val_opts *o)
{
	const struct ev_validation *v = &ev->validation;
	/* Field by field: a compound literal would zero all of acm[] (32
	 * KiB), for every check of every domain; only acm[0..n_acm) is read. */
	o->acme = v->acme;
	o->wildcard = v->wildcard;
	o->ca = v->ca;
	o->challenge = v->challenge;
	o->txt = v->txt;
	o->account_uri = v->account_uri;
	o->token = v->token;
	o->key_auth = v->key_auth;
	o->n_acm = 0;
	for (size_t i = 0; i < v->n_acm && o->n_acm < VAL_ACM_MAX; i++) {
		struct val_acm *a = &o->acm[o->n_acm];
		if (strlen(v->acm[i].name) >= sizeof(a->name) ||
		    strlen(v->acm[i].target) >= sizeof(a->target))
			continue;
		snprintf(a->name, sizeof(a->name), "%s", v->acm[i].name);
		snprintf(a->target, sizeof(a->target), "%s", v->acm[i].target);
		o->n_acm++;
	}
}

const char *const *val_issuers(const struct val_opts *o, const char *own[2],
			       const char **ca_name)
{
	const char *want = o->ca ? o->ca : o->acme ? "letsencrypt" : "amazon";
	const struct caa_ca *ca = caa_ca_find(want);
	if (ca) {
		*ca_name = ca->name;
		return ca->domains;
	}
	own[0] = want;
	own[1] = NULL;
	*ca_name = want;
	return own;
}

/* The character strings of a TXT record, joined as a validator joins
 * them; NUL bytes become '?' so the value stays one C string. */
static int txt_value(const ldns_rr *rr, struct strset *out)
{
	char buf[VAL_TXT_MAX + 1];
	size_t n = 0;
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);
		const uint8_t *d = ldns_rdf_data(f);
		size_t sz = ldns_rdf_size(f);
		if (ldns_rdf_get_type(f) != LDNS_RDF_TYPE_STR || sz < 1)
			continue;
		size_t len = d[0] < sz - 1 ? d[0] : sz - 1;
		for (size_t k = 0; k < len && n < VAL_TXT_MAX; k++)
			buf[n++] = d[1 + k] ? (char)d[1 + k] : '?';
	}
	buf[n] = '\0';
	return strset_add(out, buf);
}

static int caa_add(const ldns_rr *rr, struct val_ans *a)
{
	ldns_buffer *b = ldns_buffer_new(256);
	int rc = 0;
	if (!b)
		return -ENOMEM;
	if (a->n_caa < VAL_CAA_MAX &&
	    ldns_rr_rdata2buffer_wire(b, rr) == LDNS_STATUS_OK) {
		struct caa_rr r;
		if (caa_parse(ldns_buffer_begin(b), ldns_buffer_position(b),
			      &r) == 0) {
			struct caa_rr *v =
				realloc(a->caa, (a->n_caa + 1) * sizeof(*v));
			if (v) {
				a->caa = v;
				v[a->n_caa++] = r;
			} else {
				rc = -ENOMEM;
			}
		}
	}
	ldns_buffer_free(b);
	return rc;
}

int val_ans_read(const struct ev_exchange *x, struct val_ans *a)
{
	int rc = 0;
	memset(a, 0, sizeof(*a));
	strset_init(&a->txt);
	a->rcode = -1;
	if (x->status != QS_OK) {
		a->failed = x->status == QS_TIMEOUT ||
			    x->status == QS_UNREACHABLE ||
			    x->status == QS_NETERR;
		return 0;
	}
	ldns_pkt *pkt = dmsg_parse(x->wire, x->wire_len);
	if (!pkt)
		return 0;
	a->answered = true;
	a->rcode = ldns_pkt_get_rcode(pkt);
	a->failed = a->rcode == LDNS_RCODE_SERVFAIL;
	struct dmsg_key qname;
	dmsg_key_init(&qname, x->qname);
	a->kind = dmsg_classify_key(pkt, &qname, x->qtype, NULL, VIEW_NAME_MAX);
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	for (size_t i = 0; rc == 0 && i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		if (!dmsg_key_is(&qname, ldns_rr_owner(rr)))
			continue;
		switch (ldns_rr_get_type(rr)) {
		case LDNS_RR_TYPE_CNAME: {
			char *t = ldns_rr_rd_count(rr)
					  ? dmsg_name(ldns_rr_rdf(rr, 0))
					  : NULL;
			if (t && strlen(t) < sizeof(a->cname))
				snprintf(a->cname, sizeof(a->cname), "%s", t);
			free(t);
			break;
		}
		case LDNS_RR_TYPE_TXT:
			rc = txt_value(rr, &a->txt);
			break;
		case LDNS_RR_TYPE_CAA:
			rc = caa_add(rr, a);
			break;
		default:
			break;
		}
	}
	ldns_pkt_free(pkt);
	return rc;
}

void val_ans_deinit(struct val_ans *a)
{
	strset_deinit(&a->txt);
	free(a->caa);
	a->caa = NULL;
	a->n_caa = 0;
}

bool val_expected_only(const struct view *v, const struct ev_exchange *x)
{
	if (strcmp(x->zone, v->zone) != 0)
		return false;
	const struct view_server *s = view_server_find(v, x->server);
	return s && !view_server_in_scope(s);
}

/* NAME with ZONE appended: "a.example.com." + "example.com." gives
 * "a.example.com.example.com.". "" when too long. */
static void append_zone(const char *name, const char *zone, char *out,
			size_t len)
{
	int n = snprintf(out, len, "%.*s.%s", (int)strlen(name) - 1, name,
			 zone);
	if (n < 0 || (size_t)n >= len || n >= VIEW_NAME_MAX - 1)
		out[0] = '\0';
}

void val_challenge_names(const struct view *v, char *name, char *doubled,
			 size_t len)
{
	int n = dname_child("_acme-challenge", v->domain, name, len);
	if (n < 0 || (size_t)n >= len || n >= VIEW_NAME_MAX - 1)
		name[0] = '\0';
	doubled[0] = '\0';
	if (name[0])
		append_zone(name, v->zone, doubled, len);
}

void val_typo_names(const char *name, const char *zone, char *doubled,
		    char *no_underscore, size_t len)
{
	doubled[0] = no_underscore[0] = '\0';
	if (dname_in(name, zone))
		append_zone(name, zone, doubled, len);
	if (name[0] == '_' && name[1] && name[1] != '.')
		snprintf(no_underscore, len, "%s", name + 1);
}

/* True when FOUND is WANT with SUFFIX (an absolute name) appended. */
static bool is_appended(const char *found, const char *want, const char *suffix)
{
	size_t w = strlen(want), f = strlen(found);
	return w && strcmp(suffix, ".") != 0 && f == w + strlen(suffix) &&
	       strncmp(found, want, w) == 0 && strcmp(found + w, suffix) == 0;
}

enum val_typo val_typo_of(const char *found, const char *want, const char *zone)
{
	if (strcasecmp(found, want) == 0)
		return TYPO_NONE;
	/* The zone appended, or any tail that repeats the name's own end
	 * ("example.com.example.com."). */
	if (is_appended(found, want, zone))
		return TYPO_DOUBLED;
	for (const char *p = want; p && *p;
	     p = strchr(p, '.'), p = p ? p + 1 : NULL)
		if (dname_labels(p) >= 2 && is_appended(found, want, p))
			return TYPO_DOUBLED;
	if ((want[0] == '_' && strcmp(found, want + 1) == 0) ||
	    (found[0] == '_' && strcmp(found + 1, want) == 0))
		return TYPO_NO_UNDERSCORE;
	/* WANT without its final dot, then more text. */
	size_t w = strlen(want);
	if (w > 1 && strlen(found) > w - 1 && strncmp(found, want, w - 1) == 0)
		return TYPO_TRAILING;
	return TYPO_CASE_OR_OTHER;
}

const char *val_typo_text(enum val_typo t)
{
	switch (t) {
	case TYPO_NONE:
		return "as expected";
	case TYPO_DOUBLED:
		return "the domain pasted twice (a name entered without its "
		       "final dot gets the zone appended)";
	case TYPO_NO_UNDERSCORE:
		return "the leading underscore is missing";
	case TYPO_TRAILING:
		return "stray text after the name";
	case TYPO_CASE_OR_OTHER:
		return "a different name";
	}
	return "?";
}

int val_set_read(const struct view *v, const char *qname, uint16_t qtype,
		 struct val_set *s)
{
	const struct evidence *ev = v->ev;
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < ev->n_ex && s->n < VAL_SET_MAX; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != EV_VALIDATION || x->qtype != qtype ||
		    strcmp(x->qname, qname) != 0)
			continue;
		s->x[s->n] = x;
		s->expected_only[s->n] = val_expected_only(v, x);
		if (val_ans_read(x, &s->a[s->n++]) < 0) {
			val_set_deinit(s);
			return -ENOMEM;
		}
	}
	return 0;
}

void val_set_deinit(struct val_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		val_ans_deinit(&s->a[i]);
	s->n = 0;
}

json_t *json_safe(const char *s)
{
	size_t n = strlen(s);
	char *buf = malloc(4 * n + 1), *w = buf;
	if (!buf)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\')
			*w++ = (char)*p;
		else
			w += snprintf(w, 5, "\\x%02x", *p);
	}
	*w = '\0';
	json_t *j = json_string(buf);
	free(buf);
	return j;
}

size_t json_safe_decode(const char *s, char *out, size_t len)
{
	size_t n = 0;
	if (!len)
		return 0;
	for (; s && *s && n + 1 < len; s++) {
		int hi, lo;
		if (s[0] == '\\' && s[1] == 'x' &&
		    (hi = ev_hex_digit(s[2])) >= 0 &&
		    (lo = ev_hex_digit(s[3])) >= 0) {
			char c = (char)(hi * 16 + lo);
			out[n++] = c ? c : '?';
			s += 3;
		} else {
			out[n++] = *s;
		}
	}
	out[n] = '\0';
	return n;
}
