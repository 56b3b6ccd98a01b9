/* The SQLite database, in our own types: DAGs, runs, task instances. */

/*
 * The contract of every store_* call:
 *   - a lookup returns 1 found, 0 not found, -1 error;
 *   - a write returns 0 done, -1 error; a conditional write (one that may
 *     find its row missing or taken: store_dag_set_paused, store_run_create,
 *     store_lease_take, store_lease_renew) returns 1 done, 0 not, -1 error;
 *   - a listing returns 0, or -1; a count, the count or -1.
 * On -1, store_error() says why until the next failure (as errno). The
 * store never prints nor logs: its caller reports the error, once.
 */

#ifndef STORE_H
#define STORE_H

#include "updraft.h"

struct store;

struct store_dag {
	char	*dag_id;
	char	*path;
	char	*version;
	char	*load_error;	/* NULL when the file loaded */
	int	 paused;
	int	 has_next;
	int64_t	 next_dagrun;	/* logical date of the next scheduled run */
	char	*pause_reason;	/* the scheduler paused it: why; else NULL */

	/* Only from store_dag_list_pass. */
	char	*cluster_error;
	int	 active;	/* has a queued or running run */
};

struct run {
	int64_t	 id;		/* rowid */
	char	*dag_id;
	char	*run_id;
	char	*run_type;	/* scheduled, manual, backfill */
	char	*state;		/* queued, running, success, failed */
	char	*version;
	char	*created_by;
	int64_t	 logical_date;
	int64_t	 interval_start;
	int64_t	 interval_end;
	int64_t	 created_at;
	int64_t	 start_date;	/* 0: not yet */
	int64_t	 end_date;
	int64_t	 backfill;	/* the backfill that last ran it, or 0 */
	char	*host;		/* where it was created */
	char	*params;	/* JSON object of its params (record.c); or NULL */
	char	*note;
	char	*cleared_by;	/* who last cleared its tasks; or NULL */
	int64_t	 cleared_at;
	char	*labels;	/* store_query_runs only, not owned: each label
				 * NUL-ended, then an empty one; NULL: none */
};

struct ti {
	int64_t	 run;		/* rowid of its run */
	char	*task_id;
	char	*state;
	char	*reason;
	char	*partition;
	char	*node;
	int	 try_number;
	int	 max_tries;
	int	 has_exit_code;
	int	 exit_code;
	int64_t	 job_id;	/* 0: none */
	int64_t	 queued_at;
	int64_t	 start_date;
	int64_t	 end_date;
	int64_t	 next_try_at;
	char	*array_name;	/* the job array of this try, or NULL */
	int	 array_index;	/* its element in it; -1: not in one */
	int64_t	 element_job_id;	/* the element's own job id; 0: none */
};

/* A request to run a DAG over a range of logical dates. */
struct backfill {
	int64_t	 id;
	char	*dag_id;
	int64_t	 from;
	int64_t	 to;
	char	*reprocess;	/* missing, failed, all */
	int	 max_active;
	int	 reverse;
	char	*state;		/* running, done, cancelled */
	char	*created_by;
	int64_t	 created_at;
	int64_t	 end_date;
	int	 total;		/* items, by state */
	int	 pending;
	int	 started;
	int	 done;
	int	 skipped;
	int	 dropped;
};

/* One logical date of a backfill. */
struct backfill_item {
	int64_t	 logical;
	int64_t	 start;
	int64_t	 end;
	char	*state;		/* pending, started, done, skipped, dropped */
	int64_t	 run;		/* rowid of its run, once started */
};

/* The scheduler's lease (store-lease.c); times are 0 when NULL. */
struct store_lease {
	char	*host;
	long	 pid;
	char	*job_id;	/* SLURM_JOB_ID, or NULL */
	int64_t	 started_at;
	int64_t	 heartbeat;	/* 0: let go */
	int64_t	 expires;
	int64_t	 last_pass;
	int64_t	 next_pass;	/* when the next pass is due; 0: none planned */
};

const char	*store_library_version(void);
#define STORE_WAL	0x1	/* WAL journal: a local disk only */
#define STORE_RDONLY	0x2	/* read only: no journal change, no migration */
struct store	*store_open(const char *, int, char **);
void		 store_close(struct store *);
int		 store_readonly(struct store *);
char		*store_snapshot_path(const char *);
int		 store_snapshot(struct store *, char **);
int64_t		 store_changes(struct store *);
int		 store_lease_get(struct store *, struct store_lease *);
int		 store_lease_take(struct store *, const struct store_lease *,
		     int64_t, int (*)(const struct store_lease *),
		     struct store_lease *);
int		 store_lease_renew(struct store *, const struct store_lease *,
		     int64_t, int, int64_t);
int		 store_lease_release(struct store *, const struct store_lease *);
void		 store_lease_clear(struct store_lease *);
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);
const char	*store_error(struct store *);

