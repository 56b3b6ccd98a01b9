#!/bin/sh
# `updraft scheduler --in-slurm`: the scheduler as a chain of Slurm jobs.
# A DAG is caught up with no scheduler started outside Slurm; killing the
# running link leaves one chain; `updraft stop` leaves no link; `updraft
# status` reports a broken chain. Links every 5s, as only a test would.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t8100_
need_slurm

# Whatever happens, the test leaves no link behind.
trap '"$UPDRAFT_BIN" stop >/dev/null 2>&1; cleanup' EXIT

expect_eq "--in-slurm with --once" \
    "$(updraft scheduler --in-slurm --once 2>&1; echo "exit $?")" \
"usage: updraft scheduler [--once] | --in-slurm [--every DURATION] [--qos QOS] [--account ACCOUNT] [--partition PARTITION]
exit 2"
expect_status "--every without --in-slurm" 2 updraft scheduler --every 5m
expect_eq "a bad --every" \
    "$(updraft scheduler --in-slurm --every 0s 2>&1; echo "exit $?")" \
"updraft: bad --every '0s': expected a duration such as 30s, 5m or 1h
exit 2"
expect_eq "a link's mode outside a link" \
    "$(env -u SLURM_JOB_ID "$UPDRAFT_BIN" scheduler --in-slurm-job 2>&1; echo "exit $?")" \
"updraft: bad --in-slurm-job: only in the chain's own jobs: use 'updraft scheduler --in-slurm'
exit 2"
expect_eq "stop with no chain" "$(updraft stop 2>&1; echo "exit $?")" \
"no scheduler chain was running
exit 0"
expect_eq "no chain, no section in status" \
    "$(updraft status | grep -c 'scheduler chain')" 0
expect_eq "no chain, no field in status --json" \
    "$(updraft status --json | grep -c '"chain"')" 0

printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
cat > "$UPDRAFT_HOME/dags/t8100_daily.dag" <<EOF2
schedule = "@daily";
start_date = "$(date -u -d '3 days ago' +%Y-%m-%d)";
defaults = { time = "1"; mem = "10M"; };
tasks = ({ id = "t"; command = "true"; });
EOF2
updraft unpause t8100_daily >/dev/null

out=$(updraft scheduler --in-slurm --every 5s)
chain=$(printf '%s\n' "$out" | sed -n '1s/.*(\(updraft-sched__[0-9a-f]*\)).*/\1/p')
first=$(printf '%s\n' "$out" | sed -n '1s/.*job \([0-9]*\) .*/\1/p')
expect_eq "--in-slurm submits the first link and says so" "$out" \
"scheduler chain started: job $first ($chain), a link every 5s
its log: $UPDRAFT_HOME/scheduler-chain.log"

# links STATE: how many links of the chain Slurm has in STATE.
links() {
	squeue -h -n "$chain" -t "$1" -o %i 2>/dev/null | wc -l
}

again=$(updraft scheduler --in-slurm --every 5s 2>&1; echo "exit $?")
expect_eq "a second --in-slurm is refused" \
    "$(printf '%s\n' "$again" | sed 's/is \(pending\|running\);/is STATE;/')" \
"updraft: a scheduler chain already runs for '$UPDRAFT_HOME': job $first is STATE; stop it first with 'updraft stop'
exit 1"

# chain_json FIELD: a field of status --json's chain.
chain_json() {
	updraft status --json | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)["chain"][sys.argv[1]])' "$1"
}

# runs_states DAG: the states of its runs, on one line.
runs_states() {
	updraft runs "$1" --json 2>/dev/null | json_field state | tr '\n' ' '
}

# watch DAG STATES: wait (90s at most) until the DAG's runs are in STATES,
# counting in most_pending and most_running the most links seen at once.
watch() {
	most_pending=0 most_running=0
	wait_for 90 "the runs of $1 to be $2" watch_once "$1" "$2"
}
watch_once() {
	p=$(links PENDING) r=$(links RUNNING)
	[ "$p" -gt "$most_pending" ] && most_pending=$p
	[ "$r" -gt "$most_running" ] && most_running=$r
	[ "$(runs_states "$1")" = "$2" ]
}

# Catch up, watching that never two links pend or run.
watch t8100_daily "success success success "
expect_eq "the chain catches the DAG up" "$(runs_states t8100_daily)" \
    "success success success "
expect_eq "never two links pending" "$most_pending" 1
expect_eq "never two links running" "$(test "$most_running" -le 1 && echo yes)" yes
expect_eq "the runs were made in a link (its log is the chain's)" \
    "$(grep -c "dag 't8100_daily': created 3 runs" "$UPDRAFT_HOME/scheduler-chain.log")" 1
expect_eq "the first link submitted the second" \
    "$(grep "link job $first:" "$UPDRAFT_HOME/scheduler-chain.log" | sed 's/[0-9][0-9]*$/N/')" \
    "updraft: link job $first: next link is job N"

