#!/bin/sh
# Bash completion (etc/updraft.bash-completion) against the binary: every
# option each verb's -h prints is offered, options that take a value do not
# count as arguments, and DAG, run and task ids complete from a small home.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t0150_
unset TZ

if ! command -v bash >/dev/null; then
	echo "1..0 # SKIP no bash"
	exit 0
fi

for dag in t0150_daily t0150_hourly; do
	fetch_train_dag "$dag"
done
printf 'not a dag\n' > "$UPDRAFT_HOME/notes.txt"
make_db t0150_daily
sqlite3 "$UPDRAFT_HOME/updraft.db" <<'EOF'
INSERT INTO run (id, dag_id, run_id, run_type, state, created_by,
    logical_date, interval_start, interval_end, created_at)
VALUES (1, 't0150_daily', 'scheduled__2026-11-01T00:00:00+00:00',
    'scheduled', 'success', 'scheduler', 1761955200, 1761955200,
    1762041600, 1762041600),
  (2, 't0150_daily', 'manual__first', 'manual', 'failed', 'me',
    1762000000, 1762000000, 1762000000, 1762000000),
  (3, 't0150_hourly', 'manual__other', 'manual', 'success', 'me',
    1762000000, 1762000000, 1762000000, 1762000000);
INSERT INTO task_instance (run, task_id, state, try_number) VALUES
  (1, 'fetch', 'success', 1), (1, 'train', 'success', 1),
  (2, 'fetch', 'success', 1), (2, 'train', 'failed', 1),
  (3, 'fetch', 'success', 1);
EOF

completion=$TEST_SRCDIR/../etc/updraft.bash-completion
# takes_value VERB OPTION: the completion's verdict, "value" or "flag".
takes_value() {
	PATH=$(dirname "$UPDRAFT_BIN"):$PATH bash --norc -c '. "$1"
	_updraft_opts=$(updraft help --options "$2")
	_updraft_takes_value "$3" && echo value || echo flag' tv \
	    "$completion" "$1" "$2"
}

verbs=$(updraft help | sed -n '/^Verbs:/,/^$/s/^  \([a-z]*\) .*/\1/p')
expect_eq "the verbs of 'updraft help' are offered" \
    "$(complete_words updraft '' | tr '\n' ' ')" \
    "$(printf '%s\n' $verbs | sort | tr '\n' ' ')"

# Every option a verb's -h prints: any -x or --xx of its usage line, any
# --xx of the rest but in a quoted command ('updraft runs --label L' in
# label's help). Read here with Python, more widely than the completion
# reads (an option named only in prose fails), and each must be offered
# after "updraft VERB -".
for verb in $verbs; do
	want=$(updraft "$verb" -h | /usr/bin/python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")
opts = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", lines[0]))
for line in lines[1:]:
    line = re.sub(r"\x27[^\x27]*\x27", "", line)
    opts |= set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line))
print("\n".join(sorted(opts)))')
	got=$(complete_words updraft "$verb" -)
	missing=$(printf '%s\n' "$want" | while read -r o; do
		[ -z "$o" ] && continue
		printf '%s\n' "$got" | grep -qx -- "$o" || printf '%s ' "$o"
	done)
	expect_eq "$verb: every option of -h is offered ($(printf '%s ' \
	    $want)-)" "$missing" ""
