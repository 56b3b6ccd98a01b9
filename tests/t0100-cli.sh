#!/bin/sh
# The command line on fixed data (no Slurm): every verb's -h, runs filters,
# local time and --utc, tasks and list tables, logs -f, "did you mean",
# exit status 2 on bad arguments, bash completion and the Lmod modulefile.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t0100_
unset TZ
me=$(id -un)

for dag in nightly_train hourly_etl; do
	fetch_train_dag "$dag"
done
make_db nightly_train

ts() {
	date -u -d "$1" +%s
}

# run ID DAG RUN_ID TYPE LOGICAL STATE CREATED_BY
run() {
	l=$(ts "$5")
	echo "INSERT INTO run (id, dag_id, run_id, run_type, state, created_by,
	    logical_date, interval_start, interval_end, created_at, start_date,
	    end_date) VALUES ($1, '$2', '$3', '$4', '$6', '$7', $l, $l,
	    $((l + 86400)), $l, $((l + 86400)), $((l + 90000)));"
}

{
	run 1 nightly_train scheduled__2026-11-01T00:00:00+00:00 scheduled 2026-11-01 success scheduler
	run 2 nightly_train scheduled__2026-11-02T00:00:00+00:00 scheduled 2026-11-02 failed scheduler
	run 3 nightly_train manual__1 manual 2026-11-02T12:00 success "$me"
	run 4 nightly_train scheduled__2026-11-03T00:00:00+00:00 scheduled 2026-11-03 running scheduler
	run 5 hourly_etl backfill__2026-11-01T06:00:00+00:00 backfill 2026-11-01T06:00 success "$me"
	echo "INSERT INTO task_instance (run, task_id, state, try_number, job_id,
	    partition, exit_code, start_date, end_date, reason) VALUES
	    (2, 'fetch', 'success', 1, 101, 'cpu', 0, $(ts 2026-11-03T00:01),
	     $(ts 2026-11-03T00:02), NULL),
	    (2, 'train', 'failed', 2, 102, 'gpu', 1, $(ts 2026-11-03T00:03),
	     $(ts 2026-11-03T01:00), 'exit code 1'),
	    (4, 'fetch', 'running', 1, 401, 'cpu', NULL, $(ts 2026-11-04T00:01),
	     NULL, NULL),
	    (4, 'train', 'none', 0, NULL, NULL, NULL, NULL, NULL, NULL);"
} | sqlite3 "$UPDRAFT_HOME/updraft.db"
expect_eq "fixed runs inserted" "$(sqlite3 "$UPDRAFT_HOME/updraft.db" \
    'SELECT count(*) FROM run')" 5

# no_trailing WHAT OUTPUT: no line ends in a space.
no_trailing() {
	if printf '%s\n' "$2" | grep -q ' $'; then
		fail "$1: no trailing spaces"
	else
		pass "$1: no trailing spaces"
	fi
}

# Every verb answers -h with its usage and exit status 0.
for verb in $(updraft --help | sed -n '/^Verbs:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
	out=$(updraft $verb -h)
	st=$?
	case "$st:$out" in
	"0:usage: updraft $verb"*) pass "$verb -h" ;;
	*) fail "$verb -h: $st: $out" ;;
	esac
done

# runs: one DAG, all DAGs, filters.
out=$(updraft runs nightly_train --utc)
expect_eq "runs DAG --utc: aligned columns sized to content" "$out" \
"RUN_ID                                TYPE       LOGICAL_DATE         STATE
scheduled__2026-11-01T00:00:00+00:00  scheduled  2026-11-01 00:00:00  success
scheduled__2026-11-02T00:00:00+00:00  scheduled  2026-11-02 00:00:00  failed
manual__1                             manual     2026-11-02 12:00:00  success
scheduled__2026-11-03T00:00:00+00:00  scheduled  2026-11-03 00:00:00  running"
no_trailing "runs" "$out"
expect_eq "runs: local time by default (TZ)" \
    "$(TZ=Asia/Tokyo updraft runs nightly_train --last 1 | sed -n 2p)" \
    "scheduled__2026-11-03T00:00:00+00:00  scheduled  2026-11-03 09:00:00  running"
