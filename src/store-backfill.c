/* Backfills in the database: the request and one item per logical date. */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"

/*
 * Record a backfill and its items (pending) in one transaction, with one
 * statement reused for every item: a backfill of 100,000 intervals is one
 * commit. Sets bf->id. 0, or -1.
 */
int
store_backfill_create(struct store *st, struct backfill *bf,
    const struct interval *ivs, size_t n)
{
	sqlite3_stmt	*stmt;
	size_t		 i;

	if (store_begin(st) != 0)
		return (-1);
	if (store_done(st, store_prepare(st, "INSERT INTO backfill (dag_id, "
	    "from_date, to_date, reprocess, max_active, reverse, state, "
	    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "'running', ?7, ?8)", "sIIsiisI", bf->dag_id, bf->from, bf->to,
	    bf->reprocess, bf->max_active, bf->reverse, bf->created_by,
	    bf->created_at)) != 0)
		goto fail;
	bf->id = sqlite3_last_insert_rowid(st->db);

	stmt = store_prepare(st, "INSERT INTO backfill_item (backfill, "
	    "logical_date, interval_start, interval_end, state) VALUES "
	    "(?1, ?2, ?3, ?4, 'pending')", "I", bf->id);
	if (stmt == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(stmt, 2, ivs[i].logical);
		sqlite3_bind_int64(stmt, 3, ivs[i].start);
		sqlite3_bind_int64(stmt, 4, ivs[i].end);
		if (store_step(st, stmt) != SQLITE_DONE) {
			sqlite3_finalize(stmt);
			goto fail;
		}
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	if (store_commit(st) != 0)
		goto fail;
	return (0);

fail:
	store_rollback(st);
	return (-1);
}

#define STORE_BACKFILL_SELECT \
	"SELECT b.id, b.dag_id, b.from_date, b.to_date, b.reprocess, " \
	"b.max_active, b.reverse, b.state, b.created_by, b.created_at, " \
	"b.end_date, count(i.logical_date), " \
	"count(*) FILTER (WHERE i.state = 'pending'), " \
	"count(*) FILTER (WHERE i.state = 'started'), " \
	"count(*) FILTER (WHERE i.state = 'done'), " \
	"count(*) FILTER (WHERE i.state = 'skipped'), " \
	"count(*) FILTER (WHERE i.state = 'dropped') " \
	"FROM backfill b LEFT JOIN backfill_item i ON i.backfill = b.id "

static void
store_backfill_read(sqlite3_stmt *stmt, struct backfill *bf)
{
	bf->id = sqlite3_column_int64(stmt, 0);
	bf->dag_id = store_column_text(stmt, 1);
	bf->from = sqlite3_column_int64(stmt, 2);
	bf->to = sqlite3_column_int64(stmt, 3);
	bf->reprocess = store_column_text(stmt, 4);
	bf->max_active = sqlite3_column_int(stmt, 5);
	bf->reverse = sqlite3_column_int(stmt, 6);
	bf->state = store_column_text(stmt, 7);
	bf->created_by = store_column_text(stmt, 8);
	bf->created_at = sqlite3_column_int64(stmt, 9);
	bf->end_date = sqlite3_column_int64(stmt, 10);
	bf->total = sqlite3_column_int(stmt, 11);
	bf->pending = sqlite3_column_int(stmt, 12);
	bf->started = sqlite3_column_int(stmt, 13);
	bf->done = sqlite3_column_int(stmt, 14);
	bf->skipped = sqlite3_column_int(stmt, 15);
	bf->dropped = sqlite3_column_int(stmt, 16);
}

/* Backfills, oldest first; of one DAG and in one state when given. */
int
store_backfill_list(struct store *st, const char *dag_id, const char *state,
    struct backfill **list, size_t *n)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, STORE_BACKFILL_SELECT "WHERE (?1 IS NULL OR "
	    "b.dag_id = ?1) AND (?2 IS NULL OR b.state = ?2) GROUP BY b.id "
	    "ORDER BY b.id", "ss", dag_id, state);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		store_backfill_read(stmt, &(*list)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* One backfill by id: 1 found, 0 not, -1 error. */
int
store_backfill_get(struct store *st, int64_t id, struct backfill *bf)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(bf, 0, sizeof *bf);
	stmt = store_prepare(st, STORE_BACKFILL_SELECT "WHERE b.id = ?1 "
	    "GROUP BY b.id", "I", id);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW)
		store_backfill_read(stmt, bf);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/* Move a backfill to state; at (0: none) is its end date. 0, or -1. */
int
store_backfill_set_state(struct store *st, int64_t id, const char *state,
    int64_t at)
{
	return (store_done(st, store_prepare(st, "UPDATE backfill SET "
	    "state = ?2, end_date = ?3 WHERE id = ?1", "IsT", id, state, at)));
}

/*
 * Items of a backfill in one state, by logical date (newest first when
 * reverse), at most limit of them (all when limit is 0). 0, or -1.
 */
int
store_backfill_items(struct store *st, int64_t id, const char *state,
    int reverse, int limit, struct backfill_item **list, size_t *n)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, reverse ?
	    "SELECT logical_date, interval_start, interval_end, state, run "
	    "FROM backfill_item WHERE backfill = ?1 AND state = ?2 "
	    "ORDER BY logical_date DESC LIMIT ?3" :
	    "SELECT logical_date, interval_start, interval_end, state, run "
	    "FROM backfill_item WHERE backfill = ?1 AND state = ?2 "
	    "ORDER BY logical_date LIMIT ?3", "Isi", id, state,
	    limit > 0 ? limit : -1);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		(*list)[*n].logical = sqlite3_column_int64(stmt, 0);
		(*list)[*n].start = sqlite3_column_int64(stmt, 1);
		(*list)[*n].end = sqlite3_column_int64(stmt, 2);
		(*list)[*n].state = store_column_text(stmt, 3);
		(*list)[*n].run = sqlite3_column_int64(stmt, 4);
		(*n)++;
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* Move an item to state, with its run once it has one (0: keep). 0, -1. */
int
store_backfill_item_set(struct store *st, int64_t id, int64_t logical,
    const char *state, int64_t run)
{
	return (store_done(st, store_prepare(st, "UPDATE backfill_item SET "
	    "state = ?3, run = coalesce(?4, run) WHERE backfill = ?1 AND "
	    "logical_date = ?2", "IIsT", id, logical, state, run)));
}

/* Drop the items of a backfill that have not started. 0, or -1. */
int
store_backfill_drop(struct store *st, int64_t id)
{
	return (store_done(st, store_prepare(st, "UPDATE backfill_item SET "
	    "state = 'dropped' WHERE backfill = ?1 AND state = 'pending'",
	    "I", id)));
}

void
store_backfill_clear(struct backfill *bf)
{
	free(bf->dag_id);
	free(bf->reprocess);
	free(bf->state);
	free(bf->created_by);
	memset(bf, 0, sizeof *bf);
}

void
store_backfill_free_list(struct backfill *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_backfill_clear(&list[i]);
	free(list);
}

void
store_backfill_free_items(struct backfill_item *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i].state);
	free(list);
}
