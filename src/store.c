/* SQLite: open, WAL, migrations, and every SQL statement Updraft runs. */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"
#include "store-int.h"

/*
 * Each entry moves the schema from version i to i + 1 (PRAGMA user_version).
 * Never edit a released entry: add one.
 */
static const char *store_migrations[] = {
	"CREATE TABLE dag ("
	"  dag_id TEXT PRIMARY KEY,"
	"  path TEXT NOT NULL,"
	"  version TEXT,"
	"  load_error TEXT,"
	"  paused INTEGER NOT NULL DEFAULT 1,"
	"  next_dagrun INTEGER"
	");"
	"CREATE TABLE run ("
	"  id INTEGER PRIMARY KEY,"
	"  dag_id TEXT NOT NULL REFERENCES dag(dag_id),"
	"  run_id TEXT NOT NULL,"
	"  run_type TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  version TEXT,"
	"  created_by TEXT,"
	"  logical_date INTEGER NOT NULL,"
	"  interval_start INTEGER NOT NULL,"
	"  interval_end INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  start_date INTEGER,"
	"  end_date INTEGER,"
	"  UNIQUE (dag_id, run_id),"
	"  UNIQUE (dag_id, logical_date)"
	");"
	"CREATE INDEX run_by_state ON run (dag_id, state, logical_date);"
	"CREATE TABLE task_instance ("
	"  run INTEGER NOT NULL REFERENCES run(id),"
	"  task_id TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  reason TEXT,"
	"  partition TEXT,"
	"  node TEXT,"
	"  try_number INTEGER NOT NULL DEFAULT 0,"
	"  max_tries INTEGER NOT NULL DEFAULT 1,"
	"  exit_code INTEGER,"
	"  job_id INTEGER,"
	"  queued_at INTEGER,"
	"  start_date INTEGER,"
	"  end_date INTEGER,"
	"  next_try_at INTEGER,"
	"  PRIMARY KEY (run, task_id)"
	");"
	"CREATE INDEX ti_by_state ON task_instance (state);",

	"CREATE TABLE backfill ("
	"  id INTEGER PRIMARY KEY,"
	"  dag_id TEXT NOT NULL REFERENCES dag(dag_id),"
	"  from_date INTEGER NOT NULL,"
	"  to_date INTEGER NOT NULL,"
	"  reprocess TEXT NOT NULL,"
	"  max_active INTEGER NOT NULL,"
	"  reverse INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  created_by TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  end_date INTEGER"
	");"
	"CREATE TABLE backfill_item ("
	"  backfill INTEGER NOT NULL REFERENCES backfill(id),"
	"  logical_date INTEGER NOT NULL,"
	"  interval_start INTEGER NOT NULL,"
	"  interval_end INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  run INTEGER,"
	"  PRIMARY KEY (backfill, logical_date)"
	") WITHOUT ROWID;"
	"CREATE INDEX backfill_item_by_state ON backfill_item "
	"  (backfill, state, logical_date);"
	"ALTER TABLE run ADD COLUMN backfill INTEGER;",

	/* Notifications (store-notify.c): the outbox, what was said once. */
	"CREATE TABLE notify_outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  dag_id TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  event TEXT NOT NULL,"
	"  summary TEXT NOT NULL,"
	"  detail TEXT,"
	"  log_tail TEXT,"
	"  state TEXT NOT NULL,"
	"  batch INTEGER,"
	"  tries INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  sent_at INTEGER"
	");"
	"CREATE INDEX notify_outbox_due ON notify_outbox (state, next_at);"
	"CREATE INDEX notify_outbox_batch ON notify_outbox (batch);"
	"CREATE TABLE notify_seen ("
	"  key TEXT PRIMARY KEY,"
	"  at INTEGER NOT NULL"
	") WITHOUT ROWID;",

	/* Experiment records (store-record.c): context, labels, results. */
	"ALTER TABLE run ADD COLUMN host TEXT;"
	"ALTER TABLE run ADD COLUMN params TEXT;"
	"ALTER TABLE run ADD COLUMN note TEXT;"
	"CREATE TABLE run_label ("
	"  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
	"  label TEXT NOT NULL,"
	"  PRIMARY KEY (run, label)"
	") WITHOUT ROWID;"
	"CREATE INDEX run_label_by_label ON run_label (label, run);"
	"CREATE TABLE metric ("
	"  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
	"  task_id TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value REAL NOT NULL,"
	"  try_number INTEGER NOT NULL,"
	"  PRIMARY KEY (run, task_id, key)"
	") WITHOUT ROWID;"
	"CREATE INDEX metric_by_key ON metric (key, value);"
	"CREATE TABLE output ("
	"  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
	"  task_id TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  size INTEGER,"
	"  mtime INTEGER,"
	"  try_number INTEGER NOT NULL,"
	"  PRIMARY KEY (run, task_id, name)"
	") WITHOUT ROWID;",

	"CREATE TABLE dag_version ("
	"  dag_id TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  number INTEGER NOT NULL,"
	"  source TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (dag_id, version)"
	") WITHOUT ROWID;",

	"ALTER TABLE dag ADD COLUMN cluster_error TEXT;",

	/* Lineage (store-lineage.c): which run's output a task read. */
	"ALTER TABLE output ADD COLUMN sha256 TEXT;"
	"CREATE TABLE run_input ("
	"  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
	"  task_id TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  src_run INTEGER NOT NULL REFERENCES run(id),"
	"  src_task_id TEXT NOT NULL,"
	"  src_output TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  PRIMARY KEY (run, task_id, name)"
	") WITHOUT ROWID;"
	"CREATE INDEX run_input_by_src ON run_input (src_run);",

	/* Who last cleared a run's tasks, and when (intervene.c). */
	"ALTER TABLE run ADD COLUMN cleared_by TEXT;"
	"ALTER TABLE run ADD COLUMN cleared_at INTEGER;",

	/* The scheduler's lease (store-lease.c): one row. */
	"CREATE TABLE scheduler_lease ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  host TEXT NOT NULL,"
	"  pid INTEGER NOT NULL,"
	"  job_id TEXT,"
	"  started_at INTEGER NOT NULL,"
	"  heartbeat INTEGER,"
	"  expires INTEGER,"
	"  last_pass INTEGER,"
	"  next_pass INTEGER"
	");",

	/*
	 * Job arrays (scheduler.c): the array a try is an element of, by the
	 * name it is submitted under (set before submission) and its index.
	 */
	"ALTER TABLE task_instance ADD COLUMN array_name TEXT;"
	"ALTER TABLE task_instance ADD COLUMN array_index INTEGER;",

	/*
	 * The runs still to finish, for status and each pass: run_by_state
	 * leads with dag_id, so "state IN (...)" alone read all of it (0.4 s
	 * on 1,000,000 runs). Only the few active runs are in this one; a
	 * query uses it when it says "state IN ('queued', 'running')".
	 * And the failed tries by when they ended, for status's latest
	 * failures (store_view_tis), which sorted every failure.
	 */
	"CREATE INDEX run_active ON run (dag_id, state) "
	"  WHERE state IN ('queued', 'running');"
	"CREATE INDEX ti_failed ON task_instance "
	"  (coalesce(end_date, start_date, queued_at)) WHERE state = 'failed';",

	/*
	 * An array element's own job id, once Slurm has given it one (it
	 * starts): job_id stays the array's, which Slurm's tools take as
	 * ARRAYID_INDEX.
	 */
	"ALTER TABLE task_instance ADD COLUMN element_job_id INTEGER;",

	/*
	 * Read-only views for notebooks and sqlite3(1), documented in
	 * updraft(1) (SQL VIEWS): columns named as --json names them, times
	 * ISO-8601 in UTC as text (NULL for none). Tables may change; these
	 * stay.
	 */
	"CREATE VIEW runs AS SELECT r.dag_id, r.run_id, r.run_type, r.state,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.logical_date, 'unixepoch')"
	"    AS logical_date,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.interval_start, 'unixepoch')"
	"    AS data_interval_start,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.interval_end, 'unixepoch')"
	"    AS data_interval_end,"
	"  r.created_by AS owner,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.created_at, 'unixepoch')"
	"    AS created_at,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.start_date, 'unixepoch')"
	"    AS start_date,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.end_date, 'unixepoch')"
	"    AS end_date,"
	"  r.end_date - r.start_date AS duration,"
	"  coalesce(r.params, '{}') AS params,"
	"  (SELECT group_concat(label, ';') FROM (SELECT label FROM run_label"
	"    WHERE run = r.id ORDER BY label)) AS labels,"
	"  r.note, r.version, r.host, r.cleared_by,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.cleared_at, 'unixepoch')"
	"    AS cleared_at"
	"  FROM run r;"
	"CREATE VIEW task_instances AS SELECT r.dag_id, r.run_id,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.logical_date, 'unixepoch')"
	"    AS logical_date,"
	"  t.task_id, t.state, t.try_number, t.max_tries,"
	"  coalesce(t.element_job_id, t.job_id) AS job_id,"
	"  CASE WHEN t.job_id IS NULL THEN NULL"
	"    WHEN t.array_index IS NOT NULL"
	"    THEN t.job_id || '_' || t.array_index"
	"    ELSE CAST(t.job_id AS TEXT) END AS slurm_job,"
	"  t.partition, t.node, t.exit_code, t.reason,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', t.queued_at, 'unixepoch')"
	"    AS queued_at,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', t.start_date, 'unixepoch')"
	"    AS start_date,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', t.end_date, 'unixepoch')"
	"    AS end_date,"
	"  t.end_date - t.start_date AS duration"
	"  FROM task_instance t JOIN run r ON r.id = t.run;"
	"CREATE VIEW run_params AS SELECT r.dag_id, r.run_id,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.logical_date, 'unixepoch')"
	"    AS logical_date,"
	"  p.key AS name, p.value"
	"  FROM run r, json_each(r.params) p WHERE r.params IS NOT NULL;"
	"CREATE VIEW run_labels AS SELECT r.dag_id, r.run_id, l.label"
	"  FROM run_label l JOIN run r ON r.id = l.run;"
	"CREATE VIEW run_metrics AS SELECT r.dag_id, r.run_id,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.logical_date, 'unixepoch')"
	"    AS logical_date,"
	"  r.state, m.task_id, m.key AS name, m.value, m.try_number"
	"  FROM metric m JOIN run r ON r.id = m.run;"
	"CREATE VIEW run_outputs AS SELECT r.dag_id, r.run_id,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', r.logical_date, 'unixepoch')"
	"    AS logical_date,"
	"  o.task_id, o.name, o.path, o.size,"
	"  strftime('%Y-%m-%dT%H:%M:%S+00:00', o.mtime, 'unixepoch') AS mtime,"
	"  o.sha256, o.try_number"
	"  FROM output o JOIN run r ON r.id = o.run;"
	"CREATE VIEW lineage AS SELECT r.dag_id, r.run_id, i.task_id,"
	"  i.name AS input, i.path, s.dag_id AS src_dag_id,"
	"  s.run_id AS src_run_id, i.src_task_id, i.src_output"
	"  FROM run_input i JOIN run r ON r.id = i.run"
	"  JOIN run s ON s.id = i.src_run;",

	/*
	 * Why the scheduler paused a DAG (a catch-up beyond
	 * max_catchup_runs); NULL when a person paused it or it is not.
	 */
	"ALTER TABLE dag ADD COLUMN pause_reason TEXT;",

	/*
	 * Figures of a try from accounting (store-acct.c): where each metric
	 * came from (NULL: the task's own; 'wrapper': GNU time in the job
	 * wrapper; 'accounting': slurmdbd), the steps of its job, and the
	 * tries whose job accounting is still to be asked about.
	 */
	"ALTER TABLE metric ADD COLUMN source TEXT;"
	"CREATE TABLE job_step ("
	"  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
	"  task_id TEXT NOT NULL,"
	"  try_number INTEGER NOT NULL,"
	"  step TEXT NOT NULL,"
	"  state TEXT,"
	"  exit_code INTEGER,"
	"  nodes TEXT,"
	"  elapsed_s INTEGER,"
	"  cpu_s REAL,"
	"  max_rss_kb INTEGER,"
	"  max_vmsize_kb INTEGER,"
	"  tres TEXT,"
	"  PRIMARY KEY (run, task_id, step)"
	") WITHOUT ROWID;"
	"CREATE TABLE acct_pending ("
	"  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
	"  task_id TEXT NOT NULL,"
	"  try_number INTEGER NOT NULL,"
	"  job_id INTEGER NOT NULL,"
	"  array_index INTEGER NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  PRIMARY KEY (run, task_id)"
	") WITHOUT ROWID;",
};