int	 store_dag_sync(struct store *, const char *, const char *,
	     const char *, const char *);
int	 store_dag_get(struct store *, const char *, struct store_dag *);
int	 store_dag_list(struct store *, struct store_dag **, size_t *);
int	 store_dag_list_pass(struct store *, struct store_dag **, size_t *);
int	 store_dag_set_paused(struct store *, const char *, int);
int	 store_dag_pause(struct store *, const char *, const char *);
int	 store_dag_set_next(struct store *, const char *, int64_t);
int	 store_dag_set_cluster_error(struct store *, const char *,
	     const char *);
void	 store_dag_clear(struct store_dag *);
void	 store_dag_free_list(struct store_dag *, size_t);

int	 store_run_create(struct store *, struct run *, const struct dag *);
int	 store_run_exists(struct store *, const char *, int64_t);
int	 store_run_list(struct store *, const char *, const char *,
	     struct run **, size_t *);
int	 store_run_find(struct store *, const char *, const char *,
	     struct run *);
int	 store_run_range(struct store *, const char *, int64_t, int64_t,
	     struct run **, size_t *);
int	 store_run_count(struct store *, const char *, const char *, int);
int	 store_run_set_state(struct store *, struct run *, const char *,
	     int64_t);
int	 store_run_at(struct store *, const char *, int64_t, struct run *);
int	 store_run_rerun(struct store *, struct run *, const struct dag *,
	     int64_t, int64_t);
int	 store_run_state(struct store *, int64_t, char **);
void	 store_run_clear(struct run *);
void	 store_run_free_list(struct run *, size_t);

int	 store_ti_list(struct store *, int64_t, struct ti **, size_t *);
int	 store_ti_update(struct store *, const struct ti *);
int	 store_ti_active(struct store *, struct ti **, size_t *);
int	 store_ti_array_queued(struct store *, const char *, int64_t,
	     const char *, int64_t);
int	 store_ti_previous(struct store *, const char *, int64_t,
	     const char *, char **);
void	 store_ti_free_list(struct ti *, size_t);

int	 store_backfill_create(struct store *, struct backfill *,
	     const struct interval *, size_t);
int	 store_backfill_list(struct store *, const char *, const char *,
	     struct backfill **, size_t *);
int	 store_backfill_get(struct store *, int64_t, struct backfill *);
int	 store_backfill_set_state(struct store *, int64_t, const char *,
	     int64_t);
int	 store_backfill_items(struct store *, int64_t, const char *, int, int,
	     struct backfill_item **, size_t *);
int	 store_backfill_item_set(struct store *, int64_t, int64_t,
	     const char *, int64_t);
int	 store_backfill_drop(struct store *, int64_t);
void	 store_backfill_clear(struct backfill *);
void	 store_backfill_free_list(struct backfill *, size_t);
void	 store_backfill_free_items(struct backfill_item *, size_t);

/* store-view.c: what the views (grid, status) read. */
struct store_view_count {
	char	*dag_id;
	int	 runs_running;
	int	 runs_queued;
	int	 tis_queued;	/* scheduled or queued */
	int	 tis_running;
};

/* A task instance with its DAG and run. */
struct store_view_ti {
	char		*dag_id;
	char		*run_id;
	int64_t		 logical_date;
	struct ti	 ti;
};

int	 store_view_grid(struct store *, const char *, int, int *,
	     struct run **, size_t *, struct ti **, size_t *);
int	 store_view_counts(struct store *, struct store_view_count **,
	     size_t *);
int	 store_view_tis(struct store *, int, int, struct store_view_ti **,
	     size_t *);
void	 store_view_free_counts(struct store_view_count *, size_t);
void	 store_view_free_tis(struct store_view_ti *, size_t);

/* store-query.c: what the command line's listings read, streamed. */
struct where_query;
struct store_run_filter {
	const char	*dag_id;	/* NULL: every DAG */
	const char	*state;		/* NULL: any */
	const char	*created_by;	/* NULL: anyone */
	int64_t		 since;		/* logical date from; with has_since */
	int		 has_since;
	long		 last;		/* > 0: only the newest so many */
	int		 brief;		/* only ids, type, state, logical date */
	const struct where_query *query;	/* --where, --label, --order;
						   its base must be 6 */
};

/* The widest ids of the runs a filter selects, and their count. */
struct store_run_widths {
	size_t	dag_id;
	size_t	run_id;
	long	count;
};

int	 store_query_runs(struct store *, const struct store_run_filter *,
	     int (*)(const struct run *, void *), void *);
int	 store_query_run_widths(struct store *,
	     const struct store_run_filter *, struct store_run_widths *);
int	 store_query_ti_state(struct store *, int64_t, const char *, char **,
	     int *);

/* store-record.c: experiment records: labels, notes, metrics, outputs. */
struct store_metric {
	char	*task_id;
	char	*key;
	double	 value;
};

