# Shared by the benchmarks, sourced first by each bench-*.sh (not a
# benchmark itself): the binary, a work folder, clean-up at exit, timing,
# the scheduler's passes and Slurm's counters.
#
# After sourcing: $UPDRAFT_BIN; $work, a fresh folder removed at exit;
# UPDRAFT_CONFIG unset and NO_COLOR set. At exit the process in $pid (the
# scheduler a benchmark starts) is killed, the Slurm jobs whose names start
# with $bench_prefix are cancelled, and bench_on_exit runs if defined.

set -u

: "${UPDRAFT_BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/updraft}"
bench_name=$(basename "$0" .sh)
work=$(mktemp -d "${TMPDIR:-/tmp}/updraft-$bench_name.XXXXXX")
unset UPDRAFT_CONFIG
export NO_COLOR=1
pid=
bench_prefix=

bench_cleanup() {
	command -v bench_on_exit >/dev/null && bench_on_exit
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$bench_prefix" ] && bench_cancel >/dev/null
	rm -rf "$work"
}
trap bench_cleanup EXIT

# Unless a Slurm controller answers, say so and exit 0 (skipped).
bench_need_slurm() {
	command -v sbatch >/dev/null && squeue -h >/dev/null 2>&1 && return
	echo "$bench_name: no Slurm answers (SLURM_CONF); skipped"
	exit 0
}

# Cancel the jobs whose names start with $bench_prefix; print how many.
bench_cancel() {
	bench_ids=$(squeue -h -o '%i %j' 2>/dev/null | awk -v p="$bench_prefix" \
	    'index($2, p) == 1 { print $1 }')
	[ -n "$bench_ids" ] && echo "$bench_ids" | xargs -n 200 scancel 2>/dev/null
	echo "$bench_ids" | grep -c .
}

# The wall clock in seconds, to the nanosecond; seconds from $1 to $2; the
# smaller of $1 (empty at first) and $2.
bench_now() {
	date +%s.%N
}
bench_elapsed() {
	echo "$1 $2" | awk '{ printf "%.6f", $2 - $1 }'
}
bench_best() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b < a) print b; else print a }'
}

# The RPCs sdiag says the controller served, of message type $1, or of
# every type ("").
bench_sdiag_rpcs() {
	sdiag | awk -v t="$1" '/statistics by message type/ { on = 1; next }
	    on && /^$/ { on = 0 }
	    on && (t == "" || $1 == t) { sub(/.*count:/, ""); n += $1 }
	    END { print n + 0 }'
}

# Write a DAG of $1 independent tasks to $2: jobs that wait, all but one at
# a time (partition gpu, both of the node's GPUs, `sleep 300`).
bench_waiting_dag() {
	{
		echo 'schedule = "none";'
		echo 'defaults = { partition = "gpu"; gres = "gpu:2"; };'
		echo 'tasks = ('
		i=1
		while [ "$i" -le "$1" ]; do
			sep=,
			[ "$i" = "$1" ] && sep=
			echo "  { id = \"t$i\"; command = \"sleep 300\"; }$sep"
			i=$((i + 1))
		done
		echo ');'
	} > "$2"
}

# The passes a scheduler at -v has logged to $1; wait until they reach $2.
bench_passes() {
	grep -c 'pass took' "$1"
}
bench_wait_passes() {
	n=0
	while [ "$(bench_passes "$1")" -lt "$2" ]; do
		n=$((n + 1))
		[ "$n" -gt 3000 ] && { echo "$bench_name: no pass" >&2; exit 1; }
		sleep 0.01
	done
}

# The work folder as UPDRAFT_HOME for a command-line benchmark named $1,
# with sqlite3 (the peer) at hand; sets db to its database's path.
bench_cli_home() {
	if ! command -v sqlite3 >/dev/null; then
		echo "$1: no sqlite3: run scripts/install-deps" >&2
		exit 1
	fi
	UPDRAFT_HOME=$work
	export UPDRAFT_HOME
	unset TZ
	mkdir -p "$UPDRAFT_HOME/dags"
	db=$UPDRAFT_HOME/updraft.db
}