const char *
store_library_version(void)
{
	return (sqlite3_libversion());
}

/*
 * Why the last store call that failed did: a message that lasts until the
 * next failure (as errno). The store never prints: its caller reports it,
 * once.
 */
const char *
store_error(struct store *st)
{
	return (st->error != NULL ? st->error : sqlite3_errmsg(st->db));
}

/* Keep SQLite's message as the store's error; -1. */
int
store_fail(struct store *st)
{
	free(st->error);
	st->error = xstrdup(sqlite3_errmsg(st->db));
	return (-1);
}

static int
store_exec(struct store *st, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return (store_fail(st));
	return (0);
}

/* A read-only database must already have this updraft's schema. */
static int
store_check_version(struct store *st, char **cause)
{
	sqlite3_stmt	*stmt;
	int		 version, n;

	n = (int)(sizeof store_migrations / sizeof store_migrations[0]);
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "database '%s': %s", st->path,
		    sqlite3_errmsg(st->db));
		return (-1);
	}
	if (store_step(st, stmt) != SQLITE_ROW) {
		/* Not an old schema: the file could not be read at all. */
		xasprintf(cause, "database '%s': %s", st->path,
		    sqlite3_errmsg(st->db));
		sqlite3_finalize(stmt);
		return (-1);
	}
	version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (version != n) {
		xasprintf(cause, "database '%s' has schema version %d, not "
		    "%d: let the scheduler upgrade it", st->path, version, n);
		return (-1);
	}
	return (0);
}

