#!/bin/sh
# Two verbs on a new database at the same moment: one migrates, the other
# waits for its lock and then finds the schema done, rather than making
# its tables a second time ("table dag already exists").
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t0180_

fetch_train_dag t0180_a
fetch_train_dag t0180_b
db=$UPDRAFT_HOME/updraft.db
# An empty database in WAL mode whose write lock another process holds
# for 2 s: both verbs read its version (0) and then wait for the lock.
sqlite3 "$db" 'PRAGMA journal_mode = WAL' >/dev/null
chmod 600 "$db"
/usr/bin/python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(2)
c.execute("COMMIT")' "$db" "$UPDRAFT_HOME/locked" &
holder=$!
wait_for 10 "the lock" test -e "$UPDRAFT_HOME/locked"
updraft unpause t0180_a >"$UPDRAFT_HOME/a.out" 2>&1 &
a=$!
updraft unpause t0180_b >"$UPDRAFT_HOME/b.out" 2>&1 &
b=$!
wait "$a"; rc_a=$?
wait "$b"; rc_b=$?
wait "$holder"
expect_eq "both verbs answer, neither migrates twice" \
    "$rc_a $(cat "$UPDRAFT_HOME/a.out"), $rc_b $(cat "$UPDRAFT_HOME/b.out")" \
    "0 dag 't0180_a' unpaused, 0 dag 't0180_b' unpaused"
expect_eq "both DAGs are unpaused" \
    "$(sqlite3 "$db" "SELECT dag_id, paused FROM dag WHERE dag_id LIKE 't0180_%' ORDER BY dag_id")" \
    "t0180_a|0
t0180_b|0"

done_testing
