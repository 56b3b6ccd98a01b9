/* What the command line's listings read: runs streamed through filters. */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"

#define STORE_QUERY_RUN_COLUMNS \
	"id, dag_id, run_id, run_type, state, version, created_by, " \
	"logical_date, interval_start, interval_end, created_at, " \
	"start_date, end_date, backfill"

/*
 * The runs a filter selects, in logical date order, as an allocated SELECT
 * of STORE_QUERY_RUN_COLUMNS with parameters ?1 dag_id, ?2 state,
 * ?3 created_by, ?4 since, ?5 limit. Only the filters given are in the
 * WHERE clause, so that SQLite picks the index on (dag_id, logical_date)
 * or (dag_id, state, logical_date), and with --last the LIMIT walks that
 * index backwards instead of sorting.
 */
static char *
store_query_runs_sql(const struct store_run_filter *f)
{
	char	*where, *sql, *tmp;

	where = xstrdup("1");
	if (f->dag_id != NULL) {
		xasprintf(&tmp, "%s AND dag_id = ?1", where);
		free(where);
		where = tmp;
	}
	if (f->state != NULL) {
		xasprintf(&tmp, "%s AND state = ?2", where);
		free(where);
		where = tmp;
	}
	if (f->created_by != NULL) {
		xasprintf(&tmp, "%s AND created_by = ?3", where);
		free(where);
		where = tmp;
	}
	if (f->has_since) {
		xasprintf(&tmp, "%s AND logical_date >= ?4", where);
		free(where);
		where = tmp;
	}
	if (f->last > 0)
		xasprintf(&sql, "SELECT * FROM (SELECT " STORE_QUERY_RUN_COLUMNS
		    " FROM run WHERE %s ORDER BY logical_date DESC, dag_id DESC "
		    "LIMIT ?5) ORDER BY logical_date, dag_id", where);
	else
		xasprintf(&sql, "SELECT " STORE_QUERY_RUN_COLUMNS " FROM run "
		    "WHERE %s ORDER BY logical_date, dag_id", where);
	free(where);
	return (sql);
}

static sqlite3_stmt *
store_query_runs_prepare(struct store *st, const struct store_run_filter *f,
    const char *outer)
{
	sqlite3_stmt	*stmt;
	char		*sql, *wrapped;

	sql = store_query_runs_sql(f);
	if (outer != NULL) {
		xasprintf(&wrapped, "%s FROM (%s)", outer, sql);
		free(sql);
		sql = wrapped;
	}
	stmt = store_prepare(st, sql, "sssII", f->dag_id, f->state,
	    f->created_by, f->since, (int64_t)(f->last > 0 ? f->last : -1));
	free(sql);
	return (stmt);
}

/*
 * Call cb for each run the filter selects, oldest logical date first,
 * without copying: the run's strings last until cb returns. Stop early
 * when cb returns non-zero. 0, or -1 on a database error.
 */
int
store_query_runs(struct store *st, const struct store_run_filter *f,
    int (*cb)(const struct run *, void *), void *arg)
{
	sqlite3_stmt	*stmt;
	struct run	 r;
	int		 rc;

	if ((stmt = store_query_runs_prepare(st, f, NULL)) == NULL)
		return (-1);
	memset(&r, 0, sizeof r);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(stmt, 0);
		r.dag_id = (char *)sqlite3_column_text(stmt, 1);
		r.run_id = (char *)sqlite3_column_text(stmt, 2);
		r.run_type = (char *)sqlite3_column_text(stmt, 3);
		r.state = (char *)sqlite3_column_text(stmt, 4);
		r.version = (char *)sqlite3_column_text(stmt, 5);
		r.created_by = (char *)sqlite3_column_text(stmt, 6);
		r.logical_date = sqlite3_column_int64(stmt, 7);
		r.interval_start = sqlite3_column_int64(stmt, 8);
		r.interval_end = sqlite3_column_int64(stmt, 9);
		r.created_at = sqlite3_column_int64(stmt, 10);
		r.start_date = sqlite3_column_int64(stmt, 11);
		r.end_date = sqlite3_column_int64(stmt, 12);
		r.backfill = sqlite3_column_int64(stmt, 13);
		if (cb(&r, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* Fill w with the widest texts (in bytes) of the runs f selects: 0, or -1. */
int
store_query_run_widths(struct store *st, const struct store_run_filter *f,
    struct store_run_widths *w)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(w, 0, sizeof *w);
	stmt = store_query_runs_prepare(st, f, "SELECT "
	    "max(length(CAST(dag_id AS BLOB))), "
	    "max(length(CAST(run_id AS BLOB))), "
	    "max(length(CAST(run_type AS BLOB))), "
	    "max(length(CAST(state AS BLOB))), "
	    "max(length(CAST(created_by AS BLOB))), count(*)");
	if (stmt == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		w->dag_id = (size_t)sqlite3_column_int64(stmt, 0);
		w->run_id = (size_t)sqlite3_column_int64(stmt, 1);
		w->run_type = (size_t)sqlite3_column_int64(stmt, 2);
		w->state = (size_t)sqlite3_column_int64(stmt, 3);
		w->created_by = (size_t)sqlite3_column_int64(stmt, 4);
		w->count = (long)sqlite3_column_int64(stmt, 5);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 0 : -1);
}

/*
 * The state (allocated) and try number of one task instance of a run: 1,
 * 0 if the run has no such task, -1 on a database error.
 */
int
store_query_ti_state(struct store *st, int64_t run, const char *task_id,
    char **state, int *try_number)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*state = NULL;
	*try_number = 0;
	stmt = store_prepare(st, "SELECT state, try_number FROM task_instance "
	    "WHERE run = ?1 AND task_id = ?2", "Is", run, task_id);
	if (stmt == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*state = store_column_text(stmt, 0);
		*try_number = sqlite3_column_int(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}
