#!/bin/sh
# What holds for every verb (no Slurm): a man page entry naming each of
# its options, exit status 2 and its usage on a bad option or missing
# arguments, "did you mean" for a misspelled DAG id; and the listings that
# used fixed columns and UTC (versions, backfills, notify outbox): aligned,
# local time unless --utc.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t0160_
unset TZ

dag=t0160_a_rather_long_dag_id
fetch_train_dag "$dag"
echo 'schedule = ' > "$UPDRAFT_HOME/dags/t0160_broken.dag"
make_db "$dag"
verbs=$(updraft help | sed -n '/^Verbs:/,/^$/s/^  \([a-z]*\) .*/\1/p')

# Every verb has its entry in updraft(1)'s VERBS section.
man=$TEST_SRCDIR/../man/updraft.1
missing=$(for v in $verbs; do
	sed -n '/^\.SH VERBS/,/^\.SH [A-Z]/p' "$man" | grep -A1 '^\.TP' |
	    grep -qE "^\.B[IR]? \"?$v([ \"]|\$)" || printf '%s ' "$v"
done)
expect_eq "every verb of 'updraft help' is in updraft(1)'s VERBS" "$missing" ""

# And every option of its table ('updraft help --options VERB') is in its
# entry there: an entry runs from ".TP" and ".B... VERB" to the next verb's.
for v in $verbs; do
	updraft help --options "$v" | cut -d' ' -f1 | sed "s/^/$v /"
done > "$UPDRAFT_HOME/verbopts"
missing=$(VERBS="$verbs" /usr/bin/python3 - "$man" "$UPDRAFT_HOME/verbopts" <<'EOF'
import os, re, sys
verbs = os.environ["VERBS"].split()
man = open(sys.argv[1]).read()
sec = man[man.index(".SH VERBS"):]
sec = sec[:sec.index("\n.SH ", 5)].split("\n")
entries, cur = {}, None
for i, line in enumerate(sec):
    if i > 0 and sec[i - 1] == ".TP" and line.startswith(".B"):
        words = re.sub(r"\\f[BIR]|\"", "", line).split()[1:]
        if words and words[0] in verbs:
            cur = words[0]
    if cur:
        entries[cur] = entries.get(cur, "") + line + "\n"
missing = []
for line in open(sys.argv[2]):
    verb, opt = line.split()
    roff = re.escape(opt.replace("-", "\\-"))
    if not re.search(r"(?<![a-z-])" + roff + r"(?![a-z]|\\-[a-z])",
                     entries.get(verb, "")):
        missing.append(verb + " " + opt)
print(" ".join(missing))
EOF
)
expect_eq "every option of each verb's table is in its updraft(1) entry \
($(wc -l < "$UPDRAFT_HOME/verbopts") options)" "$missing" ""

# A bad option: exit status 2, the verb's usage on stderr, nothing on
# stdout; getopt's message names "updraft VERB".
for v in $verbs; do
	[ "$v" = help ] && continue
	updraft "$v" --frobnicate >"$UPDRAFT_HOME/out" 2>"$UPDRAFT_HOME/err"
	st=$?
	err=$(grep -v "^updraft $v: unrecognized option '--frobnicate'\$" \
	    "$UPDRAFT_HOME/err" | head -1)
	expect_eq "$v --frobnicate: exit 2, usage, no output" \
	    "$st $(head -c 22 "$UPDRAFT_HOME/out" | wc -c) ${err%% *} ${err#* }" \
	    "2 0 usage: updraft $v$(updraft "$v" -h | head -1 |
	    sed 's/^usage: updraft [a-z]*//')"
done
expect_eq "getopt's message names the verb" \
    "$(updraft runs --frob 2>&1 | head -1)" \
    "updraft runs: unrecognized option '--frob'"
expect_eq "a missing option value" "$(updraft grid --last 2>&1 | head -1)" \
    "updraft grid: option '--last' requires an argument"
