#!/bin/sh
# Backfills as job arrays on the local Slurm: one array per task, elements
# mapped to their task instances, a failed element retried alone with its
# downstream elements taken back, splits at MaxArraySize, and the fallback
# to one job per instance.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t3100_

trace=$UPDRAFT_HOME/trace

# dag NAME TASKS: a daily DAG of these tasks (libconfig list body) on stdin.
dag() {
	{
		printf '%s\n' 'schedule = "@daily";' 'start_date = "2026-01-01";' \
		    'catchup = false;' "defaults = { time = \"5\"; mem = \"20M\"; $2 };" \
		    'tasks = ('
		cat
		printf '%s\n' ');'
	} > "$UPDRAFT_HOME/dags/$1.dag"
}

# prep fails once on 01-03 (retried alone) and always on 01-05.
dag t3100_arr 'retries = 1; retry_delay = "1s";' <<DAG
  { id = "prep"; command = "echo prep {{ ds }} \$SLURM_ARRAY_TASK_ID >> $trace; if [ -e $UPDRAFT_HOME/once-{{ ds }} ]; then rm $UPDRAFT_HOME/once-{{ ds }}; exit 3; fi; test ! -e $UPDRAFT_HOME/fail-{{ ds }}"; },
  { id = "train"; after = "prep"; command = "echo train \$UPDRAFT_DS \$UPDRAFT_TRY_NUMBER >> $trace"; },
  { id = "report"; after = "train"; command = "echo report \$UPDRAFT_RUN_ID"; }
DAG
touch "$UPDRAFT_HOME/once-2026-01-03" "$UPDRAFT_HOME/fail-2026-01-05"

out=$(updraft backfill t3100_arr --from 2026-01-01 --to 2026-01-06 --max-active 3)
expect_eq "backfill of 6 dates" "$out" \
    "backfill 1: 6 of 6 dates of 't3100_arr' to run, at most 3 at a time"
run_until_done 180 t3100_arr || fail "backfill finished in time"
log=$UPDRAFT_HOME/scheduler.log

expect_eq "three arrays, one per task, throttled to --max-active, aftercorr" \
    "$(sed -n "s/.*dag 't3100_arr': submitted task '\([a-z]*\)' of \([0-9]*\) runs as array job [0-9]* (\([^,)]*\).*/\1 \2 \3/p" "$log")" \
"prep 6 0-5%3
train 6 0-5%3
report 6 0-5%3"
prep_job=$(sed -n "s/.*submitted task 'prep' of 6 runs as array job \([0-9]*\).*/\1/p" "$log")
train_job=$(sed -n "s/.*submitted task 'train' of 6 runs as array job \([0-9]*\).*/\1/p" "$log")
expect_eq "train waits on prep element by element, report on train" \
    "$(grep -c "array job $train_job (0-5%3, aftercorr:$prep_job)" "$log") $(grep -c "(0-5%3, aftercorr:$train_job)" "$log")" "1 1"

expect_eq "runs: the date whose prep always fails fails" \
    "$(updraft runs t3100_arr --json | json_field state | tr '\n' ' ')" \
    "success success success success failed success "
expect_eq "task instances of every date" \
    "$(sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT date(r.logical_date, 'unixepoch'), ti.task_id, ti.state, ti.try_number, coalesce(ti.array_index, '-'), coalesce(ti.reason, '-') FROM task_instance ti JOIN run r ON r.id = ti.run ORDER BY r.logical_date, ti.rowid")" \
"2026-01-01|prep|success|1|0|-
2026-01-01|train|success|1|0|-
2026-01-01|report|success|1|0|-
2026-01-02|prep|success|1|1|-
2026-01-02|train|success|1|1|-
2026-01-02|report|success|1|1|-
2026-01-03|prep|success|2|-|-
2026-01-03|train|success|1|-|-
2026-01-03|report|success|1|-|-
2026-01-04|prep|success|1|3|-
2026-01-04|train|success|1|3|-
2026-01-04|report|success|1|3|-
2026-01-05|prep|failed|2|-|exit code 1
2026-01-05|train|upstream_failed|0|-|upstream 'prep' failed
2026-01-05|report|upstream_failed|0|-|upstream 'train' failed
2026-01-06|prep|success|1|5|-
2026-01-06|train|success|1|5|-
2026-01-06|report|success|1|5|-"
expect_eq "the elements that ended in arrays belong to 3 Slurm jobs" \
    "$(sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT count(DISTINCT job_id), count(DISTINCT array_name), count(*) FROM task_instance WHERE array_name IS NOT NULL")" \
    "3|3|12"
