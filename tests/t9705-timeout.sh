#!/bin/sh
# A job past its time limit: Slurm ends it TIMEOUT, the task fails with
# the limit in its reason (a minute's limit: a slow test).
. "$(dirname "$0")/lib.sh"
need_slurm
slow_test
TEST_JOB_PREFIX=t9705_

cat > "$UPDRAFT_HOME/dags/t9705_timeout.dag" <<'DAG'
schedule = "none";
defaults = { mem = "10M"; };
tasks = ({ id = "slow"; command = "sleep 600"; time = "1"; });
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t9705_timeout >/dev/null
run=$(updraft trigger t9705_timeout)
start_scheduler
line() {
	updraft tasks t9705_timeout "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["state"], t["try_number"], t["reason"])'
}
ended() {
	[ "$(line | cut -d' ' -f1)" = failed ]
}
wait_for 180 "the time limit" ended
expect_eq "TIMEOUT: failed, the limit in the reason" "$(line)" \
    "failed 1 TIMEOUT after 00:01:00"
job=$(updraft tasks t9705_timeout "$run" --json | json_field job_id)
expect_eq "Slurm's word" "$(squeue -h -t all -j "$job" -o %T)" TIMEOUT

done_testing
