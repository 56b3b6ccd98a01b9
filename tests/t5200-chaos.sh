#!/bin/sh
# Crash chaos on the local Slurm: a backfill of 100 runs x 3 tasks while the
# scheduler is killed with SIGKILL at random moments (25 times), restarted
# each time. Every task instance must end with exactly one Slurm job for
# each try, the last one successful; no run lost; the database intact.
. "$(dirname "$0")/lib.sh"
slow_test
need_slurm
TEST_JOB_PREFIX=t5200_

cat > "$UPDRAFT_HOME/dags/t5200_chaos.dag" <<DAG
schedule = "@daily";
start_date = "2026-01-01";
catchup = false;
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "a"; command = "sleep 0.\$((RANDOM % 5))"; },
  { id = "b"; after = "a"; command = "true"; },
  { id = "c"; after = "b"; command = "echo \$UPDRAFT_TASK_KEY"; }
);
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft backfill t5200_chaos --from 2026-01-01 --to 2026-04-10 --max-active 25 >/dev/null

kills=0
while [ "$kills" -lt 25 ]; do
	start_scheduler
	sleep "0.$(shuf -i 100-999 -n 1)"
	kill -0 "$scheduler_pid" || fail "scheduler $kills was still running"
	kill -9 "$scheduler_pid"
	wait "$scheduler_pid" 2>/dev/null
	scheduler_pid=
	kills=$((kills + 1))
done
pass "the scheduler was killed $kills times"
run_until_done 300 t5200_chaos || fail "every run finished in time"

runs=$(updraft runs t5200_chaos --json)
expect_eq "no run lost: 100 runs" "$(printf '%s' "$runs" | json_field run_id | wc -l)" 100
expect_eq "every run succeeded" "$(printf '%s' "$runs" | json_field state | sort | uniq -c | sed 's/^ *//')" \
    "100 success"

# Each task instance's tries against the jobs Slurm still remembers
# (MinJobAge keeps finished jobs for 300 s: longer than this test).
# A job is known by its name, an element of a job array by its array's name
# and its index: NAME[INDEX].
squeue -h -t all -o '%j %K %T' | awk '{ if ($2 ~ /^[0-9]+$/) $1 = $1 "[" $2 "]"; print $1, $3 }' > "$UPDRAFT_HOME/jobs"
# This home's token, from its markers (jobs of an earlier run may linger).
suffix=$(ls "$UPDRAFT_HOME/markers" | head -1 | sed 's/.*__//; s/\.exit$//')
sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT coalesce(replace(ti.array_name, '__$suffix', '') || '[' || ti.array_index || ']', r.dag_id || '__' || ti.task_id || '__' || strftime('%Y%m%dT%H%M%S', r.logical_date, 'unixepoch') || '__' || ti.try_number), ti.state, ti.job_id FROM task_instance ti JOIN run r ON r.id = ti.run" > "$UPDRAFT_HOME/tis"
# Job names end with a token of the home: keep only this home's jobs.
sed -n "s/__$suffix\(\[[0-9]*\]\)* /\1 /p" "$UPDRAFT_HOME/jobs" > "$UPDRAFT_HOME/ours"
mv "$UPDRAFT_HOME/ours" "$UPDRAFT_HOME/jobs"
expect_eq "300 task instances, all success" "$(cut -d'|' -f2 "$UPDRAFT_HOME/tis" | sort | uniq -c | sed 's/^ *//')" \
    "300 success"
expect_eq "no job name submitted twice" \
    "$(awk '$1 ~ /^t5200_chaos__/ { print $1 }' "$UPDRAFT_HOME/jobs" | sort | uniq -d)" ""
missing=$(cut -d'|' -f1 "$UPDRAFT_HOME/tis" | while read -r name; do
	grep -qxF "$name COMPLETED" "$UPDRAFT_HOME/jobs" || echo "$name"
done)
expect_eq "each task instance's last try is one COMPLETED job" "$missing" ""
expect_eq "no job of ours left in the queue" \
    "$(awk '$1 ~ /^t5200_chaos__/ && $2 != "COMPLETED" { print }' "$UPDRAFT_HOME/jobs")" ""
expect_eq "database integrity" "$(sqlite3 "$UPDRAFT_HOME/updraft.db" 'PRAGMA integrity_check')" ok
expect_eq "the backfill is done" "$(updraft backfills --json | json_field state)" done

done_testing
