#!/bin/sh
# Finding 2 of issue 15, as the attack: a task's log is replaced by a
# symbolic link to a file only the scheduler's user may read, so that the
# failure notification's log_tail (and `updraft logs`) would carry that
# file's text. The log is opened without following links: no tail, and
# `updraft logs` says why.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t9402_

vault=$(mktemp -d "${TMPDIR:-/tmp}/t9402-vault.XXXXXX")
chmod 700 "$vault"
printf 't9402-only-for-the-scheduler\n' > "$vault/secret"
chmod 600 "$vault/secret"
events=$vault/events
trap 'rm -rf "$vault"; cleanup' EXIT

cat > "$UPDRAFT_HOME/updraft.conf" <<EOF
poll_interval = 1;
notify = { group_window = 0; };
channels = {
  out = { type = "command"; argv = ["/bin/sh", "-c", "cat >> '$events'; echo >> '$events'"];
    events = ["task_failed"]; };
};
EOF
# The job swaps its own log (its stdout) for a link to the secret.
cat > "$UPDRAFT_HOME/dags/t9402_swap.dag" <<DAG
schedule = "none";
defaults = { time = "1"; mem = "50M"; };
tasks = ({ id = "a"; command = "echo before; log=\$(readlink /proc/\$\$/fd/1); rm -f \"\$log\"; ln -s '$vault/secret' \"\$log\"; exit 1"; });
DAG
updraft unpause t9402_swap >/dev/null
run=$(updraft trigger t9402_swap)
run_until_done 120 t9402_swap || fail "the run ended in time"
log=$UPDRAFT_HOME/logs/t9402_swap/$run/a.1.log

expect_eq "the run failed" "$(updraft runs t9402_swap --json | json_field state)" failed
expect_eq "the log is the planted link" "$(readlink "$log")" "$vault/secret"
told() { [ -s "$events" ]; }
wait_for 30 "the failure to be told" told
expect_eq "the failure was told, about that log" \
    "$(/usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    if line.strip():
        for e in json.loads(line)["events"]:
            print(e["kind"], e["log_path"], e["log_tail"])' "$events")" \
    "task_failed $log None"
if grep -qs t9402-only "$events" "$UPDRAFT_HOME"/updraft.db*; then
	fail "the secret is in no message and nowhere in the database"
else
	pass "the secret is in no message and nowhere in the database"
fi
out=$(updraft logs t9402_swap "$run" a 2>&1)
expect_eq "updraft logs refuses the link" "$out" \
    "updraft: cannot open log '$log': it is a symbolic link (name the file it points to)"

done_testing
