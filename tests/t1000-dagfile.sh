#!/bin/sh
# DAG files: `updraft check` messages, and broken files beside valid ones.
. "$(dirname "$0")/lib.sh"
# Files alone here: the checks against a live cluster are in t5600.
SLURM_CONF=/nonexistent/slurm.conf
export SLURM_CONF

data=$TEST_SRCDIR/data

out=$(updraft check "$data/dags/minimal.dag" "$data/dags/nightly_train.dag")
expect_eq "valid files check ok" "$out" "$data/dags/minimal.dag: ok
$data/dags/nightly_train.dag: ok"

out=$(updraft check "$data/broken/unknown_keys.dag" 2>&1)
expect_eq "a broken file exits 1" "$?" 1
expect_eq "every problem, file:line: message" "$out" \
"$data/broken/unknown_keys.dag:2: unknown key 'sheduel' (did you mean 'schedule'?)
$data/broken/unknown_keys.dag:3: unknown key 'colour'
$data/broken/unknown_keys.dag:4: defaults: unknown key 'partiton' (did you mean 'partition'?)
$data/broken/unknown_keys.dag:4: defaults: 'command' can only be set in a task
$data/broken/unknown_keys.dag:6: task 'a': unknown key 'comand' (did you mean 'command'?)
$data/broken/unknown_keys.dag:6: task 'a': missing 'command' or 'script'
$data/broken/unknown_keys.dag:7: task 'b': unknown key 'cpus-per-task' (did you mean 'cpus_per_task'?)
$data/broken/unknown_keys.dag:7: task 'b': unknown key 'memory'"

out=$(updraft check "$data/broken/cycle.dag" 2>&1)
expect_eq "cycles print their path" "$out" \
"$data/broken/cycle.dag:3: cycle: c -> a -> b -> c
$data/broken/cycle.dag:6: cycle: d -> d"

out=$(updraft check "$data/broken/inputs.dag" 2>&1)
expect_eq "bad inputs, outputs and checksum" "$out" \
"$data/broken/inputs.dag:6: task 'a': input 'model': expected \"DAG:TASK:OUTPUT\", optionally with @latest or @DATE: 'train:model'
$data/broken/inputs.dag:6: task 'a': input 'w': bad date after '@' (expected latest or a date): invalid date 'yesterday': expected YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]
$data/broken/inputs.dag:7: task 'a': input 'n' must be a string
$data/broken/inputs.dag:8: task 'a': output 'm' must be a path
$data/broken/inputs.dag:8: task 'a': unknown template field '{{ dss }}' in output 'p'
$data/broken/inputs.dag:9: task 'b': 'inputs' must be a group: inputs = { model = \"dag:task:output\"; }
$data/broken/inputs.dag:9: task 'b': 'outputs' must be a group: outputs = { model = \"/path/{{ ds }}/model.pt\"; }
$data/broken/inputs.dag:10: task 'b': 'checksum' must be true or false"

out=$(updraft check "$data/broken/syntax.dag" "$data/dags/minimal.dag" 2>/dev/null)
expect_eq "one broken file does not stop the check of the next" "$out" \
    "$data/dags/minimal.dag: ok"

# A DAGs folder with every broken file beside two valid DAGs.
cp "$data"/broken/*.dag "$UPDRAFT_HOME/dags/"
cp "$data/dags/minimal.dag" "$data/dags/nightly_train.dag" \
    "$data/dags/train.sbatch" "$UPDRAFT_HOME/dags/"
updraft check > "$UPDRAFT_HOME/check.out" 2> "$UPDRAFT_HOME/check.err"
expect_eq "check of the folder exits 1" "$?" 1
expect_eq "check of the folder: the valid ones are ok" "$(cat "$UPDRAFT_HOME/check.out")" \
"$UPDRAFT_HOME/dags/minimal.dag: ok
$UPDRAFT_HOME/dags/nightly_train.dag: ok"
expect_eq "check of the folder: a message for each broken file" \
    "$(sed 's/:.*//' "$UPDRAFT_HOME/check.err" | sort -u | wc -l)" \
    "$(ls "$data"/broken/*.dag | wc -l)"

updraft scheduler --once 2>/dev/null
expect_eq "the scheduler passes over broken files" "$?" 0
out=$(updraft list --json | /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["state"] != "broken":
        print(d["dag_id"], d["state"])')
expect_eq "valid DAGs are listed, paused" "$out" "minimal paused
nightly_train paused"
out=$(updraft list --json | /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["dag_id"] == "cycle":
        print(d["state"], d["load_error"].splitlines()[0])')
expect_eq "a broken DAG is listed with its error" "$out" \
    "broken $UPDRAFT_HOME/dags/cycle.dag:3: cycle: c -> a -> b -> c"

# Two files that declare one dag id: both refused, naming both.
rm -f "$UPDRAFT_HOME"/dags/*
printf 'dag_id = "same";\ntasks = ({ id = "a"; command = "true"; });\n' > "$UPDRAFT_HOME/dags/one.dag"
printf 'dag_id = "same";\ntasks = ({ id = "b"; command = "true"; });\n' > "$UPDRAFT_HOME/dags/two.dag"
out=$(updraft check 2>&1)
expect_eq "a dag id in two files is refused" "$out" \
    "$UPDRAFT_HOME/dags/one.dag:1: dag id 'same' is also declared in '$UPDRAFT_HOME/dags/two.dag'"
out=$(updraft trigger same 2>&1)
expect_eq "a refused DAG cannot be triggered, and says why" "$out" \
    "updraft: cannot load dag 'same': $UPDRAFT_HOME/dags/one.dag:1: dag id 'same' is also declared in '$UPDRAFT_HOME/dags/two.dag'"

done_testing