expect_eq "failed elements were retried alone, as jobs of their own" \
    "$(sed -n "s/.*backfill__\(2026-01-0[0-9]\).* \([a-z]*\): submitted try \([0-9]\) as job .*/\1 \2 \3/p" "$log" | LC_ALL=C sort)" \
"2026-01-03 prep 2
2026-01-03 report 1
2026-01-03 train 1
2026-01-05 prep 2"
expect_eq "downstream elements of a failed element never ran; 01-03 ran after its retry" \
    "$(grep ^train "$trace" | LC_ALL=C sort)" \
"train 2026-01-01 1
train 2026-01-02 1
train 2026-01-03 1
train 2026-01-04 1
train 2026-01-06 1"
expect_eq "each prep element ran its own date (array index = element)" \
    "$(grep ^prep "$trace" | LC_ALL=C sort | tr '\n' ' ')" \
    "prep 2026-01-01 0 prep 2026-01-02 1 prep 2026-01-03 prep 2026-01-03 2 prep 2026-01-04 3 prep 2026-01-05 prep 2026-01-05 4 prep 2026-01-06 5 "
expect_eq "an element's log is its task instance's, with its logical date" \
    "$(updraft logs t3100_arr 2026-01-04T00:00:00Z report | sed -e 's/, job [0-9]* on .*//')" \
"updraft: t3100_arr__report__20260104 try 1
report backfill__2026-01-04T00:00:00+00:00
updraft: exit status 0"
# Job ids as Slurm writes them: the element's own id (the one its log
# names) in --json, ARRAYID_INDEX (the array's id) for Slurm's tools.
ids=$(updraft tasks t3100_arr 2026-01-04T00:00:00Z --json | /usr/bin/python3 -c '
import json, sys
t = [t for t in json.load(sys.stdin) if t["task_id"] == "report"][0]
print(t["job_id"], t["slurm_job"])')
own=$(updraft logs t3100_arr 2026-01-04T00:00:00Z report | sed -n 's/.*, job \([0-9]*\) on .*/\1/p')
array=$(sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT ti.job_id || '_' || ti.array_index FROM task_instance ti JOIN run r ON r.id = ti.run WHERE r.dag_id = 't3100_arr' AND r.logical_date = $(date -u -d 2026-01-04 +%s) AND ti.task_id = 'report'")
expect_eq "an element's job: its own id, and ARRAYID_INDEX" "$ids" "$own $array"
case "$array" in
*_3) pass "the element of 2026-01-04 is index 3" ;;
*) fail "the element of 2026-01-04 is index 3: $array" ;;
esac
expect_eq "a table shows the element as ARRAYID_INDEX" \
    "$(updraft tasks t3100_arr 2026-01-04T00:00:00Z | awk '$1 == "report" { print $4 }')" "$array"
expect_eq "the elements whose upstream failed were taken back from Slurm" \
    "$(grep -c 'taken back: upstream .prep. did not succeed in its array' "$log")" 2

# Split: arrays bigger than MaxArraySize (4 here, a test-only override).
dag t3100_split "" <<DAG
  { id = "a"; command = "true"; },
  { id = "b"; after = "a"; command = "echo b \$UPDRAFT_DS \$SLURM_ARRAY_TASK_ID >> $trace.split"; }
DAG
updraft backfill t3100_split --from 2026-02-01 --to 2026-02-06 >/dev/null
export UPDRAFT_TEST_MAX_ARRAY_SIZE=4
: > "$log"
run_until_done 120 t3100_split || fail "split backfill finished in time"
unset UPDRAFT_TEST_MAX_ARRAY_SIZE
expect_eq "6 runs at MaxArraySize 4: two arrays per task" \
    "$(sed -n "s/.*submitted task '\([a-z]*\)' of \([0-9]*\) runs as array job [0-9]* (\([^,)]*\).*/\1 \2 \3/p" "$log")" \
