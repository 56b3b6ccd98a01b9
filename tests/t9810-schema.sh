#!/bin/sh
# The JSON Schemas of etc/schema (installed in share/updraft/schema): every
# verb's --json output on a fixed database, and the webhook body, validate
# against their schema with Debian's python3-jsonschema; each schema is a
# valid draft 2020-12 schema, and one that no longer matches fails.
. "$(dirname "$0")/lib.sh"
. "$TEST_SRCDIR/data/t98-fixture.sh"
TEST_JOB_PREFIX=t98_

if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	echo "1..0 # SKIP no python3-jsonschema (scripts/install-deps)"
	exit 0
fi
schemas=$TEST_SRCDIR/../etc/schema
t98_fixture

# validate SCHEMA FILE: "ok", or why FILE does not validate against
# etc/schema/SCHEMA.json (the first error, with where it is).
validate() {
	/usr/bin/python3 - "$schemas/$1.json" "$2" <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
try:
    doc = json.load(open(sys.argv[2]))
except ValueError as e:
    print("not JSON:", e)
    sys.exit(0)
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc),
                key=lambda e: list(e.absolute_path))
if errors:
    e = errors[0]
    print("/".join(map(str, e.absolute_path)) + ":", e.message)
else:
    print("ok")
EOF
}

# Every verb that has --json, on the fixture: schema|arguments.
n=0
while IFS='|' read -r schema args; do
	set -- $args
	updraft "$@" > "$UPDRAFT_HOME/out.json" 2>"$UPDRAFT_HOME/err"
	st=$?
	expect_eq "$args: exit 0, a schema's worth of output" \
	    "$st $(validate "$schema" "$UPDRAFT_HOME/out.json")" "0 ok"
	n=$((n + 1))
done <<EOF
list|list --json
runs|runs --json
runs|runs t98_daily --json --state failed
tasks|tasks t98_daily scheduled__2025-11-01T00:00:00+00:00 --json
tasks|tasks t98_daily scheduled__2025-11-02T00:00:00+00:00 --json
backfills|backfills --json
versions|versions t98_daily --json
grid|grid t98_daily --json
lineage|lineage t98_hourly manual__reads_daily --json
lineage|lineage t98_daily scheduled__2025-11-01T00:00:00+00:00 --down --json
compare|compare t98_daily manual__lr001 scheduled__2025-11-01T00:00:00+00:00 --json
export|export t98_daily --json
notify-outbox|notify outbox --all --json
status|status --json
EOF

# Each verb with --json has a line above (notify's is outbox's): the verbs
# of `updraft help` whose options have --json.
expect_eq "every verb with --json is validated" \
    "$(for v in $(updraft help | sed -n '/^Verbs:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
	updraft help --options "$v" | grep -qx -- --json && echo "$v"
    done | tr '\n' ' ')" \
    "backfills compare export grid lineage list notify runs status tasks versions "

expect_eq "make install installs every schema (dist_schema_DATA)" \
    "$(sed -n '/^dist_schema_DATA/,/^$/p' "$TEST_SRCDIR/../Makefile.am" |
    grep -o 'etc/schema/[a-z-]*\.json' | tr '\n' ' ')" \
    "$(cd "$TEST_SRCDIR/.." && ls etc/schema/*.json | tr '\n' ' ')"

# The fixture exercises the nullable fields both ways.
expect_eq "the fixture has what the schemas allow: runs without params, an \
array element, an output without size, a lease's job, a chain" \
    "$(updraft runs --json | grep -c '"params": {}') \
$(updraft tasks t98_daily scheduled__2025-11-01T00:00:00+00:00 --json |
    grep -c '"slurm_job": "7627_0"') \
$(updraft export t98_daily --json | grep -c '"size": null') \
$(updraft status --json | grep -c '"job_id": 4242, "lease_live": false') \
$(updraft status --json | grep -c '"chain": {.*"state": "stopped"')" \
    "2 1 1 1 1"

# A schema that cannot fail is no test: a wrong field, a wrong type, a
# field missing and an extra one are each refused.
updraft runs --json > "$UPDRAFT_HOME/runs.json"
while IFS='|' read -r what edit want; do
	/usr/bin/python3 -c '
import json, sys
runs = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(runs, open(sys.argv[3], "w"))' "$UPDRAFT_HOME/runs.json" "$edit" \
	    "$UPDRAFT_HOME/bad.json"
	expect_eq "runs schema refuses $what" \
	    "$(validate runs "$UPDRAFT_HOME/bad.json")" "$want"
done <<'EOF'
an unknown state|runs[0]["state"] = "bogus"|0/state: 'bogus' is not one of ['queued', 'running', 'success', 'failed']
a time not in UTC|runs[1]["start_date"] = "2025-11-01T13:26:45+01:00"|1/start_date: '2025-11-01T13:26:45+01:00' does not match '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+00:00$'
a missing field|del runs[2]["owner"]|2: 'owner' is a required property
an old name|runs[0]["created_by"] = runs[0].pop("owner")|0: 'owner' is a required property
EOF

# The webhook body: a "json" channel's POST, for a test message and, where
# Slurm answers, for a DAG error found by a scheduler pass (own home:
# nothing to submit).
servers=$TEST_SRCDIR/servers
work=$UPDRAFT_HOME/sink
mkdir -p "$work"
(trap - EXIT; exec /usr/bin/python3 "$servers/http-sink.py" "$work" 0) \
    >/dev/null 2>"$UPDRAFT_HOME/sink.log" &
sink_pid=$!
trap 'kill $sink_pid 2>/dev/null; wait $sink_pid 2>/dev/null; cleanup' EXIT
wait_for 5 "the http sink to listen" test -s "$work/port"
port=$(cat "$work/port")
hook_home=$UPDRAFT_HOME/hook
mkdir -p "$hook_home/dags"
cat > "$hook_home/updraft.conf" <<EOF
notify = { group_window = 0; };
channels = { hook = { type = "webhook"; format = "json";
  url = "http://127.0.0.1:$port/json"; events = ["test", "dag_error"]; }; };
EOF
printf 'tasks = (\n' > "$hook_home/dags/t98_hook_broken.dag"
expect_eq "notify test: the json channel" \
    "$(UPDRAFT_HOME=$hook_home updraft notify test hook)" "hook (webhook): ok"
kinds="test"
# A scheduler pass needs Slurm (without one it waits out its timeouts); in
# CI Slurm is always there.
if [ -n "${SLURM_CONF:-}" ] && sinfo -h >/dev/null 2>&1; then
	UPDRAFT_HOME=$hook_home updraft scheduler --once >/dev/null 2>&1
	wait_for 10 "two bodies" test -s "$work/0002.body"
	kinds="test dag_error"
fi
expect_eq "webhook bodies: $kinds" \
    "$(for f in "$work"/*.body; do /usr/bin/python3 -c 'import json, sys
print(json.load(sys.stdin)["events"][0]["kind"])' < "$f"; done |
    tr '\n' ' ')" "$kinds "
for f in "$work"/*.body; do
	expect_eq "webhook body $(basename "$f") validates" \
	    "$(validate webhook "$f")" "ok"
done

done_testing
