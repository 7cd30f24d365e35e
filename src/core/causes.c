/* Which finding explains which: the rules of causes.h.
 *
 * A rule names an effect and the faults that can explain it, the deepest
 * first; a predicate, when given, says whether this cause explains this
 * witness of the effect (a lame server the provider never assigned is the
 * registrar's stale list at work; one it did assign is not). Only links
 * that hold whenever both findings are there are written down: a link
 * that is sometimes wrong would send a person to fix the wrong thing. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "core/causes.h"

typedef bool (*explains_fn)(const struct finding *effect,
			    const struct finding *cause);

struct rule {
	enum finding_code effect;
	explains_fn explains; /* NULL: any witness */
	enum finding_code cause[12];
	size_t n_cause;
};

#define CAUSES(...)                                               \
	.cause = { __VA_ARGS__ },                                 \
	.n_cause = sizeof((enum finding_code[]){ __VA_ARGS__ }) / \
		   sizeof(enum finding_code)

/* The chain faults a validator fails on: each makes every answer of the
 * zone bogus. */
#define CHAIN_FAULTS                                                     \
	F_DS_WITHOUT_DNSKEY, F_DS_NO_MATCHING_DNSKEY, F_RRSIG_EXPIRED,   \
		F_RRSIG_NOT_YET_VALID, F_RRSIG_INVALID, F_RRSIG_MISSING, \
		F_NSEC_PROOF_INVALID, F_DNSSEC_OWN_SIGNATURES_BAD

static bool in_list(const json_t *list, const char *s)
{
	size_t i;
	const json_t *v;
	json_array_foreach (list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* A lame server the parent names and the provider did not assign: the
 * parent still publishes the registrar's old list. */
static bool lame_not_assigned(const struct finding *effect,
			      const struct finding *cause)
{
	const char *server =
		json_string_value(json_object_get(effect->evidence, "server"));
	return server && in_list(json_object_get(cause->evidence, "not_"
								  "expected"),
				 server);
}

/* The resolver's own check named this fault (its evidence's "cause"). */
static bool named_by_effect(const struct finding *effect,
			    const struct finding *cause)
{
	const char *named =
		json_string_value(json_object_get(effect->evidence, "cause"));
	return !named || strcmp(named, finding_defs[cause->code].name) == 0;
}

/* The zone's servers were not asked: the run refused their addresses
 * (--no-private). */
static bool refused_in_zone(const struct finding *effect,
			    const struct finding *cause)
{
	const char *zone =
		json_string_value(json_object_get(effect->evidence, "zone"));
	return zone && in_list(json_object_get(cause->evidence, "zones"), zone);
}

static const struct rule rules[] = {
	{ F_DNSSEC_BOGUS_AT_RESOLVER, named_by_effect, CAUSES(CHAIN_FAULTS) },
	{ F_CAA_LOOKUP_FAILED, NULL, CAUSES(CHAIN_FAULTS, F_ZONE_UNREACHABLE) },
	{ F_ZONE_UNREACHABLE, refused_in_zone,
	  CAUSES(F_ADDRESS_REFUSED_PRIVATE) },
	{ F_ZONE_UNREACHABLE, NULL, CAUSES(F_EXPECTED_NS_MISMATCH) },
	{ F_LAME_DELEGATION, lame_not_assigned,
	  CAUSES(F_EXPECTED_NS_MISMATCH) },
	{ F_ACME_CHALLENGE_MISSING, NULL,
	  CAUSES(F_DOMAIN_NOT_DELEGATED, F_EXPECTED_NS_MISMATCH,
		 F_ZONE_UNREACHABLE, F_ACME_CHALLENGE_DOUBLED_LABEL) },
	{ F_ACM_VALIDATION_CNAME_MISSING, NULL,
	  CAUSES(F_DOMAIN_NOT_DELEGATED, F_EXPECTED_NS_MISMATCH,
		 F_ZONE_UNREACHABLE) },
};

/* The finding of FS that explains F by the rules, or -1. */
static long direct_cause(const struct findings *fs, size_t f)
{
	const struct finding *e = &fs->v[f];
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		if (rules[r].effect != e->code)
			continue;
		for (size_t c = 0; c < rules[r].n_cause; c++)
			for (size_t i = 0; i < fs->n; i++)
				if (i != f &&
				    fs->v[i].code == rules[r].cause[c] &&
				    (!rules[r].explains ||
				     rules[r].explains(e, &fs->v[i])))
					return (long)i;
	}
	return -1;
}

void findings_link(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		fs->v[i].cause = direct_cause(fs, i);
	/* Each consequence points at the root of its chain (ACME_CHALLENGE_
	 * MISSING <- ZONE_UNREACHABLE <- EXPECTED_NS_MISMATCH). In place:
	 * a link already moved to its root leads to the same root. The rules
	 * have no cycle; the hop bound guards against one anyway. */
	for (size_t i = 0; i < fs->n; i++) {
		long c = fs->v[i].cause;
		for (size_t hop = 0;
		     c >= 0 && fs->v[c].cause >= 0 && hop < fs->n; hop++)
			c = fs->v[c].cause;
		fs->v[i].cause = c == (long)i ? -1 : c;
	}
}

const char *finding_subject(const struct finding *f, char *buf, size_t len)
{
	static const char *const keys[] = { "resolver", "server", "name",
					    "zone", "parent" };
	const char *what = NULL;
	for (size_t i = 0; !what && i < sizeof(keys) / sizeof(keys[0]); i++)
		what = json_string_value(json_object_get(f->evidence, keys[i]));
	const char *addr = json_string_value(json_object_get(f->evidence, "addr"
									  "es"
									  "s"));
	if (!what)
		snprintf(buf, len, "%s", addr ? addr : "");
	else if (addr && strcmp(addr, what) != 0)
		snprintf(buf, len, "%s (%s)", what, addr);
	else
		snprintf(buf, len, "%s", what);
	return buf;
}