expect_status "help of an unknown verb" 2 updraft help frobnicate

# Missing arguments: exit status 2 and the usage.
for args in "backfill $dag" "backfill $dag --from 2026-11-01" "cancel $dag" \
    "clear $dag" "clear $dag --from 2026-11-01" "compare $dag r1" \
    "dates @daily --from 2026-11-01" "diff $dag 1" "export $dag" \
    "gantt $dag" "graph" "grid" "label $dag" "logs $dag r1" "mark $dag r1 t" \
    "note $dag" "notify" "notify bogus" "pause" \
    "show" "tasks $dag" "trigger" "unpause" "versions"; do
	set -- $args
	v=$1
	out=$(updraft "$@" 2>&1)
	expect_eq "$args: exit 2 and the usage" "$? $out" \
	    "2 $(updraft "$v" -h | head -1)"
done
# A bad option or argument value: exit status 2 and what is wrong.
sqlite3 "$UPDRAFT_HOME/updraft.db" "INSERT INTO run (id, dag_id, run_id,
    run_type, state, created_by, logical_date, interval_start, interval_end,
    created_at) VALUES (1, '$dag', 'manual__1', 'manual', 'success', 'me',
    1762000000, 1762000000, 1762000000, 1762000000)"
while IFS='|' read -r args msg; do
	set -- $args
	out=$(updraft "$@" 2>&1)
	expect_eq "$args: exit 2 and why" "$? $out" "2 updraft: $msg"
done <<EOF
grid $dag --last 0|bad --last '0': expected a number from 1 to 100000
runs $dag --last x|bad --last 'x': expected a number from 1
mark $dag manual__1 fetch bogus|bad state 'bogus': expected success, failed or skipped
label $dag manual__1 +|bad label '+': expected LABEL, +LABEL or -LABEL
trigger $dag --param x|bad --param 'x': expected NAME=VALUE
trigger $dag --param lr=1|bad --param 'lr': dag '$dag' declares no params
trigger $dag --label=|bad --label '': expected a label
trigger $dag --date yesterday|bad --date: invalid date 'yesterday': expected YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]
backfill $dag --from 2026-11-02 --to 2026-11-01|bad --to '2026-11-01': before --from '2026-11-02'
backfill $dag --from x --to 2026-11-01|bad --from: invalid date 'x': expected YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]
backfill $dag --from 2026-11-01 --to 2026-11-02 --reprocess some|bad --reprocess 'some': expected missing, failed or all
backfill $dag --from 2026-11-01 --to 2026-11-02 --max-active 0|bad --max-active '0': expected a number from 1 to 100000
backfill --cancel x|bad --cancel 'x': expected a backfill id
clear $dag --from 2026-11-01 --to x|bad --to: invalid date 'x': expected YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]
logs $dag manual__1 fetch --try 0|bad --try '0': expected a number from 1
export $dag --json --since x|bad --since: invalid date 'x': expected YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]
EOF
expect_eq "nothing was changed by those" "$(updraft runs "$dag" --json |
    json_field run_id) $(updraft backfills --json)" "manual__1 []"

# Extra arguments.
for args in "list x" "status x" "scheduler x" "graph $dag x" "grid $dag x" \
    "versions $dag x" "backfills $dag x" "runs $dag x" "show $dag x" \
    "unpause $dag x" "cancel $dag r1 x" "diff $dag 1 2 3"; do
	set -- $args
	expect_status "$args: extra argument" 2 updraft "$@"
done

