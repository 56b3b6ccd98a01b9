#!/bin/sh
# What a newcomer meets first (no Slurm): check of named files against each
# other and the folder, read verbs on a new home, list's error lines, -V,
# colour under TERM=dumb and NO_COLOR.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t9300_
H=$UPDRAFT_HOME
D=$H/dags

printf 'tasks = ({ id = "a"; command = "true"; });\n' > "$D/t9300_ok.dag"
mkdir "$H/elsewhere"
printf 'dag_id = "t9300_same";\ntasks = ({ id = "a"; command = "true"; });\n' \
    > "$H/elsewhere/a.dag"
printf '# the second\ndag_id = "t9300_same";\ntasks = ({ id = "b"; command = "true"; });\n' \
    > "$H/elsewhere/b.dag"
printf 'dag_id = "t9300_ok";\ntasks = ({ id = "c"; command = "true"; });\n' \
    > "$H/elsewhere/c.dag"

# Named files: two that declare one dag_id are both refused.
cd "$H/elsewhere" || exit 1
expect_eq "check a.dag b.dag: one dag_id in two named files" \
    "$(updraft check a.dag b.dag 2>&1; echo "exit $?")" \
    "a.dag:1: dag id 't9300_same' is also declared in 'b.dag'
b.dag:2: dag id 't9300_same' is also declared in 'a.dag'
exit 1"
expect_eq "a named file against the folder's files" \
    "$(updraft check c.dag 2>&1; echo "exit $?")" \
    "c.dag:1: dag id 't9300_ok' is also declared in '$D/t9300_ok.dag'
exit 1"
expect_eq "an id from the file's name: file: message" \
    "$(updraft check c.dag "$D/t9300_ok.dag" 2>&1; echo "exit $?")" \
    "c.dag:1: dag id 't9300_ok' is also declared in '$D/t9300_ok.dag'
$D/t9300_ok.dag: dag id 't9300_ok' is also declared in 'c.dag'
exit 1"
expect_eq "a folder file named is not its own double" \
    "$(updraft check "$D/t9300_ok.dag" a.dag "$D/t9300_ok.dag" 2>&1; echo "exit $?")" \
    "$D/t9300_ok.dag: ok
a.dag: ok
$D/t9300_ok.dag: ok
exit 0"
cd / || exit 1

# Read verbs on a new home: an empty database in memory, no file made,
# neither in the home nor in the folder they run in.
before=$(ls -A "$H")
mkdir "$D/cwd"	# inside the home, which must not change
cd "$D/cwd" || exit 1
expect_eq "list on a new home: the folder's DAGs, paused" \
    "$(updraft list 2>&1; echo "exit $?")" \
    "DAG_ID    STATE   NEXT_RUN  FILE
t9300_ok  paused  -         $D/t9300_ok.dag
exit 0"
expect_eq "runs on a new home: the header only" \
    "$(updraft runs 2>&1; echo "exit $?")" \
    "DAG_ID  RUN_ID  TYPE       LOGICAL_DATE         STATE
exit 0"
expect_eq "runs --json on a new home" "$(updraft runs --json 2>&1)" "[]"
expect_eq "tasks on a new home: no DAG recorded yet" \
    "$(updraft tasks t9300_ok manual__1 2>&1; echo "exit $?")" \
    "updraft: cannot find dag 't9300_ok'
exit 1"
expect_eq "status on a new home" \
    "$(updraft status 2>&1 | sed -n '1p;5,6p'; echo "exit $?")" \
    "scheduler: not running
DAGs that do not load:
  none
exit 0"
for verb in "backfills" "grid t9300_ok" "versions t9300_ok" \
    "notify outbox" "graph t9300_ok"; do
	updraft $verb >/dev/null 2>&1
done
expect_eq "read verbs created nothing in the home" "$(ls -A "$H")" "$before"
expect_eq "nor where they ran (no ':memory:' file)" "$(ls -A .)" ""
cd / || exit 1

