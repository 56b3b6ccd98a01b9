#!/bin/sh
# The store's contract seen from the command line (no Slurm): a database
# error is reported once, by the verb, and is not taken for a missing DAG
# or run; a missing DAG or run is not taken for an error.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t0170_

fetch_train_dag t0170_d
make_db t0170_d
db=$UPDRAFT_HOME/updraft.db
sqlite3 "$db" "INSERT INTO run (id, dag_id, run_id, run_type, state,
    logical_date, interval_start, interval_end, created_at) VALUES
    (1, 't0170_d', 'manual__1', 'manual', 'success', 1790000000,
    1790000000, 1790000000, 1790000000);
    INSERT INTO task_instance (run, task_id, state) VALUES
    (1, 'fetch', 'success'), (1, 'train', 'success');"

# Each write the database refuses fails with SQLite's message, once.
sqlite3 "$db" "CREATE TRIGGER boom_dag BEFORE UPDATE OF paused ON dag
    BEGIN SELECT RAISE(ABORT, 'boom'); END;
    CREATE TRIGGER boom_run BEFORE UPDATE OF note ON run
    BEGIN SELECT RAISE(ABORT, 'boom'); END;"

out=$(updraft unpause t0170_d 2>&1)
expect_eq "unpause: a database error, said once" "$? $out" \
    "1 updraft: database: boom"
out=$(updraft pause t0170_nosuch 2>&1)
expect_eq "pause: no such dag is not a database error" "$? $out" \
    "1 updraft: cannot find dag 't0170_nosuch'"
out=$(updraft note t0170_d manual__1 "a note" 2>&1)
expect_eq "note: a database error, said once" "$? $out" \
    "1 updraft: cannot set note: boom"
out=$(updraft note t0170_d manual__2 "a note" 2>&1)
expect_eq "note: no such run is not a database error" "$? $out" \
    "1 updraft: cannot find run 'manual__2' of dag 't0170_d'"

# A run is found by its run id, or by its logical date (UTC).
out=$(updraft tasks t0170_d 2026-09-21T14:13:20Z --json 2>&1 | json_field task_id)
expect_eq "tasks: a run found by its logical date" "$out" "fetch
train"
out=$(updraft tasks t0170_d 2026-09-21T14:13:21Z 2>&1)
expect_eq "tasks: no run at that date" "$? $out" \
    "1 updraft: cannot find run '2026-09-21T14:13:21Z' of dag 't0170_d'"

# A read that fails says why, once.
sqlite3 "$db" "ALTER TABLE task_instance RENAME TO ti_gone;"
out=$(updraft tasks t0170_d manual__1 2>&1)
expect_eq "tasks: a database error, said once" "$? $out" \
    "1 updraft: database: no such table: task_instance"

# A DAG that cannot be looked up is not a missing DAG.
sqlite3 "$db" "ALTER TABLE dag RENAME TO dag_gone;"
for verb in runs export backfills; do
	case $verb in
	export) out=$(updraft export t0170_d --json 2>&1) ;;
	*) out=$(updraft $verb t0170_d 2>&1) ;;
	esac
	expect_eq "$verb: a database error, not 'cannot find dag'" "$? $out" \
	    "1 updraft: database: no such table: dag"
done

done_testing
