#!/bin/sh
# Trigger rules and retry backoff on the local Slurm, with Airflow's
# meanings: which tasks run, which are skipped, which fail upstream.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5050_

trace=$UPDRAFT_HOME/trace
cat > "$UPDRAFT_HOME/dags/t5050_rules.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "bad"; command = "exit 4"; },
  { id = "good"; command = "true"; },
  { id = "all_done"; after = ["bad", "good"]; trigger_rule = "all_done"; command = "true"; },
  { id = "one_failed"; after = ["bad", "good"]; trigger_rule = "one_failed"; command = "true"; },
  { id = "one_success"; after = ["bad", "good"]; trigger_rule = "one_success"; command = "true"; },
  { id = "all_success"; after = ["bad", "good"]; command = "true"; },
  { id = "none_failed"; after = ["bad", "good"]; trigger_rule = "none_failed"; command = "true"; },
  { id = "all_failed"; after = ["good"]; trigger_rule = "all_failed"; command = "true"; },
  { id = "after_skip"; after = ["all_failed"]; command = "true"; },
  { id = "through_skip"; after = ["all_failed", "good"]; trigger_rule = "none_failed"; command = "true"; },
  { id = "none_skipped"; after = ["all_failed"]; trigger_rule = "none_skipped"; command = "true"; },
  { id = "always"; after = ["bad"]; trigger_rule = "always"; command = "true"; },
  { id = "backoff"; retries = 2; retry_delay = "2s"; retry_exponential_backoff = true;
    command = "date +%s >> $trace; exit 1"; }
);
DAG

updraft unpause t5050_rules >/dev/null
run=$(updraft trigger t5050_rules)
run_until_done 120 t5050_rules || fail "the run finished in time"
expect_eq "each task under its rule" "$(updraft tasks t5050_rules "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["reason"] or "-")')" \
"bad failed exit code 4
good success -
all_done success -
one_failed success -
one_success success -
all_success upstream_failed upstream 'bad' failed
none_failed upstream_failed upstream 'bad' failed
all_failed skipped trigger rule all_failed not met (upstream 'good')
after_skip skipped upstream 'all_failed' skipped
through_skip success -
none_skipped skipped trigger rule none_skipped not met (upstream 'all_failed')
always success -
backoff failed exit code 1"
expect_eq "the run failed" "$(updraft runs t5050_rules --json | json_field state)" failed
expect_eq "three tries, the delay doubling (>= 2 s, then >= 4 s)" \
    "$(awk 'NR > 1 { d = $1 - prev; printf "%s ", (NR == 2 ? d >= 2 : d >= 4) } { prev = $1 }' "$trace")" \
    "1 1 "

out=$(printf 'tasks = ({ id = "a"; command = "true"; trigger_rule = "sometimes"; });\n' > "$UPDRAFT_HOME/x.dag"; updraft check "$UPDRAFT_HOME/x.dag" 2>&1)
expect_eq "a bad trigger rule" "$out" \
    "$UPDRAFT_HOME/x.dag:1: task 'a': bad trigger_rule 'sometimes': expected all_success, all_failed, all_done, one_success, one_failed, none_failed, none_skipped or always"

done_testing
