#!/bin/sh
# Notifications against real local servers (HTTP and SMTP sinks, a
# command): message bodies, secrets, DAG errors told once, grouping of a
# failing backfill, and dead endpoints that neither slow a pass nor lose a
# message, even across a restart.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t6000_

servers=$TEST_SRCDIR/servers
work=$UPDRAFT_HOME/sinks
sink_pids=
mkdir -p "$work"

stop_sinks() {
	for p in $sink_pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	sink_pids=
}
trap 'stop_sinks; cleanup' EXIT

# start_sink http|smtp DIR PORT [ARGS]: start a sink, wait until it listens;
# its port in sink_port, its pid in sink_pid.
start_sink() {
	kind=$1 dir=$2 port=$3
	shift 3
	rm -f "$dir/port"
	(trap - EXIT; exec /usr/bin/python3 "$servers/$kind-sink.py" "$dir" \
	    "$port" "$@") >/dev/null 2>>"$work/sinks.log" &
	sink_pid=$!
	sink_pids="$sink_pids $sink_pid"
	wait_for 5 "the $kind sink to listen" test -s "$dir/port"
	sink_port=$(cat "$dir/port")
}

free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# py EXPR FILES...: EXPR over `msgs`, the JSON bodies of FILES (in order).
py() {
	expr=$1
	shift
	/usr/bin/python3 -c '
import json, sys
msgs = [json.load(open(f)) for f in sys.argv[2:]]
r = eval(sys.argv[1])
print("\n".join(map(str, r)) if isinstance(r, list) else r)' "$expr" "$@"
}