/* The schema's version (PRAGMA user_version), or -1. */
static int
store_user_version(struct store *st)
{
	sqlite3_stmt	*stmt;
	int		 version;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK)
		return (-1);
	version = store_step(st, stmt) == SQLITE_ROW ?
	    sqlite3_column_int(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	return (version);
}

/* Bring the schema up to date, in one transaction. */
static int
store_migrate(struct store *st, char **cause)
{
	int		 version, n, i;
	char		*sql;

	n = (int)(sizeof store_migrations / sizeof store_migrations[0]);
	if ((version = store_user_version(st)) == -1)
		goto fail;
	if (version < n) {
		/*
		 * Another process (a verb and the scheduler on a new home)
		 * may have migrated while we waited for the lock: read the
		 * version again under it, or its tables are made twice.
		 */
		if (store_exec(st, "BEGIN IMMEDIATE") != 0)
			goto fail;
		if ((version = store_user_version(st)) == -1) {
			store_rollback(st);
			goto fail;
		}
	}
	if (version > n) {
		if (sqlite3_get_autocommit(st->db) == 0)
			store_rollback(st);
		xasprintf(cause, "database '%s' has schema version %d, newer "
		    "than this updraft (%d): upgrade updraft", st->path,
		    version, n);
		return (-1);
	}
	if (version == n) {
		if (sqlite3_get_autocommit(st->db) == 0 &&
		    store_exec(st, "COMMIT") != 0)
			goto fail;
		return (0);
	}
	for (i = version; i < n; i++) {
		if (store_exec(st, store_migrations[i]) != 0) {
			xasprintf(cause, "cannot migrate database '%s' to "
			    "version %d: %s", st->path, i + 1,
			    sqlite3_errmsg(st->db));
			store_rollback(st);
			return (-1);
		}
	}
	xasprintf(&sql, "PRAGMA user_version = %d", n);
	if (store_exec(st, sql) != 0 || store_exec(st, "COMMIT") != 0) {
		free(sql);
		store_rollback(st);
		goto fail;
	}
	free(sql);
	return (0);

fail:
	xasprintf(cause, "database '%s': %s", st->path, store_error(st));
	return (-1);
}

/*
 * Make the database at path, and the journals SQLite keeps beside it, 0600
 * (created so when missing, made so when an older updraft left them 0644).
 * 0, or -1 with errno.
 */
static int
store_private(const char *path)
{
	static const char	*ext[] = { "-wal", "-shm", "-journal",
				    ".snapshot" };
	char			*p;
	size_t			 i;
	int			 rc;

	if (safefile_private(path, 1) != 0)
		return (-1);
	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		xasprintf(&p, "%s%s", path, ext[i]);
		rc = safefile_private(p, 0);
		free(p);
		if (rc != 0)
			return (-1);
	}
	return (0);
}

