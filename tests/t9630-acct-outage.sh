#!/bin/sh
# slurmdbd away while a job ends: the try ends all the same, with the
# wrapper's figures, and the scheduler asks again every 30 seconds; once
# slurmdbd is back (slurmctld kept the job's records for it), the figures
# come from accounting.
. "$(dirname "$0")/lib.sh"
need_accounting
need_slurm_alone
slow_test
TEST_JOB_PREFIX=t9630_

dir=$(slurm_dir)
slurmdbd=$(dirname "$(command -v sinfo)")/../sbin/slurmdbd
[ -x "$slurmdbd" ] || slurmdbd=/usr/sbin/slurmdbd
dbd_pid() {
	pid=$(cat "$dir/run/slurmdbd.pid" 2>/dev/null) &&
	    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = slurmdbd ] && echo "$pid"
}
# Without the Slurm lock's descriptor: slurmdbd outlives the test.
dbd_start() {
	dbd_pid >/dev/null || SLURM_CONF=$SLURM_CONF "$slurmdbd" 9>&- ||
	    fail "slurmdbd starts again"
}
trap 'dbd_start; cleanup' EXIT
pid=$(dbd_pid) || fail "slurmdbd runs"
kill "$pid"
# Gone for good, not only its pid file (a zombie counts as gone).
dbd_gone() {
	state=$(cat "/proc/$pid/stat" 2>/dev/null) || return 0
	state=${state##*) }
	[ "${state%% *}" = Z ]
}
wait_for 30 "slurmdbd to stop" dbd_gone

cat > "$UPDRAFT_HOME/dags/t9630_outage.dag" <<'DAG'
schedule = "none";
defaults = { time = "5"; mem = "1G"; };
tasks = (
  { id = "big"; command = "srun /usr/bin/python3 -c 'import time; b = b\"x\" * (100 << 20); time.sleep(2)'"; }
);
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t9630_outage >/dev/null
updraft trigger t9630_outage >/dev/null
run_until_done 120 t9630_outage || fail "the run finished without slurmdbd"
figures() {
	updraft export t9630_outage --json | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["figures"].get("big"))'
}
expect_eq "without slurmdbd, the wrapper's figures" "$(figures)" wrapper
expect_eq "and the scheduler said it would ask again" \
    "$(grep -c 'accounting: .*; asking again in 30 seconds' "$UPDRAFT_HOME/scheduler.log")" 1

dbd_start
start_scheduler
from_accounting() { [ "$(figures)" = accounting ]; }
wait_for 90 "figures from accounting once slurmdbd is back" from_accounting
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
expect_eq "the srun step's MaxRSS (100 MB, within 20%)" \
    "$(updraft export t9630_outage --json | /usr/bin/python3 -c '
import json, sys
rss = json.load(sys.stdin)[0]["metrics"]["big.job_max_rss_kb"]
print("ok" if 0.8 * 102400 <= rss <= 1.2 * 102400 else rss)')" ok

done_testing