# A slow task keeps a link running through its passes: kill it there.
cat > "$UPDRAFT_HOME/dags/t8100_slow.dag" <<EOF2
schedule = "@once";
start_date = "2026-01-01";
defaults = { time = "1"; mem = "10M"; };
tasks = ({ id = "t"; command = "sleep 6"; });
EOF2
updraft unpause t8100_slow >/dev/null
# Sets victim, the link that runs while the slow task does.
victim_running() {
	[ "$(runs_states t8100_slow)" = "running " ] &&
	    victim=$(squeue -h -n "$chain" -t RUNNING -o %i) && [ -n "$victim" ]
}
victim=
wait_for 60 "a link to run beside the slow task" victim_running
expect_eq "a link runs while the slow task does" \
    "$(squeue -h -j "$victim" -o '%j %T')" "$chain RUNNING"
scancel -s KILL "$victim"
sleep 2
expect_eq "after scancel -s KILL, one link is left pending" "$(links PENDING)" 1
expect_eq "the killed link is gone" \
    "$(squeue -h -j "$victim" -t PENDING,RUNNING -o %i 2>/dev/null)" ""
watch t8100_slow "success "
expect_eq "the chain goes on: the slow DAG completes" \
    "$(runs_states t8100_slow)" "success "
expect_eq "still never two links pending" "$most_pending" 1
expect_eq "still never two links running" \
    "$(test "$most_running" -le 1 && echo yes)" yes
expect_eq "status --json: running, every 5s" \
    "$(chain_json state) $(chain_json every)" "running 5"
expect_eq "status shows the live links" \
    "$(updraft status | sed -n '/^scheduler chain/,$p' | sed -n '1p;/JOB_ID/p')" \
"scheduler chain (a link every 5s):
  JOB_ID  STATE    SINCE"

out=$(updraft stop)
expect_eq "stop cancels the links, each once" \
    "$(printf '%s\n' "$out" | grep -c '^cancelled scheduler job [0-9]* (pending)$') $(printf '%s\n' "$out" | grep -vc '^cancelled scheduler job [0-9]* (\(pending\|running\))$') $(printf '%s\n' "$out" | sort | uniq -d | wc -l)" \
    "1 0 0"
sleep 6
expect_eq "stop leaves no link" "$(links PENDING,RUNNING)" 0
expect_eq "status --json: stopped, no links" \
    "$(chain_json state) $(chain_json links)" "stopped []"
expect_eq "status says it was stopped" \
    "$(updraft status | sed -n '/^scheduler chain/,$p' | sed 's/ at .*//;/last link/d')" \
"scheduler chain (a link every 5s):
  stopped by 'updraft stop'"

# Broken: the pending link cancelled by hand, then the running one. A slow
# task keeps the first link running meanwhile: once it ends, Slurm lifts
# its successor's singleton dependency and no longer shows it.
cat > "$UPDRAFT_HOME/dags/t8100_slow.dag" <<'EOF2'
schedule = "none";
tasks = ({ id = "t"; command = "sleep 40"; time = "2"; mem = "10M"; });
EOF2
updraft unpause t8100_slow >/dev/null
updraft trigger t8100_slow >/dev/null
first=$(updraft scheduler --in-slurm --every 1h --partition gpu |
    sed -n '1s/.*job \([0-9]*\) .*/\1/p')
# The first link writes the chain's file once it has submitted the next.
wait_for 30 "the first link to write the chain's file" \
    grep -qx "link_job $first" "$UPDRAFT_HOME/scheduler-chain"
link=$(sed -n 's/^next_job //p' "$UPDRAFT_HOME/scheduler-chain")
expect_eq "the successor is pending" "$(squeue -h -j "$link" -o %T)" PENDING
expect_eq "the successor: singleton, not requeued, in --partition, logs appended" \
    "$(scontrol show job "$link" | grep -o 'Dependency=singleton\|Requeue=[0-9]\|Partition=[a-z]*\|StdOut=[^ ]*\|TimeLimit=[^ ]*' | sort)" \
"Dependency=singleton
Partition=gpu
Requeue=0
StdOut=$UPDRAFT_HOME/scheduler-chain.log
TimeLimit=01:10:00"
begin=$(date -d "$(scontrol show job "$link" | sed -n 's/.*EligibleTime=\([^ ]*\).*/\1/p;s/.*BeginTime=\([^ ]*\).*/\1/p' | head -1)" +%s)
started=$(sed -n 's/^link_start //p' "$UPDRAFT_HOME/scheduler-chain")
expect_eq "the successor begins an interval after its predecessor started" \
    "$((begin - started))" 3600
scancel -n "$chain" -t PENDING
scancel -n "$chain"
no_links() {
	[ "$(links PENDING,RUNNING)" = 0 ]
}
wait_for 30 "every link to leave the queue" no_links
expect_eq "status reports the broken chain" \
    "$(updraft status | sed -n '/^scheduler chain/,$p' | sed '/last link/d')" \
"scheduler chain (a link every 1h):
  broken: no link is pending or running; restart it with 'updraft scheduler --in-slurm'"
expect_eq "status --json: broken" "$(chain_json state) $(chain_json name)" \
    "broken $chain"
expect_eq "a broken chain can be started again" \
    "$(updraft scheduler --in-slurm --every 1h | sed -n '1s/job [0-9]*/job N/p')" \
    "scheduler chain started: job N ($chain), a link every 1h"
updraft stop >/dev/null
expect_eq "and stopped" "$(links PENDING,RUNNING)" 0

done_testing
