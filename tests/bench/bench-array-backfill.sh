#!/bin/sh
# The cost of a backfill on Slurm: 1,000 daily intervals of a 5-task DAG
# (BENCH_INTERVALS, BENCH_TASKS), run by the scheduler as job arrays, against
# the same backfill with one job per task instance (UPDRAFT_NO_ARRAYS=1).
#
# Figures, for each way: submissions (distinct Slurm jobs the database
# records: an array counts once); RPCs, as the scheduler counts the requests
# it sent (its last words: "N requests to Slurm, M of them submissions"),
# and as the controller's sdiag counts every RPC it served meanwhile (all
# message types, all users: on a shared controller that includes what else
# ran, and "reset" when its counters were reset during the run); the wall
# time from the scheduler's start until the backfill is done. The tasks are
# `true`, in a chain, --max-active 32. Goal: at most 5 submissions.
. "$(dirname "$0")/lib.sh"

: "${BENCH_INTERVALS:=1000}"
: "${BENCH_TASKS:=5}"
: "${BENCH_TIMEOUT:=3600}"
bench_need_slurm

# bench MODE: one backfill on a fresh home; prints
# "submissions our_rpcs served_rpcs seconds".
bench() {
	home=$work/$1
	mkdir -p "$home/dags"
	printf 'poll_interval = 1;\n' > "$home/updraft.conf"
	{
		printf '%s\n' 'schedule = "@daily";' 'start_date = "2020-01-01";' \
		    'catchup = false;' 'defaults = { time = "5"; mem = "10M"; };' \
		    'tasks = ('
		t=1
		while [ "$t" -le "$BENCH_TASKS" ]; do
			after=
			[ "$t" -gt 1 ] && after="after = \"t$((t - 1))\"; "
			sep=,
			[ "$t" -eq "$BENCH_TASKS" ] && sep=
			printf '  { id = "t%d"; %scommand = "true"; }%s\n' "$t" "$after" "$sep"
			t=$((t + 1))
		done
		printf ');\n'
	} > "$home/dags/bench_array_$1.dag"
	to=$(date -u -d "2020-01-01 + $((BENCH_INTERVALS - 1)) days" +%Y-%m-%d)
	UPDRAFT_HOME=$home "$UPDRAFT_BIN" backfill "bench_array_$1" \
	    --from 2020-01-01 --to "$to" --max-active 32 >/dev/null || exit 1
	a0=$(bench_sdiag_rpcs "")
	t0=$(date +%s.%N)
	if [ "$1" = jobs ]; then
		UPDRAFT_NO_ARRAYS=1 UPDRAFT_HOME=$home "$UPDRAFT_BIN" scheduler \
		    > "$home/log" 2>&1 &
	else
		UPDRAFT_HOME=$home "$UPDRAFT_BIN" scheduler > "$home/log" 2>&1 &
	fi
	pid=$!
	deadline=$(( $(date +%s) + BENCH_TIMEOUT ))
	until [ "$(UPDRAFT_HOME=$home "$UPDRAFT_BIN" backfills --json |
	    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" = done ]; do
		if [ "$(date +%s)" -gt "$deadline" ]; then
			echo "bench-array-backfill: $1: not done in ${BENCH_TIMEOUT}s" >&2
			exit 1
		fi
		sleep 1
	done
	t1=$(date +%s.%N)
	kill "$pid"
	wait "$pid"
	pid=
	a1=$(bench_sdiag_rpcs "")
	ours=$(sed -n 's/^updraft: \([0-9]*\) requests to Slurm.*/\1/p' "$home/log" | tail -1)
	[ "$a1" -ge "$a0" ] && served=$((a1 - a0)) || served=reset
	db=$home/updraft.db
	ok=$(sqlite3 "$db" "SELECT count(*) FROM task_instance WHERE state = 'success'")
	want=$((BENCH_INTERVALS * BENCH_TASKS))
	[ "$ok" = "$want" ] || { echo "bench-array-backfill: $1: $ok of $want tasks succeeded" >&2; exit 1; }
	# Every try's job: an array once, whatever its elements.
	subs=$(sqlite3 "$db" "SELECT count(DISTINCT job_id) FROM task_instance")
	echo "$subs $ours $served $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')"
}

arrays=$(bench arrays) || exit 1
jobs=$(bench jobs) || exit 1
set -- $arrays
as=$1 ar=$2 aa=$3 at=$4
set -- $jobs
js=$1 jr=$2 ja=$3 jt=$4
printf '%s intervals x %s tasks\n' "$BENCH_INTERVALS" "$BENCH_TASKS"
printf '%-28s %10s %10s %8s\n' "" "arrays" "jobs" "ratio"
printf '%-28s %10s %10s %8s\n' "submissions" "$as" "$js" \
    "$(echo "$js $as" | awk '{ printf "%.0fx", $1 / $2 }')"
printf '%-28s %10s %10s %8s\n' "RPCs sent by updraft" "$ar" "$jr" \
    "$(echo "$jr $ar" | awk '{ printf "%.1fx", $1 / ($2 > 0 ? $2 : 1) }')"
printf '%-28s %10s %10s %8s\n' "RPCs served (sdiag, shared)" "$aa" "$ja" \
    "$(echo "$ja $aa" | awk '$1 + 0 > 0 && $2 + 0 > 0 { printf "%.1fx", $1 / $2; next } { print "-" }')"
printf '%-28s %10s %10s %8s\n' "wall time s" "$at" "$jt" \
    "$(echo "$jt $at" | awk '{ printf "%.2fx", $1 / $2 }')"
echo "goal: at most 5 submissions with arrays"
[ "$as" -le 5 ] || [ "$BENCH_INTERVALS" -gt 1001 ]
