#!/bin/sh
# Columns like Slurm's tools: -o/--format FIELD[%W],... with --json's field
# names, --noheader and --parsable on list, runs, tasks, backfills and
# versions, on a fixed database; bad fields, widths, escaping, completion.
. "$(dirname "$0")/lib.sh"
. "$TEST_SRCDIR/data/t98-fixture.sh"
TEST_JOB_PREFIX=t98_
TZ=UTC
export TZ
t98_fixture
r1=scheduled__2025-11-01T00:00:00+00:00

# --format help lists exactly the keys of the verb's --json objects.
for args in "list" "runs" "tasks t98_daily $r1" "backfills" \
    "versions t98_daily"; do
	set -- $args
	expect_eq "$1 --format help: the --json names, in order" \
	    "$(updraft "$@" --format help | tr '\n' ' ')" \
	    "$(updraft "$@" --json | /usr/bin/python3 -c '
import json, sys
print(" ".join(json.load(sys.stdin)[0]), end=" ")')"
done
expect_eq "tasks --format help needs no DAG or run" \
    "$(updraft tasks --format help | head -2 | tr '\n' ' ')" "task_id state "

expect_eq "runs -o: chosen fields, headings their names in upper case" \
    "$(updraft runs -o run_id,state,owner,labels)" \
    "RUN_ID                                STATE    OWNER      LABELS
$r1  success  scheduler  baseline
manual__lr001                         failed   alice      lr;sweep
scheduled__2025-11-02T00:00:00+00:00  running  scheduler
manual__queued                        queued   alice
manual__reads_daily                   success  bob        lineage"
expect_eq "widths cut and pad; the last column is not padded" \
    "$(updraft runs t98_daily --format 'run_id%12,state%4,owner%20')" \
    "RUN_ID        STAT  OWNER
scheduled__2  succ  scheduler
manual__lr00  fail  alice
scheduled__2  runn  scheduler"
expect_eq "--parsable: | between values, no padding, none is empty" \
    "$(updraft runs --parsable -o dag_id,run_id,params,labels,note)" \
    "DAG_ID|RUN_ID|PARAMS|LABELS|NOTE
