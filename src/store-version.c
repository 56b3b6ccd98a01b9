/* DAG versions in the database: each distinct content a DAG has had. */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"

/* 1 if the database has this version of the DAG, 0 if not, -1 on error. */
int
store_version_known(struct store *st, const char *dag_id, const char *version)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, "SELECT 1 FROM dag_version WHERE dag_id = ?1 "
	    "AND version = ?2", "ss", dag_id, version);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/* Record a new version, numbered after the DAG's others. */
int
store_version_add(struct store *st, const char *dag_id, const char *version,
    const char *source, int64_t now)
{
	return (store_done(st, store_prepare(st, "INSERT OR IGNORE INTO "
	    "dag_version (dag_id, version, number, source, first_seen) "
	    "VALUES (?1, ?2, (SELECT coalesce(max(number), 0) + 1 FROM "
	    "dag_version WHERE dag_id = ?1), ?3, ?4)", "sssI", dag_id,
	    version, source, now)));
}

/* The versions of a DAG, oldest first, each with how many runs used it. */
int
store_version_list(struct store *st, const char *dag_id,
    struct dag_version **list, size_t *n)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT v.number, v.version, v.first_seen, "
	    "(SELECT count(*) FROM run r WHERE r.dag_id = v.dag_id AND "
	    "r.version = v.version), v.source FROM dag_version v WHERE "
	    "v.dag_id = ?1 ORDER BY v.number", "s", dag_id);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[*n].number = sqlite3_column_int(stmt, 0);
		(*list)[*n].version = store_column_text(stmt, 1);
		(*list)[*n].first_seen = sqlite3_column_int64(stmt, 2);
		(*list)[*n].runs = sqlite3_column_int(stmt, 3);
		(*list)[*n].source = store_column_text(stmt, 4);
		(*n)++;
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

void
store_version_free_list(struct dag_version *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].version);
		free(list[i].source);
	}
	free(list);
}

/* The text of one version of a DAG: 1 found (*source set), 0 none, -1. */
int
store_version_source(struct store *st, const char *dag_id,
    const char *version, char **source)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*source = NULL;
	stmt = store_prepare(st, "SELECT source FROM dag_version WHERE "
	    "dag_id = ?1 AND version = ?2", "ss", dag_id, version);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW)
		*source = store_column_text(stmt, 0);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/*
 * A queued run starts on the DAG's newest version: record it, and give the
 * run a task instance for each task it lacks (those it has that the version
 * dropped end up 'removed' when the run is advanced).
 */
int
store_run_take_version(struct store *st, struct run *r, const struct dag *dag)
{
	if (store_begin(st) != 0)
		return (-1);
	if (store_done(st, store_prepare(st, "UPDATE run SET version = ?2 "
	    "WHERE id = ?1", "Is", r->id, dag->version)) != 0 ||
	    store_ti_add_tasks(st, r->id, dag) != 0)
		goto fail;
	if (store_commit(st) != 0)
		goto fail;
	free(r->version);
	r->version = xstrdup(dag->version);
	return (0);

fail:
	store_rollback(st);
	return (-1);
}