struct store_output {
	char	*task_id;
	char	*name;
	char	*path;
	int64_t	 size;		/* -1: the file was missing */
	int64_t	 mtime;
	char	*sha256;	/* or NULL: not asked for */
};

/* Everything recorded of one run, for compare and export. */
struct store_step {
	char	*task_id;
	char	*step;
	char	*state;
	int	 exit_code;
	char	*nodes;
	int64_t	 elapsed_s;
	double	 cpu_s;
	int64_t	 max_rss_kb;	/* -1: not measured */
	int64_t	 max_vmsize_kb;
	char	*tres;
};

struct store_record {
	struct run		 r;
	char			**labels;
	size_t			  nlabels;
	struct store_metric	 *metrics;
	size_t			  nmetrics;
	struct store_output	 *outputs;
	size_t			  noutputs;
	struct ti		 *tis;
	size_t			  ntis;
	struct store_metric	 *figures;	/* key: "accounting", "wrapper" */
	size_t			  nfigures;
	struct store_step	 *steps;	/* from accounting */
	size_t			  nsteps;
};

int	 store_record_load(struct store *, struct store_record *);
void	 store_record_clear(struct store_record *);
int	 store_record_run_get(struct store *, int64_t, struct run *);
int	 store_record_labels(struct store *, int64_t, char ***, size_t *);
int	 store_record_label(struct store *, int64_t, const char *, int);
int	 store_record_set_note(struct store *, int64_t, const char *);
int	 store_record_ingest(struct store *, int64_t, const char *, int,
	     const struct store_metric *, size_t, const struct store_output *,
	     size_t);
int	 store_record_metrics(struct store *, int64_t, struct store_metric **,
	     size_t *);
int	 store_record_outputs(struct store *, int64_t, struct store_output **,
	     size_t *);
void	 store_record_free_labels(char **, size_t);
void	 store_record_free_metrics(struct store_metric *, size_t);
void	 store_record_free_outputs(struct store_output *, size_t);

/* store-version.c: each distinct content a DAG has had. */
struct dag_version {
	int	 number;	/* 1, 2, ... in the order first seen */
	char	*version;	/* the content hash */
	int64_t	 first_seen;
	int	 runs;		/* runs created with it */
	char	*source;	/* the DAG file, then each script it runs */
};
int	 store_version_known(struct store *, const char *, const char *);
int	 store_version_add(struct store *, const char *, const char *,
	     const char *, int64_t);
int	 store_version_source(struct store *, const char *, const char *,
	     char **);
int	 store_run_set_cleared(struct store *, int64_t, const char *,
	     int64_t);
int	 store_run_take_version(struct store *, struct run *,
	     const struct dag *);
int	 store_version_list(struct store *, const char *,
	     struct dag_version **, size_t *);
void	 store_version_free_list(struct dag_version *, size_t);

/* store-lineage.c: which run's output a task read through its inputs. */
struct store_input_src {
	int64_t	 run;
	char	*run_id;
	int64_t	 logical_date;
	char	*path;
};
/* One edge: an output of one run read by a task of another. */
struct lineage_edge {
	int64_t	 run;		/* the run at the other end */
	char	*dag_id;	/* its DAG, run id and date */
	char	*run_id;
	int64_t	 logical_date;
	char	*src_task_id;	/* the task and output read */
	char	*src_output;
	char	*task_id;	/* the task that read it, and as what */
	char	*name;
	char	*path;
};
int	 store_input_find(struct store *, const struct task_input *, int64_t,
	     struct store_input_src *);
void	 store_input_src_clear(struct store_input_src *);
int	 store_input_record(struct store *, int64_t, const char *,
	     const struct task_input *, const struct store_input_src *);
int	 store_lineage_edges(struct store *, int64_t, int,
	     struct lineage_edge **, size_t *);
void	 store_lineage_free(struct lineage_edge *, size_t);

/* store-acct.c: a try's figures from accounting, and its job's steps. */
struct store_acct_pending {
	int64_t	 run;
	char	*task_id;
	int	 try_number;
	int64_t	 job_id;
	int	 array_index;
	int64_t	 since;
};


int	 store_acct_queue(struct store *, const struct ti *, int64_t);
int	 store_acct_pending(struct store *, struct store_acct_pending **,
	     size_t *);
void	 store_acct_free_pending(struct store_acct_pending *, size_t);
int	 store_acct_cancelled(struct store *,
	     const struct store_acct_pending *, const char *);
int	 store_acct_record(struct store *, const struct store_acct_pending *,
	     const struct store_metric *, size_t, const struct store_step *,
	     size_t);
int	 store_acct_drop(struct store *, const struct store_acct_pending *);
int	 store_acct_sources(struct store *, int64_t, struct store_metric **,
	     size_t *);
int	 store_acct_steps(struct store *, int64_t, struct store_step **,
	     size_t *);
void	 store_acct_free_steps(struct store_step *, size_t);

#endif