expect_eq "runs: UTC is the local zone without TZ" \
    "$(TZ=UTC updraft runs nightly_train --last 1 | sed -n 2p)" \
    "scheduled__2026-11-03T00:00:00+00:00  scheduled  2026-11-03 00:00:00  running"
out=$(updraft runs --utc)
expect_eq "runs without DAG: every DAG, oldest first, a DAG_ID column" "$out" \
"DAG_ID         RUN_ID                                TYPE       LOGICAL_DATE         STATE
nightly_train  scheduled__2026-11-01T00:00:00+00:00  scheduled  2026-11-01 00:00:00  success
hourly_etl     backfill__2026-11-01T06:00:00+00:00   backfill   2026-11-01 06:00:00  success
nightly_train  scheduled__2026-11-02T00:00:00+00:00  scheduled  2026-11-02 00:00:00  failed
nightly_train  manual__1                             manual     2026-11-02 12:00:00  success
nightly_train  scheduled__2026-11-03T00:00:00+00:00  scheduled  2026-11-03 00:00:00  running"
expect_eq "runs --state" "$(updraft runs nightly_train --state success --utc |
    cut -d' ' -f1)" "RUN_ID
scheduled__2026-11-01T00:00:00+00:00
manual__1"
expect_eq "runs --last N: the newest N, oldest first" \
    "$(updraft runs --last 2 --json | json_field run_id)" "manual__1
scheduled__2026-11-03T00:00:00+00:00"
expect_eq "runs --since an instant" \
    "$(updraft runs nightly_train --since 2026-11-02T12:00Z --json |
    json_field run_id)" "manual__1
scheduled__2026-11-03T00:00:00+00:00"
expect_eq "runs --since a wall time in the local zone" \
    "$(TZ=Asia/Tokyo updraft runs nightly_train --since 2026-11-02T21:00 \
    --json | json_field run_id)" "manual__1
scheduled__2026-11-03T00:00:00+00:00"
expect_eq "runs --since a date" \
    "$(TZ=UTC updraft runs --since 2026-11-03 --json | json_field run_id)" \
    "scheduled__2026-11-03T00:00:00+00:00"
expect_eq "runs --mine: runs created by me" \
    "$(updraft runs --mine --json | json_field run_id)" \
    "backfill__2026-11-01T06:00:00+00:00
manual__1"
expect_eq "runs: filters together" \
    "$(updraft runs --mine --state success --since 2026-11-02Z --last 5 \
    --json | json_field run_id)" "manual__1"
expect_eq "runs: no run matches" "$(updraft runs --state queued)" \
    "DAG_ID  RUN_ID  TYPE       LOGICAL_DATE         STATE"
out=$(updraft runs nightly_train --last 1 --json)
expect_eq "runs --json: fields, times in UTC" "$out" '[
 {"dag_id": "nightly_train", "run_id": "scheduled__2026-11-03T00:00:00+00:00", "run_type": "scheduled", "logical_date": "2026-11-03T00:00:00+00:00", "data_interval_end": "2026-11-04T00:00:00+00:00", "state": "running", "owner": "scheduler", "start_date": "2026-11-04T00:00:00+00:00", "end_date": "2026-11-04T01:00:00+00:00", "params": {}, "labels": [], "note": null, "version": null, "host": null, "cleared_by": null, "cleared_at": null}
]'
# Params, labels (any bytes; in order) and the note, as trigger and label
# write them.
sqlite3 "$UPDRAFT_HOME/updraft.db" <<'EOF'
UPDATE run SET params = '{"lr": 0.5, "name": "a b"}', note = 'why
"this"', version = 'abc123', host = 'login1', cleared_by = 'ana',
    cleared_at = 1794477600 WHERE id = 3;
