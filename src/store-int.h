/* Inside the store: what its files share, and the only place for sqlite3.h. */

#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3	*db;
	char	*path;
	char	*error;		/* why the last call failed: store_error */
};

sqlite3_stmt	*store_prepare(struct store *, const char *, const char *, ...);
int		 store_step(struct store *, sqlite3_stmt *);
int		 store_done(struct store *, sqlite3_stmt *);
int		 store_fail(struct store *);
char		*store_column_text(sqlite3_stmt *, int);

/* The columns store_run_read and store_ti_read expect, in this order. */
#define STORE_RUN_COLUMNS \
	"id, dag_id, run_id, run_type, state, version, created_by, " \
	"logical_date, interval_start, interval_end, created_at, " \
	"start_date, end_date, backfill, host, params, note, cleared_by, " \
	"cleared_at"
#define STORE_TI_COLUMNS \
	"run, task_id, state, reason, partition, node, try_number, " \
	"max_tries, exit_code, job_id, queued_at, start_date, end_date, " \
	"next_try_at, array_name, array_index, element_job_id"
/* The metrics the job wrapper writes (jobscript.c), as an SQL list. */
#define STORE_WRAPPER_FIGURES \
	"('job_elapsed_s', 'job_user_s', 'job_system_s', 'job_max_rss_kb', " \
	"'job_gpus')"
int		 store_metric_rows(struct store *, sqlite3_stmt *,
		     struct store_metric **, size_t *);
void		 store_run_read(sqlite3_stmt *, int, struct run *);
int		 store_ti_add_tasks(struct store *, int64_t, const struct dag *);
void		 store_ti_read(sqlite3_stmt *, int, struct ti *);

#endif
