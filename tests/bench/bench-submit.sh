#!/bin/sh
# Submission throughput for ready tasks: Updraft's submission pass against a
# shell loop of `sbatch` (how scrontab-style wrappers and Airflow's Slurm
# operators submit, one process per job) and against a C loop of
# slurm_submit_batch_job (submit-peer.c: the controller's own limit).
#
# Each submits BENCH_JOBS (default 500) identical jobs that cannot start
# but one at a time (partition gpu, all of the node's two GPUs, `sleep
# 300`), and every job is cancelled as soon as it is counted. Updraft: a
# DAG of BENCH_JOBS independent tasks, triggered, then one timed `updraft
# scheduler --once` on a fresh home (process start, loading the DAG,
# starting the run, submitting every task and recording each job id).
# Times are whole commands, the best of BENCH_RUNS (default 1) rounds of
# all three. Mind the shared controller: a cancelled job stays in its
# memory for MinJobAge (300 s here), and each round leaves 3 x BENCH_JOBS
# of them against MaxJobCount (10,000 by default), past which every
# submission on the cluster is refused for a while. Goals: >= 4x the sbatch loop, >= 0.8x the C loop (ratio: the
# peer's time over Updraft's).
. "$(dirname "$0")/lib.sh"

: "${BENCH_SUBMIT_PEER:=$(dirname "$UPDRAFT_BIN")/tests/bench/submit-peer}"
: "${BENCH_JOBS:=500}"
: "${BENCH_RUNS:=1}"
N=$BENCH_JOBS
prefix=bsub$$_
bench_prefix=$prefix
bench_need_slurm
[ -x "$BENCH_SUBMIT_PEER" ] ||
    { echo "bench-submit: $BENCH_SUBMIT_PEER missing (make bench builds it)" >&2; exit 1; }

check_count() {
	got=$(bench_cancel)
	[ "$got" = "$N" ] || { echo "bench-submit: $1 left $got jobs, want $N" >&2; exit 1; }
}

# Updraft's DAG: BENCH_JOBS independent tasks, as the peers' jobs.
dag=${prefix}u
bench_waiting_dag "$N" "$work/$dag.dag"
u_s= sb_s= c_s=
run=0
while [ "$run" -lt "$BENCH_RUNS" ]; do
	run=$((run + 1))

	# The C loop.
	t0=$(bench_now)
	"$BENCH_SUBMIT_PEER" "$N" "${prefix}c" gpu gpu:2 > /dev/null || exit 1
	t1=$(bench_now)
	c_s=$(bench_best "$c_s" "$(bench_elapsed "$t0" "$t1")")
	check_count "the C loop"

	# The sbatch loop.
	t0=$(bench_now)
	i=0
	while [ "$i" -lt "$N" ]; do
		sbatch --parsable -Q -J "${prefix}sbatch" -p gpu --gres=gpu:2 \
		    -o /dev/null -D /tmp --wrap 'sleep 300' > /dev/null || exit 1
		i=$((i + 1))
	done
	t1=$(bench_now)
	sb_s=$(bench_best "$sb_s" "$(bench_elapsed "$t0" "$t1")")
	check_count "the sbatch loop"

	# Updraft, on a fresh home: the run is triggered, the pass submits.
	export UPDRAFT_HOME=$work/home$run
	mkdir -p "$UPDRAFT_HOME/dags"
	cp "$work/$dag.dag" "$UPDRAFT_HOME/dags/"
	printf 'max_submit_per_pass = %d;\nmax_queued_jobs = %d;\n' "$N" "$N" \
	    > "$UPDRAFT_HOME/updraft.conf"
	"$UPDRAFT_BIN" unpause "$dag" > /dev/null || exit 1
	"$UPDRAFT_BIN" trigger "$dag" > /dev/null || exit 1
	t0=$(bench_now)
	"$UPDRAFT_BIN" scheduler --once 2> "$work/u.log" || exit 1
	t1=$(bench_now)
	u_s=$(bench_best "$u_s" "$(bench_elapsed "$t0" "$t1")")
	submitted=$(grep -c 'submitted try 1 as job' "$work/u.log")
	check_count "updraft ($submitted submitted)"
done

printf '%-44s %10s %10s %10s\n' "submitting $N jobs, best of $BENCH_RUNS" "seconds" "jobs/s" "updraft is"
row() {
	printf '%-44s %10s %10s %10s\n' "$1" "$2" \
	    "$(echo "$N $2" | awk '{ printf "%.0f", $1 / $2 }')" "$3"
}
row "updraft scheduler --once" "$u_s" ""
row "sbatch loop (one process per job)" "$sb_s" \
    "$(echo "$sb_s $u_s" | awk '{ printf "%.2fx", $1 / $2 }')"
row "C loop of slurm_submit_batch_job" "$c_s" \
    "$(echo "$c_s $u_s" | awk '{ printf "%.2fx", $1 / $2 }')"
echo "goals: >= 4x the sbatch loop, >= 0.8x the C loop"
