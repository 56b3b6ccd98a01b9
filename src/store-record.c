/* Experiment records in the database: labels, notes, metrics, outputs. */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"

/*
 * A run by rowid: 1 found, 0 not, -1 on error.
 */
int
store_record_run_get(struct store *st, int64_t id, struct run *r)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(r, 0, sizeof *r);
	stmt = store_prepare(st, "SELECT " STORE_RUN_COLUMNS " FROM run "
	    "WHERE id = ?1", "I", id);
	if (stmt == NULL)
		return (-1);
	if ((rc = store_step(st, stmt)) == SQLITE_ROW)
		store_run_read(stmt, 0, r);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/* The labels of a run, sorted: 0, or -1. */
int
store_record_labels(struct store *st, int64_t run, char ***list, size_t *n)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT label FROM run_label WHERE run = ?1 "
	    "ORDER BY label", "I", run);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[(*n)++] = store_column_text(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* Add (add != 0) or remove a label of a run: 0, or -1. */
int
store_record_label(struct store *st, int64_t run, const char *label, int add)
{
	if (add)
		return (store_done(st, store_prepare(st, "INSERT OR IGNORE "
		    "INTO run_label (run, label) VALUES (?1, ?2)", "Is", run,
		    label)));
	return (store_done(st, store_prepare(st, "DELETE FROM run_label "
	    "WHERE run = ?1 AND label = ?2", "Is", run, label)));
}

/* Set (NULL: clear) the note of a run. */
int
store_record_set_note(struct store *st, int64_t run, const char *note)
{
	return (store_done(st, store_prepare(st, "UPDATE run SET note = ?2 "
	    "WHERE id = ?1", "Is", run, note)));
}

/*
 * Record what one try of a task reported, in one transaction: its metrics
 * and outputs replace those of the task's earlier tries, whose job steps
 * (from accounting) go too.
 */
int
store_record_ingest(struct store *st, int64_t run, const char *task_id,
    int try_number, const struct store_metric *metrics, size_t nmetrics,
    const struct store_output *outputs, size_t noutputs)
{
	sqlite3_stmt	*stmt;
	size_t		 i;

	if (store_begin(st) != 0)
		return (-1);
	if (store_done(st, store_prepare(st, "DELETE FROM metric WHERE run = "
	    "?1 AND task_id = ?2", "Is", run, task_id)) != 0 ||
	    store_done(st, store_prepare(st, "DELETE FROM output WHERE run = "
	    "?1 AND task_id = ?2", "Is", run, task_id)) != 0 ||
	    store_done(st, store_prepare(st, "DELETE FROM job_step WHERE "
	    "run = ?1 AND task_id = ?2", "Is", run, task_id)) != 0)
		goto fail;
	for (i = 0; i < nmetrics; i++) {
		/* What the job wrapper measures is marked as such. */
		stmt = store_prepare(st, "INSERT OR REPLACE INTO metric (run, "
		    "task_id, key, value, try_number, source) VALUES (?1, ?2, "
		    "?3, ?4, ?5, CASE WHEN ?3 IN " STORE_WRAPPER_FIGURES
		    " THEN 'wrapper' END)", "Iss", run, task_id,
		    metrics[i].key);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_double(stmt, 4, metrics[i].value);
		sqlite3_bind_int(stmt, 5, try_number);
		if (store_done(st, stmt) != 0)
			goto fail;
	}
	for (i = 0; i < noutputs; i++) {
		if (store_done(st, store_prepare(st, "INSERT OR REPLACE INTO "
		    "output (run, task_id, name, path, size, mtime, try_number, "
		    "sha256) VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 >= 0 THEN ?5 "
		    "END, CASE WHEN ?5 >= 0 THEN ?6 END, ?7, ?8)", "IsssIIis",
		    run, task_id, outputs[i].name, outputs[i].path,
		    outputs[i].size, outputs[i].mtime, try_number,
		    outputs[i].sha256)) != 0)
			goto fail;
	}
	if (store_commit(st) != 0)
		goto fail;
	return (0);

fail:
	store_rollback(st);
	return (-1);
}

/* The metrics of a run, by task (in the DAG's order of creation) and key. */
int
store_record_metrics(struct store *st, int64_t run,
    struct store_metric **list, size_t *n)
{
	return (store_metric_rows(st, store_prepare(st, "SELECT m.task_id, "
	    "m.key, m.value FROM metric m LEFT JOIN task_instance ti ON "
	    "ti.run = m.run AND ti.task_id = m.task_id WHERE m.run = ?1 "
	    "ORDER BY ti.rowid, m.task_id, m.key", "I", run), list, n));
}

/* The outputs of a run, by task and name. */
int
store_record_outputs(struct store *st, int64_t run,
    struct store_output **list, size_t *n)
{
	sqlite3_stmt		*stmt;
	struct store_output	*o;
	int			 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT o.task_id, o.name, o.path, o.size, "
	    "o.mtime, o.sha256 FROM output o LEFT JOIN task_instance ti ON ti.run = "
	    "o.run AND ti.task_id = o.task_id WHERE o.run = ?1 ORDER BY "
	    "ti.rowid, o.task_id, o.name", "I", run);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		o = &(*list)[(*n)++];
		o->task_id = store_column_text(stmt, 0);
		o->name = store_column_text(stmt, 1);
		o->path = store_column_text(stmt, 2);
		o->size = sqlite3_column_type(stmt, 3) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(stmt, 3);
		o->mtime = sqlite3_column_int64(stmt, 4);
		o->sha256 = store_column_text(stmt, 5);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

void
store_record_free_labels(char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
store_record_free_metrics(struct store_metric *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].task_id);
		free(list[i].key);
	}
	free(list);
}

void
store_record_free_outputs(struct store_output *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].task_id);
		free(list[i].name);
		free(list[i].path);
		free(list[i].sha256);
	}
	free(list);
}

/* Load the labels, metrics, outputs and task instances of rec->r: 0, -1. */
int
store_record_load(struct store *st, struct store_record *rec)
{
	int64_t	id = rec->r.id;

	if (store_record_labels(st, id, &rec->labels, &rec->nlabels) != 0 ||
	    store_record_metrics(st, id, &rec->metrics, &rec->nmetrics) != 0 ||
	    store_record_outputs(st, id, &rec->outputs, &rec->noutputs) != 0 ||
	    store_ti_list(st, id, &rec->tis, &rec->ntis) != 0 ||
	    store_acct_sources(st, id, &rec->figures, &rec->nfigures) != 0 ||
	    store_acct_steps(st, id, &rec->steps, &rec->nsteps) != 0)
		return (-1);
	return (0);
}

void
store_record_clear(struct store_record *rec)
{
	store_run_clear(&rec->r);
	store_record_free_labels(rec->labels, rec->nlabels);
	store_record_free_metrics(rec->metrics, rec->nmetrics);
	store_record_free_outputs(rec->outputs, rec->noutputs);
	store_ti_free_list(rec->tis, rec->ntis);
	store_record_free_metrics(rec->figures, rec->nfigures);
	store_acct_free_steps(rec->steps, rec->nsteps);
	memset(rec, 0, sizeof *rec);
}
