#!/bin/sh
# Planning and storing a backfill of 100,000 hourly intervals, against a
# raw sqlite3 bulk insert of the same rows.
#
# updraft: `updraft backfill DAG --from --to` on a fresh home, whole command
# timed (process start, loading the DAG, opening and migrating the
# database, computing 100,000 intervals in the DAG's zone, one transaction
# of 100,000 rows). Peer: the sqlite3 shell running one transaction of
# 100,000 INSERTs of the same rows into a table of the same shape, on a WAL
# database. Best of BENCH_RUNS runs (default 3). Goal: within 3x.
. "$(dirname "$0")/lib.sh"

: "${BENCH_RUNS:=3}"
N=100000

# The peer's rows: the logical date and interval of each hour.
start=1420070400	# 2015-01-01T00:00:00Z
{
	echo "PRAGMA journal_mode = WAL;"
	echo "CREATE TABLE item (backfill INTEGER, logical_date INTEGER, interval_start INTEGER, interval_end INTEGER, state TEXT, run INTEGER, PRIMARY KEY (backfill, logical_date)) WITHOUT ROWID;"
	echo "BEGIN;"
	awk -v n="$N" -v s="$start" 'BEGIN { for (i = 0; i < n; i++)
	    printf "INSERT INTO item VALUES (1, %d, %d, %d, %s, NULL);\n",
	    s + i * 3600, s + i * 3600, s + (i + 1) * 3600, "'"'pending'"'" }'
	echo "COMMIT;"
} > "$work/peer.sql"

to=$(date -u -d "@$((start + (N - 1) * 3600))" +%Y-%m-%dT%H:%M:%SZ)
u_best= p_best= count=
i=0
while [ "$i" -lt "$BENCH_RUNS" ]; do
	home=$work/home$i
	mkdir -p "$home/dags"
	printf '%s\n' 'schedule = "@hourly";' 'start_date = "2015-01-01";' \
	    'catchup = false;' 'tasks = ({ id = "t"; command = "true"; });' \
	    > "$home/dags/bench.dag"
	t0=$(bench_now)
	UPDRAFT_HOME=$home "$UPDRAFT_BIN" backfill bench \
	    --from 2015-01-01T00:00:00Z --to "$to" > "$work/out" || exit 1
	t1=$(bench_now)
	u_best=$(bench_best "$u_best" "$(bench_elapsed "$t0" "$t1")")
	count=$(UPDRAFT_HOME=$home "$UPDRAFT_BIN" backfills --json |
	    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["total"])')

	rm -f "$work/peer.db"*
	t0=$(bench_now)
	sqlite3 "$work/peer.db" < "$work/peer.sql" > /dev/null || exit 1
	t1=$(bench_now)
	p_best=$(bench_best "$p_best" "$(bench_elapsed "$t0" "$t1")")
	i=$((i + 1))
done

[ "$count" = "$N" ] || { echo "bench-backfill: stored $count items, want $N" >&2; exit 1; }
printf '%-40s %12s %12s %8s\n' "backfill of 100,000 hourly intervals" "updraft s" "sqlite3 s" "ratio"
printf '%-40s %12s %12s %8s\n' "plan + store, one transaction" "$u_best" "$p_best" \
    "$(echo "$u_best $p_best" | awk '{ printf "%.2fx", $1 / $2 }')"
echo "goal: updraft within 3x of the raw bulk insert (ratio <= 3.00x)"
