/* What-if delegation (--ns): the comparison of the hypothetical
 * delegation's findings with the real one's. Pure. */
#ifndef DD_CORE_WHATIF_H
#define DD_CORE_WHATIF_H

#include "core/finding.h"
#include "core/strset.h"

/* The codes of warnings and errors in REAL and not in HYP into GONE (they
 * would go away were the parent to delegate as --ns says), and those in
 * HYP and not in REAL into APPEAR; both sorted, each code once. Info
 * findings are not problems and are left out. GONE and APPEAR are
 * initialised by the caller. 0 or -ENOMEM. */
int whatif_diff(const struct findings *real, const struct findings *hyp,
		struct strset *gone, struct strset *appear);

#endif