"a 4 0-3
b 4 0-3
a 2 0-1
b 2 0-1"
expect_eq "every run of the split backfill succeeded" \
    "$(updraft runs t3100_split --json | json_field state | sort | uniq -c | tr -s ' ')" " 6 success"
expect_eq "element i of each part ran the i-th date of its part" \
    "$(LC_ALL=C sort "$trace.split" | tr '\n' ' ')" \
    "b 2026-02-01 0 b 2026-02-02 1 b 2026-02-03 2 b 2026-02-04 3 b 2026-02-05 0 b 2026-02-06 1 "

# Fallback: a trigger rule an array cannot express: one job per instance.
dag t3100_rule "" <<DAG
  { id = "a"; command = "true"; },
  { id = "b"; after = "a"; trigger_rule = "all_done"; command = "true"; }
DAG
updraft backfill t3100_rule --from 2026-03-01 --to 2026-03-03 >/dev/null
: > "$log"
run_until_done 120 t3100_rule || fail "fallback backfill finished in time"
expect_eq "no array for a DAG with another trigger rule" \
    "$(grep -c 'as array job' "$log")" 0
expect_eq "one job per task instance instead" \
    "$(grep -c 'submitted try 1 as job' "$log")" 6

# Slurm lifts a dependency on a purged job: then a downstream element runs
# although its upstream element failed. The wrapper checks the upstream
# markers first and never runs the payload. Lift it by hand to see.
dag t3100_guard "" <<DAG
  { id = "up"; command = "test {{ ds }} != 2026-04-02"; },
  { id = "down"; after = "up"; command = "echo down \$UPDRAFT_DS >> $trace.guard"; }
DAG
updraft backfill t3100_guard --from 2026-04-01 --to 2026-04-02 >/dev/null
: > "$log"
UPDRAFT_FAKE_NOW=2026-05-01T00:00:00Z "$UPDRAFT_BIN" scheduler --once >> "$log" 2>&1
down_job=$(sed -n "s/.*submitted task 'down' of 2 runs as array job \([0-9]*\).*/\1/p" "$log")
up_markers() {
	[ "$(ls "$UPDRAFT_HOME/markers" | grep -c '^t3100_guard__up__')" -ge 2 ]
}
wait_for 30 "both upstream elements' markers" up_markers
expect_eq "the failed upstream element left its marker" \
    "$(head -n 1 "$UPDRAFT_HOME"/markers/t3100_guard__up__20260402T000000__1__*.exit)" 1
scontrol update JobId="${down_job}_1" Dependency= >/dev/null 2>&1 ||
    fail "lift the dependency of element 1 of array job $down_job"
element_gone() {
	! squeue -h -j "${down_job}_1" 2>/dev/null | grep -q .
}
wait_for 30 "element 1 to leave the queue" element_gone
run_until_done 60 t3100_guard || fail "guard backfill finished in time"
expect_eq "the element ran without its payload" \
    "$(sed -e 's/, job [0-9]* on .*//' "$UPDRAFT_HOME/logs/t3100_guard/backfill__2026-04-02T00:00:00+00:00/down.1.log")" \
"updraft: t3100_guard__down__20260402 try 1
updraft: upstream t3100_guard__up__20260402T000000__1__$(ls "$UPDRAFT_HOME/markers" | sed -n 's/^t3100_guard__up__20260402T000000__1__\(.*\)\.exit$/\1/p') did not succeed; not running"
expect_eq "only the date whose upstream succeeded ran down" \
    "$(cat "$trace.guard")" "down 2026-04-01"
expect_eq "down of the failed date ends upstream_failed, its try not counted" \
    "$(updraft tasks t3100_guard 2026-04-02T00:00:00Z --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["try_number"], t["reason"])')" \
"up failed 1 exit code 1
down upstream_failed 0 upstream 'up' failed"

# A crash between an array's submission and its record: the elements are
# 'scheduled' with their array's name and no job id. The next scheduler
# adopts the array by its name and submits nothing again.
dag t3100_crash "" <<DAG
  { id = "a"; command = "true"; },
  { id = "b"; after = "a"; command = "echo b \$UPDRAFT_DS >> $trace.crash"; }
