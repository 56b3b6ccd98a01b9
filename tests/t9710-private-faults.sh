#!/bin/sh
# Faults that need a cluster of our own: a partition down and a node
# drained (tasks wait, Slurm's pending reason in `tasks`, then run), and
# preemption with requeue (PreemptType=preempt/partition_prio, a partition
# of a higher tier): the task stays the same try and job.
. "$(dirname "$0")/lib.sh"
need_slurm
slow_test
TEST_JOB_PREFIX=t9710_

SLURM_LOCAL_EXTRA='PreemptType=preempt/partition_prio
PreemptMode=REQUEUE
PartitionName=urgent Nodes=localhost MaxTime=INFINITE PriorityTier=2 State=UP'
export SLURM_LOCAL_EXTRA
private_slurm_up "6960 6970"

cat > "$UPDRAFT_HOME/dags/t9710_wait.dag" <<'DAG'
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = ({ id = "t"; command = "true"; });
DAG
cat > "$UPDRAFT_HOME/dags/t9710_preempt.dag" <<'DAG'
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = ({ id = "low"; command = "sleep 6"; cpus_per_task = 32; });
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t9710_wait >/dev/null
updraft unpause t9710_preempt >/dev/null
start_scheduler

# line DAG RUN: "state try job reason" of the run's one task instance.
line() {
	updraft tasks "$1" "$2" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["state"], t["try_number"], t["job_id"], t["reason"])'
}
# reason_is DAG RUN STATE REASON: the task instance is in STATE for REASON.
reason_is() {
	[ "$(line "$1" "$2" | cut -d' ' -f1)" = "$3" ] &&
	    [ "$(line "$1" "$2" | cut -d' ' -f4-)" = "$4" ]
}

# A partition down: the task waits, Slurm's reason in sight, then runs.
scontrol update PartitionName=cpu State=DOWN || fail "set partition cpu down"
run=$(updraft trigger t9710_wait)
wait_for 30 "PartitionDown in tasks" \
    reason_is t9710_wait "$run" queued "waiting in Slurm: PartitionDown"
job=$(line t9710_wait "$run" | cut -d' ' -f3)
expect_eq "partition down: queued, Slurm's reason" \
    "$(line t9710_wait "$run")" "queued 1 $job waiting in Slurm: PartitionDown"
scontrol update PartitionName=cpu State=UP || fail "set partition cpu up"
wait_for 30 "the task to succeed" reason_is t9710_wait "$run" success None
expect_eq "partition up again: it ran, the reason gone" \
    "$(line t9710_wait "$run")" "success 1 $job None"

# Its only node drained: the same, with Slurm's details.
scontrol update NodeName=localhost State=DRAIN Reason="t9710 disk swap" ||
    fail "drain localhost"
run=$(updraft trigger t9710_wait)
drained="waiting in Slurm: Nodes required for job are DOWN, DRAINED or reserved for jobs in higher priority partitions"
wait_for 30 "the drain in tasks" reason_is t9710_wait "$run" queued "$drained"
job=$(line t9710_wait "$run" | cut -d' ' -f3)
expect_eq "node drained: queued, Slurm's reason" \
    "$(line t9710_wait "$run")" "queued 1 $job $drained"
scontrol update NodeName=localhost State=RESUME || fail "resume localhost"
wait_for 30 "the task to succeed" reason_is t9710_wait "$run" success None
expect_eq "node resumed: it ran, the reason gone" \
    "$(line t9710_wait "$run")" "success 1 $job None"

# Preemption with requeue: a job of the higher tier takes the whole node.
run=$(updraft trigger t9710_preempt)
running() {
	[ "$(line t9710_preempt "$run" | cut -d' ' -f1)" = running ]
}
wait_for 30 "the low task to run" running
job=$(line t9710_preempt "$run" | cut -d' ' -f3)
name=$(squeue -h -j "$job" -o %j)
urgent=$(sbatch --parsable -p urgent -c 32 --mem=10M -o /dev/null \
    -J t9710_urgent --wrap 'sleep 2') || fail "submit the urgent job"
preempted_at=$(date +%s)
requeued() {
	case $(line t9710_preempt "$run") in
	"queued 1 $job "*"requeued by Slurm (job $job, restart 1)") return 0 ;;
	esac
	return 1
}
wait_for 30 "the preemption in tasks" requeued
expect_eq "preempted: requeued, same try and job" \
    "$(line t9710_preempt "$run")" \
    "queued 1 $job preempted, requeued by Slurm (job $job, restart 1)"
# As in t9700: let the requeued job go before Slurm's two minutes.
may_release() {
	[ -z "$(squeue -h -j "$urgent" -o %i 2>/dev/null)" ] &&
	    scontrol show job "$job" | grep -q 'JobState=PENDING' &&
	    ! scontrol show job "$job" | grep -q 'COMPLETING' &&
	    [ "$(date +%s)" -ge $((preempted_at + 3)) ]
}
wait_for 60 "the urgent job to end" may_release
scontrol update JobId="$job" StartTime=now >/dev/null ||
    fail "release the requeued job"
wait_for 60 "the low task to succeed" reason_is t9710_preempt "$run" \
    success "preempted, requeued by Slurm (job $job, restart 1)"
expect_eq "preempted task succeeded as try 1, the preemption in sight" \
    "$(line t9710_preempt "$run")" \
    "success 1 $job preempted, requeued by Slurm (job $job, restart 1)"
expect_eq "one job, never submitted twice" \
    "$(squeue -h -t all -n "$name" -o '%i %T')" "$job COMPLETED"

done_testing