/*
 * Open the database at path. Read-write (creating it if needed): with a
 * WAL journal when flags has STORE_WAL, else a rollback journal (network
 * filesystems: fs.c), and migrated. STORE_RDONLY: as it is, and only if
 * its schema is this updraft's.
 */
struct store *
store_open(const char *path, int flags, char **cause)
{
	struct store	*st;
	char		*dir, *slash;
	int		 oflags;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (safefile_state_dir(dir, cause) != 0) {
			free(dir);
			return (NULL);
		}
		if (!(flags & STORE_RDONLY) && fs_mkdirs(dir) != 0) {
			xasprintf(cause, "cannot create directory '%s': %s",
			    dir, strerror(errno));
			free(dir);
			return (NULL);
		}
	}
	free(dir);
	if (!(flags & STORE_RDONLY)) {
		/*
		 * SQLite gives its journals the database's own mode. An
		 * in-memory database (read verbs on a new home) has no file:
		 * making one would leave ":memory:" in the working folder.
		 */
		if (strcmp(path, ":memory:") != 0 &&
		    store_private(path) != 0) {
			xasprintf(cause, "cannot open database '%s': %s", path,
			    strerror(errno));
			return (NULL);
		}
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	} else
		oflags = SQLITE_OPEN_READONLY;

	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX |
	    SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		xasprintf(cause, "cannot open database '%s': %s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return (NULL);
	}
	/*
	 * Writers (verbs) and the scheduler share the file: wait for each
	 * other rather than fail with "database is locked".
	 */
	sqlite3_busy_timeout(st->db, 30000);
	if (flags & STORE_RDONLY) {
		if (store_exec(st, "PRAGMA foreign_keys = ON") != 0 ||
		    store_check_version(st, cause) != 0) {
			store_close(st);
			return (NULL);
		}
		return (st);
	}
	if (store_exec(st, (flags & STORE_WAL) ? "PRAGMA journal_mode = WAL" :
	    "PRAGMA journal_mode = DELETE") != 0 ||
	    store_exec(st, (flags & STORE_WAL) ? "PRAGMA synchronous = NORMAL" :
	    "PRAGMA synchronous = FULL") != 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") != 0) {
		xasprintf(cause, "cannot set up database '%s': %s", path,
		    sqlite3_errmsg(st->db));
		store_close(st);
		return (NULL);
	}
	if (store_migrate(st, cause) != 0) {
		store_close(st);
		return (NULL);
	}
	return (st);
}

/* 1 if the database cannot be written through st, else 0. */
int
store_readonly(struct store *st)
{
	return (sqlite3_db_readonly(st->db, "main") == 1);
}

/* Changes made through this connection since it opened. */
int64_t
store_changes(struct store *st)
{
	return ((int64_t)sqlite3_total_changes(st->db));
}

/* Where the snapshot of the database at path lives, allocated. */
char *
store_snapshot_path(const char *path)
{
	char	*snap;

	xasprintf(&snap, "%s.snapshot", path);
	return (snap);
}

/*
 * Copy the database, as one consistent state, to its snapshot for readers
 * that must not lock it (cmd.c): written beside it, then renamed into
 * place, so a reader has the old copy or the new one, never half of one.
 * 0, or -1 with *cause.
 */
int
store_snapshot(struct store *st, char **cause)
{
	sqlite3		*dst;
	sqlite3_backup	*b;
	char		*snap, *tmp;
	int		 rc;

	snap = store_snapshot_path(st->path);
	xasprintf(&tmp, "%s.tmp", snap);
	unlink(tmp);
	if (safefile_private(tmp, 1) != 0) {
		xasprintf(cause, "cannot create '%s': %s", tmp,
		    strerror(errno));
		dst = NULL;
		goto fail;
	}
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		xasprintf(cause, "cannot create '%s': %s", tmp,
		    dst != NULL ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	if ((b = sqlite3_backup_init(dst, "main", st->db, "main")) == NULL) {
		xasprintf(cause, "cannot copy to '%s': %s", tmp,
		    sqlite3_errmsg(dst));
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || sqlite3_exec(dst,
	    "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		xasprintf(cause, "cannot copy to '%s': %s", tmp,
		    sqlite3_errmsg(dst));
		goto fail;
	}
	sqlite3_close(dst);
	dst = NULL;
	if (rename(tmp, snap) != 0) {
		xasprintf(cause, "cannot rename '%s': %s", tmp,
		    strerror(errno));
		goto fail;
	}
	free(tmp);
	free(snap);
	return (0);

fail:
	sqlite3_close(dst);
	unlink(tmp);
	free(tmp);
	free(snap);
	return (-1);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	free(st->error);
	free(st->path);
	free(st);
}

/* Open a write transaction (waiting for other writers). 0, or -1. */
int
store_begin(struct store *st)
{
	return (store_exec(st, "BEGIN IMMEDIATE"));
}

/* 0, or -1 (the transaction is still open: store_rollback). */
int
store_commit(struct store *st)
{
	return (store_exec(st, "COMMIT"));
}

/* Undo the transaction, if one is open; the error that led here stays. */
void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/*
 * Prepare sql and bind its arguments, described by fmt: 's' a string (NULL
 * binds NULL), 'i' an int, 'I' an int64_t, 'T' an int64_t bound as NULL
 * when 0. NULL on error (store_error says why).
 */
sqlite3_stmt *
store_prepare(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt	*stmt;
	va_list		 ap;
	const char	*s;
	int64_t		 v;
	int		 i;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(st);
		return (NULL);
	}
	va_start(ap, fmt);
	for (i = 1; fmt[i - 1] != '\0'; i++) {
		switch (fmt[i - 1]) {
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL)
				sqlite3_bind_null(stmt, i);
			else
				sqlite3_bind_text(stmt, i, s, -1,
				    SQLITE_TRANSIENT);
			break;
		case 'i':
			sqlite3_bind_int(stmt, i, va_arg(ap, int));
			break;
		case 'I':
			sqlite3_bind_int64(stmt, i, va_arg(ap, int64_t));
			break;
		case 'T':
			v = va_arg(ap, int64_t);
			if (v == 0)
				sqlite3_bind_null(stmt, i);
			else
				sqlite3_bind_int64(stmt, i, v);
			break;
		}
	}
	va_end(ap);
	return (stmt);
}

