#!/bin/sh
# The views (grid, gantt, graph, status) on a database of fixed runs, made
# without Slurm, against golden files in tests/golden/ (test_golden:
# UPDATE_GOLDEN=1 rewrites them from what updraft prints now).
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t4000_
export COLUMNS=100
unset TZ
got=$UPDRAFT_HOME/got

# Task ids out of graph order on purpose: graph order sorts by level.
cat > "$UPDRAFT_HOME/dags/t4000_etl.dag" <<'EOF'
schedule = "@daily";
start_date = "2026-11-01";
defaults = { time = "1"; mem = "10M"; };
tasks = (
  { id = "extract"; command = "true"; },
  { id = "load"; after = ["transform"]; command = "true"; },
  { id = "transform"; after = ["extract", "config"]; command = "true"; },
  { id = "config"; command = "true"; },
  { id = "report"; after = ["extract"]; command = "true"; }
);
EOF
cat > "$UPDRAFT_HOME/dags/t4000_hourly.dag" <<'EOF'
schedule = "every 6h";
start_date = "2026-11-05";
defaults = { time = "1"; mem = "10M"; };
tasks = ({ id = "fetch"; command = "true"; });
EOF
printf 'schedule = "@daily";\ntasks = (\n' > "$UPDRAFT_HOME/dags/t4000_broken.dag"

make_db t4000_hourly

ts() {
	date -u -d "$1" +%s
}

# run ID DAG RUN_ID LOGICAL STATE
run() {
	l=$(ts "$4")
	echo "INSERT INTO run (id, dag_id, run_id, run_type, state, logical_date,
	    interval_start, interval_end, created_at, start_date)
	    VALUES ($1, '$2', '$3', 'scheduled', '$5', $l, $l, $l, $l, $l);"
}

# ti RUN TASK STATE TRY JOB QUEUED START END [REASON]: times are empty or
# minutes:seconds after $base, in seconds since the epoch.
ti() {
	t() {
		if [ -z "$1" ]; then
			echo NULL
		else
			echo $((base + ${1%:*} * 60 + ${1#*:}))
		fi
	}
	echo "INSERT INTO task_instance (run, task_id, state, try_number,
	    job_id, queued_at, start_date, end_date, reason) VALUES ($1, '$2',
	    '$3', $4, ${5:-NULL}, $(t "${6:-}"), $(t "${7:-}"), $(t "${8:-}"),
	    $(if [ -n "${9:-}" ]; then printf "'%s'" "$(printf %s "$9" |
	    sed "s/'/''/g")"; else echo NULL; fi));"
}

{
	for i in 1 2 3 4 5 6; do
		case $i in
		3) s=failed ;; 5) s=running ;; 6) s=queued ;; *) s=success ;;
		esac
		run $i t4000_etl "scheduled__2026-11-0${i}T00:00:00+00:00" \
		    "2026-11-0$i" $s
	done
	# Each run's tasks start when its day is over.
	for i in 1 2; do
		base=$(ts 2026-11-0$((i + 1)))
		ti $i extract success 1 "${i}01" 0:05 1:05 11:05
		ti $i config success 1 "${i}02" 0:05 0:35 2:35
		ti $i transform success 1 "${i}03" 11:10 12:10 30:00
		ti $i report success 1 "${i}04" 11:10 11:40 20:00
		ti $i legacy success 1 "${i}05" 0:05 0:10 0:50
		ti $i load success 1 "${i}06" 30:05 31:00 45:00
	done
	base=$(ts 2026-11-04)
	ti 3 extract success 1 301 0:05 1:05 11:05
	ti 3 config success 1 302 0:05 0:35 2:35
	ti 3 transform failed 2 304 11:10 12:10 30:00 "exit code 1"
	ti 3 report success 1 305 11:10 11:40 20:00
	ti 3 load upstream_failed 0 "" "" "" "" "upstream 'transform' failed"
	base=$(ts 2026-11-05)
	ti 4 extract success 1 401 0:05 1:05 11:05
	ti 4 config success 1 402 0:05 0:35 2:35
	ti 4 transform success 2 404 11:10 12:10 30:00
	ti 4 report success 1 405 11:10 11:40 20:00
	ti 4 load success 1 406 30:05 31:00 45:00
	base=$(ts 2026-11-06)
	ti 5 extract success 1 501 0:05 1:05 11:05
	ti 5 config success 1 502 0:05 0:35 2:35
	ti 5 transform running 1 503 11:10 12:10 ""
	ti 5 report up_for_retry 1 504 11:10 11:40 20:00 "exit code 3"
	ti 5 load none 0
	for t in extract config transform report load; do
		ti 6 $t none 0
	done

	h=2026-11-05
	run 10 t4000_hourly "scheduled__${h}T00:00:00+00:00" "${h}T00:00" success
	run 11 t4000_hourly "scheduled__${h}T06:00:00+00:00" "${h}T06:00" failed
	run 12 t4000_hourly "scheduled__${h}T12:00:00+00:00" "${h}T12:00" running
	run 13 t4000_hourly "manual run" "${h}T12:30" failed
	base=$(ts ${h}T06:00)
	ti 10 fetch success 1 1001 0:05 0:10 0:20
	base=$(ts ${h}T12:00)
	ti 11 fetch failed 0 "" "" "" 0:01 "Slurm: invalid partition specified"
	base=$(ts ${h}T18:00)
	ti 12 fetch queued 1 1201 0:05 "" ""
	base=$(ts ${h}T12:30)
	ti 13 fetch failed 1 1301 0:05 0:06 0:07 "exit code 2"
} | sqlite3 "$UPDRAFT_HOME/updraft.db"
expect_eq "fixed runs inserted" "$(sqlite3 "$UPDRAFT_HOME/updraft.db" \
    'SELECT count(*) FROM task_instance')" 36

