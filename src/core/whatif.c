#include <errno.h>
#include "core/whatif.h"

/* The codes of FS's warnings and errors into OUT. */
static int problem_codes(const struct findings *fs, struct strset *out)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].severity != SEV_INFO &&
		    strset_add(out, finding_defs[fs->v[i].code].name) < 0)
			return -ENOMEM;
	return 0;
}

/* A minus B into OUT. */
static int minus(const struct strset *a, const struct strset *b,
		 struct strset *out)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strset_has(b, a->v[i]) && strset_add(out, a->v[i]) < 0)
			return -ENOMEM;
	return 0;
}

int whatif_diff(const struct findings *real, const struct findings *hyp,
		struct strset *gone, struct strset *appear)
{
	struct strset r, h;
	int rc;
	strset_init(&r);
	strset_init(&h);
	if ((rc = problem_codes(real, &r)) == 0 &&
	    (rc = problem_codes(hyp, &h)) == 0 &&
	    (rc = minus(&r, &h, gone)) == 0)
		rc = minus(&h, &r, appear);
	strset_deinit(&r);
	strset_deinit(&h);
	return rc;
}
