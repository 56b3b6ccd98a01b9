#!/bin/sh
# Experiment records on the local Slurm: params, labels and notes on runs,
# metrics and outputs from jobs, runs --where/--order, compare and export.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t7000_

# fit's metrics follow from its params: val_loss = lr * 10. Bad lines are
# skipped with a warning; the output is a file next to the DAG file.
cat > "$UPDRAFT_HOME/dags/t7000_train.dag" <<'DAG'
params = { lr = 0.01; epochs = 10; name = "plain"; fast = false; };
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "fit"; command = "
awk -v lr=\"$UPDRAFT_PARAM_LR\" 'BEGIN { print \"val_loss=\" lr * 10 }' >> \"$UPDRAFT_METRICS\"
echo \"epochs_seen=$UPDRAFT_PARAM_EPOCHS\" >> \"$UPDRAFT_METRICS\"
echo 'not a metric' >> \"$UPDRAFT_METRICS\"
echo 'acc=high' >> \"$UPDRAFT_METRICS\"
printf 'lr %s epochs %s\\n' \"$UPDRAFT_PARAM_LR\" \"$UPDRAFT_PARAM_EPOCHS\" > \"$PWD/model-$UPDRAFT_PARAM_LR.txt\"
echo \"model=$PWD/model-$UPDRAFT_PARAM_LR.txt\" >> \"$UPDRAFT_OUTPUTS\"
printf 'name<%s> fast<%s>\\n' \"$UPDRAFT_PARAM_NAME\" \"$UPDRAFT_PARAM_FAST\"
"; }
);
DAG

# A scheduled run gets the defaults; a failed try's results still count.
cat > "$UPDRAFT_HOME/dags/t7000_once.dag" <<'DAG'
schedule = "@once";
start_date = "2020-01-01";
params = { lr = 0.25; };
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "fails"; command = "echo \"lr_seen=$UPDRAFT_PARAM_LR\" >> \"$UPDRAFT_METRICS\"; exit 3"; }
);
DAG

# Bad params are refused before any run exists.
out=$(updraft trigger t7000_train --param epochs=ten 2>&1)
expect_eq "an int param refuses a word" "$out" \
    "updraft: bad --param: param 'epochs' must be an integer: 'ten'"
out=$(updraft trigger t7000_train --param lrr=0.1 2>&1)
expect_eq "an unknown param is refused, with a suggestion" "$out" \
    "updraft: bad --param 'lrr': dag 't7000_train' has no such param; did you mean 'lr'?"
out=$(updraft trigger t7000_train --param lr=fast 2>&1)
expect_eq "a float param refuses a word" "$out" \
    "updraft: bad --param: param 'lr' must be a number: 'fast'"
out=$(updraft trigger t7000_train --param fast=yes 2>&1)
expect_eq "a bool param is true or false" "$out" \
    "updraft: bad --param: param 'fast' must be true or false: 'yes'"
out=$(updraft trigger t7000_train --param lr 2>&1)
expect_eq "--param needs NAME=VALUE" "$out" \
    "updraft: bad --param 'lr': expected NAME=VALUE"
expect_eq "no run was made" "$(updraft runs t7000_train --json)" "[]"

r1=$(updraft trigger t7000_train --label baseline --note "the default")
r2=$(updraft trigger t7000_train --param lr=0.05 --label sweep \
    --param 'name=$(touch pwned); `x` "q"' --param fast=true)
r3=$(updraft trigger t7000_train --param lr=0.02 --param epochs=20 \
    --label sweep --label long)
updraft unpause t7000_train >/dev/null
updraft unpause t7000_once >/dev/null
run_until_done 240 t7000_train t7000_once || fail "runs finished in time"

expect_eq "the runs succeed" \
    "$(updraft runs t7000_train --json | json_field state | tr '\n' ' ')" \
    "success success success "

# Params reach the job as environment variables, never as shell text.
log=$(updraft logs t7000_train "$r2" fit)
expect_eq "a string param arrives verbatim" \
    "$(printf '%s\n' "$log" | grep '^name<')" \
    'name<$(touch pwned); `x` "q"> fast<true>'
[ ! -e "$UPDRAFT_HOME/dags/pwned" ] && pass "no param was run as shell" ||
    fail "no param was run as shell"
case "$(cat "$UPDRAFT_HOME/scheduler.log")" in
*"not a metric"*"line skipped"*) pass "a bad metrics line is skipped, with a warning" ;;
*) fail "a bad metrics line is skipped, with a warning" ;;
esac

runs() {
	updraft runs t7000_train "$@" --json | json_field run_id | tr '\n' ' '
}
expect_eq "--where on a metric" "$(runs --where 'metrics.val_loss < 0.3')" \
    "$r1 $r3 "
expect_eq "--where on params and a task's metric" \
    "$(runs --where 'params.lr < 0.03 and metrics.fit.val_loss > 0.15')" "$r3 "
expect_eq "--where with or, not, labels and parentheses" \
    "$(runs --where 'label = "baseline" or (params.epochs = 20 and not state != "success")')" \
    "$r1 $r3 "
expect_eq "--where on a string and a bool param" \
    "$(runs --where "params.name != 'plain' and params.fast = true")" "$r2 "
expect_eq "--order a metric, largest first" \
    "$(runs --order -metrics.val_loss)" "$r2 $r3 $r1 "
expect_eq "--label and --order a param" "$(runs --label sweep --order params.lr)" \
    "$r3 $r2 "
expect_eq "--label twice: both" "$(runs --label sweep --label long)" "$r3 "
expect_eq "--owner" "$(runs --owner "$(id -un)" --last 1)" "$r3 "
expect_eq "--owner nobody's" "$(runs --owner no-such-user)" ""