/*
 * Step a statement: SQLITE_ROW, SQLITE_DONE, or an error code with its
 * message kept (store_error).
 */
int
store_step(struct store *st, sqlite3_stmt *stmt)
{
	int	rc;

	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		store_fail(st);
	return (rc);
}

/* Step a statement that returns no rows, and finalize it: 0, or -1. */
int
store_done(struct store *st, sqlite3_stmt *stmt)
{
	int	rc;

	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

char *
store_column_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char	*s;

	s = sqlite3_column_text(stmt, i);
	return (s == NULL ? NULL : xstrdup((const char *)s));
}

/* Record a DAG file as seen; a DAG seen for the first time is paused. */
int
store_dag_sync(struct store *st, const char *dag_id, const char *path,
    const char *version, const char *load_error)
{
	return (store_done(st, store_prepare(st,
	    "INSERT INTO dag (dag_id, path, version, load_error) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (dag_id) DO UPDATE SET "
	    "path = ?2, version = coalesce(?3, version), load_error = ?4 "
	    /* Every pass syncs every DAG: write only what changed. */
	    "WHERE path IS NOT ?2 OR version IS NOT coalesce(?3, version) "
	    "OR load_error IS NOT ?4",
	    "ssss", dag_id, path, version, load_error)));
}

static void
store_dag_read(sqlite3_stmt *stmt, struct store_dag *d)
{
	d->dag_id = store_column_text(stmt, 0);
	d->path = store_column_text(stmt, 1);
	d->version = store_column_text(stmt, 2);
	d->load_error = store_column_text(stmt, 3);
	d->paused = sqlite3_column_int(stmt, 4);
	d->has_next = sqlite3_column_type(stmt, 5) != SQLITE_NULL;
	d->next_dagrun = sqlite3_column_int64(stmt, 5);
	d->pause_reason = store_column_text(stmt, 6);
	d->cluster_error = NULL;
	d->active = 0;
}

/* A problem found against the cluster shows as the DAG's load error. */
#define STORE_DAG_COLUMNS \
	"dag_id, path, version, coalesce(load_error, cluster_error), " \
	"paused, next_dagrun, pause_reason"

/* Find a DAG by id: 1 found, 0 not, -1 error. */
int
store_dag_get(struct store *st, const char *dag_id, struct store_dag *d)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(d, 0, sizeof *d);
	stmt = store_prepare(st, "SELECT " STORE_DAG_COLUMNS " FROM dag "
	    "WHERE dag_id = ?1", "s", dag_id);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW)
		store_dag_read(stmt, d);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/* Every DAG the database knows, by dag_id. 0, or -1. */
