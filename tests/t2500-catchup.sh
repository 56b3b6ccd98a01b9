#!/bin/sh
# Which runs the scheduler creates, and when: catch-up, pause, end_date,
# max_active_runs, time zones, @once, `every` and the trigger timetable.
# The clock stands still at UPDRAFT_FAKE_NOW; each pass is `scheduler --once`.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t2500_

# pass NOW: one scheduler pass with the wall clock at NOW.
pass_at() {
	UPDRAFT_FAKE_NOW=$1 updraft scheduler --once 2>/dev/null
}

# runs DAG: "logical_date run_id state" of each run, oldest first.
runs() {
	updraft runs "$1" --json | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["logical_date"], r["data_interval_end"], r["run_type"])'
}

dag() {
	name=$1
	shift
	{
		printf '%s\n' "$@"
		printf 'defaults = { time = "1"; mem = "10M"; };\n'
		printf 'tasks = ({ id = "t"; command = "true"; });\n'
	} > "$UPDRAFT_HOME/dags/$name.dag"
}

dag t2500_daily 'schedule = "@daily";' 'start_date = "2026-11-01";'
dag t2500_nocatch 'schedule = "@daily";' 'start_date = "2026-11-01";' 'catchup = false;'
dag t2500_end 'schedule = "@daily";' 'start_date = "2026-11-01";' 'end_date = "2026-11-03";'
dag t2500_berlin 'schedule = "@daily";' 'timezone = "Europe/Berlin";' 'start_date = "2026-10-24";'
dag t2500_once 'schedule = "@once";' 'start_date = "2026-11-02T08:30";'
dag t2500_every 'schedule = "every 6h";' 'start_date = "2026-11-01T03:00";'
dag t2500_trigger 'schedule = "0 */6 * * *";' 'timetable = "trigger";' 'start_date = "2026-11-01T05:00";'
dag t2500_limit 'schedule = "@daily";' 'start_date = "2026-11-01";' 'max_active_runs = 2;'
dag t2500_limit1 'schedule = "@daily";' 'start_date = "2026-11-01";' 'max_active_runs = 1;'

pass_at 2026-11-05T12:00:00Z
expect_eq "paused DAGs get no runs" "$(runs t2500_daily)" ""
for d in daily nocatch end berlin once every trigger limit limit1; do
	updraft unpause "t2500_$d" >/dev/null
done
pass_at 2026-11-05T12:00:00Z

expect_eq "catch-up: every complete interval since start_date" "$(runs t2500_daily)" \
"2026-11-01T00:00:00+00:00 2026-11-02T00:00:00+00:00 scheduled
2026-11-02T00:00:00+00:00 2026-11-03T00:00:00+00:00 scheduled
2026-11-03T00:00:00+00:00 2026-11-04T00:00:00+00:00 scheduled
2026-11-04T00:00:00+00:00 2026-11-05T00:00:00+00:00 scheduled"
expect_eq "catchup = false: only the latest complete interval" "$(runs t2500_nocatch)" \
"2026-11-04T00:00:00+00:00 2026-11-05T00:00:00+00:00 scheduled"
expect_eq "no interval ends after end_date" "$(runs t2500_end)" \
"2026-11-01T00:00:00+00:00 2026-11-02T00:00:00+00:00 scheduled
2026-11-02T00:00:00+00:00 2026-11-03T00:00:00+00:00 scheduled"
expect_eq "daily in Berlin: local midnights across the DST change" "$(runs t2500_berlin)" \
"2026-10-23T22:00:00+00:00 2026-10-24T22:00:00+00:00 scheduled
2026-10-24T22:00:00+00:00 2026-10-25T23:00:00+00:00 scheduled
2026-10-25T23:00:00+00:00 2026-10-26T23:00:00+00:00 scheduled
2026-10-26T23:00:00+00:00 2026-10-27T23:00:00+00:00 scheduled
2026-10-27T23:00:00+00:00 2026-10-28T23:00:00+00:00 scheduled
2026-10-28T23:00:00+00:00 2026-10-29T23:00:00+00:00 scheduled
2026-10-29T23:00:00+00:00 2026-10-30T23:00:00+00:00 scheduled
2026-10-30T23:00:00+00:00 2026-10-31T23:00:00+00:00 scheduled
2026-10-31T23:00:00+00:00 2026-11-01T23:00:00+00:00 scheduled
2026-11-01T23:00:00+00:00 2026-11-02T23:00:00+00:00 scheduled
2026-11-02T23:00:00+00:00 2026-11-03T23:00:00+00:00 scheduled
2026-11-03T23:00:00+00:00 2026-11-04T23:00:00+00:00 scheduled"
expect_eq "@once: one run at start_date, an empty interval" "$(runs t2500_once)" \
"2026-11-02T08:30:00+00:00 2026-11-02T08:30:00+00:00 scheduled"
expect_eq "every 6h: elapsed time from start_date" "$(runs t2500_every | head -3)" \
"2026-11-01T03:00:00+00:00 2026-11-01T09:00:00+00:00 scheduled
2026-11-01T09:00:00+00:00 2026-11-01T15:00:00+00:00 scheduled
2026-11-01T15:00:00+00:00 2026-11-01T21:00:00+00:00 scheduled"
expect_eq "every 6h: up to the last complete interval" "$(runs t2500_every | tail -1)" \
"2026-11-05T03:00:00+00:00 2026-11-05T09:00:00+00:00 scheduled"
expect_eq "trigger timetable: the logical date is the tick" "$(runs t2500_trigger | head -3)" \
"2026-11-01T06:00:00+00:00 2026-11-01T06:00:00+00:00 scheduled
2026-11-01T12:00:00+00:00 2026-11-01T12:00:00+00:00 scheduled
2026-11-01T18:00:00+00:00 2026-11-01T18:00:00+00:00 scheduled"
expect_eq "trigger timetable: a tick runs at once" "$(runs t2500_trigger | tail -1)" \
"2026-11-05T12:00:00+00:00 2026-11-05T12:00:00+00:00 scheduled"
# A catch-up that can go as job arrays starts every run: the arrays' %K
# holds each task to max_active_runs elements at once (t3100).
expect_eq "max_active_runs with job arrays: every run starts" \
    "$(updraft runs t2500_limit --json | json_field state | tr '\n' ' ')" \
    "running running running running "
