#!/bin/sh
# Controller load: slurmctld RPCs per scheduler pass with BENCH_ACTIVE
# (default 1,000) active jobs, against per-job `squeue -j` polling.
#
# Updraft submits a DAG of BENCH_ACTIVE independent tasks that cannot start
# but one at a time (partition gpu, both GPUs, `sleep 300`); then a daemon
# scheduler makes BENCH_PASSES passes (default 10, each woken through its
# wake file, after a first one that also reads the partitions, as it does
# every five minutes). Counted two ways:
#  - exact, for our process alone: its connections to the controller's port
#    (one per RPC in Slurm 22.05), under `strace -e connect`;
#  - from the controller: `sdiag -r`, then `sdiag` after the passes, every
#    RPC type summed. The cluster is shared, so this counts every user's
#    RPCs in the window: the least of BENCH_WINDOWS windows (default 3) is
#    an upper bound.
# Peer: one `squeue -j ID` per active job, as per-job pollers do; its RPCs
# per call are counted the same exact way over BENCH_SQUEUE (default 20)
# calls and multiplied by BENCH_ACTIVE. Goal: <= 2 RPCs per pass.
. "$(dirname "$0")/lib.sh"

: "${BENCH_ACTIVE:=1000}"
: "${BENCH_PASSES:=10}"
: "${BENCH_WINDOWS:=3}"
: "${BENCH_SQUEUE:=20}"
N=$BENCH_ACTIVE
prefix=brpc$$_
bench_prefix=$prefix
spid=
# strace's child, the scheduler, goes with it.
bench_on_exit() {
	[ -n "$spid" ] && kill "$(sed -n 's/.*scheduler started (pid \([0-9]*\),.*/\1/p' \
	    "$work/sched.log")" "$spid" 2>/dev/null
}
bench_need_slurm
command -v strace >/dev/null ||
    { echo "bench-rpc: strace missing; skipped"; exit 0; }
port=$(scontrol show config | awk '$1 == "SlurmctldPort" { print $3 }')

export UPDRAFT_HOME=$work/home
mkdir -p "$UPDRAFT_HOME/dags"
dag=${prefix}u
printf 'max_submit_per_pass = %d;\nmax_queued_jobs = %d;\n' "$N" "$N" \
    > "$UPDRAFT_HOME/updraft.conf"
bench_waiting_dag "$N" "$UPDRAFT_HOME/dags/$dag.dag"
"$UPDRAFT_BIN" unpause "$dag" > /dev/null || exit 1
"$UPDRAFT_BIN" trigger "$dag" > /dev/null || exit 1
"$UPDRAFT_BIN" scheduler --once 2> "$work/submit.log" || exit 1
active=$(squeue -h -o '%j' | awk -v p="$prefix" 'index($1, p) == 1' | wc -l)
[ "$active" = "$N" ] ||
    { echo "bench-rpc: $active jobs active, want $N" >&2; exit 1; }

# Connections to the controller in an strace log: one per RPC.
rpcs() {
	grep -c "sin_port=htons($port)" "$1"
}
passes() {
	bench_passes "$work/sched.log"
}
wait_passes() {
	bench_wait_passes "$work/sched.log" "$1"
}

strace -f -qq -e trace=connect -o "$work/trace" \
    "$UPDRAFT_BIN" -v scheduler 2> "$work/sched.log" &
spid=$!
wait_passes 1
sleep 0.5
before=$(rpcs "$work/trace")
start=$(passes)
best_sdiag=
w=0
while [ "$w" -lt "$BENCH_WINDOWS" ]; do
	sdiag -r > /dev/null
	k=0
	while [ "$k" -lt "$BENCH_PASSES" ]; do
		: > "$UPDRAFT_HOME/wake"
		wait_passes $((start + w * BENCH_PASSES + k + 1))
		k=$((k + 1))
	done
	total=$(bench_sdiag_rpcs "")
	best_sdiag=$(awk -v a="$best_sdiag" -v b="$total" \
	    'BEGIN { if (a == "" || b < a) print b; else print a }')
	w=$((w + 1))
done
sleep 0.2
done_passes=$(( $(passes) - start ))
ours=$(( $(rpcs "$work/trace") - before ))
first=$(rpcs "$work/trace")
first=$((first - ours))
# Stop the scheduler itself (its pid is in its log), then strace ends.
kill "$(sed -n 's/.*scheduler started (pid \([0-9]*\),.*/\1/p' "$work/sched.log")"
wait "$spid" 2>/dev/null
spid=

# The peer: squeue -j for single jobs.
ids=$(squeue -h -o '%i %j' | awk -v p="$prefix" 'index($2, p) == 1 { print $1 }' |
    head -n "$BENCH_SQUEUE")
: > "$work/peer.trace"
for id in $ids; do
	strace -f -qq -e trace=connect -o "$work/one.trace" squeue -h -j "$id" \
	    > /dev/null
	cat "$work/one.trace" >> "$work/peer.trace"
done
calls=$(echo "$ids" | grep -c .)
peer=$(rpcs "$work/peer.trace")

echo "$N active jobs; $done_passes passes measured"
printf '%-52s %10s\n' "RPCs" "per pass"
printf '%-52s %10s\n' "updraft, its own connections (exact)" \
    "$(awk -v a="$ours" -v n="$done_passes" 'BEGIN { printf "%.2f", a / n }')"
printf '%-52s %10s\n' "updraft, first pass (partitions read too)" "$first"
printf '%-52s %10s\n' "controller, all users, least of $BENCH_WINDOWS windows" \
    "$(awk -v a="$best_sdiag" -v n="$BENCH_PASSES" 'BEGIN { printf "%.2f", a / n }')"
printf '%-52s %10s\n' "peer: squeue -j per job ($calls calls measured)" \
    "$(awk -v a="$peer" -v c="$calls" -v n="$N" 'BEGIN { printf "%.0f", a / c * n }')"
printf '%-52s %10s\n' "ratio, peer / updraft" \
    "$(awk -v a="$ours" -v n="$done_passes" -v p="$peer" -v c="$calls" -v j="$N" \
    'BEGIN { printf "%.0fx", (p / c * j) / (a / n) }')"
echo "goal: <= 2 RPCs per pass"
