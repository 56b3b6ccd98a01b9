#!/bin/sh
# Signals on the local Slurm, as sbatch users rely on them: a checkpointing
# payload gets the B: signal before its time limit and ends the task well;
# a cancelled task leaves no process behind, not even one that Slurm's
# process tracking lost (no cgroups here: proctrack/linuxproc).
. "$(dirname "$0")/lib.sh"
slow_test
need_slurm
TEST_JOB_PREFIX=t5800_

tag=$$$(date +%s)
cat > "$UPDRAFT_HOME/ckpt.sh" <<EOF
#!/bin/bash
trap 'echo "checkpoint at \$SECONDS s"; echo saved > "$UPDRAFT_HOME/ckpt.out"; exit 0' USR1
echo training
sleep 200 &
wait
echo "the time limit came first"
exit 3
EOF
chmod +x "$UPDRAFT_HOME/ckpt.sh"
# Slurm's shortest limit is a minute and it may signal up to a minute early,
# so B:USR1@60 comes at once, within the controller's periodic check.
cat > "$UPDRAFT_HOME/dags/t5800_sig.dag" <<DAG
schedule = "none";
defaults = { mem = "10M"; };
tasks = (
  { id = "train"; script = "$UPDRAFT_HOME/ckpt.sh"; time = "1"; signal = "B:USR1@60"; }
);
DAG
cat > "$UPDRAFT_HOME/dags/t5800_cancel.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "long"; command = "(sleep 7001.$tag &); sleep 7002.$tag & sleep 7003.$tag"; }
);
DAG
updraft unpause t5800_sig >/dev/null
updraft unpause t5800_cancel >/dev/null

sig=$(updraft trigger t5800_sig)
run_until_done 150 t5800_sig || fail "the checkpointing run finished"
expect_eq "the task that caught its signal succeeded" \
    "$(updraft tasks t5800_sig "$sig" --json | json_field state)" success
expect_eq "its payload checkpointed" "$(cat "$UPDRAFT_HOME/ckpt.out" 2>&1)" saved
log=$(updraft logs t5800_sig "$sig" train 2>&1)
case "$log" in
*"SIGUSR1 forwarded to the task"*"checkpoint at"*"updraft: exit status 0"*)
	pass "the log shows the signal forwarded and the checkpoint" ;;
*)	fail "the log shows the signal forwarded and the checkpoint"
	printf '%s\n' "$log" | sed 's/^/#   /' ;;
esac
job=$(updraft tasks t5800_sig "$sig" --json | json_field job_id)
expect_eq "Slurm says COMPLETED 0:0" \
    "$(scontrol show job "$job" 2>/dev/null | sed -n 's/.*JobState=\([A-Z]*\).*/\1/p;s/.* ExitCode=\([0-9:]*\).*/\1/p' | tr '\n' ' ')" \
    "COMPLETED 0:0 "

run=$(updraft trigger t5800_cancel)
start_scheduler
running() { pgrep -f "sleep 7003.$tag" >/dev/null && pgrep -f "sleep 7001.$tag" >/dev/null; }
n=0
until running || [ "$n" -ge 60 ]; do sleep 0.5; n=$((n + 1)); done
running && pass "the task's processes run, one of them an orphan" ||
    fail "the task's processes run, one of them an orphan"
updraft cancel t5800_cancel "$run" >/dev/null
n=0
while pgrep -f "sleep 700[123].$tag" >/dev/null && [ "$n" -lt 40 ]; do
	sleep 0.5; n=$((n + 1))
done
left=$(pgrep -af "sleep 700[123].$tag")
expect_eq "no process of the cancelled task is left" "$left" ""
[ -n "$left" ] && pkill -f "sleep 700[123].$tag"
expect_eq "the cancelled task failed" \
    "$(updraft tasks t5800_cancel "$run" --json | json_field state)" failed
done_testing