int
store_dag_list(struct store *st, struct store_dag **list, size_t *n)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT " STORE_DAG_COLUMNS " FROM dag "
	    "ORDER BY dag_id", "");
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		store_dag_read(stmt, &(*list)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * What a scheduler pass needs of every DAG, in one statement sorted by
 * dag_id (bytewise, as strcmp): paused, the next run, the cluster's
 * error, and whether it has a run queued or running.
 */
int
store_dag_list_pass(struct store *st, struct store_dag **list, size_t *n)
{
	sqlite3_stmt	*stmt;
	struct store_dag *d;
	int		 rc;

	*list = NULL;
	*n = 0;
	stmt = store_prepare(st, "SELECT dag_id, paused, next_dagrun, "
	    "cluster_error, EXISTS (SELECT 1 FROM run WHERE "
	    "run.dag_id = dag.dag_id AND state IN ('queued', 'running')) "
	    "FROM dag ORDER BY dag_id", "");
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		d = &(*list)[(*n)++];
		memset(d, 0, sizeof *d);
		d->dag_id = store_column_text(stmt, 0);
		d->paused = sqlite3_column_int(stmt, 1);
		d->has_next = sqlite3_column_type(stmt, 2) != SQLITE_NULL;
		d->next_dagrun = sqlite3_column_int64(stmt, 2);
		d->cluster_error = store_column_text(stmt, 3);
		d->active = sqlite3_column_int(stmt, 4);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* Pause or unpause: 1 done, 0 when no such DAG is known, -1. */
int
store_dag_set_paused(struct store *st, const char *dag_id, int paused)
{
	if (store_done(st, store_prepare(st,
	    "UPDATE dag SET paused = ?2, pause_reason = NULL "
	    "WHERE dag_id = ?1", "si", dag_id, paused)) != 0)
		return (-1);
	return (sqlite3_changes(st->db) == 1);
}

/* The scheduler pauses a DAG, and says why. 0, or -1. */
int
store_dag_pause(struct store *st, const char *dag_id, const char *reason)
{
	return (store_done(st, store_prepare(st,
	    "UPDATE dag SET paused = 1, pause_reason = ?2 WHERE dag_id = ?1",
	    "ss", dag_id, reason)));
}

/* Record (or, with NULL, clear) what the cluster has against a DAG. */
int
store_dag_set_cluster_error(struct store *st, const char *dag_id,
    const char *error)
{
	return (store_done(st, store_prepare(st, "UPDATE dag SET "
	    "cluster_error = ?2 WHERE dag_id = ?1 AND cluster_error IS NOT ?2",
	    "ss", dag_id, error)));
}

/* Record the logical date of a DAG's next run. 0, or -1. */
int
store_dag_set_next(struct store *st, const char *dag_id, int64_t next)
{
	return (store_done(st, store_prepare(st,
	    "UPDATE dag SET next_dagrun = ?2 WHERE dag_id = ?1", "sI",
	    dag_id, next)));
}

void
store_dag_clear(struct store_dag *d)
{
	free(d->dag_id);
	free(d->path);
	free(d->version);
	free(d->load_error);
	free(d->pause_reason);
	free(d->cluster_error);
	memset(d, 0, sizeof *d);
}

void
store_dag_free_list(struct store_dag *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_dag_clear(&list[i]);
	free(list);
}

/*
 * Create a run and its task instances in one transaction: 1 created, 0
 * when the DAG already has a run for that logical date or run id, -1.
 */
int
store_run_create(struct store *st, struct run *r, const struct dag *dag)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (store_begin(st) != 0)
		return (-1);
	stmt = store_prepare(st, "INSERT INTO run (dag_id, run_id, run_type, "
	    "state, version, created_by, logical_date, interval_start, "
	    "interval_end, created_at, start_date, backfill, host, params, "
	    "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
	    "?13, ?14, ?15)", "ssssssIIIITTsss",
	    r->dag_id, r->run_id, r->run_type, r->state, r->version,
	    r->created_by, r->logical_date, r->interval_start,
	    r->interval_end, r->created_at, r->start_date, r->backfill,
	    r->host, r->params, r->note);
	if (stmt == NULL)
		goto fail;
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc == SQLITE_CONSTRAINT) {
		store_rollback(st);
		return (0);
	}
	if (rc != SQLITE_DONE) {
		store_fail(st);
		goto fail;
	}
	r->id = sqlite3_last_insert_rowid(st->db);
	if (store_ti_add_tasks(st, r->id, dag) != 0 || store_commit(st) != 0)
		goto fail;
	return (1);

fail:
	store_rollback(st);
	return (-1);
}

/*
 * Give a run a task instance, waiting, for each task of dag it has none for;
 * the tries a task not yet tried may have follow the DAG's retries. 0, -1.
 */
int
store_ti_add_tasks(struct store *st, int64_t run, const struct dag *dag)
{
	size_t	i;

	for (i = 0; i < dag->ntasks; i++) {
		if (store_done(st, store_prepare(st, "INSERT INTO task_instance "
		    "(run, task_id, state, max_tries) VALUES (?1, ?2, 'none', "
		    "?3) ON CONFLICT (run, task_id) DO UPDATE SET max_tries = "
		    "?3 WHERE try_number = 0", "Isi", run, dag->tasks[i].id,
		    dag->tasks[i].retries + 1)) != 0)
			return (-1);
	}
	return (0);
}

/* 1 if the DAG has a run at that logical date, 0 if not, -1 on error. */
int
store_run_exists(struct store *st, const char *dag_id, int64_t logical_date)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	stmt = store_prepare(st, "SELECT 1 FROM run WHERE dag_id = ?1 AND "
	    "logical_date = ?2", "sI", dag_id, logical_date);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}


/* Read a run from the columns of STORE_RUN_COLUMNS, starting at column c. */
void
store_run_read(sqlite3_stmt *stmt, int c, struct run *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(stmt, c);
	r->dag_id = store_column_text(stmt, c + 1);
	r->run_id = store_column_text(stmt, c + 2);
	r->run_type = store_column_text(stmt, c + 3);
	r->state = store_column_text(stmt, c + 4);
	r->version = store_column_text(stmt, c + 5);
	r->created_by = store_column_text(stmt, c + 6);
	r->logical_date = sqlite3_column_int64(stmt, c + 7);
	r->interval_start = sqlite3_column_int64(stmt, c + 8);
	r->interval_end = sqlite3_column_int64(stmt, c + 9);
	r->created_at = sqlite3_column_int64(stmt, c + 10);
	r->start_date = sqlite3_column_int64(stmt, c + 11);
	r->end_date = sqlite3_column_int64(stmt, c + 12);
	r->backfill = sqlite3_column_int64(stmt, c + 13);
	r->host = store_column_text(stmt, c + 14);
	r->params = store_column_text(stmt, c + 15);
	r->note = store_column_text(stmt, c + 16);
	r->cleared_by = store_column_text(stmt, c + 17);
	r->cleared_at = sqlite3_column_int64(stmt, c + 18);
}

