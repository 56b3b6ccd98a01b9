# Shared by the scheduler benchmarks (sourced; not a benchmark itself).

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
		[ "$n" -gt 3000 ] && { echo "$0: no pass" >&2; exit 1; }
		sleep 0.01
	done
}

# A fresh UPDRAFT_HOME for a command-line benchmark named $1, removed on
# exit, with sqlite3 (the peer) at hand; sets db to its database's path.
bench_cli_home() {
	if ! command -v sqlite3 >/dev/null; then
		echo "$1: no sqlite3: run scripts/install-deps" >&2
		exit 1
	fi
	UPDRAFT_HOME=$(mktemp -d "${TMPDIR:-/tmp}/updraft-$1.XXXXXX")
	export UPDRAFT_HOME
	unset UPDRAFT_CONFIG TZ
	export NO_COLOR=1
	trap 'rm -rf "$UPDRAFT_HOME"' EXIT
	mkdir -p "$UPDRAFT_HOME/dags"
	db=$UPDRAFT_HOME/updraft.db
}