INSERT INTO run_label (run, label) VALUES (3, 'zeta'), (3, 'al"pha tab	x'),
    (3, 'ünï'), (1, 'zeta');
EOF
expect_eq "runs --json: params, labels, note, version, host and who cleared it" \
    "$(updraft runs nightly_train --label zeta --since 2026-11-02 --json)" '[
 {"dag_id": "nightly_train", "run_id": "manual__1", "run_type": "manual", "logical_date": "2026-11-02T12:00:00+00:00", "data_interval_end": "2026-11-03T12:00:00+00:00", "state": "success", "owner": "'"$me"'", "start_date": "2026-11-03T12:00:00+00:00", "end_date": "2026-11-03T13:00:00+00:00", "params": {"lr": 0.5, "name": "a b"}, "labels": ["al\"pha tab\tx", "zeta", "ünï"], "note": "why\n\"this\"", "version": "abc123", "host": "login1", "cleared_by": "ana", "cleared_at": "2026-11-12T10:00:00+00:00"}
]'
expect_eq "runs --json: labels of each run" \
    "$(updraft runs nightly_train --json | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["run_id"], len(r["labels"]), r["params"].get("lr"))')" \
    "scheduled__2026-11-01T00:00:00+00:00 1 None
scheduled__2026-11-02T00:00:00+00:00 0 None
manual__1 3 0.5
scheduled__2026-11-03T00:00:00+00:00 0 None"
expect_eq "runs --json with no runs" "$(updraft runs --state queued --json)" "[]"

# tasks and list.
out=$(updraft tasks nightly_train scheduled__2026-11-02T00:00:00+00:00 --utc)
expect_eq "tasks --utc: aligned, times in UTC" "$out" \
"TASK_ID  STATE    TRY  JOB_ID  PARTITION  EXIT  STARTED              ENDED                REASON
fetch    success  1    101     cpu        0     2026-11-03 00:01:00  2026-11-03 00:02:00
train    failed   2    102     gpu        1     2026-11-03 00:03:00  2026-11-03 01:00:00  exit code 1"
no_trailing "tasks" "$out"
expect_eq "tasks: local time by default" \
    "$(TZ=Asia/Tokyo updraft tasks nightly_train 2026-11-03 | sed -n 2p)" \
    "fetch    running  1    401     cpu        -     2026-11-04 09:01:00  -"
expect_eq "tasks --json: start and end dates" \
    "$(updraft tasks nightly_train 2026-11-02 --json | json_field end_date)" \
    "2026-11-03T00:02:00+00:00
2026-11-03T01:00:00+00:00"
# Every JSON field a listing writes is one its help names (and its man
# page): a field added to the table of fields shows up here undocumented.
undocumented() {
	/usr/bin/python3 -c '
import json, re, sys
words = set(re.findall(r"[a-z_]+", open(sys.argv[1]).read()))
print(" ".join(k for k in json.load(sys.stdin)[0] if k not in words))' "$1"
}
updraft help runs > "$UPDRAFT_HOME/help-runs"
updraft help tasks > "$UPDRAFT_HOME/help-tasks"
updraft help list > "$UPDRAFT_HOME/help-list"
expect_eq "runs --json: every field in the help" \
    "$(updraft runs --json | undocumented "$UPDRAFT_HOME/help-runs")" ""
expect_eq "tasks --json: every field in the help" \
    "$(updraft tasks nightly_train 2026-11-02 --json |
    undocumented "$UPDRAFT_HOME/help-tasks")" ""
expect_eq "list --json: every field in the help" \
    "$(updraft list --json | undocumented "$UPDRAFT_HOME/help-list")" ""
sqlite3 "$UPDRAFT_HOME/updraft.db" "UPDATE dag SET next_dagrun = \
    $(ts 2026-11-04) WHERE dag_id = 'nightly_train'"
