/* The scheduler's lease: which host and process may act on the database. */

/*
 * A lock file only excludes processes that share a kernel, and a
 * scheduler that runs as a Slurm job lands on a different node each time.
 * So the right to act is a lease in the database itself: one row naming
 * the host, pid and Slurm job of the holder, renewed (heartbeat) at every
 * pass and while it sleeps, valid until expires. Another scheduler may
 * take it only once it has expired, or at once when it was let go
 * (heartbeat NULL) or its holder is known to be dead. Taking and renewing
 * are conditional writes in one transaction, so of two schedulers that
 * race, one wins and the other sees it.
 */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"

static void
store_lease_read(sqlite3_stmt *stmt, struct store_lease *l)
{
	l->host = store_column_text(stmt, 0);
	l->pid = (long)sqlite3_column_int64(stmt, 1);
	l->job_id = store_column_text(stmt, 2);
	l->started_at = sqlite3_column_int64(stmt, 3);
	l->heartbeat = sqlite3_column_int64(stmt, 4);
	l->expires = sqlite3_column_int64(stmt, 5);
	l->last_pass = sqlite3_column_int64(stmt, 6);
	l->next_pass = sqlite3_column_int64(stmt, 7);
}

/* The lease as it stands: 1 with l filled, 0 when none was ever taken. */
int
store_lease_get(struct store *st, struct store_lease *l)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(l, 0, sizeof *l);
	stmt = store_prepare(st, "SELECT host, pid, job_id, started_at, "
	    "heartbeat, expires, last_pass, next_pass FROM scheduler_lease "
	    "WHERE id = 1", "");
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW)
		store_lease_read(stmt, l);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/*
 * Take the lease for me (host, pid, job_id; its expires set) at now: 1
 * taken, 0 when another holds it and its lease runs (holder filled, unless
 * dead says its holder is gone), -1 on error. dead(holder) is asked only
 * of a live lease.
 */
int
store_lease_take(struct store *st, const struct store_lease *me, int64_t now,
    int (*dead)(const struct store_lease *), struct store_lease *holder)
{
	int	rc;

	memset(holder, 0, sizeof *holder);
	if (store_begin(st) != 0)
		return (-1);
	if ((rc = store_lease_get(st, holder)) < 0)
		goto fail;
	if (rc == 1 && holder->heartbeat != 0 && holder->expires > now &&
	    !(strcmp(holder->host, me->host) == 0 && holder->pid == me->pid) &&
	    !dead(holder)) {
		store_rollback(st);
		return (0);
	}
	if (store_done(st, store_prepare(st, "INSERT INTO scheduler_lease "
	    "(id, host, pid, job_id, started_at, heartbeat, expires, "
	    "last_pass, next_pass) VALUES (1, ?1, ?2, ?3, ?4, ?4, ?5, NULL, "
	    "NULL) ON CONFLICT (id) DO UPDATE SET host = ?1, pid = ?2, "
	    "job_id = ?3, started_at = ?4, heartbeat = ?4, expires = ?5",
	    "sIsII", me->host, (int64_t)me->pid, me->job_id, now,
	    me->expires)) != 0)
		goto fail;
	if (store_commit(st) != 0)
		goto fail;
	return (1);

fail:
	store_rollback(st);
	return (-1);
}

/*
 * Renew my lease until expires, and when pass is set record a pass made
 * at now with the next one due by next (0: none planned). 1 renewed, 0
 * lost (another holds it now), -1 error.
 */
int
store_lease_renew(struct store *st, const struct store_lease *me, int64_t now,
    int pass, int64_t next)
{
	if (store_done(st, store_prepare(st, "UPDATE scheduler_lease SET "
	    "heartbeat = ?3, expires = ?4, last_pass = CASE WHEN ?5 THEN ?3 "
	    "ELSE last_pass END, next_pass = CASE WHEN ?5 THEN ?6 ELSE "
	    "next_pass END WHERE id = 1 AND host = ?1 AND pid = ?2",
	    "sIIIiT", me->host, (int64_t)me->pid, now, me->expires, pass,
	    next)) != 0)
		return (-1);
	return (sqlite3_changes(st->db) == 1);
}

/* Let my lease go, so that the next scheduler need not wait for it. */
int
store_lease_release(struct store *st, const struct store_lease *me)
{
	return (store_done(st, store_prepare(st, "UPDATE scheduler_lease SET "
	    "heartbeat = NULL, expires = NULL, next_pass = NULL WHERE id = 1 "
	    "AND host = ?1 AND pid = ?2", "sI", me->host, (int64_t)me->pid)));
}

void
store_lease_clear(struct store_lease *l)
{
	free(l->host);
	free(l->job_id);
	memset(l, 0, sizeof *l);
}