done
# One table per verb (struct cmd_opt) makes its getopt options, its usage
# line, the list of its help and the completion's words: 'help --options
# VERB' prints the table. Each option there is accepted by the verb's
# getopt (a wrong option after it stops the verb before it does anything),
# named in the usage line (it or its short letter) and listed in the
# help, and offered after "updraft VERB -"; and the usage line names no
# other.
nopts=0
for verb in $verbs; do
	table=$(updraft help --options "$verb")
	bad=$(printf '%s\n' "$table" | while read -r opt value; do
		[ -z "$opt" ] && continue
		updraft "$verb" "$opt" ${value:+1} --frobnicate \
		    >/dev/null 2>"$UPDRAFT_HOME/err"
		grep -q "option '$opt'\|invalid option -- '${opt#-}'" \
		    "$UPDRAFT_HOME/err" && printf 'getopt:%s ' "$opt"
		short=$(updraft "$verb" -h |
		    sed -n "s/^  \(-[a-z]\), $opt\( .*\)\{0,1\}\$/\1/p")
		for o in "$opt" $short; do
			updraft "$verb" -h | head -1 | grep -qE -- \
			    "[[ (|]$o( [^ ]+)?([] )|.]|\$)" && break
		done || printf 'usage:%s ' "$opt"
		updraft "$verb" -h | sed 1d | grep -qE -- \
		    "^  (-., )?$opt(,| |\$)" ||
		    printf 'help:%s ' "$opt"
	done)
	nopts=$((nopts + $(printf '%s\n' "$table" | grep -c -- '^-')))
	expect_eq "$verb: its table's options in getopt, usage and help" \
	    "$bad" ""
	expect_eq "$verb: the completion offers its table's options" \
	    "$(complete_words updraft "$verb" -)" \
	    "$(printf '%s\n' "$table" | cut -d' ' -f1 | grep . | sort)"
	expect_eq "$verb: the usage line names only its table's options" \
	    "$(updraft "$verb" -h | head -1 |
	    grep -oE -- '(^|[[ (|])--?[a-z][-a-z]*' | sed 's/^[[ (|]//' |
	    sort -u | while read -r o; do
		printf '%s\n' "$table" | grep -q -- "^$o\( \|\$\)" ||
		    printf '%s ' "$o"
	    done)" ""
done
expect_eq "the tables hold the options" "$([ "$nopts" -ge 60 ] && echo yes)" \
    yes
expect_eq "a hidden option is in no help" \
    "$(updraft help --options list | grep -c -- --ids;
    updraft list -h | grep -c -- --ids)" "0
0"
expect_eq "help --options of an unknown verb" \
    "$(updraft help --options frob 2>&1; echo "exit $?")" \
    "updraft: 'frob' is not an updraft verb; see 'updraft --help'
exit 2"

expect_eq "options of a verb, by prefix" \
    "$(complete_words updraft clear --f)" "--failed-only
--from"
expect_eq "no option a verb does not take" \
    "$(complete_words updraft label t0150_daily manual__first -)" ""
expect_eq "global options before the verb" \
    "$(complete_words updraft --v | tr '\n' ' ')" "--version "

# An option shown with a value in a usage line (--last N, --reprocess
# missing|failed|all, --order [-]FIELD) takes one; the others do not.
for verb in $verbs; do
	updraft "$verb" -h | head -1 | VERB=$verb /usr/bin/python3 -c '
import os, re, sys
line = sys.stdin.read()
for m in re.finditer(r"(?<![\w-])(--?[a-z][a-z-]*)( (\[-\])?[A-Z]| [a-z]+\|)?",
                     line):
    print(os.environ["VERB"], m.group(1), "value" if m.group(2) else "flag")'
done | sort -u > "$UPDRAFT_HOME/valopts"
bad=$(while read -r verb opt want; do
	[ "$(takes_value "$verb" "$opt")" = "$want" ] ||
	    printf '%s %s(%s) ' "$verb" "$opt" "$want"
done < "$UPDRAFT_HOME/valopts")
expect_eq "options with a value in the usage lines take one ($(wc -l < \
    "$UPDRAFT_HOME/valopts") options)" "$bad" ""
expect_eq "usage lines have options with values" \
    "$(awk '$3 == "value" { print $2 }' "$UPDRAFT_HOME/valopts" |
    sort -u | wc -l)" 25

# DAG ids, for every verb that takes a DAG first.
for verb in backfill backfills cancel clear compare diff export gantt graph \
    grid label lineage logs mark note pause report runs show tasks trigger unpause versions; do
	expect_eq "$verb: dag ids" "$(complete_words updraft "$verb" '')" \
	    "t0150_daily