DAG
updraft backfill t3100_crash --from 2026-06-01 --to 2026-06-03 >/dev/null
: > "$log"
UPDRAFT_FAKE_NOW=2026-07-01T00:00:00Z "$UPDRAFT_BIN" scheduler --once >> "$log" 2>&1
expect_eq "two arrays submitted" "$(grep -c 'as array job' "$log")" 2
sqlite3 "$UPDRAFT_HOME/updraft.db" "UPDATE task_instance SET state = 'scheduled', job_id = NULL, queued_at = NULL WHERE array_name LIKE 't3100_crash__%'"
: > "$log"
run_until_done 60 t3100_crash || fail "crash backfill finished in time"
expect_eq "every element adopted by its array's name" \
    "$(grep -c 'adopting element [0-2] of array job' "$log")" 6
expect_eq "nothing submitted again" \
    "$(grep -c 'as array job\|submitted try' "$log")" 0
expect_eq "each date ran once" "$(LC_ALL=C sort "$trace.crash" | tr '\n' ' ')" \
    "b 2026-06-01 b 2026-06-02 b 2026-06-03 "
expect_eq "every run succeeded after the crash" \
    "$(updraft runs t3100_crash --json | json_field state | tr '\n' ' ')" \
    "success success success "

# A submission that fails midway (Slurm away) leaves later tasks unsent:
# the next pass sends them as arrays of the same elements, by index, and a
# run that left its arrays (its element retried alone) goes on its own.
dag t3100_resume "" <<DAG
  { id = "a"; command = "sleep 2"; },
  { id = "b"; after = "a"; command = "echo b \$UPDRAFT_DS \$SLURM_ARRAY_TASK_ID >> $trace.resume"; },
  { id = "c"; after = "b"; command = "true"; }
DAG
updraft backfill t3100_resume --from 2026-08-01 --to 2026-08-03 >/dev/null
: > "$log"
UPDRAFT_FAKE_NOW=2026-09-01T00:00:00Z "$UPDRAFT_BIN" scheduler --once >> "$log" 2>&1
a_job=$(sed -n "s/.*submitted task 'a' of 3 runs as array job \([0-9]*\).*/\1/p" "$log")
for t in b c; do
	scancel "$(sed -n "s/.*submitted task '$t' of 3 runs as array job \([0-9]*\).*/\1/p" "$log")"
done
sqlite3 "$UPDRAFT_HOME/updraft.db" "UPDATE task_instance SET state = 'none', try_number = 0, array_name = NULL, array_index = NULL, job_id = NULL, queued_at = NULL WHERE task_id IN ('b', 'c') AND array_name LIKE 't3100_resume__%';
UPDATE task_instance SET state = 'success', array_name = NULL, array_index = NULL WHERE task_id = 'a' AND array_index = 1 AND array_name LIKE 't3100_resume__%'"
: > "$log"
run_until_done 60 t3100_resume || fail "resumed backfill finished in time"
b_job=$(sed -n "s/.*submitted task 'b' of 2 runs as array job \([0-9]*\).*/\1/p" "$log")
expect_eq "the rest goes as arrays of the same indexes, after a's array" \
    "$(sed -n "s/.*submitted task '\([a-z]*\)' of \([0-9]*\) runs as array job [0-9]* (\(.*\))/\1 \2 \3/p" "$log")" \
"b 2 0,2, aftercorr:$a_job
c 2 0,2, aftercorr:$b_job"
expect_eq "the run that left its arrays goes on with jobs of its own" \
    "$(sed -n "s/.*backfill__\(2026-08-0[0-9]\).* \([a-z]*\): submitted try \([0-9]\) as job .*/\1 \2 \3/p" "$log")" \
"2026-08-02 b 1
2026-08-02 c 1"
expect_eq "each b ran once, for its date" "$(LC_ALL=C sort "$trace.resume" | tr '\n' ' ')" \
    "b 2026-08-01 0 b 2026-08-02 b 2026-08-03 2 "
expect_eq "every resumed run succeeded" \
    "$(updraft runs t3100_resume --json | json_field state | tr '\n' ' ')" \
    "success success success "

done_testing