out=$(updraft runs --where 'params.lr <' 2>&1)
expect_eq "--where: a missing value" "$out" \
    "updraft: bad --where: column 12: expected a value after '<'"
out=$(updraft runs --where 'state = success' 2>&1)
expect_eq "--where: an unquoted string" "$out" \
    "updraft: bad --where: column 9: expected a value after '=' (quote strings: 'success')"
out=$(updraft runs --where 'params.lr < 1 and' 2>&1)
expect_eq "--where: a dangling and" "$out" \
    "updraft: bad --where: column 18: expected a field (state, owner, label, logical_date, params.NAME, metrics.NAME or metrics.TASK.NAME)"
out=$(updraft runs --where 'parms.lr < 1' 2>&1)
expect_eq "--where: an unknown field" "$out" \
    "updraft: bad --where: column 1: unknown field 'parms.lr' (state, owner, label, logical_date, params.NAME, metrics.NAME or metrics.TASK.NAME)"
expect_status "--where: a bad expression is a usage error" 2 \
    updraft runs --where '(state = "x"'

# Notes and labels, after the fact.
expect_eq "the note given at trigger" "$(updraft note t7000_train "$r1")" \
    "the default"
updraft note t7000_train "$r2" "lr too high"
expect_eq "a note set later" "$(updraft note t7000_train "$r2")" "lr too high"
expect_eq "labels: add and remove" \
    "$(updraft label t7000_train "$r3" -long +best | tr '\n' ' ')" "best sweep "
expect_eq "labels: found by runs" "$(runs --where 'label = "best"')" "$r3 "

# compare: everything but durations (they vary) and identity rows.
ver=$(updraft list --json | /usr/bin/python3 -c '
import json, sys
print([d for d in json.load(sys.stdin) if d["dag_id"] == "t7000_train"][0]["version"])')
row() { printf '%s %-26s  %-33s  %-33s  %s\n' "$@"; }
want=$(row ' ' FIELD "$r1" "$r2" "$r3"
row ' ' run_type manual manual manual
row ' ' state success success success
row ' ' version "$ver" "$ver" "$ver"
row '*' labels baseline sweep 'best;sweep'
row '*' note 'the default' 'lr too high' -
row '*' params.lr 0.01 0.05 0.02
row '*' params.epochs 10 10 20
row '*' params.name plain '$(touch pwned); `x` "q"' plain
row '*' params.fast false true false
row '*' metrics.fit.epochs_seen 10 10 20
row '*' metrics.fit.val_loss 0.1 0.5 0.2
row ' ' partition.fit cpu cpu cpu)
got=$(updraft compare t7000_train "$r1" "$r2" "$r3" |
    grep -E '^. (FIELD|run_type|state|version|labels|note|params|metrics|partition)' |
    grep -v '\.job_' | sed 's/ *$//')
expect_eq "compare: side by side, differences marked" "$got" \
    "$(printf '%s\n' "$want" | sed 's/ *$//')"
out=$(updraft compare t7000_train "$r1" "$r3" --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for r in d["rows"]:
    if ".job_" in r["field"]:
        continue
    if r["field"].startswith(("params.", "metrics.")) or r["field"] == "host":
        print(r["field"], r["values"], r["differs"])')
expect_eq "compare --json" "$out" "host ['$(hostname)', '$(hostname)'] False
params.lr ['0.01', '0.02'] True
params.epochs ['10', '20'] True
params.name ['plain', 'plain'] False
params.fast ['false', 'false'] False
metrics.fit.epochs_seen ['10', '20'] True
metrics.fit.val_loss ['0.1', '0.2'] True"
expect_eq "compare --csv: a header" \
    "$(updraft compare t7000_train "$r1" "$r2" --csv | head -1)" \
    "field,differs,$r1,$r2"
expect_status "compare needs two runs" 2 updraft compare t7000_train "$r1"
out=$(updraft compare t7000_train "$r1" nope 2>&1)
expect_eq "compare: an unknown run" "$out" \
    "updraft: cannot find run 'nope' of dag 't7000_train'"

# export, read as a notebook would.
out=$(updraft export t7000_train --csv | /usr/bin/python3 -c '
import csv, os, sys
for r in csv.DictReader(sys.stdin):
    print(r["params.lr"], r["params.epochs"], r["metrics.fit.val_loss"],
          r["labels"], os.path.basename(r["outputs.fit.model"]), r["state"])')
expect_eq "export --csv" "$out" "0.01 10 0.1 baseline model-0.01.txt success
0.05 10 0.5 sweep model-0.05.txt success
0.02 20 0.2 best;sweep model-0.02.txt success"
out=$(updraft export t7000_train --json | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    p, m, o = r["params"], r["metrics"], r["outputs"]["fit.model"]
    print(repr(p["lr"]), repr(p["epochs"]), repr(p["fast"]), m["fit.val_loss"],
          o["size"] == len(open(o["path"]).read()), r["note"], r["labels"])')
expect_eq "export --json: typed params, outputs with their sizes" "$out" \
    "0.01 10 False 0.1 True the default ['baseline']
0.05 10 True 0.5 True lr too high ['sweep']
0.02 20 False 0.2 True None ['best', 'sweep']"
expect_eq "export --since" \
    "$(updraft export t7000_train --json --since 2999-01-01)" "[]"
expect_status "export needs --csv or --json" 2 updraft export t7000_train

# The scheduled run: the defaults, and a failed try's metric.
out=$(updraft export t7000_once --json | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    m = {k: v for k, v in r["metrics"].items() if ".job_" not in k}
    print(r["run_type"], r["state"], r["params"], m)')
expect_eq "a scheduled run has the defaults; a failed try reports" "$out" \
    "scheduled failed {'lr': 0.25} {'fails.lr_seen': 0.25}"

done_testing
