/* Answers written as zone-file lines and added to an evidence set as the
 * wire exchange a probe would have recorded: how the check tests stage what
 * the lab cannot (no TCP, a local network error, one odd server). */
#ifndef DD_TESTS_FAKE_ANSWER_H
#define DD_TESTS_FAKE_ANSWER_H

#include <stdbool.h>
#include <stdint.h>
#include "core/evidence.h"

struct answer {
	int status; /* QS_*: anything but QS_OK records no message */
	int rcode;
	bool aa;
	const char *an[4], *au[4], *ad[4];
};

/* One exchange, asserted to parse and to be recorded. */
void fake_add(struct evidence *ev, int role, const char *zone,
	      const char *server, const char *addr, const char *qname,
	      uint16_t qtype, int tr, const struct answer *a);

#endif
