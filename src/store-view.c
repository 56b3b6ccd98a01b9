/* What the views read: the newest runs of a DAG, active and failed tasks. */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"

/* As store.c's STORE_RUN_COLUMNS and STORE_TI_COLUMNS, prefixed. */
#define STORE_VIEW_RUN_COLUMNS \
	"r.id, r.dag_id, r.run_id, r.run_type, r.state, r.version, " \
	"r.created_by, r.logical_date, r.interval_start, r.interval_end, " \
	"r.created_at, r.start_date, r.end_date, r.backfill, r.host, " \
	"r.params, r.note, r.cleared_by, r.cleared_at"
#define STORE_VIEW_TI_COLUMNS \
	"ti.run, ti.task_id, ti.state, ti.reason, ti.partition, ti.node, " \
	"ti.try_number, ti.max_tries, ti.exit_code, ti.job_id, " \
	"ti.queued_at, ti.start_date, ti.end_date, ti.next_try_at, " \
	"ti.array_name, ti.array_index, ti.element_job_id"

/* The failed task instances, by the ti_failed index (store.c). */
#define STORE_VIEW_FAILED \
	"task_instance INDEXED BY ti_failed WHERE state = 'failed'"
#define STORE_VIEW_FAILED_AT \
	"coalesce(end_date, start_date, queued_at)"

/* Finalize stmt, stepped to rc: 0 when it reached its end, or -1. */
static int
store_view_end(struct store *st, sqlite3_stmt *stmt, int rc)
{
	(void)st;
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * The newest limit runs of a DAG (all when limit < 0), oldest first, and
 * their task instances ordered by run and then as they were created. Sets
 * *total to how many runs the DAG has. 0, or -1; the lists are the
 * caller's to free either way.
 */
int
store_view_grid(struct store *st, const char *dag_id, int limit,
    int *total, struct run **runs, size_t *nruns, struct ti **tis,
    size_t *ntis)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*runs = NULL;
	*nruns = 0;
	*tis = NULL;
	*ntis = 0;
	*total = 0;

	stmt = store_prepare(st, "SELECT count(*) FROM run WHERE dag_id = ?1",
	    "s", dag_id);
	if (stmt == NULL)
		return (-1);
	if ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*total = sqlite3_column_int(stmt, 0);
		rc = store_step(st, stmt);
	}
	if (store_view_end(st, stmt, rc) != 0)
		return (-1);

	stmt = store_prepare(st, "SELECT * FROM (SELECT "
	    STORE_VIEW_RUN_COLUMNS " FROM run r WHERE r.dag_id = ?1 ORDER BY "
	    "r.logical_date DESC LIMIT ?2) ORDER BY logical_date", "si", dag_id,
	    limit < 0 ? -1 : limit);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*runs = xreallocarray(*runs, *nruns + 1, sizeof **runs);
		store_run_read(stmt, 0, &(*runs)[(*nruns)++]);
	}
	if (store_view_end(st, stmt, rc) != 0)
		return (-1);
	if (*nruns == 0)
		return (0);

	stmt = store_prepare(st, "SELECT " STORE_VIEW_TI_COLUMNS " FROM "
	    "task_instance ti JOIN run r ON r.id = ti.run WHERE r.dag_id = ?1 "
	    "AND r.logical_date >= ?2 ORDER BY r.logical_date, ti.rowid", "sI",
	    dag_id, (*runs)[0].logical_date);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*tis = xreallocarray(*tis, *ntis + 1, sizeof **tis);
		store_ti_read(stmt, 0, &(*tis)[(*ntis)++]);
	}
	return (store_view_end(st, stmt, rc));
}

/*
 * For each DAG with runs or tasks queued or running, how many: 0, or -1.
 * Tasks being submitted (scheduled) count as queued.
 */