t0150_hourly"
done
expect_eq "report: a dag id for each DAG" \
    "$(complete_words updraft report t0150_daily t0150_h)" "t0150_hourly"
expect_eq "report -o: file names" \
    "$(cd "$UPDRAFT_HOME" && complete_words updraft report -o updraft.d)" \
    "updraft.db"
expect_eq "dag ids by prefix" "$(complete_words updraft grid t0150_h)" \
    "t0150_hourly"
expect_eq "dag ids after an option and its value" \
    "$(complete_words updraft trigger --label x --note 'a b' t0150_d)" \
    "t0150_daily"
expect_eq "dag ids after -c FILE" \
    "$(complete_words updraft -c /dev/null runs t0150_h)" "t0150_hourly"
expect_eq "nothing after a verb's last argument" \
    "$(complete_words updraft graph t0150_daily '')" ""
expect_eq "nothing for an option's value" \
    "$(complete_words updraft runs --since '')" ""

# Run ids: newest last, for each verb that takes a RUN.
for verb in cancel clear gantt tasks logs mark label note lineage compare; do
	expect_eq "$verb: run ids of the dag" \
	    "$(complete_words updraft "$verb" t0150_daily '')" \
	    "manual__first
scheduled__2026-11-01T00:00:00+00:00"
done
expect_eq "run ids by prefix, colons and all" \
    "$(complete_words updraft tasks t0150_daily sch)" \
    "scheduled__2026-11-01T00:00:00+00:00"
expect_eq "compare: a run id for each RUN" \
    "$(complete_words updraft compare t0150_daily manual__first s)" \
    "scheduled__2026-11-01T00:00:00+00:00"
expect_eq "run ids of the other dag" \
    "$(complete_words updraft logs t0150_hourly '')" "manual__other"
expect_eq "run ids after an option with a value" \
    "$(complete_words updraft logs --try 1 t0150_daily m)" "manual__first"

# Task ids.
for verb in clear logs mark; do
	expect_eq "$verb: task ids of the run" \
	    "$(complete_words updraft "$verb" t0150_daily manual__first '')" \
	    "fetch
train"
done
expect_eq "clear: a task id for each TASK" \
    "$(complete_words updraft clear t0150_daily manual__first fetch t)" \
    "train"
expect_eq "clear over a range: the dag's task ids" \
    "$(complete_words updraft clear t0150_daily --from 2026-11-01 --to \
    2026-11-02 '')" "fetch
train"
expect_eq "task ids of the other dag's run" \
    "$(complete_words updraft mark t0150_hourly manual__other '')" "fetch"
expect_eq "tasks of an unknown run: nothing" \
    "$(complete_words updraft logs t0150_daily nope '')" ""

# Fixed values.
expect_eq "mark: the states" \
    "$(complete_words updraft mark t0150_daily manual__first train '' |
    tr '\n' ' ')" "failed skipped success "
expect_eq "runs --state: the states" \
    "$(complete_words updraft runs --state '' | tr '\n' ' ')" \
    "failed queued running success "
expect_eq "backfill --reprocess: its modes" \
    "$(complete_words updraft backfill t0150_daily --reprocess '' |
    tr '\n' ' ')" "all failed missing "
expect_eq "runs --owner: user names" \
    "$(complete_words updraft runs --owner "$(id -un)" | grep -cx "$(id -un)")" 1
expect_eq "notify: its two forms" \
    "$(complete_words updraft notify '' | tr '\n' ' ')" "outbox test "
expect_eq "help: the verbs" "$(complete_words updraft help unp)" "unpause"
expect_eq "check: DAG files" \
    "$(cd "$UPDRAFT_HOME" && complete_words updraft check dags/t0150_d)" \
    "dags/t0150_daily.dag"
expect_eq "check: not other files" \
    "$(cd "$UPDRAFT_HOME" && complete_words updraft check no)" ""
expect_eq "init: folders" \
    "$(cd "$UPDRAFT_HOME" && complete_words updraft init da)" "dags"

done_testing
