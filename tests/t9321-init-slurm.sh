#!/bin/sh
# The example DAG of `updraft init`, end to end on the local Slurm: check
# against the cluster, prep and eval on cpu, train on gpu with a GPU by
# gres, its params, outputs and metric recorded.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t9321_
need_slurm
H=$UPDRAFT_HOME

updraft init "$H/t" >/dev/null
# Its id is its file's name: ours starts with the test's prefix.
mv "$H/t/example_train.dag" "$H/dags/t9321_example.dag"
expect_eq "check against the cluster: ok" \
    "$(updraft check 2>&1; echo "exit $?")" \
    "$H/dags/t9321_example.dag: ok
exit 0"
updraft unpause t9321_example >/dev/null
if run_until_done 180 t9321_example; then
	pass "the example's run ends"
else
	fail "the example's run ends"
fi
# catchup = false: the latest interval's run; a second one if 02:00 UTC
# passes while the test runs. The first is the one checked.
first() {
	updraft runs t9321_example --json | /usr/bin/python3 -c '
import json, sys
r = min(json.load(sys.stdin), key=lambda r: r["logical_date"])
print(r[sys.argv[1]])' "$1"
}
run=$(first run_id)
expect_eq "the latest interval's run, success" "$(first state)" success
expect_eq "prep and eval on cpu, train on gpu, each a success" \
    "$(updraft tasks t9321_example "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["partition"])')" \
    "prep success cpu
train success gpu
eval success cpu"
job=$(updraft tasks t9321_example "$run" --json | /usr/bin/python3 -c '
import json, sys
print([t["job_id"] for t in json.load(sys.stdin) if t["task_id"] == "train"][0])')
expect_eq "train's job asked for a GPU by gres" \
    "$(scontrol show job "$job" | grep -cE '(TresPerNode|Gres)=gres[:/]gpu:1')" 1
ds=$(first logical_date | cut -c1-10)
case "$(cat "$H/dags/out/$ds/model.txt")" in
"lr=0.001 epochs=3 gpu="[0-9]*) pass "train saw the params and its GPU" ;;
*) fail "train saw the params and its GPU: $(cat "$H/dags/out/$ds/model.txt")" ;;
esac
expect_eq "params, the metric and both outputs recorded" \
    "$(updraft export t9321_example --json | /usr/bin/python3 -c '
import json, sys
r = [r for r in json.load(sys.stdin) if r["run_id"] == sys.argv[1]][0]
print(r["params"], r["metrics"]["eval.val_loss"], sorted(r["outputs"]))' "$run")" \
    "{'lr': 0.001, 'epochs': 3} 0.42 ['prep.data', 'train.model']"

done_testing
