#!/bin/sh
# Lineage on the local Slurm: train_daily, backfilled over 5 days, writes a
# declared model file and a metric each day; eval_v2, added afterwards,
# backfills over the same days and finds each model through 'inputs'.
# A task waits for an input that does not exist yet; a report reads the
# latest evaluation; lineage shows the edges both ways.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t7100_
H=$UPDRAFT_HOME
D=$H/dags

cat > "$D/train.sh" <<'SH'
#!/bin/bash
mkdir -p "$(dirname "$UPDRAFT_OUTPUT_MODEL")"
printf 'model of %s\n' "$UPDRAFT_DS" > "$UPDRAFT_OUTPUT_MODEL"
echo "val_loss=0.${UPDRAFT_DS_NODASH: -1}" >> "$UPDRAFT_METRICS"
SH
cat > "$D/eval.sh" <<'SH'
#!/bin/bash
echo "input=$UPDRAFT_INPUT_MODEL"
read -r _ _ ds < "$UPDRAFT_INPUT_MODEL" || exit 3
[ "$ds" = "$UPDRAFT_DS" ] || exit 4
echo "score=${UPDRAFT_DS_NODASH: -1}" >> "$UPDRAFT_METRICS"
mkdir -p "$(dirname "$UPDRAFT_OUTPUT_REPORT")"
printf 'eval of %s\n' "$ds" > "$UPDRAFT_OUTPUT_REPORT"
SH
chmod +x "$D/train.sh" "$D/eval.sh"

cat > "$D/t7100_train.dag" <<DAG
schedule = "@daily";
start_date = "2026-11-01";
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "train"; script = "train.sh"; checksum = true;
    outputs = { model = "$H/models/{{ ds }}/model.pt"; }; }
);
DAG
cat > "$D/t7100_eval.dag" <<'DAG'
schedule = "@daily";
start_date = "2026-11-01";
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "eval"; script = "eval.sh";
    inputs = { model = "t7100_train:train:model"; };
    outputs = { report = "reports/{{ ds }}.txt"; }; }
);
DAG
cat > "$D/t7100_report.dag" <<'DAG'
schedule = "none";
start_date = "2026-11-01";
defaults = { time = "1"; mem = "100M"; };
tasks = (
  { id = "show"; command = "cat \"$UPDRAFT_INPUT_BEST\"";
    inputs = { best = "t7100_eval:eval:report@latest"; }; }
);
DAG
# A task that promises a file it never writes fails for it.
cat > "$D/t7100_liar.dag" <<'DAG'
schedule = "none";
start_date = "2026-11-01";
tasks = (
  { id = "lie"; command = "true"; time = "1"; mem = "100M";
    outputs = { result = "nothing/{{ ds_nodash }}.txt"; }; }
);
DAG

expect_eq "the four DAGs load" "$(updraft check 2>&1 | sed "s|^$D/||")" \
"t7100_eval.dag: ok
t7100_liar.dag: ok
t7100_report.dag: ok
t7100_train.dag: ok"

updraft backfill t7100_train --from 2026-11-01 --to 2026-11-05 >/dev/null
run_until_done 240 t7100_train || fail "train finished in time"
expect_eq "train: five runs succeed" \
    "$(updraft runs t7100_train --json | json_field state | tr '\n' ' ')" \
    "success success success success success "

