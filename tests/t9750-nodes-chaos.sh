#!/bin/sh
# Chaos on three nodes (scripts/slurm-local up --nodes 3, a source-built
# Slurm): a backfill of 30 runs while node n2 is set down under running
# jobs (NODE_FAIL at once, JobRequeue=0) and its slurmd killed and
# restarted, and node n3 drained under running jobs and resumed. Every task
# instance ends success as try 1, with exactly one successful job; each
# job that died with n2 is named in its task's reason; nothing is lost or
# run twice.
. "$(dirname "$0")/lib.sh"
need_slurm
slow_test
TEST_JOB_PREFIX=t9750_

# Several slurmd on one machine need a Slurm built for it: the source-built
# releases are (scripts/test runs this in its 26.05 stage), Debian's is not.
if [ ! -f "$(slurm_dir)/etc/slurm-release" ]; then
	echo "1..0 # SKIP needs a source-built Slurm (scripts/test's 26.05 stage)"
	exit 0
fi
SLURM_LOCAL_EXTRA='JobRequeue=0'
export SLURM_LOCAL_EXTRA
private_slurm_up "6980 6990" --nodes 3

# Two jobs of 16 CPUs fit a node: six run at a time, on every node.
cat > "$UPDRAFT_HOME/dags/t9750_chaos.dag" <<'DAG'
schedule = "@daily";
start_date = "2026-01-01T00:00:00Z";
defaults = { time = "5"; mem = "10M"; };
tasks = ({ id = "work"; command = "sleep 4"; cpus_per_task = 16; });
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
# (The backfill first: two processes creating the database at once race.)
updraft backfill t9750_chaos --from 2026-01-01 --to 2026-01-30 \
    --max-active 6 >/dev/null || fail "start the backfill"
start_scheduler

# running_on NODE: the ids of the jobs running there, one a line.
running_on() {
	squeue -h -t R -w "$1" -o %A 2>/dev/null | sort -n
}
# busy NODE: a job started there within the last second (2 s or more of
# its 4 s left), so that what is done to the node finds it running.
busy() {
	squeue -h -t R -w "$1" -o %M 2>/dev/null | grep -qx '0:0[01]'
}
db() {
	sqlite3 "$UPDRAFT_HOME/updraft.db" "$1"
}

# n2 is set down under running jobs, which fail at once (NODE_FAIL), and
# its slurmd dies; Updraft submits each of those tries again.
wait_for 60 "a job running on n2" busy n2
scontrol update NodeName=n2 State=DOWN Reason="t9750 chaos" ||
    fail "set n2 down"
n2_jobs=$(squeue -h -t all -w n2 -o '%A %T' | awk '$2 == "NODE_FAIL" { print $1 }' | sort -n)
echo "# jobs that died with n2: $(echo $n2_jobs)"
private_slurm node-kill n2 || fail "kill slurmd of n2"
[ -n "$n2_jobs" ] || fail "no job failed with n2"
resubmitted() {
	for j in $n2_jobs; do
		[ "$(db "SELECT count(*) FROM task_instance WHERE reason = 'NODE_FAIL on node n2 (job $j): submitted again as the same try'")" = 1 ] || return 1
	done
}
wait_for 30 "the tries on n2 to be submitted again" resubmitted
private_slurm node-start n2 || fail "start slurmd of n2"
# ReturnToService=2 may have brought it back on its own as slurmd
# registered: then there is nothing to resume.
scontrol update NodeName=n2 State=RESUME 2>/dev/null ||
    [ "$(sinfo -h -n n2 -o %T)" != down ] || fail "resume n2"
n2_back() {
	case $(sinfo -h -n n2 -o %T) in
	idle|mixed|allocated) return 0 ;;
	esac
	return 1
}
wait_for 30 "n2 to take jobs again" n2_back

# n3 is drained under running jobs: they finish, no new one starts there.
wait_for 60 "a job running on n3" busy n3
n3_jobs=$(running_on n3)
scontrol update NodeName=n3 State=DRAIN Reason="t9750 chaos" ||
    fail "drain n3"
n3_drained() {
	[ "$(sinfo -h -n n3 -o %T)" = drained ]
}
wait_for 60 "n3 to drain" n3_drained
scontrol update NodeName=n3 State=RESUME || fail "resume n3"

backfill_done() {
	[ "$(updraft backfills --json | json_field state)" = done ]
}
wait_for 300 "the backfill to end" backfill_done
expect_eq "30 runs, all success" \
    "$(updraft runs t9750_chaos --json | json_field state | sort | uniq -c | sed 's/^ *//')" \
    "30 success"
expect_eq "every task instance success as try 1 (node failures use no try)" \
    "$(db "SELECT state, try_number, count(*) FROM task_instance GROUP BY 1, 2")" \
    "success|1|30"
expect_eq "each job that died with n2 is in its task's reason" \
    "$(db "SELECT reason FROM task_instance WHERE reason IS NOT NULL" | sort)" \
    "$(for j in $n2_jobs; do echo "NODE_FAIL on node n2 (job $j): submitted again as the same try"; done | sort)"
run=$(db "SELECT r.run_id FROM run r JOIN task_instance t ON t.run = r.id WHERE t.reason IS NOT NULL LIMIT 1")
j=$(echo "$n2_jobs" | head -n 1)
expect_eq "the reason as a person reads it" \
    "$(updraft tasks t9750_chaos "$run" --json | json_field reason | sort | head -n 1 | sed 's/job [0-9]*/job J/')" \
    "NODE_FAIL on node n2 (job J): submitted again as the same try"

# Slurm's side: 30 successful jobs, one per task instance, and the jobs
# that died with n2; nothing cancelled, failed, or run twice.
expect_eq "Slurm's jobs: 30 completed, and those of n2 failed" \
    "$(squeue -h -r -t all -o %T | sort | uniq -c | sed 's/^ *//')" \
    "$(printf '30 COMPLETED\n%s NODE_FAIL' "$(echo "$n2_jobs" | wc -l)")"
finals=$(for r in $(updraft runs t9750_chaos --json | json_field run_id); do
	updraft tasks t9750_chaos "$r" --json | json_field slurm_job
done)
expect_eq "each task instance's own job, 30 different ones" \
    "$(echo "$finals" | sort -u | wc -l)" 30
expect_eq "each completed" \
    "$(for j in $finals; do squeue -h -t all -j "$j" -o %T; done | sort | uniq -c | sed 's/^ *//')" \
    "30 COMPLETED"
expect_eq "the jobs on n3 when it was drained completed" \
    "$(for j in $n3_jobs; do squeue -h -t all -j "$j" -o %T; done | sort -u)" \
    COMPLETED

done_testing
