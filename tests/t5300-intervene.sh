#!/bin/sh
# Hands on runs, on the local Slurm: clear, mark, cancel, pause
# --cancel-running; and verbs that write while the scheduler is busy.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5300_

cat > "$UPDRAFT_HOME/dags/t5300_abc.dag" <<DAG
schedule = "@daily";
start_date = "2026-02-01";
catchup = false;
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "a"; command = "true"; },
  { id = "b"; after = "a"; command = "test ! -e $UPDRAFT_HOME/fail-b"; },
  { id = "c"; after = "b"; command = "true"; }
);
DAG
cat > "$UPDRAFT_HOME/dags/t5300_slow.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = ({ id = "sleepy"; command = "sleep 300"; }, { id = "later"; after = "sleepy"; command = "true"; });
DAG

tries() {
	updraft tasks "$1" "$2" --json | /usr/bin/python3 -c '
import json, sys
print(" ".join("%s:%s:%s" % (t["task_id"], t["state"], t["try_number"])
    for t in json.load(sys.stdin)))'
}

run=2026-02-01T00:00:00Z
touch "$UPDRAFT_HOME/fail-b"
updraft backfill t5300_abc --from 2026-02-01 --to 2026-02-01 >/dev/null
run_until_done 60 t5300_abc || fail "first run finished"
expect_eq "b failed, c upstream_failed" "$(tries t5300_abc $run)" \
    "a:success:1 b:failed:1 c:upstream_failed:0"

rm -f "$UPDRAFT_HOME/fail-b"
out=$(updraft clear t5300_abc $run --failed-only)
expect_eq "clear --failed-only: b and c" "$out" "cleared 2 task instances in 1 run"
expect_eq "a cleared run is queued again" "$(updraft runs t5300_abc --json | json_field state)" queued
expect_eq "the run records who cleared it" \
    "$(updraft runs t5300_abc --json | /usr/bin/python3 -c '
import datetime, json, sys
r = json.load(sys.stdin)[0]
at = datetime.datetime.fromisoformat(r["cleared_at"]).timestamp()
print(r["cleared_by"], abs(at - float(sys.argv[1])) < 60)' "$(date +%s)")" \
    "$(id -un) True"
updraft unpause t5300_abc >/dev/null
run_until_done 60 t5300_abc || fail "cleared run finished"
expect_eq "cleared tasks ran again, tries going on" "$(tries t5300_abc $run)" \
    "a:success:1 b:success:2 c:success:1"

out=$(updraft clear t5300_abc $run b --downstream)
expect_eq "clear TASK --downstream" "$out" "cleared 2 task instances in 1 run"
run_until_done 60 t5300_abc || fail "cleared run finished again"
updraft pause t5300_abc >/dev/null
expect_eq "b and c ran again" "$(tries t5300_abc $run)" \
    "a:success:1 b:success:3 c:success:2"

out=$(updraft mark t5300_abc $run c failed)
expect_eq "mark" "$out" "t5300_abc backfill__2026-02-01T00:00:00+00:00 c: failed"
run_until_done 30 t5300_abc || fail "marked run settled"
expect_eq "a run with a task marked failed fails" \
    "$(updraft runs t5300_abc --json | json_field state | head -1)" failed
expect_eq "the reason says who" \
    "$(updraft tasks t5300_abc $run --json | json_field reason | tail -1)" \
    "marked failed by $(id -un)"
out=$(updraft mark t5300_abc $run c sideways 2>&1)
expect_eq "mark: a bad state" "$out" "updraft: bad state 'sideways': expected success, failed or skipped"

# Cancel a run whose job is running: the job goes, the run fails.
updraft unpause t5300_slow >/dev/null
run=$(updraft trigger t5300_slow)
start_scheduler
# Sets job, the first task's Slurm job, and says whether it runs.
job_running() {
	job=$(updraft tasks t5300_slow "$run" --json | json_field job_id | head -1)
	[ "$job" != null ] && [ "$(squeue -h -j "$job" -o %T 2>/dev/null)" = RUNNING ]
}
wait_for 30 "the first task's job to run" job_running
out=$(updraft cancel t5300_slow "$run")
expect_eq "cancel a running run" "$out" \
    "run '$run' cancelled: 2 task instances stopped, 1 Slurm job cancelled"
expect_eq "its tasks: failed and skipped, saying who" \
    "$(updraft tasks t5300_slow "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["reason"])')" \
    "sleepy failed cancelled by $(id -un)
later skipped cancelled by $(id -un)"
sleep 2
state=$(squeue -h -j "$job" -o %T 2>/dev/null)
case "$state" in
""|CANCELLED|COMPLETING) pass "its job is cancelled in Slurm" ;;
*) fail "its job is cancelled in Slurm: job $job is $state" ;;
esac
out=$(updraft cancel t5300_slow "$run" 2>&1)
expect_eq "cancel twice" "$out" "updraft: run '$run' is failed already"

# pause --cancel-running.
sleep 1
run=$(updraft trigger t5300_slow)
last_run_running() {
	[ "$(updraft runs t5300_slow --json | json_field state | tail -1)" = running ]
}
wait_for 30 "the triggered run to run" last_run_running
out=$(updraft pause t5300_slow --cancel-running)
expect_eq "pause --cancel-running" "$out" "dag 't5300_slow' paused
1 running run cancelled"
expect_eq "the run failed" "$(updraft runs t5300_slow --json | json_field state | tail -1)" failed

# Verbs that write while the scheduler is busy never fail.
updraft backfill t5300_abc --from 2026-03-01 --to 2026-03-20 --max-active 10 >/dev/null
bad=0
for i in $(seq 10); do
	updraft pause t5300_abc >/dev/null 2>&1 || bad=$((bad + 1))
	updraft unpause t5300_abc >/dev/null 2>&1 || bad=$((bad + 1))
	updraft trigger t5300_slow >/dev/null 2>&1 || bad=$((bad + 1))
	updraft clear t5300_abc 2026-02-01T00:00:00Z c >/dev/null 2>&1 || bad=$((bad + 1))
	sleep 0.$i
done &
writer=$!
for i in $(seq 10); do
	updraft runs t5300_abc >/dev/null 2>&1 || bad=$((bad + 1))
	updraft trigger t5300_slow >/dev/null 2>&1 || bad=$((bad + 1))
	sleep 0.1
done
wait $writer
expect_eq "pause, unpause, trigger and clear while the scheduler works" "$bad" 0
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
updraft pause t5300_slow --cancel-running >/dev/null

done_testing
