/* Outcome of one query, as the engine reports it and evidence stores it. */
#ifndef DD_CORE_QSTATUS_H
#define DD_CORE_QSTATUS_H

/* Stored in evidence files by name (see qstatus_name), so values may be
 * appended but never reordered. */
enum qstatus {
	QS_OK = 0,	/* a matching response arrived; wire bytes hold it */
	QS_TIMEOUT,	/* no matching response within the attempts allowed */
	QS_UNREACHABLE, /* ICMP port/host unreachable, or TCP connection refused
			 */
	QS_NETERR,    /* another socket error (no route, address family off) */
	QS_MALFORMED, /* something came back, but never a usable response */
	QS_TCP_TRUNCATED, /* TC set in a TCP answer: the answer is incomplete */
	QS_TCP_STALLED, /* TCP connected, but no whole answer within the budget
			 * (silence, or a length prefix then a trickle) */
	QS__COUNT
};

enum transport { TR_UDP = 0, TR_TCP = 1 };

const char *qstatus_name(int status);
/* Returns the status for NAME, or -1 when NAME is not a known status. */
int qstatus_from_name(const char *name);

#endif