out=$(updraft list --utc)
expect_eq "list --utc: next run, aligned" "$(printf '%s\n' "$out" | sed 's|'"$UPDRAFT_HOME"'|H|')" \
"DAG_ID         STATE   NEXT_RUN             FILE
hourly_etl     paused  -                    H/dags/hourly_etl.dag
nightly_train  paused  2026-11-04 00:00:00  H/dags/nightly_train.dag"
no_trailing "list" "$out"
expect_eq "list --ids" "$(updraft list --ids)" "hourly_etl
nightly_train"

# Colour only on a terminal (not a dumb one: t9300), never under NO_COLOR.
if command -v script >/dev/null; then
	out=$(env -u NO_COLOR TERM=xterm script -qc "$UPDRAFT_BIN runs nightly_train" \
	    /dev/null < /dev/null | tr -d '\r')
	case "$out" in
	*"$(printf '\033[31m')failed"*) pass "runs: states coloured on a terminal" ;;
	*) fail "runs: states coloured on a terminal: $out" ;;
	esac
	out=$(NO_COLOR=1 script -qc "$UPDRAFT_BIN runs nightly_train" \
	    /dev/null < /dev/null | tr -d '\r')
	case "$out" in
	*"$(printf '\033')"*) fail "runs: no colour under NO_COLOR" ;;
	*) pass "runs: no colour under NO_COLOR" ;;
	esac
	out=$(env -u NO_COLOR TERM=xterm script -qc "$UPDRAFT_BIN tasks --utc nightly_train \
	    scheduled__2026-11-02T00:00:00+00:00" /dev/null < /dev/null |
	    tr -d '\r')
	g=$(printf '\033[32m') r=$(printf '\033[31m') e=$(printf '\033[0m')
	expect_eq "tasks: the STATE column coloured on a terminal, aligned" \
	    "$out" \
"TASK_ID  STATE    TRY  JOB_ID  PARTITION  EXIT  STARTED              ENDED                REASON
fetch    ${g}success${e}  1    101     cpu        0     2026-11-03 00:01:00  2026-11-03 00:02:00
train    ${r}failed${e}   2    102     gpu        1     2026-11-03 00:03:00  2026-11-03 01:00:00  exit code 1"
fi
out=$(env -u NO_COLOR "$UPDRAFT_BIN" tasks nightly_train 2026-11-02)
case "$out" in
*"$(printf '\033')"*) fail "tasks: no colour into a pipe" ;;
*) pass "tasks: no colour into a pipe" ;;
esac

# logs, and logs -f until the task instance is over.
logdir=$UPDRAFT_HOME/logs/nightly_train/scheduled__2026-11-03T00:00:00+00:00
mkdir -p "$logdir"
printf 'line 1\n' > "$logdir/fetch.1.log"
sqlite3 "$UPDRAFT_HOME/updraft.db" "UPDATE task_instance SET state = 'success'
    WHERE run = 4 AND task_id = 'fetch'"
expect_eq "logs" "$(updraft logs nightly_train 2026-11-03 fetch)" "line 1"
expect_eq "logs -f of a finished task prints the log and exits" \
    "$(timeout 10 "$UPDRAFT_BIN" logs nightly_train 2026-11-03 fetch -f)" \
    "line 1"
sqlite3 "$UPDRAFT_HOME/updraft.db" "UPDATE task_instance SET state = 'running'
    WHERE run = 4 AND task_id = 'fetch'"
timeout 20 "$UPDRAFT_BIN" logs -f nightly_train 2026-11-03 fetch \
    > "$UPDRAFT_HOME/follow.out" 2>&1 &
follow_pid=$!
sleep 1.5
printf 'line 2\n' >> "$logdir/fetch.1.log"
sleep 1.5
expect_eq "logs -f: prints what the job appends" \
    "$(cat "$UPDRAFT_HOME/follow.out")" "line 1
