#!/bin/sh
# Every verb that names a run, on 1,000,000 runs: each must find its run by
# one indexed lookup and answer in under 10 ms, against the sqlite3 shell
# doing the same indexed SELECT (for the verbs that only read) or the same
# UPDATE (for those that write).
#
# Each figure is the best of BENCH_RUNS runs (default 20) of the whole
# command, process start included, on the monotonic clock, output to a pipe.
# Run it through `make bench`; it exits 1 if a command fails, not if a goal
# is missed (the figures say that).
set -u

: "${UPDRAFT_BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/updraft}"
: "${BENCH_RUNS:=20}"
: "${BENCH_NRUNS:=1000000}"

. "$(dirname "$0")/lib.sh"
bench_cli_home bench-cli-run

# A DAG of one task (t1) that updraft knows; then, straight into its
# database, one run an hour, each with its task instance, every tenth
# failed.
bench_waiting_dag 1 "$UPDRAFT_HOME/dags/bench.dag"
"$UPDRAFT_BIN" list >/dev/null || exit 1
sqlite3 "$db" >/dev/null <<EOF2 || exit 1
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
    WHERE i + 1 < $BENCH_NRUNS)
INSERT INTO run (id, dag_id, run_id, run_type, state, created_by,
    logical_date, interval_start, interval_end, created_at, start_date,
    end_date)
SELECT i + 1, 'bench', 'scheduled__' || strftime('%Y-%m-%dT%H:%M:%S+00:00',
    1500000000 + i * 3600, 'unixepoch'), 'scheduled',
    CASE WHEN i % 10 = 3 THEN 'failed' ELSE 'success' END, 'bench',
    1500000000 + i * 3600, 1500000000 + i * 3600, 1500003600 + i * 3600,
    1500003600 + i * 3600, 1500003600 + i * 3600, 1500003700 + i * 3600
FROM n;
INSERT INTO task_instance (run, task_id, state, try_number, max_tries,
    exit_code, job_id, queued_at, start_date, end_date)
SELECT id, 't1', state, 1, 1, CASE WHEN state = 'failed' THEN 1 ELSE 0 END,
    id, created_at, start_date, end_date FROM run;
COMMIT;
EOF2

/usr/bin/python3 - "$UPDRAFT_BIN" "$BENCH_RUNS" "$db" "$BENCH_NRUNS" <<'PY'
import subprocess
import sys
import time

U, runs, db, nruns = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
    int(sys.argv[4])
# The run in the middle, by run id and by logical date; and the next one.
t = 1500000000 + nruns // 2 * 3600
date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
iso = "%Y-%m-%dT%H:%M:%S+00:00"
run = "scheduled__" + time.strftime(iso, time.gmtime(t))
other = "scheduled__" + time.strftime(iso, time.gmtime(t + 3600))


def best(argv, ok=None):
    """The shortest wall time of argv over runs runs, in ms; it must exit
    0, or 1 with ok in what it says."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        err = p.stderr.decode()
        if p.returncode != 0 and not (p.returncode == 1 and ok is not None
                                      and ok in err):
            print("bench-cli-run: %s: exit %d: %s" %
                  (" ".join(argv[1:]), p.returncode, err.strip()),
                  file=sys.stderr)
            sys.exit(1)
    return min(times) * 1000


# The peers: the sqlite3 shell finding the run by the same index (and its
# task instances by theirs), or making the same change.
RUN = "dag_id = 'bench' AND run_id = '%s'" % run
ID = "(SELECT id FROM run WHERE %s)" % RUN
SELECT = ("SELECT r.*, ti.* FROM run r JOIN task_instance ti ON ti.run = "
          "r.id WHERE r.%s" % RUN.replace(" AND ", " AND r."))
SELECT_DATE = ("SELECT r.*, ti.* FROM run r JOIN task_instance ti ON "
               "ti.run = r.id WHERE r.dag_id = 'bench' AND "
               "r.logical_date = %d" % t)
NOTE = "UPDATE run SET note = 'bench' WHERE %s" % RUN
LABEL = "INSERT OR IGNORE INTO run_label SELECT %s, 'bench'" % ID
STATE = ("BEGIN; UPDATE task_instance SET state = '%%s' WHERE run = %s; "
         "UPDATE run SET state = '%%s' WHERE %s; COMMIT" % (ID, RUN))

ROWS = [
    # what, updraft argv, the error that is fine, peer's SQL
    ("tasks DAG RUN", [U, "tasks", "bench", run], None, SELECT),
    ("tasks DAG DATE", [U, "tasks", "bench", date], None, SELECT_DATE),
    ("tasks DAG RUN --json", [U, "tasks", "bench", run, "--json"], None,
     SELECT),
    ("gantt DAG RUN", [U, "gantt", "bench", run], None, SELECT),
    ("lineage DAG RUN", [U, "lineage", "bench", run], None, SELECT),
    ("compare DAG RUN RUN", [U, "compare", "bench", run, other], None,
     SELECT),
    # t1 never wrote a log: finding the run and the task is what counts.
    ("logs DAG RUN TASK", [U, "logs", "bench", run, "t1"], "log", SELECT),
    ("note DAG RUN", [U, "note", "bench", run], None, SELECT),
    ("label DAG RUN", [U, "label", "bench", run], None, SELECT),
    ("note DAG RUN TEXT", [U, "note", "bench", run, "bench"], None, NOTE),
    ("label DAG RUN +L", [U, "label", "bench", run, "+bench"], None,
     LABEL),
    ("mark DAG RUN TASK", [U, "mark", "bench", run, "t1", "success"], None,
     STATE % ("success", "success")),
    ("clear DAG RUN", [U, "clear", "bench", run], None,
     STATE % ("none", "queued")),
    # Cancelled once, then the run is over: the lookup is what counts.
    ("cancel DAG RUN", [U, "cancel", "bench", run], "already",
     STATE % ("failed", "failed")),
]

fmt = "%-22s %10s %5s %4s %10s %6s"
print("%d runs of one DAG; the run %s" % (nruns, run))
print(fmt % ("command", "updraft ms", "goal", "met", "sqlite3 ms",
             "ratio"))
peers = {}
for what, argv, ok, sql in ROWS:
    tu = best(argv, ok)
    if sql not in peers:
        peers[sql] = best(["sqlite3", db, sql])
    tp = peers[sql]
    print(fmt % (what, "%.1f" % tu, "10", "yes" if tu < 10 else "NO",
                 "%.1f" % tp, "%.1fx" % (tu / tp)))
PY
