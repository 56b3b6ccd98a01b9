#!/bin/sh
# Issue 15, finding 10, as the attack: a minutely DAG whose start_date is
# 10 days back used to create 14,400 runs in one pass. A catch-up of more
# than max_catchup_runs (a DAG key; updraft.conf's, 1,000 by default)
# creates none: the DAG is paused with the reason (list, status), who
# hears dag_paused is told, and the message says to use `updraft
# backfill`. Unpausing goes on from the latest interval. --where nested
# 30,000 deep is a usage error, not a crash.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t9510_

pass_at() {
	UPDRAFT_FAKE_NOW=$1 updraft scheduler --once 2>>"$UPDRAFT_HOME/pass.log"
}
runs() {
	sqlite3 "$UPDRAFT_HOME/updraft.db" \
	    "SELECT count(*) FROM run WHERE dag_id = '$1'"
}
# dag NAME SCHEDULE START [MORE]: a DAG of one task that does nothing.
dag() {
	cat > "$UPDRAFT_HOME/dags/$1.dag" <<DAG
schedule = "$2";
start_date = "$3";
${4:-}
tasks = ({ id = "t"; command = "true"; time = "1"; mem = "10M"; });
DAG
}

cat > "$UPDRAFT_HOME/updraft.conf" <<CONF
channels = { log = { type = "command"; argv = [ "/bin/true" ]; }; };
CONF
dag t9510_minutely "* * * * *" 2026-11-01
dag t9510_small @daily 2026-11-01 'max_catchup_runs = 5;'
dag t9510_fits @daily 2026-11-06 'max_catchup_runs = 5;'
for d in minutely small fits; do
	updraft unpause "t9510_$d" >/dev/null
done
start=$(date +%s)
pass_at 2026-11-11T00:00:30Z
expect_eq "the pass ends" "$?" 0
elapsed=$(( $(date +%s) - start ))
expect_eq "the pass took under 10 s (it took ${elapsed}s)" \
    "$([ "$elapsed" -lt 10 ] && echo yes)" yes

expect_eq "minutely, 10 days back: no run created" "$(runs t9510_minutely)" 0
expect_eq "a DAG's own max_catchup_runs = 5, 10 days: none" \
    "$(runs t9510_small)" 0
expect_eq "5 days within a bound of 5: all five" "$(runs t9510_fits)" 5

reason="catch-up of more than 1000 runs (max_catchup_runs), from 2026-11-01T00:00:00+00:00 to 2026-11-10T23:59:00+00:00: none created; run them with 'updraft backfill t9510_minutely --from 2026-11-01T00:00:00+00:00 --to 2026-11-10T23:59:00+00:00', then 'updraft unpause t9510_minutely'"
reason_small="catch-up of more than 5 runs (max_catchup_runs), from 2026-11-01T00:00:00+00:00 to 2026-11-10T00:00:00+00:00: none created; run them with 'updraft backfill t9510_small --from 2026-11-01T00:00:00+00:00 --to 2026-11-10T00:00:00+00:00', then 'updraft unpause t9510_small'"
expect_eq "list: paused, with the reason" \
    "$(updraft list --utc | grep -A1 '^t9510_minutely')" \
    "t9510_minutely  paused  2026-11-10 23:59:00  $UPDRAFT_HOME/dags/t9510_minutely.dag
  paused by the scheduler: $reason"
expect_eq "list --json: pause_reason" \
    "$(updraft list --json | /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["dag_id"].startswith("t9510_"):
        print(d["dag_id"], d["paused"], d["pause_reason"])')" \
    "t9510_fits False None
t9510_minutely True $reason
t9510_small True ${reason_small}"
expect_eq "status: the DAGs the scheduler paused" \
    "$(updraft status | sed -n '/^DAGs the scheduler paused:/,/^$/p' | cut -c1-60)" \
    "DAGs the scheduler paused:
  DAG_ID          REASON
  t9510_minutely  catch-up of more than 1000 runs (max_catch
  t9510_small     catch-up of more than 5 runs (max_catchup_"
expect_eq "status --json: paused_by_scheduler" \
    "$(updraft status --json | /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin)["paused_by_scheduler"]:
    print(d["dag_id"], "updraft backfill " + d["dag_id"] in d["pause_reason"])')" \
    "t9510_minutely True
t9510_small True"
expect_eq "the scheduler's log says so, naming updraft backfill" \
    "$(grep -c "dag 't9510_minutely': paused: .*'updraft backfill t9510_minutely --from" "$UPDRAFT_HOME/pass.log")" 1
expect_eq "who hears dag_paused is told" \
    "$(sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT dag_id, summary FROM notify_outbox WHERE kind = 'dag_paused' ORDER BY dag_id")" \
    "t9510_minutely|dag 't9510_minutely' was paused by the scheduler
t9510_small|dag 't9510_small' was paused by the scheduler"

# The next pass leaves it paused and tells nobody again.
pass_at 2026-11-11T00:01:30Z
expect_eq "a second pass: still no run" "$(runs t9510_minutely)" 0
expect_eq "and no second notice" \
    "$(sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT count(*) FROM notify_outbox WHERE kind = 'dag_paused'")" 2

# Unpausing clears the reason and goes on from the latest interval.
updraft unpause t9510_minutely >/dev/null
expect_eq "unpause clears the reason" \
    "$(sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT paused, pause_reason IS NULL FROM dag WHERE dag_id = 't9510_minutely'")" "0|1"
pass_at 2026-11-11T00:02:30Z
expect_eq "after unpause: only the intervals since the pause" \
    "$(runs t9510_minutely)" 3

# A key of the wrong kind is the DAG file's error; updraft.conf's too.
dag t9510_bad @daily 2026-11-01 'max_catchup_runs = 0;'
expect_eq "max_catchup_runs = 0 in a DAG file" \
    "$(updraft check "$UPDRAFT_HOME/dags/t9510_bad.dag" 2>&1 | grep -c 'max_catchup_runs')" 1
rm "$UPDRAFT_HOME/dags/t9510_bad.dag"
printf 'max_catchup_runs = 0;\n' > "$UPDRAFT_HOME/updraft.conf"
expect_eq "max_catchup_runs = 0 in updraft.conf" "$(updraft list 2>&1)" \
    "updraft: $UPDRAFT_HOME/updraft.conf:1: 'max_catchup_runs' must be at least 1"
rm "$UPDRAFT_HOME/updraft.conf"

# --where, 30,000 parentheses deep: a usage error, not a stack overflow.
deep=$(/usr/bin/python3 -c 'print("(" * 30000 + "state = \"x\"" + ")" * 30000)')
out=$(updraft runs --where "$deep" 2>&1)
expect_eq "--where 30,000 deep: exit 2" "$?" 2
expect_eq "--where 30,000 deep: a clear message" "$out" \
    "updraft: bad --where: column 65: nested deeper than 64 levels of '(' and 'not'"
deep=$(/usr/bin/python3 -c 'print("not " * 30000 + "state = \"x\"")')
expect_status "--where: 30,000 'not': exit 2" 2 updraft runs --where "$deep"

done_testing
