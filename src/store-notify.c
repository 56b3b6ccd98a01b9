/* The notification outbox in the database, and what was said once. */

/*
 * One row per event and channel. A row is 'pending' until its next_at,
 * then the delivery loop claims it with every other pending row of the
 * same channel, kind and DAG (its 'batch', led by the row's id) as
 * 'sending'; the message's fate makes the batch 'sent', or 'pending'
 * again with a later next_at, or 'failed' after max_tries. A scheduler
 * that dies while sending leaves 'sending' rows that the next one sends
 * again: a message may come twice, it is never lost.
 */

#include <stdlib.h>
#include <string.h>

#include "notify.h"
#include "store-int.h"

/* Queue one event for one channel. 0, or -1. */
int
store_notify_add(struct store *st, const char *channel, const char *kind,
    const char *dag_id, int64_t now, int64_t next_at,
    const struct notify_item *it)
{
	return (store_done(st, store_prepare(st, "INSERT INTO notify_outbox "
	    "(channel, kind, dag_id, created_at, event, summary, detail, "
	    "log_tail, state, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, 'pending', ?9)", "sssIssssI", channel, kind, dag_id, now,
	    it->event, it->summary, it->detail, it->log_tail, next_at)));
}

/*
 * Whether key was seen already: 1 yes, 0 it is new (and now recorded), -1
 * error. Either way its time becomes now.
 */
int
store_notify_seen(struct store *st, const char *key, int64_t now)
{
	if (store_done(st, store_prepare(st, "UPDATE notify_seen SET at = ?2 "
	    "WHERE key = ?1", "sI", key, now)) != 0)
		return (-1);
	if (sqlite3_changes(st->db) > 0)
		return (1);
	if (store_done(st, store_prepare(st, "INSERT INTO notify_seen (key, "
	    "at) VALUES (?1, ?2)", "sI", key, now)) != 0)
		return (-1);
	return (0);
}

/* Forget the keys starting with prefix not seen since before: 0, -1. */
int
store_notify_forget(struct store *st, const char *prefix, int64_t before)
{
	return (store_done(st, store_prepare(st, "DELETE FROM notify_seen "
	    "WHERE substr(key, 1, length(?1)) = ?1 AND at < ?2", "sI", prefix,
	    before)));
}

/* Rows a dead scheduler was sending go out again: 0, or -1. */
int
store_notify_recover(struct store *st)
{
	return (store_done(st, store_prepare(st, "UPDATE notify_outbox SET "
	    "state = 'pending' WHERE state = 'sending'", "")));
}

/* Up to limit pending rows due by now, oldest first. 0, or -1. */
int
store_notify_due(struct store *st, int64_t now, int limit, int64_t **ids,
    size_t *n)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*ids = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT id FROM notify_outbox WHERE state = "
	    "'pending' AND next_at <= ?1 ORDER BY next_at, id LIMIT ?2", "Ii",
	    now, limit);
	if (stmt == NULL)
		return (-1);
	*ids = xcalloc(limit > 0 ? limit : 1, sizeof **ids);
	while (*n < (size_t)limit &&
	    (rc = store_step(st, stmt)) == SQLITE_ROW)
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (*n < (size_t)limit && rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
}

/*
 * Claim the message row id leads or belongs to: a row never sent takes every
 * pending row of its channel, kind and DAG along (the grouping); a batch
 * that failed before goes again as it was. 1 with b filled, 0 when the row
 * is no longer pending, -1 error.
 */
int
store_notify_claim(struct store *st, int64_t id, int64_t now,
    struct notify_batch *b)
{
	sqlite3_stmt	*stmt;
	struct notify_item *it;
	int64_t		 lead;
	int		 rc;

	(void)now;
	memset(b, 0, sizeof *b);
	if (store_begin(st) != 0)
		return (-1);
	stmt = store_prepare(st, "SELECT channel, kind, dag_id, batch FROM "
	    "notify_outbox WHERE id = ?1 AND state = 'pending'", "I", id);
	if (stmt == NULL)
		goto fail;
	if ((rc = store_step(st, stmt)) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		store_rollback(st);
		return (rc == SQLITE_DONE ? 0 : -1);
	}
	b->channel = store_column_text(stmt, 0);
	b->kind = store_column_text(stmt, 1);
	b->dag_id = store_column_text(stmt, 2);
	lead = sqlite3_column_type(stmt, 3) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(stmt, 3);
	sqlite3_finalize(stmt);
	if (lead == 0) {
		lead = id;
		if (store_done(st, store_prepare(st, "UPDATE notify_outbox SET "
		    "batch = ?1 WHERE state = 'pending' AND batch IS NULL AND "
		    "channel = ?2 AND kind = ?3 AND dag_id IS ?4", "Isss", lead,
		    b->channel, b->kind, b->dag_id)) != 0)
			goto fail;
	}
	b->lead = lead;
	if (store_done(st, store_prepare(st, "UPDATE notify_outbox SET state = "
	    "'sending' WHERE batch = ?1 AND state = 'pending'", "I",
	    lead)) != 0)
		goto fail;