# Every body a sink received, in order (none: /dev/null, an empty list).
bodies() {
	ls "$1"/*.body 2>/dev/null || true
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds; 1 on timeout.
wait_for() {
	n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

### Channels, secrets, `updraft notify test`.

start_sink http "$work/http" 0
hp=$sink_port
start_sink smtp "$work/smtp" 0
mp=$sink_port
refused=$(free_port)
cat > "$work/cmd.sh" <<EOF
#!/bin/sh
printf '%s\n' "\$1" > "$work/cmd.argv"
cat > "$work/cmd.json"
EOF
chmod +x "$work/cmd.sh"

cat > "$UPDRAFT_HOME/updraft.conf" <<EOF
secrets_file = "secrets.conf";
notify = { group_window = 0; };
channels = {
  hook = { type = "webhook"; format = "json"; };
  slack = { type = "webhook"; url = "http://127.0.0.1:$hp/slack"; format = "slack"; };
  teams = { type = "webhook"; url = "http://127.0.0.1:$hp/teams"; format = "teams"; events = ["test"]; };
  mail = { type = "email"; server = "127.0.0.1"; port = $mp; tls = "none";
    from = "updraft@example.org"; to = ["ops@example.org", "oncall@example.org"]; };
  cmd = { type = "command"; argv = ["$work/cmd.sh", "two words"]; };
  dead = { type = "webhook"; url = "http://127.0.0.1:$refused/"; timeout = 2; events = ["test"]; };
};
EOF
printf 'channels = { hook = { url = "http://127.0.0.1:%s/json"; }; };\n' "$hp" \
    > "$UPDRAFT_HOME/secrets.conf"
chmod 644 "$UPDRAFT_HOME/secrets.conf"
expect_eq "a secrets file others can read is refused" "$(updraft list 2>&1)" \
    "updraft: secrets file '$UPDRAFT_HOME/secrets.conf' is readable by others: run 'chmod 600 $UPDRAFT_HOME/secrets.conf'"
chmod 600 "$UPDRAFT_HOME/secrets.conf"

out=$(updraft notify test 2>&1)
status=$?
expect_eq "notify test: exit 1 when a channel fails" "$status" 1
expect_eq "notify test: ok per working channel" \
    "$(printf '%s\n' "$out" | grep -v '^dead')" \
    "hook (webhook): ok
slack (webhook): ok
teams (webhook): ok
mail (email): ok
cmd (command): ok"
case "$out" in
*"dead (webhook): Failed to connect to 127.0.0.1 port $refused"*) pass "notify test: the error of a dead channel" ;;
*) fail "notify test: the error of a dead channel: $out" ;;
esac
expect_eq "notify test CHANNEL: that one only" "$(updraft notify test slack)" \
    "slack (webhook): ok"
expect_status "notify test of an unknown channel" 1 updraft notify test nope
out=$(UPDRAFT_LIBCURL=libt6000-none.so.0 updraft notify test 2>&1)
expect_eq "without libcurl: commands still go, webhooks and mail tell why" \
    "$out" "$(for c in 'hook (webhook)' 'slack (webhook)' 'teams (webhook)' \
    'mail (email)' 'dead (webhook)'; do
	printf '%s: cannot load libcurl, which webhooks and mail need: %s (%s)\n' \
	    "$c" 'libt6000-none.so.0: cannot open shared object file: No such file or directory' \
	    'install the Debian package libcurl4, or set UPDRAFT_LIBCURL'
done | sed '4a\
cmd (command): ok')"

json=$(grep -l '^POST /json' "$work"/http/*.head | head -1 | sed 's/head$/body/')
expect_eq "json body: envelope" \
    "$(py 'sorted(msgs[0])' "$json" | tr '\n' ' ')" \
    "channel count dag_id events kind omitted text title version "
expect_eq "json body: values" \
    "$(py '[msgs[0][k] for k in ("version", "channel", "kind", "count", "omitted")]' "$json" | tr '\n' ' ')" \
    "1 hook test 1 0 "
expect_eq "json body: the event's fields" \
    "$(py 'list(msgs[0]["events"][0])' "$json" | tr '\n' ' ')" \
    "kind time host summary dag_id run_id task_id logical_date try_number max_tries state job_id node partition exit_code reason log_path log_tail look "
slack=$(grep -l '^POST /slack' "$work"/http/*.head | head -1 | sed 's/head$/body/')
expect_eq "slack body: only text" "$(py 'sorted(msgs[0])' "$slack")" "text"
case "$(py 'msgs[0]["text"]' "$slack")" in
"a test from updraft on "*) pass "slack body: the text" ;;
*) fail "slack body: the text" ;;
esac
teams=$(grep -l '^POST /teams' "$work"/http/*.head | head -1 | sed 's/head$/body/')
expect_eq "teams body: a MessageCard" \
    "$(py '[msgs[0]["@type"], msgs[0]["@context"], msgs[0]["title"][:22]]' "$teams" | tr '\n' ' ')" \
    "MessageCard https://schema.org/extensions a test from updraft on "
expect_eq "webhook: content type" \
    "$(grep -i '^content-type' "$work/http/0001.head" | tr -d '\r')" \
    "Content-Type: application/json"

eml=$(ls "$work"/smtp/*.eml | head -1)
expect_eq "mail: envelope" "$(cat "${eml%.eml}.env" | sed 's/ SIZE=[0-9]*//')" \
    "from <updraft@example.org>
to <ops@example.org> <oncall@example.org>"
expect_eq "mail: headers" \
    "$(grep -E '^(From|To|X-Updraft-Kind|Content-Type):' "$eml" | tr -d '\r')" \
    "From: updraft@example.org
To: ops@example.org, oncall@example.org
Content-Type: text/plain; charset=utf-8
X-Updraft-Kind: test"
case "$(grep '^Subject:' "$eml" | tr -d '\r')" in
"Subject: [updraft] a test from updraft on "*) pass "mail: subject" ;;
*) fail "mail: subject: $(grep '^Subject:' "$eml")" ;;
esac
case "$(tr -d '\r' < "$eml")" in
*"

a test from updraft on "*"this channel works"*) pass "mail: body after the headers" ;;
*) fail "mail: body after the headers" ;;
esac
expect_eq "command: argv as given, no shell" "$(cat "$work/cmd.argv")" "two words"
expect_eq "command: the event on stdin" \
    "$(py '[msgs[0]["kind"], msgs[0]["events"][0]["kind"]]' "$work/cmd.json" | tr '\n' ' ')" \
    "test test "

# A DAG file that fails to load is told once, not at every pass.
printf 'tasks = (\n' > "$UPDRAFT_HOME/dags/t6000_broken.dag"
before=$(bodies "$work/http" | wc -l)
updraft scheduler --once 2>/dev/null
updraft scheduler --once 2>/dev/null
updraft scheduler --once 2>/dev/null
kinds=$(for f in $(bodies "$work/http" | tail -n +$((before + 1))); do
	py 'msgs[0].get("kind")' "$f"; done | sort | uniq -c | tr -s ' ')
expect_eq "dag_error: once per channel over three passes (json, slack)" \
    "$kinds" " 1 None
 1 dag_error"
case "$(cat "$work/cmd.json")" in
*'"kind": "dag_error"'*t6000_broken.dag*) pass "dag_error: the file and its error" ;;
*) fail "dag_error: the file and its error: $(cat "$work/cmd.json")" ;;
esac
rm "$UPDRAFT_HOME/dags/t6000_broken.dag"
out=$(updraft notify outbox)
expect_eq "outbox: nothing pending" "$out" ""

