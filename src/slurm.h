/* Slurm, in our own types: submit a batch job, load job states, cancel. */

#ifndef UPDRAFT_SLURM_H
#define UPDRAFT_SLURM_H

#include "updraft.h"

/* What one task instance asks of Slurm. */
struct slurm_request {
	const char		*name;		/* the task instance's key */
	const char		*script;	/* the wrapper's text */
	char			**env;		/* NULL-terminated K=V */
	const char		*work_dir;
	const char		*std_out;	/* the log file */
	const struct resources	*res;
	long			 uid;		/* run as; -1: ourselves */
	long			 gid;
	int64_t			 begin;		/* --begin; 0: now */
	const char		*dependency;	/* --dependency, or NULL */
	int			 append;	/* --open-mode=append */
	int			 no_requeue;	/* --no-requeue */
	const char		*array;		/* "0-9%2": a job array */
};

/* How a submission went. */
#define SLURM_SUBMITTED	0
#define SLURM_REJECTED	-1	/* this job will never be accepted */
#define SLURM_LATER	-2	/* the controller is down or a limit is hit */

enum slurm_phase {
	SLURM_PENDING,
	SLURM_RUNNING,
	SLURM_DONE,
};

/* A job as the controller last told us. */
struct slurm_job {
	int64_t		 job_id;
	char		*name;
	enum slurm_phase phase;
	int		 success;	/* when done: ended COMPLETED */
	int		 has_exit_code;
	int		 exit_code;
	char		*state;		/* "FAILED", "TIMEOUT", ... */
	char		*node;
	char		*partition;
	int64_t		 start;
	int64_t		 end;
	long		 time_limit;	/* minutes */
	int64_t		 array_job_id;	/* 0: not of a job array */
	int		 array_task_id;	/* -1: not one element */
	char		*array_tasks;	/* pending elements ("3-9%2"), or NULL */
};

/* A partition, as far as checking a task against it goes. */
struct slurm_partition {
	char	*name;
	int	 is_default;
	int	 has_gpus;	/* some node of it has gpu GRES */
	char	**gres;		/* its nodes' GRES: "name" and "name:type" */
	size_t	  ngres;
	char	*allow_accounts;	/* Slurm's lists, comma-separated; */
	char	*deny_accounts;		/* NULL: none set */
	char	*allow_qos;
	char	*deny_qos;
};

const char	*slurm_library_version(void);
int		 slurm_partitions_load(struct slurm_partition **, size_t *,
		     char **);
void		 slurm_partitions_free(struct slurm_partition *, size_t);
int		 slurm_submit(const struct slurm_request *, int64_t *, char **);
int		 slurm_jobs_load(int, struct slurm_job **, size_t *, char **);
void		 slurm_jobs_free(struct slurm_job *, size_t);
int		 slurm_cancel(int64_t, int, char **);
int		 slurm_max_array_size(long *, char **);
int		 slurm_array_has(const char *, int);
void		 slurm_rpc_counts(unsigned long *, unsigned long *);

#endif
