/* The store's contract: lookups 1/0/-1, writes 0/-1, errors by store_error. */

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "store.h"
#include "unit.h"

#define T0	1790000000	/* a logical date */

static char	 dir[] = "/tmp/updraft-test-store.XXXXXX";
static char	*path;

/* A DAG of two tasks, 'fetch' and 'train' (one retry). */
static void
test_store_dag(struct dag *dag, struct task *tasks)
{
	memset(dag, 0, sizeof *dag);
	memset(tasks, 0, 2 * sizeof *tasks);
	tasks[0].id = (char *)"fetch";
	tasks[1].id = (char *)"train";
	tasks[1].retries = 1;
	dag->id = (char *)"d";
	dag->tasks = tasks;
	dag->ntasks = 2;
	strcpy(dag->version, "0123456789abcdef");
}

/* A run of d at logical date t, named after it; r's strings are not its. */
static int
test_store_run(struct store *st, const struct dag *dag, int64_t t,
    struct run *r)
{
	static char	 run_id[64];

	snprintf(run_id, sizeof run_id, "manual__%lld", (long long)t);
	memset(r, 0, sizeof *r);
	r->dag_id = (char *)"d";
	r->run_id = run_id;
	r->run_type = (char *)"manual";
	r->state = (char *)"queued";
	r->version = (char *)dag->version;
	r->logical_date = r->interval_start = r->interval_end = t;
	r->created_at = t;
	return (store_run_create(st, r, dag));
}

static void
test_store_lookups(struct store *st)
{
	struct dag		 dag;
	struct task		 tasks[2];
	struct store_dag	 sd;
	struct run		 r, found;
	struct ti		*tis;
	size_t			 n;
	char			*s;
	int			 try;

	test_store_dag(&dag, tasks);
	CHECK(store_dag_sync(st, "d", "/dev/null", dag.version, NULL) == 0,
	    "%s", store_error(st));
	CHECK(store_dag_get(st, "d", &sd) == 1, "dag found");
	CHECK(sd.paused == 1, "a new DAG is paused");
	store_dag_clear(&sd);
	CHECK(store_dag_get(st, "nosuch", &sd) == 0, "no such dag");
	CHECK(sd.dag_id == NULL, "nothing read");

	/* A conditional write: 1 done, 0 no such row. */
	CHECK(store_dag_set_paused(st, "d", 0) == 1, "unpaused");
	CHECK(store_dag_set_paused(st, "nosuch", 0) == 0, "no dag to pause");

	CHECK(test_store_run(st, &dag, T0, &r) == 1, "created: %s",
	    store_error(st));
	CHECK(r.id > 0, "its rowid");
	CHECK(test_store_run(st, &dag, T0, &found) == 0, "there already");

	CHECK(store_run_find(st, "d", "manual__1790000000", &found) == 1,
	    "found by run id");
	CHECK(found.logical_date == T0, "its date");
	CHECK_STR(found.state, "queued");
	store_run_clear(&found);
	CHECK(store_run_find(st, "d", "manual__1", &found) == 0, "no run id");
	CHECK(found.run_id == NULL, "nothing read");
	CHECK(store_run_find(st, "nosuch", "manual__1790000000", &found) == 0,
	    "another DAG's run id");

	CHECK(store_run_at(st, "d", T0, &found) == 1, "found by date");
	CHECK_STR(found.run_id, "manual__1790000000");
	store_run_clear(&found);
	CHECK(store_run_at(st, "d", T0 + 1, &found) == 0, "no run then");
	CHECK(store_run_exists(st, "d", T0) == 1, "exists");
	CHECK(store_run_exists(st, "d", T0 + 1) == 0, "does not");

	CHECK(store_record_run_get(st, r.id, &found) == 1, "found by rowid");
	CHECK_STR(found.run_id, "manual__1790000000");
	store_run_clear(&found);
	CHECK(store_record_run_get(st, r.id + 100, &found) == 0, "no rowid");

	CHECK(store_run_state(st, r.id, &s) == 1, "its state");
	CHECK_STR(s, "queued");
	free(s);
	CHECK(store_run_state(st, r.id + 100, &s) == 0, "no state");
	CHECK(s == NULL, "nothing read");

	CHECK(store_ti_list(st, r.id, &tis, &n) == 0 && n == 2, "two tasks");
	CHECK(n == 2 && strcmp(tis[0].task_id, "fetch") == 0 &&
	    tis[1].max_tries == 2, "in order, with the retries");
	store_ti_free_list(tis, n);
	CHECK(store_query_ti_state(st, r.id, "train", &s, &try) == 1,
	    "a task's state");
	CHECK_STR(s, "none");
	free(s);
	CHECK(store_query_ti_state(st, r.id, "nosuch", &s, &try) == 0,
	    "no such task");

	/* The run before the next one: ours. */
	CHECK(store_ti_previous(st, "d", T0 + 1, "fetch", &s) == 1,
	    "the run before");
	CHECK_STR(s, "none");
	free(s);
	CHECK(store_ti_previous(st, "d", T0, "fetch", &s) == 0,
	    "no run before the first");

	CHECK(store_version_known(st, "d", dag.version) == 0, "not yet");
	CHECK(store_version_add(st, "d", dag.version, "text", T0) == 0,
	    "added");
	CHECK(store_version_known(st, "d", dag.version) == 1, "known");
	CHECK(store_version_source(st, "d", dag.version, &s) == 1, "source");
	CHECK_STR(s, "text");
	free(s);
	CHECK(store_version_source(st, "d", "nosuch", &s) == 0, "no source");

	/* A plain write on a missing row changes nothing and is no error. */
	CHECK(store_record_set_note(st, r.id + 100, "x") == 0, "no such run");
	CHECK(store_dag_set_next(st, "nosuch", T0) == 0, "no such dag");
}

