#!/bin/sh
# A running scheduler keeps its parsed DAGs between passes: it parses a file
# again only when the file or a script it runs changed, and notices files
# added and removed, without a restart. Its debug log says at each pass how
# many files it parsed, found touched but with the same content, or left
# alone.
. "$(dirname "$0")/lib.sh"

dags=$UPDRAFT_HOME/dags
log=$UPDRAFT_HOME/scheduler.log
mkdir -p "$UPDRAFT_HOME/scripts"
printf '#!/bin/sh\necho one\n' > "$UPDRAFT_HOME/scripts/b.sh"
# Written aside, then renamed: the scheduler never sees half a file.
put() {
	cat > "$dags/.$1.tmp"
	mv "$dags/.$1.tmp" "$dags/$1"
}
put t1300_a.dag <<'DAG'
schedule = "none";
tasks = ({ id = "a"; command = "true"; });
DAG
put t1300_b.dag <<'DAG'
schedule = "none";
tasks = ({ id = "b"; script = "../scripts/b.sh"; });
DAG

passes() {
	grep -c 'dag files:' "$log"
}
# Wait for the next pass after the n-th and print what it did with the files.
next_pass() {
	want=$(($1 + 1))
	for _ in $(seq 100); do
		[ "$(passes)" -ge "$want" ] && break
		sleep 0.1
	done
	grep 'dag files:' "$log" | sed -n "${want}p" | sed 's/^updraft: dag files: //'
}
# Run a command, wake the scheduler (a file written in the dags folder may
# already have) and print what the first pass after it did.
act() {
	sleep 0.3	# let the passes of the last step end
	n=$(passes)
	"$@"
	: > "$UPDRAFT_HOME/wake"
	next_pass "$n"
}
write_a() {
	cat > "$dags/t1300_a.dag" <<'DAG'
schedule = "none";
tasks = ({ id = "a"; command = "true"; }, { id = "a2"; command = "true"; });
DAG
}
put_c() {
	put t1300_c.dag <<'DAG'
schedule = "none";
tasks = ({ id = "c"; command = "true"; });
DAG
}
put_d() {
	put t1300_d.dag <<'DAG'
dag_id = "t1300_c";
tasks = ({ id = "d"; command = "true"; });
DAG
}

(trap - EXIT; exec "$UPDRAFT_BIN" -v scheduler) >> "$log" 2>&1 &
scheduler_pid=$!
expect_eq "the first pass parses every file" "$(next_pass 0)" \
    "2 parsed, 0 touched but the same, 0 unchanged"
expect_eq "an unchanged file is not parsed again" "$(act true)" \
    "0 parsed, 0 touched but the same, 2 unchanged"
expect_eq "a touched file with the same content is kept" \
    "$(act touch -d 2020-01-01 "$dags/t1300_a.dag")" \
    "0 parsed, 1 touched but the same, 1 unchanged"
expect_eq "and not looked at twice" "$(act true)" \
    "0 parsed, 0 touched but the same, 2 unchanged"
expect_eq "a file written in place is parsed again" "$(act write_a)" \
    "1 parsed, 0 touched but the same, 1 unchanged"
expect_eq "so is a file whose script changed" \
    "$(act sh -c 'echo "echo two" >> "$1"' - "$UPDRAFT_HOME/scripts/b.sh")" \
    "1 parsed, 0 touched but the same, 1 unchanged"
expect_eq "an added file is parsed, alone" "$(act put_c)" \
    "1 parsed, 0 touched but the same, 2 unchanged"
act put_d >/dev/null
expect_eq "a second file with the same id refuses both" \
    "$(sqlite3 "$UPDRAFT_HOME/updraft.db" \
    "SELECT load_error FROM dag WHERE dag_id = 't1300_c'")" \
    "$dags/t1300_c.dag: dag id 't1300_c' is also declared in '$dags/t1300_d.dag'"
expect_eq "a removed file is noticed" "$(act rm "$dags/t1300_a.dag")" \
    "0 parsed, 0 touched but the same, 3 unchanged"
expect_eq "so is the second file of an id" "$(act rm "$dags/t1300_d.dag")" \
    "0 parsed, 0 touched but the same, 2 unchanged"
kill "$scheduler_pid"
wait "$scheduler_pid"
scheduler_pid=
expect_eq "a removed file's DAG is marked missing, once" \
    "$(grep -c "missing: $dags/t1300_a.dag: no such file" "$log")" 1
expect_eq "the DAGs the scheduler recorded" \
    "$(sqlite3 "$UPDRAFT_HOME/updraft.db" \
    "SELECT dag_id, coalesce(load_error, 'ok') FROM dag ORDER BY dag_id")" \
"t1300_a|missing: $dags/t1300_a.dag: no such file; the DAG keeps its runs and is not scheduled
t1300_b|ok
t1300_c|ok"
expect_eq "a version for each content it saw" \
    "$(sqlite3 "$UPDRAFT_HOME/updraft.db" \
    "SELECT dag_id, count(*) FROM dag_version GROUP BY dag_id")" \
"t1300_a|2
t1300_b|2
t1300_c|1"

done_testing
