#!/bin/sh
# From DAG files to Slurm jobs and back, on the local Slurm: catch-up,
# GPUs on the gpu partition, retries and upstream failures.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5000_

today=$(date -u +%Y-%m-%d)
day() { date -u -d "$today $1 days" +%Y-%m-%d; }

cat > "$UPDRAFT_HOME/dags/t5000_daily.dag" <<DAG
schedule = "@daily";
start_date = "$(day -3)";
defaults = { time = "00:05:00"; mem = "100M"; };
tasks = (
  { id = "prep"; command = "echo prep \$UPDRAFT_DS"; },
  { id = "train"; after = ["prep"]; gpus = 1;
    command = "test -n \"\$CUDA_VISIBLE_DEVICES\"; echo CUDA_VISIBLE_DEVICES=\$CUDA_VISIBLE_DEVICES"; },
  { id = "eval"; after = ["train"]; command = "echo key=\$UPDRAFT_TASK_KEY try=\$UPDRAFT_TRY_NUMBER"; }
);
DAG

cat > "$UPDRAFT_HOME/dags/t5000_fails.dag" <<DAG
schedule = "@daily";
start_date = "$(day -1)";
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "broken"; command = "echo trying; exit 3"; retries = 1; retry_delay = "1s"; },
  { id = "after_broken"; after = "broken"; command = "echo never"; },
  { id = "independent"; command = "true"; }
);
DAG

out=$(updraft list --json | /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin):
    print(d["dag_id"], d["state"], d["path"])')
expect_eq "new DAGs are paused" "$out" "t5000_daily paused $UPDRAFT_HOME/dags/t5000_daily.dag
t5000_fails paused $UPDRAFT_HOME/dags/t5000_fails.dag"

updraft scheduler --once 2>/dev/null
expect_eq "a paused DAG gets no runs" "$(updraft runs t5000_daily --json)" "[]"

expect_eq "unpause" "$(updraft unpause t5000_daily)" "dag 't5000_daily' unpaused"
updraft unpause t5000_fails >/dev/null
run_until_done 240 t5000_daily t5000_fails || fail "runs finished in time"

json=$(updraft runs t5000_daily --json)
expect_eq "catch-up: one run per past interval, oldest first" \
    "$(printf '%s' "$json" | json_field logical_date)" \
    "$(day -3)T00:00:00+00:00
$(day -2)T00:00:00+00:00
$(day -1)T00:00:00+00:00"
expect_eq "run ids" "$(printf '%s' "$json" | json_field run_id)" \
    "scheduled__$(day -3)T00:00:00+00:00
scheduled__$(day -2)T00:00:00+00:00
scheduled__$(day -1)T00:00:00+00:00"
expect_eq "data interval ends" "$(printf '%s' "$json" | json_field data_interval_end)" \
    "$(day -2)T00:00:00+00:00
$(day -1)T00:00:00+00:00
${today}T00:00:00+00:00"
expect_eq "all runs succeed" "$(printf '%s' "$json" | json_field state | sort -u)" "success"

run=scheduled__$(day -1)T00:00:00+00:00
tjson=$(updraft tasks t5000_daily "$run" --json)
expect_eq "task states" "$(printf '%s' "$tjson" | json_field state | tr '\n' ' ')" \
    "success success success "
expect_eq "partitions: GPU task on gpu" \
    "$(printf '%s' "$tjson" | json_field partition | tr '\n' ' ')" "cpu gpu cpu "
expect_eq "exit codes" "$(printf '%s' "$tjson" | json_field exit_code | tr '\n' ' ')" "0 0 0 "

log=$(updraft logs t5000_daily "$run" train)
case "$log" in
*CUDA_VISIBLE_DEVICES=?*) pass "the GPU task saw CUDA_VISIBLE_DEVICES" ;;
*) fail "the GPU task saw CUDA_VISIBLE_DEVICES: $log" ;;
esac
log=$(updraft logs t5000_daily "$(day -1)" eval)
expect_eq "a logical date names a run; task key and try reach the job" \
    "$(printf '%s\n' "$log" | grep '^key=')" \
    "key=t5000_daily__eval__$(day -1 | tr -d -) try=1"
log=$(updraft logs t5000_daily "$run" prep)
expect_eq "UPDRAFT_DS reaches the job" "$(printf '%s\n' "$log" | grep '^prep')" "prep $(day -1)"

fjson=$(updraft runs t5000_fails --json)
expect_eq "one run for the failing DAG" "$(printf '%s' "$fjson" | json_field logical_date)" \
    "$(day -1)T00:00:00+00:00"
expect_eq "a run with a failed task fails" "$(printf '%s' "$fjson" | json_field state)" "failed"
tjson=$(updraft tasks t5000_fails "$(day -1)" --json)
expect_eq "failed task: retried, failed for good, upstream_failed downstream" \
    "$(printf '%s' "$tjson" | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["try_number"], t["exit_code"], t["reason"])')" \
    "broken failed 2 3 exit code 3
after_broken upstream_failed 0 None upstream 'broken' failed
independent success 1 0 None"
log=$(updraft logs t5000_fails "$(day -1)" broken --try 1)
expect_eq "the first try's log is kept" "$(printf '%s\n' "$log" | grep -c '^trying')" 1

done_testing
