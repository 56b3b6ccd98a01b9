/* Unit tests: GRES strings against sbatch's grammar. */

#include <stdlib.h>
#include <string.h>

#include "updraft.h"
#include "gres.h"
#include "unit.h"

static const struct {
	const char	*gres;
	const char	*error;		/* NULL: accepted */
} gres_cases[] = {
	{ "gpu", NULL },
	{ "gpu:2", NULL },
	{ "gpu:a100", NULL },
	{ "gpu:a100:2", NULL },
	{ "gres:gpu:1", NULL },
	{ "gres/gpu:1", NULL },
	{ "gpu:1,mps:100", NULL },
	{ "mps:10k", NULL },
	{ "shard:4G", NULL },
	{ "gpu:tesla_v100-32g:1", NULL },
	{ "gpu:0", NULL },
	{ "gpu:2:a100", "bad gres element 'gpu:2:a100': expected "
	    GRES_HINT },
	{ "gpu:1:2:3", "bad gres element 'gpu:1:2:3': expected " GRES_HINT },
	{ "gpu::1", "bad gres element 'gpu::1': expected " GRES_HINT },
	{ "gpu:x:y:z", "bad gres element 'gpu:x:y:z': expected " GRES_HINT },
	{ "gpu:", "bad gres element 'gpu:': expected " GRES_HINT },
	{ "gpu:a100:x", "bad gres element 'gpu:a100:x': expected " GRES_HINT },
	{ "2", "bad gres element '2': expected " GRES_HINT },
	{ "gpu:1,,mps:1", "empty element in gres 'gpu:1,,mps:1'" },
	{ "", "empty gres: expected " GRES_HINT },
	{ "gpu:1,nvme:1:2:3", "bad gres element 'nvme:1:2:3': expected "
	    GRES_HINT },
	{ "gpu:1 ", "bad gres element 'gpu:1 ': expected " GRES_HINT },
	{ "gpu:1kx", NULL },	/* as Slurm reads it: type 1kx, count 1 */
};

int
main(void)
{
	char	*cause;
	size_t	 i;
	int	 rc;

	for (i = 0; i < sizeof gres_cases / sizeof gres_cases[0]; i++) {
		cause = NULL;
		rc = gres_check(gres_cases[i].gres, &cause);
		if (gres_cases[i].error == NULL)
			CHECK(rc == 0 && cause == NULL, "%s: accepted (%s)",
			    gres_cases[i].gres, cause != NULL ? cause : "ok");
		else
			CHECK(rc == -1 && cause != NULL &&
			    strcmp(cause, gres_cases[i].error) == 0,
			    "%s: refused with \"%s\" (got \"%s\")",
			    gres_cases[i].gres, gres_cases[i].error,
			    cause != NULL ? cause : "accepted");
		free(cause);
	}
	return (unit_done());
}