/*
 * Status's latest failures: newest first by when the try ended (started,
 * queued), else by its run's date; ties by DAG and task.
 */
static void
test_store_failures(struct store *st)
{
	static const struct {
		int64_t		 t;		/* the run's date */
		const char	*task_id;
		int64_t		 end;		/* 0: no time at all */
	} rows[] = {
		{ T0 + 3600, "fetch", T0 + 100 },
		{ T0 + 3600, "train", T0 + 500 },
		{ T0 + 7200, "fetch", T0 + 500 },
		{ T0 + 7200, "train", 0 },	/* sorts at T0 + 7200 */
		{ T0 + 10800, "fetch", T0 + 50 },
	};
	static const char *want[] = { "train", "fetch", "train", "fetch" };
	struct dag		 dag;
	struct task		 tasks[2];
	struct run		 r;
	struct ti		 ti;
	struct store_view_ti	*v;
	size_t			 i, n;

	test_store_dag(&dag, tasks);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (i == 0 || rows[i].t != rows[i - 1].t)
			CHECK(test_store_run(st, &dag, rows[i].t, &r) == 1,
			    "%s", store_error(st));
		memset(&ti, 0, sizeof ti);
		ti.run = r.id;
		ti.task_id = (char *)rows[i].task_id;
		ti.state = (char *)"failed";
		ti.try_number = 1;
		ti.end_date = rows[i].end;
		ti.array_index = -1;
		CHECK(store_ti_update(st, &ti) == 0, "%s", store_error(st));
	}
	CHECK(store_view_tis(st, 1, 4, &v, &n) == 0, "%s", store_error(st));
	CHECK(n == 4, "%zu failures", n);
	for (i = 0; i < n && i < 4; i++) {
		CHECK_STR(v[i].ti.task_id, want[i]);
		CHECK(i != 0 || v[i].logical_date == T0 + 7200, "no time: "
		    "the run's date");
		CHECK(i != 1 || v[i].logical_date == T0 + 7200, "a tie: by "
		    "DAG, then task");
	}
	store_view_free_tis(v, n);
	CHECK(store_view_tis(st, 1, 1, &v, &n) == 0 && n == 1 &&
	    v[0].ti.end_date == 0, "the newest alone");
	store_view_free_tis(v, n);
}