### On Slurm: events, grouping, dead endpoints.

if [ -z "${SLURM_CONF:-}" ] || ! sinfo -h >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		fail "Slurm reachable in CI"
	else
		echo "# no Slurm reachable: skipping the scheduler part"
	fi
	done_testing
	exit
fi
stop_sinks

hook=$work/hook
start_sink http "$hook" 0
hp=$sink_port
late_port=$(free_port)
start_sink http "$work/hang" 0 --hang
hang_port=$sink_port
hang_pid=$sink_pid

cat > "$UPDRAFT_HOME/updraft.conf" <<EOF
poll_interval = 1;
notify = { group_window = 4; retry_delay = 1; max_retry_delay = 2; };
channels = {
  hook = { type = "webhook"; url = "http://127.0.0.1:$hp/"; events = ["all"]; };
  late = { type = "webhook"; url = "http://127.0.0.1:$late_port/"; timeout = 2; };
  hang = { type = "webhook"; url = "http://127.0.0.1:$hang_port/"; timeout = 2; };
};
EOF
rm -f "$UPDRAFT_HOME/secrets.conf"

today=$(date -u +%Y-%m-%d)
day() { date -u -d "$today $1 days" +%Y-%m-%d; }
cat > "$UPDRAFT_HOME/dags/t6000_fail.dag" <<DAG
schedule = "@daily";
start_date = "$(day -30)";
catchup = false;
defaults = { time = "1"; mem = "50M"; };
tasks = (
  { id = "boom"; command = "echo first line; echo the last words; exit 3";
    retries = 1; retry_delay = "1s"; }
);
DAG
cat > "$UPDRAFT_HOME/dags/t6000_late.dag" <<DAG
schedule = "@hourly";
start_date = "$(day -1)";
catchup = false;
sla = "1s";
notify = { channels = ["hook"]; events = ["sla_miss", "run_success"]; };
tasks = ( { id = "quick"; command = "true"; time = "1"; mem = "50M"; } );
DAG
updraft list >/dev/null
updraft unpause t6000_late >/dev/null
updraft backfill t6000_fail --from "$(day -10)" --to "$(day -3)" \
    --max-active 8 >/dev/null

start_scheduler_v() {
	(trap - EXIT; exec "$UPDRAFT_BIN" -v scheduler) \
	    >> "$UPDRAFT_HOME/scheduler.log" 2>&1 &
	scheduler_pid=$!
}
stop_scheduler() {
	kill "$scheduler_pid"
	wait "$scheduler_pid"
	scheduler_pid=
}
# The events of one kind a sink got, summed over its messages.
events_of() {
	n=0
	for f in $(bodies "$1"); do
		c=$(py "msgs[0]['count'] if msgs[0]['kind'] == '$2' else 0" "$f")
		n=$((n + c))
	done
	echo $n
}
messages_of() {
	n=0
	for f in $(bodies "$1"); do
		[ "$(py 'msgs[0]["kind"]' "$f")" = "$2" ] && n=$((n + 1))
	done
	echo $n
}
backfill_done() {
	updraft backfills t6000_fail --json | json_field state | grep -qx done &&
	[ "$(events_of "$hook" task_failed)" = 8 ] &&
	[ "$(events_of "$hook" run_failed)" = 8 ]
}
outbox_errors() {
	updraft notify outbox --json | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["channel"] == sys.argv[1] and r["state"] == "pending" and r["last_error"]:
        print(r["last_error"]); break' "$1"
}
have_errors() {
	[ -n "$(outbox_errors late)" ] && [ -n "$(outbox_errors hang)" ]
}

start_scheduler_v
wait_for 240 backfill_done || fail "the backfill failed, and was told, in time"
wait_for 30 have_errors || fail "dead endpoints were tried"
stop_scheduler

expect_eq "grouping: every task failure told" "$(events_of "$hook" task_failed)" 8
n=$(messages_of "$hook" task_failed)
if [ "$n" -ge 1 ] && [ "$n" -le 3 ]; then
	pass "grouping: 8 failures in $n message(s)"
else
	fail "grouping: 8 failures in $n messages"
