/* Signature checks remembered across diagnoses: fleet and the exporter
 * verify the root's and each TLD's signatures once per domain, the same
 * bytes every time, and that crypto was a third of a check's instructions.
 * A memo of a pure function: the answer is the one ldns gives. */
#ifndef DD_CORE_SIGMEMO_H
#define DD_CORE_SIGMEMO_H

#include <time.h>
#include <ldns/ldns.h>

/* What ldns_verify_rrsig_keylist_time says of SIG over RRSET with KEYS at
 * NOW: the cryptographic part looked up by a SHA-256 of the three (or
 * computed and kept), the validity period checked as ldns checks it. */
ldns_status sigmemo_verify(const ldns_rr_list *rrset, const ldns_rr *sig,
			   const ldns_rr_list *keys, time_t now);

#endif