/* Read every run a statement selects, and finalize it. */
static int
store_run_select(struct store *st, sqlite3_stmt *stmt, struct run **list,
    size_t *n)
{
	int	rc;

	*list = NULL;
	*n = 0;
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		store_run_read(stmt, 0, &(*list)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* The runs of a DAG, oldest logical date first; only in state if given. */
int
store_run_list(struct store *st, const char *dag_id, const char *state,
    struct run **list, size_t *n)
{
	return (store_run_select(st, store_prepare(st, "SELECT "
	    STORE_RUN_COLUMNS " FROM run WHERE dag_id = ?1 AND (?2 IS NULL OR "
	    "state = ?2) ORDER BY logical_date", "ss", dag_id, state), list,
	    n));
}

/* The runs of a DAG whose logical dates are in [from, to], oldest first. */
int
store_run_range(struct store *st, const char *dag_id, int64_t from,
    int64_t to, struct run **list, size_t *n)
{
	return (store_run_select(st, store_prepare(st, "SELECT "
	    STORE_RUN_COLUMNS " FROM run WHERE dag_id = ?1 AND logical_date "
	    "BETWEEN ?2 AND ?3 ORDER BY logical_date", "sII", dag_id, from, to),
	    list, n));
}

/* How many runs of a DAG are in a state (own_only: not backfills'); -1. */
int
store_run_count(struct store *st, const char *dag_id, const char *state,
    int own_only)
{
	sqlite3_stmt	*stmt;
	int		 count = -1;

	stmt = store_prepare(st, "SELECT count(*) FROM run WHERE dag_id = ?1 "
	    "AND state = ?2 AND (?3 = 0 OR backfill IS NULL)", "ssi", dag_id,
	    state, own_only);
	if (stmt == NULL)
		return (-1);
	if (store_step(st, stmt) == SQLITE_ROW)
		count = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return (count);
}

/* The run of a DAG by run id: 1 found, 0 none, -1 error. */
int
store_run_find(struct store *st, const char *dag_id, const char *run_id,
    struct run *r)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(r, 0, sizeof *r);
	stmt = store_prepare(st, "SELECT " STORE_RUN_COLUMNS " FROM run "
	    "WHERE dag_id = ?1 AND run_id = ?2", "ss", dag_id, run_id);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW)
		store_run_read(stmt, 0, r);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/* Move a run to state; at moves start_date (running) or end_date (done). */
int
store_run_set_state(struct store *st, struct run *r, const char *state,
    int64_t at)
{
	const char	*sql;

	if (strcmp(state, "running") == 0) {
		sql = "UPDATE run SET state = ?2, start_date = "
		    "coalesce(start_date, ?3), end_date = NULL WHERE id = ?1";
		r->start_date = r->start_date ? r->start_date : at;
		r->end_date = 0;
	} else if (strcmp(state, "success") == 0 ||
	    strcmp(state, "failed") == 0) {
		sql = "UPDATE run SET state = ?2, end_date = ?3 WHERE id = ?1";
		r->end_date = at;
	} else
		sql = "UPDATE run SET state = ?2 WHERE id = ?1 AND ?3 = ?3";
	free(r->state);
	r->state = xstrdup(state);
	return (store_done(st, store_prepare(st, sql, "IsI", r->id, state,
	    at)));
}

/* Record who cleared a run's tasks, and when. */
int
store_run_set_cleared(struct store *st, int64_t run, const char *who,
    int64_t at)
{
	return (store_done(st, store_prepare(st, "UPDATE run SET cleared_by = "
	    "?2, cleared_at = ?3 WHERE id = ?1", "IsI", run, who, at)));
}

/* The run of a DAG at a logical date: 1 found, 0 none, -1 error. */
int
store_run_at(struct store *st, const char *dag_id, int64_t logical,
    struct run *r)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	memset(r, 0, sizeof *r);
	stmt = store_prepare(st, "SELECT " STORE_RUN_COLUMNS " FROM run "
	    "WHERE dag_id = ?1 AND logical_date = ?2", "sI", dag_id, logical);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW)
		store_run_read(stmt, 0, r);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/* The state of a run by rowid, allocated into *state: 1, 0 none, -1. */
int
store_run_state(struct store *st, int64_t run, char **state)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*state = NULL;
	stmt = store_prepare(st, "SELECT state FROM run WHERE id = ?1", "I",
	    run);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW)
		*state = store_column_text(stmt, 0);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

/*
 * Run an existing run again, for a backfill, in one transaction: it keeps
 * its run id, starts now, and each task waits to run again. Try numbers go
 * on from where they were, with the task's retries on top (as Airflow's
 * clear does); tasks the DAG has gained since are added.
 */
int
store_run_rerun(struct store *st, struct run *r, const struct dag *dag,
    int64_t backfill, int64_t now)
{
	size_t	i;

	if (store_begin(st) != 0)
		return (-1);
	if (store_done(st, store_prepare(st, "UPDATE run SET state = "
	    "'running', start_date = ?2, end_date = NULL, backfill = ?3, "
	    "version = ?4 WHERE id = ?1", "IIIs", r->id, now, backfill,
	    dag->version)) != 0)
		goto fail;
	for (i = 0; i < dag->ntasks; i++) {
		if (store_done(st, store_prepare(st, "INSERT INTO "
		    "task_instance (run, task_id, state, max_tries) VALUES "
		    "(?1, ?2, 'none', ?3) ON CONFLICT (run, task_id) DO UPDATE "
		    "SET state = 'none', reason = NULL, node = NULL, "
		    "exit_code = NULL, job_id = NULL, queued_at = NULL, "
		    "start_date = NULL, end_date = NULL, next_try_at = NULL, "
		    "array_name = NULL, array_index = NULL, element_job_id = NULL, "
		    "max_tries = try_number + ?3", "Isi", r->id,
		    dag->tasks[i].id, dag->tasks[i].retries + 1)) != 0)
			goto fail;
	}
	if (store_commit(st) != 0)
		goto fail;
	free(r->state);
	r->state = xstrdup("running");
	r->start_date = now;
	r->end_date = 0;
	return (0);

fail:
	store_rollback(st);
	return (-1);
}

void
store_run_clear(struct run *r)
{
	free(r->dag_id);
	free(r->run_id);
	free(r->run_type);
	free(r->state);
	free(r->version);
	free(r->created_by);
	free(r->host);
	free(r->params);
	free(r->note);
	free(r->cleared_by);
	memset(r, 0, sizeof *r);
}