expect_eq "max_active_runs = 1: the oldest run, the rest queued" \
    "$(updraft runs t2500_limit1 --json | json_field state | tr '\n' ' ')" \
    "running queued queued queued "

# Paused for three days: nothing new; unpaused: the missed days, once.
updraft pause t2500_daily >/dev/null
pass_at 2026-11-08T01:00:00Z
expect_eq "a paused DAG gets no new runs" "$(runs t2500_daily | wc -l)" 4
updraft unpause t2500_daily >/dev/null
pass_at 2026-11-08T01:00:00Z
pass_at 2026-11-08T01:00:00Z
expect_eq "unpausing catches up what was missed, once" \
    "$(runs t2500_daily | tail -4 | cut -d' ' -f1)" \
"2026-11-04T00:00:00+00:00
2026-11-05T00:00:00+00:00
2026-11-06T00:00:00+00:00
2026-11-07T00:00:00+00:00"
expect_eq "no logical date has two runs" \
    "$(runs t2500_daily | cut -d' ' -f1 | sort | uniq -d)" ""
expect_eq "the clock going back creates nothing" \
    "$(pass_at 2026-11-02T00:00:00Z; runs t2500_daily | wc -l)" 7
expect_eq "@once stays once" "$(pass_at 2026-11-09T00:00:00Z; runs t2500_once | wc -l)" 1

# One scheduler on a database: a second one, or an overlapping --once,
# exits 1 naming the first's pid. SIGHUP reloads, SIGTERM ends it cleanly.
for d in daily nocatch end berlin once every trigger limit limit1; do
	updraft pause "t2500_$d" >/dev/null
done
start_scheduler
wait_for 5 "the scheduler to start" \
    grep -qs 'scheduler started' "$UPDRAFT_HOME/scheduler.log"
out=$(updraft scheduler --once 2>&1)
expect_eq "a second scheduler exits 1" "$?" 1
expect_eq "and names the first one's pid" "$out" \
    "updraft: another scheduler is running on '$UPDRAFT_HOME/updraft.db' (pid $scheduler_pid)"
kill -HUP "$scheduler_pid"
wait_for 5 "the configuration to be reloaded" \
    grep -qs 'configuration reloaded' "$UPDRAFT_HOME/scheduler.log"
expect_eq "SIGHUP reloads the configuration" \
    "$(grep -c 'configuration reloaded' "$UPDRAFT_HOME/scheduler.log")" 1
kill -0 "$scheduler_pid" && pass "and the scheduler goes on"
kill -TERM "$scheduler_pid"
wait "$scheduler_pid"
expect_eq "SIGTERM: the pass ends and it exits 0" "$?" 0
scheduler_pid=
expect_eq "saying so" "$(tail -1 "$UPDRAFT_HOME/scheduler.log")" "updraft: scheduler stopped"

dag t2500_badtt 'schedule = "@daily";' 'timetable = "cron";' 'start_date = "2026-11-01";'
out=$(updraft check "$UPDRAFT_HOME/dags/t2500_badtt.dag" 2>&1)
expect_eq "a bad timetable" "$out" \
    "$UPDRAFT_HOME/dags/t2500_badtt.dag:2: bad timetable 'cron': expected 'interval' or 'trigger'"

done_testing
