#!/bin/sh
# A DAG that changes between runs: each version is kept, old runs keep their
# graph and version, and a removed file's DAG keeps its history.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t1200_

f=$UPDRAFT_HOME/dags/t1200_v.dag
cat > "$f" <<'DAG'
schedule = "none";
tasks = (
  { id = "a"; command = "true"; },
  { id = "b"; after = "a"; command = "true"; }
);
DAG
v1_text=$(cat "$f")
run1=$(updraft trigger t1200_v)
cat > "$f" <<'DAG'
schedule = "none";
tasks = (
  { id = "a"; command = "true"; },
  { id = "c"; after = "a"; command = "echo new"; }
);
DAG
run2=$(updraft trigger t1200_v)

expect_eq "two versions, one run each" \
    "$(updraft versions t1200_v | awk 'NR > 1 { print $1, length($2), $NF }')" \
"1 16 1
2 16 1"
expect_eq "the old run keeps its graph" \
    "$(updraft tasks t1200_v "$run1" --json | json_field task_id | tr '\n' ' ')" "a b "
expect_eq "the new run has the new one" \
    "$(updraft tasks t1200_v "$run2" --json | json_field task_id | tr '\n' ' ')" "a c "
expect_eq "show --version 1 gives the first file" \
    "$(updraft show t1200_v --version 1)" "$v1_text"
expect_eq "show gives the newest" "$(updraft show t1200_v)" "$(cat "$f")"
expect_eq "diff shows the change" \
    "$(updraft diff t1200_v 1 2 | grep '^[-+] ')" \
'-  { id = "b"; after = "a"; command = "true"; }
+  { id = "c"; after = "a"; command = "echo new"; }'
out=$(updraft show t1200_v --version 3 2>&1)
expect_eq "an unknown version" "$out" "updraft: dag 't1200_v' has no version '3'"
out=$(updraft versions t1200_w 2>&1)
expect_eq "an unknown dag" "$out" "updraft: cannot find dag 't1200_w'; did you mean 't1200_v'?"

out=$(updraft trigger t1200_v --date 2026-03-01T12:00)
expect_eq "trigger --date: that logical date" "$out" "manual__2026-03-01T12:00:00+00:00"
out=$(updraft trigger t1200_v --date 2026-03-01T12:00 2>&1)
expect_eq "trigger --date: never two runs at one date" "$out" \
    "updraft: dag 't1200_v' already has a run at 2026-03-01T12:00:00+00:00"

rm "$f"
updraft list >/dev/null 2>&1
expect_eq "a removed file's DAG is missing, not gone" \
    "$(updraft list --json | json_field state)" missing
expect_eq "and keeps its runs" "$(updraft runs t1200_v --json | json_field run_id | wc -l)" 3

done_testing