# Once the database exists, verbs that only read leave it as it was.
make_db t9300_ok
sum=$(cksum < "$H/updraft.db")
for verb in "runs" "runs t9300_ok" "status" "backfills" "tasks t9300_ok x" \
    "export t9300_ok --json" "notify outbox"; do
	updraft $verb >/dev/null 2>&1
done
expect_eq "read verbs leave the database as it was" \
    "$(cksum < "$H/updraft.db")" "$sum"

# list: each line of a broken DAG's error under its row, indented.
printf 'schedule = "@daily";\ntasks = (\n  { id = "a"; command = "true"; bogus = 1; },\n  { id = "b"; after = ["zz"]; command = "true"; }\n);\n' \
    > "$D/t9300_broken.dag"
expect_eq "list: every error line indented" "$(updraft list)" \
    "DAG_ID        STATE   NEXT_RUN  FILE
t9300_broken  broken  -         $D/t9300_broken.dag
  $D/t9300_broken.dag:1: missing 'start_date'
  $D/t9300_broken.dag:3: task 'a': unknown key 'bogus'
  $D/t9300_broken.dag:4: task 'b': 'after' names unknown task 'zz'
t9300_ok      paused  -         $D/t9300_ok.dag"

# -V is --version.
expect_eq "-V prints what --version prints" \
    "$(updraft -V; echo "exit $?")" "$(updraft --version; echo "exit $?")"

# Colour: only on a terminal that is not dumb, and not under NO_COLOR.
sqlite3 "$H/updraft.db" "INSERT INTO run (id, dag_id, run_id, run_type,
    state, created_by, logical_date, interval_start, interval_end,
    created_at) VALUES (1, 't9300_ok', 'manual__1', 'manual', 'failed',
    'me', 0, 0, 0, 0)"
if command -v script >/dev/null 2>&1; then
	esc=$(printf '\033')
	for env in "TERM=xterm" "TERM=dumb" "TERM=" "TERM=xterm NO_COLOR=1"; do
		out=$(env -u NO_COLOR -u TERM $env script -qc \
		    "$UPDRAFT_BIN runs t9300_ok" /dev/null < /dev/null)
		case "$out" in
		*"$esc"*) got="colour" ;;
		*) got="plain" ;;
		esac
		case "$env" in
		"TERM=xterm") want=colour ;;
		*) want=plain ;;
		esac
		expect_eq "runs on a terminal with $env" "$got" "$want"
	done
else
	test_passed=$((test_passed + 1))
	echo "ok $(test_count) # SKIP no script(1) to make a terminal"
fi

# Another user who may read the database but not write it: read verbs
# open it read-only (a rollback journal here: a WAL database also needs a
# folder where its reader can make the -shm file).
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null &&
    id nobody >/dev/null 2>&1; then
	sqlite3 "$H/updraft.db" 'PRAGMA journal_mode = DELETE' >/dev/null
	chmod 755 "$H"; chmod 644 "$H/updraft.db"	# state is private unless its owner shares it
	sum=$(cksum < "$H/updraft.db")
	as_nobody() {
		runuser -u nobody -- env UPDRAFT_HOME="$H" NO_COLOR=1 \
		    "$UPDRAFT_BIN" "$@" 2>&1
	}
	expect_eq "runs, as a user who cannot write the database" \
	    "$(as_nobody runs t9300_ok --utc; echo "exit $?")" \
	    "RUN_ID     TYPE       LOGICAL_DATE         STATE
manual__1  manual     1970-01-01 00:00:00  failed
exit 0"
	expect_eq "list, as that user: read, not recorded" \
	    "$(as_nobody list | sed -n 1,2p)" \
	    "DAG_ID        STATE   NEXT_RUN  FILE
t9300_broken  broken  -         $D/t9300_broken.dag"
	expect_eq "the database as it was" "$(cksum < "$H/updraft.db")" "$sum"
else
	test_passed=$((test_passed + 1))
	echo "ok $(test_count) # SKIP not root, or no runuser or nobody"
fi

done_testing