int
store_view_counts(struct store *st, struct store_view_count **list,
    size_t *n)
{
	sqlite3_stmt		*stmt;
	struct store_view_count	*c;
	int			 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT dag_id, "
	    "sum(kind = 'run' AND state = 'running'), "
	    "sum(kind = 'run' AND state = 'queued'), "
	    "sum(kind = 'ti' AND state IN ('scheduled', 'queued')), "
	    "sum(kind = 'ti' AND state = 'running') FROM ("
	    "SELECT 'run' AS kind, dag_id, state FROM run WHERE state IN "
	    "('queued', 'running') UNION ALL "
	    "SELECT 'ti', r.dag_id, ti.state FROM task_instance ti JOIN run r "
	    "ON r.id = ti.run WHERE ti.state IN ('scheduled', 'queued', "
	    "'running')) GROUP BY dag_id ORDER BY dag_id", "");
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		c = &(*list)[(*n)++];
		c->dag_id = store_column_text(stmt, 0);
		c->runs_running = sqlite3_column_int(stmt, 1);
		c->runs_queued = sqlite3_column_int(stmt, 2);
		c->tis_queued = sqlite3_column_int(stmt, 3);
		c->tis_running = sqlite3_column_int(stmt, 4);
	}
	return (store_view_end(st, stmt, rc));
}

/*
 * Task instances with their DAG and run: with failed, the latest limit
 * failures, newest first; else every one scheduled, queued or running, by
 * DAG, logical date and creation. 0, or -1.
 */
int
store_view_tis(struct store *st, int failed, int limit,
    struct store_view_ti **list, size_t *n)
{
	sqlite3_stmt		*stmt;
	struct store_view_ti	*v;
	int			 rc;

	*list = NULL;
	*n = 0;
	if (failed) {
		/*
		 * Sorted on a key that falls back to the run's date, so no
		 * index gives the order; but the ti_failed index gives the
		 * candidates: the failures whose own time is at least the
		 * limit-th newest (ties included), and those with none.
		 */
		stmt = store_prepare(st, "SELECT r.dag_id, r.run_id, "
		    "r.logical_date, " STORE_VIEW_TI_COLUMNS " FROM "
		    "task_instance ti JOIN run r ON r.id = ti.run WHERE "
		    "ti.rowid IN (SELECT rowid FROM " STORE_VIEW_FAILED " AND "
		    STORE_VIEW_FAILED_AT " >= coalesce((SELECT "
		    STORE_VIEW_FAILED_AT " FROM " STORE_VIEW_FAILED " AND "
		    STORE_VIEW_FAILED_AT " IS NOT NULL ORDER BY "
		    STORE_VIEW_FAILED_AT " DESC LIMIT 1 OFFSET ?1 - 1), "
		    "-9223372036854775808) UNION ALL SELECT rowid FROM "
		    STORE_VIEW_FAILED " AND " STORE_VIEW_FAILED_AT " IS NULL) "
		    "ORDER BY coalesce(ti.end_date, ti.start_date, "
		    "ti.queued_at, r.logical_date) DESC, r.dag_id, ti.task_id "
		    "LIMIT ?1", "i", limit);
	} else {
		stmt = store_prepare(st, "SELECT r.dag_id, r.run_id, "
		    "r.logical_date, " STORE_VIEW_TI_COLUMNS " FROM "
		    "task_instance ti JOIN run r ON r.id = ti.run WHERE "
		    "ti.state IN ('scheduled', 'queued', 'running') ORDER BY "
		    "r.dag_id, r.logical_date, ti.rowid", "");
	}
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		v = &(*list)[(*n)++];
		v->dag_id = store_column_text(stmt, 0);
		v->run_id = store_column_text(stmt, 1);
		v->logical_date = sqlite3_column_int64(stmt, 2);
		store_ti_read(stmt, 3, &v->ti);
	}
	return (store_view_end(st, stmt, rc));
}

void
store_view_free_counts(struct store_view_count *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i].dag_id);
	free(list);
}

void
store_view_free_tis(struct store_view_ti *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].dag_id);
		free(list[i].run_id);
		free(list[i].ti.task_id);
		free(list[i].ti.state);
		free(list[i].ti.reason);
		free(list[i].ti.partition);
		free(list[i].ti.node);
		free(list[i].ti.array_name);
	}
	free(list);
}
