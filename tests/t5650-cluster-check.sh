#!/bin/sh
# Against the live cluster: GRES and GRES types the partition's nodes lack,
# and accounts and QOS the partition's AllowAccounts/DenyQos lists refuse,
# are load errors on the task's line, not jobs refused when they are due.
# The test adds a partition of its own, so it runs alone: other tests list
# the cluster's partitions in their messages.
. "$(dirname "$0")/lib.sh"
need_slurm_alone
TEST_JOB_PREFIX=t5650_
P=t5650_locked
# A partition with jobs cannot go: cancel ours first, then retry a while.
drop_partition() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		scontrol show partition $P >/dev/null 2>&1 || return 0
		scontrol delete PartitionName=$P 2>/dev/null && return 0
		sleep 1
	done
}
trap 'cleanup; drop_partition' EXIT
drop_partition
# 26.05 takes only QOS it knows in DenyQos, and without slurmdbd it knows
# none: there the partition has no QOS list, and the qos task is fine.
qos_line=
if scontrol create PartitionName=$P Nodes=localhost \
    AllowAccounts=proj1,proj2 DenyQos=low State=UP 2>/dev/null; then
	qos_line="
$UPDRAFT_HOME/dags/t5650_cluster.dag:4: task 'qos': qos 'low' may not use partition '$P' (DenyQos=low)"
else
	scontrol create PartitionName=$P Nodes=localhost \
	    AllowAccounts=proj1,proj2 State=UP || fail "the partition is made"
fi

f=$UPDRAFT_HOME/dags/t5650_cluster.dag
cat > "$f" <<DAG
schedule = "none";
tasks = (
  { id = "acct"; partition = "$P"; account = "other"; command = "true"; },
  { id = "qos"; partition = "$P"; account = "proj2"; qos = "low"; command = "true"; },
  { id = "fine"; partition = "$P"; account = "proj1"; qos = "high"; command = "true"; },
  { id = "gtype"; partition = "gpu"; gres = "gpu:a100:1"; command = "true"; },
  { id = "gname"; partition = "gpu"; gres = "gpu:1,nvme:1"; command = "true"; },
  { id = "gfine"; partition = "gpu"; gres = "gpu:2"; command = "true"; }
);
DAG
out=$(updraft check "$f" 2>&1)
expect_eq "check: accounts, QOS, GRES and GRES types the cluster refuses" "$out" \
"$f:3: task 'acct': account 'other' may not use partition '$P' (AllowAccounts=proj1,proj2)$qos_line
$f:6: task 'gtype': gres 'gpu:a100:1': partition 'gpu' has no GRES 'gpu:a100' (it has: gpu)
$f:7: task 'gname': gres 'nvme:1': partition 'gpu' has no GRES 'nvme' (it has: gpu)"
expect_status "check exits 1" 1 updraft check "$f"

updraft scheduler --once 2>/dev/null
expect_eq "the scheduler refuses the DAG with the first reason" \
    "$(updraft list --json | /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["dag_id"] == "t5650_cluster":
        print(d["state"], d["load_error"].splitlines()[0].split(": ", 1)[1])')" \
    "broken task 'acct': account 'other' may not use partition '$P' (AllowAccounts=proj1,proj2)"

# Fixed, it loads and runs. (Without slurmdbd Slurm knows no account, so
# a job on the locked partition would pend; it is only checked.)
cat > "$f" <<DAG
schedule = "none";
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "gfine"; partition = "gpu"; gres = "gpu:1"; command = "true"; }
);
DAG
expect_eq "the fixed file checks" "$(updraft check "$f" 2>&1)" "$f: ok"
# The controller's release, against the libslurm we were built with: the
# real one matches (no word); another series is named, with what to do.
lib=$(updraft --version | sed -n 's/^libslurm //p')
expect_eq "check names a controller of another release" \
    "$(UPDRAFT_TEST_CONTROLLER_VERSION=99.05.1 updraft check "$f" 2>&1 >/dev/null)" \
    "updraft: warning: Slurm's controller runs 99.05.1, but updraft was built against libslurm $lib: rebuild it against the cluster's own Slurm (see README)"
expect_eq "a patch release of the same series is no matter" \
    "$(UPDRAFT_TEST_CONTROLLER_VERSION=${lib%.*}.99 updraft check "$f" 2>&1 >/dev/null)" ""
updraft unpause t5650_cluster >/dev/null
updraft trigger t5650_cluster >/dev/null
run_until_done 120 t5650_cluster || fail "the run finished in time"
expect_eq "and runs" "$(updraft runs t5650_cluster --json | json_field state)" \
    success

done_testing