static void
test_store_lease(struct store *st)
{
	struct store_lease	me, other, holder;

	memset(&me, 0, sizeof me);
	me.host = (char *)"here";
	me.pid = 1;
	me.expires = T0 + 60;
	other = me;
	other.pid = 2;
	CHECK(store_lease_get(st, &holder) == 0, "never taken");
	CHECK(store_lease_take(st, &me, T0, NULL, &holder) == 1, "taken");
	store_lease_clear(&holder);
	CHECK(store_lease_get(st, &holder) == 1 && holder.pid == 1, "mine");
	store_lease_clear(&holder);
	CHECK(store_lease_renew(st, &me, T0 + 1, 0, 0) == 1, "renewed");
	CHECK(store_lease_renew(st, &other, T0 + 1, 0, 0) == 0, "not theirs");
	CHECK(store_lease_release(st, &me) == 0, "let go");
	CHECK(store_lease_take(st, &other, T0 + 2, NULL, &holder) == 1,
	    "taken once let go");
	store_lease_clear(&holder);
}

/* -1, with SQLite's reason, kept across the rollback that follows. */
static void
test_store_errors(void)
{
	struct store	*ro, *st;
	struct store_dag sd;
	struct dag	 dag;
	struct task	 tasks[2];
	struct run	 r;
	sqlite3		*db;
	char		*cause = NULL;

	test_store_dag(&dag, tasks);
	ro = store_open(path, STORE_RDONLY, &cause);
	CHECK(ro != NULL, "read only: %s", cause);
	if (ro == NULL)
		return;
	CHECK(store_dag_set_paused(ro, "d", 1) == -1, "cannot write");
	CHECK_STR(store_error(ro), "attempt to write a readonly database");
	CHECK(test_store_run(ro, &dag, T0 + 3600, &r) == -1, "cannot create");
	CHECK_STR(store_error(ro), "attempt to write a readonly database");
	CHECK(store_dag_get(ro, "d", &sd) == 1, "reads still work");
	store_dag_clear(&sd);
	store_close(ro);

	/* A lookup that fails is -1, not 0. */
	st = store_open(path, 0, &cause);
	CHECK(st != NULL, "%s", cause);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK &&
	    sqlite3_exec(db, "ALTER TABLE run RENAME TO gone", NULL, NULL,
	    NULL) == SQLITE_OK, "table renamed");
	sqlite3_close(db);
	CHECK(store_run_find(st, "d", "manual__1790000000", &r) == -1,
	    "lookup fails");
	CHECK_STR(store_error(st), "no such table: run");
	CHECK(store_run_at(st, "d", T0, &r) == -1, "lookup fails");
	CHECK(store_record_run_get(st, 1, &r) == -1, "lookup fails");
	CHECK(store_run_exists(st, "d", T0) == -1, "lookup fails");
	CHECK(store_dag_set_paused(st, "d", 1) == 1, "other tables work");
	store_close(st);
}

int
main(void)
{
	struct store	*st;
	char		*cause = NULL;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return (1);
	}
	xasprintf(&path, "%s/updraft.db", dir);
	st = store_open(path, STORE_WAL, &cause);
	CHECK(st != NULL, "open: %s", cause);
	if (st != NULL) {
		test_store_lookups(st);
		test_store_failures(st);
		test_store_lease(st);
		store_close(st);
		test_store_errors();
	}
	unlink(path);
	free(path);
	xasprintf(&path, "%s/updraft.db-wal", dir);
	unlink(path);
	free(path);
	xasprintf(&path, "%s/updraft.db-shm", dir);
	unlink(path);
	free(path);
	rmdir(dir);
	return (unit_done());
}
