/*
 * Lineage: which run's output a task read through its 'inputs', and the
 * lookups that find such an output.
 */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"

/*
 * Find the output a task input names: the run of dag_id at the logical date
 * (INPUT_SAME_DATE, INPUT_FIXED) or the latest (INPUT_LATEST) whose task
 * succeeded and recorded the output. 1 found (src filled), 0 not yet, -1.
 */
int
store_input_find(struct store *st, const struct task_input *in,
    int64_t logical_date, struct store_input_src *src)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(src, 0, sizeof *src);
	if (in->when == INPUT_LATEST)
		stmt = store_prepare(st, "SELECT r.id, r.run_id, "
		    "r.logical_date, o.path FROM run r JOIN task_instance t "
		    "ON t.run = r.id AND t.task_id = ?2 AND t.state = "
		    "'success' JOIN output o ON o.run = r.id AND o.task_id = "
		    "?2 AND o.name = ?3 WHERE r.dag_id = ?1 ORDER BY "
		    "r.logical_date DESC LIMIT 1", "sss", in->dag_id,
		    in->task_id, in->output);
	else
		stmt = store_prepare(st, "SELECT r.id, r.run_id, "
		    "r.logical_date, o.path FROM run r JOIN task_instance t "
		    "ON t.run = r.id AND t.task_id = ?2 AND t.state = "
		    "'success' JOIN output o ON o.run = r.id AND o.task_id = "
		    "?2 AND o.name = ?3 WHERE r.dag_id = ?1 AND "
		    "r.logical_date = ?4", "sssI", in->dag_id, in->task_id,
		    in->output, in->when == INPUT_FIXED ? in->date :
		    logical_date);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW) {
		src->run = sqlite3_column_int64(stmt, 0);
		src->run_id = store_column_text(stmt, 1);
		src->logical_date = sqlite3_column_int64(stmt, 2);
		src->path = store_column_text(stmt, 3);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

void
store_input_src_clear(struct store_input_src *src)
{
	free(src->run_id);
	free(src->path);
	memset(src, 0, sizeof *src);
}

/* Record that a task of run read input 'name' from src's output. */
int
store_input_record(struct store *st, int64_t run, const char *task_id,
    const struct task_input *in, const struct store_input_src *src)
{
	return (store_done(st, store_prepare(st, "INSERT OR REPLACE INTO "
	    "run_input (run, task_id, name, src_run, src_task_id, src_output, "
	    "path) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", "IssIsss", run,
	    task_id, in->name, src->run, in->task_id, in->output, src->path)));
}

/*
 * The edges touching a run: those it read (up, the run is the consumer) or
 * those that read its outputs (down), oldest logical date first.
 */
int
store_lineage_edges(struct store *st, int64_t run, int up,
    struct lineage_edge **list, size_t *n)
{
	sqlite3_stmt		*stmt;
	struct lineage_edge	*e;
	int			 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, up ?
	    "SELECT i.src_run, s.dag_id, s.run_id, s.logical_date, "
	    "i.src_task_id, i.src_output, i.task_id, i.name, i.path FROM "
	    "run_input i JOIN run s ON s.id = i.src_run WHERE i.run = ?1 "
	    "ORDER BY s.dag_id, s.logical_date, i.task_id, i.name" :
	    "SELECT i.run, c.dag_id, c.run_id, c.logical_date, "
	    "i.src_task_id, i.src_output, i.task_id, i.name, i.path FROM "
	    "run_input i JOIN run c ON c.id = i.run WHERE i.src_run = ?1 "
	    "ORDER BY c.dag_id, c.logical_date, i.task_id, i.name", "I", run);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		e = &(*list)[(*n)++];
		e->run = sqlite3_column_int64(stmt, 0);
		e->dag_id = store_column_text(stmt, 1);
		e->run_id = store_column_text(stmt, 2);
		e->logical_date = sqlite3_column_int64(stmt, 3);
		e->src_task_id = store_column_text(stmt, 4);
		e->src_output = store_column_text(stmt, 5);
		e->task_id = store_column_text(stmt, 6);
		e->name = store_column_text(stmt, 7);
		e->path = store_column_text(stmt, 8);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

void
store_lineage_free(struct lineage_edge *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].dag_id);
		free(list[i].run_id);
		free(list[i].src_task_id);
		free(list[i].src_output);
		free(list[i].task_id);
		free(list[i].name);
		free(list[i].path);
	}
	free(list);
}
