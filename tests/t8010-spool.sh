#!/bin/sh
# Where the filesystem's locks cannot be trusted (here: db_locks =
# "untrusted" on a local disk), only the scheduler writes the database.
# Verbs that write leave requests in the spool, written then renamed; the
# scheduler applies them at its next pass and the verb answers as it would
# have. Readers read a snapshot renamed into place, and never write.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t8010_

cat > "$UPDRAFT_HOME/dags/t8010_spool.dag" <<'DAG'
schedule = "none";
start_date = "2026-01-01";
tasks = ( { id = "a"; command = "true"; } );
DAG
printf 'poll_interval = 1;\ndb_locks = "untrusted";\n' > "$UPDRAFT_HOME/updraft.conf"
spool=$UPDRAFT_HOME/spool
db=$UPDRAFT_HOME/updraft.db

# A write with no scheduler: the request waits in the spool.
out=$(updraft unpause t8010_spool 2>&1)
expect_eq "no scheduler: unpause exits 0" "$?" 0
req=$(ls "$spool")
case "$req" in
*-*-*-0.req) pass "one request in the spool: $req" ;;
*) fail "one request in the spool: $req" ;;
esac
expect_eq "and says so" "$out" \
    "updraft: no scheduler is running: request '${req%.req}' waits in '$UPDRAFT_HOME/spool' for the scheduler"
expect_eq "the request names the verb and its arguments" \
    "$(tail -n +2 "$spool/$req")" "user 4:$(id -un)
argc 2
7:unpause
11:t8010_spool"

# Readers do not write: list loads the DAG files but records nothing.
before=$(sqlite3 "$db" 'SELECT count(*) FROM dag')
updraft list >/dev/null
expect_eq "list on untrusted locks writes nothing" \
    "$(sqlite3 "$db" 'SELECT count(*) FROM dag')" "$before"

start_scheduler
wait_for 10 "the scheduler to take the request" test ! -e "$spool/$req"
expect_eq "the scheduler applied the request" \
    "$(sqlite3 "$db" "SELECT paused FROM dag WHERE dag_id = 't8010_spool'")" 0
expect_eq "and warned at start" \
    "$(grep -c "whose locks cannot be trusted (db_locks is \"untrusted\"): only the scheduler writes it" "$UPDRAFT_HOME/scheduler.log")" 1
expect_eq "and logged it" \
    "$(grep -c "spool: ${req%.req}: updraft unpause (for $(id -un))" "$UPDRAFT_HOME/scheduler.log")" 1

# With a scheduler: the verb waits for its answer.
out=$(updraft trigger t8010_spool --date 2026-02-01)
expect_eq "trigger answers through the spool" "$out" \
    "manual__2026-02-01T00:00:00+00:00"
out=$(updraft pause t8010_nosuch 2>&1)
expect_eq "an error comes back with its exit status" "$?" 1
expect_eq "and its message" "$out" "updraft: cannot find dag 't8010_nosuch'"
expect_eq "no request is left, nor the answers given" "$(ls -A "$spool")" \
    "${req%.req}.done
${req%.req}.err
${req%.req}.out"

i=0
while [ $i -lt 600 ]; do
	state=$(updraft runs t8010_spool --json | json_field state)
	[ "$state" = success ] && break
	sleep 0.1
	i=$((i + 1))
done
expect_eq "the triggered run ran (read from the snapshot)" "$state" success
expect_eq "the snapshot is whole" \
    "$(sqlite3 "$db.snapshot" 'PRAGMA integrity_check')" ok
expect_eq "status reads the live lease" \
    "$(updraft status | sed -n 1p)" "scheduler: running on $(hostname) (pid $scheduler_pid)"

# Many verbs at once, while the scheduler runs: each applied once.
pids=
for n in 1 2 3 4 5 6; do
	updraft label t8010_spool manual__2026-02-01T00:00:00+00:00 "+l$n" >/dev/null &
	pids="$pids $!"
done
codes=
for p in $pids; do
	wait "$p"
	codes="$codes$?"
done
expect_eq "six labels at once: each answered, exit 0" "$codes" 000000
expect_eq "six labels, each once" \
    "$(sqlite3 "$db" 'SELECT group_concat(label) FROM (SELECT label FROM run_label ORDER BY label)')" \
    "l1,l2,l3,l4,l5,l6"
kill "$scheduler_pid"
wait "$scheduler_pid"
scheduler_pid=
expect_eq "status: the snapshot knows the scheduler stopped" \
    "$(updraft status | sed -n 1p)" "scheduler: not running"
expect_eq "the database is whole" "$(sqlite3 "$db" 'PRAGMA integrity_check')" ok
# (A copy being written while the scheduler runs is normal: once it has
# stopped, none may be left.)
expect_eq "no half-written snapshot lies about" \
    "$(ls "$UPDRAFT_HOME" | grep -c 'snapshot.tmp')" 0

done_testing
