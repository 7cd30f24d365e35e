#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include <ldns/ldns.h>
#include "fake_answer.h"

static void push(ldns_pkt *pkt, ldns_pkt_section sec, const char *const *rrs)
{
	for (int i = 0; i < 4 && rrs[i]; i++) {
		ldns_rr *rr = NULL;
		assert_int_equal(ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL,
						     NULL),
				 LDNS_STATUS_OK);
		ldns_pkt_push_rr(pkt, sec, rr);
	}
}

void fake_add(struct evidence *ev, int role, const char *zone,
	      const char *server, const char *addr, const char *qname,
	      uint16_t qtype, int tr, const struct answer *a)
{
	struct ev_exchange x = { .role = role,
				 .transport = tr,
				 .status = a->status,
				 .qtype = qtype,
				 .zone = (char *)zone,
				 .server = (char *)server,
				 .addr = (char *)addr,
				 .qname = (char *)qname };
	uint8_t *wire = NULL;
	size_t len = 0;
	if (a->status == QS_OK) {
		ldns_pkt *pkt = NULL;
		assert_int_equal(ldns_pkt_query_new_frm_str(&pkt, qname, qtype,
							    LDNS_RR_CLASS_IN,
							    0),
				 LDNS_STATUS_OK);
		ldns_pkt_set_qr(pkt, true);
		ldns_pkt_set_aa(pkt, a->aa);
		ldns_pkt_set_rcode(pkt, (uint8_t)a->rcode);
		push(pkt, LDNS_SECTION_ANSWER, a->an);
		push(pkt, LDNS_SECTION_AUTHORITY, a->au);
		push(pkt, LDNS_SECTION_ADDITIONAL, a->ad);
		assert_int_equal(ldns_pkt2wire(&wire, pkt, &len),
				 LDNS_STATUS_OK);
		ldns_pkt_free(pkt);
		x.wire = wire;
		x.wire_len = len;
	}
	assert_int_equal(evidence_add(ev, &x), 0);
	free(wire);
}
