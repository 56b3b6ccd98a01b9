#!/bin/sh
# slurmctld away for 60 s in the middle of a run: no task fails for it, the
# scheduler says so once, and the run completes once the controller is back.
. "$(dirname "$0")/lib.sh"
need_slurm_alone
TEST_JOB_PREFIX=t5400_
: "${OUTAGE_SECONDS:=60}"

cat > "$UPDRAFT_HOME/dags/t5400_outage.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "long"; command = "sleep 8"; },
  { id = "next"; after = "long"; command = "true"; },
  { id = "last"; after = "next"; command = "true"; }
);
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t5400_outage >/dev/null
run=$(updraft trigger t5400_outage)
start_scheduler
first_task_running() {
	[ "$(updraft tasks t5400_outage "$run" --json | json_field state | head -1)" = running ]
}
wait_for 30 "the first task to run" first_task_running
expect_eq "the first task runs" "$(updraft tasks t5400_outage "$run" --json | json_field state | head -1)" running

restart() {
	slurm_local ctld-start >/dev/null
}
trap 'restart; cleanup' EXIT
slurm_local ctld-stop >/dev/null
sleep "$OUTAGE_SECONDS"
expect_eq "during the outage nothing failed" \
    "$(updraft tasks t5400_outage "$run" --json | json_field state | tr '\n' ' ')" \
    "success none none "
restart
trap cleanup EXIT
run_succeeded() {
	[ "$(updraft runs t5400_outage --json | json_field state)" = success ]
}
wait_for 60 "the run to succeed" run_succeeded
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
expect_eq "the run completes after the controller returns" \
    "$(updraft runs t5400_outage --json | json_field state)" success
expect_eq "each task ran once" \
    "$(updraft tasks t5400_outage "$run" --json | json_field try_number | tr '\n' ' ')" "1 1 1 "
expect_eq "the outage is logged once" \
    "$(grep -c 'keeping every state' "$UPDRAFT_HOME/scheduler.log")" 1
expect_eq "and its end" "$(grep -c 'Slurm answers again' "$UPDRAFT_HOME/scheduler.log")" 1

done_testing
