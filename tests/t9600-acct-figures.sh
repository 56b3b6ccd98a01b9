#!/bin/sh
# On a cluster with accounting (slurm-local up --accounting): a task whose
# work runs under srun has the figures of its steps from slurmdbd, not
# those of the srun client that GNU time in the wrapper sees; compare and
# export say where each figure came from, and export lists the steps; the
# elements of a job array (a backfill) each have their own.
. "$(dirname "$0")/lib.sh"
need_accounting
TEST_JOB_PREFIX=t9600_

cat > "$UPDRAFT_HOME/dags/t9600_figures.dag" <<'DAG'
schedule = "none";
defaults = { time = "5"; mem = "1G"; };
tasks = (
  { id = "big"; command = "srun /usr/bin/python3 -c 'import time; b = b\"x\" * (200 << 20); time.sleep(3)'"; }
);
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t9600_figures >/dev/null
updraft trigger t9600_figures >/dev/null
run_until_done 120 t9600_figures || fail "the run finished in time"
expect_eq "the run succeeded" "$(updraft runs t9600_figures --json | json_field state)" success

# The figures come from accounting a moment after the job ends.
from_accounting() {
	[ "$(updraft export t9600_figures --json | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["figures"].get("big"))')" = accounting ]
}
start_scheduler
wait_for 60 "figures from accounting" from_accounting
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=

updraft export t9600_figures --json > "$UPDRAFT_HOME/export.json"
figures=$(/usr/bin/python3 - "$UPDRAFT_HOME/export.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))[0]
m = r["metrics"]
rss = m["big.job_max_rss_kb"]
want = 200 * 1024
print("rss within 20%" if 0.8 * want <= rss <= 1.2 * want else "rss %s KB" % rss)
print("vmsize at least rss" if m["big.job_max_vmsize_kb"] >= rss else "vmsize %s" % m["big.job_max_vmsize_kb"])
print("elapsed", "ok" if 3 <= m["big.job_elapsed_s"] <= 60 else m["big.job_elapsed_s"])
print("cpu", "ok" if m["big.job_cpu_s"] > 0 else m["big.job_cpu_s"])
print("gpus", m["big.job_gpus"])
for s in r["steps"]["big"]:
    if s["step"] in ("batch", "0"):
        print(s["step"], s["state"], s["exit_code"], s["nodes"],
              "rss" if s["max_rss_kb"] is not None else "no rss",
              "cpu=1" in s["tres"])
PY
)
expect_eq "MaxRSS of the srun step, and every step's end, from accounting" "$figures" \
"rss within 20%
vmsize at least rss
elapsed ok
cpu ok
gpus 0
0 COMPLETED 0 localhost rss True
batch COMPLETED 0 localhost rss True"
run=$(updraft runs t9600_figures --json | json_field run_id)
expect_eq "compare names the figures' source" \
    "$(updraft compare t9600_figures "$run" "$run" --csv | grep '^figures\.')" \
    "figures.big,0,accounting,accounting"
expect_eq "export's CSV too" \
    "$(updraft export t9600_figures --csv | /usr/bin/python3 -c '
import csv, sys
print(next(csv.DictReader(sys.stdin))["figures.big"])')" accounting

# A backfill goes to Slurm as a job array: each element's figures are its
# own, asked for as ARRAYID_INDEX.
cat > "$UPDRAFT_HOME/dags/t9600_array.dag" <<'DAG'
schedule = "@daily";
start_date = "2026-11-01";
defaults = { time = "5"; mem = "1G"; };
tasks = (
  { id = "grow"; command = "srun /usr/bin/python3 -c 'import os, time; b = b\"x\" * ((50 + 50 * int(os.environ[\"SLURM_ARRAY_TASK_ID\"])) << 20); time.sleep(3)'"; }
);
DAG
updraft backfill t9600_array --from 2026-11-01 --to 2026-11-02 >/dev/null
run_until_done 120 t9600_array || fail "the backfill finished in time"
both_from_accounting() {
	[ "$(updraft export t9600_array --json | /usr/bin/python3 -c '
import json, sys
print(" ".join(r["figures"].get("grow", "-") for r in json.load(sys.stdin)))')" = "accounting accounting" ]
}
start_scheduler
wait_for 60 "the elements' figures from accounting" both_from_accounting
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
expect_eq "each element its own MaxRSS (50 and 100 MB, within 20%)" \
    "$(updraft export t9600_array --json | /usr/bin/python3 -c '
import json, sys
for r, want in zip(sorted(json.load(sys.stdin), key=lambda r: r["logical_date"]), (50, 100)):
    rss = r["metrics"]["grow.job_max_rss_kb"]
    print(r["logical_date"][:10], "ok" if 0.8 * want * 1024 <= rss <= 1.2 * want * 1024 else rss)')" \
"2026-11-01 ok
2026-11-02 ok"

done_testing
