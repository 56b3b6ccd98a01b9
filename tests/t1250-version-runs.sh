#!/bin/sh
# A DAG (and a script it runs) changes while a run is going: the started run
# finishes on its own version, old script included; a run that had not
# started yet runs the newest.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t1250_
D=$UPDRAFT_HOME/dags
printf 'poll_interval = 1;\n' >> "$UPDRAFT_HOME/updraft.conf"

printf '#!/bin/bash\necho "b v1"\n' > "$D/b.sh"
cat > "$D/t1250_vr.dag" <<'DAG'
schedule = "none";
max_active_runs = 1;
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "a"; command = "sleep 3"; },
  { id = "b"; after = "a"; script = "b.sh"; }
);
DAG
updraft unpause t1250_vr >/dev/null
r1=$(updraft trigger t1250_vr --date 2026-11-01)
r2=$(updraft trigger t1250_vr --date 2026-11-02)
updraft scheduler --once >/dev/null 2>&1
v1=$(updraft export t1250_vr --json | json_field version | head -1)
expect_eq "one run started, one waits" \
    "$(updraft runs t1250_vr --json | json_field state | tr '\n' ' ')" \
    "running queued "

# Change the script and the file while the first run's 'a' is in Slurm.
printf '#!/bin/bash\necho "b v2"\n' > "$D/b.sh"
cat > "$D/t1250_vr.dag" <<'DAG'
schedule = "none";
max_active_runs = 1;
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "a"; command = "sleep 3"; },
  { id = "b"; after = "a"; script = "b.sh"; },
  { id = "c"; after = "b"; command = "echo c"; }
);
DAG
run_until_done 180 t1250_vr || fail "the runs finished in time"
v2=$(updraft list --json | /usr/bin/python3 -c '
import json, sys
print([d for d in json.load(sys.stdin) if d["dag_id"] == "t1250_vr"][0]["version"])')
[ "$v1" != "$v2" ] && pass "the change made a new version" ||
    fail "the change made a new version"
expect_eq "both runs succeed, each with its version" \
    "$(updraft export t1250_vr --json | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["state"], r["version"])')" "success $v1
success $v2"
expect_eq "the started run kept its graph" \
    "$(updraft tasks t1250_vr "$r1" --json | json_field task_id | tr '\n' ' ')" "a b "
expect_eq "the started run ran the script as it was" \
    "$(updraft logs t1250_vr "$r1" b | grep '^b v')" "b v1"
expect_eq "the queued run took the new graph" \
    "$(updraft tasks t1250_vr "$r2" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"])')" "a success
b success
c success"
expect_eq "and the new script" \
    "$(updraft logs t1250_vr "$r2" b | grep '^b v')" "b v2"

done_testing