# Paths differ from run to run: show them as $UPDRAFT_HOME.
home() {
	sed "s|$UPDRAFT_HOME|\$UPDRAFT_HOME|g"
}

updraft grid t4000_etl --utc > "$got"
test_golden t4000-grid "$got" "grid: runs across, tasks in graph order, old tasks last"
COLUMNS=20 updraft grid t4000_etl --utc > "$got"
test_golden t4000-grid-narrow "$got" "grid: a narrow terminal shows the newest runs that fit"
updraft grid t4000_etl --utc --last 2 > "$got"
test_golden t4000-grid-last "$got" "grid --last: the newest N runs"
updraft grid t4000_hourly --utc > "$got"
test_golden t4000-grid-hourly "$got" "grid: sub-daily runs get an hour row"
updraft grid t4000_etl --json --last 3 > "$got"
test_golden t4000-grid-json "$got" "grid --json"
updraft gantt t4000_etl 2026-11-03 --utc > "$got"
test_golden t4000-gantt "$got" "gantt: waits and runs on one axis"
updraft graph t4000_etl > "$got"
test_golden t4000-graph "$got" "graph: tasks by level"
updraft graph t4000_etl --dot > "$got"
test_golden t4000-graph-dot "$got" "graph --dot"
updraft status --utc | home > "$got"
test_golden t4000-status "$got" "status"
updraft status --json | home > "$got"
test_golden t4000-status-json "$got" "status --json"

out=$(COLUMNS=20 updraft grid t4000_etl --utc | sed -n 1p)
expect_eq "grid: the title says how many runs are shown" "$out" \
    "t4000_etl: the newest 3 of 6 runs, logical dates 2026-11-04 00:00 to 2026-11-06 00:00 (UTC)"
out=$(TZ=Asia/Tokyo updraft grid t4000_etl --last 1 | sed -n '1p;4p')
expect_eq "grid: logical dates in local time by default" "$out" \
    "t4000_etl: the newest 1 of 6 runs, logical dates 2026-11-06 09:00 to 2026-11-06 09:00 (local time)
hour      09"
out=$(updraft gantt t4000_etl 2026-11-05 --utc | grep '^transform')
case "$out" in
"transform running "*" 1m "*"#") pass "gantt: a running task runs until now" ;;
*) fail "gantt: a running task runs until now: $out" ;;
esac
out=$(updraft gantt t4000_etl scheduled__2026-11-06T00:00:00+00:00)
expect_eq "gantt: a run not started yet" "$out" \
    "t4000_etl scheduled__2026-11-06T00:00:00+00:00: queued
no task of this run has been queued yet"

# A scheduler holds its lock (flock) and wrote its pid there.
lock=$UPDRAFT_HOME/scheduler.lock
echo 4242 > "$lock"
/usr/bin/python3 -c 'import fcntl, sys, time
f = open(sys.argv[1])
fcntl.flock(f, fcntl.LOCK_EX)
time.sleep(60)' "$lock" >/dev/null 2>&1 &
scheduler_pid=$!
i=0
while flock -n "$lock" true && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq "status: a scheduler holds the lock" \
    "$(updraft status | sed -n 1p)" "scheduler: running (pid 4242)"
expect_eq "status --json: the scheduler's pid" \
    "$(updraft status --json | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)["scheduler"]
print(s["running"], s["pid"])')" "True 4242"
kill "$scheduler_pid"
wait "$scheduler_pid" 2>/dev/null
scheduler_pid=
expect_eq "status: the lock let go" "$(updraft status | sed -n 1p)" \
    "scheduler: not running"

for verb in grid gantt graph status; do
	out=$(updraft $verb -h)
	case "$out" in
	"usage: updraft $verb "*) pass "$verb -h" ;;
	*) fail "$verb -h: $out" ;;
	esac
done

expect_usage() {
	out=$(updraft "$@" 2>&1)
	expect_eq "updraft $* exits 2" "$?" 2
	case "$out" in
	*"usage: updraft $1 "*) pass "updraft $* prints the usage" ;;
	*) fail "updraft $* prints the usage: $out" ;;
	esac
}
expect_usage grid
expect_usage grid t4000_etl extra
expect_usage grid t4000_etl --frob
expect_usage gantt t4000_etl
expect_usage graph
expect_usage graph t4000_etl --json
expect_usage status extra
out=$(updraft grid t4000_etl --last 0 2>&1)
expect_eq "grid --last 0 exits 2, as runs --last 0" "$?" 2
expect_eq "grid --last 0 message" "$out" "updraft: bad --last '0': expected a number from 1 to 100000"

for verb in grid graph; do
	out=$(updraft $verb x 2>&1)
	expect_eq "$verb: unknown dag exits 1" "$?" 1
	expect_eq "$verb: unknown dag message" "$out" "updraft: cannot find dag 'x'"
done
out=$(updraft gantt x 2026-11-03 2>&1)
expect_eq "gantt: unknown dag exits 1" "$?" 1
expect_eq "gantt: unknown dag message" "$out" "updraft: cannot find dag 'x'"
out=$(updraft gantt t4000_etl 2027-01-01 2>&1)
expect_eq "gantt: unknown run exits 1" "$?" 1
expect_eq "gantt: unknown run message" "$out" \
    "updraft: cannot find run '2027-01-01' of dag 't4000_etl'"
out=$(updraft graph t4000_broken 2>&1)
expect_eq "graph: a dag that does not load exits 1" "$?" 1
case "$out" in
"updraft: cannot load dag 't4000_broken': "*) pass "graph: says why the dag does not load" ;;
*) fail "graph: says why the dag does not load: $out" ;;
esac

done_testing