	stmt = store_prepare(st, "SELECT count(*), max(tries) FROM "
	    "notify_outbox WHERE batch = ?1 AND state = 'sending'", "I", lead);
	if (stmt == NULL || store_step(st, stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		goto fail;
	}
	b->count = sqlite3_column_int(stmt, 0);
	b->tries = sqlite3_column_int(stmt, 1);
	sqlite3_finalize(stmt);

	stmt = store_prepare(st, "SELECT id, created_at, event, summary, "
	    "detail, log_tail FROM notify_outbox WHERE batch = ?1 AND state = "
	    "'sending' ORDER BY id LIMIT ?2", "Ii", lead, NOTIFY_LISTED);
	if (stmt == NULL)
		goto fail;
	b->items = xcalloc(NOTIFY_LISTED, sizeof *b->items);
	while (b->nitems < NOTIFY_LISTED &&
	    (rc = store_step(st, stmt)) == SQLITE_ROW) {
		it = &b->items[b->nitems++];
		it->id = sqlite3_column_int64(stmt, 0);
		it->created_at = sqlite3_column_int64(stmt, 1);
		it->event = store_column_text(stmt, 2);
		it->summary = store_column_text(stmt, 3);
		it->detail = store_column_text(stmt, 4);
		it->log_tail = store_column_text(stmt, 5);
	}
	sqlite3_finalize(stmt);
	if (b->nitems < NOTIFY_LISTED && rc != SQLITE_DONE)
		goto fail;
	if (store_commit(st) != 0)
		goto fail;
	return (1);

fail:
	store_rollback(st);
	notify_batch_clear(b);
	return (-1);
}

/*
 * Record how a message went: error NULL is sent; else the batch waits
 * retry_delay, doubled for each try before, at most max_retry_delay, and
 * after max_tries it is failed for good. 0, or -1.
 */
int
store_notify_result(struct store *st, int64_t lead, const char *error,
    int64_t now, const struct notify_site *site)
{
	sqlite3_stmt	*stmt;
	int64_t		 delay;
	int		 tries = 0, i, rc;

	if (error == NULL)
		return (store_done(st, store_prepare(st, "UPDATE notify_outbox "
		    "SET state = 'sent', sent_at = ?2, tries = tries + 1, "
		    "last_error = NULL WHERE batch = ?1 AND state = 'sending'",
		    "II", lead, now)));
	stmt = store_prepare(st, "SELECT max(tries) FROM notify_outbox WHERE "
	    "batch = ?1 AND state = 'sending'", "I", lead);
	if (stmt == NULL)
		return (-1);
	if ((rc = store_step(st, stmt)) == SQLITE_ROW)
		tries = sqlite3_column_int(stmt, 0) + 1;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return (-1);
	delay = site != NULL ? site->retry_delay : 5;
	for (i = 1; i < tries && site != NULL &&
	    delay < site->max_retry_delay; i++)
		delay *= 2;
	if (site != NULL && delay > site->max_retry_delay)
		delay = site->max_retry_delay;
	return (store_done(st, store_prepare(st, "UPDATE notify_outbox SET "
	    "state = ?3, tries = ?4, next_at = ?5, last_error = ?2 WHERE "
	    "batch = ?1 AND state = 'sending'", "IssiI", lead, error,
	    site == NULL || tries >= site->max_tries ? "failed" : "pending",
	    tries, now + delay)));
}

/* When the next pending row is due, into *next: 1, 0 for none, -1. */
int
store_notify_next(struct store *st, int64_t *next)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*next = 0;
	stmt = store_prepare(st, "SELECT min(next_at) FROM notify_outbox WHERE "
	    "state = 'pending'", "");
	if (stmt == NULL)
		return (-1);
	if ((rc = store_step(st, stmt)) == SQLITE_ROW)
		*next = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return (-1);
	return (*next != 0);
}

/* Drop what was sent a week ago, and what was seen long ago: 0, or -1. */
int
store_notify_prune(struct store *st, int64_t now)
{
	if (store_done(st, store_prepare(st, "DELETE FROM notify_outbox WHERE "
	    "state = 'sent' AND sent_at < ?1", "I", now - 7 * 86400)) != 0)
		return (-1);
	return (store_done(st, store_prepare(st, "DELETE FROM notify_seen "
	    "WHERE at < ?1", "I", now - 400 * 86400)));
}

/* The outbox: rows not yet sent (all: every row), oldest first. 0, or -1. */
int
store_notify_list(struct store *st, int all, struct notify_row **list,
    size_t *n)
{
	sqlite3_stmt		*stmt;
	struct notify_row	*r;
	size_t			 cap = 0;
	int			 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT id, channel, kind, dag_id, state, "
	    "summary, tries, created_at, next_at, last_error FROM "
	    "notify_outbox WHERE ?1 OR state != 'sent' ORDER BY id", "i", all);
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			*list = xreallocarray(*list, cap, sizeof **list);
		}
		r = &(*list)[(*n)++];
		r->id = sqlite3_column_int64(stmt, 0);
		r->channel = store_column_text(stmt, 1);
		r->kind = store_column_text(stmt, 2);
		r->dag_id = store_column_text(stmt, 3);
		r->state = store_column_text(stmt, 4);
		r->summary = store_column_text(stmt, 5);
		r->tries = sqlite3_column_int(stmt, 6);
		r->created_at = sqlite3_column_int64(stmt, 7);
		r->next_at = sqlite3_column_int64(stmt, 8);
		r->last_error = store_column_text(stmt, 9);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

void
store_notify_free_rows(struct notify_row *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].channel);
		free(list[i].kind);
		free(list[i].dag_id);
		free(list[i].state);
		free(list[i].summary);
		free(list[i].last_error);
	}
	free(list);
}

void
notify_batch_clear(struct notify_batch *b)
{
	size_t	i;

	for (i = 0; i < b->nitems; i++) {
		free(b->items[i].event);
		free(b->items[i].summary);
		free(b->items[i].detail);
		free(b->items[i].log_tail);
	}
	free(b->items);
	free(b->channel);
	free(b->kind);
	free(b->dag_id);
	memset(b, 0, sizeof *b);
}
