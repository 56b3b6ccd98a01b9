#!/bin/sh
# The scheduler's lease: two schedulers on one database, playing two hosts
# (UPDRAFT_HOST): exactly one acts, the other waits on standby; kill the
# first and the second takes over once the lease expires. `updraft status`
# names the holder (host, pid, Slurm job) and its last pass, and warns when
# a pass is overdue.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t8000_

cat > "$UPDRAFT_HOME/dags/t8000_lease.dag" <<'DAG'
schedule = "none";
start_date = "2026-01-01";
tasks = ( { id = "a"; command = "echo from $UPDRAFT_RUN_ID"; } );
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
db=$UPDRAFT_HOME/updraft.db

# play HOST JOBID LOG: start a scheduler as HOST (Slurm job JOBID, or none).
play() {
	(trap - EXIT; exec 9>&-
	 [ -n "$2" ] && SLURM_JOB_ID=$2 && export SLURM_JOB_ID
	 UPDRAFT_HOST=$1 exec "$UPDRAFT_BIN" scheduler) >> "$3" 2>&1 &
}

# wait_for FILE TEXT SECONDS: until FILE holds TEXT; 1 on timeout.
wait_for() {
	i=0
	while ! grep -qs "$2" "$1"; do
		i=$((i + 1))
		[ "$i" -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

# run_state RUN: the state of a run of t8000_lease.
run_state() {
	updraft runs t8000_lease --json | /usr/bin/python3 -c '
import json, sys
print([r["state"] for r in json.load(sys.stdin) if r["run_id"] == sys.argv[1]][0])' "$1"
}

# wait_run RUN SECONDS: until the run succeeds or fails.
wait_run() {
	i=0
	while :; do
		state=$(run_state "$1")
		case "$state" in success|failed) echo "$state"; return ;; esac
		i=$((i + 1))
		[ "$i" -gt $(($2 * 10)) ] && { echo "$state"; return; }
		sleep 0.1
	done
}

updraft unpause t8000_lease >/dev/null
play hostA 4242 "$UPDRAFT_HOME/a.log"
pid_a=$!
scheduler_pid=$pid_a
wait_for "$UPDRAFT_HOME/a.log" 'scheduler started' 10 || fail "A started"
play hostB "" "$UPDRAFT_HOME/b.log"
pid_b=$!
wait_for "$UPDRAFT_HOME/b.log" standby 10 || fail "B went on standby"
expect_eq "B waits on standby, naming A's host, pid and job" \
    "$(cat "$UPDRAFT_HOME/b.log")" \
    "updraft: standby: another scheduler is running on '$db' (host hostA, pid $pid_a, Slurm job 4242); taking over if its lease expires (10 s after its last heartbeat)"

updraft trigger t8000_lease --date 2026-02-01 >/dev/null
expect_eq "A runs what is triggered" "$(wait_run manual__2026-02-01T00:00:00+00:00 60)" success
expect_eq "A submitted it" "$(grep -c '2026-02-01T00:00:00+00:00 a: submitted try 1' "$UPDRAFT_HOME/a.log")" 1
expect_eq "B did nothing" "$(grep -vc standby "$UPDRAFT_HOME/b.log")" 0

out=$(UPDRAFT_HOST=hostC updraft scheduler --once 2>&1)
expect_eq "a third scheduler, --once, exits 1" "$?" 1
expect_eq "naming A's host, pid and Slurm job" "$out" \
    "updraft: another scheduler is running on '$db' (host hostA, pid $pid_a, Slurm job 4242)"
out=$(UPDRAFT_HOST=hostA updraft scheduler --once 2>&1)
expect_eq "one of A's own host names A's pid" "$out" \
    "updraft: another scheduler is running on '$db' (pid $pid_a)"

out=$(UPDRAFT_HOST=hostB updraft status --utc | sed -n '1,2p' |
    sed 's/[0-9]*-[0-9]*-[0-9]* [0-9:]*/TIME/')
expect_eq "status: who holds the lease, and its last pass" "$out" \
    "scheduler: running on hostA (pid $pid_a, Slurm job 4242)
last pass: TIME on hostA (pid $pid_a, Slurm job 4242)"
out=$(updraft status --json | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)["scheduler"]
print(s["host"], s["lease_pid"], s["job_id"], s["lease_live"], s["overdue"],
    s["last_pass"] is not None, s["next_pass"] is not None)')
expect_eq "status --json: the lease" "$out" \
    "hostA $pid_a 4242 True False True True"

# Kill A: B takes over when A's lease (10 s: three poll intervals, at
# least 10 s) has run out, not before, and acts.
kill -9 "$pid_a"
wait "$pid_a" 2>/dev/null
killed=$(date +%s)
wait_for "$UPDRAFT_HOME/b.log" 'taking over from' 20 || fail "B took over"
took=$(( $(date +%s) - killed ))
echo "# B took over ${took}s after A was killed"
if [ "$took" -ge 8 ] && [ "$took" -le 12 ]; then
	pass "B took over as the lease ran out (${took}s)"
else
	fail "B took over as the lease ran out (${took}s, want 8 to 12)"
fi
expect_eq "B says whom it took over from" \
    "$(grep 'taking over from' "$UPDRAFT_HOME/b.log" | sed 's/expired [0-9]* s/expired N s/')" \
    "updraft: taking over from the scheduler (host hostA, pid $pid_a, Slurm job 4242), whose lease expired N s ago"
scheduler_pid=$pid_b
updraft trigger t8000_lease --date 2026-02-02 >/dev/null
expect_eq "B runs what is triggered now" "$(wait_run manual__2026-02-02T00:00:00+00:00 60)" success
expect_eq "B submitted it" "$(grep -c '2026-02-02T00:00:00+00:00 a: submitted try 1' "$UPDRAFT_HOME/b.log")" 1
expect_eq "status: B holds the lease" "$(UPDRAFT_HOST=hostA updraft status | sed -n 1p)" \
    "scheduler: running on hostB (pid $pid_b)"

# A scheduler that renews its lease but makes no pass (hung in a pass)
# is overdue once its next pass is later than a lease: status warns.
kill -STOP "$pid_b"
now=$(date +%s)
sqlite3 "$db" "UPDATE scheduler_lease SET heartbeat = $now, expires = $now + 10, last_pass = 1000, next_pass = 1000"
expect_eq "status: an overdue pass is a warning" \
    "$(UPDRAFT_HOST=hostA updraft status --utc | sed -n 1,3p)" \
    "scheduler: running on hostB (pid $pid_b)
last pass: 1970-01-01 00:16:40 on hostB (pid $pid_b)
warning: no pass since 1970-01-01 00:16:40; one was due by 1970-01-01 00:16:40"

# A scheduler whose lease another has taken (it was stopped too long)
# stops at its next heartbeat, without touching the lease.
sqlite3 "$db" "UPDATE scheduler_lease SET host = 'hostZ', pid = 1, heartbeat = $now, expires = $now + 100"
kill -CONT "$pid_b"
wait_for "$UPDRAFT_HOME/b.log" 'has taken the lease' 5
expect_eq "a scheduler whose lease was taken stops" \
    "$(grep 'has taken' "$UPDRAFT_HOME/b.log")" \
    "updraft: the scheduler (host hostZ, pid 1) has taken the lease: stopping"
wait "$pid_b"
expect_eq "and exits 1" "$?" 1
scheduler_pid=
expect_eq "the lease is still hostZ's" \
    "$(sqlite3 "$db" 'SELECT host, pid FROM scheduler_lease')" "hostZ|1"
sqlite3 "$db" "UPDATE scheduler_lease SET heartbeat = NULL, expires = NULL, next_pass = NULL"

# A clean stop lets the lease go: the next scheduler needs no wait.
play hostC "" "$UPDRAFT_HOME/c.log"
scheduler_pid=$!
wait_for "$UPDRAFT_HOME/c.log" 'scheduler started' 10 || fail "C started"
kill "$scheduler_pid"
wait "$scheduler_pid"
expect_eq "SIGTERM: exit 0" "$?" 0
scheduler_pid=
expect_eq "status: not running, no warning" \
    "$(UPDRAFT_HOST=hostA updraft status | sed -n 1p; UPDRAFT_HOST=hostA updraft status | grep -c warning)" \
    "scheduler: not running
0"
out=$(UPDRAFT_HOST=hostD updraft scheduler --once 2>&1)
expect_eq "the next one starts at once" "$?" 0

printf 'db_locks = "sometimes";\n' >> "$UPDRAFT_HOME/updraft.conf"
expect_eq "db_locks: a bad value" "$(updraft status 2>&1)" \
    "updraft: $UPDRAFT_HOME/updraft.conf:2: 'db_locks' must be \"auto\", \"trusted\" or \"untrusted\""

done_testing
