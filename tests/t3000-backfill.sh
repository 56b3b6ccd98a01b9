#!/bin/sh
# Backfills on the local Slurm: dry runs, its own limit on a paused DAG,
# reprocessing failed dates, newest first, and cancelling.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t3000_

trace=$UPDRAFT_HOME/trace
cat > "$UPDRAFT_HOME/dags/t3000_bf.dag" <<DAG
schedule = "0 6 * * *";
timezone = "Europe/Berlin";
start_date = "2026-03-25";
catchup = false;
defaults = { time = "5"; mem = "50M"; };
tasks = (
  { id = "work"; command = "echo start \$UPDRAFT_DS \$(date +%s%N) >> $trace; sleep 1; echo end \$UPDRAFT_DS \$(date +%s%N) >> $trace"; },
  { id = "check"; after = "work"; command = "test ! -e $UPDRAFT_HOME/fail-\$UPDRAFT_DS"; }
);
DAG

# The most runs that overlapped in time, from the trace of start/end marks.
max_overlap() {
	sort -k3n "$trace" | awk '$1 == "start" { n++; if (n > m) m = n }
	    $1 == "end" { n-- } END { print m + 0 }'
}

out=$(updraft backfill t3000_bf --from 2026-03-27 --to 2026-03-30 --dry-run)
expect_eq "dry run: every logical date in [T1, T2], across the DST change" "$out" \
"2026-03-27T06:00:00+01:00 create
2026-03-28T06:00:00+01:00 create
2026-03-29T06:00:00+02:00 create
2026-03-30T06:00:00+02:00 create
4 of 4 dates would run"
expect_eq "a dry run changes nothing" "$(updraft runs t3000_bf --json)" "[]"
expect_eq "no backfill recorded by a dry run" "$(updraft backfills --json)" "[]"

touch "$UPDRAFT_HOME/fail-2026-03-28"
out=$(updraft backfill t3000_bf --from 2026-03-27 --to 2026-03-30 --max-active 2)
expect_eq "backfill on a paused DAG" "$out" \
    "backfill 1: 4 of 4 dates of 't3000_bf' to run, at most 2 at a time"
run_until_done 120 t3000_bf || fail "backfill 1 finished in time"
json=$(updraft runs t3000_bf --json)
expect_eq "backfill runs: ids and states" \
    "$(printf '%s' "$json" | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["run_id"], r["run_type"], r["state"])')" \
"backfill__2026-03-27T05:00:00+00:00 backfill success
backfill__2026-03-28T05:00:00+00:00 backfill failed
backfill__2026-03-29T04:00:00+00:00 backfill success
backfill__2026-03-30T04:00:00+00:00 backfill success"
expect_eq "never more than --max-active runs at once" "$(max_overlap)" 2
expect_eq "the backfill is done" \
    "$(updraft backfills --json | json_field state)" "done"

# Reprocess the failed date only: its run keeps its id, tries go on.
rm -f "$UPDRAFT_HOME/fail-2026-03-28" "$trace"
out=$(updraft backfill t3000_bf --from 2026-03-27 --to 2026-03-30 --reprocess failed --dry-run)
expect_eq "--reprocess failed picks the failed date" "$out" \
"2026-03-27T06:00:00+01:00 skip: has a run
2026-03-28T06:00:00+01:00 rerun
2026-03-29T06:00:00+02:00 skip: has a run
2026-03-30T06:00:00+02:00 skip: has a run
1 of 4 dates would run"
updraft backfill t3000_bf --from 2026-03-27 --to 2026-03-30 --reprocess failed >/dev/null
run_until_done 120 t3000_bf || fail "backfill 2 finished in time"
expect_eq "the failed run succeeds when run again" \
    "$(updraft runs t3000_bf --json | json_field state | tr '\n' ' ')" \
    "success success success success "
expect_eq "a run again goes on with its try numbers" \
    "$(updraft tasks t3000_bf 2026-03-28T05:00:00Z --json | json_field try_number | tr '\n' ' ')" \
    "2 2 "
expect_eq "only the failed date ran again" "$(grep -c ^start "$trace")" 1

# Everything again, newest first, one at a time.
rm -f "$trace"
updraft backfill t3000_bf --from 2026-03-27 --to 2026-03-30 --reprocess all --reverse --max-active 1 >/dev/null
run_until_done 120 t3000_bf || fail "backfill 3 finished in time"
expect_eq "--reverse runs the newest date first" \
    "$(grep ^start "$trace" | cut -d' ' -f2 | tr '\n' ' ')" \
    "2026-03-30 2026-03-29 2026-03-28 2026-03-27 "
expect_eq "--max-active 1 runs one at a time" "$(max_overlap)" 1

# Cancel: pending dates dropped, the running one's job cancelled.
cat > "$UPDRAFT_HOME/dags/t3000_slow.dag" <<DAG
schedule = "@daily";
start_date = "2026-01-01";
defaults = { time = "5"; mem = "50M"; };
tasks = ({ id = "sleepy"; command = "sleep 300"; });
DAG
updraft backfill t3000_slow --from 2026-01-01 --to 2026-01-10 --max-active 1 >/dev/null
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
start_scheduler
# Sets job, the id of the running date's Slurm job.
job_submitted() {
	job=$(updraft tasks t3000_slow 2026-01-01 --json 2>/dev/null | json_field job_id)
	[ -n "$job" ] && [ "$job" != null ]
}
wait_for 30 "the running date's job" job_submitted
out=$(updraft backfill --cancel 4)
expect_eq "cancel says what it does" "$out" \
    "backfill 4 cancelled: 9 dates dropped, 1 running stopped by the scheduler"
backfill_ended() {
	[ "$(updraft backfills --json | /usr/bin/python3 -c '
import json, sys
print([b["end_date"] for b in json.load(sys.stdin) if b["id"] == 4][0])')" != None ]
}
wait_for 30 "backfill 4 to end" backfill_ended
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
expect_eq "the running date's run failed, with the reason" \
    "$(updraft tasks t3000_slow 2026-01-01 --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["state"], t["reason"])')" "failed backfill 4 cancelled"
expect_eq "no other date ran" "$(updraft runs t3000_slow --json | json_field run_id)" \
    "backfill__2026-01-01T00:00:00+00:00"
state=$(squeue -h -j "$job" -o %T 2>/dev/null)
case "$state" in
""|CANCELLED|COMPLETING) pass "its Slurm job was cancelled" ;;
*) fail "its Slurm job was cancelled: job $job is $state" ;;
esac
out=$(updraft backfill --cancel 4 2>&1)
expect_eq "cancelling twice" "$out" "updraft: backfill 4 is cancelled already"

out=$(updraft backfill t3000_bf --from 2026-03-30 --to 2026-03-27 2>&1)
expect_eq "--to before --from" "$out" "updraft: bad --to '2026-03-27': before --from '2026-03-30'"
out=$(updraft backfill t3000_bf --from 2026-03-27 --to 2026-03-30 --reprocess some 2>&1)
expect_eq "bad --reprocess" "$out" "updraft: bad --reprocess 'some': expected missing, failed or all"

done_testing