# Declared outputs are recorded with their size and SHA-256 (checksum =
# true), and the job's own figures beside the metrics it reported.
out=$(updraft export t7100_train --json | /usr/bin/python3 -c '
import hashlib, json, sys
for r in json.load(sys.stdin):
    o, m = r["outputs"]["train.model"], r["metrics"]
    data = open(o["path"], "rb").read()
    print(r["logical_date"][:10], o["path"].split("/models/")[1], o["size"],
          o["sha256"] == hashlib.sha256(data).hexdigest(),
          m["train.val_loss"], sorted(k for k in m if k.startswith("train.job_")),
          m["train.job_gpus"], m["train.job_max_rss_kb"] > 0)')
jobkeys="['train.job_elapsed_s', 'train.job_gpus', 'train.job_max_rss_kb', 'train.job_system_s', 'train.job_user_s']"
expect_eq "train: declared outputs, checksums, metrics and job figures" "$out" \
"2026-11-01 2026-11-01/model.pt 20 True 0.1 $jobkeys 0 True
2026-11-02 2026-11-02/model.pt 20 True 0.2 $jobkeys 0 True
2026-11-03 2026-11-03/model.pt 20 True 0.3 $jobkeys 0 True
2026-11-04 2026-11-04/model.pt 20 True 0.4 $jobkeys 0 True
2026-11-05 2026-11-05/model.pt 20 True 0.5 $jobkeys 0 True"

# eval_v2, added afterwards, evaluates every past model.
updraft backfill t7100_eval --from 2026-11-01 --to 2026-11-05 >/dev/null
run_until_done 240 t7100_eval || fail "eval finished in time"
expect_eq "eval: five runs succeed" \
    "$(updraft runs t7100_eval --json | json_field state | tr '\n' ' ')" \
    "success success success success success "
expect_eq "eval: each run got the model of its own date" \
    "$(updraft logs t7100_eval 2026-11-03 eval | grep '^input=')" \
    "input=$H/models/2026-11-03/model.pt"

# An input that does not exist yet: the task waits, saying for what.
updraft backfill t7100_eval --from 2026-11-06 --to 2026-11-06 >/dev/null
updraft scheduler --once >/dev/null 2>&1
updraft scheduler --once >/dev/null 2>&1
expect_eq "a task waits for its input" \
    "$(updraft tasks t7100_eval 2026-11-06 --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["state"], t["job_id"], t["reason"])')" \
    "none None waiting for input 'model': t7100_train:train:model of 2026-11-06T00:00:00+00:00"
updraft backfill t7100_train --from 2026-11-06 --to 2026-11-06 >/dev/null
run_until_done 240 t7100_train t7100_eval || fail "the waiting run finished"
expect_eq "it runs once the input exists" \
    "$(updraft runs t7100_eval --json | json_field state | tr '\n' ' ')" \
    "success success success success success success "

# A report reads the latest evaluation (@latest).
updraft unpause t7100_report >/dev/null
rr=$(updraft trigger t7100_report)
run_until_done 240 t7100_report || fail "report finished in time"
expect_eq "@latest: the newest evaluation" \
    "$(updraft logs t7100_report "$rr" show | grep '^eval of')" \
    "eval of 2026-11-06"

b() { echo "backfill__2026-11-0$1T00:00:00+00:00"; }
expect_eq "lineage: a run's inputs and its readers" \
    "$(updraft lineage t7100_eval 2026-11-03)" \
"t7100_eval $(b 3)
read from:
  t7100_train $(b 3)  train.model -> eval.model  $H/models/2026-11-03/model.pt
read by:
  (none)"
expect_eq "lineage --up --depth 2: through two DAGs" \
    "$(updraft lineage t7100_report "$rr" --up --depth 2)" \
"t7100_report $rr
read from:
  t7100_eval $(b 6)  eval.report -> show.best  $D/reports/2026-11-06.txt
    t7100_train $(b 6)  train.model -> eval.model  $H/models/2026-11-06/model.pt"
expect_eq "lineage --down --depth 2: who consumed a model" \
    "$(updraft lineage t7100_train 2026-11-06 --down --depth 2)" \
"t7100_train $(b 6)
read by:
  t7100_eval $(b 6)  train.model -> eval.model  $H/models/2026-11-06/model.pt
    t7100_report $rr  eval.report -> show.best  $D/reports/2026-11-06.txt"
expect_eq "lineage --down: depth 1 by default" \
    "$(updraft lineage t7100_train 2026-11-06 --down)" \
"t7100_train $(b 6)
read by:
  t7100_eval $(b 6)  train.model -> eval.model  $H/models/2026-11-06/model.pt"
expect_eq "lineage --json" \
    "$(updraft lineage t7100_eval 2026-11-06 --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["dag_id"], d["logical_date"])
for e in d["up"] + d["down"]:
    print(e["dag_id"], e["logical_date"], e["src_task_id"], e["src_output"],
          e["task_id"], e["input"], e["path"].rsplit("/", 2)[-2:])')" \
"t7100_eval 2026-11-06T00:00:00+00:00
t7100_train 2026-11-06T00:00:00+00:00 train model eval model ['2026-11-06', 'model.pt']
t7100_report ${rr#manual__} eval report show best ['reports', '2026-11-06.txt']"
out=$(updraft lineage t7100_eval 2026-11-06 --depth 0 2>&1)
expect_eq "lineage: a bad depth" "$out" \
    "updraft: bad --depth '0': expected a number from 1 to 1000"
expect_status "lineage --up and --down together is a usage error" 2 \
    updraft lineage t7100_eval 2026-11-06 --up --down
out=$(updraft lineage t7100_evl 2026-11-06 2>&1)
expect_eq "lineage: an unknown dag" "$out" \
    "updraft: cannot find dag 't7100_evl'; did you mean 't7100_eval'?"

# compare and --where over the evaluations.
expect_eq "--where on the evaluations' metric" \
    "$(updraft runs t7100_eval --where 'metrics.score >= 4' --json |
        json_field run_id | tr '\n' ' ')" "$(b 4) $(b 5) $(b 6) "
expect_eq "compare: the metric side by side" \
    "$(updraft compare t7100_eval 2026-11-01 2026-11-02 |
        grep -E '^. metrics.eval.score' | sed 's/  */ /g')" \
    "* metrics.eval.score 1 2"

# The liar's promised file is missing: the task fails, saying so.
updraft unpause t7100_liar >/dev/null
rl=$(updraft trigger t7100_liar --date 2026-11-02)
run_until_done 240 t7100_liar || fail "liar finished in time"
expect_eq "a missing declared output fails the task" \
    "$(updraft tasks t7100_liar "$rl" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["state"], t["exit_code"], t["reason"])')" \
    "failed 0 output 'result' missing: $D/nothing/20261102.txt"

# check, over the whole folder: inputs naming a DAG or a task that is not
# there (the scheduler only waits for them).
cat > "$D/t7100_typo.dag" <<'DAG'
schedule = "none";
tasks = (
  { id = "a"; command = "true";
    inputs = { m = "t7100_trian:train:model"; n = "t7100_train:trian:model"; }; }
);
DAG
out=$(updraft check 2>&1 >/dev/null)
expect_eq "check: an input's dag and task must exist" "$out" \
"$D/t7100_typo.dag:4: task 'a': input 'm': no dag 't7100_trian' in the DAGs folder
$D/t7100_typo.dag:4: task 'a': input 'n': dag 't7100_train' has no task 'trian'"

done_testing