line 2"
printf 'line 3\n' >> "$logdir/fetch.1.log"
sqlite3 "$UPDRAFT_HOME/updraft.db" "UPDATE task_instance SET state = 'failed'
    WHERE run = 4 AND task_id = 'fetch'"
wait "$follow_pid"
expect_eq "logs -f: stops at a final state (exit status)" "$?" 0
expect_eq "logs -f: prints what is left at the end" \
    "$(cat "$UPDRAFT_HOME/follow.out")" "line 1
line 2
line 3"

# "Did you mean", and the plain messages when nothing is close.
out=$(updraft trgger 2>&1)
expect_eq "misspelled verb exits 2" "$?" 2
expect_eq "misspelled verb: did you mean" "$out" \
    "updraft: 'trgger' is not an updraft verb; did you mean 'trigger'?"
expect_eq "swapped letters: did you mean" "$(updraft gird 2>&1)" \
    "updraft: 'gird' is not an updraft verb; did you mean 'grid'?"
expect_eq "nothing close: the plain message" "$(updraft frobnicate 2>&1)" \
    "updraft: 'frobnicate' is not an updraft verb; see 'updraft --help'"
for verb in runs tasks logs; do
	case $verb in
	runs) set -- ;;
	tasks) set -- 2026-11-02 ;;
	logs) set -- 2026-11-02 fetch ;;
	esac
	out=$(updraft $verb nightly_trian "$@" 2>&1)
	expect_eq "$verb: unknown dag exits 1" "$?" 1
	expect_eq "$verb: unknown dag: did you mean" "$out" \
	    "updraft: cannot find dag 'nightly_trian'; did you mean 'nightly_train'?"
done
expect_eq "unknown dag, nothing close" "$(updraft runs zzz 2>&1)" \
    "updraft: cannot find dag 'zzz'"

# Exit status 2 on bad arguments, with a message or the usage.
expect_status "runs --state bogus" 2 updraft runs --state bogus
expect_eq "runs --state bogus: message" "$(updraft runs --state bogus 2>&1)" \
    "updraft: bad --state 'bogus': expected queued, running, success or failed"
expect_status "runs --last 0" 2 updraft runs --last 0
expect_status "runs --last x" 2 updraft runs --last x
expect_status "runs --since junk" 2 updraft runs --since junk
expect_status "runs two dags" 2 updraft runs nightly_train hourly_etl
expect_status "runs --frob" 2 updraft runs --frob
expect_status "tasks one argument" 2 updraft tasks nightly_train
expect_status "tasks --frob" 2 updraft tasks nightly_train 2026-11-02 --frob
expect_status "logs two arguments" 2 updraft logs nightly_train 2026-11-02
expect_status "logs --try 0" 2 updraft logs nightly_train 2026-11-02 train --try 0
expect_status "list extra" 2 updraft list extra
expect_status "unknown global option" 2 updraft --frob
expect_status "unknown run" 1 updraft tasks nightly_train 2027-01-01

# Bash completion: source it and call its function as bash would.
completion=$TEST_SRCDIR/../etc/updraft.bash-completion
complete_words() {
	PATH=$(dirname "$UPDRAFT_BIN"):$PATH bash -c '
. "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
_updraft
printf "%s\n" "${COMPREPLY[@]}" | sort' complete "$completion" "$@"
}
expect_eq "completion: verbs" "$(complete_words updraft tr)" "trigger"
expect_eq "completion: every verb of --help" "$(complete_words updraft '' |
    tr '\n' ' ')" "$(updraft --help | sed -n \
    '/^Verbs:/,/^$/s/^  \([a-z]*\) .*/\1/p' | sort | tr '\n' ' ')"
expect_eq "completion: options of a verb" \
    "$(complete_words updraft runs --s)" "--since
--state"
expect_eq "completion: option values" \
    "$(complete_words updraft runs --state f)" "failed"
