#!/bin/sh
# An idle scheduler with 1,000 DAG files of 10 tasks each: its resident
# memory and the CPU time of one pass when nothing is due.
#
# The DAGs are unpaused, with schedule = "none": every pass looks at every
# file and every DAG, and nothing is submitted, so no Slurm is needed. The
# scheduler runs as a daemon at -v; each pass is started by a write to its
# wake file (as a verb would do) and counted by its "pass took" log line.
# CPU per pass: utime + stime from /proc/PID/stat over BENCH_PASSES passes
# (default 200), and the run time from /proc/PID/schedstat (nanoseconds) as
# a cross-check. RSS: VmRSS and VmHWM from /proc/PID/status after them.
# Goals: RSS <= 20 MB, CPU per idle pass <= 5 ms. Peer: Airflow's
# scheduler, reported at 100-500 MB resident (a figure from the
# literature, not measured here); measured here: the RSS of `sleep`, the
# smallest process the same libc makes, and of a one-shot `updraft list`.
. "$(dirname "$0")/lib.sh"

: "${BENCH_PASSES:=200}"
: "${BENCH_DAGS:=1000}"
export UPDRAFT_HOME=$work
mkdir -p "$work/dags"

i=0
while [ "$i" -lt "$BENCH_DAGS" ]; do
	{
		echo 'schedule = "none";'
		echo 'tasks = ('
		for t in 0 1 2 3 4 5 6 7 8; do
			echo "  { id = \"t$t\"; command = \"echo $i $t\"; },"
		done
		echo '  { id = "t9"; after = ["t0", "t8"]; command = "true"; }'
		echo ');'
	} > "$work/dags/bench_idle_$i.dag"
	i=$((i + 1))
done
printf 'poll_interval = 1;\n' > "$work/updraft.conf"
"$UPDRAFT_BIN" scheduler --once 2>/dev/null
sqlite3 "$work/updraft.db" "UPDATE dag SET paused = 0" || exit 1

passes() {
	bench_passes "$work/log"
}
wait_passes() {
	bench_wait_passes "$work/log" "$1"
}
cpu_ticks() {
	# Fields 14 and 15 of /proc/PID/stat, after the command's ")".
	sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }'
}
cpu_ns() {
	awk '{ print $1 }' "/proc/$pid/schedstat"
}

"$UPDRAFT_BIN" -v scheduler > "$work/log" 2>&1 &
pid=$!
wait_passes 1
first=$(grep -m1 'dag files' "$work/log" | sed 's/^updraft: dag files: //')
sleep 0.2
t0=$(cpu_ticks)
n0=$(cpu_ns)
start=$(passes)
k=0
while [ "$k" -lt "$BENCH_PASSES" ]; do
	: > "$work/wake"
	wait_passes $((start + k + 1))
	k=$((k + 1))
done
sleep 0.1
t1=$(cpu_ticks)
n1=$(cpu_ns)
done_passes=$(( $(passes) - start ))
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
last=$(grep 'dag files' "$work/log" | tail -1 | sed 's/^updraft: dag files: //')
kill "$pid"
wait "$pid" 2>/dev/null
pid=
hz=$(getconf CLK_TCK)

sleep 1 & spid=$!
sleep 0.2
sleep_rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$spid/status")
wait "$spid"
list_rss=$( { /usr/bin/time -f '%M' "$UPDRAFT_BIN" list > /dev/null; } 2>&1 | tail -1)

echo "dags: $BENCH_DAGS files of 10 tasks; first pass: $first; idle passes: $last"
printf '%-34s %12s %12s\n' "what" "updraft" "goal"
printf '%-34s %12s %12s\n' "RSS after $done_passes passes (MB)" \
    "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "20"
printf '%-34s %12s %12s\n' "peak RSS, first pass included (MB)" \
    "$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')" "20"
printf '%-34s %12s %12s\n' "CPU per idle pass, stat (ms)" \
    "$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v n="$done_passes" \
    'BEGIN { printf "%.2f", (b - a) * 1000 / hz / n }')" "5"
printf '%-34s %12s %12s\n' "CPU per idle pass, schedstat (ms)" \
    "$(awk -v a="$n0" -v b="$n1" -v n="$done_passes" \
    'BEGIN { printf "%.2f", (b - a) / 1e6 / n }')" "5"
printf '%-34s %12s\n' "peer: Airflow scheduler (MB)" "100-500"
printf '%-34s %12s\n' "peer: RSS of sleep(1) (MB)" \
    "$(awk -v k="$sleep_rss" 'BEGIN { printf "%.1f", k / 1024 }')"
[ -n "$list_rss" ] && printf '%-34s %12s\n' "peer: peak RSS of updraft list (MB)" \
    "$(awk -v k="$list_rss" 'BEGIN { printf "%.1f", k / 1024 }')"
printf '%-34s %12s\n' "ratio, Airflow's 100 MB / RSS" \
    "$(awk -v k="$rss" 'BEGIN { printf "%.0fx", 100 * 1024 / k }')"
