/* Run creation: a new run of a DAG for one interval, by whatever asks. */

#ifndef RUNS_H
#define RUNS_H

#include "store.h"

/* What a manual run carries beyond its DAG's defaults. */
struct run_context {
	const char	**names;	/* params given: checked, canonical */
	const char	**values;
	size_t		  nparams;
	const char	 *note;		/* or NULL */
	int64_t		  id;		/* set: the new run's rowid */
};

int	 runs_create(struct store *, const struct dag *, const char *,
	     const struct interval *, int64_t, int64_t);
int	 runs_create_with(struct store *, const struct dag *, const char *,
	     const struct interval *, int64_t, int64_t, struct run_context *);

#endif