t98_daily|$r1|{\"lr\": 0.1, \"epochs\": 10}|baseline|
t98_daily|manual__lr001|{\"lr\": 0.01, \"epochs\": 10, \"tag\": \"small\"}|lr;sweep|diverged after epoch 3
t98_daily|scheduled__2025-11-02T00:00:00+00:00|{}||
t98_hourly|manual__queued|{}||waits \\x7c for a GPU
t98_hourly|manual__reads_daily|{\"source\": \"daily\"}|lineage|"
expect_eq "--parsable --noheader ignores widths; times as the table's" \
    "$(updraft runs t98_hourly --parsable --noheader \
    -o 'run_id%3,start_date,end_date%2')" \
    "manual__queued||
manual__reads_daily|2025-11-02 05:06:50|2025-11-02 05:07:50"
expect_eq "--utc: times in UTC" \
    "$(TZ=Asia/Tokyo updraft runs t98_hourly --parsable --noheader --utc \
    -o logical_date)" "2025-11-02 02:20:00
2025-11-02 05:06:40"
expect_eq "without --utc: the local zone" \
    "$(TZ=Asia/Tokyo updraft runs t98_hourly --parsable --noheader \
    -o logical_date)" "2025-11-02 11:20:00
2025-11-02 14:06:40"

# --noheader or --parsable alone: the table's fields.
expect_eq "runs --noheader: the table's fields, dag_id for every DAG" \
    "$(updraft runs --noheader | head -2)" \
    "t98_daily   $r1  scheduled  2025-11-01 00:00:00  success
t98_daily   manual__lr001                         manual     2025-11-01 12:26:40  failed"
expect_eq "runs DAG --parsable: no dag_id" \
    "$(updraft runs t98_hourly --parsable)" \
    "RUN_ID|RUN_TYPE|LOGICAL_DATE|STATE
manual__queued|manual|2025-11-02 02:20:00|queued
manual__reads_daily|manual|2025-11-02 05:06:40|success"
expect_eq "runs --state with --format" \
    "$(updraft runs --state failed --noheader -o run_id)" "manual__lr001"
expect_eq "tasks --parsable: every field of the table" \
    "$(updraft tasks t98_daily $r1 --parsable)" \
    "TASK_ID|STATE|TRY_NUMBER|SLURM_JOB|PARTITION|EXIT_CODE|START_DATE|END_DATE|REASON
fetch|success|1|101|cpu|0|2025-11-02 00:00:10|2025-11-02 00:01:10|
train|success|1|7627_0|gpu|0|2025-11-02 00:01:20|2025-11-02 01:00:10|"
expect_eq "tasks -o job_id: the element's own job" \
    "$(updraft tasks t98_daily $r1 -o task_id,job_id,slurm_job --noheader)" \
    "fetch  101   101
train  7628  7627_0"
expect_eq "backfills --parsable: done and total" \
    "$(updraft backfills --parsable)" \
    "ID|DAG_ID|FROM|TO|REPROCESS|STATE|DONE|TOTAL
1|t98_daily|2025-11-01 00:00:00|2025-11-02 23:59:59|missing|running|1|2"
expect_eq "backfills -o owner" \
    "$(updraft backfills t98_daily -o id,owner,max_active,reverse)" \
    "ID  OWNER  MAX_ACTIVE  REVERSE
1   alice  2           false"
hash=$(sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT version FROM dag_version
    WHERE dag_id = 't98_daily'")
expect_eq "versions --noheader -o" \
    "$(updraft versions t98_daily --noheader -o number,version,first_seen)" \
    "1  $hash  2025-11-01 00:00:00"
expect_eq "versions: the table as before" \
    "$(updraft versions t98_daily)" \
    "VERSION  HASH              FIRST_SEEN           RUNS
1        $hash  2025-11-01 00:00:00  0"
expect_eq "list --parsable -o" \
    "$(updraft list --parsable -o dag_id,state,paused,next_dagrun)" \
    "DAG_ID|STATE|PAUSED|NEXT_DAGRUN
t98_broken|broken|true|-
t98_daily|active|false|2025-11-03 00:00:00
t98_hourly|paused|true|-"
expect_eq "list -o load_error: the error in its column, escaped" \
    "$(updraft list --noheader -o load_error | sed "s|$UPDRAFT_HOME|H|")" \
    "H/dags/t98_broken.dag:2: syntax error
-
-"

# Control characters are written \n, \t, \r or \xNN; a width cuts whole UTF-8 characters.
sqlite3 "$UPDRAFT_HOME/updraft.db" "UPDATE run SET note = 'two' || char(10) ||
    'lines' || char(9) || 'tab' || char(27) || '[31m' WHERE id = 3;
    UPDATE run SET note = 'héllo' WHERE id = 1"
expect_eq "control characters in a column" \
    "$(updraft runs t98_daily -o note,state --noheader | sed -n 3p)" \
    'two\nlines\ttab\x1b[31m  running'
expect_eq "control characters under --parsable" \
    "$(updraft runs t98_daily -o note --parsable --noheader | sed -n 3p)" \
    'two\nlines\ttab\x1b[31m'
expect_eq "a width of 2 on h, é: no half character, padded" \
    "$(updraft runs t98_daily -o 'note%2,state' --noheader | sed -n 1p)" \
    "h   success"
expect_eq "a width of 3 keeps the two bytes of é" \
    "$(updraft runs t98_daily -o 'note%3,state' --noheader | sed -n 1p)" \
    "hé  success"

# Usage errors: exit 2, nothing on standard output.
while IFS='|' read -r args msg; do
	set -- $args
	out=$(updraft "$@" 2>"$UPDRAFT_HOME/err")
	expect_eq "$args: exit 2 and why" "$? $out$(cat "$UPDRAFT_HOME/err")" \
	    "2 $msg"
done <<'EOF'
runs -o runid|updraft: bad field 'runid': did you mean 'run_id'? ('--format help' lists the fields)
runs --format run_id,stat%5|updraft: bad field 'stat%5': did you mean 'state'? ('--format help' lists the fields)
list -o bogus|updraft: bad field 'bogus': a dag has no such field ('--format help' lists them)
runs -o DONE/TOTAL|updraft: bad field 'DONE/TOTAL': a run has no such field ('--format help' lists them)
backfills -o created_by|updraft: bad field 'created_by': did you mean 'created_at'? ('--format help' lists the fields)
versions t98_daily -o hash|updraft: bad field 'hash': a version has no such field ('--format help' lists them)
tasks t98_daily manual__lr001 -o task_id,|updraft: bad field '': a task instance has no such field ('--format help' lists them)
runs -o run_id%0|updraft: bad field 'run_id%0': expected a width from 1 to 1000 after '%'
runs -o run_id%-5|updraft: bad field 'run_id%-5': expected a width from 1 to 1000 after '%'
runs -o run_id%1001|updraft: bad field 'run_id%1001': expected a width from 1 to 1000 after '%'
runs -o run_id%|updraft: bad field 'run_id%': expected a width from 1 to 1000 after '%'
runs -o run_id%5x|updraft: bad field 'run_id%5x': expected a width from 1 to 1000 after '%'
runs --json -o run_id|usage: updraft runs [DAG] [--state S] [--since T] [--last N | --all] [--mine] [--owner U] [--label L]... [--where EXPR] [--order [-]FIELD] [--utc] [--json | -o FIELD[%W],...] [--noheader] [--parsable]
tasks t98_daily manual__lr001 --json --parsable|usage: updraft tasks DAG RUN [--utc] [--json | -o FIELD[%W],...] [--noheader] [--parsable]
EOF
expect_eq "-h stays help" "$(updraft runs -h | head -1 | cut -c1-19)" \
    "usage: updraft runs"
expect_eq "--order keeps working beside -o" \
    "$(updraft runs --order -metrics.val_loss -o run_id --noheader)" \
    "manual__lr001
$r1
manual__reads_daily
scheduled__2025-11-02T00:00:00+00:00
manual__queued"

# Bash completion of --format's fields, after a comma too.
if command -v bash >/dev/null; then
	expect_eq "completion: --format FIELD" \
	    "$(complete_words updraft runs --format run_ | tr '\n' ' ')" \
	    "run_id run_type "
	expect_eq "completion: -o FIELD,FIELD" \
	    "$(complete_words updraft backfills -o id,re | tr '\n' ' ')" \
	    "id,reprocess id,reverse "
fi

# Every field of every run, and of every task instance, as a script reads
# them: --parsable, in UTC.
updraft runs --all --parsable --utc -o "$(updraft runs --format help |
    paste -sd,)" > "$UPDRAFT_HOME/runs.txt"
test_golden t9800-runs-every-field "$UPDRAFT_HOME/runs.txt"
for r in $(updraft runs --noheader -o dag_id,run_id | tr -s ' ' ,); do
	updraft tasks "${r%,*}" "${r#*,}" --parsable --noheader --utc \
	    -o "$(updraft tasks --format help | paste -sd,)"
done > "$UPDRAFT_HOME/tasks.txt"
test_golden t9800-tasks-every-field "$UPDRAFT_HOME/tasks.txt"

done_testing
