/* The network between dnsdoctor and the servers: a network that answers
 * port 53 itself (hotel, captive portal, corporate proxy, some home
 * routers) makes every server look absent. Pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/checks.h"
#include "core/dnsmsg.h"

/* A real root server answers a question below the root with a referral
 * (NS records of a TLD in the authority section) or with an
 * authoritative answer (AA). An answer with neither, from every root
 * address that answered, is the network's. */
int check_intercepted(const struct evidence *ev, struct findings *out)
{
	size_t genuine = 0, fake = 0;
	json_t *answers = json_array();
	if (!answers)
		return -ENOMEM;
	for (size_t i = 0; i < ev->n_ex; i++) {
		const struct ev_exchange *x = &ev->ex[i];
		if (x->role != EV_WALK || strcmp(x->zone, ".") != 0 ||
		    x->status != QS_OK)
			continue;
		const ldns_pkt *pkt = evidence_pkt(ev, i);
		if (!pkt)
			continue;
		bool referral = false;
		const ldns_rr_list *au = ldns_pkt_authority(pkt);
		for (size_t k = 0; k < ldns_rr_list_rr_count(au); k++)
			referral |= ldns_rr_get_type(ldns_rr_list_rr(au, k)) ==
				    LDNS_RR_TYPE_NS;
		const ldns_lookup_table *rc =
			ldns_lookup_by_id(ldns_rcodes, ldns_pkt_get_rcode(pkt));
		if (ldns_pkt_aa(pkt) || referral) {
			genuine++;
		} else {
			fake++;
			json_array_append_new(
				answers,
				json_pack("{s:s, s:s, s:s, s:b, s:I}", "server",
					  x->server, "address", x->addr,
					  "rcode", rc ? rc->name : "?", "ra",
					  ldns_pkt_ra(pkt), "rtt_ms",
					  (json_int_t)x->rtt_ms));
		}
	}
	if (genuine || !fake) {
		json_decref(answers);
		return 0;
	}
	int rc = findings_add(out, F_NETWORK_DNS_INTERCEPTED,
			      json_pack("{s:o}", "root_answers", answers), NULL,
			      "The root servers' answers are not theirs: %zu "
			      "root address%s answered %s without "
			      "authority and without a referral, which no root "
			      "server does. Something on this "
			      "network answers DNS in their place, so nothing "
			      "about %s can be seen from here.",
			      fake, fake == 1 ? "" : "es",
			      json_string_value(json_object_get(
				      json_array_get(answers, 0), "rcode")),
			      ev->domain);
	return rc < 0 ? rc : 1;
}