expect_eq "completion: dag ids" "$(complete_words updraft runs n)" \
    "nightly_train"
expect_eq "completion: dag ids after -c" \
    "$(complete_words updraft -c /dev/null grid h)" "hourly_etl"
expect_eq "completion: run ids" \
    "$(complete_words updraft tasks nightly_train man)" "manual__1"
expect_eq "completion: run ids after an option" \
    "$(complete_words updraft logs --try 1 nightly_train sched | head -1)" \
    "scheduled__2026-11-01T00:00:00+00:00"
expect_eq "completion: task ids" \
    "$(complete_words updraft logs nightly_train scheduled__2026-11-02T00:00:00+00:00 '')" \
    "fetch
train"
expect_eq "completion: mark's states" \
    "$(complete_words updraft mark nightly_train manual__1 fetch s)" \
    "skipped
success"
expect_eq "completion: help's verbs" "$(complete_words updraft help unp)" \
    "unpause"
expect_eq "completion: scrontab's options" \
    "$(complete_words updraft scrontab -- | tr '\n' ' ')" \
    "--account --daemon --every --install --qos --time "
expect_eq "completion: scheduler's options" \
    "$(complete_words updraft scheduler -- | tr '\n' ' ')" \
    "--account --every --in-slurm --once --partition --qos "
expect_eq "completion: no value offered for --every" \
    "$(complete_words updraft scheduler --in-slurm --every n)" ""

# The Lmod modulefile: module use a directory with it, module load it.
lmod_init=/usr/share/lmod/lmod/init/bash
if [ -r "$lmod_init" ]; then
	mods=$UPDRAFT_HOME/modules
	mkdir -p "$mods/updraft"
	sed -e "s|@bindir@|/opt/updraft/bin|" \
	    -e "s|@mandir@|/opt/updraft/share/man|" \
	    -e "s|@datadir@|/opt/updraft/share|" \
	    -e "s|@PACKAGE_VERSION@|9.9|" \
	    "$TEST_SRCDIR/../etc/modulefile.lua" > "$mods/updraft/9.9.lua"
	out=$(env -u MANPATH bash -c '. "$1"; module use "$2" &&
	    module load updraft && echo "PATH=$PATH" && echo "MANPATH=$MANPATH" &&
	    module unload updraft && echo "after=${MANPATH-unset}"
	    module help updraft 2>&1' lmod "$lmod_init" "$mods" 2>&1)
	case "$out" in
	*"PATH=/opt/updraft/bin:"*) pass "modulefile: module load puts bin in PATH" ;;
	*) fail "modulefile: module load puts bin in PATH: $out" ;;
	esac
	case "$out" in
	*"MANPATH=/opt/updraft/share/man::"*) pass "modulefile: MANPATH keeps man's own path" ;;
	*) fail "modulefile: MANPATH keeps man's own path: $out" ;;
	esac
	case "$out" in
	*"after=unset"*"updraft scheduler"*) pass "modulefile: unload, help" ;;
	*) fail "modulefile: unload, help: $out" ;;
	esac
else
	echo "ok $((test_passed + test_failed + 1)) # SKIP no lmod: run scripts/install-deps"
	test_passed=$((test_passed + 1))
fi

# One spelling suggestion everywhere: a swap of neighbours is one edit.
printf 'poll_intervla = 5\n' > "$UPDRAFT_HOME/typo.conf"
expect_eq "a misspelt config key: did you mean" \
    "$(updraft -c "$UPDRAFT_HOME/typo.conf" list 2>&1)" \
    "updraft: $UPDRAFT_HOME/typo.conf:1: unknown key 'poll_intervla' (did you mean 'poll_interval'?)"
expect_eq "a misspelt verb: did you mean" "$(updraft lsit 2>&1)" \
    "updraft: 'lsit' is not an updraft verb; did you mean 'list'?"

done_testing
