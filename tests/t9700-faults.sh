#!/bin/sh
# Faults on the shared cluster, each with its exact state and reason: a job
# requeued by an administrator stays the same try and the same job (no
# second submission), and a job cancelled outside Updraft fails at once,
# its retries unused.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t9700_

cat > "$UPDRAFT_HOME/dags/t9700_faults.dag" <<'DAG'
schedule = "none";
defaults = { time = "5"; mem = "10M"; retries = 2; retry_delay = "1m"; };
tasks = (
  { id = "requeued"; command = "sleep 4"; },
  { id = "cancelled"; command = "sleep 120"; }
);
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t9700_faults >/dev/null
run=$(updraft trigger t9700_faults)
start_scheduler

# task FIELD TASK: one field of one task instance of the run.
task() {
	updraft tasks t9700_faults "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["task_id"] == sys.argv[2]:
        print(t[sys.argv[1]])' "$1" "$2"
}
# line TASK: "state try job reason" of one task instance.
line() {
	updraft tasks t9700_faults "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["task_id"] == sys.argv[1]:
        print(t["state"], t["try_number"], t["job_id"], t["reason"])' "$1"
}
both_running() {
	[ "$(task state requeued)" = running ] &&
	    [ "$(task state cancelled)" = running ]
}
wait_for 60 "both tasks to run" both_running
rq=$(task job_id requeued)
cj=$(task job_id cancelled)
rq_name=$(squeue -h -j "$rq" -o %j)

# An administrator requeues a running job: same try, same job.
scontrol requeue "$rq" || fail "scontrol requeue $rq"
requeued_at=$(date +%s)
requeued_seen() {
	[ "$(line requeued)" = "queued 1 $rq requeued by Slurm (job $rq, restart 1)" ]
}
wait_for 30 "the requeue in tasks" requeued_seen
expect_eq "requeued: queued, same try and job, the reason says so" \
    "$(line requeued)" "queued 1 $rq requeued by Slurm (job $rq, restart 1)"
# Slurm holds a requeued job back for about two minutes, so that its new
# launch credential is newer than the revoked one: let it go sooner, once
# the old run is cleaned up and the clock has moved on.
may_release() {
	scontrol show job "$rq" | grep -q 'JobState=PENDING' &&
	    ! scontrol show job "$rq" | grep -q 'COMPLETING' &&
	    [ "$(date +%s)" -ge $((requeued_at + 3)) ]
}
wait_for 60 "the requeued job to be cleaned up" may_release
scontrol update JobId="$rq" StartTime=now >/dev/null ||
    fail "release requeued job $rq"

# Someone cancels the other job by hand.
scancel "$cj"
cancelled_seen() {
	[ "$(task state cancelled)" = failed ]
}
wait_for 30 "the cancelled task to fail" cancelled_seen
expect_eq "cancelled outside Updraft: failed at once, retries unused" \
    "$(line cancelled)" "failed 1 $cj cancelled outside Updraft"

requeued_done() {
	[ "$(task state requeued)" = success ]
}
wait_for 60 "the requeued task to succeed" requeued_done
expect_eq "the requeued task succeeded as try 1, its note kept" \
    "$(line requeued)" "success 1 $rq requeued by Slurm (job $rq, restart 1)"
expect_eq "one job for the requeued task, never a second submission" \
    "$(squeue -h -t all -n "$rq_name" -o '%i %T')" "$rq COMPLETED"

expect_eq "nothing more submitted (the cancelled task is not retried)" \
    "$(grep -c 'submitted try' "$UPDRAFT_HOME/scheduler.log")" 2
expect_eq "the run failed" "$(updraft runs t9700_faults --json | json_field state)" failed

# Several nodes on one machine need a Slurm built for it; Debian's is not.
expect_eq "slurm-local up --nodes on Debian's Slurm: a clear error" \
    "$("$TEST_SRCDIR/../scripts/slurm-local" up --nodes 3 "$UPDRAFT_HOME/nodes" 2>&1; echo "exit $?")" \
    "slurm-local: --nodes needs a Slurm built with --enable-multiple-slurmd; Debian's is not: use --slurm-version 24.11 or 26.05
exit 1"
expect_eq "nothing started" "$(test -e "$UPDRAFT_HOME/nodes" && echo there)" ""

done_testing
