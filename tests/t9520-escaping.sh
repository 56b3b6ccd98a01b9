#!/bin/sh
# Issue 15, finding 11, as the attack: a note, a label, a param or a DAG
# file carrying terminal escape sequences used to act on the terminal of
# whoever looked (clear the screen, set the title), and invalid UTF-8
# passed through --json and webhook bodies, so strict JSON readers
# failed. Now human output shows control characters escaped (\x1b, \n,
# \u009b, and bad bytes as \xHH), and JSON is valid UTF-8, bad bytes
# replaced by U+FFFD.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t9520_

servers=$TEST_SRCDIR/servers
work=$UPDRAFT_HOME/sink
sink_pid=
trap '[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; cleanup' EXIT

esc=$(printf '\033')
bad=$(printf '\377')
cat > "$UPDRAFT_HOME/dags/t9520_e.dag" <<'DAG'
schedule = "none";
start_date = "2026-01-01";
params = { name = "x"; };
tasks = ( { id = "a"; command = "true"; } );
DAG
run=manual__2026-02-01T00:00:00+00:00
updraft trigger t9520_e --date 2026-02-01 \
    --note "hi${esc}[2J${esc}]0;owned$(printf '\007') there" \
    --label "bad${bad}label" --label "c1$(printf '\302\233')2J" \
    --param "name=n${esc}[31mred" >/dev/null

# On a terminal: escaped, nothing that acts.
expect_eq "note: ESC, BEL shown escaped" \
    "$(updraft note t9520_e "$run")" 'hi\x1b[2J\x1b]0;owned\x07 there'
out=$(updraft compare t9520_e "$run" "$run")
expect_eq "compare: no ESC byte in the output" \
    "$(printf '%s' "$out" | grep -c "$esc")" 0
expect_eq "compare: the label, the C1 CSI and the param escaped" \
    "$(printf '%s\n' "$out" | grep -E '^  (labels|params.name) ' | awk '{print $1, $2}')" \
    'labels bad\xfflabel;c1\u009b2J
params.name n\x1b[31mred'
out=$(updraft label t9520_e "$run" +again)
expect_eq "label: the labels escaped" "$out" 'again
bad\xfflabel
c1\u009b2J'

# --json: valid UTF-8 for a strict reader, the bad byte as U+FFFD.
strict() {
	/usr/bin/python3 -c '
import json, sys
data = sys.stdin.buffer.read().decode("utf-8", "strict")
exec(sys.argv[1])' "$1"
}
expect_eq "runs --json: strict UTF-8, labels with U+FFFD" \
    "$(updraft runs t9520_e --json | strict '
r = json.loads(data)[0]
print(ascii(r["labels"]), ascii(r["note"]), ascii(r["params"]["name"]))')" \
    "['again', 'bad\\ufffdlabel', 'c1\\x9b2J'] 'hi\\x1b[2J\\x1b]0;owned\\x07 there' 'n\\x1b[31mred'"

# A DAG file with an ESC and a bad byte in its schedule: its error names them.
printf 'schedule = "\377\033[2J";\nstart_date = "2026-01-01";\ntasks = ( { id = "a"; command = "true"; } );\n' \
    > "$UPDRAFT_HOME/dags/t9520_bad.dag"
expect_eq "list: the load error escaped" \
    "$(updraft list | grep -A1 '^t9520_bad' | sed -n 2p)" \
    "  $UPDRAFT_HOME/dags/t9520_bad.dag:1: bad cron expression '\\xff\\x1b[2J': expected 5 fields, got 1"
expect_eq "check: the problem escaped" "$(updraft check 2>&1 >/dev/null)" \
    "$UPDRAFT_HOME/dags/t9520_bad.dag:1: bad cron expression '\\xff\\x1b[2J': expected 5 fields, got 1"
expect_eq "list --json: strict UTF-8" \
    "$(updraft list --json | strict '
for d in json.loads(data):
    if d["dag_id"] == "t9520_bad":
        print(ascii(d["load_error"].split(": ", 1)[1]))')" \
    "\"bad cron expression '\\ufffd\\x1b[2J': expected 5 fields, got 1\""

# A webhook to a local sink: the body is valid UTF-8.
rm -f "$work/port"
(trap - EXIT; exec /usr/bin/python3 "$servers/http-sink.py" "$work" 0) \
    >/dev/null 2>&1 &
sink_pid=$!
wait_for 5 "the http sink to listen" test -s "$work/port"
cat > "$UPDRAFT_HOME/updraft.conf" <<CONF
notify = { group_window = 0; };
channels = { hook = { type = "webhook"; format = "json";
  url = "http://127.0.0.1:$(cat "$work/port")/json"; events = ["dag_error"]; }; };
CONF
updraft scheduler --once 2> "$UPDRAFT_HOME/pass.log"
wait_for 10 "the webhook" test -e "$work/0001.body"
expect_eq "webhook body: strict UTF-8, the error with U+FFFD and \\u001b" \
    "$(strict '
b = json.loads(data)
e = b["events"][0]
print(b["kind"], ascii(e["reason"].split(": ", 1)[1]))' < "$work/0001.body")" \
    "dag_error \"bad cron expression '\\ufffd\\x1b[2J': expected 5 fields, got 1\""
expect_eq "webhook body: no raw ESC or bad byte" \
    "$(grep -c "$esc\|$bad" "$work/0001.body")" 0
expect_eq "the scheduler's log: escaped too" \
    "$(grep -c "$esc" "$UPDRAFT_HOME/pass.log") $(grep -c 'x1b\[2J' "$UPDRAFT_HOME/pass.log")" \
    "0 1"

done_testing
