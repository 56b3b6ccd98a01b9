#!/bin/sh
# Jobs that Slurm forgets while the scheduler is down (MinJobAge at 2 s):
# on restart every final state is recovered exactly, from the jobs' own
# markers; a job with neither record nor marker is failed as lost, never
# taken for a success.
. "$(dirname "$0")/lib.sh"
need_slurm_alone
TEST_JOB_PREFIX=t5500_

conf=$SLURM_CONF
restore() {
	sed -i 's/^MinJobAge=.*/MinJobAge=300/' "$conf"
	scontrol reconfigure >/dev/null 2>&1
}
trap 'restore; cleanup' EXIT
sed -i 's/^MinJobAge=.*/MinJobAge=2/' "$conf"
scontrol reconfigure >/dev/null

cat > "$UPDRAFT_HOME/dags/t5500_purge.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "ok1"; command = "sleep 3"; },
  { id = "ok2"; command = "sleep 3; echo fine"; },
  { id = "fails"; command = "sleep 3; exit 3"; },
  { id = "killed"; command = "sleep 60"; },
  { id = "after_ok"; after = ["ok1", "ok2"]; command = "true"; }
);
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t5500_purge >/dev/null
run=$(updraft trigger t5500_purge)
start_scheduler
four_running() {
	[ "$(updraft tasks t5500_purge "$run" --json | json_field state | head -4 | sort -u)" = running ]
}
wait_for 30 "four jobs to run" four_running
expect_eq "four jobs running" \
    "$(updraft tasks t5500_purge "$run" --json | json_field state | head -4 | sort -u)" running
kill -9 "$scheduler_pid"; wait "$scheduler_pid" 2>/dev/null; scheduler_pid=

# While it is down: one job is cancelled (no marker), the others end, and
# Slurm purges them all.
killed=$(updraft tasks t5500_purge "$run" --json | /usr/bin/python3 -c '
import json, sys
print([t["job_id"] for t in json.load(sys.stdin) if t["task_id"] == "killed"][0])')
scancel "$killed"
jobs=$(updraft tasks t5500_purge "$run" --json | json_field job_id | grep -v null | tr '\n' ',')
slurm_forgot() {
	[ -z "$(squeue -h -t all -j "${jobs%,}" -o %i 2>/dev/null)" ]
}
wait_for 150 "Slurm to forget the jobs" slurm_forgot
expect_eq "Slurm has forgotten every job" "$(squeue -h -t all -j "${jobs%,}" -o %i 2>/dev/null)" ""
# A cancelled wrapper may or may not live to write its marker (143), as
# Slurm's signals reach its processes in any order: take it away, so that
# the cancelled job has neither record nor marker.
rm -f "$UPDRAFT_HOME"/markers/t5500_purge__killed__*

start_scheduler
run_ended() {
	case "$(updraft runs t5500_purge --json | json_field state)" in
	success|failed) return 0 ;;
	esac
	return 1
}
wait_for 30 "the run to end" run_ended
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
expect_eq "every final state recovered" "$(updraft tasks t5500_purge "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["try_number"], t["exit_code"], t["reason"])')" \
"ok1 success 1 0 None
ok2 success 1 0 None
fails failed 1 3 exit code 3
killed failed 1 None lost: no record in Slurm or on disk
after_ok success 1 0 None"
expect_eq "the run failed" "$(updraft runs t5500_purge --json | json_field state)" failed

done_testing
