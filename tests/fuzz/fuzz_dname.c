/* A name as a user types it: dname_from_user, and the same text as the
 * probe turns it into wire form (wire_name_from_text, escapes included).
 * Any text as a name looked for in packets (dmsg_key_init): a key exactly
 * when ldns reads the text as a name and dmsg_name prints that name back
 * as the same text, and then it is that name. */
#include <stdlib.h>
#include <string.h>
#include "core/dname.h"
#include "core/dnsmsg.h"
#include "core/wire.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), out[256], err[160];
	uint8_t w[WIRE_NAME_MAX], q[512];

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (dname_from_user(in, out, sizeof(out), err, sizeof(err)) == 0) {
		/* What dname_from_user accepts, the probe must be able to ask.
		 */
		if (wire_name_from_text(w, out) < 0 ||
		    wire_build_query(q, sizeof(q), 1, out, 1, 1, WIRE_QF_EDNS) <
			    0)
			abort();
		dname_labels(out);
		char parent[256];
		dname_parent(out, parent, sizeof(parent));
		if (!dname_in(out, parent))
			abort();
	}
	wire_name_from_text(w, in);
	struct dmsg_key k;
	ldns_rdf *r = ldns_dname_new_frm_str(in);
	char *p = r ? dmsg_name(r) : NULL;
	bool printed = p && strcmp(p, in) == 0;
	if (dmsg_key_init(&k, in) != printed ||
	    (printed && !dmsg_key_is(&k, r)))
		abort();
	free(p);
	ldns_rdf_deep_free(r);
	free(in);
	return 0;
}
