/* What the command line's listings read: runs streamed through filters. */

#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "where.h"

/* The labels come hex-encoded, in order, one space between (any byte but
 * NUL may be in a label): see store_query_labels. */
#define STORE_QUERY_RUN_COLUMNS \
	"id, dag_id, run_id, run_type, state, logical_date, version, " \
	"created_by, interval_start, interval_end, created_at, " \
	"start_date, end_date, backfill, params, note, " \
	"(SELECT group_concat(hex(label), ' ') FROM (SELECT label FROM " \
	"run_label l WHERE l.run = run.id ORDER BY label)), host, " \
	"cleared_by, cleared_at"
/* What a table shows: reading fewer columns is a third faster. */
#define STORE_QUERY_RUN_BRIEF \
	"id, dag_id, run_id, run_type, state, logical_date"

/*
 * The WHERE clause of a filter, allocated, with parameters ?1 dag_id,
 * ?2 state, ?3 created_by, ?4 since (the SELECTs bind ?5, the limit;
 * --where, --label and --order bind ?6 onwards: store_query_bind).
 * Only the filters given are in it, so that SQLite picks the index on
 * (dag_id, logical_date) or (dag_id, state, logical_date), and with --last
 * the LIMIT walks that index backwards instead of sorting.
 */
static char *
store_query_runs_where(const struct store_run_filter *f)
{
	char	*where, *tmp;

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
	if (f->query != NULL && f->query->where != NULL) {
		xasprintf(&tmp, "%s AND (%s)", where, f->query->where);
		free(where);
		where = tmp;
	}
	return (where);
}

/* Bind the values of a filter's --where and --order (?6 onwards). */
static void
store_query_bind(sqlite3_stmt *stmt, const struct store_run_filter *f)
{
	const struct where_bind	*b;
	size_t				 i;
	int				 n;

	if (stmt == NULL || f->query == NULL)
		return;
	for (i = 0; i < f->query->nbinds; i++) {
		b = &f->query->binds[i];
		n = f->query->base + (int)i;
		switch (b->type) {
		case WHERE_BIND_TEXT:
			sqlite3_bind_text(stmt, n, b->text, -1,
			    SQLITE_TRANSIENT);
			break;
		case WHERE_BIND_INT:
			sqlite3_bind_int64(stmt, n, b->i);
			break;
		case WHERE_BIND_REAL:
			sqlite3_bind_double(stmt, n, b->d);
			break;
		}
	}
}

/* The SELECT of the runs f selects, oldest first, allocated. */
static char *
store_query_runs_sql(const struct store_run_filter *f)
{
	const char	*columns;
	char		*where, *sql, *key, *order;

	where = store_query_runs_where(f);
	columns = f->brief ? STORE_QUERY_RUN_BRIEF : STORE_QUERY_RUN_COLUMNS;
	/*
	 * With --order, each row carries its sort key as a last column (the
	 * callers read columns by index), so that with --last it is worked
	 * out inside, where the table's columns are.
	 */
	if (f->query != NULL && f->query->order != NULL) {
		xasprintf(&key, ", %s AS sort_key", f->query->order);
		xasprintf(&order, "sort_key %s NULLS LAST, ",
		    f->query->desc ? "DESC" : "ASC");
	} else {
		key = xstrdup("");
		order = xstrdup("");
	}
	if (f->last > 0)
		xasprintf(&sql, "SELECT * FROM (SELECT %s%s FROM run WHERE %s "
		    "ORDER BY logical_date DESC, dag_id DESC LIMIT ?5) "
		    "ORDER BY %slogical_date, dag_id", columns, key, where,
		    order);
	else
		xasprintf(&sql, "SELECT %s%s FROM run WHERE %s ORDER BY "
		    "%slogical_date, dag_id", columns, key, where, order);
	free(key);
	free(order);
	free(where);
	return (sql);
}

static sqlite3_stmt *
store_query_runs_prepare(struct store *st, const struct store_run_filter *f)
{
	sqlite3_stmt	*stmt;
	char		*sql;

	sql = store_query_runs_sql(f);
	stmt = store_prepare(st, sql, "sssII", f->dag_id, f->state,
	    f->created_by, f->since, (int64_t)(f->last > 0 ? f->last : -1));
	free(sql);
	store_query_bind(stmt, f);
	return (stmt);
}

/*
 * Decode hex, "6131 62" for the labels "a1" and "b", into *buf as
 * "a1\0b\0\0" (each label NUL-ended, then an empty one), growing it.
 * NULL if hex is NULL (no labels).
 */
