#!/bin/sh
# The command line's speed: `updraft runs DAG` on 100,000 runs against
# sqlite3 reading the same rows, and `updraft --version` start-up against
# /bin/true and `sqlite3 --version`.
#
# Each figure is the best of BENCH_RUNS runs (default 20) of the whole
# command, process start included, on the monotonic clock, output to
# /dev/null. Goals: `runs` in 50 ms or less, start-up in 5 ms or less. Run it
# through `make bench`; it exits 1 if a command fails, not if a goal is
# missed (the figures say that).
. "$(dirname "$0")/lib.sh"

: "${BENCH_RUNS:=20}"
: "${BENCH_NRUNS:=100000}"

bench_cli_home bench-cli

# Let updraft create the schema, then fill it: one run an hour, every tenth
# failed, and a second DAG so that the index has to pick one out.
"$UPDRAFT_BIN" list >/dev/null || exit 1
sqlite3 "$db" >/dev/null <<EOF || exit 1
BEGIN;
INSERT INTO dag (dag_id, path, paused) VALUES ('bench', '/dev/null', 1),
    ('other', '/dev/null', 1);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i + 1 < $BENCH_NRUNS)
INSERT INTO run (dag_id, run_id, run_type, state, created_by, logical_date,
    interval_start, interval_end, created_at, start_date, end_date)
SELECT d, 'scheduled__' || strftime('%Y-%m-%dT%H:%M:%S+00:00',
    1500000000 + i * 3600, 'unixepoch'), 'scheduled',
    CASE WHEN i % 10 = 3 THEN 'failed' ELSE 'success' END, 'bench',
    1500000000 + i * 3600, 1500000000 + i * 3600, 1500003600 + i * 3600,
    1500003600 + i * 3600, 1500003600 + i * 3600, 1500003700 + i * 3600
FROM n, (SELECT 'bench' AS d UNION ALL SELECT 'other');
COMMIT;
EOF

/usr/bin/python3 - "$UPDRAFT_BIN" "$BENCH_RUNS" "$db" "$BENCH_NRUNS" <<'PY'
import subprocess
import sys
import time

updraft, runs, db, nruns = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    int(sys.argv[4])


def best(argv):
    """The shortest wall time of argv over runs runs, in ms; its lines."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return min(times) * 1000, p.stdout.count(b"\n")


SQL = ("SELECT run_id, run_type, logical_date, state FROM run "
       "WHERE dag_id = 'bench' ORDER BY logical_date")
ROWS = [
    # what, goal ms, updraft argv, peer name, peer argv
    ("runs DAG (%d runs)" % nruns, 50, [updraft, "runs", "bench"],
     "sqlite3 SELECT LIMIT", ["sqlite3", db, SQL + " DESC LIMIT 100"]),
    ("runs DAG --all", 50, [updraft, "runs", "bench", "--all"],
     "sqlite3 SELECT", ["sqlite3", db, SQL]),
    ("runs DAG --last 20", 50, [updraft, "runs", "bench", "--last", "20"],
     "sqlite3 SELECT LIMIT", ["sqlite3", db, SQL + " DESC LIMIT 20"]),
    ("runs DAG --state failed", 50,
     [updraft, "runs", "bench", "--state", "failed"],
     "sqlite3 SELECT", ["sqlite3", db, SQL.replace(
         "WHERE dag_id = 'bench'",
         "WHERE dag_id = 'bench' AND state = 'failed'")]),
    ("--version (start-up)", 5, [updraft, "--version"],
     "/bin/true", ["/bin/true"]),
    ("--version (start-up)", 5, [updraft, "--version"],
     "sqlite3 --version", ["sqlite3", "--version"]),
]

fmt = "%-26s %9s %6s %7s  %-20s %8s %6s"
print(fmt % ("command", "updraft ms", "goal", "met", "peer", "peer ms",
             "ratio"))
for what, goal, ours, peer, theirs in ROWS:
    tu, lines = best(ours)
    tp, _ = best(theirs)
    print(fmt % (what, "%.1f" % tu, "%d" % goal,
                 "yes" if tu <= goal else "NO", peer, "%.1f" % tp,
                 "%.1fx" % (tu / tp)))
    want = {"runs DAG (": 101, "runs DAG --all": nruns + 1}
    for prefix, n in want.items():
        if what.startswith(prefix) and lines != n:
            print("bench-cli: updraft printed %d lines, want %d" %
                  (lines, n), file=sys.stderr)
            sys.exit(1)
PY
