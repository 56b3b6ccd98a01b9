#!/bin/sh
# The read-only SQL views for notebooks (updraft(1), SQL VIEWS): each exists
# in a new database, answers exact rows on a fixed one with names and times
# as --json gives them, and a read-only connection can read them.
. "$(dirname "$0")/lib.sh"
. "$TEST_SRCDIR/data/t98-fixture.sh"
TEST_JOB_PREFIX=t98_
t98_fixture
db=$UPDRAFT_HOME/updraft.db
r1=scheduled__2025-11-01T00:00:00+00:00

q() {
	sqlite3 -readonly -separator '|' "$db" "$1"
}

expect_eq "the views" "$(q "SELECT name FROM sqlite_master WHERE type =
    'view' ORDER BY name" | tr '\n' ' ')" \
    "lineage run_labels run_metrics run_outputs run_params runs task_instances "
expect_eq "runs: its columns" "$(q "SELECT name FROM pragma_table_info('runs')" |
    tr '\n' ' ')" \
    "dag_id run_id run_type state logical_date data_interval_start data_interval_end owner created_at start_date end_date duration params labels note version host cleared_by cleared_at "
expect_eq "runs: the rows of a DAG" \
    "$(q "SELECT * FROM runs WHERE dag_id = 't98_daily' ORDER BY logical_date")" \
    "t98_daily|$r1|scheduled|success|2025-11-01T00:00:00+00:00|2025-11-01T00:00:00+00:00|2025-11-02T00:00:00+00:00|scheduler|2025-11-02T00:00:00+00:00|2025-11-02T00:00:10+00:00|2025-11-02T01:00:10+00:00|3600|{\"lr\": 0.1, \"epochs\": 10}|baseline||aaaa|login1||
t98_daily|manual__lr001|manual|failed|2025-11-01T12:26:40+00:00|2025-11-01T12:26:40+00:00|2025-11-01T12:26:40+00:00|alice|2025-11-01T12:26:40+00:00|2025-11-01T12:26:45+00:00|2025-11-01T12:36:45+00:00|600|{\"lr\": 0.01, \"epochs\": 10, \"tag\": \"small\"}|lr;sweep|diverged after epoch 3|aaaa|login1|bob|2025-11-01T12:43:20+00:00
t98_daily|scheduled__2025-11-02T00:00:00+00:00|scheduled|running|2025-11-02T00:00:00+00:00|2025-11-02T00:00:00+00:00|2025-11-03T00:00:00+00:00|scheduler|2025-11-03T00:00:00+00:00|2025-11-03T00:00:05+00:00|||{}|||aaaa|login2||"
expect_eq "runs: times as --json writes them" \
    "$(q "SELECT start_date FROM runs WHERE run_id = 'manual__lr001'")" \
    "$(updraft runs t98_daily --json --state failed | json_field start_date)"
expect_eq "task_instances: a run's tries, the array element's own job" \
    "$(q "SELECT task_id, state, try_number, max_tries, job_id, slurm_job,
    partition, exit_code, reason, start_date, duration FROM task_instances
    WHERE dag_id = 't98_daily' AND run_id IN ('$r1', 'manual__lr001')
    ORDER BY logical_date, task_id")" \
    "fetch|success|1|1|101|101|cpu|0||2025-11-02T00:00:10+00:00|60
train|success|1|1|7628|7627_0|gpu|0||2025-11-02T00:01:20+00:00|3530
fetch|success|1|1|102|102|cpu|0||2025-11-01T12:26:45+00:00|60
train|failed|2|2|103|103|gpu|3|exit code 3|2025-11-01T12:27:50+00:00|535"
expect_eq "run_params: one row per param, values typed" \
    "$(q "SELECT run_id, name, value, typeof(value) FROM run_params
    ORDER BY run_id, name")" \
    "manual__lr001|epochs|10|integer
manual__lr001|lr|0.01|real
manual__lr001|tag|small|text
manual__reads_daily|source|daily|text
$r1|epochs|10|integer
$r1|lr|0.1|real"
expect_eq "run_labels" "$(q "SELECT * FROM run_labels ORDER BY run_id, label")" \
    "t98_daily|manual__lr001|lr
t98_daily|manual__lr001|sweep
t98_hourly|manual__reads_daily|lineage
t98_daily|$r1|baseline"
expect_eq "run_metrics" "$(q "SELECT * FROM run_metrics ORDER BY dag_id,
    logical_date, name")" \
    "t98_daily|$r1|2025-11-01T00:00:00+00:00|success|train|accuracy|0.9|1
t98_daily|$r1|2025-11-01T00:00:00+00:00|success|train|val_loss|0.25|1
t98_daily|manual__lr001|2025-11-01T12:26:40+00:00|failed|train|val_loss|1.5|2
t98_hourly|manual__reads_daily|2025-11-02T05:06:40+00:00|success|train|val_loss|0.2|1"
expect_eq "run_metrics: a comparison in one query" \
    "$(q "SELECT r.run_id, m.value FROM runs r JOIN run_metrics m USING
    (dag_id, run_id) WHERE m.name = 'val_loss' AND json_extract(r.params,
    '$.lr') < 1 ORDER BY m.value")" "$r1|0.25
manual__lr001|1.5"
expect_eq "run_outputs" "$(q "SELECT * FROM run_outputs ORDER BY task_id")" \
    "t98_daily|$r1|2025-11-01T00:00:00+00:00|fetch|data|/data/t98/data.csv||||1
t98_daily|$r1|2025-11-01T00:00:00+00:00|train|model|/data/t98/model.pt|1024|2025-11-02T01:00:00+00:00|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|1"
expect_eq "lineage: who read what, across DAGs" "$(q "SELECT * FROM lineage")" \
    "t98_hourly|manual__reads_daily|train|model|/data/t98/model.pt|t98_daily|$r1|train|model"
expect_eq "the views cannot be written" \
    "$(sqlite3 "$db" "DELETE FROM runs" 2>&1 |
    grep -o 'cannot modify runs because it is a view')" \
    "cannot modify runs because it is a view"
expect_eq "a new database has them, empty" \
    "$(mkdir -p "$UPDRAFT_HOME/new/dags"
    cp "$UPDRAFT_HOME/dags/t98_daily.dag" "$UPDRAFT_HOME/new/dags/"
    UPDRAFT_HOME=$UPDRAFT_HOME/new updraft pause t98_daily >/dev/null 2>&1
    sqlite3 -readonly "$UPDRAFT_HOME/new/updraft.db" "SELECT count(*) FROM
    runs, task_instances, run_params, run_labels, run_metrics, run_outputs,
    lineage")" 0

done_testing