static char *
store_query_labels(const char *hex, char **buf, size_t *size)
{
	size_t	n = 0, need;
	int	hi, lo;

	if (hex == NULL)
		return (NULL);
	need = strlen(hex) + 2;
	if (need > *size) {
		*buf = xreallocarray(*buf, need, 1);
		*size = need;
	}
	for (; *hex != '\0'; hex++) {
		if (*hex == ' ') {
			(*buf)[n++] = '\0';
			continue;
		}
		hi = hex[0] <= '9' ? hex[0] - '0' : hex[0] - 'A' + 10;
		lo = hex[1] <= '9' ? hex[1] - '0' : hex[1] - 'A' + 10;
		(*buf)[n++] = (char)(hi << 4 | lo);
		hex++;
	}
	(*buf)[n++] = '\0';
	(*buf)[n] = '\0';
	return (*buf);
}

/*
 * Call cb for each run the filter selects, oldest logical date first,
 * without copying: the run's strings last until cb returns. With f->brief
 * only id, dag_id, run_id, run_type, state and logical_date are read;
 * without, r->labels is set too. Stop early
 * when cb returns non-zero. 0, or -1 on a database error.
 */
int
store_query_runs(struct store *st, const struct store_run_filter *f,
    int (*cb)(const struct run *, void *), void *arg)
{
	sqlite3_stmt	*stmt;
	struct run	 r;
	char		*labels = NULL;
	size_t		 size = 0;
	int		 rc;

	if ((stmt = store_query_runs_prepare(st, f)) == NULL)
		return (-1);
	memset(&r, 0, sizeof r);
	while ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(stmt, 0);
		r.dag_id = (char *)sqlite3_column_text(stmt, 1);
		r.run_id = (char *)sqlite3_column_text(stmt, 2);
		r.run_type = (char *)sqlite3_column_text(stmt, 3);
		r.state = (char *)sqlite3_column_text(stmt, 4);
		r.logical_date = sqlite3_column_int64(stmt, 5);
		if (!f->brief) {
			r.version = (char *)sqlite3_column_text(stmt, 6);
			r.created_by = (char *)sqlite3_column_text(stmt, 7);
			r.interval_start = sqlite3_column_int64(stmt, 8);
			r.interval_end = sqlite3_column_int64(stmt, 9);
			r.created_at = sqlite3_column_int64(stmt, 10);
			r.start_date = sqlite3_column_int64(stmt, 11);
			r.end_date = sqlite3_column_int64(stmt, 12);
			r.backfill = sqlite3_column_int64(stmt, 13);
			r.params = (char *)sqlite3_column_text(stmt, 14);
			r.note = (char *)sqlite3_column_text(stmt, 15);
			r.labels = store_query_labels((const char *)
			    sqlite3_column_text(stmt, 16), &labels, &size);
			r.host = (char *)sqlite3_column_text(stmt, 17);
			r.cleared_by = (char *)sqlite3_column_text(stmt, 18);
			r.cleared_at = sqlite3_column_int64(stmt, 19);
		}
		if (cb(&r, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(stmt);
	free(labels);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Fill w with the widest dag_id and run_id (in bytes) of the runs f
 * selects, and their count: 0, or -1. Without filters other than the DAG
 * this reads only the index on (dag_id, run_id).
 */
int
store_query_run_widths(struct store *st, const struct store_run_filter *f,
    struct store_run_widths *w)
{
	struct store_run_filter	 all = *f;
	sqlite3_stmt		*stmt;
	char			*sql, *inner;
	int			 rc;

	memset(w, 0, sizeof *w);
	all.last = 0;
	inner = store_query_runs_where(&all);
	if (f->last > 0)
		xasprintf(&sql, "SELECT max(length(CAST(dag_id AS BLOB))), "
		    "max(length(CAST(run_id AS BLOB))), count(*) FROM (SELECT "
		    "dag_id, run_id FROM run WHERE %s ORDER BY logical_date "
		    "DESC, dag_id DESC LIMIT ?5)", inner);
	else
		xasprintf(&sql, "SELECT max(length(CAST(dag_id AS BLOB))), "
		    "max(length(CAST(run_id AS BLOB))), count(*) FROM run "
		    "WHERE %s", inner);
	free(inner);
	stmt = store_prepare(st, sql, "sssII", f->dag_id, f->state,
	    f->created_by, f->since, (int64_t)(f->last > 0 ? f->last : -1));
	free(sql);
	store_query_bind(stmt, f);
	if (stmt == NULL)
		return (-1);
	if ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		w->dag_id = (size_t)sqlite3_column_int64(stmt, 0);
		w->run_id = (size_t)sqlite3_column_int64(stmt, 1);
		w->count = (long)sqlite3_column_int64(stmt, 2);
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
	if ((rc = store_step(st, stmt)) == SQLITE_ROW) {
		*state = store_column_text(stmt, 0);
		*try_number = sqlite3_column_int(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}
