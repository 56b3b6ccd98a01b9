/* A try's figures from accounting in the database, and its job's steps. */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"

/*
 * A finished try whose job accounting is to be asked about (slurmdbd
 * records a job's end a moment after it): replaces the task's earlier one.
 */
int
store_acct_queue(struct store *st, const struct ti *ti, int64_t now)
{
	return (store_done(st, store_prepare(st, "INSERT OR REPLACE INTO "
	    "acct_pending (run, task_id, try_number, job_id, array_index, "
	    "since) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "IsiIiI", ti->run,
	    ti->task_id, ti->try_number, ti->job_id, ti->array_index, now)));
}

/* The tries waiting for accounting, oldest first: 0, or -1. */
int
store_acct_pending(struct store *st, struct store_acct_pending **list,
    size_t *n)
{
	struct store_acct_pending	*a;
	sqlite3_stmt			*stmt;
	int				 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT run, task_id, try_number, job_id, "
	    "array_index, since FROM acct_pending ORDER BY since, run", "");
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		a = &(*list)[(*n)++];
		a->run = sqlite3_column_int64(stmt, 0);
		a->task_id = store_column_text(stmt, 1);
		a->try_number = sqlite3_column_int(stmt, 2);
		a->job_id = sqlite3_column_int64(stmt, 3);
		a->array_index = sqlite3_column_int(stmt, 4);
		a->since = sqlite3_column_int64(stmt, 5);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

void
store_acct_free_pending(struct store_acct_pending *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i].task_id);
	free(list);
}

/* Stop asking about a try (accounting never had its job). */
int
store_acct_drop(struct store *st, const struct store_acct_pending *a)
{
	return (store_done(st, store_prepare(st, "DELETE FROM acct_pending "
	    "WHERE run = ?1 AND task_id = ?2", "Is", a->run, a->task_id)));
}

/*
 * Who cancelled a try's job, once accounting says: the reason the poll
 * gave ("cancelled outside Updraft", Slurm's job info cannot tell) becomes
 * reason, if the try is still the task's latest and was not retried.
 */
int
store_acct_cancelled(struct store *st, const struct store_acct_pending *a,
    const char *reason)
{
	return (store_done(st, store_prepare(st, "UPDATE task_instance SET "
	    "reason = ?3 WHERE run = ?1 AND task_id = ?2 AND try_number = ?4 "
	    "AND reason = 'cancelled outside Updraft'", "Issi", a->run,
	    a->task_id, reason, a->try_number)));
}

/*
 * Record what accounting says of a try, in one transaction: its figures
 * replace the wrapper's (the task's own metrics stay), its steps replace
 * the task's earlier ones, and it is asked about no more.
 */
int
store_acct_record(struct store *st, const struct store_acct_pending *a,
    const struct store_metric *m, size_t nm, const struct store_step *s,
    size_t ns)
{
	sqlite3_stmt	*stmt;
	size_t		 i;

	if (store_begin(st) != 0)
		return (-1);
	if (store_done(st, store_prepare(st, "DELETE FROM metric WHERE run = "
	    "?1 AND task_id = ?2 AND source IS NOT NULL", "Is", a->run,
	    a->task_id)) != 0 ||
	    store_done(st, store_prepare(st, "DELETE FROM job_step WHERE "
	    "run = ?1 AND task_id = ?2", "Is", a->run, a->task_id)) != 0 ||
	    store_acct_drop(st, a) != 0)
		goto fail;
	for (i = 0; i < nm; i++) {
		stmt = store_prepare(st, "INSERT OR REPLACE INTO metric (run, "
		    "task_id, key, value, try_number, source) VALUES (?1, ?2, "
		    "?3, ?4, ?5, 'accounting')", "Iss", a->run, a->task_id,
		    m[i].key);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_double(stmt, 4, m[i].value);
		sqlite3_bind_int(stmt, 5, a->try_number);
		if (store_done(st, stmt) != 0)
			goto fail;
	}
	for (i = 0; i < ns; i++) {
		stmt = store_prepare(st, "INSERT OR REPLACE INTO job_step "
		    "(run, task_id, try_number, step, state, exit_code, nodes, "
		    "elapsed_s, cpu_s, max_rss_kb, max_vmsize_kb, tres) VALUES "
		    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE WHEN ?10 >= 0 "
		    "THEN ?10 END, CASE WHEN ?11 >= 0 THEN ?11 END, ?12)",
		    "IsissisIIIIs", a->run, a->task_id, a->try_number,
		    s[i].step, s[i].state, s[i].exit_code, s[i].nodes,
		    s[i].elapsed_s, (int64_t)0, s[i].max_rss_kb,
		    s[i].max_vmsize_kb, s[i].tres);
		if (stmt == NULL)
			goto fail;
		/* ?9 was bound to 0 above: cpu_s is a double. */
		sqlite3_bind_double(stmt, 9, s[i].cpu_s);
		if (store_done(st, stmt) != 0)
			goto fail;
	}
	if (store_commit(st) != 0)
		goto fail;
	return (0);

fail:
	store_rollback(st);
	return (-1);
}

