#!/bin/sh
# A job cancelled outside Updraft (scancel): Slurm's job info does not say
# who asked, so the task fails at once as "cancelled outside Updraft"; on a
# cluster with accounting, the reason names the user once slurmdbd has the
# job's end.
. "$(dirname "$0")/lib.sh"
need_accounting
TEST_JOB_PREFIX=t9640_

cat > "$UPDRAFT_HOME/dags/t9640_cancel.dag" <<'DAG'
schedule = "none";
defaults = { time = "5"; mem = "10M"; retries = 2; };
tasks = ({ id = "long"; command = "sleep 120"; });
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t9640_cancel >/dev/null
run=$(updraft trigger t9640_cancel)
start_scheduler
ti() {
	updraft tasks t9640_cancel "$run" --json | /usr/bin/python3 -c '
import json, sys
t = json.load(sys.stdin)[0]
print(t["state"], t["try_number"], t["reason"])'
}
running() { [ "$(ti)" = "running 1 None" ]; }
wait_for 60 "the job to run" running
job=$(updraft tasks t9640_cancel "$run" --json | json_field job_id)
scancel "$job"
named() { [ "$(ti)" = "failed 1 cancelled by $(id -un)" ]; }
wait_for 60 "accounting to name who cancelled" named
expect_eq "failed, not retried, the canceller named" "$(ti)" \
    "failed 1 cancelled by $(id -un)"
expect_eq "the scheduler said it first without a name" \
    "$(grep -c 'long: failed: cancelled outside Updraft' "$UPDRAFT_HOME/scheduler.log")" 1

done_testing
