/* The scheduler: one pass, and the loop that repeats it. */

#ifndef SCHEDULER_H
#define SCHEDULER_H

#include "store.h"

struct cluster_partition;
struct dagbag_cache;

/* The scheduler across passes. */
/* An old version of a DAG that a started run goes on with (dagversion.c). */
struct scheduler_version {
	char		*dag_id;
	char		 version[17];
	struct dag	*dag;		/* NULL: it could not be rebuilt */
	int		 used;		/* by a run in this pass */
};

struct scheduler {
	const struct config	*cfg;
	struct store		*st;
	int64_t			 slurm_down_since;	/* 0: it answers */
	int			 slurm_failures;	/* in a row */
	struct cluster_partition	*parts;		/* the cluster, as last seen */
	size_t			 nparts;
	int64_t			 parts_at;	/* when; 0: never */
	char			*errors;	/* last pass's DAG errors */
	struct dagbag_cache	*dags;		/* parsed, kept between passes */
	long			 max_array;	/* MaxArraySize; 0: not read */
	struct scheduler_version *versions;	/* old ones runs go on with */
	size_t			 nversions;

	/* What the last pass found. */
	int64_t			 wake;		/* next due instant, or 0 */
	int			 inflight;	/* our jobs in Slurm */
	int			 capped;	/* submissions held back */
};

void	 scheduler_pass(struct scheduler *, int64_t);
void	 scheduler_free(struct scheduler *);
void	 scheduler_forget_dags(struct scheduler *);
int	 scheduler_array_dag(const struct dag *, int);

#endif
