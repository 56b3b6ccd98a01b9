#!/bin/sh
# Finding 8 of issue 15, as the attack: a job lists in $UPDRAFT_OUTPUTS (or
# declares as an output) a file in a folder of root's that only root may
# enter, or a link to one, so that its size and time end up in `export`.
# A user's scheduler (a user made with useradd) looks at each path with its
# own rights and never follows a link: no size, and a declared output that
# is a link fails the try, saying so (a folder is still an output).
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t9408_

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null 2>&1 ||
    ! command -v setpriv >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root, useradd and setpriv to play a user"
	exit 0
fi
u=t9408u
id "$u" >/dev/null 2>&1 || useradd -M -s /bin/sh "$u"

vault=$(mktemp -d /tmp/t9408-vault.XXXXXX)
chmod 700 "$vault"
printf 'twelve bytes' > "$vault/secret"
home=$(mktemp -d /tmp/t9408-home.XXXXXX)
mkdir "$home/dags"
printf 'poll_interval = 1;\n' > "$home/updraft.conf"
cat > "$home/dags/t9408_o.dag" <<DAG
schedule = "none";
defaults = { time = "1"; mem = "50M"; };
tasks = (
  { id = "a"; command = "echo hidden=$vault/secret >> \$UPDRAFT_OUTPUTS; echo mine > mine.txt; echo mine=\$PWD/mine.txt >> \$UPDRAFT_OUTPUTS; ln -sf /etc/hostname link.txt; echo link=\$PWD/link.txt >> \$UPDRAFT_OUTPUTS"; },
  { id = "b"; command = "ln -sf /etc/hostname declared.txt";
    outputs = { d = "declared.txt"; }; },
  { id = "c"; command = "mkdir -p outdir"; outputs = { dir = "outdir"; }; }
);
DAG
chown -R "$u" "$home"
trap 'scancel -u "$u" 2>/dev/null; rm -rf "$home" "$vault"; cleanup' EXIT
as_user() {
	setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- \
	    env -i PATH=/usr/bin:/bin HOME="$home" \
	    UPDRAFT_HOME="$home" SLURM_CONF="$SLURM_CONF" NO_COLOR=1 \
	    "$UPDRAFT_BIN" "$@"
}

as_user unpause t9408_o >/dev/null
run=$(as_user trigger t9408_o)
ended() {
	as_user scheduler --once >/dev/null 2>&1
	[ "$(as_user runs t9408_o --json | json_field state)" = failed ]
}
wait_for 90 "the run to end" ended
expect_eq "sizes: none for the hidden file and the link, one for the job's own" \
    "$(as_user export t9408_o --json | /usr/bin/python3 -c '
import json, sys
o = json.load(sys.stdin)[0]["outputs"]
for k in ("a.hidden", "a.link", "a.mine"):
    print(k, o[k]["size"], o[k]["mtime"] is None)')" \
    "a.hidden None True
a.link None True
a.mine 5 False"
expect_eq "a declared output that is a link fails the try" \
    "$(as_user tasks t9408_o "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["reason"])')" \
    "a success None
b failed output 'd' is a symbolic link: $home/dags/declared.txt
c success None"

done_testing