fi
grouped=$(for f in $(bodies "$hook"); do
	[ "$(py 'msgs[0]["kind"] + str(msgs[0]["count"] > 1)' "$f")" = task_failedTrue ] && echo "$f"
done | head -1)
case "$(py 'msgs[0]["title"]' "$grouped")" in
[2-8]" tasks failed in dag 't6000_fail'") pass "grouping: the title counts" ;;
*) fail "grouping: the title counts: $(py 'msgs[0]["title"]' "$grouped")" ;;
esac
expect_eq "retries are told too (all events)" "$(events_of "$hook" task_retry)" 8

first=$(for f in $(bodies "$hook"); do
	[ "$(py 'msgs[0]["kind"]' "$f")" = task_failed ] && echo "$f"; done | head -1)
ev='msgs[0]["events"][0]'
run=$(py "$ev['run_id']" "$first")
expect_eq "task_failed: what happened" \
    "$(py "[$ev[k] for k in ('kind', 'dag_id', 'task_id', 'try_number', 'max_tries', 'state', 'exit_code', 'reason')]" "$first" | tr '\n' '|')" \
    "task_failed|t6000_fail|boom|2|2|failed|3|exit code 3|"
expect_eq "task_failed: how to look" "$(py "$ev['look']" "$first")" \
    "updraft logs t6000_fail $run boom --try 2"
case "$(py "$ev['log_tail']" "$first")" in
*"first line
the last words
updraft: exit status 3") pass "task_failed: the log's last lines" ;;
*) fail "task_failed: the log's last lines: $(py "$ev['log_tail']" "$first")" ;;
esac
expect_eq "task_failed: the log path" "$(py "$ev['log_path']" "$first")" \
    "$UPDRAFT_HOME/logs/t6000_fail/$run/boom.2.log"
case "$(py "[$ev['job_id'] > 0, $ev['node'] is not None, $ev['logical_date'][:2]]" "$first" | tr '\n' ' ')" in
"True True 20 ") pass "task_failed: Slurm job, node, logical date" ;;
*) fail "task_failed: Slurm job, node, logical date" ;;
esac
case "$(py 'msgs[0]["text"]' "$first")" in
*"look: updraft logs t6000_fail $run boom --try 2"*"the last words"*) pass "task_failed: the text says how to look" ;;
*) fail "task_failed: the text says how to look" ;;
esac
expect_eq "sla_miss: told once" "$(events_of "$hook" sla_miss)" 1
expect_eq "run_success: opted in by the DAG" "$(events_of "$hook" run_success)" 1
expect_eq "scheduler started and stopped" \
    "$(events_of "$hook" scheduler_started) $(events_of "$hook" scheduler_stopped)" "1 1"

case "$(outbox_errors late)" in
*"Failed to connect"*) pass "refused endpoint: the error is kept" ;;
*) fail "refused endpoint: the error is kept: $(outbox_errors late)" ;;
esac
case "$(outbox_errors hang)" in
*"timed out"*) pass "silent endpoint: a timeout" ;;
*) fail "silent endpoint: a timeout: $(outbox_errors hang)" ;;
esac

# Each pass took as long as without dead endpoints: milliseconds, never
# the 2 s delivery timeout they cost.
times=$(sed -n 's/.*pass took \([0-9]*\) ms.*/\1/p' "$UPDRAFT_HOME/scheduler.log")
npass=$(printf '%s\n' "$times" | grep -c .)
slowest=$(printf '%s\n' "$times" | sort -n | tail -1)
echo "# $npass passes, the slowest took ${slowest}ms"
if [ "$npass" -gt 5 ] && [ "$slowest" -lt 1000 ]; then
	pass "dead endpoints do not slow a pass"
else
	fail "dead endpoints do not slow a pass ($npass passes, slowest ${slowest}ms)"
fi

# The endpoints come back; a new scheduler delivers what waited.
kill "$hang_pid"
wait "$hang_pid" 2>/dev/null
start_sink http "$work/late" "$late_port"
start_sink http "$work/hang2" "$hang_port"
nothing_pending() {
	[ -z "$(updraft notify outbox --json | /usr/bin/python3 -c '
import json, sys
print("".join(r["state"] for r in json.load(sys.stdin)))')" ]
}
start_scheduler_v
wait_for 30 nothing_pending || fail "the outbox empties once the endpoints are back"
stop_scheduler
expect_eq "refused endpoint: nothing lost" \
    "$(events_of "$work/late" task_failed) $(events_of "$work/late" run_failed)" "8 8"
expect_eq "silent endpoint: nothing lost" \
    "$(events_of "$work/hang2" task_failed) $(events_of "$work/hang2" run_failed)" "8 8"
expect_eq "the DAG's channels only: no sla_miss for others" \
    "$(events_of "$work/late" sla_miss)" 0

done_testing
