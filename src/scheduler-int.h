/* Inside the scheduler: one pass, as scheduler.c hands it down. */

#ifndef SCHEDULER_INT_H
#define SCHEDULER_INT_H

#include "scheduler.h"
#include "cluster.h"

/* One pass of the scheduler, as its functions hand it down. */
struct pass {
	struct scheduler	*sched;
	const struct config	*cfg;
	struct store		*st;
	int64_t			 now;
	struct cluster_job	*jobs;		/* this user's jobs in Slurm */
	size_t			 njobs;
	int			 slurm_ok;	/* jobs were loaded */
	int			 inflight;	/* our jobs in Slurm's queue */
	int			 submitted;
	int			 capped;	/* a limit held submissions back */
	int			 busy;		/* Slurm is full: submit no more */
	int64_t			 wake;		/* next instant worth a pass */
	const struct dag	*dag;		/* whose run is being advanced */
	struct store_dag	*dags;		/* every DAG's row, by dag_id */
	size_t			 ndags;
	struct ti		*held;		/* submitted; its job id unwritten */
};

/* scheduler-array.c */
int		 scheduler_array_upstream_holds(const struct task *,
		     struct ti *, size_t, const char **);
void		 scheduler_array_take_back(struct pass *, const struct run *,
		     struct ti *, const char *);
void		 scheduler_array_runs(struct pass *, const struct dag *,
		     struct run *, size_t, int *);

#endif
