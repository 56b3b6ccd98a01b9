#!/bin/sh
# Latency from an upstream job's end to its downstream job's submission:
# a chain DAG t1 -> t2 -> ... -> tN (BENCH_CHAIN, default 50) of tasks that
# only write the time, under a daemon scheduler at its default settings.
#
# Updraft: the upstream's end is the modification time of its marker file
# (the wrapper writes it as the job ends; nanoseconds), the downstream's
# submission the moment the scheduler logs "submitted" (each log line is
# stamped as it arrives, through a pipe). The database holds both times too,
# but in whole seconds, too coarse for a goal of 1 s. Goal: median <= 1 s.
# Peers: the 4-6 s between tasks reported for Airflow (a figure from the
# literature), and, measured here, a chain of the same N jobs submitted at
# once with `sbatch --dependency=afterok`, where Slurm itself releases each
# job. Both chains also give "end -> start": the next job's first command
# against the last one's, as each job writes them, which is what the peer
# has and includes Slurm's own start-up delay.
. "$(dirname "$0")/lib.sh"

: "${BENCH_CHAIN:=50}"
N=$BENCH_CHAIN
chmod 755 "$work"
prefix=blat$$_
bench_prefix=$prefix
bench_need_slurm

# Median, minimum and maximum of the numbers on stdin.
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
	    if (NR == 0) { print "- - - 0"; exit }
	    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	    printf "%.3f %.3f %.3f %d\n", m, v[1], v[NR], NR }'
}
stamp() {
	printf 'date +%%s.%%N > %s/%s' "$work/times" "$1"
}
mkdir -p "$work/times"

# Updraft.
export UPDRAFT_HOME=$work/home
mkdir -p "$UPDRAFT_HOME/dags"
dag=${prefix}u
{
	echo 'schedule = "none";'
	echo 'tasks = ('
	i=1
	while [ "$i" -le "$N" ]; do
		after=
		[ "$i" -gt 1 ] && after="after = \"t$((i - 1))\"; "
		sep=,
		[ "$i" = "$N" ] && sep=
		echo "  { id = \"t$i\"; ${after}command = \"$(stamp "u$i.s"); $(stamp "u$i.e")\"; }$sep"
		i=$((i + 1))
	done
	echo ');'
} > "$UPDRAFT_HOME/dags/$dag.dag"
"$UPDRAFT_BIN" unpause "$dag" > /dev/null || exit 1
"$UPDRAFT_BIN" trigger "$dag" > /dev/null || exit 1
mkfifo "$work/fifo"
perl -MTime::HiRes=time -ne '$| = 1; printf "%.6f %s", time, $_' \
    < "$work/fifo" > "$work/sched.log" &
"$UPDRAFT_BIN" scheduler 2> "$work/fifo" &
pid=$!
deadline=$(( $(date +%s) + 60 + 10 * N ))
while :; do
	state=$("$UPDRAFT_BIN" runs "$dag" --json 2>/dev/null |
	    sed -n 's/.*"state": *"\([a-z_]*\)".*/\1/p' | head -1)
	[ "$state" = success ] && break
	[ "$state" = failed ] || [ "$(date +%s)" -gt "$deadline" ] &&
	    { echo "bench-latency: the chain ended '$state'" >&2; exit 1; }
	sleep 1
done
kill "$pid"
wait "$pid" 2>/dev/null
pid=
trouble=$(grep -c 'trying again' "$work/sched.log")

: > "$work/u.submit"
: > "$work/u.start"
i=1
while [ "$i" -lt "$N" ]; do
	marker=$(ls "$UPDRAFT_HOME"/markers/"$dag"__t"$i"__*__1__*.exit)
	end=$(stat -c %.9Y "$marker")
	sub=$(awk -v t=" t$((i + 1)): submitted try 1 " 'index($0, t) { print $1; exit }' \
	    "$work/sched.log")
	echo "$end $sub" | awk '{ printf "%.6f\n", $2 - $1 }' >> "$work/u.submit"
	echo "$(cat "$work/times/u$i.e") $(cat "$work/times/u$((i + 1)).s")" |
	    awk '{ printf "%.6f\n", $2 - $1 }' >> "$work/u.start"
	i=$((i + 1))
done

# The sbatch --dependency=afterok chain: every job submitted at once.
prev=
i=1
while [ "$i" -le "$N" ]; do
	dep=
	[ -n "$prev" ] && dep="--dependency=afterok:$prev"
	prev=$(sbatch --parsable -Q -J "${prefix}s$i" $dep -o /dev/null \
	    -D "$work" --wrap "$(stamp "s$i.s"); $(stamp "s$i.e")") || exit 1
	i=$((i + 1))
done
deadline=$(( $(date +%s) + 60 + 10 * N ))
while [ ! -s "$work/times/s$N.e" ]; do
	[ "$(date +%s)" -gt "$deadline" ] &&
	    { echo "bench-latency: the sbatch chain did not end" >&2; exit 1; }
	sleep 1
done
: > "$work/s.start"
i=1
while [ "$i" -lt "$N" ]; do
	echo "$(cat "$work/times/s$i.e") $(cat "$work/times/s$((i + 1)).s")" |
	    awk '{ printf "%.6f\n", $2 - $1 }' >> "$work/s.start"
	i=$((i + 1))
done

echo "chain of $N tasks, $((N - 1)) gaps, seconds"
printf '%-46s %8s %8s %8s\n' "gap" "median" "min" "max"
row() {
	set -- "$1" $(stats < "$2")
	printf '%-46s %8s %8s %8s\n' "$1" "$2" "$3" "$4"
}
row "updraft: upstream end -> downstream submitted" "$work/u.submit"
row "updraft: upstream end -> downstream start" "$work/u.start"
row "sbatch afterok: upstream end -> downstream start" "$work/s.start"
printf '%-46s %8s\n' "Airflow (reported): between tasks" "4-6"
echo "goal: updraft's median end -> submitted <= 1 s"
[ "$trouble" -gt 0 ] && echo "note: the controller turned submissions away" \
    "$trouble time(s) (busy shared cluster); the scheduler backed off"
exit 0
