/* Slurm, in our own types: submit a batch job, load job states, cancel. */

#ifndef UPDRAFT_CLUSTER_H
#define UPDRAFT_CLUSTER_H

#include "updraft.h"

/* What one task instance asks of Slurm. */
struct cluster_request {
	const char		*name;		/* the task instance's key */
	const char		*script;	/* the wrapper's text */
	char			**env;		/* NULL-terminated K=V */
	const char		*work_dir;
	const char		*std_out;	/* the log file */
	const struct resources	*res;
	int64_t			 begin;		/* --begin; 0: now */
	const char		*dependency;	/* --dependency, or NULL */
	int			 append;	/* --open-mode=append */
	int			 no_requeue;	/* --no-requeue */
	const char		*array;		/* "0-9%2": a job array */
};

/* How a submission went. */
#define CLUSTER_SUBMITTED	0
#define CLUSTER_REJECTED	-1	/* this job will never be accepted */
#define CLUSTER_LATER	-2	/* the controller does not answer */
#define CLUSTER_BUSY	-3	/* it answers, but is full or a limit is hit */

enum cluster_phase {
	CLUSTER_PENDING,
	CLUSTER_RUNNING,
	CLUSTER_DONE,
};

/* A job as the controller last told us. */
struct cluster_job {
	int64_t		 job_id;
	char		*name;
	enum cluster_phase phase;
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
	int		 restarts;	/* times Slurm requeued it */
	int		 preempted;	/* it was told to make way */
	char		*wait_reason;	/* pending: what holds it that a person
					   must lift ("PartitionDown"), or NULL */
};

/* A partition, as far as checking a task against it goes. */
struct cluster_partition {
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

/* One step of a job, as accounting recorded it. */
struct cluster_acct_step {
	char		*step;		/* "batch", "extern", "0", ... */
	char		*state;
	int		 exit_code;
	char		*nodes;
	int64_t		 elapsed;	/* seconds */
	double		 cpu_s;		/* user and system */
	int64_t		 max_rss_kb;	/* -1: not measured */
	int64_t		 max_vmsize_kb;
	char		*tres;		/* allocated: "cpu=1,mem=256M,..." */
};

/* A job (or an array's element) as accounting recorded it. */
struct cluster_acct_job {
	int64_t		 job_id;	/* asked for: a job, or an array */
	int		 array_index;	/* asked for: -1, or its element */
	int		 found;		/* accounting has it */
	int		 done;		/* it has ended */
	int		 success;
	char		*state;
	int		 has_exit_code;
	int		 exit_code;
	char		*nodes;
	int64_t		 start;
	int64_t		 end;
	int64_t		 elapsed;	/* seconds */
	double		 user_s;	/* over all steps */
	double		 system_s;
	int64_t		 max_rss_kb;	/* the most of any step; -1: none */
	int64_t		 max_vmsize_kb;
	int		 gpus;		/* allocated gres/gpu, any vendor */
	char		*tres;		/* allocated TRES */
	int64_t		 cancelled_uid;	/* CANCELLED at whose request; -1 */
	struct cluster_acct_step *steps;
	size_t		 nsteps;
};

/* A QOS's limits on one job and one user; 0 or -1: none. */
struct cluster_acct_qos {
	char		*name;
	long		 id;
	long		 max_wall;	/* minutes */
	long		 max_gpus_job;
	long		 max_gpus_user;
};

/* An association: an account's own (user NULL), or a user's in it. */
struct cluster_acct_assoc {
	char		*account;
	char		*user;
	char		*partition;	/* NULL: any */
	char		**qos;		/* the QOS it may use */
	size_t		 nqos;
	int		 is_default;	/* the user's default account */
};

/* Accounts, associations and QOS of this cluster, from slurmdbd. */
struct cluster_acct {
	struct cluster_acct_assoc *assocs;
	size_t		 nassocs;
	struct cluster_acct_qos *qos;
	size_t		 nqos;
};

const char	*cluster_library_version(void);
int		 cluster_controller_version(char **, char **);
int		 cluster_same_series(const char *, const char *);
int		 cluster_partitions_load(struct cluster_partition **, size_t *,
		     char **);
void		 cluster_partitions_free(struct cluster_partition *, size_t);
int		 cluster_submit(const struct cluster_request *, int64_t *, char **);
int		 cluster_jobs_load(struct cluster_job **, size_t *, char **);
void		 cluster_jobs_free(struct cluster_job *, size_t);
int		 cluster_cancel(int64_t, int, char **);
int		 cluster_max_array_size(long *, char **);
int		 cluster_array_has(const char *, int);
void		 cluster_rpc_counts(unsigned long *, unsigned long *);
int		 cluster_acct_enabled(char **);
int		 cluster_acct_jobs(struct cluster_acct_job *, size_t, char **);
void		 cluster_acct_jobs_clear(struct cluster_acct_job *, size_t);
int		 cluster_acct_load(struct cluster_acct **, char **);
void		 cluster_acct_free(struct cluster_acct *);

#endif
