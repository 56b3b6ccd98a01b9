#!/bin/sh
# updraft site with BENCH_USERS (50) users made here by useradd, each with
# BENCH_DAGS (20) idle DAGs (unpaused, daily, first due in two days): for
# BENCH_SECONDS (60) once every scheduler has made its first pass, the
# RPCs slurmctld served those users (sdiag's per-user counts), the total
# RSS of the supervisor and its children (VmRSS), and their CPU time, per
# minute.
#
# Peer, measured in the same run: what the cheapest way to watch one's
# jobs costs, a cron-style `squeue -u USER -h` poll per user per minute
# (run once for each user, as that user): its RPCs, its CPU (user + sys
# of the polls' processes, runuser included, from the shell's `times`),
# and its peak RSS times the users (were they all to run at once). Ratios
# are Updraft's over the peer's. Updraft's CPU is /proc/PID/schedstat's
# time on a CPU, which counts below a clock tick. Root only.
. "$(dirname "$0")/lib.sh"

: "${BENCH_USERS:=50}"
: "${BENCH_DAGS:=20}"
: "${BENCH_SECONDS:=60}"
bench_need_slurm
if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null ||
    ! command -v sqlite3 >/dev/null || [ ! -x /usr/bin/time ]; then
	echo "$bench_name: needs root, useradd, sqlite3 and /usr/bin/time; skipped"
	exit 0
fi

group=ub$$g
users=
site=
bench_on_exit() {
	[ -n "$site" ] && kill "$site" 2>/dev/null && wait "$site" 2>/dev/null
	for u in $users; do
		userdel -f "$u" 2>/dev/null
	done
	groupdel "$group" 2>/dev/null
}
chmod 755 "$work"
mkdir -p "$work/etc" "$work/home"
cp "$(dirname "$SLURM_CONF")"/*.conf "$work/etc/"
chmod 644 "$work"/etc/*.conf
printf 'site_group = "%s";\nsite_env = ["SLURM_CONF"];\n' "$group" \
    > "$work/etc/updraft.conf"
chmod 644 "$work/etc/updraft.conf"
export SLURM_CONF="$work/etc/slurm.conf"
groupadd "$group" || exit 1

start=$(date -u -d '+2 days' +%Y-%m-%d)
i=0
while [ "$i" -lt "$BENCH_USERS" ]; do
	u=ub$$n$i
	h=$work/home/$u
	useradd -M -d "$h" -s /bin/sh -G "$group" "$u" || exit 1
	users="$users $u"
	mkdir -p "$h/updraft/dags"
	d=0
	while [ "$d" -lt "$BENCH_DAGS" ]; do
		printf '%s\n' 'schedule = "@daily";' "start_date = \"$start\";" \
		    'defaults = { time = "5"; mem = "10M"; };' \
		    'tasks = ({ id = "a"; command = "true"; },' \
		    '  { id = "b"; after = ["a"]; command = "true"; });' \
		    > "$h/updraft/dags/bench_site_$d.dag"
		d=$((d + 1))
	done
	chown -R "$u:$(id -g "$u")" "$h"
	chmod 755 "$h"
	i=$((i + 1))
done

# One pass each makes the databases; then every DAG is unpaused.
"$UPDRAFT_BIN" -c "$work/etc/updraft.conf" site --once || exit 1
for u in $users; do
	runuser -u "$u" -- sqlite3 "$work/home/$u/updraft/updraft.db" \
	    'UPDATE dag SET paused = 0' || exit 1
done

# The RPCs sdiag counts for our users, all together.
rpcs() {
	sdiag | awk -v p="ub$$n" '/statistics by user/ { on = 1; next }
	    on && /^$/ { on = 0 }
	    on && index($1, p) == 1 { sub(/.*count:/, ""); n += $1 }
	    END { print n + 0 }'
}
pids() {
	echo "$site"
	sed -n 's/.*started the scheduler of .* pid \([0-9]*\)).*/\1/p' "$work/site.log"
}
cpu_ns() {	# time on a CPU, all processes (schedstat: nanoseconds)
	for p in $(pids); do
		cat "/proc/$p/schedstat"
	done | awk '{ n += $1 } END { printf "%.0f", n }'
}
rss_kb() {
	for p in $(pids); do
		awk '/^VmRSS/ { print $2 }' "/proc/$p/status"
	done | awk '{ n += $1 } END { print n + 0 }'
}

r0=$(rpcs)
"$UPDRAFT_BIN" -c "$work/etc/updraft.conf" site 2> "$work/site.log" &
site=$!
n=0
while [ "$(grep -ls 'scheduler started' "$work"/home/*/updraft/scheduler.log |
    wc -l)" -lt "$BENCH_USERS" ]; do
	n=$((n + 1))
	[ "$n" -gt 600 ] && { echo "$bench_name: schedulers did not start" >&2; exit 1; }
	sleep 0.1
done
sleep 2
r1=$(rpcs)
t1=$(cpu_ns)
sleep "$BENCH_SECONDS"
r2=$(rpcs)
t2=$(cpu_ns)
rss=$(rss_kb)
nproc=$(pids | wc -l)
kill "$site"
wait "$site"
site=

# The peer: one minute of cron polls, `squeue -u USER`, one per user.
: > "$work/peer.time"
chmod 666 "$work/peer.time"
p0=$(rpcs)
(
	for u in $users; do
		runuser -u "$u" -- /usr/bin/time -f '%M' -a -o "$work/peer.time" \
		    squeue -u "$u" -h > /dev/null || exit 1
	done
	times
) > "$work/peer.times" || exit 1
p1=$(rpcs)
# The second line of times: the CPU of the polls' processes (runuser,
# time, squeue), user then system, as 0m0.250000s.
peer_cpu=$(sed -n 2p "$work/peer.times" | tr 'ms' '  ' |
    awk '{ printf "%.3f", $1 * 60 + $2 + $3 * 60 + $4 }')
peer_rss=$(awk '$1 > m { m = $1 } END { print m }' "$work/peer.time")

echo "$BENCH_USERS users of $BENCH_DAGS idle DAGs each, under updraft site" \
    "($nproc processes), over ${BENCH_SECONDS}s after the first passes"
printf '%-40s %12s %12s %8s\n' "what" "updraft" "peer" "ratio"
awk -v up=$((r2 - r1)) -v peer=$((p1 - p0)) -v s="$BENCH_SECONDS" 'BEGIN {
	printf "%-40s %12.1f %12d %7.2fx\n", "RPCs to slurmctld per minute",
	    up * 60 / s, peer, (peer > 0 ? up * 60 / s / peer : 0) }'
awk -v t=$((t2 - t1)) -v s="$BENCH_SECONDS" -v peer="$peer_cpu" 'BEGIN {
	u = t / 1e6 * 60 / s
	printf "%-40s %12.1f %12.1f %7.3fx\n", "CPU ms per minute", u,
	    peer * 1000, (peer > 0 ? u / peer / 1000 : 0) }'
awk -v k="$rss" -v p="$peer_rss" -v n="$BENCH_USERS" 'BEGIN {
	printf "%-40s %12.1f %12.1f %7.2fx\n", "RSS, all processes (MB)", k / 1024,
	    p * n / 1024, (p > 0 ? k / (p * n) : 0) }'
echo "start-up (first passes, $BENCH_USERS schedulers): $((r1 - r0)) RPCs"
echo "peer's RSS: the peak of one squeue poll times $BENCH_USERS (all at once)"
