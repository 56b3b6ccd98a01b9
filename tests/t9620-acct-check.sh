#!/bin/sh
# check against the cluster's accounting (slurm-local up --accounting:
# accounts research, teaching and archive (no user's), QOS normal, short
# (MaxWall 1 hour, one GPU a job) and special, which no user may use): an
# unknown account, a QOS the user may not use, a QOS that does not exist, a
# time above the QOS's MaxWall, GPUs above its per-job limit and an account
# without the user's association, each on its task's line.
. "$(dirname "$0")/lib.sh"
need_accounting
TEST_JOB_PREFIX=t9620_
user=$(id -un)

f=$UPDRAFT_HOME/dags/t9620_acct.dag
cat > "$f" <<'DAG'
schedule = "none";
defaults = { time = "10"; mem = "10M"; };
tasks = (
  { id = "unknown"; account = "nosuch"; command = "true"; },
  { id = "forbidden"; account = "teaching"; qos = "special"; command = "true"; },
  { id = "noqos"; qos = "fast"; command = "true"; },
  { id = "long"; qos = "short"; time = "2:00:00"; command = "true"; },
  { id = "gpus"; partition = "gpu"; qos = "short"; gpus = 2; command = "true"; },
  { id = "fine"; account = "teaching"; qos = "short"; time = "30"; command = "true"; },
  { id = "default"; command = "true"; }
);
DAG
expect_eq "check: what accounting refuses, on each task's line" \
    "$(updraft check "$f" 2>&1)" \
"$f:4: task 'unknown': account 'nosuch' does not exist in Slurm's accounting
$f:5: task 'forbidden': user '$user' may not use qos 'special' in account 'teaching' (allowed: normal,short)
$f:6: task 'noqos': qos 'fast' does not exist in Slurm's accounting
$f:7: task 'long': time 02:00:00 is above qos 'short' MaxWall 01:00:00
$f:8: task 'gpus': 2 GPUs is above qos 'short' MaxTRESPerJob gres/gpu=1"
expect_status "check exits 1" 1 updraft check "$f"

# Fixed, the file checks, and its job runs under the account and QOS.
cat > "$f" <<'DAG'
schedule = "none";
defaults = { time = "10"; mem = "10M"; };
tasks = (
  { id = "fine"; account = "teaching"; qos = "short"; time = "30"; command = "true"; }
);
DAG
expect_eq "the fixed file checks" "$(updraft check "$f" 2>&1)" "$f: ok"
# An account that exists, but in which the user has no association.
g=$UPDRAFT_HOME/other.dag
sed 's/"teaching"/"archive"/' "$f" > "$g"
expect_eq "an account without the user's association" "$(updraft check "$g" 2>&1)" \
    "$g:4: task 'fine': user '$user' has no association with account 'archive'"
updraft unpause t9620_acct >/dev/null
updraft trigger t9620_acct >/dev/null
run_until_done 120 t9620_acct || fail "the run finished in time"
expect_eq "and runs" "$(updraft runs t9620_acct --json | json_field state)" success

done_testing