# A misspelled DAG id, for every verb that takes one.
for args in "backfill DAG --from 2026-11-01 --to 2026-11-02" "backfills DAG" \
    "cancel DAG r" "clear DAG r" "clear DAG --from 2026-11-01 --to 2026-11-02" \
    "compare DAG a b" "diff DAG 1 2" "export DAG --json" "gantt DAG r" \
    "graph DAG" "grid DAG" "label DAG r" "logs DAG r t" \
    "mark DAG r t success" "note DAG r" "pause DAG" "unpause DAG" "runs DAG" \
    "show DAG" "tasks DAG r" "trigger DAG" "versions DAG"; do
	set -- $(printf '%s\n' "$args" | sed "s/DAG/t0160_a_rather_lnog_dag_id/")
	out=$(updraft "$@" 2>&1)
	expect_eq "${args%% *}: did you mean (exit 1)" "$? $out" \
	    "1 updraft: cannot find dag 't0160_a_rather_lnog_dag_id'; did you mean '$dag'?"
done
expect_eq "a DAG whose file does not load: its error" \
    "$(updraft trigger t0160_broken 2>&1)" \
    "updraft: cannot load dag 't0160_broken': $UPDRAFT_HOME/dags/t0160_broken.dag:2: syntax error"

# versions: aligned, local time unless --utc, JSON.
sqlite3 "$UPDRAFT_HOME/updraft.db" "UPDATE dag_version SET first_seen =
    1762000000 WHERE dag_id = '$dag'"
hash=$(sqlite3 "$UPDRAFT_HOME/updraft.db" "SELECT version FROM dag_version
    WHERE dag_id = '$dag'")
expect_eq "versions: aligned, local time" \
    "$(TZ=Asia/Tokyo updraft versions "$dag")" \
    "VERSION  HASH              FIRST_SEEN           RUNS
1        $hash  2025-11-01 21:26:40  0"
expect_eq "versions --utc" "$(TZ=Asia/Tokyo updraft versions "$dag" --utc |
    sed -n 2p)" "1        $hash  2025-11-01 12:26:40  0"
expect_eq "versions --json" "$(TZ=Asia/Tokyo updraft versions --json "$dag")" \
    "[
 {\"number\": 1, \"version\": \"$hash\", \"first_seen\": \"2025-11-01T12:26:40+00:00\", \"runs\": 0}
]"

# backfills: aligned to the longest DAG id, local time unless --utc.
updraft backfill "$dag" --from 2026-11-01 --to 2026-11-03 >/dev/null
expect_eq "backfills: aligned, local time" \
    "$(TZ=Asia/Tokyo updraft backfills)" \
    "ID  DAG_ID                      FROM                 TO                   REPROCESS  STATE    DONE/TOTAL
1   $dag  2026-11-01 09:00:00  2026-11-04 08:59:59  missing    running  0/3"
expect_eq "backfills DAG --utc" \
    "$(TZ=Asia/Tokyo updraft backfills "$dag" --utc | sed -n 2p)" \
    "1   $dag  2026-11-01 00:00:00  2026-11-03 23:59:59  missing    running  0/3"
expect_eq "backfills --json: times in UTC" \
    "$(TZ=Asia/Tokyo updraft backfills --json | json_field to)" \
    "2026-11-03T23:59:59+00:00"

# notify outbox: aligned, local time unless --utc.
sqlite3 "$UPDRAFT_HOME/updraft.db" "INSERT INTO notify_outbox (id, channel,
    kind, dag_id, created_at, event, summary, state, tries, next_at,
    last_error) VALUES (7, 'ops-mail', 'task_failed', '$dag', 1762000000,
    '{}', 'task fetch failed', 'pending', 2, 1762000000, 'HTTP 500: oops')"
expect_eq "notify outbox: aligned, local time" \
    "$(TZ=Asia/Tokyo updraft notify outbox)" \
    "ID  STATE    CHANNEL   KIND         DAG                         TRIES  NEXT_TRY             LAST_ERROR
7   pending  ops-mail  task_failed  $dag  2      2025-11-01 21:26:40  HTTP 500: oops"
expect_eq "notify outbox --utc" \
    "$(TZ=Asia/Tokyo updraft notify outbox --utc | sed -n 2p)" \
    "7   pending  ops-mail  task_failed  $dag  2      2025-11-01 12:26:40  HTTP 500: oops"

done_testing