/* Rows of (task_id, key, value) from stmt, which is finalized: 0, -1. */
int
store_metric_rows(struct store *st, sqlite3_stmt *stmt,
    struct store_metric **list, size_t *n)
{
	int	rc;

	*list = NULL;
	*n = 0;
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[*n].task_id = store_column_text(stmt, 0);
		(*list)[*n].key = store_column_text(stmt, 1);
		(*list)[(*n)++].value = sqlite3_column_double(stmt, 2);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Where each task's figures of a run came from: one row a task, its
 * task_id and, as key, "accounting" or "wrapper". 0, or -1.
 */
int
store_acct_sources(struct store *st, int64_t run, struct store_metric **list,
    size_t *n)
{
	return (store_metric_rows(st, store_prepare(st, "SELECT m.task_id, "
	    "max(m.source), 0 FROM metric m LEFT JOIN task_instance ti ON "
	    "ti.run = m.run AND ti.task_id = m.task_id WHERE m.run = ?1 AND "
	    "m.source IS NOT NULL GROUP BY m.task_id ORDER BY min(ti.rowid), "
	    "m.task_id", "I", run), list, n));
}

/* The steps of a run's jobs, by task and step. 0, or -1. */
int
store_acct_steps(struct store *st, int64_t run, struct store_step **list,
    size_t *n)
{
	struct store_step	*s;
	sqlite3_stmt		*stmt;
	int			 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT j.task_id, j.step, j.state, "
	    "j.exit_code, j.nodes, j.elapsed_s, j.cpu_s, "
	    "coalesce(j.max_rss_kb, -1), coalesce(j.max_vmsize_kb, -1), "
	    "j.tres FROM job_step j LEFT JOIN task_instance ti ON ti.run = "
	    "j.run AND ti.task_id = j.task_id WHERE j.run = ?1 ORDER BY "
	    "ti.rowid, j.task_id, j.step", "I", run);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		s = &(*list)[(*n)++];
		s->task_id = store_column_text(stmt, 0);
		s->step = store_column_text(stmt, 1);
		s->state = store_column_text(stmt, 2);
		s->exit_code = sqlite3_column_int(stmt, 3);
		s->nodes = store_column_text(stmt, 4);
		s->elapsed_s = sqlite3_column_int64(stmt, 5);
		s->cpu_s = sqlite3_column_double(stmt, 6);
		s->max_rss_kb = sqlite3_column_int64(stmt, 7);
		s->max_vmsize_kb = sqlite3_column_int64(stmt, 8);
		s->tres = store_column_text(stmt, 9);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

void
store_acct_free_steps(struct store_step *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].task_id);
		free(list[i].step);
		free(list[i].state);
		free(list[i].nodes);
		free(list[i].tres);
	}
	free(list);
}
