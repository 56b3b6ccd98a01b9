#!/bin/sh
# Jobs Slurm forgets while the scheduler is down (MinJobAge at 2 s), and
# whose markers are gone: on a cluster with accounting, each final state
# is read from slurmdbd (t5500 has the same without accounting: lost).
. "$(dirname "$0")/lib.sh"
need_accounting
need_slurm_alone
TEST_JOB_PREFIX=t9610_

conf=$SLURM_CONF
restore() {
	sed -i 's/^MinJobAge=.*/MinJobAge=300/' "$conf"
	scontrol reconfigure >/dev/null 2>&1
}
trap 'restore; cleanup' EXIT
sed -i 's/^MinJobAge=.*/MinJobAge=2/' "$conf"
scontrol reconfigure >/dev/null

cat > "$UPDRAFT_HOME/dags/t9610_purge.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "ok"; command = "sleep 3"; },
  { id = "fails"; command = "sleep 3; exit 3"; },
  { id = "killed"; command = "sleep 60"; }
);
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t9610_purge >/dev/null
run=$(updraft trigger t9610_purge)
start_scheduler
all_running() {
	[ "$(updraft tasks t9610_purge "$run" --json | json_field state | sort -u)" = running ]
}
wait_for 30 "three jobs to run" all_running
kill -9 "$scheduler_pid"; wait "$scheduler_pid" 2>/dev/null; scheduler_pid=

killed=$(updraft tasks t9610_purge "$run" --json | /usr/bin/python3 -c '
import json, sys
print([t["job_id"] for t in json.load(sys.stdin) if t["task_id"] == "killed"][0])')
scancel "$killed"
jobs=$(updraft tasks t9610_purge "$run" --json | json_field job_id | grep -v null | tr '\n' ',')
slurm_forgot() {
	[ -z "$(squeue -h -t all -j "${jobs%,}" -o %i 2>/dev/null)" ]
}
wait_for 150 "Slurm to forget the jobs" slurm_forgot
# No marker: only accounting knows how the jobs ended.
markers() {
	ls "$UPDRAFT_HOME"/markers | grep -Ec '^t9610_purge__(ok|fails)__.*\.exit$'
}
expect_eq "the two jobs that ended wrote their markers" "$(markers)" 2
rm -f "$UPDRAFT_HOME"/markers/t9610_purge__*
expect_eq "the markers are gone" "$(markers)" 0

start_scheduler
run_ended() {
	case "$(updraft runs t9610_purge --json | json_field state)" in
	success|failed) return 0 ;;
	esac
	return 1
}
wait_for 30 "the run to end" run_ended
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
expect_eq "every final state from accounting" "$(updraft tasks t9610_purge "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["try_number"], t["exit_code"], t["reason"])')" \
"ok success 1 0 None
fails failed 1 3 exit code 3
killed failed 1 0 cancelled by root"
expect_eq "the scheduler says where from" \
    "$(grep -c 'ended .*, from accounting' "$UPDRAFT_HOME/scheduler.log")" 3

done_testing