void
store_run_free_list(struct run *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_run_clear(&list[i]);
	free(list);
}


/* Read a task instance from STORE_TI_COLUMNS, starting at column c. */
void
store_ti_read(sqlite3_stmt *stmt, int c, struct ti *ti)
{
	memset(ti, 0, sizeof *ti);
	ti->run = sqlite3_column_int64(stmt, c);
	ti->task_id = store_column_text(stmt, c + 1);
	ti->state = store_column_text(stmt, c + 2);
	ti->reason = store_column_text(stmt, c + 3);
	ti->partition = store_column_text(stmt, c + 4);
	ti->node = store_column_text(stmt, c + 5);
	ti->try_number = sqlite3_column_int(stmt, c + 6);
	ti->max_tries = sqlite3_column_int(stmt, c + 7);
	ti->has_exit_code = sqlite3_column_type(stmt, c + 8) != SQLITE_NULL;
	ti->exit_code = sqlite3_column_int(stmt, c + 8);
	ti->job_id = sqlite3_column_int64(stmt, c + 9);
	ti->queued_at = sqlite3_column_int64(stmt, c + 10);
	ti->start_date = sqlite3_column_int64(stmt, c + 11);
	ti->end_date = sqlite3_column_int64(stmt, c + 12);
	ti->next_try_at = sqlite3_column_int64(stmt, c + 13);
	ti->array_name = store_column_text(stmt, c + 14);
	ti->array_index = sqlite3_column_type(stmt, c + 15) != SQLITE_NULL ?
	    sqlite3_column_int(stmt, c + 15) : -1;
	ti->element_job_id = sqlite3_column_int64(stmt, c + 16);
}

static int
store_ti_select(struct store *st, sqlite3_stmt *stmt, struct ti **list,
    size_t *n)
{
	int	rc;

	*list = NULL;
	*n = 0;
	if (stmt == NULL)
		return (-1);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		memset(&(*list)[*n], 0, sizeof **list);
		store_ti_read(stmt, 0, &(*list)[(*n)++]);
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* The task instances of one run, in the order they were created. */
int
store_ti_list(struct store *st, int64_t run, struct ti **list, size_t *n)
{
	return (store_ti_select(st, store_prepare(st, "SELECT "
	    STORE_TI_COLUMNS " FROM task_instance WHERE run = ?1 "
	    "ORDER BY rowid", "I", run), list, n));
}

/* Every task instance that has, or is about to have, a Slurm job. */
int
store_ti_active(struct store *st, struct ti **list, size_t *n)
{
	return (store_ti_select(st, store_prepare(st, "SELECT "
	    STORE_TI_COLUMNS " FROM task_instance WHERE state IN "
	    "('scheduled', 'queued', 'running') ORDER BY run, rowid", ""),
	    list, n));
}

/* Write every field of a task instance back, by run and task. 0, or -1. */
int
store_ti_update(struct store *st, const struct ti *ti)
{
	return (store_done(st, store_prepare(st, "UPDATE task_instance SET "
	    "state = ?3, reason = ?4, partition = ?5, node = ?6, "
	    "try_number = ?7, exit_code = CASE WHEN ?8 THEN ?9 END, "
	    "job_id = ?10, queued_at = ?11, start_date = ?12, "
	    "end_date = ?13, next_try_at = ?14, array_name = ?15, "
	    "array_index = CASE WHEN ?16 >= 0 THEN ?16 END, "
	    "element_job_id = ?17 WHERE run = ?1 AND task_id = ?2",
	    "IsssssiiiTTTTTsiT", ti->run, ti->task_id, ti->state, ti->reason,
	    ti->partition, ti->node, ti->try_number, ti->has_exit_code,
	    ti->exit_code, ti->job_id, ti->queued_at, ti->start_date,
	    ti->end_date, ti->next_try_at, ti->array_name, ti->array_index,
	    ti->element_job_id)));
}

/*
 * The elements of an array were submitted as Slurm job job_id: every task
 * instance planned under its name is queued, in one statement.
 */
int
store_ti_array_queued(struct store *st, const char *array_name,
    int64_t job_id, const char *partition, int64_t now)
{
	return (store_done(st, store_prepare(st, "UPDATE task_instance SET "
	    "state = 'queued', job_id = ?2, queued_at = ?3, partition = ?4 "
	    "WHERE array_name = ?1 AND state = 'scheduled'", "sIIs",
	    array_name, job_id, now, partition)));
}

/*
 * The state of a task in the DAG's run just before a logical date: 1 with
 * *state allocated, 0 when there is no such run or it lacks the task.
 */
int
store_ti_previous(struct store *st, const char *dag_id, int64_t logical,
    const char *task_id, char **state)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*state = NULL;
	stmt = store_prepare(st, "SELECT ti.state FROM run r JOIN "
	    "task_instance ti ON ti.run = r.id AND ti.task_id = ?3 WHERE r.id = "
	    "(SELECT id FROM run WHERE dag_id = ?1 AND logical_date < ?2 "
	    "ORDER BY logical_date DESC LIMIT 1)", "sIs", dag_id, logical,
	    task_id);
	if (stmt == NULL)
		return (-1);
	rc = store_step(st, stmt);
	if (rc == SQLITE_ROW)
		*state = store_column_text(stmt, 0);
	sqlite3_finalize(stmt);
	return (rc == SQLITE_ROW ? 1 : (rc == SQLITE_DONE ? 0 : -1));
}

void
store_ti_free_list(struct ti *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i].task_id);
		free(list[i].state);
		free(list[i].reason);
		free(list[i].partition);
		free(list[i].node);
		free(list[i].array_name);
	}
	free(list);
}
