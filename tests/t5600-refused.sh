#!/bin/sh
# Jobs Slurm refuses: a clear reason on the task, no crash, no endless
# resubmission; and our cap on jobs in Slurm's queue holds.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5600_

cat > "$UPDRAFT_HOME/dags/t5600_refused.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "too_big"; mem = "100T"; command = "true"; },
  { id = "fine"; command = "true"; }
);
DAG
cat > "$UPDRAFT_HOME/dags/t5600_capped.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "t1"; command = "sleep 2"; }, { id = "t2"; command = "sleep 2"; },
  { id = "t3"; command = "sleep 2"; }, { id = "t4"; command = "sleep 2"; },
  { id = "t5"; command = "sleep 2"; }, { id = "t6"; command = "sleep 2"; }
);
DAG

updraft unpause t5600_refused >/dev/null
run=$(updraft trigger t5600_refused)
run_until_done 60 t5600_refused || fail "the run finished in time"
# A few more passes: nothing is submitted again.
for i in 1 2 3; do updraft scheduler --once 2>/dev/null; done
expect_eq "refused jobs fail with Slurm's reason, once" \
    "$(updraft tasks t5600_refused "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["try_number"], t["job_id"], t["reason"])')" \
"too_big failed 1 None Slurm: Requested node configuration is not available
fine success 1 $(updraft tasks t5600_refused "$run" --json | json_field job_id | tail -1) None"
expect_eq "the run failed" "$(updraft runs t5600_refused --json | json_field state)" failed

# max_queued_jobs = 2: never more than two of our jobs pending or running in
# Slurm at once (one completing, its payload over, no longer counts).
printf 'poll_interval = 1;\nmax_queued_jobs = 2;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t5600_capped >/dev/null
run=$(updraft trigger t5600_capped)
start_scheduler
most=0
for _ in $(seq 40); do
	# Our jobs only: the same test may run beside us in another tree.
	ids=$(updraft tasks t5600_capped "$run" --json | json_field job_id |
	    grep -E '^[0-9]+$' | paste -sd, -)
	n=0
	[ -n "$ids" ] && n=$(squeue -h -t PENDING,RUNNING -j "$ids" -o %i 2>/dev/null | wc -l)
	[ "$n" -gt "$most" ] && most=$n
	[ "$(updraft runs t5600_capped --json | json_field state)" = success ] && break
	sleep 0.5
done
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
expect_eq "all six ran" "$(updraft runs t5600_capped --json | json_field state)" success
expect_eq "at most max_queued_jobs in the queue at once" "$most" 2

# Against the live cluster, a partition Slurm lacks and GPUs where there
# are none are load errors, not jobs refused when they are due.
cat > "$UPDRAFT_HOME/dags/t5600_cluster.dag" <<DAG
schedule = "none";
tasks = (
  { id = "typo"; partition = "gpuu"; command = "true"; },
  { id = "fine"; partition = "gpu"; gpus = 1; command = "true"; }
);
DAG
out=$(updraft check "$UPDRAFT_HOME/dags/t5600_cluster.dag" 2>&1)
expect_eq "check: a partition Slurm does not have" "$out" \
    "$UPDRAFT_HOME/dags/t5600_cluster.dag:3: task 'typo': partition 'gpuu' does not exist in Slurm (it has: cpu, gpu)"
updraft scheduler --once 2>/dev/null
expect_eq "the scheduler refuses the DAG and says why" \
    "$(updraft list --json | /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["dag_id"] == "t5600_cluster":
        print(d["state"], d["load_error"].split(": ", 1)[1])')" \
    "broken task 'typo': partition 'gpuu' does not exist in Slurm (it has: cpu, gpu)"

done_testing
