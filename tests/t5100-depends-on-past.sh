#!/bin/sh
# depends_on_past on the local Slurm: a task waits for the same task of the
# previous logical date, even when the runs themselves may run at once.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5100_

trace=$UPDRAFT_HOME/trace
cat > "$UPDRAFT_HOME/dags/t5100_dop.dag" <<DAG
schedule = "@daily";
start_date = "2026-06-01";
catchup = false;
defaults = { time = "5"; mem = "50M"; };
tasks = (
  { id = "ordered"; depends_on_past = true;
    command = "echo start \$UPDRAFT_DS \$(date +%s%N) >> $trace; sleep 1; echo end \$UPDRAFT_DS \$(date +%s%N) >> $trace; test ! -e $UPDRAFT_HOME/fail-\$UPDRAFT_DS"; },
  { id = "free"; command = "true"; }
);
DAG

touch "$UPDRAFT_HOME/fail-2026-06-03"
updraft backfill t5100_dop --from 2026-06-01 --to 2026-06-04 --max-active 4 >/dev/null
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
start_scheduler
# runs_are STATES: the states of the DAG's runs, oldest first.
runs_are() {
	[ "$(updraft runs t5100_dop --json | json_field state | tr '\n' ' ')" = "$1" ]
}
wait_for 60 "the runs to reach success success failed running" \
    runs_are "success success failed running "
sleep 3
expect_eq "the date after a failure waits" \
    "$(updraft runs t5100_dop --json | json_field state | tr '\n' ' ')" \
    "success success failed running "
expect_eq "only its depends_on_past task waits" \
    "$(updraft tasks t5100_dop 2026-06-04 --json | json_field state | tr '\n' ' ')" \
    "none success "
expect_eq "each date started after the previous one ended" \
    "$(awk '{ print $1, $2 }' "$trace" | tr '\n' ' ')" \
    "start 2026-06-01 end 2026-06-01 start 2026-06-02 end 2026-06-02 start 2026-06-03 end 2026-06-03 "

# Mend the failed date: the waiting one then runs.
rm -f "$UPDRAFT_HOME/fail-2026-06-03"
updraft backfill t5100_dop --from 2026-06-03 --to 2026-06-03 --reprocess failed >/dev/null
wait_for 60 "every run to succeed" runs_are "success success success success "
kill "$scheduler_pid"; wait "$scheduler_pid"; scheduler_pid=
expect_eq "once mended, the waiting date runs" \
    "$(updraft runs t5100_dop --json | json_field state | tr '\n' ' ')" \
    "success success success success "
expect_eq "and in order" "$(grep ^start "$trace" | cut -d' ' -f2 | tail -2 | tr '\n' ' ')" \
    "2026-06-03 2026-06-04 "

done_testing
